package storage

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"gloss/annotate"
)

// TestQuoteAtAgreesWithCheckIn: check's fast quote test never accepts a
// selector the domain's CheckIn rejects, and accepts every right one, on
// texts longer than several checkpoints mixing one- to four-byte code
// points; wrong positions, quotes cut inside a code point, and invalid
// UTF-8 texts (left to CheckIn) included.
func TestQuoteAtAgreesWithCheckIn(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	pieces := []string{"a", "bc ", "é", "中", "美合作", "😀", "\n", "ü", "🇺🇸", "x"}
	for round := 0; round < 40; round++ {
		var b strings.Builder
		for b.Len() < 3*runeStride*2 {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		text := b.String()
		if round%10 == 9 {
			text = text[:len(text)/2] + "\xff\xfe" + text[len(text)/2:]
		}
		v := srcView{text, buildRuneIndex(text), utf8.ValidString(text)}
		runes := []rune(text)
		n := utf8.RuneCountInString(text) // invalid bytes count one each, as CheckIn walks
		for i := 0; i < 300; i++ {
			start := r.Intn(n)
			end := min(n, start+1+r.Intn(40))
			exact := string(runes[start:end])
			if !v.valid {
				exact = "x"
			}
			sel := annotate.Selector{Start: start, End: end, Exact: exact}
			switch r.Intn(6) {
			case 0:
				sel.Start++
			case 1:
				sel.End--
			case 2:
				sel.Exact = sel.Exact[:len(sel.Exact)-1] // may cut a code point
			case 3:
				sel.Exact += "z"
				sel.End++
			}
			want := annotate.CheckIn(text, sel)
			got := quoteAt(v, sel)
			if got && want != nil {
				t.Fatalf("text %d, %+v: quoteAt accepts what CheckIn rejects (%v)", round, sel, want)
			}
			if v.valid && want == nil && !got {
				t.Fatalf("text %d, %+v: quoteAt does not accept a right selector", round, sel)
			}
		}
	}
}
