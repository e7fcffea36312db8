package app

import (
	"fmt"
	"gloss/annotate/agreement"
	"gloss/annotate/claims"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/app/session"
)

// totalsFixture opens lazily and gives the project's counts as a project
// file's indexes do.
type totalsFixture struct {
	gatedFixture               // the read of every annotation waits for the test
	bad          []string      // the annotation records to name as damaged
	query        chan struct{} // queries by code wait for a token
}

func (f totalsFixture) Totals() (annotate.Totals, error) {
	return annotate.TotalsOf(f.P.Annotations), nil
}

func (f totalsFixture) UnreadableAnnotations() ([]string, error) { return f.bad, nil }

// AnnotationsWithCodes answers as the file's index by code does, once the
// test lets it (a token on query; closed, at once).
func (f totalsFixture) AnnotationsWithCodes(codes []string, fn func(annotate.Annotation) error) error {
	if f.query != nil {
		<-f.query
	}
	for _, a := range f.P.Annotations {
		if slices.ContainsFunc(a.Codes, func(c string) bool { return slices.Contains(codes, c) }) {
			// As storage, for quotes kept in their texts.
			a.Selector.Exact, a.Selector.Prefix, a.Selector.Suffix = "", "", ""
			if err := fn(a); err != nil {
				return err
			}
		}
	}
	return nil
}

// refsFixture is totalsFixture that also names a code's annotations (or
// all, for no code) by reference (session.Lister), as storage does; the references wait for
// a token on query, the records do not (the list reads them as it draws).
type refsFixture struct{ totalsFixture }

func (f refsFixture) AnnotationRefs(codes []string) ([]annotate.AnnotationRef, error) {
	if f.query != nil {
		<-f.query
	}
	var out []annotate.AnnotationRef
	for _, a := range f.P.Annotations {
		if len(codes) == 0 || slices.ContainsFunc(a.Codes, func(c string) bool { return slices.Contains(codes, c) }) {
			out = append(out, annotate.AnnotationRef{ID: a.ID, SourceID: a.SourceID})
		}
	}
	return out, nil
}

// Reader streams the store's project, as storage reads its file
// (session.StreamReader).
func (f refsFixture) Reader(fn func(annotate.Reader) error) error {
	return fn(annotate.ProjectReader(f.P))
}

