package suggest

import (
	"testing"
	"unicode/utf8"
)

// FuzzSentences: any input splits without panic into in-order,
// non-overlapping spans whose Text is the input at those code points.
func FuzzSentences(f *testing.F) {
	for _, s := range []string{"Mr. A. B. went (to the U.S. ...) home. 好。", "《未闭合。", "2.4万人。\n\nNo. 5!", "\xff\xfe."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := []rune(s)
		prev := 0
		for _, sp := range Sentences(s) {
			if sp.Start < prev || sp.End > len(r) || sp.Start >= sp.End || string(r[sp.Start:sp.End]) != sp.Text {
				t.Fatalf("bad span %d..%d %q in %q", sp.Start, sp.End, sp.Text, s)
			}
			prev = sp.End
		}
	})
}

// FuzzSuggest: any summary and original give one suggestion per summary
// sentence with candidates that are real spans of the original.
func FuzzSuggest(f *testing.F) {
	f.Add("On April 6, Wang Xiaohong met 24,000 people.", "4月6日,王小洪(Wang Xiaohong)会见了两万四千人。")
	f.Add("Nothing.", "")
	f.Fuzz(func(t *testing.T, summary, original string) {
		if !utf8.ValidString(original) {
			original = string([]rune(original))
		}
		r := []rune(original)
		got := Suggest(summary, original, Options{Max: 3})
		if len(got) != len(Sentences(summary)) {
			t.Fatalf("%d suggestions for %d sentences", len(got), len(Sentences(summary)))
		}
		for _, g := range got {
			if len(g.Candidates) > 3 {
				t.Fatalf("%d candidates", len(g.Candidates))
			}
			for _, c := range g.Candidates {
				if c.Start < 0 || c.End > len(r) || string(r[c.Start:c.End]) != c.Text || c.Score < 0 || c.Score > 1 {
					t.Fatalf("bad candidate %+v", c)
				}
			}
		}
	})
}
