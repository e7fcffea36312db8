package lexicon

import "testing"

// FuzzWordAt: the word at i always contains i and stays inside the text;
// Segment's spans are in order and never empty.
func FuzzWordAt(f *testing.F) {
	f.Add("中国驻美国大使馆 it's 2.4 😀", 3)
	f.Add("", 0)
	f.Fuzz(func(t *testing.T, s string, i int) {
		r := []rune(s)
		st, en := WordAt(r, i)
		if i >= 0 && i < len(r) {
			if !(st <= i && i < en && en <= len(r) && st >= 0) {
				t.Fatalf("WordAt(%q, %d) = %d,%d", s, i, st, en)
			}
		} else if st != en {
			t.Fatalf("WordAt out of range = %d,%d", st, en)
		}
		prev := 0
		for _, w := range Segment(r) {
			if w[0] < prev || w[1] <= w[0] || w[1] > len(r) {
				t.Fatalf("Segment(%q) bad span %v", s, w)
			}
			prev = w[1]
		}
	})
}
