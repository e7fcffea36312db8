package annotate

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"
)

// TestWithMatchesNewIndex runs random changes through a MemStore and keeps
// an index current with With; after every step it must equal an index
// built from scratch, and the indexes made before must be unchanged.
func TestWithMatchesNewIndex(t *testing.T) {
	for seed := int64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { withScript(t, seed, 400) })
	}
}

func withScript(t *testing.T, seed int64, steps int) {
	r := rand.New(rand.NewSource(seed))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st := &MemStore{Now: func() time.Time { t0 = t0.Add(time.Second); return t0 }}
	texts := []string{"Officials said the flights would continue next month.", "外交部发言人表示，双方将继续合作，核实身份后遣返。", "A third text, with some more words in it for passages."}
	var base Change
	for i, s := range texts {
		base.PutSources = append(base.PutSources, Source{ID: fmt.Sprintf("s%d", i), Kind: KindOriginal, Text: s})
	}
	for i := 0; i < 4; i++ {
		base.PutCodes = append(base.PutCodes, Code{ID: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("Code %d", i), Color: Palette[i]})
	}
	base.PutTargets = []Target{{ID: "t0", Name: "China"}, {ID: "t1", Name: "United States"}}
	if _, err := st.Commit(base); err != nil {
		t.Fatal(err)
	}
	x := NewIndex(st.P.Clone())
	var undo []Change
	type held struct {
		x    *Index
		want *Index
	}
	var old []held
	accepted := map[string]int{}
	defer func() {
		if len(accepted) < 5 || accepted[""] < steps/5 {
			t.Errorf("too few kinds of change accepted: %v", accepted)
		}
	}()
	n := 0
	for step := 0; step < steps; step++ {
		var c Change
		anns := x.AllAnnotations()
		srcs := x.P.Sources
		switch k := r.Intn(10); {
		case k < 4 && len(srcs) > 0: // new annotations, sometimes several at once
			for j := 0; j <= r.Intn(3); j++ {
				s := srcs[r.Intn(len(srcs))]
				tx := x.Text(s.ID)
				a := r.Intn(tx.Len() - 1)
				sel, err := tx.Select(a, a+1+r.Intn(min(8, tx.Len()-a-1)+1))
				if err != nil {
					continue
				}
				n++
				an := Annotation{ID: fmt.Sprintf("a%d", n), SourceID: s.ID, Selector: sel, Author: []string{"", "ana", "bo"}[r.Intn(3)]}
				an.Codes = []string{fmt.Sprintf("c%d", r.Intn(4))}
				if r.Intn(2) == 0 {
					an.Stances = []StanceMark{{Target: fmt.Sprintf("t%d", r.Intn(2)), Stance: Against}}
				}
				if r.Intn(5) == 0 {
					an.Anchor, an.Score = AnchorFuzzy, 0.8
				}
				c.PutAnnotations = append(c.PutAnnotations, an)
			}
		case k < 6 && len(anns) > 0: // retag, change anchor state
			a := anns[r.Intn(len(anns))].Copy()
			a.Codes = []string{fmt.Sprintf("c%d", r.Intn(4))}
			a.Anchor = []AnchorState{"", AnchorShifted, AnchorFuzzy}[r.Intn(3)]
			if a.Anchor == AnchorFuzzy {
				a.Score = 0.7
			}
			c.PutAnnotations = append(c.PutAnnotations, a)
		case k < 7 && len(anns) > 0:
			c = x.DeleteAnnotations(anns[r.Intn(len(anns))].ID)
		case k < 8 && len(undo) > 0:
			c = undo[len(undo)-1]
			undo = undo[:len(undo)-1]
		case k < 9:
			c = x.DeleteCode(fmt.Sprintf("c%d", r.Intn(4)))
			if r.Intn(2) == 0 {
				c = x.DeleteTarget(fmt.Sprintf("t%d", r.Intn(2)))
			}
		default:
			if len(srcs) > 1 && r.Intn(3) == 0 {
				c = x.DeleteSource(srcs[r.Intn(len(srcs))].ID)
			} else {
				i := r.Intn(len(texts))
				c.PutSources = []Source{{ID: fmt.Sprintf("s%d", i), Kind: KindOriginal, Text: texts[i], Title: fmt.Sprint("title ", step)}}
				c.PutCodes = []Code{{ID: fmt.Sprintf("c%d", r.Intn(4)), Name: fmt.Sprint("Code ", step), Color: Palette[5]}}
			}
		}
		if c.Empty() {
			continue
		}
		res, err := st.Commit(c)
		if err != nil {
			continue
		}
		undo = append(undo, res.Undo)
		accepted[c.Label]++
		prev := x
		x = x.With(res.Done)
		old = append(old, held{prev, NewIndex(prev.Project())})
		if err := sameIndex(x, NewIndex(st.P.Clone())); err != nil {
			t.Fatalf("step %d (%s): %v", step, c.Label, err)
		}
		if step%10 == 0 { // and as a window loads it, source by source
			if err := sameIndex(indexFrom(t, st.P), NewIndex(st.P.Clone())); err != nil {
				t.Fatalf("step %d: loaded source by source: %v", step, err)
			}
		}
	}
	for i, h := range old { // indexes handed out earlier did not change
		if err := sameIndex(h.x, h.want); err != nil {
			t.Fatalf("index %d changed after later changes: %v", i, err)
		}
	}
}

