package annotate

import (
	"math/rand"
	"slices"
	"testing"
)

// A Listing, made from references alone (by code, or every annotation)
// and read a source at a time in any order, lists what Annotations lists, in the same order, whichever
// rows are shown first; it reads only the sources of the rows shown.
func TestListingMatchesAnnotations(t *testing.T) {
	p, x, _ := codedFixture()
	byID := map[string]Annotation{}
	for _, a := range p.Annotations {
		byID[a.ID] = a
	}
	r := rand.New(rand.NewSource(7))
	// As the file's indexes answer, but shuffled, and an annotation
	// carrying two of the codes named twice.
	refs := func(codes []string) ([]AnnotationRef, error) {
		var out []AnnotationRef
		for _, a := range p.Annotations {
			for _, c := range a.Codes {
				if slices.Contains(codes, c) || len(codes) == 0 {
					out = append(out, AnnotationRef{ID: a.ID, SourceID: a.SourceID})
				}
			}
		}
		r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out, nil
	}
	for _, f := range []Filter{
		{Codes: []string{"Code 1"}},
		{Codes: []string{"Code 2", "Code 3"}},
		{Codes: []string{"Code 4"}},
		{Codes: []string{"Code 1"}, Sources: []string{"s0", "s2"}},
		{Codes: []string{"Code 2", "Code 0"}, Sources: []string{"s1", "s4", "s3", "s0", "s2"}},
		{}, // every annotation
		{Sources: []string{"s3", "s1"}},
	} {
		want, err := f.Annotations(x)
		if err != nil || len(want) == 0 {
			t.Fatalf("%+v: %d wanted, %v", f, len(want), err)
		}
		var readSources []string
		read := func(ids []string, fn func(Annotation) error) error {
			src := byID[ids[0]].SourceID
			readSources = append(readSources, src)
			for _, id := range ids {
				if byID[id].SourceID != src {
					t.Fatalf("%+v: one read spans sources %s and %s", f, src, byID[id].SourceID)
				}
				if err := fn(byID[id]); err != nil {
					return err
				}
			}
			return nil
		}
		l, ok, err := f.ListingFrom(x, refs, read)
		if err != nil || !ok {
			t.Fatalf("%+v: %v %v", f, ok, err)
		}
		if l.Len() != len(want) {
			t.Fatalf("%+v: %d rows, want %d", f, l.Len(), len(want))
		}
		if len(readSources) != 0 {
			t.Fatalf("%+v: made by reading %v", f, readSources)
		}
		// Show one row, then find one, before all of them.
		i := r.Intn(l.Len())
		a, err := l.At(i)
		if err != nil || a == nil || a.SourceID != want[i].SourceID {
			t.Fatalf("%+v: row %d is %+v (%v), want one of %s", f, i, a, err, want[i].SourceID)
		}
		if len(readSources) != 1 {
			t.Fatalf("%+v: showing one row read %v", f, readSources)
		}
		if at, err := l.Find(want[len(want)-1].ID); at != len(want)-1 || err != nil {
			t.Fatalf("%+v: the last annotation found at %d (%v)", f, at, err)
		}
		for i := range want {
			a, err := l.At(i)
			if err != nil || a == nil || a.ID != want[i].ID || l.Ref(i).ID != want[i].ID {
				t.Fatalf("%+v: row %d is %+v (%v), want %s", f, i, a, err, want[i].ID)
			}
		}
		if at, _ := l.Find("a-none"); at != -1 {
			t.Errorf("%+v: a missing annotation found at %d", f, at)
		}
	}
	if _, ok, _ := (Filter{Codes: []string{"Code 1"}, Stances: []StanceMark{{Target: "China"}}}).ListingFrom(x, refs, nil); ok {
		t.Error("a filter on stances was answered from references")
	}
	if _, ok, _ := (Filter{Authors: []string{"ana"}}).ListingFrom(x, refs, nil); ok {
		t.Error("a filter on authors was answered from references")
	}
}

// A row whose record has gone since the listing was made is nil and goes
// last in its source; a listing that has read more than maxListed rows
// forgets them and reads again what is shown.
func TestListingRowsGoneAndForgotten(t *testing.T) {
	p, x, _ := codedFixture()
	byID := map[string]Annotation{}
	var refs []AnnotationRef
	for _, a := range p.Annotations {
		byID[a.ID] = a
		refs = append(refs, AnnotationRef{ID: a.ID, SourceID: a.SourceID})
	}
	gone := p.Annotations[0].ID
	reads := 0
	read := func(ids []string, fn func(Annotation) error) error {
		reads++
		for _, id := range ids {
			if id != gone {
				if err := fn(byID[id]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	// Every code: every annotation.
	var codes []string
	for _, c := range p.Codes {
		codes = append(codes, c.ID)
	}
	l, ok, err := Filter{Codes: codes}.ListingFrom(x, func([]string) ([]AnnotationRef, error) { return refs, nil }, read)
	if err != nil || !ok || l.Len() != len(p.Annotations) {
		t.Fatalf("%v %v %d", ok, err, l.Len())
	}
	at, err := l.Find(gone)
	if err != nil || at < 0 {
		t.Fatalf("the gone annotation's row: %d %v", at, err)
	}
	if a, err := l.At(at); a != nil || err != nil {
		t.Fatalf("the gone annotation's row is %+v, %v", a, err)
	}
	if at+1 < l.Len() && l.Ref(at+1).SourceID == p.Annotations[0].SourceID {
		t.Errorf("row %d, after the gone one, is of the same source", at+1)
	}
	defer func(n int) { maxListed = n }(maxListed)
	maxListed = 30
	reads = 0
	for i := 0; i < l.Len(); i++ {
		if _, err := l.At(i); err != nil {
			t.Fatal(err)
		}
	}
	if len(l.got) > maxListed+l.Len()/len(p.Sources)*2 {
		t.Errorf("%d rows held, the most is about %d", len(l.got), maxListed)
	}
	before := reads
	if _, err := l.At(0); err != nil {
		t.Fatal(err)
	}
	if reads != before+1 {
		t.Errorf("the first row, forgotten, was not read again (%d reads, then %d)", before, reads)
	}
}
