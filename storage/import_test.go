package storage

import (
	"encoding/json"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// projectJSON is everything a project holds, for before/after comparisons.
func projectJSON(t *testing.T, s *Store) string {
	t.Helper()
	p, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func importPending(t *testing.T, s *Store) bool {
	t.Helper()
	var pending bool
	if err := s.view(func(tx *bolt.Tx) error { pending = tx.Bucket(bImport) != nil; return nil }); err != nil {
		t.Fatal(err)
	}
	return pending
}

// importParts makes three parts: two new sources with annotations, a new
// code used by a later part, and an annotation that was already in the
// project changed by two parts (the undo must restore the first version).
func importParts(t *testing.T, old annotate.Annotation) []annotate.Change {
	t.Helper()
	a := annotate.Source{ID: "s-imp-a", Title: "A", Kind: annotate.KindOriginal, Language: annotate.Simplified, Text: zhText}
	b := annotate.Source{ID: "s-imp-b", Title: "B", Kind: annotate.KindOriginal, Language: annotate.English, Text: "Officials said both governments agreed.\nA second line."}
	code := annotate.Code{ID: "c-imp", Name: "Imported code", Color: "#80b1d3"}
	changed := old
	changed.Note = "changed by part 2"
	changed2 := old
	changed2.Note = "changed again by part 3"
	return []annotate.Change{
		{PutSources: []annotate.Source{a}, PutAnnotations: []annotate.Annotation{annotation(t, a, 0, 3), annotation(t, a, 4, 9)}},
		{PutCodes: []annotate.Code{code}, PutAnnotations: []annotate.Annotation{annotation(t, a, 10, 12, code.ID), changed}},
		{PutSources: []annotate.Source{b}, PutAnnotations: []annotate.Annotation{annotation(t, b, 0, 9, code.ID), changed2}},
	}
}

func TestImportInPartsUndoesAsOne(t *testing.T) {
	s, _ := newStore(t)
	src, code, _ := seed(t, s)
	old := annotation(t, src, 0, 3, code.ID)
	if _, err := s.Apply(annotate.Change{PutAnnotations: []annotate.Annotation{old}}); err != nil {
		t.Fatal(err)
	}
	before := projectJSON(t, s)
	imp, err := s.BeginImport("Import test.qdpx")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range importParts(t, old) {
		if _, err := imp.Commit(c); err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		if !importPending(t, s) {
			t.Fatal("a part was written without its undo record")
		}
	}
	if _, err := s.BeginImport("another"); err == nil {
		t.Fatal("a second import began while one was running")
	}
	undo, err := imp.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if importPending(t, s) {
		t.Fatal("Finish left the undo records")
	}
	if undo.Label != "Import test.qdpx" || len(undo.DelSources) != 2 || len(undo.PutAnnotations) != 1 || undo.PutAnnotations[0].Note != old.Note {
		t.Fatalf("the undo is not one change back to the project before: %+v", undo)
	}
	after := projectJSON(t, s)
	if after == before {
		t.Fatal("the import changed nothing")
	}
	if _, err := s.Apply(undo); err != nil {
		t.Fatalf("undo: %v", err)
	}
	if got := projectJSON(t, s); got != before {
		t.Fatalf("undo of the import left another project:\n%s\nwant\n%s", got, before)
	}
}

// A part refused half-way, and an import cut short by a crash, leave the
// project as it was.
func TestImportFailureAndCrashTakeEverythingOut(t *testing.T) {
	s, path := newStore(t)
	src, code, _ := seed(t, s)
	old := annotation(t, src, 0, 3, code.ID)
	if _, err := s.Apply(annotate.Change{PutAnnotations: []annotate.Annotation{old}}); err != nil {
		t.Fatal(err)
	}
	before := projectJSON(t, s)
	parts := importParts(t, old)

	imp, err := s.BeginImport("Import")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range parts[:2] {
		if _, err := imp.Commit(c); err != nil {
			t.Fatal(err)
		}
	}
	bad := annotate.Change{PutAnnotations: []annotate.Annotation{{ID: "a-bad", SourceID: "s-missing", Selector: old.Selector}}}
	if _, err := imp.Commit(bad); err == nil || !strings.Contains(err.Error(), "s-missing") {
		t.Fatalf("a part on a missing source: %v", err)
	}
	if err := imp.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := projectJSON(t, s); got != before || importPending(t, s) {
		t.Fatalf("abort left another project (pending %v):\n%s\nwant\n%s", importPending(t, s), got, before)
	}
	if _, err := imp.Commit(parts[0]); err == nil {
		t.Fatal("an aborted import took another part")
	}

	// A crash: parts written, the process gone before Finish.
	imp, err = s.BeginImport("Import")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range parts {
		if _, err := imp.Commit(c); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !importPending(t, ro) {
		t.Fatal("a read-only open touched the unfinished import")
	}
	ro.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := projectJSON(t, s2); got != before || importPending(t, s2) {
		t.Fatalf("the open after a crash left another project (pending %v):\n%s\nwant\n%s", importPending(t, s2), got, before)
	}
	// A current file with nothing pending is not written by an open.
	s2.Close()
	st1 := sum(t, path)
	s3, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s3.Close()
	if st1 != sum(t, path) {
		t.Fatal("opening a file with no unfinished import wrote to it")
	}
}
