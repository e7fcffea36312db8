package annotate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Project-wide search. A query matches where its folded code points equal
// the folded code points of the text: Latin is case-insensitive, full-width
// forms match their half-width twins, and the same quote and space variants
// compare equal as in re-anchoring. Folding is one code point to one code
// point, so a match on folded text is a position on the real text; nothing
// folded is ever stored as text.
//
// The same tokeniser feeds the full-text index in storage (SearchTerms for
// a query, IndexTerms for a text), so the index can only narrow the sources
// to read, never change what matches: every candidate is verified here.

// SearchHit is one occurrence of a query in a source's text.
type SearchHit struct {
	SourceID string `json:"source"`
	Start    int    `json:"start"` // code points in the source's current text
	End      int    `json:"end"`
	Context  string `json:"context"` // the passage around it, on one line
}

// MaxQueryRunes bounds a query; longer input is refused with a message
// rather than searched.
const MaxQueryRunes = 1000

// MaxIndexedWord is the longest word the index files whole; a longer one
// is filed under its first MaxIndexedWord code points and under the empty
// word, which stands for "this text has an over-long word".
const MaxIndexedWord = 64

// contextRunes is how much of the text a hit shows on each side.
const contextRunes = 30

// SearchFold maps a code point to the form search compares: lower case,
// half-width, one quote, dash and space of each kind. It must stay one
// code point to one code point (positions depend on it).
func SearchFold(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII: ，！（）Ａ１ …
		r -= 0xFEE0
		if r == '`' {
			return '\''
		}
		return unicode.ToLower(r)
	}
	switch r {
	case 0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x202F: // ideographic and other spaces
		return ' '
	case 0x3001, 0xFF64: // 、 ､
		return ','
	case 0x3002, 0xFF61: // 。 ｡
		return '.'
	case 0x201C, 0x201D, 0x201E, 0x201F, 0x300C, 0x300D, 0x300E, 0x300F, 0x301D, 0x301E, 0x00AB, 0x00BB:
		return '"'
	case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032:
		return '\''
	case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63:
		return '-'
	case 0x3010, 0x3014, 0x3016:
		return '['
	case 0x3011, 0x3015, 0x3017:
		return ']'
	case 0x3008, 0x300A:
		return '<'
	case 0x3009, 0x300B:
		return '>'
	case 0x30FB:
		return 0x00B7
	}
	if (r >= 0x3040 && r < 0xA640) || (r >= 0xAC00 && r < 0xD800) {
		return r // kana, CJK ideographs, Hangul: no case, and most of a Chinese text
	}
	if l := unicode.ToLower(r); utf8.RuneLen(l) > 0 {
		return l
	}
	return r
}

// isCJK reports scripts written without spaces between words, which the
// index files by character unigrams and bigrams instead of words.
func isCJK(r rune) bool {
	switch {
	case r < 0x2E80:
		return false
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3:
		return true // the common ideographs and Hangul syllables, without a table search
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// isWordRune is part of a word in the spaced scripts (after folding).
func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) && !isCJK(r)
}

// TermKind says how an index term matches the index's keys.
type TermKind uint8

const (
	TermGram   TermKind = iota // a CJK unigram or bigram, exactly
	TermWord                   // a whole word, exactly
	TermPrefix                 // a word starting with Text
	TermSuffix                 // a word ending with Text
	TermInfix                  // a word containing Text
)

// SearchTerm is one thing every text containing the query must contain.
type SearchTerm struct {
	Kind TermKind
	Text string
}

// Query is a parsed search.
type Query struct {
	Raw    string
	folded []rune
}

// ParseQuery checks and folds a query. Leading and trailing white space
// is not part of it.
func ParseQuery(q string) (Query, error) {
	if !utf8.ValidString(q) {
		return Query{}, errors.New("search: the query is not valid UTF-8")
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return Query{}, errors.New("search: the query is empty")
	}
	n := utf8.RuneCountInString(q)
	if n > MaxQueryRunes {
		return Query{}, fmt.Errorf("search: the query is %d characters long; at most %d are searched", n, MaxQueryRunes)
	}
	f := make([]rune, 0, n)
	for _, r := range q {
		f = append(f, SearchFold(r))
	}
	return Query{Raw: q, folded: f}, nil
}

// Len is the query's length in code points.
func (q Query) Len() int { return len(q.folded) }

