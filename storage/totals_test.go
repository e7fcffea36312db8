package storage

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// reviewable marks some annotations fuzzy and gives one a conflict.
func reviewable(p *annotate.Project) {
	for i := range p.Annotations {
		a := &p.Annotations[i]
		switch i % 7 {
		case 1:
			a.Anchor, a.Score = annotate.AnchorFuzzy, 0.8
		case 4:
			a.Conflicts = []annotate.AnnotationVersion{{Origin: "colleague", Selector: a.Selector, Codes: a.Codes, Modified: a.Modified}}
		}
	}
}

func TestTotalsCountWhatTheIndexHolds(t *testing.T) {
	s, _ := newStore(t)
	p := benchproj.Generate(12, 5, 7)
	reviewable(p)
	if _, err := s.Commit(benchproj.Change(p)); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		got, err := s.Totals()
		if err != nil {
			t.Fatal(err)
		}
		want := annotate.TotalsOf(mustSnapshot(t, s).Annotations)
		if want.Annotations == 0 || len(want.Review) == 0 || len(want.Authors) == 0 || len(want.Stances) == 0 {
			t.Fatalf("%s: the fixture lacks something to count: %+v", when, want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Totals = %+v,\nwant %+v", when, got, want)
		}
	}
	check("after the import")
	// A change keeps them current: one annotation reviewed, one deleted.
	snap := mustSnapshot(t, s)
	var c annotate.Change
	for _, a := range snap.Annotations {
		if a.Anchor == annotate.AnchorFuzzy && len(c.PutAnnotations) == 0 {
			a.Anchor, a.Score = "", 0
			c.PutAnnotations = append(c.PutAnnotations, a)
		} else if len(c.DelAnnotations) == 0 && len(a.Codes) > 0 {
			c.DelAnnotations = append(c.DelAnnotations, a.ID)
		}
	}
	if _, err := s.Commit(c); err != nil {
		t.Fatal(err)
	}
	check("after a change")
}

func TestMigrationTo11IndexesWhatNeedsReview(t *testing.T) {
	s, path := newStore(t)
	p := benchproj.Generate(6, 4, 3)
	reviewable(p)
	if _, err := s.Commit(benchproj.Change(p)); err != nil {
		t.Fatal(err)
	}
	want := annotate.TotalsOf(mustSnapshot(t, s).Annotations)
	// A schema 10 file: no review entries.
	dropped := 0
	if err := s.update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bIdx).Cursor()
		for k, _ := c.Seek([]byte{ixAnnToReview}); k != nil && k[0] == ixAnnToReview; k, _ = c.Seek([]byte{ixAnnToReview}) {
			if err := c.Delete(); err != nil {
				return err
			}
			dropped++
		}
		return tx.Bucket(bMeta).Put(kSchema, []byte("10"))
	}); err != nil {
		t.Fatal(err)
	}
	if dropped == 0 {
		t.Fatal("the fixture has nothing to review")
	}
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Totals()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Review, want.Review) {
		t.Errorf("review by source after migrating = %v, want %v", got.Review, want.Review)
	}
	if errs, err := s2.Check(); err != nil || len(errs) > 0 {
		t.Errorf("check after migrating: %v %v", errs, err)
	}
}

