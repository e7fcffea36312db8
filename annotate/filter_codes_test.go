package annotate_test

import (
	"math/rand"
	"slices"
	"testing"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// TestFilterByCodesMatchesWalk checks the by-code path of
// Filter.Annotations against reading every annotation in order, for
// single codes, parents with their subtree, several codes, codes with
// other conditions and chosen sources, before and after changes that
// retag, add and delete annotations (the lists With rebuilds).
func TestFilterByCodesMatchesWalk(t *testing.T) {
	p := benchproj.Generate(60, 12, 7)
	x := annotate.NewIndex(p)
	r := rand.New(rand.NewSource(3))
	for round := 0; round < 6; round++ {
		for _, f := range filters(x, r) {
			got, err := f.Annotations(x)
			if err != nil {
				t.Fatal(err)
			}
			want := walk(t, x, f)
			if !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("round %d, filter %+v:\n got %v\nwant %v", round, f, ids(got), ids(want))
			}
		}
		x = x.With(randomChange(x, r))
	}
}

func filters(x *annotate.Index, r *rand.Rand) []annotate.Filter {
	var fs []annotate.Filter
	for _, c := range x.P.Codes {
		fs = append(fs, annotate.Filter{Codes: []string{c.Name}})
	}
	c1, c2 := x.P.Codes[r.Intn(len(x.P.Codes))], x.P.Codes[r.Intn(len(x.P.Codes))]
	srcs := []string{x.P.Sources[5].ID, x.P.Sources[2].ID, x.P.Sources[r.Intn(len(x.P.Sources))].ID}
	return append(fs,
		annotate.Filter{Codes: []string{c1.Name, c2.Name}},
		annotate.Filter{Codes: []string{c1.Name}, Sources: srcs},
		annotate.Filter{Codes: []string{c1.Name}, MaxCredibility: 3},
		annotate.Filter{Codes: []string{c2.Name}, Stances: []annotate.StanceMark{{Stance: annotate.Against}}},
	)
}

// walk is what the filter means: every annotation of the chosen sources
// (all, in project order, when none are), in text order, that matches.
func walk(t *testing.T, x *annotate.Index, f annotate.Filter) []*annotate.Annotation {
	sub, err := f.Apply(x.Project())
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	for _, a := range sub.Annotations {
		keep[a.ID] = true
	}
	srcs := f.Sources
	if len(srcs) == 0 {
		for _, s := range x.P.Sources {
			srcs = append(srcs, s.ID)
		}
	}
	var out []*annotate.Annotation
	for _, id := range srcs {
		for _, a := range x.Annotations(id) {
			if keep[a.ID] {
				out = append(out, a)
			}
		}
	}
	return out
}

func randomChange(x *annotate.Index, r *rand.Rand) annotate.Change {
	var c annotate.Change
	for i := 0; i < 30; i++ {
		src := x.P.Sources[r.Intn(len(x.P.Sources))]
		list := x.Annotations(src.ID)
		if len(list) == 0 {
			continue
		}
		a := list[r.Intn(len(list))].Copy()
		switch r.Intn(3) {
		case 0: // retag
			a.Codes = []string{x.P.Codes[r.Intn(len(x.P.Codes))].ID, x.P.Codes[r.Intn(len(x.P.Codes))].ID}
			if a.Codes[0] == a.Codes[1] {
				a.Codes = a.Codes[:1]
			}
			c.PutAnnotations = append(c.PutAnnotations, a)
		case 1: // a new annotation on the same passage, earlier in ID order
			a.ID = a.ID[:len(a.ID)-1] + "0"
			if x.Annotation(a.ID) == nil {
				c.PutAnnotations = append(c.PutAnnotations, a)
			}
		default:
			c.DelAnnotations = append(c.DelAnnotations, a.ID)
		}
	}
	return c
}

func ids(list []*annotate.Annotation) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.ID
	}
	return out
}

// TestCodeFilterMemoFollowsChanges: a project-wide code filter is
// memoised per index and carried into the next index only while the
// change leaves its codes' lists alone; every answer must still be the
// plain walk's, on the new index and on the old one.
func TestCodeFilterMemoFollowsChanges(t *testing.T) {
	x := annotate.NewIndex(benchproj.Generate(40, 10, 11))
	check := func(x *annotate.Index, code string) []*annotate.Annotation {
		t.Helper()
		f := annotate.Filter{Codes: []string{code}}
		for range 2 { // built, then from the memo
			got, err := f.Annotations(x)
			if err != nil {
				t.Fatal(err)
			}
			if want := walk(t, x, f); !slices.Equal(got, want) {
				t.Fatalf("filter by %s:\n got %v\nwant %v", code, ids(got), ids(want))
			}
		}
		got, _ := f.Annotations(x)
		return got
	}
	codeA, codeB, codeC := x.P.Codes[0], x.P.Codes[1], x.P.Codes[2]
	before := check(x, codeA.Name)
	check(x, codeB.Name)
	before[0] = nil // a caller's changes to its copy stay its own
	check(x, codeA.Name)

	// Retag an annotation from B to C: A's answer may be carried, B's not.
	var moved annotate.Annotation
	x.EachAnnotation(func(a *annotate.Annotation) bool {
		if len(a.Codes) == 1 && a.Codes[0] == codeB.ID {
			moved = a.Copy()
			return false
		}
		return true
	})
	if moved.ID == "" {
		t.Fatal("fixture: no annotation with only code B")
	}
	moved.Codes = []string{codeC.ID}
	y := x.With(annotate.Change{PutAnnotations: []annotate.Annotation{moved}})
	check(y, codeA.Name)
	if got := check(y, codeB.Name); slices.ContainsFunc(got, func(a *annotate.Annotation) bool { return a.ID == moved.ID }) {
		t.Fatal("the retagged annotation is still listed under its old code")
	}
	check(y, codeC.Name)
	check(x, codeB.Name) // the old index keeps its own answer

	// A note on an annotation with code A: the list must hold the new record.
	var noted annotate.Annotation
	y.EachAnnotation(func(a *annotate.Annotation) bool {
		if a.HasCode(codeA.ID) {
			noted = a.Copy()
			return false
		}
		return true
	})
	noted.Note = "checked against the ministry's figures"
	z := y.With(annotate.Change{PutAnnotations: []annotate.Annotation{noted}})
	found := false
	for _, a := range check(z, codeA.Name) {
		found = found || a.ID == noted.ID && a.Note == noted.Note
	}
	if !found {
		t.Fatal("filtering by code A after a note was added lists the old record")
	}
}
