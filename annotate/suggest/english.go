package suggest

import (
	"strings"
	"sync"
	"unicode"
)

// stopwords carry no evidence: function words, plus words that glosses use
// as scaffolding ("to", "sb", "sth", "etc").
var stopwords = toSet(`a about above after again against all am an and any are aren't as at be
because been before being below between both but by can can't cannot could couldn't did didn't do
does doesn't doing don't down during each few for from further had hadn't has hasn't have haven't
having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of
off on once only or other ought our ours ourselves out own same shan't she she'd she'll she's
should shouldn't so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those through to too under until up very
was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your
yours yourself yourselves also just into onto upon via per will shall may might must sb sth
etc one one's oneself s t e g ie eg esp usu lit fig abbr variant used kind type form sort thing
something someone bound literary classical particle also-pr pr`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// synonyms maps a stem to shared concept keys, so that the usual ways news
// English names a country or institution meet the dictionary's glosses
// (美国 is glossed "United States; USA; US", never "American"). Capital
// cities also stand for their governments in news English.
var synonyms = map[string][]string{
	"america": {"usa"}, "american": {"usa"}, "us": {"usa"}, "usa": {"usa"}, "u.s": {"usa"},
	"washington": {"usa"},
	"china":      {"china"}, "chines": {"china"}, "prc": {"china"}, "beij": {"china"},
	"mexico": {"mexico"}, "mexican": {"mexico"},
	"russia": {"russia"}, "russian": {"russia"}, "moscow": {"russia"},
	"britain": {"uk"}, "british": {"uk"}, "uk": {"uk"}, "u.k": {"uk"}, "london": {"uk"},
	"japan": {"japan"}, "japanes": {"japan"}, "tokyo": {"japan"},
	"taiwan": {"taiwan"}, "taiwanes": {"taiwan"}, "taipei": {"taiwan"},
	"administr": {"govern"}, "govern": {"govern"}, "authoriti": {"govern"},
	"spokesperson": {"spokesman"}, "spokeswoman": {"spokesman"}, "spokesman": {"spokesman"},
}

// token is a word of Latin script.
type token struct {
	word  string // lower case
	orig  string // as written
	start int
	han   bool // touches a Chinese character
}

// latinTokens splits the Latin-script words out of r (Chinese characters
// and punctuation separate them), keeping internal apostrophes, dotted
// abbreviations (u.s) and digit groups (24,000; 2.4) whole.
func latinTokens(r []rune) []token {
	var out []token
	for i := 0; i < len(r); {
		c := r[i]
		if !(unicode.IsLetter(c) || unicode.IsDigit(c)) || unicode.Is(unicode.Han, c) {
			i++
			continue
		}
		j := i + 1
		for j < len(r) {
			c := r[j]
			if (unicode.IsLetter(c) || unicode.IsDigit(c)) && !unicode.Is(unicode.Han, c) {
				j++
				continue
			}
			if (c == '\'' || c == '’' || c == '.' || c == '-') && j+1 < len(r) && unicode.IsLetter(r[j+1]) && !unicode.Is(unicode.Han, r[j+1]) {
				// "don't", "U.S", "high-level": keep apostrophes and dotted
				// abbreviations whole; a hyphen joins too and is split below.
				j++
				continue
			}
			if (c == '.' || c == ',') && j+1 < len(r) && unicode.IsDigit(r[j+1]) && unicode.IsDigit(r[j-1]) {
				j++
				continue
			}
			break
		}
		w := string(r[i:j])
		if strings.Contains(w, "-") && !isNumberish(w) {
			// Split hyphenated words but keep the parts' offsets.
			off := i
			for _, part := range strings.Split(w, "-") {
				if part != "" {
					out = append(out, token{word: normApos(strings.ToLower(part)), orig: part, start: off})
				}
				off += len([]rune(part)) + 1
			}
		} else {
			han := (i > 0 && unicode.Is(unicode.Han, r[i-1])) || (j < len(r) && unicode.Is(unicode.Han, r[j]))
			out = append(out, token{word: normApos(strings.ToLower(w)), orig: w, start: i, han: han})
		}
		i = j
	}
	return out
}

func normApos(s string) string { return strings.ReplaceAll(s, "’", "'") }

func isNumberish(w string) bool {
	for _, c := range w {
		if unicode.IsDigit(c) {
			return true
		}
	}
	return false
}

// stem reduces an English word to its Porter stem (M. F. Porter, 1980),
// after dropping a possessive; dotted abbreviations (u.s) stay as written.
func stem(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.TrimSuffix(w, "'")
	if strings.ContainsAny(w, ".'") || len(w) <= 2 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return w // not plain ASCII English
		}
	}
	stemMu.RLock()
	st, ok := stemCache[w]
	stemMu.RUnlock()
	if ok {
		return st
	}
	st = porter(w)
	stemMu.Lock()
	if len(stemCache) < 200000 { // bounded: news vocabulary fits well within
		stemCache[w] = st
	}
	stemMu.Unlock()
	return st
}

// The same few thousand words recur in every sentence and gloss.
var (
	stemMu    sync.RWMutex
	stemCache = map[string]string{}
)