// Migration 12 rewrites the index by code so each entry names its
// annotation's source: the code's annotations are then named by
// reference, with their sources, and the file checks clean.
func TestMigrationTo12NamesSourcesInTheIndexByCode(t *testing.T) {
	s, path := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(6, 5, 4))); err != nil {
		t.Fatal(err)
	}
	snap := mustSnapshot(t, s)
	code := snap.Codes[1].ID
	want, err := s.AnnotationRefs([]string{code})
	if err != nil || len(want) < 2 {
		t.Fatalf("%d references before (%v)", len(want), err)
	}
	// A schema 11 file: entries of code and annotation alone.
	n := 0
	if err := s.update(func(tx *bolt.Tx) error {
		ix := tx.Bucket(bIdx)
		var old [][]byte
		c := ix.Cursor()
		for k, _ := c.Seek([]byte{ixAnnByCode}); k != nil && k[0] == ixAnnByCode; k, _ = c.Next() {
			old = append(old, bytes.Clone(k))
		}
		for _, k := range old {
			code, member, _ := bytes.Cut(k[1:], []byte{0})
			_, ann, ok := codeMember(member)
			if !ok {
				return fmt.Errorf("entry %q is not of schema 12", k)
			}
			if err := ix.Delete(k); err != nil {
				return err
			}
			if err := ix.Put(ixKey(ixAnnByCode, string(code), string(ann)), nil); err != nil {
				return err
			}
			n++
		}
		return tx.Bucket(bMeta).Put(kSchema, []byte("11"))
	}); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("the fixture has no coded annotation")
	}
	if errs, _ := s.Check(); len(errs) == 0 {
		t.Fatal("a schema 11 index checks clean against schema 12's")
	}
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.AnnotationRefs([]string{code})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after migrating, %v (%v), want %v", got, err, want)
	}
	if errs, err := s2.Check(); err != nil || len(errs) > 0 {
		t.Errorf("check after migrating: %v %v", errs, err)
	}
}

// UnreadableAnnotations names the damaged annotation records as reading
// them all does, and no others.
func TestUnreadableAnnotationsNamesWhatLoadingWould(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(5, 4, 9))); err != nil {
		t.Fatal(err)
	}
	if bad, err := s.UnreadableAnnotations(); err != nil || len(bad) != 0 {
		t.Fatalf("a sound file: %q, %v", bad, err)
	}
	var victim string
	if err := s.update(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bAnns).Cursor().First()
		victim = string(k)
		return tx.Bucket(bAnns).Put([]byte(victim), []byte{annCodecV2, 0xff, 0xff})
	}); err != nil {
		t.Fatal(err)
	}
	bad, err := s.UnreadableAnnotations()
	if err != nil {
		t.Fatal(err)
	}
	var loaded []string
	if loaded, err = s.LoadAnnotations(nil, func(string, []annotate.Annotation) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || !reflect.DeepEqual(bad, loaded) {
		t.Errorf("UnreadableAnnotations = %q, LoadAnnotations named %q", bad, loaded)
	}
	// Gone before newStore's check of the file at cleanup.
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bAnns).Delete([]byte(victim)) }); err != nil {
		t.Fatal(err)
	}
	if err := s.update(buildIndex); err != nil {
		t.Fatal(err)
	}
}

