package session

import (
	"testing"
	"time"

	"gloss/annotate"
)

func TestDoUndoRedo(t *testing.T) {
	st := &annotate.MemStore{}
	s, err := New(st)
	if err != nil {
		t.Fatal(err)
	}
	src := annotate.Source{ID: "s1", Kind: annotate.KindOriginal, Text: "中美合作 repatriation"}
	code := annotate.Code{ID: "c1", Name: "Cooperation", Color: "#f4c430"}
	calls := 0
	s.OnChange(func(annotate.Change) { calls++ })
	if err := s.Do(annotate.Change{Label: "Import", PutSources: []annotate.Source{src}, PutCodes: []annotate.Code{code}}); err != nil {
		t.Fatal(err)
	}
	sel, _ := annotate.NewText(src.Text).Select(0, 4)
	a := annotate.Annotation{ID: "a1", SourceID: "s1", Selector: sel, Codes: []string{"c1"}}
	if err := s.Do(annotate.Change{Label: "Tag", PutAnnotations: []annotate.Annotation{a}}); err != nil {
		t.Fatal(err)
	}
	if got := s.Index().Annotations("s1"); len(got) != 1 {
		t.Fatalf("annotations: %d", len(got))
	}
	if s.UndoLabel() != "Tag" {
		t.Fatalf("undo label %q", s.UndoLabel())
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if got := s.Index().Annotations("s1"); len(got) != 0 || len(st.P.Annotations) != 0 {
		t.Fatal("undo did not remove the annotation from memory and store")
	}
	if _, err := s.Redo(); err != nil {
		t.Fatal(err)
	}
	if got := s.Index().Annotations("s1"); len(got) != 1 || len(st.P.Annotations) != 1 {
		t.Fatal("redo did not restore")
	}
	bad := a
	bad.ID, bad.Credibility = "a2", 7
	if err := s.Do(annotate.Change{PutAnnotations: []annotate.Annotation{bad}}); err == nil {
		t.Fatal("credibility 7 accepted")
	}
	if calls != 4 {
		t.Fatalf("listeners called %d times, want 4", calls)
	}
	if _, err := s.Redo(); err != ErrNothing {
		t.Fatalf("redo on empty stack: %v", err)
	}
}

// The session mirrors what the store wrote, not what was asked: an
// import's time is stamped by Apply, and the panels must see it.
func TestMirrorsWhatWasWritten(t *testing.T) {
	when := time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)
	st := &annotate.MemStore{Now: func() time.Time { return when }}
	s, err := New(st)
	if err != nil {
		t.Fatal(err)
	}
	src := annotate.Source{ID: "s1", Kind: annotate.KindOriginal, Text: "遣返 cooperation"}
	if err := s.Do(annotate.Change{Label: "Import", PutSources: []annotate.Source{src}}); err != nil {
		t.Fatal(err)
	}
	got := s.Index().Source["s1"]
	if got == nil || !got.ImportedAt.Equal(when) || got.ContentHash == "" || got.Length != 14 {
		t.Fatalf("session holds %+v; want the import time, hash and length the store wrote", got)
	}
	// Moving an annotation to another source is refused by the in-memory
	// store exactly as by a file (both run annotate.Apply).
	other := annotate.Source{ID: "s2", Kind: annotate.KindOriginal, Text: "遣返 again"}
	sel, _ := annotate.NewText(src.Text).Select(0, 2)
	a := annotate.Annotation{ID: "a1", SourceID: "s1", Selector: sel}
	if err := s.Do(annotate.Change{PutSources: []annotate.Source{other}, PutAnnotations: []annotate.Annotation{a}}); err != nil {
		t.Fatal(err)
	}
	a.SourceID = "s2"
	if err := s.Do(annotate.Change{PutAnnotations: []annotate.Annotation{a}}); err == nil {
		t.Fatal("an annotation moved to another source")
	}
}
