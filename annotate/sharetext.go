package annotate

import (
	"slices"
	"unicode/utf8"
)

// shareText points the quote, prefix and suffix of each annotation at
// its source's text where they are that very text (an exact anchor):
// a slice of a string shares its memory, so a loaded project holds each
// passage once, in the text, not again per annotation (at 200,000
// annotations that is most of their memory). Selectors that differ from
// the text (fuzzy or orphaned anchors) keep their own strings. The
// values do not change, only where their bytes live.
func shareText(text string, anns []Annotation) {
	if len(anns) == 0 || text == "" {
		return
	}
	// Byte offsets of the code points the selectors need, found in one
	// walk over the text.
	want := make([]int, 0, 4*len(anns))
	for i := range anns {
		s := &anns[i].Selector
		want = append(want, s.Start-utf8.RuneCountInString(s.Prefix), s.Start, s.End, s.End+utf8.RuneCountInString(s.Suffix))
	}
	slices.Sort(want)
	want = slices.Compact(want)
	at := make([]int, len(want)) // byte offset of want[k]; -1 when outside the text
	for k := range at {
		at[k] = -1
	}
	k := 0
	for k < len(want) && want[k] < 0 {
		k++
	}
	cp := 0
	for b := range text {
		for k < len(want) && want[k] == cp {
			at[k] = b
			k++
		}
		cp++
		if k == len(want) {
			break
		}
	}
	if k < len(want) && want[k] == cp {
		at[k] = len(text)
	}
	byteAt := func(p int) int {
		if k, ok := slices.BinarySearch(want, p); ok {
			return at[k]
		}
		return -1
	}
	slice := func(from, to int, cur *string) {
		b0, b1 := byteAt(from), byteAt(to)
		if b0 >= 0 && b1 >= b0 && text[b0:b1] == *cur {
			*cur = text[b0:b1]
		}
	}
	for i := range anns {
		s := &anns[i].Selector
		slice(s.Start, s.End, &s.Exact)
		if s.Prefix != "" {
			slice(s.Start-utf8.RuneCountInString(s.Prefix), s.Start, &s.Prefix)
		}
		if s.Suffix != "" {
			slice(s.End, s.End+utf8.RuneCountInString(s.Suffix), &s.Suffix)
		}
	}
}
