package figures

import (
	"testing"
	"unicode/utf8"

	"gloss/annotate"
)

// FuzzExtract: any text gives figures whose spans lie inside it and inside
// their passage, and grouping them never fails.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{enHarbour, zhHarbour, enAgree, "前一年的2000多起", "the previous year 5,000 people", "图3 80后 12:51 0 bytes", "此类事件24000多起"} {
		f.Add(s, "2024-03-01")
	}
	f.Fuzz(func(t *testing.T, text, pub string) {
		if !utf8.ValidString(text) {
			return
		}
		n := utf8.RuneCountInString(text)
		figs := Extract(annotate.Source{ID: "s", Published: pub}, text)
		for _, fg := range figs {
			num := fg.Number
			if num.Start < 0 || num.End > n || num.Start >= num.End {
				t.Fatalf("span %d–%d outside %d runes", num.Start, num.End, n)
			}
			if fg.Passage.Start > num.NumStart || fg.Passage.End < num.NumEnd {
				t.Fatalf("passage %d–%d does not hold number %d–%d", fg.Passage.Start, fg.Passage.End, num.NumStart, num.NumEnd)
			}
		}
		Groups(figs, Overrides{Split: []string{"s:0-1"}, Merge: [][]string{{"x", "s:0-1"}}})
	})
}
