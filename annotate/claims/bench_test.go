package claims

import (
	"fmt"
	"testing"

	"gloss/annotate"
)

// BenchmarkRecomputeAfterChange: the Claims view after the analyst attaches
// one piece of evidence. Goal ≤ 50 ms at 500 claims / 5,000 links.
func BenchmarkRecomputeAfterChange(b *testing.B) {
	for _, n := range []int{50, 500} {
		b.Run(fmt.Sprintf("claims=%d/links=%d", n, n*10), func(b *testing.B) {
			p := synthetic(n, 10)
			board := NewBoard(p)
			m := p.Claims[n/2]
			extra := p.Annotations[len(p.Annotations)-1].ID
			on, _ := Attach(m, extra, annotate.Supports, t0)
			off, _ := Detach(on.PutClaims[0], extra, t0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c := on
				if i%2 == 1 {
					c = off
				}
				if len(board.Apply(c)) != 1 {
					b.Fatal("expected one claim reassessed")
				}
			}
		})
	}
}

// BenchmarkRegradeSource: a source's reliability changes, so every claim
// citing it is reassessed (the widest single change short of a reload).
func BenchmarkRegradeSource(b *testing.B) {
	for _, n := range []int{50, 500} {
		b.Run(fmt.Sprintf("claims=%d/links=%d", n, n*10), func(b *testing.B) {
			p := synthetic(n, 10)
			board := NewBoard(p)
			s := p.Sources[1]
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.Reliability = []annotate.Reliability{"A", "E"}[i%2]
				board.Apply(annotate.Change{PutSources: []annotate.Source{s}})
			}
		})
	}
}

// BenchmarkNewBoard: assessing every claim from scratch (opening the view).
func BenchmarkNewBoard(b *testing.B) {
	for _, n := range []int{50, 500} {
		b.Run(fmt.Sprintf("claims=%d/links=%d", n, n*10), func(b *testing.B) {
			p := synthetic(n, 10)
			for i := 0; i < b.N; i++ {
				NewBoard(p)
			}
		})
	}
}
