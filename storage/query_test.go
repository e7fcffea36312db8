package storage

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

func generated(t testing.TB, sources, per int) (*Store, *annotate.Project) {
	t.Helper()
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(sources, per, 7))); err != nil {
		t.Fatal(err)
	}
	p, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return s, p
}

// The catalog is the snapshot without texts and annotations.
func TestCatalogIsSnapshotWithoutTexts(t *testing.T) {
	s, p := generated(t, 30, 10)
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Annotations) != 0 {
		t.Errorf("catalog read %d annotations", len(cat.Annotations))
	}
	want := *p
	want.Annotations = nil
	want.Sources = nil
	for _, src := range p.Sources {
		src.Text = ""
		want.Sources = append(want.Sources, src)
	}
	want.Versions = nil
	for _, v := range p.Versions {
		v.Text = ""
		want.Versions = append(want.Versions, v)
	}
	if !reflect.DeepEqual(cat, &want) {
		t.Errorf("catalog differs from the snapshot without texts:\n%+v\n%+v", cat, &want)
	}
	if len(cat.Sources) != 30 || len(cat.Codes) == 0 || len(cat.Links) == 0 {
		t.Errorf("catalog: %d sources, %d codes, %d links", len(cat.Sources), len(cat.Codes), len(cat.Links))
	}
}

func TestTextReadsOneSource(t *testing.T) {
	s, p := generated(t, 5, 2)
	for _, src := range p.Sources {
		got, err := s.Text(src.ID)
		if err != nil || got != src.Text {
			t.Errorf("Text(%s) = %d bytes, %v; want %d bytes", src.ID, len(got), err, len(src.Text))
		}
	}
	if _, err := s.Text("s-none"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "s-none") {
		t.Errorf("Text of no source: %v", err)
	}
}

// The index answers what a scan of every annotation would.
func TestCodeQueriesMatchAScan(t *testing.T) {
	s, p := generated(t, 40, 12)
	wantUse := map[string]int{}
	wantCount := map[string]int{}
	wantIDs := map[string][]string{}
	for _, a := range p.Annotations {
		wantCount[a.SourceID]++
		for _, c := range a.Codes {
			wantUse[c]++
			wantIDs[c] = append(wantIDs[c], a.ID)
		}
	}
	use, err := s.CodeUsage()
	if err != nil || !reflect.DeepEqual(use, wantUse) {
		t.Errorf("CodeUsage = %v, %v; want %v", use, err, wantUse)
	}
	counts, err := s.AnnotationCounts()
	if err != nil || !reflect.DeepEqual(counts, wantCount) {
		t.Errorf("AnnotationCounts = %v, %v; want %v", counts, err, wantCount)
	}
	if len(wantIDs) < 2 {
		t.Fatalf("the generated project uses %d codes", len(wantIDs))
	}
	for _, c := range p.Codes {
		var got []string
		if err := s.AnnotationsWithCode(c.ID, func(a annotate.Annotation) error {
			if !a.HasCode(c.ID) {
				t.Errorf("annotation %s lacks code %s", a.ID, c.ID)
			}
			got = append(got, a.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := wantIDs[c.ID]
		sort.Strings(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("code %s: %d annotations, want %d", c.ID, len(got), len(want))
		}
	}
	stop := errors.New("enough")
	n := 0
	if err := s.AnnotationsWithCode(p.Codes[0].ID, func(annotate.Annotation) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("fn's error did not stop the walk: %v after %d", err, n)
	}
	n = 0
	if err := s.AnnotationsWithCode("c-none", func(annotate.Annotation) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("unknown code: %d annotations, %v", n, err)
	}
}

// A walk long enough to drop the pages it read from memory (every 4,096
// records) still reads every annotation whole.
func TestEachAnnotationAfterDroppingPages(t *testing.T) {
	s, p := generated(t, 70, 200)
	want := map[string]annotate.Annotation{}
	for _, a := range p.Annotations {
		want[a.ID] = a
	}
	n := 0
	if err := s.EachAnnotation("", nil, func(a annotate.Annotation) error {
		n++
		if !reflect.DeepEqual(a, want[a.ID]) {
			t.Fatalf("annotation %s read back differently", a.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != len(want) || n < 3*4096 {
		t.Fatalf("%d annotations walked, want %d (over 3×4096)", n, len(want))
	}
	if probs, err := s.Check(); err != nil || len(probs) > 0 {
		t.Fatalf("check: %v %v", probs, err)
	}
}

func TestHeadIsSnapshotWithoutAnnotations(t *testing.T) {
	s, p := generated(t, 30, 10)
	head, err := s.Head()
	if err != nil {
		t.Fatal(err)
	}
	want := *p
	want.Annotations = nil
	want.Versions = nil
	for _, v := range p.Versions {
		v.Text = ""
		want.Versions = append(want.Versions, v)
	}
	if !reflect.DeepEqual(head, &want) {
		t.Errorf("head differs from the snapshot without annotations:\n%+v\n%+v", head, &want)
	}
	if len(head.Sources) != 30 || head.Sources[0].Text == "" {
		t.Errorf("head: %d sources, first text %q", len(head.Sources), head.Sources[0].Text)
	}
}
