package claims

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"gloss/annotate/lexicon"
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
// dictionary glosses: the F1 of the English content words found among the
// glosses of the Chinese words and of the Chinese words glossed by one of
// the English words. A translation scores high; two passages that merely
// share a topic share only its few words.
//
// The link-suggestion engine's scores rank sentences within one original
// and are not comparable across pairs, so they cannot serve as a threshold
// here (it exports no absolute pair score).
func crossLanguage(latin, han string) float64 {
	en := map[string]bool{}
	for _, w := range latinWords(latin) {
		en[w] = true
	}
	if len(en) == 0 {
		return 0
	}
	glossed := map[string]bool{}
	zhWords, zhHit := 0, 0
	r := []rune(han)
	for _, sp := range lexicon.Segment(r) {
		w := string(r[sp[0]:sp[1]])
		if !lexicon.IsHan(r[sp[0]]) {
			for _, x := range latinWords(w) {
				glossed[x] = true // digits and Latin names match as written
			}
			continue
		}
		if sp[1]-sp[0] == 1 && strings.ContainsRune(zhFunction, r[sp[0]]) {
			continue
		}
		var stems []string
		for _, g := range lexicon.Glosses(w) {
			stems = append(stems, latinWords(g)...)
		}
		if len(stems) == 0 {
			continue
		}
		zhWords++
		hit := false
		for _, s := range stems {
			glossed[s] = true
			if en[s] {
				hit = true
			}
		}
		if hit {
			zhHit++
		}
	}
	enHit := 0
	for w := range en {
		if glossed[w] {
			enHit++
		}
	}
	if zhWords == 0 || enHit == 0 {
		return 0
	}
	p, q := float64(zhHit)/float64(zhWords), float64(enHit)/float64(len(en))
	return 2 * p * q / (p + q)
}

// zhFunction: single characters that are grammar, not content.
const zhFunction = "的地得了着过在是和与及也都就而将被把对于以之其这那个等并或但又还让给向从到为由所说有没不很会能要可已我你他她它们吗吧呢则才再更最此该各每些来去出起么"

var enStop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the a an and or of to in on at by for from with as is are was were be been being
that this these those it its he she they them his her their we our you your i not no but if than then so
such also will would shall should may might can could has have had do does did which who whom what when
where there here into onto upon about over after before said says say sb sth etc one used kind type form`) {
		enStop[w] = true
	}
}

// latinWords returns the content words of Latin text, lower-cased and cut
// to a five-letter stem (verify/verified, citizen/citizens meet) and the
// numbers as written without separators.
func latinWords(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ',' }) {
		f = strings.Trim(strings.ReplaceAll(f, ",", ""), ",")
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
		}
		out = append(out, f)
	}
	return out
}
