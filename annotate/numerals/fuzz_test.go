package numerals

import (
	"testing"
	"unicode/utf8"
)

// FuzzScan: any text yields numbers whose spans lie inside it, in order,
// without overlap, with the expression covering its numeral.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"more than 37,000", "24000多起", "tens of thousands of", "约2.4万人左右", "二〇二三年", "twenty-four thousand and five", "25-percent", "百分之五十", "1,2,3", "9.9.9", "数", "上万"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		r := []rune(s)
		last := 0
		for _, n := range Scan(s) {
			if n.Start < last || n.Start > n.NumStart || n.NumStart >= n.NumEnd || n.NumEnd > n.End || n.End > len(r) {
				t.Fatalf("bad span %+v in %q (previous end %d)", n, s, last)
			}
			if n.Text != string(r[n.Start:n.End]) {
				t.Fatalf("text %q is not the span of %q", n.Text, s)
			}
			if lo, hi := n.Bounds(); lo > hi {
				t.Fatalf("bounds %v > %v for %+v", lo, hi, n)
			}
			last = n.End
		}
	})
}
