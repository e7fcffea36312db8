package suggest

import (
	"sort"
	"strings"
	"unicode"

	"gloss/annotate/lexicon"
)

// Romanised Chinese names in the summary ("Wang Xiaohong", "Liu Pengyu")
// are matched against the original's characters by their pinyin readings.

// syllableParses splits a lower-case word into pinyin syllables in every
// way the dictionary allows ("xiaohong" → [xiao hong]; "xian" → [xian],
// [xi an]), at most limit ways.
func syllableParses(w string, limit int) [][]string {
	var out [][]string
	var rec func(rest string, acc []string)
	rec = func(rest string, acc []string) {
		if len(out) >= limit {
			return
		}
		if rest == "" {
			out = append(out, append([]string(nil), acc...))
			return
		}
		for n := min(6, len(rest)); n >= 1; n-- {
			// Every syllable of a romanised name has a vowel; the dictionary
			// also lists bare letters ("w") and interjections ("hm").
			// Pinyin writes an apostrophe before a/e/o inside a word (Xi'an),
			// so a syllable after the first never starts with one.
			if len(acc) > 0 && strings.ContainsRune("aeo", rune(rest[0])) {
				break
			}
			if strings.ContainsAny(rest[:n], "aeiouv") && lexicon.IsSyllable(rest[:n]) {
				rec(rest[n:], append(acc, rest[:n]))
			}
		}
	}
	rec(w, nil)
	// Fewest syllables first: "xian" before "xi an".
	sort.SliceStable(out, func(a, b int) bool { return len(out[a]) < len(out[b]) })
	return out
}

// nameQuery is a romanised name in a summary sentence and how to match it.
type nameQuery struct {
	key      string     // "p:wang xiaohong", or "t:blinken" for a transliteration
	parses   [][]string // syllable sequences
	nameChar bool       // one syllable: match only name characters (王 for "Wang")
	// transliterations (translit.go)
	skeleton  string
	syllables int
}

// nameQueries finds capitalised words that read as pinyin, alone (if they
// have two syllables or more) and as runs of adjacent such words.
func nameQueries(r []rune, toks []token) []nameQuery {
	type cand struct {
		t      token
		parses [][]string
		first  bool // first word of the sentence: capitalised anyway
	}
	var cands []cand
	for idx, t := range toks {
		rs := []rune(t.orig)
		if len(rs) < 2 || !unicode.IsUpper(rs[0]) || stopwords[t.word] {
			continue
		}
		ok := true
		for _, c := range rs[1:] {
			if !unicode.IsLower(c) || c > 'z' {
				ok = false
			}
		}
		if !ok || rs[0] > 'Z' {
			continue
		}
		ps := syllableParses(t.word, 4)
		if len(ps) == 0 {
			continue
		}
		cands = append(cands, cand{t, ps, idx == 0})
	}
	var out []nameQuery
	for i := 0; i < len(cands); i++ {
		c := cands[i]
		switch {
		case len(c.parses[0]) >= 2:
			out = append(out, nameQuery{key: "p:" + c.t.word, parses: c.parses})
		case !c.first:
			// One syllable alone ("Wang") only stands for a name character.
			out = append(out, nameQuery{key: "p1:" + c.t.word, parses: c.parses, nameChar: true})
		}
		// A run of adjacent name words: "Wang Xiaohong".
		j := i
		for j+1 < len(cands) && adjacent(r, cands[j].t, cands[j+1].t) {
			j++
		}
		if j > i {
			words := []string{}
			parses := [][]string{nil}
			for _, cc := range cands[i : j+1] {
				words = append(words, cc.t.word)
				var next [][]string
				for _, p := range parses {
					for _, q := range cc.parses {
						if len(next) < 16 {
							next = append(next, append(append([]string(nil), p...), q...))
						}
					}
				}
				parses = next
			}
			out = append(out, nameQuery{key: "p:" + strings.Join(words, " "), parses: parses})
		}
	}
	return out
}

func adjacent(r []rune, a, b token) bool {
	end := a.start + len([]rune(a.orig))
	return b.start == end+1 && end < len(r) && (r[end] == ' ' || r[end] == '-')
}

// pinyinIndex maps each syllable to the rune positions of the original's
// Han characters that can be read so.
type pinyinIndex struct {
	bySyl    map[string][]int32
	readings map[rune][]string
	nameChar map[rune]bool
}

func buildPinyinIndex(text []rune) *pinyinIndex {
	px := &pinyinIndex{bySyl: map[string][]int32{}, readings: map[rune][]string{}, nameChar: map[rune]bool{}}
	for i, c := range text {
		if !lexicon.IsHan(c) {
			continue
		}
		rd, ok := px.readings[c]
		if !ok {
			rd = lexicon.Readings(string(c))
			px.readings[c] = rd
			px.nameChar[c] = lexicon.NameChar(c)
		}
		for _, s := range rd {
			px.bySyl[s] = append(px.bySyl[s], int32(i))
		}
	}
	return px
}

func (px *pinyinIndex) reads(c rune, syl string) bool {
	for _, s := range px.readings[c] {
		if s == syl {
			return true
		}
	}
	return false
}

// match returns the sorted rune positions where q's syllables are read in
// consecutive Han characters.
func (px *pinyinIndex) match(text []rune, q nameQuery) []int32 {
	var out []int32
	for _, p := range q.parses {
		if len(p) == 0 {
			continue
		}
	next:
		for _, pos := range px.bySyl[p[0]] {
			if q.nameChar && !px.nameChar[text[pos]] {
				continue
			}
			for k := 1; k < len(p); k++ {
				i := int(pos) + k
				if i >= len(text) || !px.reads(text[i], p[k]) {
					continue next
				}
			}
			out = append(out, pos)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}
