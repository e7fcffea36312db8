package storage

import (
	"reflect"
	"testing"

	"gloss/annotate"
)

// Figure marks are part of the source record: a put of the source stores
// them, they survive closing the file, and undo takes them back off.
func TestFigureMarksPersist(t *testing.T) {
	s, path := newStore(t)
	if _, err := s.Commit(annotate.Change{PutSources: []annotate.Source{{ID: "s1", Kind: annotate.KindOriginal, Text: "37,000 arrests and 24,000 crossings."}}}); err != nil {
		t.Fatal(err)
	}
	src, err := s.Source("s1")
	if err != nil {
		t.Fatal(err)
	}
	src.FigureMarks = []annotate.FigureMark{{Figure: "s1:0-6", Preferred: true, Group: "border"}, {Figure: "s1:19-25", Split: true}}
	r, err := s.Commit(annotate.Change{PutSources: []annotate.Source{src}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Source("s1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.FigureMarks, src.FigureMarks) {
		t.Fatalf("reopened: marks %+v, want %+v", got.FigureMarks, src.FigureMarks)
	}
	p, err := s2.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) != 1 || !reflect.DeepEqual(p.Sources[0].FigureMarks, src.FigureMarks) {
		t.Fatalf("snapshot: %+v", p.Sources)
	}
	if _, err := s2.Commit(r.Undo); err != nil {
		t.Fatal(err)
	}
	if got, _ := s2.Source("s1"); got.FigureMarks != nil {
		t.Fatalf("undo left %+v", got.FigureMarks)
	}
	bad := got
	bad.FigureMarks = []annotate.FigureMark{{Figure: "s2:0-6", Split: true}}
	if _, err := s2.Commit(annotate.Change{PutSources: []annotate.Source{bad}}); err == nil {
		t.Fatal("a mark naming another source's figure was stored")
	}
}
