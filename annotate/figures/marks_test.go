package figures

import (
	"strings"
	"testing"

	"gloss/annotate"
)

// groupAt is the index of the group holding figure id, or -1.
func groupAt(gs []Group, id string) int {
	for i, g := range gs {
		if hasFigure(g, id) {
			return i
		}
	}
	return -1
}

// The marks an analyst makes go through the change pipeline onto the
// sources, and the table built from OverridesFrom regroups: merge, split
// out, use this figure (taking the mark from the other figure of the
// group), not a figure, clear; undo brings the earlier table back.
func TestMarksRegroupThroughApply(t *testing.T) {
	texts := map[string]string{"en": enHarbour, "zh": zhHarbour, "ag": enAgree}
	m := &annotate.MemStore{}
	var put []annotate.Source
	for _, id := range []string{"en", "zh", "ag"} {
		s := src(id, annotate.English, "2024-03-01")
		if id == "zh" {
			s.Language = annotate.Simplified
		}
		s.Text = texts[id]
		put = append(put, s)
	}
	if _, err := m.Apply(annotate.Change{PutSources: put}); err != nil {
		t.Fatal(err)
	}
	text := func(id string) (string, bool) { s, ok := texts[id]; return s, ok }
	lookup := func(id string) (annotate.Source, bool) {
		for _, s := range m.P.Sources {
			if s.ID == id {
				return s, true
			}
		}
		return annotate.Source{}, false
	}
	table := func() []Group { return Table(m.P.Sources, text, OverridesFrom(m.P.Sources)) }
	do := func(a Action, group string, ids ...string) annotate.Change {
		t.Helper()
		c, err := MarkChange(lookup, PeersIn(table()), a, ids, group)
		if err != nil {
			t.Fatal(err)
		}
		undo, err := m.Apply(c)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		return undo
	}
	en := find(t, Extract(put[0], enHarbour), "more than 3,100").ID
	zh := find(t, Extract(put[1], zhHarbour), "约1800").ID
	ag := find(t, Extract(put[2], enAgree), "about 1,800").ID
	pass := find(t, Extract(put[0], enHarbour), "2.4 million").ID

	gs := table()
	if groupAt(gs, zh) != groupAt(gs, ag) || groupAt(gs, en) != groupAt(gs, zh) {
		t.Fatalf("the three smuggler figures are not one group before any mark: %d %d %d", groupAt(gs, en), groupAt(gs, zh), groupAt(gs, ag))
	}
	before := gs

	undoSplit := do(SplitOut, "", en)
	gs = table()
	if g := groupAt(gs, en); len(gs[g].Figures) != 1 || !gs[g].Manual || gs[g].Conflict {
		t.Fatalf("split out: %+v", gs[g])
	}
	if g := groupAt(gs, zh); g != groupAt(gs, ag) || gs[g].Conflict {
		t.Fatalf("1800 and about 1,800 should still agree together: %+v", gs[g])
	}

	do(Merge, "", en, pass)
	gs = table()
	if groupAt(gs, en) != groupAt(gs, pass) || groupAt(gs, en) == groupAt(gs, zh) {
		t.Fatalf("merge: en %d pass %d zh %d", groupAt(gs, en), groupAt(gs, pass), groupAt(gs, zh))
	}
	s, _ := lookup("en")
	if len(s.FigureMarks) != 2 {
		t.Errorf("after merge the marks are %+v", s.FigureMarks)
	}
	for _, mk := range s.FigureMarks {
		if mk.Group != en || mk.Split != (mk.Figure == en) {
			t.Errorf("after merge the mark is %+v, want group %s, split kept on the split figure", mk, en)
		}
	}

	do(Prefer, "", zh)
	do(Prefer, "", ag)
	gs = table()
	g := groupAt(gs, ag)
	if gs[g].Preferred < 0 || gs[g].Figures[gs[g].Preferred].ID != ag {
		t.Fatalf("preferred: %+v", gs[g])
	}
	zs, _ := lookup("zh")
	if len(zs.FigureMarks) != 0 {
		t.Errorf("preferring about 1,800 left the mark on 约1800: %+v", zs.FigureMarks)
	}

	do(NotFigure, "", pass)
	if groupAt(table(), pass) >= 0 {
		t.Fatal("a number marked not a figure is still in the table")
	}
	do(Clear, "", en, pass, ag)
	for _, s := range m.P.Sources {
		if len(s.FigureMarks) != 0 {
			t.Fatalf("clear left %s with %+v", s.ID, s.FigureMarks)
		}
	}
	if got := table(); len(got) != len(before) || groupAt(got, en) != groupAt(got, zh) {
		t.Fatalf("after clear the table is not the unmarked one: %d groups, want %d", len(got), len(before))
	}

	// Undo of the first mark from the state it left: the split comes off.
	do(SplitOut, "", en)
	if _, err := m.Apply(undoSplit); err != nil {
		t.Fatal(err)
	}
	if gs := table(); groupAt(gs, en) != groupAt(gs, zh) {
		t.Fatal("undoing the split did not put the figure back")
	}
}

