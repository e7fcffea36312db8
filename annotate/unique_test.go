package annotate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A photo caption repeated, as news pages do (once under the photo, once
// in the gallery): the passage's 32-code-point context is the same in both
// places, so only a longer context tells them apart.
func TestUniqueQuoteRepeatedCaption(t *testing.T) {
	caption := "Returning migrants wait in line to board a charter flight at the international airport on Tuesday morning. (Photo: Example Agency)"
	text := "Officials met in the capital.\n" + caption + "\nThe first paragraph of the story.\n" +
		"More text in between, about the talks.\n" + caption + "\nThe gallery ends here.\n"
	tx := NewText(text)
	quote := "charter flight"
	hits := tx.Find(quote)
	if len(hits) != 2 {
		t.Fatalf("fixture: %d hits", len(hits))
	}
	for _, h := range hits {
		sel, err := tx.Select(h, h+utf8.RuneCountInString(quote))
		if err != nil {
			t.Fatal(err)
		}
		if m := tx.QuoteMatches(sel.Exact, sel.Prefix, sel.Suffix); len(m) != 2 {
			t.Fatalf("fixture: the 32-code-point quote should be ambiguous, matches %v", m)
		}
		u := tx.UniqueQuote(sel)
		if m := tx.QuoteMatches(u.Exact, u.Prefix, u.Suffix); len(m) != 1 || m[0] != h {
			t.Errorf("at %d: unique quote matches %v (prefix %q, suffix %q)", h, m, u.Prefix, u.Suffix)
		}
		if u.Start != sel.Start || u.End != sel.End || u.Exact != sel.Exact {
			t.Errorf("position or exact changed: %+v", u)
		}
		if !strings.HasSuffix(u.Prefix, sel.Prefix) || !strings.HasPrefix(u.Suffix, sel.Suffix) {
			t.Errorf("context must only grow: %q / %q", u.Prefix, u.Suffix)
		}
		// The least growth: one code point shorter on both sides is ambiguous again.
		k := max(utf8.RuneCountInString(u.Prefix), utf8.RuneCountInString(u.Suffix))
		pr, sr := []rune(u.Prefix), []rune(u.Suffix)
		shorter := func(r []rune, fromEnd bool) string {
			if len(r) < k {
				return string(r)
			}
			if fromEnd {
				return string(r[1:])
			}
			return string(r[:len(r)-1])
		}
		if m := tx.QuoteMatches(u.Exact, shorter(pr, true), shorter(sr, false)); len(m) < 2 {
			t.Errorf("at %d: context %d is longer than needed", h, k)
		}
	}
	// A unique passage keeps the standard 32 code points.
	h := tx.Find("capital")[0]
	sel, _ := tx.Select(h, h+7)
	if u := tx.UniqueQuote(sel); u != sel {
		t.Errorf("unique passage changed: %+v", u)
	}
}

func TestUniqueQuoteEdges(t *testing.T) {
	for _, c := range []struct {
		text       string
		start, end int
	}{
		{"abab", 0, 2}, {"abab", 2, 4}, {"aaaa", 1, 2}, {"aaaa", 0, 1}, {"aaaa", 3, 4},
		{strings.Repeat("x", 100) + "y" + strings.Repeat("x", 100), 150, 151},
		{"😀😀😀", 1, 2}, {"a", 0, 1},
	} {
		tx := NewText(c.text)
		sel, err := tx.Select(c.start, c.end)
		if err != nil {
			t.Fatal(err)
		}
		u := tx.UniqueQuote(sel)
		if m := tx.QuoteMatches(u.Exact, u.Prefix, u.Suffix); len(m) != 1 || m[0] != c.start {
			t.Errorf("%q %d–%d: matches %v (prefix %q suffix %q)", c.text, c.start, c.end, m, u.Prefix, u.Suffix)
		}
	}
}

// A text that is one paragraph pasted over and over stays fast: no context
// is unique, and the work stops at the MaxContext bound.
func BenchmarkUniqueQuote(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		para := "Migrants board a charter flight at the airport. (Photo: Example Agency)\n"
		text := strings.Repeat(para, n/utf8.RuneCountInString(para))
		tx := NewText(text)
		sel, _ := tx.Select(17, 31)
		b.Run(map[int]string{10000: "cp=10k", 100000: "cp=100k"}[n], func(b *testing.B) {
			for range b.N {
				tx.UniqueQuote(sel)
			}
		})
	}
}

// FuzzUniqueQuote: for any text and passage, the lengthened quote selector
// matches exactly its own passage (texts here are far below MaxContext).
func FuzzUniqueQuote(f *testing.F) {
	f.Add("abab", 0, 2)
	f.Add("aaaa", 1, 2)
	f.Add("🇨🇳🇨🇳 x 🇨🇳🇨🇳", 2, 4)
	f.Add("cap\ncap\ncap", 4, 7)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		if !utf8.ValidString(text) || len(text) > 2000 {
			return
		}
		tx := NewText(text)
		sel, err := tx.Select(start, end)
		if err != nil {
			return
		}
		u := tx.UniqueQuote(sel)
		if m := tx.QuoteMatches(u.Exact, u.Prefix, u.Suffix); len(m) != 1 || m[0] != start {
			t.Fatalf("%q %d–%d: matches %v", text, start, end, m)
		}
	})
}
