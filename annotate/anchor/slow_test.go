package anchor

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
)

// Repetitive text must not make re-anchoring crawl: every candidate and
// rival looks alike, and each comparison is quadratic in the quote.
func TestRepetitiveTextStaysFast(t *testing.T) {
	cases := []struct{ old, new string }{
		{strings.Repeat("a", 4000), strings.Repeat("a", 3990) + "b"},
		{strings.Repeat("ab", 2000), "x" + strings.Repeat("ab", 1990)},
		{strings.Repeat("的是", 1500), strings.Repeat("是的", 1500)},
		{threeLetters(4000, 1), threeLetters(4000, 2)},
	}
	for _, c := range cases {
		ot := annotate.NewText(c.old)
		for _, span := range [][2]int{{0, 2000}, {100, 3900}, {1000, 1070}, {10, 15}, {500, 1400}} {
			sel, err := ot.Select(span[0], min(span[1], ot.Len()))
			if err != nil {
				t.Fatal(err)
			}
			t0 := time.Now()
			NewMapper(c.old, c.new).Reanchor(sel)
			Resolve(annotate.NewText(c.new), sel)
			if d := time.Since(t0); d > 3*time.Second {
				t.Errorf("%q…, %v: %v", c.old[:6], span, d)
			}
		}
	}
}

// threeLetters is n random letters from "abc": every short stretch of it
// matches approximately almost everywhere.
func threeLetters(n int, seed int64) string {
	rng := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = "abc"[rng.Intn(3)]
	}
	return string(b)
}
