package annotate

import (
	"encoding/json"
	"testing"
	"time"
)

func mustApply(t *testing.T, m *MemStore, c Change) Change {
	t.Helper()
	inv, err := m.Apply(c)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func sel(t *testing.T, text string, start, end int) Selector {
	t.Helper()
	s, err := NewText(text).Select(start, end)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMergeSharesCodesByNameAndSourcesByHash(t *testing.T) {
	mine := &MemStore{P: &Project{}}
	mustApply(t, mine, Change{
		PutSources: []Source{{ID: "s1", Kind: KindOriginal, Text: "abc 中美合作"}},
		PutCodes:   []Code{{ID: "c1", Name: "Cooperation", Color: "#ffcc00"}},
	})
	q := &Project{Name: "colleague.gloss",
		// The same text imported under another ID is the same source.
		Sources:     []Source{{ID: "s9", Kind: KindOriginal, Text: "abc 中美合作"}, {ID: "s2", Kind: KindOriginal, Text: "xyz"}},
		Codes:       []Code{{ID: "c9", Name: "cooperation", Color: "#000000"}, {ID: "c10", Name: "Sub", Parent: "c9", Color: "#111111"}},
		Targets:     []Target{{ID: "t1", Name: "China"}},
		Annotations: []Annotation{{ID: "a1", SourceID: "s9", Selector: sel(t, "abc 中美合作", 4, 6), Codes: []string{"c9", "c10"}, Stances: []StanceMark{{"t1", Favor}}}},
	}
	c, r := Merge(NewIndex(mine.P), q, q.Name)
	mustApply(t, mine, c)
	if len(mine.P.Codes) != 2 || len(mine.P.Sources) != 2 || r.Added.Sources != 1 || r.Same.Sources != 1 || r.Same.Codes != 1 {
		t.Fatalf("codes %d sources %d report %+v", len(mine.P.Codes), len(mine.P.Sources), r)
	}
	a := mine.P.Annotations[0]
	if a.SourceID != "s1" || a.Codes[0] != "c1" {
		t.Fatalf("annotation not remapped: %+v", a)
	}
	if p := NewIndex(mine.P).CodePath(a.Codes[1]); p != "Cooperation / Sub" {
		t.Fatalf("child code path %q", p)
	}
	// Merging the same project again adds nothing.
	c2, r2 := Merge(NewIndex(mine.P), q, q.Name)
	if !c2.Empty() || r2.Added.Total()+r2.Updated.Total() != 0 {
		t.Fatalf("second merge changes %s (report %+v)", js(c2), r2)
	}
}

func js(v any) string { b, _ := json.Marshal(v); return string(b) }

// Two analysts start from one project, both edit one annotation, one
// renames a code, one adds a source; merging is idempotent and undoable.
func TestMergeConflictsIdempotentUndo(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	text := "China will verify the identity of each deportee first. 先核实，再遣返。"
	base := &MemStore{P: &Project{}, Now: func() time.Time { return t0 }}
	mustApply(t, base, Change{
		PutSources:     []Source{{ID: "s1", Kind: KindOriginal, Text: text}},
		PutCodes:       []Code{{ID: "c1", Name: "Verification", Color: "#ffcc00"}, {ID: "c2", Name: "Policy", Color: "#00ccff"}},
		PutAnnotations: []Annotation{{ID: "a1", SourceID: "s1", Selector: sel(t, text, 0, 5), Codes: []string{"c1"}, Author: "ana"}},
	})
	theirs := &MemStore{P: base.P.Clone(), Now: func() time.Time { return t0.Add(2 * time.Hour) }}
	mine := &MemStore{P: base.P.Clone(), Now: func() time.Time { return t0.Add(time.Hour) }}

	a := mine.P.Annotations[0]
	a.Note, a.Modified = "mine", time.Time{}
	mustApply(t, mine, Change{PutAnnotations: []Annotation{a}})
	b := theirs.P.Annotations[0]
	b.Note, b.Credibility, b.Modified = "theirs", 2, time.Time{}
	cd := theirs.P.Codes[1]
	cd.Name = "Policy line"
	mustApply(t, theirs, Change{PutAnnotations: []Annotation{b}, PutCodes: []Code{cd},
		PutSources: []Source{{ID: "s2", Kind: KindOriginal, Text: "另一篇"}}})

	before := js(normP(mine.P))
	c, r := Merge(NewIndex(mine.P), theirs.P, "bo.gloss")
	inv := mustApply(t, mine, c)
	got := mine.P.Annotations[0]
	if got.Note != "theirs" || got.Credibility != 2 || len(got.Conflicts) != 1 || got.Conflicts[0].Note != "mine" {
		t.Fatalf("the later change should win and the other be kept: %+v", got)
	}
	if len(r.Conflicts) != 1 || r.Conflicts[0].Kept != "bo.gloss" || r.Added.Sources != 1 || len(r.Disagreements) != 1 {
		t.Fatalf("report %+v", r)
	}
	if c2, _ := Merge(NewIndex(mine.P), theirs.P, "bo.gloss"); !c2.Empty() {
		t.Fatalf("merge twice changed %s", js(c2))
	}
	// Switching to the other version puts "mine" back and keeps "theirs".
	sw, err := SwitchConflict(got, 0, "bo.gloss", NewIndex(mine.P))
	if err != nil || sw.Note != "mine" || sw.Conflicts[0].Note != "theirs" {
		t.Fatalf("switch: %+v %v", sw, err)
	}
	mustApply(t, mine, inv)
	if after := js(normP(mine.P)); after != before {
		t.Fatalf("undo did not restore the project\nbefore %s\nafter  %s", before, after)
	}
}

// Their annotation on a source whose text differs here is re-anchored by
// its quote, or kept as an orphan, never misplaced.
func TestMergeReanchorsOnDifferentText(t *testing.T) {
	mine := &MemStore{P: &Project{}}
	mustApply(t, mine, Change{PutSources: []Source{{ID: "s1", Kind: KindOriginal, Text: "Intro added. 先核实，再遣返。"}}})
	old := "先核实，再遣返。Gone sentence."
	q := &Project{Sources: []Source{{ID: "s1", Kind: KindOriginal, Text: old}},
		Annotations: []Annotation{
			{ID: "a1", SourceID: "s1", Selector: sel(t, old, 0, 3)},
			{ID: "a2", SourceID: "s1", Selector: sel(t, old, 9, 13)},
		}}
	c, r := Merge(NewIndex(mine.P), q, "old.gloss")
	mustApply(t, mine, c)
	x := NewIndex(mine.P)
	got := map[string]Annotation{}
	for _, a := range mine.P.Annotations {
		got[a.ID] = a
	}
	if a := got["a1"]; a.Anchor != AnchorShifted || x.Text("s1").Check(a.Selector) != nil || a.Selector.Exact != "先核实" {
		t.Fatalf("a1: %+v", a)
	}
	if a := got["a2"]; a.Anchor != AnchorOrphan || a.Selector.Exact != "one " {
		t.Fatalf("a2: %+v", a)
	}
	if len(r.Reanchored) != 1 || len(r.Orphaned) != 1 {
		t.Fatalf("report %+v", r)
	}
	// A second merge writes nothing, so it re-anchors nothing either.
	c2, r2 := Merge(NewIndex(mine.P), q, "old.gloss")
	if !c2.Empty() || len(r2.Reanchored)+len(r2.Orphaned) != 0 {
		t.Fatalf("second merge: change %s, report %+v", js(c2), r2)
	}
}

func normP(p *Project) *Project {
	q := p.Clone()
	for i := range q.Sources {
		q.Sources[i].ImportedAt = q.Sources[i].ImportedAt.UTC()
	}
	return q
}

func TestFilterByAuthorAndAnchor(t *testing.T) {
	text := "先核实，再遣返。"
	p := &Project{Sources: []Source{{ID: "s1", Kind: KindOriginal, Text: text}},
		Annotations: []Annotation{
			{ID: "a1", SourceID: "s1", Selector: sel(t, text, 0, 3), Author: "ana"},
			{ID: "a2", SourceID: "s1", Selector: sel(t, text, 4, 7), Author: "bo", Anchor: AnchorFuzzy},
			{ID: "a3", SourceID: "s1", Selector: sel(t, text, 0, 1), Author: "bo", Anchor: AnchorExact},
		}}
	x := NewIndex(p)
	if got := x.Authors(); len(got) != 2 || got[0] != "ana" {
		t.Fatalf("authors %v", got)
	}
	got, err := Filter{Authors: []string{"bo"}, Anchors: []AnchorState{AnchorFuzzy, AnchorOrphan}}.Annotations(x)
	if err != nil || len(got) != 1 || got[0].ID != "a2" {
		t.Fatalf("bo's annotations needing review: %v %v", got, err)
	}
	got, _ = Filter{Anchors: []AnchorState{AnchorExact}}.Annotations(x)
	if len(got) != 2 {
		t.Fatalf("exact anchors (the zero value counts as exact): %d", len(got))
	}
}
