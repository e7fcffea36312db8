package app

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/app/session"
	"gloss/internal/benchproj"
	glossstorage "gloss/storage"
)

// largeProject has 200 sources of about 6,000 code points, 20 codes and
// 10,000 annotations: a big study, to keep one keystroke's work in check.
func largeProject(b *testing.B) *annotate.MemStore {
	b.Helper()
	para := strings.Repeat("Officials said the return flights would continue. 官员表示遣返航班将继续。", 6) + "\n\n"
	text := strings.Repeat(para, 10)
	tx := annotate.NewText(text)
	var c annotate.Change
	for i := 0; i < 20; i++ {
		c.PutCodes = append(c.PutCodes, annotate.Code{ID: fmt.Sprintf("c%02d", i), Name: fmt.Sprintf("Code %d", i), Color: annotate.Palette[i%len(annotate.Palette)]})
	}
	now := time.Now().UTC()
	for s := 0; s < 200; s++ {
		sid := fmt.Sprintf("s%03d", s)
		c.PutSources = append(c.PutSources, annotate.Source{ID: sid, Title: "Source " + sid, Kind: annotate.KindOriginal, Published: "2026-01-02", Text: text})
		for a := 0; a < 50; a++ { // one every 70 code points
			sel, err := tx.Select(a*70, a*70+40)
			if err != nil {
				b.Fatal(err)
			}
			c.PutAnnotations = append(c.PutAnnotations, annotate.Annotation{ID: fmt.Sprintf("a%03d-%02d", s, a), SourceID: sid,
				Selector: sel, Codes: []string{fmt.Sprintf("c%02d", a%20)}, Created: now, Modified: now})
		}
	}
	st := &annotate.MemStore{}
	if _, err := st.Apply(c); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkTagKeyLargeProject is one "select, press 2" in a 10,000-annotation
// project plus its undo: the store write (in memory here), the session's
// re-index and the redraw of every panel. Target: well under 100 ms.
func BenchmarkTagKeyLargeProject(b *testing.B) {
	st := largeProject(b)
	a := test.NewTempApp(b)
	ws := NewWindow(a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: "large.gloss"})
	defer ws.Window.Close()
	ws.selectSource("s100")
	ws.Window.Canvas().Focus(ws.text.tv)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ws.text.tv.SetSelection(3545, 3560)
		typeKeys(ws, "2")
		if ws.annID == "" {
			b.Fatal("no annotation made")
		}
		ws.undo()
	}
}

// scaleFile writes a generated project of n sources with per annotations
// each to a file, once per size and run. The benchmark needs a real file:
// a session's cost per action at scale is the store's write plus the
// index update, and the in-memory MemStore rebuilds its maps per change.
// (A test-only use of the storage package, which the app itself never
// imports.)
func scaleFile(b *testing.B, n, per int) string {
	b.Helper()
	key := fmt.Sprint(n, per)
	scaleMu.Lock()
	defer scaleMu.Unlock()
	if p, ok := scaleFiles[key]; ok {
		return p
	}
	dir, err := os.MkdirTemp("", "gloss-appscale-")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "p.gloss")
	s, err := glossstorage.Open(path, glossstorage.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(n, per, 1))); err != nil {
		b.Fatal(err)
	}
	s.Close()
	scaleFiles[key] = path
	return path
}

// TestMain removes the benchmarks' generated projects (160 MB at 10,000
// sources) when the run ends.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, p := range scaleFiles {
		os.RemoveAll(filepath.Dir(p))
	}
	os.Exit(code)
}

var (
	scaleMu    sync.Mutex
	scaleFiles = map[string]string{}
	appScales  = []struct {
		name   string
		n, per int
	}{{"1k_20k", 1000, 20}, {"10k_200k", 10000, 20}}
)

// BenchmarkTagKeyProjectFile is "select, press 2" and its undo in the
// window on a project file at two sizes: the durable write, the session's
// index update and every panel's refresh. Goal: ≤ 50 ms plus the fsync,
// the same at both sizes.
func BenchmarkTagKeyProjectFile(b *testing.B) {
	for _, sc := range appScales {
		b.Run(sc.name, func(b *testing.B) {
			path := scaleFile(b, sc.n, sc.per)
			st, err := glossstorage.Open(path, glossstorage.Options{})
			if err != nil {
				b.Fatal(err)
			}
			a := test.NewTempApp(b)
			ws := NewWindow(a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: path})
			defer ws.Window.Close()
			for !ws.readAll.Load() { // measure the loaded project, not the background read and its redraw
				time.Sleep(10 * time.Millisecond)
			}
			src := ws.index().P.Sources[sc.n/2].ID
			ws.selectSource(src)
			ws.Window.Canvas().Focus(ws.text.tv)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ws.text.tv.SetSelection(3, 9)
				typeKeys(ws, "2")
				if ws.annID == "" {
					b.Fatal("no annotation made")
				}
				ws.undo()
			}
		})
	}
}

