package session

import (
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"gloss/annotate"
)

// lazyStore is a MemStore that opens lazily, and whose whole-project read
// (the background load) is taken and returned when the test says.
type lazyStore struct {
	*annotate.MemStore
	mu    sync.Mutex
	take  chan struct{} // closed: Snapshot copies the project now
	give  chan struct{} // closed: Snapshot returns its copy
	reads int
}

func (l *lazyStore) Head() (*annotate.Project, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.P.Clone()
	p.Annotations = nil
	for i := range p.Versions {
		p.Versions[i].Text = "" // as storage's Head: versions without their texts
	}
	return p, nil
}

func (l *lazyStore) Annotations(id string) ([]annotate.Annotation, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	var out []annotate.Annotation
	for _, a := range l.P.Annotations {
		if a.SourceID == id {
			out = append(out, a)
		}
	}
	return out, nil
}

func (l *lazyStore) Commit(c annotate.Change) (annotate.Applied, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.MemStore.Commit(c)
}

func (l *lazyStore) Snapshot() (*annotate.Project, error) {
	<-l.take
	l.mu.Lock()
	p := l.P.Clone()
	l.mu.Unlock()
	<-l.give
	return p, nil
}

// TestOpenLazilyReplaysChangesMadeWhileLoading opens a project lazily, makes
// random changes (tags, retags, deletes, undo, redo) before, during and
// after the background read takes its copy, and checks that once loaded
// the session's index equals the project in the store.
func TestOpenLazilyReplaysChangesMadeWhileLoading(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { lazyScript(t, seed, false) })
		t.Run(fmt.Sprint(seed, "/loader"), func(t *testing.T) { lazyScript(t, seed, true) })
	}
}

// loaderStore reads every annotation source by source (a Loader, as
// storage.Store is), taking and returning its copy when the test says.
type loaderStore struct{ *lazyStore }

func (l loaderStore) LoadAnnotations(_ func(string) string, fn func(string, []annotate.Annotation) error) ([]string, error) {
	<-l.take
	l.mu.Lock()
	p := l.P.Clone()
	l.mu.Unlock()
	<-l.give
	for _, src := range p.Sources {
		var list []annotate.Annotation
		for _, a := range p.Annotations {
			if a.SourceID == src.ID {
				list = append(list, a.Copy()) // handed over: the index owns it
			}
		}
		sort.Slice(list, func(i, j int) bool { return annotate.AnnotationLess(&list[i], &list[j]) })
		if len(list) > 0 {
			if err := fn(src.ID, list); err != nil {
				return nil, err
			}
		}
	}
	return nil, nil
}

func (l loaderStore) Versions() ([]annotate.TextVersion, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.P.Clone().Versions, nil
}

