package storage

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// loadAll collects what LoadAnnotations hands out, checking each source
// comes once and in text order.
func loadAll(t *testing.T, s *Store) (map[string][]annotate.Annotation, []string) {
	return loadAllHeld(t, s, nil)
}

func loadAllHeld(t *testing.T, s *Store, held func(string) string) (map[string][]annotate.Annotation, []string) {
	t.Helper()
	got := map[string][]annotate.Annotation{}
	bad, err := s.LoadAnnotations(held, func(src string, anns []annotate.Annotation) error {
		if _, twice := got[src]; twice {
			t.Errorf("source %s handed out twice", src)
		}
		if !slices.IsSortedFunc(anns, func(a, b annotate.Annotation) int {
			if annotate.AnnotationLess(&a, &b) {
				return -1
			}
			return 0
		}) {
			t.Errorf("source %s: not in text order", src)
		}
		got[src] = anns
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, bad
}

// Every annotation a snapshot holds comes out of LoadAnnotations, under
// its source, the same record.
func TestLoadAnnotationsMatchesSnapshot(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(12, 7, 3))); err != nil {
		t.Fatal(err)
	}
	want, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	got, bad := loadAll(t, s)
	if len(bad) > 0 {
		t.Fatalf("unreadable in a sound file: %v", bad)
	}
	n := 0
	for _, a := range want.Annotations {
		i := slices.IndexFunc(got[a.SourceID], func(b annotate.Annotation) bool { return b.ID == a.ID })
		if i < 0 {
			t.Fatalf("annotation %s of %s not loaded", a.ID, a.SourceID)
		}
		if !reflect.DeepEqual(got[a.SourceID][i], a) {
			t.Fatalf("annotation %s: %+v, want %+v", a.ID, got[a.SourceID][i], a)
		}
		n++
	}
	total := 0
	for _, l := range got {
		total += len(l)
	}
	if total != n || n == 0 {
		t.Fatalf("loaded %d annotations, the snapshot has %d", total, n)
	}
}

// A damaged annotation is named and skipped; the rest load.
func TestLoadAnnotationsSkipsUnreadable(t *testing.T) {
	s, path := newStore(t)
	p := benchproj.Generate(3, 4, 5)
	if _, err := s.Commit(benchproj.Change(p)); err != nil {
		t.Fatal(err)
	}
	badAnn := p.Annotations[1].ID
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bAnns).Put([]byte(badAnn), []byte("{not json")) }); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); os.Remove(path) }) // damaged on purpose: skip the cleanup check
	got, bad := loadAll(t, s)
	if len(bad) != 1 || !strings.Contains(bad[0], badAnn) {
		t.Fatalf("unreadable = %v, want the damaged %s named", bad, badAnn)
	}
	total := 0
	for _, l := range got {
		total += len(l)
	}
	if total != len(p.Annotations)-1 {
		t.Fatalf("loaded %d of %d annotations, want all but the damaged one", total, len(p.Annotations))
	}
}

// Annotations loaded together share one copy of their source ID and code
// IDs (names), not a copy per record.
func TestLoadAnnotationsSharesNames(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(3, 10, 3))); err != nil {
		t.Fatal(err)
	}
	got, _ := loadAll(t, s)
	codes := map[string]*byte{}
	for src, anns := range got {
		for i := range anns {
			a := &anns[i]
			if unsafe.StringData(a.SourceID) != unsafe.StringData(anns[0].SourceID) || a.SourceID != src {
				t.Fatalf("annotation %s: its source ID is a copy of its own", a.ID)
			}
			for _, c := range a.Codes {
				if p, ok := codes[c]; ok && p != unsafe.StringData(c) {
					t.Fatalf("annotation %s: code %s is a copy of its own", a.ID, c)
				}
				codes[c] = unsafe.StringData(c)
			}
		}
	}
	if len(codes) == 0 {
		t.Fatal("no codes loaded: the test checks nothing")
	}
}

// Given the texts the caller holds, quotes kept in a source's text are
// parts of the caller's string, not copies; where the held text differs
// from the stored one (or there is none), they are read as before.
func TestLoadAnnotationsCutsQuotesFromHeldTexts(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(4, 10, 3))); err != nil {
		t.Fatal(err)
	}
	want, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]string{}
	for _, src := range want.Sources {
		held[src.ID] = strings.Clone(src.Text)
	}
	// One source's held text is out of date: its quotes must not come
	// from it.
	stale := want.Sources[0].ID
	held[stale] = "x" + held[stale]
	got, bad := loadAllHeld(t, s, func(id string) string { return held[id] })
	if len(bad) > 0 {
		t.Fatalf("unreadable in a sound file: %v", bad)
	}
	within := func(part, whole string) bool {
		if part == "" {
			return true
		}
		p, w := uintptr(unsafe.Pointer(unsafe.StringData(part))), uintptr(unsafe.Pointer(unsafe.StringData(whole)))
		return p >= w && p+uintptr(len(part)) <= w+uintptr(len(whole))
	}
	shared := 0
	for _, a := range want.Annotations {
		i := slices.IndexFunc(got[a.SourceID], func(b annotate.Annotation) bool { return b.ID == a.ID })
		if i < 0 {
			t.Fatalf("annotation %s not loaded", a.ID)
		}
		g := got[a.SourceID][i]
		if !reflect.DeepEqual(g, a) {
			t.Fatalf("annotation %s: %+v, want %+v", a.ID, g, a)
		}
		in := within(g.Selector.Exact, held[a.SourceID])
		if a.SourceID == stale && in && g.Selector.Exact != "" {
			t.Fatalf("annotation %s: its quote was cut from a held text that differs from the file's", a.ID)
		}
		if a.SourceID != stale && in && g.Selector.Exact != "" {
			shared++
		}
	}
	if shared == 0 {
		t.Fatal("no quote shares the held text: the test checks nothing")
	}
}
