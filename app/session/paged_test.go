package session

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
)

// totalStore is a lazyStore with the counts a project file's indexes give.
type totalStore struct {
	*lazyStore
	totals int // Totals calls
}

func (l *totalStore) Totals() (annotate.Totals, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.totals++
	return annotate.TotalsOf(l.P.Annotations), nil
}

// TestPagedSessionCountsTheWholeProject opens a project paged (ReadTotals,
// no background read), makes random changes on shown and unshown sources,
// and checks after each that the counts the window shows are the whole
// project's while the index holds only the sources read; then reads the
// rest and checks the index equals the store.
//
// With few sources held (MaxHeldSources), the session lets go of those
// shown least recently as it goes, and undoes changes to them: the
// counts must not drift.
func TestPagedSessionCountsTheWholeProject(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { pagedScript(t, seed, 0) })
		t.Run(fmt.Sprint(seed, "-held-2"), func(t *testing.T) { pagedScript(t, seed, 2) })
	}
}

func pagedScript(t *testing.T, seed int64, held int) {
	defer func(n int) { LargeProject = n }(LargeProject)
	LargeProject = 1 // Repage pages large projects only
	repaged := false
	if held > 0 {
		defer func(n int) { MaxHeldSources = n }(MaxHeldSources)
		MaxHeldSources = held
	}
	everShown := map[string]bool{} // sources the script showed
	letGo := false                 // and the session let one go
	r := rand.New(rand.NewSource(seed))
	const nSrc = 8
	mem := &annotate.MemStore{}
	var base annotate.Change
	for i := range nSrc {
		base.PutSources = append(base.PutSources, annotate.Source{ID: fmt.Sprint("s", i), Kind: annotate.KindOriginal,
			Text: fmt.Sprintf("Source %d: officials said the flights would continue. 双方将继续合作，核实身份后遣返。", i)})
	}
	for i := range 3 {
		base.PutCodes = append(base.PutCodes, annotate.Code{ID: fmt.Sprint("c", i), Name: fmt.Sprint("Code ", i), Color: annotate.Palette[i]})
	}
	base.PutTargets = []annotate.Target{{ID: "t0", Name: "China"}}
	x0 := annotate.NewIndex(&annotate.Project{Sources: base.PutSources})
	n := 0
	newAnn := func(src string) annotate.Annotation {
		n++
		tx := x0.Text(src)
		a := r.Intn(tx.Len() - 4)
		sel, _ := tx.Select(a, a+1+r.Intn(3))
		ann := annotate.Annotation{ID: fmt.Sprint("a", n), SourceID: src, Selector: sel, Codes: []string{fmt.Sprint("c", r.Intn(3))},
			Author: []string{"ana", "bo"}[r.Intn(2)]}
		if r.Intn(3) == 0 {
			ann.Stances = []annotate.StanceMark{{Target: "t0", Stance: annotate.Favor}}
		}
		return ann
	}
	for range 30 {
		a := newAnn(fmt.Sprint("s", r.Intn(nSrc)))
		if r.Intn(8) == 0 {
			a.Anchor, a.Score = annotate.AnchorFuzzy, 0.7
		}
		base.PutAnnotations = append(base.PutAnnotations, a)
	}
	if _, err := mem.Commit(base); err != nil {
		t.Fatal(err)
	}
	st := &totalStore{lazyStore: &lazyStore{MemStore: mem, take: make(chan struct{}), give: make(chan struct{})}}
	close(st.take)
	close(st.give)
	s, err := Prepare(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Show("s0"); err != nil {
		t.Fatal(err)
	}
	paged, err := s.ReadTotals()
	if err != nil || !paged {
		t.Fatalf("ReadTotals = %v, %v", paged, err)
	}
	calls := st.totals
	if paged, _ := s.ReadTotals(); !paged || st.totals != calls {
		t.Fatalf("a second ReadTotals: paged %v, read the totals again: %v", paged, st.totals != calls)
	}
	check := func(when string) {
		t.Helper()
		x := s.Index()
		want := annotate.TotalsOf(mem.P.Annotations)
		if !x.HasTotals() {
			t.Fatalf("%s: the index lost its totals", when)
		}
		if got := x.AnnotationCount(); got != want.Annotations {
			t.Errorf("%s: %d annotations, want %d", when, got, want.Annotations)
		}
		for _, c := range []string{"c0", "c1", "c2"} {
			if got := x.CodeUsage(c); got != want.Usage[c] {
				t.Errorf("%s: code %s used %d times, want %d", when, c, got, want.Usage[c])
			}
		}
		if got := x.StanceUsage("t0"); got != want.Stances["t0"] {
			t.Errorf("%s: %d stances, want %d", when, got, want.Stances["t0"])
		}
		var authors []string
		for a := range want.Authors {
			authors = append(authors, a)
		}
		slices.Sort(authors)
		if got := x.Authors(); !reflect.DeepEqual(got, authors) {
			t.Errorf("%s: authors %v, want %v", when, got, authors)
		}
		review := 0
		for _, k := range want.Review {
			review += k
		}
		if got := len(x.NeedsReview()); got != review {
			t.Errorf("%s: %d to review, want %d", when, got, review)
		}
	}
	check("paged")
	if n := len(x0Held(s)); n >= nSrc {
		t.Fatalf("paging read every source (%d)", n)
	}
	for i := range 40 {
		x := s.Index()
		switch k := r.Intn(6); {
		case k < 2: // a new highlight, maybe on a source not read yet
			src := fmt.Sprint("s", r.Intn(nSrc))
			if r.Intn(2) == 0 {
				everShown[src] = true
				if err := s.Show(src); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Do(annotate.Change{Label: "Tag", PutAnnotations: []annotate.Annotation{newAnn(src)}}); err != nil {
				t.Fatal(err)
			}
		case k < 3: // retag one of a shown source (as the window only can)
			src := fmt.Sprint("s", r.Intn(nSrc))
			everShown[src] = true
			if err := s.Show(src); err != nil {
				t.Fatal(err)
			}
			if list := s.Index().Annotations(src); len(list) > 0 {
				a := list[r.Intn(len(list))].Copy()
				a.Codes = []string{fmt.Sprint("c", r.Intn(3))}
				a.Anchor, a.Score = "", 0
				if err := s.Do(annotate.Change{Label: "Retag", PutAnnotations: []annotate.Annotation{a}}); err != nil {
					t.Fatal(err)
				}
			}
		case k < 4:
			if all := x.AllAnnotations(); len(all) > 0 {
				if err := s.Do(x.DeleteAnnotations(all[r.Intn(len(all))].ID)); err != nil {
					t.Fatal(err)
				}
			}
		case k < 5:
			_, _ = s.Undo()
		default:
			_, _ = s.Redo()
		}
		if i%13 == 12 { // read every annotation, as whole-project work does, and page again
			done := make(chan error, 1)
			s.LoadRest(func(err error) { done <- err })
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			<-s.AllRead()
			keep := fmt.Sprint("s", i%nSrc) // not drawn: the script's draws stay as they were
			from, to, ok := s.Repaged([]string{keep})
			if !ok || !s.Repage(from, to, []string{keep}) {
				t.Fatalf("step %d: not paged again (%v)", i, ok)
			}
			if _, _, again := s.Repaged(nil); again {
				t.Fatalf("step %d: paged twice", i)
			}
			select {
			case <-s.AllRead():
				t.Fatalf("step %d: paged again, yet every annotation is said to be read", i)
			default:
			}
			everShown, repaged = map[string]bool{keep: true}, true
		}
		check(fmt.Sprint("step ", i))
		if held > 0 {
			// Beyond the limit only sources with something to review stay.
			n := 0
			for _, id := range x0Held(s) {
				if !s.Index().ToReviewIn(id) {
					n++
				}
			}
			if n > held {
				t.Fatalf("step %d: %d sources held without review, limit %d", i, n, held)
			}
			if len(x0Held(s)) < len(everShown) {
				letGo = true
			}
		}
		for _, id := range x0Held(s) { // what is held is whole
			if got, want := len(s.Index().Annotations(id)), countOf(mem.P, id); got != want {
				t.Fatalf("step %d: source %s holds %d annotations, the store %d", i, id, got, want)
			}
		}
	}
	if held > 0 && !letGo {
		t.Error("the session let no source go")
	}
	if !repaged {
		t.Error("the script never paged the session again")
	}
	done := make(chan error, 1)
	s.LoadRest(func(err error) { done <- err })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, want := sorted(s.Index().Project()), sorted(mem.P); !reflect.DeepEqual(got, want) {
		t.Fatalf("after reading the rest, the session holds\n%+v\nthe store\n%+v", got.Annotations, want.Annotations)
	}
	if s.Index().HasTotals() {
		t.Error("the whole index still says its counts come from totals")
	}
}

// x0Held lists the sources whose annotations the session has read.
func x0Held(s *Session) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for id := range s.shown {
		out = append(out, id)
	}
	return out
}

// TestReadTotalsDeclines: a store without totals, or too many sources to
// review, leaves the session as it was.
func TestReadTotalsDeclines(t *testing.T) {
	mem := &annotate.MemStore{}
	var c annotate.Change
	for i := range 3 {
		c.PutSources = append(c.PutSources, annotate.Source{ID: fmt.Sprint("s", i), Kind: annotate.KindOriginal, Text: "Some words to mark here."})
		c.PutAnnotations = append(c.PutAnnotations, annotate.Annotation{ID: fmt.Sprint("a", i), SourceID: fmt.Sprint("s", i),
			Selector: annotate.Selector{Start: 0, End: 4, Exact: "Some", Suffix: " words to"}, Anchor: annotate.AnchorFuzzy, Score: 0.6})
	}
	if _, err := mem.Commit(c); err != nil {
		t.Fatal(err)
	}
	lz := &lazyStore{MemStore: mem}
	s, err := Prepare(lz)
	if err != nil {
		t.Fatal(err)
	}
	if paged, err := s.ReadTotals(); paged || err != nil {
		t.Errorf("a store without totals paged: %v %v", paged, err)
	}
	defer func(n int) { MaxReviewSources = n }(MaxReviewSources)
	MaxReviewSources = 2
	s, err = Prepare(&totalStore{lazyStore: lz})
	if err != nil {
		t.Fatal(err)
	}
	if paged, err := s.ReadTotals(); paged || err != nil || s.Index().HasTotals() {
		t.Errorf("three sources to review paged with a limit of two: %v %v", paged, err)
	}
}

// A paged session reads the text versions' texts, which the head leaves
// out, as the read of every annotation does: the review list shows old
// quotes from them.
func TestPagedSessionReadsVersionTexts(t *testing.T) {
	p := &annotate.Project{Name: "v",
		Sources:  []annotate.Source{{ID: "s1", Title: "One", Text: "the new text"}},
		Versions: []annotate.TextVersion{{ID: "v1", SourceID: "s1", Text: "the old text", Replaced: time.Now()}}}
	lz := &lazyStore{MemStore: &annotate.MemStore{P: p}}
	s, err := Prepare(pagedLoader{&totalStore{lazyStore: lz}, loaderStore{lz}})
	if err != nil {
		t.Fatal(err)
	}
	if v := s.Index().P.Versions; len(v) != 1 || v[0].Text != "" {
		t.Fatalf("the head should hold the version without its text: %+v", v)
	}
	if paged, err := s.ReadTotals(); !paged || err != nil {
		t.Fatalf("ReadTotals = %v, %v", paged, err)
	}
	if v := s.Index().P.Versions; len(v) != 1 || v[0].Text != "the old text" {
		t.Fatalf("paged: %+v", v)
	}
}

// pagedLoader is a lazy store with totals and a whole read, as
// storage.Store is.
type pagedLoader struct {
	*totalStore
	loaderStore
}

func (p pagedLoader) Head() (*annotate.Project, error) { return p.totalStore.Head() }
func (p pagedLoader) Annotations(id string) ([]annotate.Annotation, error) {
	return p.totalStore.Annotations(id)
}
func (p pagedLoader) Commit(c annotate.Change) (annotate.Applied, error) {
	return p.totalStore.Commit(c)
}
func (p pagedLoader) Snapshot() (*annotate.Project, error) { return p.totalStore.Snapshot() }
func (p pagedLoader) Backup() (string, error)              { return p.totalStore.Backup() }
func (p pagedLoader) Path() string                         { return p.totalStore.Path() }
func (p pagedLoader) Close() error                         { return p.totalStore.Close() }

// outlineStore opens as storage does for a large project: its outline
// first, texts when asked.
type outlineStore struct{ *lazyStore }

func (o outlineStore) SourceCount() (int, error) { return len(o.P.Sources), nil }
func (o outlineStore) Catalog() (*annotate.Project, error) {
	p, err := o.Head()
	for i := range p.Sources {
		p.Sources[i].Text = ""
	}
	return p, err
}
func (o outlineStore) Text(id string) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, s := range o.P.Sources {
		if s.ID == id {
			return s.Text, nil
		}
	}
	return "", fmt.Errorf("source %s: not found", id)
}
func (o outlineStore) EachText(fn func(id, text string) error) error {
	o.mu.Lock()
	p := o.P.Clone()
	o.mu.Unlock()
	for _, s := range p.Sources {
		if err := fn(s.ID, s.Text); err != nil {
			return err
		}
	}
	return nil
}

