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
	// A listener stopped is told no more; the others still are.
	other := 0
	stop := s.OnChange(func(annotate.Change) { other++ })
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := s.Redo(); err != nil {
		t.Fatal(err)
	}
	if calls != 6 || other != 1 {
		t.Fatalf("after stopping one listener: %d and %d calls, want 6 and 1", calls, other)
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

// gatedStore holds each commit until let through, so a test can act
// while one is being saved.
type gatedStore struct {
	*annotate.MemStore
	entered chan struct{}
	gate    chan struct{}
}

func (g *gatedStore) Commit(c annotate.Change) (annotate.Applied, error) {
	if gate := g.gate; gate != nil {
		g.entered <- struct{}{}
		<-gate
	}
	return g.MemStore.Commit(c)
}

// TestQuietStepWhileBusy is a large undo saved in the background: it tells
// no listener until the caller passes its change to Notify, its size is
// known beforehand, and a second undo or redo meanwhile is refused rather
// than applying the same change twice.
func TestQuietStepWhileBusy(t *testing.T) {
	st := &gatedStore{MemStore: &annotate.MemStore{}}
	s, err := New(st)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	s.OnChange(func(annotate.Change) { calls++ })
	imp := annotate.Change{Label: "Import", PutSources: []annotate.Source{
		{ID: "s1", Kind: annotate.KindOriginal, Text: "one"}, {ID: "s2", Kind: annotate.KindOriginal, Text: "two"}}}
	if err := s.Do(imp); err != nil {
		t.Fatal(err)
	}
	if n := s.UndoSize(); n != 2 {
		t.Fatalf("UndoSize %d, want 2", n)
	}
	if n := s.RedoSize(); n != 0 {
		t.Fatalf("RedoSize %d, want 0", n)
	}
	st.entered, st.gate = make(chan struct{}), make(chan struct{})
	type result struct {
		label string
		done  annotate.Change
		err   error
	}
	res := make(chan result)
	go func() {
		l, d, err := s.UndoQuiet()
		res <- result{l, d, err}
	}()
	<-st.entered
	if _, err := s.Undo(); err != ErrBusy {
		t.Fatalf("undo while an undo is saved: %v, want ErrBusy", err)
	}
	if _, err := s.Redo(); err != ErrBusy {
		t.Fatalf("redo while an undo is saved: %v, want ErrBusy", err)
	}
	close(st.gate)
	r := <-res
	st.gate = nil
	if r.err != nil || r.label != "Import" || len(r.done.DelSources) != 2 {
		t.Fatalf("UndoQuiet: %q %+v %v", r.label, r.done, r.err)
	}
	if calls != 1 || len(s.Index().P.Sources) != 0 {
		t.Fatalf("after the quiet undo: %d listener calls (want 1, the import's), %d sources", calls, len(s.Index().P.Sources))
	}
	s.Notify(r.done)
	if calls != 2 {
		t.Fatalf("Notify: %d listener calls, want 2", calls)
	}
	if n := s.RedoSize(); n != 2 {
		t.Fatalf("RedoSize after the undo %d, want 2", n)
	}
	if _, _, err := s.RedoQuiet(); err != nil || len(s.Index().P.Sources) != 2 {
		t.Fatalf("RedoQuiet: %v, %d sources", err, len(s.Index().P.Sources))
	}
}
