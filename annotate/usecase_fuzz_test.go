package annotate

import (
	"testing"
	"time"
	"unicode/utf8"
)

// A passage comes from the command line or the window as any quote or any
// pair of numbers: selecting it never panics, and what it selects is
// exactly that text.
func FuzzSelectPassage(f *testing.F) {
	f.Add("中美合作遣返非法移民。美方表示欢迎。", "美方", 0, 0)
	f.Add("ab😀中文cd", "", 2, 5)
	f.Add("e\u0301 café", "é", -1, 99)
	f.Add("aaa", "a", 3, 1)
	f.Fuzz(func(t *testing.T, text, quote string, start, end int) {
		if !utf8.ValidString(text) {
			t.Skip("sources hold valid UTF-8; import decodes to it")
		}
		x := NewIndex(&Project{Sources: []Source{{ID: "s", Kind: KindOriginal, Text: text}}})
		sel, err := x.Select(Passage{SourceID: "s", Quote: quote, Start: start, End: end})
		if err != nil {
			return
		}
		if got := x.Text("s").Slice(sel.Start, sel.End); got != sel.Exact {
			t.Fatalf("selector %+v does not quote its own span %q", sel, got)
		}
		if quote != "" && sel.Exact != quote {
			t.Fatalf("quote %q selected %q", quote, sel.Exact)
		}
		if _, _, err := x.Tag(Passage{SourceID: "s", Quote: quote, Start: start, End: end}, Tags{Codes: []string{quote}}, "", time.Now()); err != nil && quote != "" && len(quote) < 200 {
			// A quote that selects is also a fine code name unless blank.
			if _, e := x.EnsureCode(&Change{}, quote); e == nil {
				t.Fatalf("tag refused what select accepted: %v", err)
			}
		}
	})
}
