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
	if want := []string{"a0", "a1", "a3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("text order: got %v, want %v", got, want)
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
