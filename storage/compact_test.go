package storage

import (
	"fmt"
	"testing"

	"gloss/annotate"
)

func TestCompactKeepsProjectAndOriginal(t *testing.T) {
	s, path := newStore(t)
	src, code, _ := seed(t, s)
	// Churn: many annotations saved and deleted leave free pages behind.
	for round := 0; round < 3; round++ {
		var c annotate.Change
		n := 1000
		if round == 2 {
			n = 100 // the project left is small; the file had grown large
		}
		for i := 0; i < n; i++ {
			a := annotation(t, src, i%20, i%20+3, code.ID)
			a.Note = fmt.Sprintf("round %d note %d %s", round, i, zhText)
			c.PutAnnotations = append(c.PutAnnotations, a)
		}
		r, err := s.Commit(c)
		if err != nil {
			t.Fatal(err)
		}
		if round < 2 {
			if _, err := s.Commit(r.Undo); err != nil {
				t.Fatal(err)
			}
		}
	}
	want, _ := s.Snapshot()
	s.Close()
	r, err := Compact(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.After >= r.Before {
		t.Errorf("compaction did not shrink the file: %d → %d bytes", r.Before, r.After)
	}
	// No room left at the end: bbolt grows a file up to 16 MiB ahead.
	if pf, err := statPages(path); err != nil || uint64(r.After) != pf.meta.hwm*pf.ps {
		t.Errorf("compacted file of %d bytes, its pages end at %d (%v)", r.After, pf.meta.hwm*pf.ps, err)
	}
	c, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.Snapshot()
	c.Close()
	if len(got.Annotations) != len(want.Annotations) || len(got.Annotations) != 100 {
		t.Fatalf("after compaction %d annotations, want %d", len(got.Annotations), len(want.Annotations))
	}
	k, err := Open(r.Kept, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the original was not kept at %s: %v", r.Kept, err)
	}
	k.Close()
	t.Logf("compacted %d → %d bytes; original kept at %s", r.Before, r.After, r.Kept)
}
