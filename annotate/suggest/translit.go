package suggest

import (
	"strings"
	"unicode"
)

// Foreign names that the dictionary lacks are written in Chinese by sound
// (Blinken 布林肯, Sullivan 沙利文, Yellen 耶伦) and segment into single
// characters. Both spellings reduce to the same consonant skeleton once
// vowels are dropped and consonants are put in the coarse classes that
// transliteration preserves: voicing is ignored (b/p, d/t, g/k), r before a
// vowel is heard as l and otherwise dropped, m and n(g) are one nasal, f/v/w
// one class, and all sibilants one class.
//
//	Blinken  → P L N K N   布林肯 bu lin ken   → P L N K N
//	Mayorkas → N K S       马约卡斯 ma yue ka si → N K S

// englishSkeleton returns the consonant skeleton of a Latin word.
func englishSkeleton(w string) string {
	w = strings.ToLower(w)
	for _, d := range [][2]string{{"ph", "f"}, {"th", "t"}, {"sh", "s"}, {"ch", "s"}, {"ck", "k"}, {"qu", "kw"}, {"x", "ks"}, {"gh", "g"}} {
		w = strings.ReplaceAll(w, d[0], d[1])
	}
	isV := func(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }
	var b []byte
	push := func(c byte) {
		if len(b) == 0 || b[len(b)-1] != c {
			b = append(b, c)
		}
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		next := byte(0)
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case c < 'a' || c > 'z':
			return ""
		case c == 'y' && i == 0:
			push('Y')
		case isV(c):
			// vowels carry no class; a vowel between repeats keeps them apart
			if len(b) > 0 {
				b = append(b, '.')
			}
		case c == 'c':
			if next == 'e' || next == 'i' || next == 'y' {
				push('S')
			} else {
				push('K')
			}
		case c == 'r':
			if isV(next) {
				push('L')
			}
		case c == 'h':
			if i == 0 {
				push('H')
			}
		default:
			push(consonantClass(c))
		}
	}
	return tidySkeleton(b)
}

func consonantClass(c byte) byte {
	switch c {
	case 'b', 'p':
		return 'P'
	case 'd', 't':
		return 'T'
	case 'g', 'k', 'q':
		return 'K'
	case 's', 'z', 'j', 'x', 'c':
		return 'S'
	case 'l', 'r':
		return 'L'
	case 'm', 'n':
		return 'N'
	case 'f', 'v', 'w':
		return 'W'
	case 'h':
		return 'H'
	case 'y':
		return 'Y'
	}
	return 0
}

// pinyinSkeleton returns the skeleton of a run of syllables.
func pinyinSkeleton(syls []string) string {
	var b []byte
	for i, s := range syls {
		if s == "" {
			return ""
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		ini := s[0]
		switch {
		case strings.HasPrefix(s, "zh"), strings.HasPrefix(s, "ch"), strings.HasPrefix(s, "sh"):
			b = append(b, 'S')
		case ini == 'y':
			if i == 0 {
				b = append(b, 'Y')
			}
		case strings.IndexByte("aeiouv", ini) >= 0:
		default:
			if c := consonantClass(ini); c != 0 {
				b = append(b, c)
			}
		}
		if strings.HasSuffix(s, "n") || strings.HasSuffix(s, "ng") {
			b = append(b, 'N')
		}
	}
	return tidySkeleton(b)
}

// tidySkeleton drops vowel marks, merging a class repeated across one.
func tidySkeleton(b []byte) string {
	var out []byte
	for _, c := range b {
		if c == '.' || c == 0 {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// syllableCount estimates how many characters a transliteration of w takes.
func syllableCount(w string) int {
	n, inV := 0, false
	for _, c := range strings.ToLower(w) {
		v := strings.ContainsRune("aeiouy", c)
		if v && !inV {
			n++
		}
		inV = v
	}
	return max(n, 1)
}

// translitIndex maps skeletons of the original's runs of unknown (single
// character) words to where they occur.
type translitIndex struct {
	bySkel map[string][]translitHit
}

type translitHit struct {
	pos, n int32 // rune position and length in characters
}

// buildTranslitIndex indexes every window of 2–6 characters inside the
// given runs.
func buildTranslitIndex(text []rune, runs [][2]int32, px *pinyinIndex) *translitIndex {
	tx := &translitIndex{bySkel: map[string][]translitHit{}}
	syls := make([]string, 0, 6)
	for _, run := range runs {
		for s := run[0]; s < run[1]; s++ {
			syls = syls[:0]
			for e := s; e < run[1] && e-s < 6; e++ {
				rd := px.readings[text[e]]
				if len(rd) == 0 {
					break
				}
				syls = append(syls, strings.ReplaceAll(rd[0], " ", ""))
				if e-s+1 < 2 {
					continue
				}
				if sk := pinyinSkeleton(syls); len(sk) >= 3 {
					tx.bySkel[sk] = append(tx.bySkel[sk], translitHit{s, e - s + 1})
				}
			}
		}
	}
	return tx
}

// translitQueries picks the summary words that may be transliterated
// names: capitalised, not first in the sentence, not pinyin, with a skeleton
// of three classes or more.
func translitQueries(toks []token) []nameQuery {
	var out []nameQuery
	for i, t := range toks {
		rs := []rune(t.orig)
		if i == 0 || len(rs) < 4 || !unicode.IsUpper(rs[0]) || stopwords[t.word] || isNumberish(t.word) {
			continue
		}
		if len(syllableParses(t.word, 1)) > 0 {
			continue // pinyin: handled as a Chinese name
		}
		allCaps := true
		for _, c := range rs {
			if unicode.IsLower(c) {
				allCaps = false
			}
		}
		if allCaps {
			continue // acronyms (NBC, DHS) are not transliterated by sound
		}
		if sk := englishSkeleton(t.word); len(sk) >= 3 {
			out = append(out, nameQuery{key: "t:" + t.word, skeleton: sk, syllables: syllableCount(t.word)})
		}
	}
	return out
}

func (tx *translitIndex) match(q nameQuery) []int32 {
	var out []int32
	for _, h := range tx.bySkel[q.skeleton] {
		// A transliteration spends about one character per syllable.
		if d := int(h.n) - q.syllables; d >= -1 && d <= 2 {
			out = append(out, h.pos)
		}
	}
	return out
}
