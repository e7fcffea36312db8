package annotate

import (
	"errors"
	"reflect"
	"testing"
)

func TestProjectReaderOrderAndRoundTrip(t *testing.T) {
	p := &Project{
		Name:    "r",
		Sources: []Source{{ID: "s2", Title: "two", Text: "bbbb"}, {ID: "s1", Title: "one", Text: "aaaaaa"}},
		Codes:   []Code{{ID: "c1", Name: "C"}},
		Annotations: []Annotation{
			{ID: "a3", SourceID: "s1", Selector: Selector{Start: 2, End: 4}},
			{ID: "a1", SourceID: "s1", Selector: Selector{Start: 0, End: 3}},
			{ID: "a2", SourceID: "s2", Selector: Selector{Start: 1, End: 2}},
			{ID: "a0", SourceID: "s1", Selector: Selector{Start: 0, End: 3}},
		},
	}
	r := ProjectReader(p)
	var got []string
	if err := r.Annotations("s1", func(a Annotation) error { got = append(got, a.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a1", "a0", "a3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("text order (ties in project order): got %v, want %v", got, want)
	}
	var titles []string
	_ = r.Sources(func(s Source) error {
		if s.Text != "" {
			t.Errorf("Sources hands out text for %s", s.ID)
		}
		titles = append(titles, s.Title)
		return nil
	})
	if !reflect.DeepEqual(titles, []string{"two", "one"}) {
		t.Fatalf("list order: %v", titles)
	}
	if _, err := r.Text("nope"); err == nil {
		t.Fatal("unknown source text: no error")
	}
	stop := errors.New("stop")
	n := 0
	if err := r.Annotations("s1", func(Annotation) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("early stop: err %v after %d", err, n)
	}
	q, err := ReadProject(r)
	if err != nil {
		t.Fatal(err)
	}
	if q.Sources[1].Text != "aaaaaa" || len(q.Annotations) != 4 || q.Name != "r" || len(q.Codes) != 1 {
		t.Fatalf("ReadProject lost something: %+v", q)
	}
	if p.Sources[0].Text != "bbbb" {
		t.Fatal("Sources changed the project's text")
	}
}

// FilterReader selects what Filter.Apply selects.
func TestFilterReaderMatchesApply(t *testing.T) {
	p := &Project{
		Name:    "f",
		Sources: []Source{{ID: "s1", Text: "abcdef"}, {ID: "s2", Text: "ghijkl"}},
		Codes:   []Code{{ID: "c1", Name: "Parent"}, {ID: "c2", Name: "Child", Parent: "c1"}, {ID: "c3", Name: "Other"}},
		Targets: []Target{{ID: "t1", Name: "US"}},
		Annotations: []Annotation{
			{ID: "a1", SourceID: "s1", Selector: Selector{Start: 0, End: 2}, Codes: []string{"c2"}, Credibility: 2},
			{ID: "a2", SourceID: "s1", Selector: Selector{Start: 1, End: 3}, Codes: []string{"c3"}},
			{ID: "a3", SourceID: "s2", Selector: Selector{Start: 1, End: 3}, Codes: []string{"c1"}, Stances: []StanceMark{{Target: "t1", Stance: Against}}},
		},
		Links: []Link{
			{ID: "k1", From: Anchor{SourceID: "s1"}, To: []Anchor{{SourceID: "s2"}}},
			{ID: "k2", From: Anchor{SourceID: "s2"}, To: []Anchor{{SourceID: "s2"}}},
		},
		Claims: []Claim{{ID: "m1", Text: "x"}},
	}
	for _, f := range []Filter{
		{},
		{Codes: []string{"parent"}},
		{Sources: []string{"s2"}},
		{Stances: []StanceMark{{Target: "US", Stance: Against}}},
		{MaxCredibility: 3},
	} {
		want, err := f.Apply(p)
		if err != nil {
			t.Fatal(err)
		}
		fr, err := FilterReader(ProjectReader(p), f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadProject(fr)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Sources, want.Sources) || !reflect.DeepEqual(got.Annotations, want.Annotations) ||
			!reflect.DeepEqual(got.Links, want.Links) || !reflect.DeepEqual(got.Claims, want.Claims) || len(got.Codes) != 3 {
			t.Errorf("filter %+v:\ngot  %+v\nwant %+v", f, got, want)
		}
	}
	if _, err := FilterReader(ProjectReader(p), Filter{Codes: []string{"nope"}}); err == nil {
		t.Fatal("an unknown code name is not an error")
	}
}