// A text version's text, which the head leaves out, is in the index once
// every annotation is read: the review list shows old quotes from it.
func TestOpenLazilyReadsVersionTexts(t *testing.T) {
	p := &annotate.Project{Name: "v",
		Sources:  []annotate.Source{{ID: "s1", Title: "One", Text: "the new text"}},
		Versions: []annotate.TextVersion{{ID: "v1", SourceID: "s1", Text: "the old text", Replaced: time.Now()}}}
	st := loaderStore{&lazyStore{MemStore: &annotate.MemStore{P: p}, take: make(chan struct{}), give: make(chan struct{})}}
	close(st.take)
	close(st.give)
	done := make(chan error, 1)
	s, err := Open(st, func(err error) { done <- err })
	if err != nil {
		t.Fatal(err)
	}
	if v := s.Index().P.Versions; len(v) != 1 || v[0].Text != "" {
		t.Fatalf("the head should hold the version without its text: %+v", v)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if v := s.Index().P.Versions; len(v) != 1 || v[0].Text != "the old text" {
		t.Fatalf("after the load: %+v", v)
	}
}

func lazyScript(t *testing.T, seed int64, loader bool) {
	r := rand.New(rand.NewSource(seed))
	texts := []string{"Officials said the flights would continue next month.", "外交部发言人表示，双方将继续合作，核实身份后遣返。", "A third text for passages."}
	mem := &annotate.MemStore{}
	var base annotate.Change
	for i, s := range texts {
		base.PutSources = append(base.PutSources, annotate.Source{ID: fmt.Sprint("s", i), Kind: annotate.KindOriginal, Text: s})
	}
	for i := 0; i < 3; i++ {
		base.PutCodes = append(base.PutCodes, annotate.Code{ID: fmt.Sprint("c", i), Name: fmt.Sprint("Code ", i), Color: annotate.Palette[i]})
	}
	n := 0
	newAnn := func(x *annotate.Index) annotate.Annotation {
		n++
		src := fmt.Sprint("s", r.Intn(len(texts)))
		tx := x.Text(src)
		a := r.Intn(tx.Len() - 4)
		sel, _ := tx.Select(a, a+1+r.Intn(3))
		return annotate.Annotation{ID: fmt.Sprint("a", n), SourceID: src, Selector: sel, Codes: []string{fmt.Sprint("c", r.Intn(3))}}
	}
	x0 := annotate.NewIndex(&annotate.Project{Sources: base.PutSources})
	for i := 0; i < 10; i++ {
		base.PutAnnotations = append(base.PutAnnotations, newAnn(x0))
	}
	if _, err := mem.Commit(base); err != nil {
		t.Fatal(err)
	}
	st := &lazyStore{MemStore: mem, take: make(chan struct{}), give: make(chan struct{})}
	var opened Store = st
	if loader {
		opened = loaderStore{st}
	}
	done := make(chan error, 1)
	s, err := Open(opened, func(err error) { done <- err })
	if err != nil {
		t.Fatal(err)
	}
	if !s.Loading() || s.Index().AnnotationCount() != 0 {
		t.Fatalf("lazy open read annotations at once: %d", s.Index().AnnotationCount())
	}
	if err := s.Show("s1"); err != nil {
		t.Fatal(err)
	}
	if got, want := len(s.Index().Annotations("s1")), countOf(mem.P, "s1"); got != want {
		t.Fatalf("shown source has %d annotations, want %d", got, want)
	}
	step := func() {
		x := s.Index()
		switch k := r.Intn(6); {
		case k < 2:
			_ = s.Do(annotate.Change{Label: "Tag", PutAnnotations: []annotate.Annotation{newAnn(x)}})
		case k < 3:
			for _, src := range []string{"s0", "s1", "s2"} {
				if err := s.Show(src); err != nil {
					t.Fatal(err)
				}
			}
			if all := x.AllAnnotations(); len(all) > 0 {
				a := all[r.Intn(len(all))].Copy()
				a.Codes = []string{fmt.Sprint("c", r.Intn(3))}
				_ = s.Do(annotate.Change{Label: "Retag", PutAnnotations: []annotate.Annotation{a}})
			}
		case k < 4:
			if all := s.Index().AllAnnotations(); len(all) > 0 {
				_ = s.Do(s.Index().DeleteAnnotations(all[r.Intn(len(all))].ID))
			}
		case k < 5:
			_, _ = s.Undo()
		default:
			_, _ = s.Redo()
		}
	}
	phase := r.Intn(3)
	for i := 0; i < 15; i++ {
		step()
	}
	close(st.take)
	time.Sleep(time.Millisecond)
	for i := 0; i < 15*phase; i++ {
		step()
	}
	close(st.give)
	for i := 0; i < 10; i++ {
		step()
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		step()
	}
	if s.Loading() {
		t.Fatal("still loading")
	}
	if got, want := sorted(s.Index().Project()), sorted(mem.P); !reflect.DeepEqual(got, want) {
		t.Fatalf("after loading, the session holds\n%+v\nthe store\n%+v", got.Annotations, want.Annotations)
	}
	if st.reads == 0 {
		t.Fatal("Show read nothing")
	}
}

func countOf(p *annotate.Project, src string) int {
	n := 0
	for _, a := range p.Annotations {
		if a.SourceID == src {
			n++
		}
	}
	return n
}

func sorted(p *annotate.Project) *annotate.Project {
	q := p.Clone()
	sort.Slice(q.Annotations, func(i, j int) bool { return q.Annotations[i].ID < q.Annotations[j].ID })
	if len(q.Annotations) == 0 {
		q.Annotations = nil
	}
	q.Unreadable = nil
	return q
}

// AllRead is closed at once for a project read whole, and for one opened
// lazily only once every annotation is in the index, after the loaded
// callback (so work waiting on it follows the window's redraw).
func TestAllReadClosesWhenEveryAnnotationIsRead(t *testing.T) {
	text := "Officials said the flights would continue."
	p := &annotate.Project{Name: "r", Sources: []annotate.Source{{ID: "s1", Kind: annotate.KindOriginal, Text: text}},
		Annotations: []annotate.Annotation{
			{ID: "a1", SourceID: "s1", Selector: annotate.Selector{Start: 0, End: 9, Exact: "Officials"}},
			{ID: "a2", SourceID: "s1", Selector: annotate.Selector{Start: 15, End: 22, Exact: "flights"}}}}
	whole, err := New(&annotate.MemStore{P: p.Clone()})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-whole.AllRead():
	default:
		t.Fatal("a project read whole is not all read")
	}
	st := &lazyStore{MemStore: &annotate.MemStore{P: p.Clone()}, take: make(chan struct{}), give: make(chan struct{})}
	s, err := Prepare(st)
	if err != nil {
		t.Fatal(err)
	}
	calledFirst := make(chan bool, 1)
	s.LoadRest(func(error) {
		select {
		case <-s.AllRead():
			calledFirst <- false
		default:
			calledFirst <- true
		}
	})
	select {
	case <-s.AllRead():
		t.Fatal("all read before the background read took its copy")
	case <-time.After(50 * time.Millisecond):
	}
	close(st.take)
	close(st.give)
	select {
	case <-s.AllRead():
	case <-time.After(5 * time.Second):
		t.Fatal("never all read")
	}
	if n := s.Index().AnnotationCount(); n != len(p.Annotations) {
		t.Errorf("all read with %d annotations in the index, want %d", n, len(p.Annotations))
	}
	if !<-calledFirst {
		t.Error("AllRead was closed before the loaded callback ran")
	}
}
