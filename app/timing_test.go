package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/app/session"
)

// TestPaintHookFiresOnceWhenPainted: the launch timing's "drawn" mark
// fires when a frame is painted, not when it is put in the window, and
// once however many frames follow.
func TestPaintHookFiresOnceWhenPainted(t *testing.T) {
	a := test.NewTempApp(t)
	n := 0
	var painted time.Time
	w := a.NewWindow("")
	t.Cleanup(w.Close)
	w.SetContent(container.NewStack(widget.NewLabel("text"), paintHook(func(at time.Time) { n++; painted = at })))
	w.Resize(fyne.NewSize(120, 80))
	if n != 0 {
		t.Fatalf("fired %d times before any frame was painted", n)
	}
	w.Canvas().Capture()
	w.Canvas().Capture()
	if n != 1 {
		t.Fatalf("fired %d times over two frames, want 1", n)
	}
	if painted.IsZero() || painted.After(time.Now()) {
		t.Errorf("painted at %v", painted)
	}
}

// lazyFixture opens the fixture's project lazily, as storage does: the
// head first, every annotation in the background.
type lazyFixture struct{ *annotate.MemStore }

func (l lazyFixture) Head() (*annotate.Project, error) {
	p := l.P.Clone()
	p.Annotations = nil
	return p, nil
}

func (l lazyFixture) Annotations(id string) ([]annotate.Annotation, error) {
	var out []annotate.Annotation
	for _, a := range l.P.Annotations {
		if a.SourceID == id {
			out = append(out, a)
		}
	}
	return out, nil
}

// The real window reads a large project's annotations in the background
// only once it has painted the project (the read took processors from
// the first frame), or after a second when it is not painted.
func TestBackgroundReadStartsAfterFirstPaint(t *testing.T) {
	for _, paint := range []bool{true, false} {
		a := test.NewTempApp(t)
		f := newFixture(t)
		cfg := f.config()
		cfg.Background = true
		cfg.Open = func(string, bool) (session.Store, error) { return lazyFixture{f.store}, nil }
		opened := make(chan struct{})
		ws := buildWorkspace(&Workspace{app: a, cfg: cfg, showSources: true, showInspector: true, showList: true,
			async: true, afterOpen: func() { close(opened) }})
		select { // nothing touches the window before: the open installs it from its goroutine
		case <-opened:
		case <-time.After(10 * time.Second):
			t.Fatal("the project was not opened")
		}
		start := time.Now()
		if !ws.Session().Loading() {
			t.Fatal("the background read started before the project was painted")
		}
		if paint {
			// What painting the frame does to the hook, without painting
			// the rest: under the test driver the read's redraw runs on
			// the read's goroutine, and would race a real paint here.
			objs := ws.body.Objects
			mark := objs[len(objs)-1].(*fyne.Container).Objects[0].(*canvas.Raster)
			mark.Generator(1, 1)
		}
		for ws.Session().Loading() {
			if time.Since(start) > 5*time.Second {
				t.Fatalf("painted %v: every annotation was not read within 5 s", paint)
			}
			time.Sleep(time.Millisecond)
		}
		took := time.Since(start)
		for !ws.readAll.Load() { // set after the read's redraw, which must end before the window closes
			if time.Since(start) > 10*time.Second {
				t.Fatal("the panels were not redrawn after the read")
			}
			time.Sleep(time.Millisecond)
		}
		if paint && took > 800*time.Millisecond {
			t.Errorf("the read began %v after the first paint, not with it", took)
		}
		if !paint && took < 900*time.Millisecond {
			t.Errorf("unpainted, the read began after %v, before its second's wait", took)
		}
		if n := ws.index().AnnotationCount(); n != len(f.store.P.Annotations) {
			t.Errorf("%d annotations read, want %d", n, len(f.store.P.Annotations))
		}
		ws.Window.Close()
	}
}
