package annotate

import (
	"strings"
	"testing"
	"time"
)

func usecaseProject() *Project {
	return &Project{
		Sources: []Source{
			{ID: "s1", Title: "Wire story", Kind: KindOriginal, Text: "中美合作遣返非法移民。美方表示欢迎。合作继续。"},
			{ID: "s2", Title: "Second", Kind: KindOriginal, Text: "abcdefghij"},
		},
		Codes: []Code{
			{ID: "c1", Name: "Cooperation", Color: Palette[0]},
			{ID: "c2", Name: "Repatriation", Parent: "c1", Color: Palette[1]},
			{ID: "c3", Name: "Flights", Parent: "c2", Color: Palette[2]},
			{ID: "c4", Name: "Other", Color: Palette[3]},
		},
		Targets: []Target{{ID: "t1", Name: "United States"}, {ID: "t2", Name: "USA"}, {ID: "t3", Name: "China"}},
		Annotations: []Annotation{
			{ID: "a1", SourceID: "s1", Selector: Selector{Start: 0, End: 4}, Codes: []string{"c3"}, Stances: []StanceMark{{"t1", Favor}}, Credibility: 2},
			{ID: "a2", SourceID: "s1", Selector: Selector{Start: 11, End: 17}, Codes: []string{"c4"}, Stances: []StanceMark{{"t2", Against}, {"t1", Neutral}}},
			{ID: "a3", SourceID: "s2", Selector: Selector{Start: 0, End: 2}, Codes: []string{"c1"}, Stances: []StanceMark{{"t2", Mixed}}, Credibility: 5},
		},
	}
}

func TestTagByQuoteCreatesNamedCodesAndTargetsOnce(t *testing.T) {
	x := NewIndex(usecaseProject())
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ch, a, err := x.Tag(Passage{SourceID: "s1", Quote: "美方表示欢迎"},
		Tags{Codes: []string{"cooperation", "New code", " new CODE "}, Stances: []StanceMark{{"Mexico", Against}, {"mexico", Favor}}, Credibility: 3, Note: "n"},
		"ana", now)
	if err != nil {
		t.Fatal(err)
	}
	if a.Selector.Start != 11 || a.Selector.End != 17 || a.Selector.Exact != "美方表示欢迎" {
		t.Fatalf("selector %+v", a.Selector)
	}
	if len(ch.PutCodes) != 1 || ch.PutCodes[0].Name != "New code" || len(ch.PutTargets) != 1 || ch.PutTargets[0].Name != "Mexico" {
		t.Fatalf("new codes %+v, targets %+v", ch.PutCodes, ch.PutTargets)
	}
	if ch.PutCodes[0].Color != Palette[4] {
		t.Fatalf("new code colour %s, want the first unused %s", ch.PutCodes[0].Color, Palette[4])
	}
	if len(a.Codes) != 2 || a.Codes[0] != "c1" || a.Codes[1] != ch.PutCodes[0].ID {
		t.Fatalf("codes %v", a.Codes)
	}
	if len(a.Stances) != 1 || a.Stances[0].Stance != Favor {
		t.Fatalf("the later stance toward the same target wins: %+v", a.Stances)
	}
	if a.Author != "ana" || !a.Created.Equal(now) || a.Credibility != 3 || a.Note != "n" {
		t.Fatalf("annotation %+v", a)
	}
	if len(ch.PutAnnotations) != 1 || ch.PutAnnotations[0].ID != a.ID || !strings.Contains(ch.Label, "美方表示欢迎") {
		t.Fatalf("change %+v", ch)
	}
}

func TestTagRefusesWithAMessageNamingTheSource(t *testing.T) {
	x := NewIndex(usecaseProject())
	for _, tc := range []struct {
		p    Passage
		tags Tags
		want string
	}{
		{Passage{SourceID: "s1", Quote: "合作"}, Tags{}, `occurs 2 times in "Wire story"; give the start and end instead (offsets: 2, 18)`},
		{Passage{SourceID: "s1", Quote: "nowhere"}, Tags{}, `does not occur in "Wire story"`},
		{Passage{SourceID: "nope", Quote: "x"}, Tags{}, `no source with id "nope"`},
		{Passage{SourceID: "s2", Start: 3, End: 99}, Tags{}, "selector"},
		{Passage{SourceID: "s2", Start: 0, End: 2}, Tags{Credibility: 7}, "credibility"},
		{Passage{SourceID: "s2", Start: 0, End: 2}, Tags{Codes: []string{"  "}}, "code: the name is empty"},
		{Passage{SourceID: "s2", Start: 0, End: 2}, Tags{Stances: []StanceMark{{"X", "loves"}}}, `"loves"`},
	} {
		if _, _, err := x.Tag(tc.p, tc.tags, "", time.Now()); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.p, err, tc.want)
		}
	}
	ch, a, err := x.Tag(Passage{SourceID: "s2", Start: 2, End: 5}, Tags{}, "", time.Now())
	if err != nil || a.Selector.Exact != "cde" || len(ch.PutCodes)+len(ch.PutTargets) != 0 {
		t.Fatalf("range: %v %+v %+v", err, a, ch)
	}
}