func TestMarkChangeRefusals(t *testing.T) {
	lookup := func(id string) (annotate.Source, bool) {
		return annotate.Source{ID: id, Kind: annotate.KindOriginal}, id == "s1"
	}
	for _, tc := range []struct {
		a    Action
		ids  []string
		want string
	}{
		{Merge, nil, "no figure"},
		{Prefer, []string{"s1:0-2", "s1:4-6"}, "one figure"},
		{SplitOut, []string{"s1:2"}, `"s1:2": not a figure ID`},
		{NotFigure, []string{"s9:0-2"}, `no source with id "s9"`},
	} {
		if _, err := MarkChange(lookup, nil, tc.a, tc.ids, ""); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: %v, want %q", tc.a, tc.ids, err, tc.want)
		}
	}
}

func TestOverridesFrom(t *testing.T) {
	ov := OverridesFrom([]annotate.Source{
		{ID: "a", FigureMarks: []annotate.FigureMark{{Figure: "a:0-1", Group: "z"}, {Figure: "a:2-3", Ignore: true}, {Figure: "a:4-5", Split: true, Preferred: true}}},
		{ID: "b", FigureMarks: []annotate.FigureMark{{Figure: "b:0-1", Group: "z"}, {Figure: "b:2-3", Group: "m"}}},
	})
	if len(ov.Merge) != 2 || strings.Join(ov.Merge[0], ",") != "b:2-3" || strings.Join(ov.Merge[1], ",") != "a:0-1,b:0-1" ||
		strings.Join(ov.Ignore, ",") != "a:2-3" || strings.Join(ov.Split, ",") != "a:4-5" || strings.Join(ov.Preferred, ",") != "a:4-5" {
		t.Fatalf("%+v", ov)
	}
}

// A group of thousands of figures in two camps is judged by its distinct
// values: every pair is counted, a bounded number listed, every figure in
// a disagreeing pair flagged.
func TestFinishLargeGroupInTwoCamps(t *testing.T) {
	fs := Extract(src("a", annotate.English, ""), "In 2023, 37,000 smugglers were detained. In 2023, about 24,000 smugglers were detained. In 2023, 37,200 smugglers were detained.")
	if len(fs) != 3 {
		t.Fatalf("%d figures", len(fs))
	}
	g := &Group{}
	for i := range 3000 {
		g.Figures = append(g.Figures, fs[i%3])
	}
	finish(g, ptrs(g.Figures), nil)
	// 37,000 and 37,200 agree; each disagrees with about 24,000.
	if !g.Conflict || g.ConflictPairs != 2000*1000 || len(g.Conflicts) != MaxConflictPairs || len(g.InConflict) != 3000 {
		t.Fatalf("conflict %v, %d pairs, %d listed, %d in conflict", g.Conflict, g.ConflictPairs, len(g.Conflicts), len(g.InConflict))
	}
	if c := g.Conflicts[0]; c != [2]int{0, 1} || !strings.Contains(g.Explanation, "and 1999999 more") {
		t.Fatalf("first pair %v, %q", c, g.Explanation)
	}
}