func sameIndex(got, want *Index) error {
	if got.AnnotationCount() != want.AnnotationCount() {
		return fmt.Errorf("count %d, want %d", got.AnnotationCount(), want.AnnotationCount())
	}
	gp, wp := *got.P, *want.P
	gp.Annotations, wp.Annotations = nil, nil
	if !reflect.DeepEqual(norm(gp), norm(wp)) {
		return fmt.Errorf("project records differ:\n got %+v\nwant %+v", gp, wp)
	}
	ids := func(l []*Annotation) []string {
		out := []string{}
		for _, a := range l {
			out = append(out, a.ID)
		}
		return out
	}
	for _, s := range want.P.Sources {
		if g, w := ids(got.Annotations(s.ID)), ids(want.Annotations(s.ID)); !slices.Equal(g, w) {
			return fmt.Errorf("source %s: annotations %v, want %v", s.ID, g, w)
		}
		for _, a := range want.Annotations(s.ID) {
			if g := got.Annotation(a.ID); g == nil || !reflect.DeepEqual(*g, *a) {
				return fmt.Errorf("annotation %s: %+v, want %+v", a.ID, g, a)
			}
		}
		if g, w := got.Text(s.ID).String(), want.Text(s.ID).String(); g != w {
			return fmt.Errorf("source %s text %q, want %q", s.ID, g, w)
		}
	}
	for _, m := range []struct {
		name string
		g, w map[string]int
	}{{"usage", got.usage, want.usage}, {"stances", got.stances, want.stances}, {"authors", got.authors, want.authors}} {
		if !reflect.DeepEqual(m.g, m.w) {
			return fmt.Errorf("%s %v, want %v", m.name, m.g, m.w)
		}
	}
	for _, c := range want.P.Codes {
		if g, w := ids(got.WithCodes(map[string]bool{c.ID: true})), ids(want.WithCodes(map[string]bool{c.ID: true})); !slices.Equal(g, w) {
			return fmt.Errorf("code %s: annotations %v, want %v", c.ID, g, w)
		}
	}
	if g, w := ids(got.NeedsReview()), ids(want.NeedsReview()); !slices.Equal(g, w) {
		return fmt.Errorf("review %v, want %v", g, w)
	}
	gs, ws := ids(got.AllAnnotations()), ids(want.AllAnnotations())
	sort.Strings(gs)
	sort.Strings(ws)
	if !slices.Equal(gs, ws) || len(got.Project().Annotations) != len(want.Project().Annotations) {
		return fmt.Errorf("all annotations %v, want %v", gs, ws)
	}
	if !reflect.DeepEqual(got.Authors(), want.Authors()) {
		return fmt.Errorf("authors %v, want %v", got.Authors(), want.Authors())
	}
	return nil
}

// norm makes nil and empty lists compare equal.
func norm(p Project) Project {
	fix := func(n int) bool { return n == 0 }
	if fix(len(p.Sources)) {
		p.Sources = nil
	}
	if fix(len(p.Codes)) {
		p.Codes = nil
	}
	if fix(len(p.Targets)) {
		p.Targets = nil
	}
	if fix(len(p.Links)) {
		p.Links = nil
	}
	if fix(len(p.Claims)) {
		p.Claims = nil
	}
	if fix(len(p.Versions)) {
		p.Versions = nil
	}
	return p
}

// TestWithRepeatedAndDeletedPuts: a change that puts one record twice (the
// last put is the record, once) and puts then deletes another (not kept)
// indexes as NewIndex does the project it leaves.
func TestWithRepeatedAndDeletedPuts(t *testing.T) {
	text := "Officials said the flights would continue next month."
	p := &Project{
		Sources: []Source{{ID: "s1", Kind: KindOriginal, Text: text}, {ID: "s2", Kind: KindOriginal, Text: text}},
		Codes:   []Code{{ID: "c0", Name: "A", Color: Palette[0]}, {ID: "c1", Name: "B", Color: Palette[1]}},
	}
	sel, _ := NewText(text).Select(0, 9)
	sel2, _ := NewText(text).Select(10, 14)
	old := Annotation{ID: "a0", SourceID: "s2", Selector: sel, Codes: []string{"c0"}}
	p.Annotations = []Annotation{old}
	x := NewIndex(p.Clone())
	a1 := Annotation{ID: "a1", SourceID: "s1", Selector: sel, Codes: []string{"c0"}}
	a1b := a1
	a1b.Codes, a1b.Selector = []string{"c1"}, sel2
	b := Annotation{ID: "b", SourceID: "s1", Selector: sel2, Codes: []string{"c0", "c1"}}
	old2 := old
	old2.Codes = []string{"c1"}
	y := x.With(Change{PutAnnotations: []Annotation{a1, b, old, a1b, old2}, DelAnnotations: []string{"b"}})
	want := p.Clone()
	want.Annotations = []Annotation{old2, a1b}
	if err := sameIndex(y, NewIndex(want)); err != nil {
		t.Fatal(err)
	}
	if n := y.AnnotationCount(); n != 2 {
		t.Fatalf("%d annotations, want 2", n)
	}
	got, err := Filter{Codes: []string{"B"}}.Annotations(y)
	if err != nil || len(got) != 2 || got[0].ID != "a1" || got[1].ID != "a0" {
		t.Fatalf("code B: %v %v", ids(got), err)
	}
	if got, _ := (Filter{Codes: []string{"A"}}).Annotations(y); len(got) != 0 {
		t.Fatalf("code A still lists %v", ids(got))
	}
}

func ids(list []*Annotation) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}