// EachText hands over every source's text, as Head reads them.
func TestEachTextGivesEverySourcesText(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(7, 2, 5))); err != nil {
		t.Fatal(err)
	}
	head, err := s.Head()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	if err := s.EachText(func(id, text string) error { got[id] = text; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(head.Sources) {
		t.Fatalf("%d texts for %d sources", len(got), len(head.Sources))
	}
	for _, src := range head.Sources {
		if got[src.ID] != src.Text {
			t.Errorf("source %s: EachText gave %q, Head %q", src.ID, got[src.ID], src.Text)
		}
	}
}

// AnnotationsWithCodes finds every annotation carrying any of the codes,
// each once, as a walk of every annotation does.
func TestAnnotationsWithCodesFindsEachOnce(t *testing.T) {
	defer func(n int) { partRecords = n }(partRecords)
	partRecords = 4 // read in parts, as a large project is
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(8, 6, 11))); err != nil {
		t.Fatal(err)
	}
	snap := mustSnapshot(t, s)
	codes := []string{snap.Codes[1].ID, snap.Codes[2].ID}
	want := map[string]bool{}
	for _, a := range snap.Annotations {
		if a.HasCode(codes[0]) || a.HasCode(codes[1]) {
			want[a.ID] = true
		}
	}
	byID := map[string]annotate.Annotation{}
	for _, a := range snap.Annotations {
		byID[a.ID] = a
	}
	got, unquoted := map[string]bool{}, 0
	if err := s.AnnotationsWithCodes(codes, func(a annotate.Annotation) error {
		if got[a.ID] {
			t.Errorf("annotation %s given twice", a.ID)
		}
		got[a.ID] = true
		full := byID[a.ID]
		// Only the quote and its context may be missing, and the quote
		// is where the selector says.
		if a.Selector.Exact == "" {
			unquoted++
			a.Selector.Exact, a.Selector.Prefix, a.Selector.Suffix = full.Selector.Exact, full.Selector.Prefix, full.Selector.Suffix
		}
		if !reflect.DeepEqual(a, full) {
			t.Errorf("annotation %s is\n%+v, want\n%+v", a.ID, a, full)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("found %d annotations, want %d", len(got), len(want))
	}
	if unquoted == 0 {
		t.Error("every quote was looked up all the same")
	}
}

// AnnotationRefs names each annotation carrying any of the codes
// once, with its source, without reading a record; AnnotationsByID reads
// them back in the order asked, skipping one deleted since.
func TestAnnotationRefsNameTheirSources(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(8, 6, 11))); err != nil {
		t.Fatal(err)
	}
	snap := mustSnapshot(t, s)
	codes := []string{snap.Codes[1].ID, snap.Codes[2].ID}
	want := map[annotate.AnnotationRef]bool{}
	for _, a := range snap.Annotations {
		if a.HasCode(codes[0]) || a.HasCode(codes[1]) {
			want[annotate.AnnotationRef{ID: a.ID, SourceID: a.SourceID}] = true
		}
	}
	refs, err := s.AnnotationRefs(codes)
	if err != nil {
		t.Fatal(err)
	}
	got := map[annotate.AnnotationRef]bool{}
	for _, r := range refs {
		if got[r] {
			t.Errorf("%+v named twice", r)
		}
		got[r] = true
	}
	if len(want) < 2 || !reflect.DeepEqual(got, want) {
		t.Fatalf("named %d annotations, want %d", len(got), len(want))
	}
	if none, err := s.AnnotationRefs([]string{"c-none"}); len(none) != 0 || err != nil {
		t.Errorf("a code nothing carries names %v (%v)", none, err)
	}
	all, err := s.AnnotationRefs(nil)
	if err != nil || len(all) != len(snap.Annotations) {
		t.Fatalf("no code names %d annotations (%v), want all %d", len(all), err, len(snap.Annotations))
	}
	for _, a := range snap.Annotations {
		if !slices.Contains(all, annotate.AnnotationRef{ID: a.ID, SourceID: a.SourceID}) {
			t.Errorf("annotation %s of %s not named", a.ID, a.SourceID)
		}
	}

	gone := refs[0].ID
	if _, err := s.Commit(annotate.Change{DelAnnotations: []string{gone}}); err != nil {
		t.Fatal(err)
	}
	ids := []string{refs[len(refs)-1].ID, gone, refs[1].ID}
	var read []string
	if err := s.AnnotationsByID(ids, func(a annotate.Annotation) error {
		read = append(read, a.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, []string{ids[0], ids[2]}) {
		t.Errorf("read %v of %v, %s deleted", read, ids, gone)
	}
}

// mergeRefs gives what sorting and compacting every code's references
// gave, from runs in the index's order: with overlaps (an annotation
// under a parent code and its child), empty runs, and a run out of order.
func TestMergeRefsIsSortAndCompact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 15))
	byRef := func(a, b annotate.AnnotationRef) int {
		return cmp.Or(strings.Compare(a.SourceID, b.SourceID), strings.Compare(a.ID, b.ID))
	}
	for round := range 300 {
		var refs []annotate.AnnotationRef
		bounds := []int{0}
		for range rng.IntN(5) {
			var run []annotate.AnnotationRef
			for range rng.IntN(30) {
				run = append(run, annotate.AnnotationRef{
					SourceID: fmt.Sprintf("s%d", rng.IntN(6)),
					ID:       fmt.Sprintf("a%02d", rng.IntN(40)),
				})
			}
			if round%10 != 0 { // every tenth round keeps a run out of order
				slices.SortFunc(run, byRef)
				run = slices.Compact(run)
			}
			refs = append(refs, run...)
			bounds = append(bounds, len(refs))
		}
		want := slices.Clone(refs)
		slices.SortFunc(want, byRef)
		want = slices.Compact(want)
		got := mergeRefs(slices.Clone(refs), bounds)
		if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("round %d: runs %v at %v merged to %v, want %v", round, refs, bounds, got, want)
		}
	}
}