// Terms lists what a text must contain to match: the CJK bigrams (or the
// one unigram) of each CJK run and the words of the spaced scripts, each
// word anchored as far as the query bounds it. A word at the edge of the
// query may continue in the text ("migra" in "immigration"). A query with
// no terms (only punctuation) must be answered by reading every text.
func (q Query) Terms() []SearchTerm {
	var out []SearchTerm
	seen := map[SearchTerm]bool{}
	add := func(t SearchTerm) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	f := q.folded
	for i := 0; i < len(f); {
		switch {
		case isCJK(f[i]):
			j := i
			for j < len(f) && isCJK(f[j]) {
				j++
			}
			if j-i == 1 {
				add(SearchTerm{TermGram, string(f[i])})
			}
			for k := i; k+1 < j; k++ {
				add(SearchTerm{TermGram, string(f[k : k+2])})
			}
			i = j
		case isWordRune(f[i]):
			j := i
			for j < len(f) && isWordRune(f[j]) {
				j++
			}
			open, close := i == 0, j == len(f) // the text's word may go on
			kind := TermWord
			switch {
			case open && close:
				kind = TermInfix
			case open:
				kind = TermSuffix
			case close:
				kind = TermPrefix
			}
			w := string(f[i:j])
			if j-i > MaxIndexedWord {
				// Filed under a truncated key: only its start can be looked up.
				if kind == TermSuffix || kind == TermInfix {
					i = j
					continue // unconstrained; verification decides
				}
				kind, w = TermPrefix, string(f[i:i+MaxIndexedWord])
			}
			add(SearchTerm{kind, w})
			i = j
		default:
			i++
		}
	}
	return out
}

// IndexTerms calls fn with every index key of a text: 'g' and a CJK
// unigram or bigram, or 'w' and a folded word (cut at MaxIndexedWord; an
// over-long word also yields the empty word). term is only valid during
// the call. Keys repeat; the caller dedupes.
func IndexTerms(text string, fn func(kind byte, term []byte)) {
	var word []byte
	wordLen := 0
	long := false
	prev := -1 // byte length of the previous CJK code point in gram[0:], or -1
	var gram [8]byte
	flush := func() {
		if wordLen == 0 {
			return
		}
		fn('w', word)
		if wordLen > MaxIndexedWord && !long {
			long = true
			fn('w', nil)
		}
		word, wordLen = word[:0], 0
	}
	for _, r := range text {
		r = SearchFold(r)
		switch {
		case isCJK(r):
			flush()
			if prev >= 0 {
				n := utf8.EncodeRune(gram[prev:], r)
				fn('g', gram[prev:prev+n]) // the unigram
				fn('g', gram[:prev+n])     // the bigram
				copy(gram[:], gram[prev:prev+n])
				prev = n
			} else {
				prev = utf8.EncodeRune(gram[:], r)
				fn('g', gram[:prev])
			}
		case isWordRune(r):
			prev = -1
			if wordLen < MaxIndexedWord {
				word = utf8.AppendRune(word, r)
			}
			wordLen++
		default:
			prev = -1
			flush()
		}
	}
	flush()
}

// MatchTerm reports whether an index word (from IndexTerms) satisfies a
// word term.
func MatchTerm(t SearchTerm, word string) bool {
	switch t.Kind {
	case TermWord, TermGram:
		return word == t.Text
	case TermPrefix:
		return strings.HasPrefix(word, t.Text)
	case TermSuffix:
		return strings.HasSuffix(word, t.Text)
	case TermInfix:
		return strings.Contains(word, t.Text)
	}
	return false
}

// Find calls fn with every non-overlapping occurrence of q in text, in
// order, until fn returns false; it returns false when fn stopped it.
// A match whose ends would split a grapheme cluster ("e" inside "é"
// written with a combining accent) is not a hit. It takes time linear in
// the text whatever the query (Knuth–Morris–Pratt over folded code
// points), so no query makes a long text slow.
func (q Query) Find(sourceID, text string, fn func(SearchHit) bool) bool {
	m := len(q.folded)
	if m == 0 || len(text) < m {
		return true
	}
	fail := q.failure()
	var runes []rune // the original text, decoded only when there is a hit
	next := 0        // matches must start here or later (non-overlapping)
	i, k := 0, 0     // position in the text, length of the current partial match
	for _, r := range text {
		f := SearchFold(r)
		for k > 0 && q.folded[k] != f {
			k = fail[k-1]
		}
		if q.folded[k] == f {
			k++
		}
		i++
		if k < m {
			continue
		}
		k = fail[k-1]
		start := i - m
		if start < next {
			continue
		}
		if runes == nil {
			runes = []rune(text)
		}
		if !graphemeSafe(runes, start) || !graphemeSafe(runes, i) {
			continue
		}
		if !fn(SearchHit{SourceID: sourceID, Start: start, End: i, Context: hitContext(runes, start, i)}) {
			return false
		}
		next = i
	}
	return true
}