func (f refsFixture) AnnotationsByID(ids []string, fn func(annotate.Annotation) error) error {
	for _, id := range ids {
		for _, a := range f.P.Annotations {
			if a.ID == id {
				a.Selector.Exact, a.Selector.Prefix, a.Selector.Suffix = "", "", ""
				if err := fn(a); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// until polls cond (set by background work) for up to 10 s.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for start := time.Now(); !cond(); time.Sleep(time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("never %s", what)
		}
	}
}

// openPaged opens the fixture as a large project: paged, with the
// project's counts and only the shown source's annotations.
//
// The read of every annotation, if the test starts it, waits until the
// test calls the returned read: the test driver runs the window's
// redraw after it on the reading goroutine, so the test must not touch
// widgets from then on.
func openPaged(t *testing.T, bad ...string) (f *fixture, ws *Workspace, read func()) {
	return openPagedQuery(t, nil, bad...)
}

// openPagedQuery is openPaged whose queries by code wait for a token on
// query.
func openPagedQuery(t *testing.T, query chan struct{}, bad ...string) (f *fixture, ws *Workspace, read func()) {
	return openPagedStore(t, query, false, bad...)
}

// openPagedStore is openPagedQuery whose store also names annotations by
// reference when refs is set.
func openPagedStore(t *testing.T, query chan struct{}, refs bool, bad ...string) (f *fixture, ws *Workspace, read func()) {
	defer func(n int) { session.LargeProject = n }(session.LargeProject)
	session.LargeProject = 1
	f = newFixture(t)
	cfg := f.config()
	gate := make(chan struct{})
	cfg.Open = func(string, bool) (session.Store, error) {
		tf := totalsFixture{gatedFixture{lazyFixture{f.store}, gate}, bad, query}
		if refs {
			return refsFixture{tf}, nil
		}
		return tf, nil
	}
	ws = openWorkspace(t, test.NewTempApp(t), cfg)
	var once sync.Once
	read = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(read) // before the window closes, which waits for the read
	until(t, "paged", ws.readAll.Load)
	if !ws.Session().Loading() || !ws.index().HasTotals() {
		t.Fatalf("not paged: loading %v, totals %v", ws.Session().Loading(), ws.index().HasTotals())
	}
	other := f.zh
	if ws.SourceID() == f.zh {
		other = f.en
	}
	if len(annotate.NewIndex(f.store.P).Annotations(other)) == 0 {
		t.Fatal("the fixture has no annotations on the source not shown")
	}
	if got := len(ws.index().Annotations(other)); got != 0 {
		t.Fatalf("the source not shown has %d annotations read", got)
	}
	return f, ws, read
}

// A large project's window reads the source it shows and the project's
// counts, not every annotation: its code counts are the whole project's
// at once, and tagging keeps them so.
func TestLargeProjectOpensPaged(t *testing.T) {
	f, ws, _ := openPaged(t)
	want := annotate.TotalsOf(f.store.P.Annotations)
	for _, r := range ws.inspector.codeRows {
		if got := r.use.Text; got != fmt.Sprint(want.Usage[r.id]) {
			t.Errorf("code %s shows %q, want %d", r.id, got, want.Usage[r.id])
		}
	}
	if got, n := ws.status.Text, plural(want.Annotations, "annotation"); !strings.Contains(got, n+" (") {
		t.Errorf("the status bar says %q, want %q", got, n)
	}
	// Tag a new passage with the first code (key 1): counted once.
	ws.selectSource(f.en)
	before := len(f.store.P.Annotations)
	start := runeAt(t, textEN, "expand cooperation")
	ws.Window.Canvas().Focus(ws.text.tv)
	ws.text.tv.SetSelection(start, start+len("expand cooperation"))
	typeKeys(ws, "1")
	if len(f.store.P.Annotations) != before+1 {
		t.Fatalf("key 1 made %d annotations", len(f.store.P.Annotations)-before)
	}
	want = annotate.TotalsOf(f.store.P.Annotations)
	for _, r := range ws.inspector.codeRows {
		if got := r.use.Text; got != fmt.Sprint(want.Usage[r.id]) {
			t.Errorf("after tagging, code %s shows %q, want %d", r.id, got, want.Usage[r.id])
		}
	}
	if got := ws.index().AnnotationCount(); got != want.Annotations {
		t.Errorf("after tagging, %d annotations counted, want %d", got, want.Annotations)
	}
	if !ws.Session().Loading() {
		t.Error("tagging read every annotation")
	}
}

// The list over all sources reads every annotation of a paged project
// when it is chosen, says so meanwhile, and then lists them all.
func TestPagedProjectReadsEverythingForTheWholeList(t *testing.T) {
	f, ws, read := openPaged(t)
	ws.annots.scope.SetSelected(scopeProject)
	if got := ws.annots.count.Text; got != readingNote {
		t.Errorf("while reading, the list over all sources says %q", got)
	}
	if got := ws.bottom.title(ws.annots.root); got != "Annotations (…)" {
		t.Errorf("while reading, the list's tab says %q", got)
	}
	if !ws.Session().Loading() {
		t.Fatal("no read started")
	}
	read()
	until(t, "read every annotation", func() bool { return closed(ws.Session().AllRead()) })
	if got, want := ws.annots.count.Text, plural(len(f.store.P.Annotations), "annotation"); got != want {
		t.Errorf("the list over all sources says %q, want %q", got, want)
	}
	if got, want := ws.bottom.title(ws.annots.root), fmt.Sprintf("Annotations (%d)", len(f.store.P.Annotations)); got != want {
		t.Errorf("the list's tab says %q, want %q", got, want)
	}
}

// When the file names annotations by reference, the list over all
// sources of a paged project, with no condition chosen, lists every
// annotation that way, in the sources list's order, without reading them
// all.
func TestPagedWholeListByReference(t *testing.T) {
	query := make(chan struct{})
	f, ws, _ := openPagedStore(t, query, true)
	t.Cleanup(func() { close(query) })
	answered := make(chan struct{}, 8)
	p := ws.annots
	p.queried = func() { answered <- struct{}{} }
	p.scope.SetSelected(scopeProject)
	if got := p.count.Text; got != readingNote {
		t.Errorf("while asking, the list says %q", got)
	}
	query <- struct{}{}
	within(t, answered, "answered")
	if p.listing == nil {
		t.Fatal("not listed by reference")
	}
	want, err := annotate.Filter{Sources: sourceIDs(p.act.order(annotate.NewIndex(f.store.P)))}.Annotations(annotate.NewIndex(f.store.P))
	if err != nil {
		t.Fatal(err)
	}
	if p.rowCount() != len(want) || p.count.Text != plural(len(want), "annotation") {
		t.Fatalf("%d rows, %q; want %d", p.rowCount(), p.count.Text, len(want))
	}
	for i := range want {
		if a, err := p.rowAt(i); err != nil || a == nil || a.ID != want[i].ID {
			t.Errorf("row %d is %+v (%v), want %s", i, a, err, want[i].ID)
		}
	}
	if !ws.Session().Loading() {
		t.Error("the whole list read every annotation")
	}
}

func sourceIDs(list []*annotate.Source) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

// Work over every annotation (figures, deleting a code) waits for a paged
// project's annotations, reading them, then runs on the whole project.
func TestPagedProjectReadsEverythingForWholeProjectWork(t *testing.T) {
	f, ws, read := openPaged(t)
	ran := make(chan int, 1)
	if !ws.State.waitAllRead(ws.Window, func() { ran <- ws.index().AnnotationCount() }) {
		t.Fatal("waitAllRead ran at once on a paged project")
	}
	read()
	if n := within(t, ran, "ran: the read was not started"); n != len(f.store.P.Annotations) {
		t.Errorf("ran with %d annotations in the index, want %d", n, len(f.store.P.Annotations))
	}
}

// The figures of a paged project are read from its texts: the figures
// window opens without waiting for every annotation to be read.
func TestPagedFiguresNeedOnlyTheTexts(t *testing.T) {
	_, ws, _ := openPaged(t) // the read of every annotation waits for the test
	until(t, "read the texts", func() bool { return !ws.Session().TextsPending() })
	computed := make(chan int, 1)
	ws.figuresOpened = func(v *figuresView) {
		// The test driver runs the view's redraw on the computing
		// goroutine: nothing is touched until it is done.
		v.computed = func() { computed <- len(v.keys) }
	}
	ws.figuresWindow()
	select {
	case n := <-computed:
		if n == 0 {
			t.Error("no figure read from the texts")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the figures window waits for every annotation")
	}
}

// The timeline of a paged project is read from its texts: it opens without
// waiting for every annotation, and a filter by code waits for them, then
// keeps the events of every source with that code, shown or not.
func TestPagedTimelineReadsAnnotationsToFilter(t *testing.T) {
	f, ws, read := openPaged(t)
	until(t, "read the texts", func() bool { return !ws.Session().TextsPending() })
	computed, filtered := make(chan int, 1), make(chan []string, 4)
	var view *timelineView
	ws.timelineOpened = func(v *timelineView) {
		view = v
		v.computed = func() { computed <- len(v.all) }
		v.filtered = func() {
			var srcs []string
			for _, e := range v.events {
				if !slices.Contains(srcs, e.SourceID) {
					srcs = append(srcs, e.SourceID)
				}
			}
			slices.Sort(srcs)
			filtered <- srcs
		}
	}
	ws.timelineWindow()
	if n := within(t, computed, "the timeline waits for every annotation"); n == 0 {
		t.Fatal("no event read from the texts")
	}
	within(t, filtered, "the first filter")
	// Both sources have an official statement; the one not shown has no
	// annotations read yet.
	view.code.SetSelected("Official statement")
	select {
	case got := <-filtered:
		t.Fatalf("filtered before every annotation was read: %v", got)
	case <-time.After(50 * time.Millisecond):
	}
	read()
	want := []string{f.en, f.zh}
	slices.Sort(want)
	if got := within(t, filtered, "the filter after the read"); !slices.Equal(got, want) {
		t.Fatalf("filtered by code: events of %v, want %v", got, want)
	}
}

// The claims of a paged project open without reading every annotation:
// their evidence is read from the file, the source not shown included,
// with its quote taken from the text.
func TestPagedClaimsReadTheirEvidence(t *testing.T) {
	f, ws, _ := openPagedStore(t, nil, true) // the read of every annotation waits for the test
	until(t, "read the texts", func() bool { return !ws.Session().TextsPending() })
	c, m, err := claims.New("China accepts returnees", "", "", "tester", time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	c.PutClaims[0].Evidence = []annotate.Evidence{{AnnotationID: f.aFavor, Relation: annotate.Supports}, {AnnotationID: f.aChina, Relation: annotate.Supports}}
	if !ws.do(c) {
		t.Fatal("could not add the claim")
	}
	v := ws.claimDesk().showClaims()
	if v == nil {
		t.Fatal("the claims window waits for every annotation")
	}
	t.Cleanup(v.win.Close)
	want := claims.Assess(storedClaim(t, f, m.ID), claims.NewLookup(f.store.P))
	if row := v.rows[m.ID][1]; want.Supporting != 2 || !strings.Contains(row, "2 supporting") || !strings.Contains(row, fmt.Sprintf("suggested %d", want.Suggested)) {
		t.Fatalf("row = %q, want %+v", row, want)
	}
	v.showClaim(m.ID)
	var shown []string
	walkWidgets(v.evidence, func(s string) { shown = append(shown, s) }, nil)
	for _, q := range []string{"described the deal as a breakthrough", "中方将接收经核实的本国公民"} {
		if !strings.Contains(strings.Join(shown, "\n"), q) {
			t.Errorf("the evidence pane does not quote %q: %q", q, shown)
		}
	}
}

// Comparing coders of a paged project reads it from the file a source at
// a time: it needs no read of every annotation, and finds what comparing
// the whole project finds, the source not shown included.
func TestPagedCodersCompareFromTheFile(t *testing.T) {
	f, ws, _ := openPagedStore(t, nil, true) // the read of every annotation waits for the test
	var anns []annotate.Annotation
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for i, x := range []struct{ src, text, who string }{{f.en, textEN, "ana"}, {f.en, textEN, "bo"}, {f.zh, textZH, "ana"}, {f.zh, textZH, "bo"}} {
		sel, err := annotate.NewText(x.text).Select(2*i, 2*i+6)
		if err != nil {
			t.Fatal(err)
		}
		anns = append(anns, annotate.Annotation{ID: fmt.Sprintf("a-coder-%d", i), SourceID: x.src, Selector: sel, Codes: []string{f.coop},
			Author: x.who, Created: now, Modified: now})
	}
	if !ws.do(annotate.Change{PutAnnotations: anns}) {
		t.Fatal("could not add the coders' annotations")
	}
	var v *codersView
	waitFor(t, func(done func()) {
		ws.codersOpened = func(cv *codersView) { cv.compared = done }
		v = ws.openCoders()
	})
	t.Cleanup(v.win.Close)
	want, err := agreement.Compare(f.store.P, "ana", "bo")
	if err != nil {
		t.Fatal(err)
	}
	if v.res == nil || !reflect.DeepEqual(*v.res, *want) || len(want.Sources) != 2 {
		t.Fatalf("compared %+v\nwant %+v", v.res, want)
	}
}

// Once the work that read every annotation of a paged project is over,
// the window pages it again: the counts stay the project's, the source not
// shown is let go, and the next work over every annotation reads them
// again.
func TestPagedProjectPagedAgainAfterWholeWork(t *testing.T) {
	f, ws, read := openPaged(t)
	defer func(n int) { session.LargeProject = n }(session.LargeProject)
	session.LargeProject = 1
	ran := make(chan bool, 2)
	if !ws.State.waitAllRead(ws.Window, func() { ran <- true }) {
		t.Fatal("waitAllRead ran at once on a paged project")
	}
	read()
	within(t, ran, "ran the whole-project work")
	until(t, "redrawn after the read", ws.readAll.Load)
	repaged := make(chan struct{}, 1)
	ws.repaged = func() { repaged <- struct{}{} }
	// Not while a view over the whole project is open, nor while the list
	// over all sources needs every annotation.
	view := ws.app.NewWindow("Timeline — Gloss")
	view.Show()
	ws.maybeRepage()
	ws.maybeRepage()
	view.Close()
	ws.annots.scope.SetSelected(scopeProject)
	ws.annots.stance.SetSelected(annotate.Against.Label()) // no code: every annotation
	ws.maybeRepage()
	ws.maybeRepage()
	ws.annots.scope.SetSelected(scopeSource)
	ws.maybeRepage() // the first look only notes that the work is over
	select {
	case <-repaged:
		t.Fatal("paged again while the work was not over, or at the first look")
	case <-time.After(100 * time.Millisecond):
	}
	ws.maybeRepage()
	within(t, repaged, "paged again")
	x := ws.index()
	if !x.HasTotals() || !ws.Session().Loading() {
		t.Fatalf("not paged: totals %v, loading %v", x.HasTotals(), ws.Session().Loading())
	}
	if got, want := x.AnnotationCount(), len(f.store.P.Annotations); got != want {
		t.Errorf("%d annotations counted, want %d", got, want)
	}
	other := f.zh
	if ws.SourceID() == f.zh {
		other = f.en
	}
	if n := len(x.Annotations(other)); n != 0 {
		t.Errorf("the source not shown still holds %d annotations", n)
	}
	if n := len(x.Annotations(ws.SourceID())); n == 0 {
		t.Error("the source shown was let go")
	}
	// Work over every annotation reads them again. (Waited for here, not
	// through waitAllRead's dialog: the test driver redraws after the read
	// on the reading goroutine, alongside the dialog's.)
	all := ws.State.allRead()
	if closed(all) {
		t.Fatal("paged again, yet every annotation is said to be read")
	}
	within(t, all, "read every annotation again")
	if got, want := ws.index().AnnotationCount(), len(f.store.P.Annotations); got != want || len(ws.index().Annotations(other)) == 0 {
		t.Errorf("read again: %d annotations, %d of the other source", got, len(ws.index().Annotations(other)))
	}
}

// within receives from ch, failing the test after 10 s ("never " + what).
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("never %s", what)
		panic("unreachable")
	}
}

// Replacing the text of a source not read yet (a file dropped on it in
// the list) reads its annotations first, so they follow the text.
func TestPagedReplaceOfAnUnreadSourceMovesItsAnnotations(t *testing.T) {
	f, ws, _ := openPaged(t)
	other, text := f.zh, textZH
	if ws.SourceID() == f.zh {
		other, text = f.en, textEN
	}
	newer := "Added on top.\n\n" + text
	if _, ok := ws.replacer().replace(other, newer, "edited"); !ok {
		t.Fatal("nothing replaced")
	}
	runes, n := []rune(newer), 0
	for _, a := range f.store.P.Annotations {
		if a.SourceID != other {
			continue
		}
		n++
		if got := string(runes[a.Selector.Start:a.Selector.End]); got != a.Selector.Exact || a.Anchor.NeedsReview() {
			t.Errorf("annotation %s at %d–%d reads %q, quotes %q (%s)", a.ID, a.Selector.Start, a.Selector.End, got, a.Selector.Exact, a.Anchor)
		}
	}
	if n == 0 {
		t.Fatal("no annotations on the replaced source")
	}
}

// A paged project's damaged annotation records are named in the banner,
// as reading every annotation would name them.
func TestPagedProjectNamesDamagedAnnotations(t *testing.T) {
	const bad = "annotation a-broken: truncated record"
	_, ws, _ := openPaged(t, bad)
	if !slices.Contains(ws.index().P.Unreadable, bad) {
		t.Fatalf("unreadable = %q", ws.index().P.Unreadable)
	}
	if !ws.banner.Visible() || !strings.Contains(ws.bannerFor, bad) {
		t.Errorf("the banner (shown %v) names %q", ws.banner.Visible(), ws.bannerFor)
	}
}

// outlineFixture opens as a large project file does, without its texts;
// reading them all waits for the test's gate.
type outlineFixture struct {
	gatedFixture // and reading every annotation, for the gate of gatedFixture
	gate         chan struct{}
}

func (o outlineFixture) SourceCount() (int, error) { return len(o.P.Sources), nil }
func (o outlineFixture) Catalog() (*annotate.Project, error) {
	p, err := o.Head()
	for i := range p.Sources {
		p.Sources[i].Text = ""
	}
	return p, err
}
func (o outlineFixture) Text(id string) (string, error) {
	for _, s := range o.P.Sources {
		if s.ID == id {
			return s.Text, nil
		}
	}
	return "", fmt.Errorf("source %s: not found", id)
}
func (o outlineFixture) EachText(fn func(id, text string) error) error {
	<-o.gate
	for _, s := range o.P.Sources {
		if err := fn(s.ID, s.Text); err != nil {
			return err
		}
	}
	return nil
}

// A large project's window shows its first source before the other texts
// are read; the side-by-side view, which reads others, waits for them.
func TestLargeProjectTextsReadAfterTheFirstFrame(t *testing.T) {
	defer func(n int) { session.LargeProject = n }(session.LargeProject)
	session.LargeProject = 1
	f := newFixture(t)
	cfg := f.config()
	// The texts, then every annotation, each when the test says: the
	// test driver redraws on the reading goroutine.
	gate, rest := make(chan struct{}), make(chan struct{})
	cfg.Open = func(string, bool) (session.Store, error) {
		return outlineFixture{gatedFixture{lazyFixture{f.store}, rest}, gate}, nil
	}
	ws := openWorkspace(t, test.NewTempApp(t), cfg)
	var once, restOnce sync.Once
	read := func() { once.Do(func() { close(gate) }) }
	readRest := func() { restOnce.Do(func() { close(rest) }) }
	t.Cleanup(func() { read(); readRest() })
	if !ws.Session().TextsPending() {
		t.Fatal("opened with every text")
	}
	shown := ws.SourceID()
	if got := ws.text.tv.Text(); got == "" || got != f.store.P.Sources[0].Text && got != f.store.P.Sources[1].Text {
		t.Fatalf("the document shows %q", got)
	}
	other := f.zh
	if shown == f.zh {
		other = f.en
	}
	if ws.index().Source[other].Text != "" {
		t.Fatal("a source not shown has its text")
	}
	ran := make(chan string, 1)
	if !ws.State.waitTexts(ws.Window, func() { ran <- ws.index().Source[other].Text }) {
		t.Fatal("waitTexts ran at once")
	}
	select {
	case <-ran:
		t.Fatal("ran before the texts were read")
	case <-time.After(50 * time.Millisecond):
	}
	read()
	if within(t, ran, "ran") == "" {
		t.Error("ran without the other source's text")
	}
	readRest()
	until(t, "read every annotation", ws.readAll.Load)
}

// The list over all sources of a paged project, with a code chosen, comes
// from the file's index by code without reading every annotation; a row
// of a source not read yet reads it and shows the annotation. The code's
// records are read to list them (session.Filtered) when the file cannot
// name them by reference, or when another condition is chosen.
func TestPagedCodeListComesFromTheFile(t *testing.T) {
	t.Run("records", func(t *testing.T) { testPagedCodeList(t, false, false) })
	t.Run("references", func(t *testing.T) { testPagedCodeList(t, true, false) })
	t.Run("references and a target", func(t *testing.T) { testPagedCodeList(t, true, true) })
}

func testPagedCodeList(t *testing.T, refs, target bool) {
	query := make(chan struct{})
	f, ws, _ := openPagedStore(t, query, refs)
	t.Cleanup(func() { close(query) }) // first: nothing waits then
	answered := make(chan struct{}, 8)
	ws.annots.queried = func() { answered <- struct{}{} }
	// One query at a time, and no widget touched until it has answered:
	// the test driver answers on the querying goroutine.
	answer := func() {
		t.Helper()
		select {
		case query <- struct{}{}:
		case <-time.After(10 * time.Second):
			t.Fatal("the list asked the file nothing")
		}
		select {
		case <-answered:
		case <-time.After(10 * time.Second):
			t.Fatal("the query never answered")
		}
	}
	p := ws.annots
	p.code.SetSelected(ws.index().CodePath(f.official)) // on both sources
	if target {
		p.target.SetSelected(ws.index().Target[f.us].Name)
	}
	p.scope.SetSelected(scopeProject)
	answer()
	if (p.listing != nil) != (refs && !target) {
		t.Errorf("listed by reference: %v", p.listing != nil)
	}
	var want []string
	for _, a := range f.store.P.Annotations {
		if slices.Contains(a.Codes, f.official) && (!target || slices.ContainsFunc(a.Stances, func(m annotate.StanceMark) bool { return m.Target == f.us })) {
			want = append(want, a.ID)
		}
	}
	var got []string
	other, row := "", -1
	for i := range p.rowCount() {
		a, err := p.rowAt(i)
		if err != nil || a == nil || a.ID != p.rowRef(i).ID {
			t.Fatalf("row %d is %+v (%v), named %+v", i, a, err, p.rowRef(i))
		}
		got = append(got, a.ID)
		if a.SourceID != ws.SourceID() && row < 0 {
			other, row = a.SourceID, i
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || len(want) < 1 || len(want) < 2 && !target {
		t.Fatalf("rows %v, want every annotation with the code %v", got, want)
	}
	if got, want := ws.annots.count.Text, plural(len(want), "annotation"); got != want {
		t.Errorf("the list says %q, want %q", got, want)
	}
	// The rows came without their quotes; they show them from the texts.
	for i := range p.rowCount() {
		a, _ := p.rowAt(i)
		full := f.annotation(a.ID)
		if got := rowQuote(ws.index(), a); got != full.Selector.Exact {
			t.Errorf("row %s shows %q, want %q", a.ID, got, full.Selector.Exact)
		}
	}
	if !ws.Session().Loading() {
		t.Fatal("the list read every annotation")
	}
	// A redraw (as after any change) asks the file again, keeping the
	// rows and their count until it answers.
	n, count := p.rowCount(), p.count.Text
	p.refresh(ws.index())
	if p.rowCount() != n || p.count.Text != count {
		t.Errorf("while asking again, %d rows and %q, want %d and %q", p.rowCount(), p.count.Text, n, count)
	}
	answer()
	if target {
		return // the fixture's stances are all on one source
	}
	if row < 0 {
		t.Fatal("the fixture has no annotation with the code on a source not shown")
	}
	id := p.rowRef(row).ID
	p.list.Select(row) // reads its source; the list asks again
	answer()
	if ws.SourceID() != other || ws.AnnotationID() != id {
		t.Errorf("showing %s / %s, want %s / %s", ws.SourceID(), ws.AnnotationID(), other, id)
	}
}