// BenchmarkOpenProjectFile is launch to a drawn window on a project file
// at two sizes: the window opens the project, selects a source and
// renders. Reported per source so growth shows.
func BenchmarkOpenProjectFile(b *testing.B) {
	for _, sc := range appScales {
		b.Run(sc.name, func(b *testing.B) {
			path := scaleFile(b, sc.n, sc.per)
			a := test.NewTempApp(b)
			b.ResetTimer()
			var took time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				ws := NewWindow(a, Config{Open: func(p string, _ bool) (session.Store, error) {
					return glossstorage.Open(p, glossstorage.Options{})
				}, Path: path})
				test.WidgetRenderer(ws.text.tv).Refresh()
				ws.Window.Canvas().Content().Refresh()
				took += time.Since(start)
				// Not timed: the background read of every annotation,
				// which closing waits for.
				b.StopTimer()
				ws.Window.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(took.Nanoseconds())/float64(b.N)/float64(sc.n), "ns/source")
		})
	}
}

// BenchmarkOpenProjectFileHeld is what a window keeps live once it has
// opened a project file and done its reading after the first frame, at
// two sizes and both ways: "paged" as the window opens a project of
// session.LargeProject or more (the sources shown and the project's counts),
// "whole" reading every annotation, as every project was before. The
// 10,000-source window must stay within 300 MiB resident, of which a bare
// Fyne window takes about 160.
func BenchmarkOpenProjectFileHeld(b *testing.B) {
	for _, sc := range appScales {
		for _, mode := range []string{"paged", "whole"} {
			b.Run(sc.name+"/"+mode, func(b *testing.B) {
				path := scaleFile(b, sc.n, sc.per)
				if mode == "whole" {
					defer func(n int) { session.LargeProject = n }(session.LargeProject)
					session.LargeProject = math.MaxInt
				}
				a := test.NewTempApp(b)
				var live uint64
				heap := func() uint64 {
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					return ms.HeapAlloc
				}
				for i := 0; i < b.N; i++ {
					before := heap()
					ws := NewWindow(a, Config{Open: func(p string, _ bool) (session.Store, error) {
						return glossstorage.Open(p, glossstorage.Options{})
					}, Path: path})
					for !ws.readAll.Load() {
						time.Sleep(5 * time.Millisecond)
					}
					if got := ws.index().HasTotals(); got != (mode == "paged") {
						b.Fatalf("paged: %v", got)
					}
					live += heap() - before
					b.StopTimer()
					ws.Window.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(live)/float64(b.N)/1e6, "MB-live")
				b.ReportMetric(float64(live)/float64(b.N)/float64(sc.n), "B-live/source")
			})
		}
	}
}

// BenchmarkLargeImportOnUIGoroutine is what a large import costs the UI
// goroutine, at two sizes: the save runs in the background (doLarge), then
// the panels learn of the change (Notify) on the UI goroutine; undoing it
// is the other half. Both are reported in ms per import; the window must
// not freeze over 100 ms on either.
func BenchmarkLargeImportOnUIGoroutine(b *testing.B) {
	for _, sc := range appScales {
		b.Run(sc.name, func(b *testing.B) {
			c := benchproj.Change(benchproj.Generate(sc.n, sc.per, 1))
			c.Label = "Import"
			dir := b.TempDir()
			path := filepath.Join(dir, "p.gloss")
			st, err := glossstorage.Open(path, glossstorage.Options{Create: true})
			if err != nil {
				b.Fatal(err)
			}
			a := test.NewTempApp(b)
			ws := NewWindow(a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: path})
			defer ws.Window.Close()
			ws.async = true // as the real window: large steps in the background
			var notify, undo, undoUI time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				done, err := ws.sess.Apply(c)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				ws.sess.Notify(done)
				ws.refreshStatus()
				notify += time.Since(start)
				// On the UI goroutine: the undo's start (the dialog) and,
				// once saved, its end (the panels told), which the test
				// driver runs on the background goroutine.
				start = time.Now()
				ws.undo()
				undoUI += time.Since(start)
				ws.waitLarge()
				undo += time.Since(start)
				undoUI += ws.largeUI
				if n := len(ws.index().P.Sources); n != 0 {
					b.Fatal("undo left", n, "sources")
				}
			}
			b.ReportMetric(float64(notify.Milliseconds())/float64(b.N), "notify-ms")
			b.ReportMetric(float64(undo.Milliseconds())/float64(b.N), "undo-ms")
			b.ReportMetric(float64(undoUI.Microseconds())/1000/float64(b.N), "undo-ui-ms")
		})
	}
}
