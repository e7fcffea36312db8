package anchor

import (
	"testing"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"

	"gloss/annotate"
)

// FuzzReanchor: any old text, new text and selection never panics or
// hangs; a placed selector matches the new text on grapheme boundaries;
// an orphan keeps its selector; Resolve obeys the same rules.
func FuzzReanchor(f *testing.F) {
	f.Add("The ministry said on Tuesday.", "UPDATED: The ministry said on Tuesday.", 4, 12)
	f.Add("两国将在遣返航班问题上开展合作，双方官员上周会面。", "两国将在遣返航班问题上开展合作,双方官员上周会面。", 2, 10)
	f.Add("e\u0301a\u0301 flags 🇺🇸🇨🇳 family 👨\u200d👩\u200d👧", "x e\u0301a\u0301 flags 🇨🇳🇺🇸 family 👨\u200d👩", 0, 4)
	f.Add("aaaa aaaa aaaa", "aaa aaaa aaaaa", 5, 9)
	f.Add("line one\r\nline two\r\n", "line one\nline two\n", 10, 18)
	f.Fuzz(func(t *testing.T, old, new string, start, end int) {
		if !utf8.ValidString(old) || !utf8.ValidString(new) || len(old) > 4000 || len(new) > 4000 {
			return
		}
		ot := annotate.NewText(old)
		if ot.Len() == 0 {
			return
		}
		start = abs(start) % ot.Len()
		end = start + 1 + abs(end)%(ot.Len()-start)
		sel, err := ot.Select(start, end)
		if err != nil {
			t.Fatal(err)
		}
		nt := annotate.NewText(new)
		bounds := graphemeBounds(new)
		check := func(how string, got annotate.Selector, st annotate.AnchorState, score float64) {
			switch st {
			case annotate.AnchorOrphan:
				if got != sel || score != 0 {
					t.Fatalf("%s: orphan changed its selector or scored: %+v %v", how, got, score)
				}
			case annotate.AnchorExact, annotate.AnchorShifted, annotate.AnchorFuzzy:
				if err := nt.Check(got); err != nil {
					t.Fatalf("%s: %s selector does not match the new text: %v", how, st, err)
				}
				if !bounds[got.Start] || !bounds[got.End] {
					t.Fatalf("%s: %d–%d splits a grapheme of %q", how, got.Start, got.End, new)
				}
				if score <= 0 || score > 1 || (st != annotate.AnchorFuzzy && score != 1) {
					t.Fatalf("%s: %s with score %v", how, st, score)
				}
				if st == annotate.AnchorExact && (got.Start != sel.Start || got.Exact != sel.Exact) {
					t.Fatalf("%s: exact but moved: %+v from %+v", how, got, sel)
				}
			default:
				t.Fatalf("%s: state %q", how, st)
			}
		}
		r := NewMapper(old, new).Reanchor(sel)
		check("Reanchor", r.Selector, r.State, r.Score)
		if old == new && r.State != annotate.AnchorExact && bounds[sel.Start] && bounds[sel.End] {
			t.Fatalf("unchanged text: %s", r.State)
		}
		got, st, score := Resolve(nt, sel)
		check("Resolve", got, st, score)
	})
}

// graphemeBounds marks the code-point offsets of grapheme boundaries, by
// the UAX #29 implementation directly.
func graphemeBounds(s string) map[int]bool {
	b := map[int]bool{0: true}
	it := graphemes.FromString(s)
	n := 0
	for it.Next() {
		n += utf8.RuneCountInString(it.Value())
		b[n] = true
	}
	return b
}
