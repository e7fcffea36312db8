package suggest

import (
	"strings"
	"unicode"

	"gloss/annotate/lexicon"
)

// Evidence keys. Every sentence, in either language, becomes a bag of keys
// with weights in (0, 1]:
//
//	w:stem   an English content word, written or reached through a
//	         Chinese word's dictionary glosses (驱逐 → w:deport, w:expel)
//	z:词      a Chinese word as written (simplified), for Chinese summaries
//	n:, y:, fy:, m:, d:, q:   numbers and dates (see numbers.go)
//	p:…      a romanised Chinese name, matched by pinyin (see pinyin.go)
type bag map[string]float64

func (b bag) add(k string, w float64) {
	if w > b[k] {
		b[k] = w
	}
}

// Glosses of these characters are grammar, not content.
var zhFunction = toSet(`的 地 得 了 着 過 过 在 是 和 与 與 及 也 都 就 而 将 將 被 把 对 對 于 於 以 之 其 这 這 那 个 個 等 并 並 或 但 又 还 還 让 讓 给 給 向 从 從 到 为 為 由 所 上 下 中 里 裡 裏 说 說 有 没 沒 不 很 会 會 能 要 可 已 我 你 他 她 它 们 們 啊 吗 嗎 吧 呢 着 则 則 才 再 更 最 此 该 該 各 每 些 来 來 去 出 起 又 么 麼 什 怎 哪 谁 誰 啥 咋 嘛 呀 哦 哈 么`)

// glossCache holds the keys each Chinese word contributes; built once per
// Index (glossing is the costly part of featurising Chinese).
type glossCache map[string][]wk

type wk struct {
	key string
	w   float64
}

func (c glossCache) keys(word string) []wk {
	if ks, ok := c[word]; ok {
		return ks
	}
	var ks []wk
	single := len([]rune(word)) == 1
	if !(single && zhFunction[word]) {
		stems := map[string]bool{}
		for _, g := range lexicon.Glosses(word) {
			for _, t := range latinTokens([]rune(g)) {
				if stopwords[t.word] || isNumeral(t.word) || len(t.word) < 2 {
					continue
				}
				s := stem(t.word)
				stems[s] = true
				for _, syn := range synonyms[s] {
					stems[syn] = true
				}
			}
		}
		// A word glossed many ways is weaker evidence for any one of them;
		// single characters are ambiguous out of context.
		w := 0.8
		if single {
			w = 0.4
		}
		if n := len(stems); n > 5 {
			w *= 5 / float64(n)
		}
		for s := range stems {
			ks = append(ks, wk{"w:" + s, w})
		}
	}
	c[word] = ks
	return ks
}

// featurise turns one sentence into evidence keys. aliases are the Chinese
// names (with their romanisation from the original itself) that occur in it.
//
// If groups is not nil, it receives the keys that came from one word
// together ("American" → w:american, w:usa), so that a match counts once per
// word, not once per key.
//
// With gc nil, Chinese words are kept as z: keys only and their glosses are
// left to the index (glossIdx), which expands them once per distinct word
// rather than once per occurrence. into, if not nil, is cleared and reused.
//
// oov, if not nil, receives each run of two or more Han characters that the
// dictionary knows only one by one: where unlisted foreign names hide.
func featurise(into bag, r []rune, gc glossCache, aliases []alias, groups *[][]string, oov func(start, end int)) (bag, int) {
	b := into
	if b == nil {
		b = bag{}
	}
	clear(b)
	group := func(keys ...string) {
		if groups != nil {
			*groups = append(*groups, keys)
		}
	}
	length := 0
	// Latin script: words and numbers.
	toks := latinTokens(r)
	for _, t := range toks {
		if stopwords[t.word] || isNumeral(t.word) {
			continue
		}
		length++
		s := stem(t.word)
		if len(s) < 2 {
			continue
		}
		b.add("w:"+s, 1)
		g := []string{"w:" + s}
		for _, syn := range synonyms[s] {
			b.add("w:"+syn, 0.9)
			g = append(g, "w:"+syn)
		}
		group(g...)
	}
	englishNumbers(toks, b.add)
	// Chinese: dictionary words and their glosses, numbers and dates.
	hasHan := false
	for _, c := range r {
		if lexicon.IsHan(c) {
			hasHan = true
			break
		}
	}
	if hasHan {
		runStart, runEnd := -1, -1
		flush := func() {
			if oov != nil && runStart >= 0 && runEnd-runStart >= 2 {
				oov(runStart, runEnd)
			}
			runStart = -1
		}
		for _, w := range lexicon.Segment(r) {
			if !lexicon.IsHan(r[w[0]]) {
				flush()
				continue
			}
			if w[1]-w[0] == 1 {
				if runStart < 0 || runEnd != w[0] {
					flush()
					runStart = w[0]
				}
				runEnd = w[1]
			} else {
				flush()
			}
			length++
			word := string(r[w[0]:w[1]])
			b.add("z:"+word, 1)
			g := []string{"z:" + word}
			if gc != nil {
				for _, k := range gc.keys(word) {
					b.add(k.key, k.w)
					g = append(g, k.key)
				}
			}
			group(g...)
		}
		flush()
		chineseNumbers(r, b.add)
		for _, a := range aliases {
			for _, l := range a.latin {
				st := stem(l)
				b.add("w:"+st, 1)
				for _, syn := range synonyms[st] {
					b.add("w:"+syn, 0.9)
				}
			}
		}
	}
	return b, max(length, 1)
}

