package annotate

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// ContextLen is how many code points of prefix and suffix a selector keeps.
const ContextLen = 32

// Selector locates a passage twice over, as the W3C Web Annotation model
// does: by position (code points, end exclusive) and by quote with context,
// so a passage can be found again if positions ever drift.
type Selector struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Exact  string `json:"exact"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

// Len is the passage length in code points.
func (s Selector) Len() int { return s.End - s.Start }

// Overlaps reports whether two selectors share at least one code point.
func (s Selector) Overlaps(o Selector) bool { return s.Start < o.End && o.Start < s.End }

// Text is a source text indexed by code point. Building one costs a pass
// over the text; reuse it when making many selectors on one source.
type Text struct {
	s     string
	runes []rune
	// at[k] is the byte offset in s of code point k*atStride, so that a
	// selector's quote, prefix and suffix are cut from s, sharing its
	// memory, instead of each being a new string (after importing
	// 200,000 annotations, 26 MB of copies in the window). Nil when s is
	// not valid UTF-8: its runes then differ from its bytes.
	at []int32
}

// atStride is how many code points apart the byte offsets in Text.at are:
// finding one walks at most atStride-1 code points from the last.
const atStride = 32

// NewText indexes s by code point.
func NewText(s string) *Text {
	t := &Text{s: s, runes: []rune(s)}
	if int64(len(s)) > math.MaxInt32 {
		return t
	}
	at := make([]int32, 0, len(t.runes)/atStride+1)
	i := 0
	for b, r := range s {
		if r == utf8.RuneError {
			if _, w := utf8.DecodeRuneInString(s[b:]); w == 1 {
				return t // invalid: at stays nil
			}
		}
		if i%atStride == 0 {
			at = append(at, int32(b))
		}
		i++
	}
	t.at = at
	return t
}

// cut returns code points [start, end) (within the text) as a string:
// a part of the text itself when it can, else a copy.
func (t *Text) cut(start, end int) string {
	if t.at == nil {
		return string(t.runes[start:end])
	}
	return t.s[t.byteAt(start):t.byteAt(end)]
}

// byteAt is the byte offset of code point i (0 ≤ i ≤ Len()); t.at is set.
func (t *Text) byteAt(i int) int {
	if i >= len(t.runes) {
		return len(t.s)
	}
	k := i / atStride
	b := int(t.at[k])
	for n := i - k*atStride; n > 0; n-- {
		_, w := utf8.DecodeRuneInString(t.s[b:])
		b += w
	}
	return b
}

// String returns the text.
func (t *Text) String() string { return t.s }

// Len is the number of code points.
func (t *Text) Len() int { return len(t.runes) }

// Slice returns code points [start, end) as a string, clamped to the text.
func (t *Text) Slice(start, end int) string {
	start = max(0, min(start, len(t.runes)))
	end = max(start, min(end, len(t.runes)))
	return string(t.runes[start:end])
}

// RuneSlice is code points [start, end) of s as a string, clamped to s
// as Text.Slice is, found by walking s: for a few quotes of a text,
// cheaper than indexing it whole (NewText).
func RuneSlice(s string, start, end int) string {
	start = max(0, start)
	i, j, _ := runeBytes(s, start, max(start, end))
	return s[i:j]
}

// runeBytes finds where code points start and end (0 <= start <= end)
// begin in s, walking no further than end; n is how many code points it
// passed, less than end when s is shorter.
func runeBytes(s string, start, end int) (i, j, n int) {
	for n < start && i < len(s) {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		n++
	}
	j = i
	for n < end && j < len(s) {
		_, w := utf8.DecodeRuneInString(s[j:])
		j += w
		n++
	}
	return i, j, n
}

// Select builds the selector for code points [start, end).
func (t *Text) Select(start, end int) (Selector, error) {
	if start < 0 || end > len(t.runes) || start >= end {
		return Selector{}, fmt.Errorf("selection %d–%d is outside the text (0–%d) or empty", start, end, len(t.runes))
	}
	return Selector{
		Start:  start,
		End:    end,
		Exact:  t.cut(start, end),
		Prefix: t.cut(max(0, start-ContextLen), start),
		Suffix: t.cut(end, min(len(t.runes), end+ContextLen)),
	}, nil
}

// Check verifies that sel still matches the text at its position.
func (t *Text) Check(sel Selector) error {
	if sel.Exact == "" {
		return fmt.Errorf("quote is empty")
	}
	if sel.Start < 0 || sel.End > len(t.runes) || sel.Start >= sel.End {
		return fmt.Errorf("position %d–%d is outside the text (0–%d)", sel.Start, sel.End, len(t.runes))
	}
	if got := string(t.runes[sel.Start:sel.End]); got != sel.Exact {
		return fmt.Errorf("quote %q does not match the text at %d–%d (%q)", clip(sel.Exact), sel.Start, sel.End, clip(got))
	}
	return nil
}

// Find returns the code-point offsets of every occurrence of quote.
func (t *Text) Find(quote string) []int {
	if quote == "" {
		return nil
	}
	var out []int
	s := t.s
	base, runeBase := 0, 0
	for {
		i := strings.Index(s[base:], quote)
		if i < 0 {
			return out
		}
		runeBase += utf8.RuneCountInString(s[base : base+i])
		out = append(out, runeBase)
		// Step one rune past the match start so overlapping hits are found.
		_, w := utf8.DecodeRuneInString(s[base+i:])
		base += i + w
		runeBase++
	}
}

// Anchor re-finds a selector whose position no longer matches, using its
// quote and context; it reports false when the quote is gone or ambiguous.
func (t *Text) Anchor(sel Selector) (Selector, bool) {
	if t.Check(sel) == nil {
		return sel, true
	}
	hits := t.Find(sel.Exact)
	n := utf8.RuneCountInString(sel.Exact)
	var best []int
	for _, h := range hits {
		cand, _ := t.Select(h, h+n)
		if strings.HasSuffix(cand.Prefix, sel.Prefix) && strings.HasPrefix(cand.Suffix, sel.Suffix) {
			best = append(best, h)
		}
	}
	if len(best) == 0 && len(hits) == 1 {
		best = hits
	}
	if len(best) != 1 {
		return Selector{}, false
	}
	s, err := t.Select(best[0], best[0]+n)
	return s, err == nil
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}

// CheckIn verifies sel against text without indexing the whole text: it
// walks only to the end of the passage, so saving an annotation on a long
// source stays cheap.
func CheckIn(text string, sel Selector) error {
	if sel.Exact == "" {
		return fmt.Errorf("quote is empty")
	}
	if sel.Start < 0 || sel.Start >= sel.End {
		return fmt.Errorf("position %d–%d is empty or negative", sel.Start, sel.End)
	}
	i, j, n := runeBytes(text, sel.Start, sel.End)
	if n < sel.End {
		return fmt.Errorf("position %d–%d is outside the text (0–%d)", sel.Start, sel.End, n)
	}
	if got := text[i:j]; got != sel.Exact {
		return fmt.Errorf("quote %q does not match the text at %d–%d (%q)", clip(sel.Exact), sel.Start, sel.End, clip(got))
	}
	return nil
}
