package anchor

import (
	"math/rand"
	"strings"
	"testing"

	"gloss/annotate"
)

func sel(t *testing.T, text, quote string, nth int) annotate.Selector {
	t.Helper()
	tx := annotate.NewText(text)
	hits := tx.Find(quote)
	if len(hits) <= nth {
		t.Fatalf("fixture: %q occurs %d times", quote, len(hits))
	}
	s, err := tx.Select(hits[nth], hits[nth]+len([]rune(quote)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const en = "The ministry said on Tuesday that the two countries would work together on repatriation flights. " +
	"Officials from both sides met in Beijing last week to agree the details.\n\n" +
	"Critics said the arrangement left too many questions open. A spokesman declined to comment further."

const zh = "外交部发言人周二表示，两国将在遣返航班问题上开展合作。双方官员上周在北京会面，商定了有关细节。\n\n" +
	"批评人士说，这一安排留下了太多悬而未决的问题。一名发言人拒绝进一步置评。"

func TestReanchorStates(t *testing.T) {
	cases := []struct {
		name, old, new, quote string
		nth                   int
		want                  annotate.AnchorState
		wantQuote             string // "" means the quote itself
	}{
		{"unchanged", en, en, "two countries would work together", 0, annotate.AnchorExact, ""},
		{"edit after", en, strings.Replace(en, "declined", "refused", 1), "two countries would work together", 0, annotate.AnchorExact, ""},
		{"insert before", en, "UPDATED: " + en, "two countries would work together", 0, annotate.AnchorShifted, ""},
		{"paragraph on top", en, "A new first paragraph, written later.\n\n" + en, "Critics said", 0, annotate.AnchorShifted, ""},
		{"word changed inside", en, strings.Replace(en, "met in Beijing last week", "met in Beijing earlier this week", 1),
			"Officials from both sides met in Beijing last week to agree", 0, annotate.AnchorFuzzy,
			"Officials from both sides met in Beijing earlier this week to agree"},
		{"deleted", en, strings.Replace(en, "Officials from both sides met in Beijing last week to agree the details.", "", 1),
			"both sides met in Beijing", 0, annotate.AnchorOrphan, ""},
		{"zh comma widths", zh, strings.ReplaceAll(zh, "，", ","), "周二表示，两国将在遣返航班问题上", 0, annotate.AnchorShifted, "周二表示,两国将在遣返航班问题上"},
		{"zh word fixed", zh, strings.Replace(zh, "商定了有关细节", "敲定了有关细节", 1), "双方官员上周在北京会面，商定了有关细节。", 0, annotate.AnchorFuzzy, "双方官员上周在北京会面，敲定了有关细节。"},
		{"zh paragraph deleted", zh, strings.Replace(zh, "批评人士说，这一安排留下了太多悬而未决的问题。", "", 1), "这一安排留下了太多", 0, annotate.AnchorOrphan, ""},
		{"paragraphs swapped", en, "Critics said the arrangement left too many questions open. A spokesman declined to comment further.\n\n" +
			"The ministry said on Tuesday that the two countries would work together on repatriation flights. " +
			"Officials from both sides met in Beijing last week to agree the details.", "met in Beijing last week", 0, annotate.AnchorShifted, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := sel(t, c.old, c.quote, c.nth)
			r := NewMapper(c.old, c.new).Reanchor(s)
			if r.State != c.want {
				t.Fatalf("state %s (score %.2f, %q), want %s", r.State, r.Score, r.Selector.Exact, c.want)
			}
			want := c.wantQuote
			if want == "" {
				want = c.quote
			}
			if r.State == annotate.AnchorOrphan {
				if r.Selector != s {
					t.Fatalf("orphan changed its selector: %+v", r.Selector)
				}
				return
			}
			if r.Selector.Exact != want {
				t.Fatalf("quote %q, want %q", r.Selector.Exact, want)
			}
			if err := annotate.NewText(c.new).Check(r.Selector); err != nil {
				t.Fatal(err)
			}
			if r.State == annotate.AnchorFuzzy && (r.Score < FuzzyThreshold || r.Score >= 1) {
				t.Fatalf("fuzzy score %.3f", r.Score)
			}
		})
	}
}

// A quote that occurs twice with the same context is not guessed.
func TestAmbiguousIsOrphan(t *testing.T) {
	para := "The same boilerplate sentence appears in both places here."
	old := para + "\n\nMiddle text that will be removed entirely from the article.\n\n" + para
	s := sel(t, old, "boilerplate", 0)
	s.Start, s.End = 2, 13 // a position that no longer means anything
	newText := para + "\n\n" + para
	m := NewMapper("unrelated old text entirely", newText)
	if r := m.Reanchor(s); r.State != annotate.AnchorOrphan {
		t.Fatalf("ambiguous quote placed as %s at %d", r.State, r.Selector.Start)
	}
}

// Short quotes need context: a deleted "the" must not land on another "the".
func TestShortQuoteNeedsContext(t *testing.T) {
	old := "Alpha beta the gamma delta. Epsilon zeta eta theta iota kappa lambda mu."
	s := sel(t, old, "the", 0)
	newText := "Alpha beta gamma delta. Epsilon zeta eta the theta iota kappa lambda mu."
	r := NewMapper(old, newText).Reanchor(s)
	if r.State != annotate.AnchorOrphan {
		t.Fatalf("placed as %s at %d–%d", r.State, r.Selector.Start, r.Selector.End)
	}
}

func TestResolveCRLFShift(t *testing.T) {
	// A file that counted each line break as one character while the
	// text it carried had CRLF: positions drift by the number of breaks.
	text := annotate.NewText(strings.Repeat("line of text number one\n", 5) + "the coded passage is here\nand more")
	want := sel(t, text.String(), "the coded passage", 0)
	bad := want
	bad.Start, bad.End = want.Start-5, want.End-5
	got, st, _ := Resolve(text, bad)
	if st != annotate.AnchorShifted || got.Start != want.Start || got.End != want.End {
		t.Fatalf("Resolve: %s %d–%d, want shifted %d–%d", st, got.Start, got.End, want.Start, want.End)
	}
	got, st, _ = Resolve(text, want)
	if st != annotate.AnchorExact || got != want {
		t.Fatalf("Resolve of a right selector: %s %+v", st, got)
	}
}

// The diff's runs are real matches, in order, and on small inputs as long
// as the longest common subsequence.
func TestDiffRuns(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alpha := []rune("ab c的是")
	for i := 0; i < 300; i++ {
		a := randRunes(rng, alpha, rng.Intn(60))
		b := randRunes(rng, alpha, rng.Intn(60))
		segs := diffRunes(a, b)
		checkSegs(t, a, b, segs)
		got := 0
		for _, g := range segs {
			got += g.n
		}
		if want := lcs(a, b); got < want {
			t.Fatalf("%q→%q: diff keeps %d, LCS is %d", string(a), string(b), got, want)
		}
	}
	// A large text takes the patience path.
	a := randRunes(rng, []rune("abcdefghijklmnopqrstuvwxyz 的是在不了有和人这中大为上个国"), 200000)
	b := append(append([]rune{}, a[:50000]...), append([]rune("INSERTED TEXT"), a[50100:]...)...)
	segs := diffRunes(a, b)
	checkSegs(t, a, b, segs)
	kept := 0
	for _, g := range segs {
		kept += g.n
	}
	if kept < len(a)-100 {
		t.Fatalf("large diff keeps %d of %d", kept, len(a)-100)
	}
	// A paragraph moved to the end maps straight to its new place.
	moved := append(append(append([]rune{}, a[:1000]...), a[3000:]...), a[1000:3000]...)
	m := NewMapper(string(a), string(moved))
	if p, ok := m.MapPosition(2000); !ok || p != len(a)-1000 {
		t.Fatalf("moved text maps to %d (direct %v), want %d", p, ok, len(a)-1000)
	}
}

// checkSegs: runs are real matches, in old order, and no code point is in
// two runs on either side (moved runs may go back on the new side).
func checkSegs(t *testing.T, a, b []rune, segs []seg) {
	t.Helper()
	pa := 0
	usedB := make([]bool, len(b))
	for _, g := range segs {
		if g.a < pa || g.n <= 0 || !equalRunes(a[g.a:g.a+g.n], b[g.b:g.b+g.n]) {
			t.Fatalf("bad run %+v after %d", g, pa)
		}
		for i := g.b; i < g.b+g.n; i++ {
			if usedB[i] {
				t.Fatalf("run %+v reuses new offset %d", g, i)
			}
			usedB[i] = true
		}
		pa = g.a + g.n
	}
}

func randRunes(rng *rand.Rand, alpha []rune, n int) []rune {
	out := make([]rune, n)
	for i := range out {
		out[i] = alpha[rng.Intn(len(alpha))]
	}
	return out
}

func lcs(a, b []rune) int {
	row := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		prev := 0
		for j := 1; j <= len(b); j++ {
			cur := row[j]
			if a[i-1] == b[j-1] {
				row[j] = prev + 1
			} else {
				row[j] = max(row[j], row[j-1])
			}
			prev = cur
		}
	}
	return row[len(b)]
}

func TestSearcherFindsApproximateEnds(t *testing.T) {
	text := []rune("xxxx the quick brown fox xxxx the quack brown fax xxxx")
	s := newSearcher(text)
	ends := s.search([]rune("quick brown fox"), 3, 0, len(text))
	if len(ends) != 2 || ends[0].errs != 0 || ends[1].errs != 2 {
		t.Fatalf("ends %+v", ends)
	}
}

func TestMapOffset(t *testing.T) {
	old := "第一段。\nSecond paragraph here.\nThird one, 第三段。\n"
	cases := []struct {
		new  string
		at   string // the old offset is where this starts
		want string // ... and should map to where this starts in new ("" : unchanged)
	}{
		{old + "appended\n", "Third", "Third"},
		{"A note on top.\n" + old, "Third", "Third"},
		{"A note on top.\n" + old, "第一段", "第一段"},
		{strings.Replace(old, "Second", "The second", 1), "Third", "Third"},
		{strings.Replace(old, "Second", "The second", 1), "第一段", "第一段"},
		// Edits on both sides: the diff maps it.
		{"X" + strings.Replace(old, "段。\n", "段，\n", -1) + "Y", "paragraph", "paragraph"},
	}
	for _, c := range cases {
		off := len([]rune(old[:strings.Index(old, c.at)]))
		want := len([]rune(c.new[:strings.Index(c.new, c.want)]))
		if got := MapOffset(old, c.new, off); got != want {
			t.Errorf("MapOffset(%q → %q, %d) = %d, want %d", old, c.new, off, got, want)
		}
	}
	if got := MapOffset(old, "", 10); got != 0 {
		t.Errorf("onto an empty text: %d", got)
	}
	if got := MapOffset(old, old, 1000); got != len([]rune(old)) {
		t.Errorf("past the end: %d", got)
	}
}
