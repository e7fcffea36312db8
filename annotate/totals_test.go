package annotate

import (
	"fmt"
	"math/rand"
	"testing"
)

// codedFixture is a project of five sources and 120 annotations with
// nested codes, and withCodes answering as a project file's index by code
// does (each annotation once, in no source order).
func codedFixture() (*Project, *Index, func(codes []string, fn func(Annotation) error) error) {
	r := rand.New(rand.NewSource(3))
	p := &Project{}
	for i := range 6 {
		p.Codes = append(p.Codes, Code{ID: fmt.Sprint("c", i), Name: fmt.Sprint("Code ", i)})
	}
	p.Codes[4].Parent, p.Codes[5].Parent = "c1", "c4"
	p.Targets = []Target{{ID: "t0", Name: "China"}}
	text := "Officials said the return flights would continue next month, and critics disagreed."
	for s := range 5 {
		p.Sources = append(p.Sources, Source{ID: fmt.Sprint("s", 4-s), Text: text})
	}
	tx := NewText(text)
	for i := range 120 {
		a := r.Intn(len(text) - 10)
		sel, _ := tx.Select(a, a+1+r.Intn(8))
		ann := Annotation{ID: fmt.Sprintf("a%03d", i), SourceID: fmt.Sprint("s", r.Intn(5)), Selector: sel,
			Codes: []string{fmt.Sprint("c", r.Intn(6))}, Credibility: Credibility(r.Intn(4))}
		if r.Intn(3) == 0 {
			if c := fmt.Sprint("c", r.Intn(6)); c != ann.Codes[0] { // as Apply keeps them: each once
				ann.Codes = append(ann.Codes, c)
			}
			ann.Stances = []StanceMark{{Target: "t0", Stance: Against}}
		}
		p.Annotations = append(p.Annotations, ann)
	}
	x := NewIndex(p)
	withCodes := func(codes []string, fn func(Annotation) error) error {
		for _, a := range p.Annotations {
			for _, c := range a.Codes {
				if slicesContains(codes, c) {
					if err := fn(a); err != nil {
						return err
					}
					break
				}
			}
		}
		return nil
	}
	return p, x, withCodes
}

// AnnotationsFrom, reading a code's annotations from elsewhere, gives what
// Annotations gives on an index holding them all, in the same order.
func TestAnnotationsFromMatchesAnnotations(t *testing.T) {
	_, x, withCodes := codedFixture()
	for _, f := range []Filter{
		{Codes: []string{"Code 1"}},
		{Codes: []string{"Code 2", "Code 3"}},
		{Codes: []string{"Code 0"}, Stances: []StanceMark{{Target: "China"}}},
		{Codes: []string{"Code 4"}, MinCredibility: 2},
		{Codes: []string{"Code 1"}, Sources: []string{"s0", "s2"}},
		{Codes: []string{"Code 2"}, Sources: []string{"s1", "s4", "s3", "s0", "s2"}},
	} {
		want, err := f.Annotations(x)
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := f.AnnotationsFrom(x, withCodes)
		if err != nil || !ok {
			t.Fatalf("%+v: %v %v", f, ok, err)
		}
		if len(want) == 0 {
			t.Fatalf("%+v: the fixture finds nothing", f)
		}
		if len(got) != len(want) {
			t.Fatalf("%+v: %d annotations, want %d", f, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("%+v: row %d is %s, want %s", f, i, got[i].ID, want[i].ID)
			}
		}
	}
	if _, ok, _ := (Filter{Authors: []string{"ana"}}).AnnotationsFrom(x, withCodes); ok {
		t.Error("a filter without codes was answered")
	}
}

func slicesContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