// A large project opens without its texts: a source shown gets its
// text, ReadTexts gives every other source its own, and a text changed
// meanwhile is kept.
func TestLargeProjectOpensWithoutItsTexts(t *testing.T) {
	defer func(n int) { LargeProject = n }(LargeProject)
	LargeProject = 2
	var c annotate.Change
	for i := range 3 {
		c.PutSources = append(c.PutSources, annotate.Source{ID: fmt.Sprint("s", i), Kind: annotate.KindOriginal, Text: fmt.Sprintf("Text number %d, with words.", i)})
	}
	mem := &annotate.MemStore{}
	if _, err := mem.Commit(c); err != nil {
		t.Fatal(err)
	}
	st := outlineStore{&lazyStore{MemStore: mem, take: make(chan struct{}), give: make(chan struct{})}}
	close(st.take)
	close(st.give)
	s, err := Prepare(st)
	if err != nil {
		t.Fatal(err)
	}
	if !s.TextsPending() {
		t.Fatal("opened with its texts")
	}
	for _, src := range s.Index().P.Sources {
		if src.Text != "" {
			t.Fatalf("source %s has its text before it is shown", src.ID)
		}
	}
	if err := s.Show("s1"); err != nil {
		t.Fatal(err)
	}
	if got := s.Index().Source["s1"].Text; got != "Text number 1, with words." {
		t.Fatalf("shown source's text = %q", got)
	}
	if s.Index().Source["s0"].Text != "" {
		t.Fatal("a source not shown got its text")
	}
	if err := s.Do(annotate.Change{Label: "Edit", SetTexts: []annotate.SourceText{{SourceID: "s2", Text: "An edited text."}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReadTexts(); err != nil {
		t.Fatal(err)
	}
	if s.TextsPending() {
		t.Error("still pending after ReadTexts")
	}
	want := map[string]string{"s0": "Text number 0, with words.", "s1": "Text number 1, with words.", "s2": "An edited text."}
	for id, text := range want {
		if got := s.Index().Source[id].Text; got != text {
			t.Errorf("source %s: %q, want %q", id, got, text)
		}
	}
	// The read of every annotation starts from texts too.
	done := make(chan error, 1)
	s.LoadRest(func(err error) { done <- err })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for id, text := range want {
		if got := s.Index().Source[id].Text; got != text {
			t.Errorf("after the whole read, source %s: %q, want %q", id, got, text)
		}
	}
}

// failingTexts cannot read its texts.
type failingTexts struct{ outlineStore }

func (failingTexts) EachText(func(id, text string) error) error {
	return fmt.Errorf("p.gloss: the texts cannot be read")
}

// A read of every annotation that cannot read the texts first ends as a
// failed read does: the error is reported and the session stops loading.
func TestReadFailsWhenTheTextsCannot(t *testing.T) {
	defer func(n int) { LargeProject = n }(LargeProject)
	LargeProject = 1
	mem := &annotate.MemStore{}
	if _, err := mem.Commit(annotate.Change{PutSources: []annotate.Source{{ID: "s0", Kind: annotate.KindOriginal, Text: "Some text."}}}); err != nil {
		t.Fatal(err)
	}
	s, err := Prepare(failingTexts{outlineStore{&lazyStore{MemStore: mem}}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	s.LoadRest(func(err error) { done <- err })
	if err := <-done; err == nil || !strings.Contains(err.Error(), "texts cannot be read") {
		t.Fatalf("loaded with %v", err)
	}
	<-s.AllRead()
	if s.Loading() {
		t.Error("still loading after the read failed")
	}
}
