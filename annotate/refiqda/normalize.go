package refiqda

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// posMap maps code-point positions in a text as received to positions in
// the text as Gloss stores it. A position inside a span that normalisation
// rewrote (a CRLF pair, a decomposed accent) maps to the span's start when
// it starts a selection and to the span's end when it ends one, so a
// selection never loses characters it covered.
type posMap struct {
	lo, hi []int // indexed by old position 0..oldLen; nil means identity
}

func (m posMap) start(i int) int {
	if m.lo == nil {
		return i
	}
	return m.lo[i]
}

func (m posMap) end(i int) int {
	if m.hi == nil {
		return i
	}
	return m.hi[i]
}

// normalizeText applies Gloss's normalisation (CRLF and lone CR to LF, then
// NFC) and returns the position map from the old text to the new.
func normalizeText(s string) (string, posMap) {
	if !strings.ContainsRune(s, '\r') && norm.NFC.IsNormalString(s) {
		return s, posMap{}
	}
	s1, m1 := rewrite(s, nextLineSpan)
	s2, m2 := rewrite(s1, nextNFCSpan)
	n := utf8.RuneCountInString(s)
	m := posMap{lo: make([]int, n+1), hi: make([]int, n+1)}
	for i := 0; i <= n; i++ {
		m.lo[i] = m2.lo[m1.lo[i]]
		m.hi[i] = m2.hi[m1.hi[i]]
	}
	return s2, m
}

// spanFunc returns the byte length of the next span of s and its replacement.
type spanFunc func(s string) (n int, repl string)

func nextLineSpan(s string) (int, string) {
	if s[0] == '\r' {
		if len(s) > 1 && s[1] == '\n' {
			return 2, "\n"
		}
		return 1, "\n"
	}
	i := strings.IndexByte(s, '\r')
	if i < 0 {
		i = len(s)
	}
	return i, s[:i]
}

// nextNFCSpan cuts at normalisation boundaries, where normalising pieces
// separately gives the same result as normalising the whole.
func nextNFCSpan(s string) (int, string) {
	if n := norm.NFC.QuickSpanString(s); n > 0 {
		return n, s[:n] // already normal up to a boundary
	}
	n := norm.NFC.NextBoundaryInString(s, true)
	if n <= 0 {
		n = len(s)
	}
	return n, norm.NFC.String(s[:n])
}

// rewrite replaces s span by span and records where each old position lands.
func rewrite(s string, next spanFunc) (string, posMap) {
	n := utf8.RuneCountInString(s)
	m := posMap{lo: make([]int, n+1), hi: make([]int, n+1)}
	var b strings.Builder
	b.Grow(len(s))
	oldPos, newPos := 0, 0
	for len(s) > 0 {
		k, repl := next(s)
		span := s[:k]
		s = s[k:]
		oldN, newN := utf8.RuneCountInString(span), utf8.RuneCountInString(repl)
		b.WriteString(repl)
		if span == repl {
			for i := 0; i < oldN; i++ {
				m.lo[oldPos+i], m.hi[oldPos+i] = newPos+i, newPos+i
			}
		} else {
			m.lo[oldPos], m.hi[oldPos] = newPos, newPos
			for i := 1; i < oldN; i++ {
				m.lo[oldPos+i], m.hi[oldPos+i] = newPos, newPos+newN
			}
		}
		oldPos += oldN
		newPos += newN
	}
	m.lo[oldPos], m.hi[oldPos] = newPos, newPos
	return b.String(), m
}
