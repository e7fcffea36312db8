package claims

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"gloss/annotate/lexicon"
	"gloss/annotate/overlap"
)

// Echo thresholds. Jaccard of shingles on normalised text: reworded news
// copy of one statement sits well above 0.5, independent reports of one
// event well below. Containment catches a passage quoted whole inside a
// longer one; it needs a minimum size, or a short quote would match
// anything that contains its few words.
const (
	EchoJaccard       = 0.5
	EchoContainment   = 0.8
	containmentMinSet = 20
	// EchoCrossLanguage is the gloss-overlap score (0–1) above which an
	// English and a Chinese passage are taken as one text in two languages.
	EchoCrossLanguage = 0.55
)

// shingleSet is the set of character n-grams of a normalised passage:
// 4-grams for alphabetic text, 2-grams for Han (a Han character carries
// about as much as a short word).
type shingleSet struct {
	set map[string]struct{}
	han bool
}

// normalise folds width and case, and drops punctuation and spacing, so
// that copies differing only in typography compare equal.
func normalise(s string) (string, bool) {
	s = norm.NFKC.String(s)
	var b strings.Builder
	han, letters := 0, 0
	space := false
	for _, r := range s {
		switch {
		case lexicon.IsHan(r):
			han++
			b.WriteRune(r)
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters++
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String()), han > letters/3 && han > 0
}

func shingles(text string) shingleSet {
	t, han := normalise(text)
	n := 4
	var rs []rune
	if han {
		n = 2
		// Spaces between Han characters are layout, not words.
		for _, r := range t {
			if r != ' ' {
				rs = append(rs, r)
			}
		}
	} else {
		rs = []rune(t)
	}
	set := map[string]struct{}{}
	if len(rs) > 0 && len(rs) < n {
		set[string(rs)] = struct{}{}
	}
	for i := 0; i+n <= len(rs); i++ {
		set[string(rs[i:i+n])] = struct{}{}
	}
	return shingleSet{set: set, han: han}
}

// similarity is the larger of Jaccard and (for big enough sets) containment.
func similarity(a, b shingleSet) float64 {
	if len(a.set) == 0 || len(b.set) == 0 {
		return 0
	}
	small, large := a.set, b.set
	if len(small) > len(large) {
		small, large = large, small
	}
	inter := 0
	for k := range small {
		if _, ok := large[k]; ok {
			inter++
		}
	}
	j := float64(inter) / float64(len(a.set)+len(b.set)-inter)
	if len(small) >= containmentMinSet {
		c := float64(inter) / float64(len(small))
		if c >= EchoContainment && c > j {
			// Report containment on the Jaccard scale's threshold so one
			// number decides: a full quote scores as high as a copy.
			return c
		}
	}
	return j
}

// crossLanguage scores an alphabetic passage against a Han one by
// dictionary glosses (annotate/overlap): a translation scores high, two
// passages that merely share a topic share only its few words.
func crossLanguage(latin, han string) float64 { return overlap.Similarity(latin, han) }