func TestNewCodeAndTargetRefuseNamesInUse(t *testing.T) {
	x := NewIndex(usecaseProject())
	if _, _, err := x.NewCode(" cooperation "); err == nil || !strings.Contains(err.Error(), `"cooperation"`) {
		t.Fatalf("duplicate code: %v", err)
	}
	if _, _, err := x.NewTarget("china"); err == nil {
		t.Fatal("duplicate target accepted")
	}
	ch, c, err := x.NewCode("Fresh")
	if err != nil || c.Name != "Fresh" || len(ch.PutCodes) != 1 || ch.Label != "New code Fresh" {
		t.Fatalf("%v %+v %+v", err, c, ch)
	}
}

func TestMergeTargetsKeepsAnExistingStanceTowardTheSurvivor(t *testing.T) {
	x := NewIndex(usecaseProject())
	ch := x.MergeTargets("t2", "t1")
	if len(ch.DelTargets) != 1 || ch.DelTargets[0] != "t2" || !strings.Contains(ch.Label, "USA into United States") {
		t.Fatalf("change %+v", ch)
	}
	got := map[string][]StanceMark{}
	for _, a := range ch.PutAnnotations {
		got[a.ID] = a.Stances
	}
	if len(got) != 2 {
		t.Fatalf("only annotations toward USA change: %v", got)
	}
	if s := got["a2"]; len(s) != 1 || s[0] != (StanceMark{"t1", Neutral}) {
		t.Fatalf("a2 keeps its own stance toward United States: %v", s)
	}
	if s := got["a3"]; len(s) != 1 || s[0] != (StanceMark{"t1", Mixed}) {
		t.Fatalf("a3 moves its stance to United States: %v", s)
	}
	if x.Project().Annotations[1].Stances[0].Target != "t2" {
		t.Fatal("MergeTargets changed the project it read")
	}
}

func TestCodeTreeWalks(t *testing.T) {
	p := usecaseProject()
	x := NewIndex(p)
	var names []string
	for _, c := range x.CodeTree() {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "Cooperation,Repatriation,Flights,Other" {
		t.Fatalf("tree order %v", names)
	}
	if x.CodeDepth("c3") != 2 || x.CodeDepth("c4") != 0 {
		t.Fatal("depth")
	}
	if !x.Within("c3", "c1") || x.Within("c1", "c3") || !x.Within("c2", "c2") {
		t.Fatal("Within")
	}
	if s := x.Subtree("c2"); len(s) != 2 || !s["c3"] || s["c1"] {
		t.Fatalf("subtree %v", s)
	}
	// A cycle in a damaged file must not hang a walk.
	p.Codes[0].Parent = "c3"
	x = NewIndex(p)
	x.CodeTree()
	x.CodeDepth("c3")
	if x.Within("c4", "c1") {
		t.Fatal("Within across a cycle")
	}
	x.Subtree("c1")
}

func TestFilterAnnotations(t *testing.T) {
	x := NewIndex(usecaseProject())
	ids := func(f Filter) string {
		t.Helper()
		as, err := f.Annotations(x)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		f    Filter
		want string
	}{
		{Filter{}, "a1,a2,a3"},
		{Filter{Sources: []string{"s2", "s1"}}, "a3,a1,a2"},
		{Filter{Codes: []string{"Repatriation"}}, "a1"},
		{Filter{Codes: []string{"cooperation"}}, "a1,a3"},
		{Filter{Stances: []StanceMark{{Target: "USA"}}}, "a2,a3"},
		{Filter{Stances: []StanceMark{{Stance: Neutral}}}, "a2"},
		{Filter{Stances: []StanceMark{{Target: "United States", Stance: Favor}}}, "a1"},
		{Filter{Unrated: true}, "a2"},
		{Filter{MinCredibility: 5, MaxCredibility: 5}, "a3"},
	} {
		if got := ids(tc.f); got != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.f, got, tc.want)
		}
	}
	if _, err := (Filter{Stances: []StanceMark{{Target: "Mars"}}}).Annotations(x); err == nil || !strings.Contains(err.Error(), "Mars") {
		t.Fatalf("unknown target: %v", err)
	}
}
