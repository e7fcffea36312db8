// Package overlap measures how much two short passages say the same thing,
// within a language or across English and Chinese: English words are cut
// to stems, Chinese words are read through their dictionary glosses
// (annotate/lexicon), and the score is the F1 of the words of each side
// found on the other. A translation scores high; two passages that only
// share a topic share only its few words.
//
// Claims use it to flag echoes across languages, figures to tell whether
// two numbers count the same thing. The link-suggestion engine's scores
// rank sentences within one original and are not comparable across pairs.
package overlap

import (
	"strings"
	"unicode"

	"gloss/annotate/lexicon"
)

// Bag is a passage's words: English stems, and Chinese words each with
// the stems of its glosses.
type Bag struct {
	en []string   // stems of English words (and numbers as written)
	zh [][]string // per Chinese content word, the stems of its glosses
	// Lookup sets, built once by Words so that comparing one bag with
	// many others costs no allocation.
	enSet, glSet map[string]bool
}

// Len is the number of content words.
func (b Bag) Len() int { return len(b.en) + len(b.zh) }

// Terms lists the bag's English stems and the stems of its Chinese words'
// glosses, each once: two bags that score above zero share one of them,
// so they serve to find candidates before scoring.
func (b Bag) Terms() []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, t := range b.en {
		add(t)
	}
	for _, gs := range b.zh {
		for _, t := range gs {
			add(t)
		}
	}
	return out
}

// Words reads a passage.
func Words(text string) Bag {
	var b Bag
	r := []rune(text)
	for _, sp := range lexicon.Segment(r) {
		w := string(r[sp[0]:sp[1]])
		if !lexicon.IsHan(r[sp[0]]) {
			b.en = append(b.en, stems(w)...)
			continue
		}
		if sp[1]-sp[0] == 1 && strings.ContainsRune(zhFunction, r[sp[0]]) {
			continue
		}
		seen := map[string]bool{}
		var gs []string
		for _, g := range lexicon.Glosses(w) {
			for _, s := range stems(g) {
				if !seen[s] {
					seen[s] = true
					gs = append(gs, s)
				}
			}
		}
		if len(gs) > 0 {
			b.zh = append(b.zh, gs)
		}
	}
	b.index()
	return b
}

func (b *Bag) index() {
	b.enSet = make(map[string]bool, len(b.en))
	for _, s := range b.en {
		b.enSet[s] = true
	}
	b.glSet = map[string]bool{}
	for _, g := range b.zh {
		for _, s := range g {
			b.glSet[s] = true
		}
	}
}

// Chinese returns, per Chinese content word, the stems of its glosses; the
// slices are the bag's own, to read, not to change (figures keeps a compact
// copy of every figure's bag).
func (b Bag) Chinese() [][]string { return b.zh }

// English returns the English stems (for display and tests).
func (b Bag) English() []string { return append([]string(nil), b.en...) }

// Similarity is Score(Words(a), Words(b)).
func Similarity(a, b string) float64 { return Score(Words(a), Words(b)) }

// Score is the F1 of the words of a found in b and those of b found in a:
// an English stem is found when the other side has it or a Chinese word
// glossed with it; a Chinese word when one of its gloss stems is an
// English stem of the other side or it shares a gloss stem with one of
// the other side's Chinese words.
func Score(a, b Bag) float64 {
	if a.Len() == 0 || b.Len() == 0 {
		return 0
	}
	return F1(found(a, b), found(b, a))
}

// F1 is the harmonic mean of the shares p and q of each side's words found
// on the other (0 when either is 0): Score's measure, for callers that
// count the shares on their own form of a bag.
func F1(p, q float64) float64 {
	if p == 0 || q == 0 {
		return 0
	}
	return 2 * p * q / (p + q)
}

// Shared counts the words of a found in b.
func Shared(a, b Bag) int {
	return int(found(a, b)*float64(a.Len()) + 0.5)
}

func found(a, b Bag) float64 {
	if b.enSet == nil {
		b.index() // a Bag not made by Words (the zero value)
	}
	en, gl := b.enSet, b.glSet
	hit := 0
	for _, s := range a.en {
		if en[s] || gl[s] {
			hit++
		}
	}
	for _, g := range a.zh {
		for _, s := range g {
			if en[s] || gl[s] {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(a.Len())
}

// zhFunction: single characters that are grammar, not content.
const zhFunction = "的地得了着过在是和与及也都就而将被把对于以之其这那个等并或但又还让给向从到为由所说有没不很会能要可已我你他她它们吗吧呢则才再更最此该各每些来去出起么"

var enStop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the a an and or of to in on at by for from with as is are was were be been being
that this these those it its he she they them his her their we our you your i not no but if than then so
such also will would shall should may might can could has have had do does did which who whom what when
where there here into onto upon about over after before said says say sb sth etc one used kind type form
variant old abbr lit fig esp pr`) {
		enStop[w] = true
	}
}

// synonyms map the usual ways news English names a country to the words
// the dictionary glosses it with (美国 is "United States; USA; US").
var synonyms = map[string]string{
	"us": "usa", "u.s": "usa", "ameri": "usa", "unite": "usa", "washi": "usa",
	"chine": "china", "prc": "china", "beiji": "china", "mainl": "china",
	"mexic": "mexic",
	"natio": "citiz", // nationals and citizens count the same people
}

// stems returns the content words of Latin text, lower-cased and cut to a
// five-letter stem (verify/verified, citizen/citizens meet), and numbers as
// written without separators.
func stems(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ',' && r != '.'
	}) {
		f = strings.Trim(strings.ReplaceAll(f, ",", ""), ".")
		if f == "" || lexicon.IsHan([]rune(f)[0]) {
			continue
		}
		f = strings.ToLower(f)
		if enStop[f] || len(f) < 2 {
			continue
		}
		if unicode.IsLetter([]rune(f)[0]) {
			if len(f) > 5 {
				f = f[:5]
			} else {
				f = strings.TrimSuffix(f, "s")
			}
			if s, ok := synonyms[f]; ok {
				f = s
			}
		}
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}