// alias is a Chinese name with the Latin form the text gives for it in
// brackets: 马约卡斯 (… Mayorkas), 美国全国广播公司 (NBC).
type alias struct {
	zh    string
	latin []string // lower-case words
}

// findAliases reads the name table out of the original: a Latin name in
// brackets right after Chinese text. For transliterated names split by a
// middle dot, the parts pair with the Latin words from the end (the family
// name is what later sentences repeat). Otherwise the longest tail of the
// Chinese text before the bracket that recurs elsewhere in the original is
// taken as the name.
func findAliases(r []rune, occ *occurrences) []alias {
	var out []alias
	seen := map[string]bool{}
	addAlias := func(zh string, latin []string) {
		k := zh + "\x00" + strings.Join(latin, " ")
		if zh == "" || len(latin) == 0 || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, alias{zh: zh, latin: latin})
	}
	for p := 0; p < len(r); p++ {
		if r[p] != '(' && r[p] != '（' {
			continue
		}
		q := p + 1
		for q < len(r) && q-p <= 60 && r[q] != ')' && r[q] != '）' && r[q] != '\n' {
			q++
		}
		if q >= len(r) || (r[q] != ')' && r[q] != '）') {
			continue
		}
		words, ok := nameWords(r[p+1 : q])
		if !ok {
			continue
		}
		e := p
		for e > 0 && r[e-1] == ' ' {
			e--
		}
		s := e
		for s > 0 && e-s < 24 && (lexicon.IsHan(r[s-1]) || isMiddleDot(r[s-1])) {
			s--
		}
		if s == e {
			continue
		}
		run := r[s:e]
		parts := strings.FieldsFunc(string(run), isMiddleDot)
		if len(parts) >= 2 {
			for k := 1; k <= min(len(parts), len(words)); k++ {
				part := parts[len(parts)-k]
				if k == len(parts) {
					part = recurringTail([]rune(part), occ)
				}
				if len([]rune(part)) >= 2 {
					addAlias(part, []string{words[len(words)-k]})
				}
			}
			continue
		}
		if tail := recurringTail(run, occ); len([]rune(tail)) >= 2 {
			addAlias(tail, words)
		}
	}
	return out
}

func isMiddleDot(c rune) bool {
	return c == '·' || c == '•' || c == '・' || c == '‧' || c == '．'
}

// nameWords accepts a short Latin name: 1–5 words, letters (and . - ' &),
// starting with a capital.
func nameWords(r []rune) ([]string, bool) {
	s := strings.TrimSpace(string(r))
	if s == "" || !unicode.IsUpper([]rune(s)[0]) {
		return nil, false
	}
	for _, c := range s {
		if !(c < 128 && (unicode.IsLetter(c) || strings.ContainsRune(" .-'&", c))) {
			return nil, false
		}
	}
	var words []string
	for _, f := range strings.Fields(s) {
		f = strings.Trim(f, ".-'&")
		if f == "" || stopwords[strings.ToLower(f)] && len(f) < 4 {
			continue
		}
		words = append(words, strings.ToLower(f))
	}
	if len(words) == 0 || len(words) > 5 {
		return nil, false
	}
	return words, true
}

// recurringTail returns the longest tail of run (2–12 characters) that
// occurs at least twice in text and is not a common dictionary noun; if none
// recurs, run itself (an alias used once does no harm).
func recurringTail(run []rune, occ *occurrences) string {
	for k := max(0, len(run)-12); k+2 <= len(run); k++ {
		tail := run[k:]
		if occ.count(tail, 2) < 2 {
			continue
		}
		if t := string(tail); lexicon.IsWord(t) && !properGloss(t) {
			continue
		}
		return string(tail)
	}
	return string(run)
}

// occurrences counts where a string of Han characters occurs in the text,
// through an index of character pairs built on first use.
type occurrences struct {
	text  []rune
	pairs map[[2]rune][]int32
}

func (o *occurrences) count(s []rune, limit int) int {
	return len(o.find(s, limit))
}

// find returns up to limit positions where s (≥2 runes) occurs.
func (o *occurrences) find(s []rune, limit int) []int32 {
	if len(s) < 2 {
		return nil
	}
	if o.pairs == nil {
		o.pairs = map[[2]rune][]int32{}
		for i := 0; i+1 < len(o.text); i++ {
			if lexicon.IsHan(o.text[i]) {
				k := [2]rune{o.text[i], o.text[i+1]}
				o.pairs[k] = append(o.pairs[k], int32(i))
			}
		}
	}
	var out []int32
next:
	for _, p := range o.pairs[[2]rune{s[0], s[1]}] {
		if int(p)+len(s) > len(o.text) {
			continue
		}
		for k := 2; k < len(s); k++ {
			if o.text[int(p)+k] != s[k] {
				continue next
			}
		}
		if out = append(out, p); len(out) >= limit {
			break
		}
	}
	return out
}

func properGloss(w string) bool {
	g := lexicon.Glosses(w)
	return len(g) > 0 && g[0] != "" && unicode.IsUpper([]rune(g[0])[0])
}