// failure is the KMP failure function of the folded query: for each
// prefix, the length of its longest proper prefix that is also a suffix.
func (q Query) failure() []int {
	f := make([]int, len(q.folded))
	for i, k := 1, 0; i < len(q.folded); i++ {
		for k > 0 && q.folded[i] != q.folded[k] {
			k = f[k-1]
		}
		if q.folded[i] == q.folded[k] {
			k++
		}
		f[i] = k
	}
	return f
}

// graphemeSafe reports whether position p of text falls on a grapheme
// cluster boundary. Only the code points around p decide it for every
// case but runs of regional indicators, which pair up from the start of
// the run; those are counted.
func graphemeSafe(rs []rune, p int) bool {
	if p <= 0 || p >= len(rs) {
		return true
	}
	a, b := rs[p-1], rs[p]
	switch {
	case a == '\r' && b == '\n':
		return false
	case a == '\r' || a == '\n' || b == '\r' || b == '\n':
		return true
	case unicode.IsMark(b), b == 0x200D, b >= 0xFE00 && b <= 0xFE0F, b >= 0xE0100 && b <= 0xE01EF,
		b >= 0x1F3FB && b <= 0x1F3FF, b >= 0xE0020 && b <= 0xE007F:
		return false // a combining mark, ZWJ, variation selector, skin tone or tag joins what precedes
	case a == 0x200D && (unicode.Is(unicode.So, b) || b >= 0x1F000):
		return false // inside a ZWJ emoji sequence
	case isHangulJamo(a) && isHangulJamo(b):
		return !hangulJoins(a, b)
	case isRegional(a) && isRegional(b):
		n := 0
		for k := p - 1; k >= 0 && isRegional(rs[k]); k-- {
			n++
		}
		return n%2 == 0 // flags pair up from the start of the run
	case unicode.Is(unicode.Prepended_Concatenation_Mark, a):
		return false
	}
	return true
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

func isHangulJamo(r rune) bool {
	return (r >= 0x1100 && r <= 0x11FF) || (r >= 0xAC00 && r <= 0xD7A3) || (r >= 0xA960 && r <= 0xA97F) || (r >= 0xD7B0 && r <= 0xD7FF)
}

// hangulJoins is UAX #29 rules GB6–GB8 for conjoining jamo.
func hangulJoins(a, b rune) bool {
	lead := func(r rune) bool { return (r >= 0x1100 && r <= 0x115F) || (r >= 0xA960 && r <= 0xA97C) }
	vowel := func(r rune) bool { return (r >= 0x1160 && r <= 0x11A7) || (r >= 0xD7B0 && r <= 0xD7C6) }
	trail := func(r rune) bool { return (r >= 0x11A8 && r <= 0x11FF) || (r >= 0xD7CB && r <= 0xD7FB) }
	lv := func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 && (r-0xAC00)%28 == 0 }
	lvt := func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 && (r-0xAC00)%28 != 0 }
	switch {
	case lead(a):
		return lead(b) || vowel(b) || lv(b) || lvt(b)
	case lv(a) || vowel(a):
		return vowel(b) || trail(b)
	case lvt(a) || trail(a):
		return trail(b)
	}
	return false
}

// hitContext is the passage around a hit, on one line.
func hitContext(rs []rune, start, end int) string {
	a, b := max(0, start-contextRunes), min(len(rs), end+contextRunes)
	s := strings.Join(strings.Fields(string(rs[a:b])), " ")
	if a > 0 {
		s = "…" + s
	}
	if b < len(rs) {
		s += "…"
	}
	return s
}

// SearchTexts is search without an index: it reads every text of sources
// in the order given, streaming hits to fn until fn returns false or ctx
// is cancelled (then it returns ctx's error). Stores without a full-text
// index, and the in-memory store, answer with it.
func SearchTexts(ctx context.Context, q string, sources iter.Seq2[string, string], fn func(SearchHit) bool) error {
	pq, err := ParseQuery(q)
	if err != nil {
		return err
	}
	for id, text := range sources {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !pq.Find(id, text, fn) {
			return nil
		}
	}
	return ctx.Err()
}
