package app

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/app/session"
)

// Run builds the workspace into the window it showed empty, after the
// fonts were loaded: the workspace is that window's, and building it
// keeps the theme Run set (setting it again in a running window would
// drop the fonts just loaded) while the menu still marks it.
func TestWorkspaceBuildsIntoTheShownWindow(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	setTheme(a, "light")
	win := a.NewWindow("Gloss")
	win.Resize(windowSize)
	changes := 0
	a.Settings().AddListener(func(fyne.Settings) { changes++ })
	warmText()
	ws := newWorkspace(a, win, f.config())
	t.Cleanup(ws.Window.Close)
	if ws.Window != win {
		t.Fatal("the workspace made a window of its own")
	}
	if ws.srcID == "" || win.Content() == nil {
		t.Fatal("the window does not show the project")
	}
	if changes != 0 {
		t.Errorf("building the workspace set the theme again (%d changes)", changes)
	}
	if v := a.Settings().Theme().Color(theme.ColorNameBackground, a.Settings().ThemeVariant()); v != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Errorf("background %v, not the light theme's", v)
	}
	if it := ws.viewItems["theme-light"]; it == nil || !it.Checked {
		t.Error("the View menu does not mark the light theme")
	}
	if got := win.Canvas().Size(); got != windowSize {
		t.Errorf("window size %v, want %v", got, windowSize)
	}
}

// A project prefetched before the workspace is built is shown while it is
// built: no progress dialog, no frame of "Opening…" first.
func TestPrefetchedProjectShownAtOnce(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	cfg := f.config()
	cfg.Background = true
	Prefetch(a, &cfg)
	<-cfg.pre.done
	pre := cfg.pre
	opened := false
	ws := buildWorkspace(&Workspace{app: a, cfg: cfg, showSources: true, showInspector: true, showList: true,
		async: true, afterOpen: func() { opened = true }})
	t.Cleanup(ws.Window.Close)
	if !opened {
		t.Fatal("the prefetched project was not shown while the workspace was built")
	}
	if ws.Session() != pre.sess || ws.srcID == "" {
		t.Fatalf("the window shows session %p (source %q), not the prefetched %p", ws.Session(), ws.srcID, pre.sess)
	}
	if top := ws.Window.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog is over the window: %T", top)
	}
}

// The theme preference is written only when it changes: a write at every
// launch raced Fyne's watcher of the preferences file, which then logged
// that it had read the file empty.
func TestThemeWrittenOnlyWhenChanged(t *testing.T) {
	a := test.NewTempApp(t)
	writes := 0
	a.Preferences().AddChangeListener(func() { writes++ })
	setTheme(a, "system")
	if writes != 0 {
		t.Errorf("the default theme was written (%d writes)", writes)
	}
	setTheme(a, "dark")
	setTheme(a, "dark")
	if writes != 1 || a.Preferences().String("theme") != "dark" {
		t.Errorf("%d writes, theme %q; want 1 write of dark", writes, a.Preferences().String("theme"))
	}
}

// gatedFixture opens lazily and reads every annotation only once the
// test closes gate.
type gatedFixture struct {
	lazyFixture
	gate chan struct{}
}

func (g gatedFixture) Snapshot() (*annotate.Project, error) {
	<-g.gate
	return g.lazyFixture.Snapshot()
}

// Work over every annotation (deleting a code, a source, merging targets)
// asked for while they are still being read waits behind a progress
// dialog and runs once they are, with the whole project.
func TestWaitAllReadRunsOnceEveryAnnotationIsRead(t *testing.T) {
	f := newFixture(t)
	gate := make(chan struct{})
	cfg := f.config()
	cfg.Open = func(string, bool) (session.Store, error) { return gatedFixture{lazyFixture{f.store}, gate}, nil }
	ws := openWorkspace(t, test.NewTempApp(t), cfg)
	if !ws.Session().Loading() {
		t.Fatal("the project was read whole; the test needs it read lazily")
	}
	ran := make(chan int, 1)
	if !ws.State.waitAllRead(ws.Window, func() { ran <- ws.index().AnnotationCount() }) {
		t.Fatal("waitAllRead did not wait while annotations were being read")
	}
	if ws.Window.Canvas().Overlays().Top() == nil {
		t.Error("no progress dialog while waiting")
	}
	select {
	case <-ran:
		t.Fatal("ran before every annotation was read")
	case <-time.After(50 * time.Millisecond):
	}
	close(gate)
	if n := within(t, ran, "ran after the read"); n != len(f.store.P.Annotations) {
		t.Errorf("ran with %d annotations in the index, want all %d", n, len(f.store.P.Annotations))
	}
	if top := ws.Window.Canvas().Overlays().Top(); top != nil {
		t.Errorf("the progress dialog is still up: %T", top)
	}
	if ws.State.waitAllRead(ws.Window, func() { t.Error("ran again") }) {
		t.Error("waitAllRead waited with every annotation read")
	}
}

// While the annotations are being read the inspector shows no code counts
// rather than the short ones of the sources read so far, and the lists
// over all sources (annotations, needs review) say they are reading; once
// read, the whole project's counts.
func TestProjectCountsWaitForTheRead(t *testing.T) {
	f := newFixture(t)
	gate := make(chan struct{})
	cfg := f.config()
	cfg.Open = func(string, bool) (session.Store, error) { return gatedFixture{lazyFixture{f.store}, gate}, nil }
	ws := openWorkspace(t, test.NewTempApp(t), cfg)
	if len(ws.inspector.codeRows) == 0 {
		t.Fatal("no code rows")
	}
	for _, r := range ws.inspector.codeRows {
		if r.use.Text != "…" {
			t.Errorf("code %s shows %q while reading", r.id, r.use.Text)
		}
	}
	ws.annots.scope.SetSelected(scopeProject)
	ws.review.scope.SetSelected(scopeProject)
	for name, l := range map[string]*widget.Label{"annotations": ws.annots.count, "review": ws.review.count} {
		if l.Text != readingNote {
			t.Errorf("the %s list says %q while reading", name, l.Text)
		}
	}
	close(gate)
	start := time.Now()
	for !ws.readAll.Load() {
		if time.Since(start) > 10*time.Second {
			t.Fatal("never read")
		}
		time.Sleep(time.Millisecond)
	}
	want := map[string]int{}
	for _, a := range f.store.P.Annotations {
		for _, c := range a.Codes {
			want[c]++
		}
	}
	for _, r := range ws.inspector.codeRows {
		if got := r.use.Text; got != fmt.Sprint(want[r.id]) {
			t.Errorf("code %s shows %q after the read, want %d", r.id, got, want[r.id])
		}
	}
	if got, want := ws.annots.count.Text, plural(len(f.store.P.Annotations), "annotation"); got != want {
		t.Errorf("the annotations list says %q after the read, want %q", got, want)
	}
	if got := ws.review.count.Text; got == readingNote {
		t.Errorf("the review list still says %q after the read", got)
	}
}
