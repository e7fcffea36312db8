package figures

import (
	"reflect"
	"testing"

	"gloss/annotate/overlap"
	"gloss/internal/benchproj"
)

// The compact subject scores exactly as overlap does, across languages
// and for empty bags, and lists the same terms.
func TestCompactSubjectScoresAsOverlap(t *testing.T) {
	texts := []string{
		"", "the", "More than 37,000 Chinese citizens were returned in 2023",
		"遣返了3.7万名中国公民", "2023财年美国遣返中国公民", "Chinese nationals removed by charter flights",
		"包机航班增加到12班", "flights rose to 12", "双方已遣返1234人 and 1234 people were returned",
		// Stems repeated (within English, within glosses, across both):
		// the terms are kept apart from en and gl.
		"flights and more flights returned returning", "遣返遣返公民", "citizens 公民 citizen",
	}
	kinds := map[bool]bool{} // texts whose stems repeat, and not
	for _, a := range texts {
		for _, b := range texts {
			ba, bb := overlap.Words(a), overlap.Words(b)
			ca, cb := compact(ba), compact(bb)
			if got, want := score(&ca, &cb), overlap.Score(ba, bb); got != want {
				t.Errorf("score(%q, %q) = %v, overlap says %v", a, b, got, want)
			}
		}
		ba := overlap.Words(a)
		ca := compact(ba)
		terms := ba.Terms()
		repeats := len(terms) < len(ba.English())+len(ca.gl())
		if repeats != (ca.nT > 0) {
			t.Errorf("%q: stems repeat %v, terms kept apart %v", a, repeats, ca.nT > 0)
		}
		kinds[repeats] = true
		if len(terms) != len(ca.terms()) {
			t.Fatalf("%q: %d terms, overlap has %d", a, len(ca.terms()), len(terms))
		}
		for i, s := range terms {
			if ca.terms()[i] != stemHash(s) {
				t.Errorf("%q: term %d is not %q", a, i, s)
			}
		}
	}
	if !kinds[true] || !kinds[false] {
		t.Errorf("texts with and without repeated stems: %v", kinds)
	}
}

// Partition groups as Groups does, by index, with the overrides applied.
func TestPartitionIsGroups(t *testing.T) {
	p := benchproj.Generate(60, 0, 3)
	var figs []Figure
	for _, s := range p.Sources {
		figs = append(figs, Extract(s, s.Text)...)
	}
	ov := Overrides{Ignore: []string{figs[3].ID}, Split: []string{figs[10].ID}, Merge: [][]string{{figs[20].ID, figs[40].ID}},
		Preferred: []string{figs[50].ID}}
	gs, ps := Groups(figs, ov), Partition(figs, ov)
	if len(gs) != len(ps) || len(gs) < 10 {
		t.Fatalf("%d groups, %d partitions", len(gs), len(ps))
	}
	for k := range gs {
		g, q := gs[k], ps[k]
		if q.Figures != nil || len(q.Members) != len(g.Figures) || g.Members != nil {
			t.Fatalf("group %d: %d members, %d figures", k, len(q.Members), len(g.Figures))
		}
		for x, i := range q.Members {
			if figs[i].ID != g.Figures[x].ID {
				t.Fatalf("group %d member %d is %s, not %s", k, x, figs[i].ID, g.Figures[x].ID)
			}
		}
		g.Figures, q.Members = nil, nil
		if !reflect.DeepEqual(g, q) {
			t.Fatalf("group %d differs:\n%+v\n%+v", k, g, q)
		}
	}
}
