package figures

import (
	"fmt"
	"math/rand"
	"testing"

	"gloss/annotate/numerals"
)

// finish counts disagreeing pairs and marks the figures in them through
// sorted bounds; it must agree with comparing every pair.
func TestFinishCountsAsEveryPair(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	approx := []numerals.Approx{numerals.Exact, numerals.More, numerals.Less, numerals.About, numerals.AtLeast, numerals.AtMost}
	for round := 0; round < 200; round++ {
		g := &Group{Preferred: -1}
		n := 1 + r.Intn(40)
		for i := 0; i < n; i++ {
			v := float64([]int{100, 120, 1000, 1200, 24000, 37000, 40000}[r.Intn(7)])
			g.Figures = append(g.Figures, Figure{ID: fmt.Sprintf("s:%d-%d", i, i+1), SourceID: "s",
				Number: numerals.Number{Text: fmt.Sprint(v), Value: v, Approx: approx[r.Intn(len(approx))]}})
		}
		finish(g, ptrs(g.Figures), nil)
		total, in := 0, map[int]bool{}
		for i := range g.Figures {
			for j := i + 1; j < len(g.Figures); j++ {
				if !numerals.Agrees(g.Figures[i].Number, g.Figures[j].Number) {
					total++
					in[i], in[j] = true, true
				}
			}
		}
		if g.ConflictPairs != total || len(g.InConflict) != len(in) || g.Conflict != (total > 0) || len(g.Conflicts) != min(total, MaxConflictPairs) {
			t.Fatalf("round %d: pairs %d in %d (listed %d), want %d in %d", round, g.ConflictPairs, len(g.InConflict), len(g.Conflicts), total, len(in))
		}
		for _, p := range g.Conflicts {
			if numerals.Agrees(g.Figures[p[0]].Number, g.Figures[p[1]].Number) || p[0] >= p[1] {
				t.Fatalf("round %d: listed pair %v agrees", round, p)
			}
		}
	}
}

func ptrs(fs []Figure) []*Figure {
	out := make([]*Figure, len(fs))
	for i := range fs {
		out[i] = &fs[i]
	}
	return out
}
