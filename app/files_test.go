package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/annotate/export"
	"gloss/annotate/refiqda"
)

func TestDropFilesImportsGoodOnesAndListsProblems(t *testing.T) {
	t.Run("foreground", func(t *testing.T) { dropFiles(t, false) })
	// As the real window does it: saved off the UI goroutine.
	t.Run("background", func(t *testing.T) { dropFiles(t, true) })
}

func dropFiles(t *testing.T, async bool) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.async = async
	dir := t.TempDir()
	write := func(name, body string) fyne.URI {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return storage.NewFileURI(p)
	}
	good1 := write("talks.txt", "Talks resume\n\nNegotiators met again on Friday to discuss the schedule of return flights.\n")
	good2 := write("声明.md", "# 外交部声明\n\n双方将继续就遣返问题保持沟通。\n")
	bad := write("empty.txt", "")
	dup := write("again.txt", textEN) // same text as a source already in the project

	done := make(chan struct{})
	ws.afterImport = func() { close(done) }
	ws.importURIs([]fyne.URI{good1, bad, good2, dup})
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("import did not finish")
	}
	if n := len(f.store.P.Sources); n != 4 {
		t.Fatalf("project has %d sources, want the 2 good files added to 2", n)
	}
	text, _ := topDialog(t, ws)
	if !strings.Contains(text, "empty.txt") || !strings.Contains(text, "again.txt") || !strings.Contains(text, "Imported 2 sources") {
		t.Fatalf("import report: %q", text)
	}
	if s := ws.index().Source[ws.srcID]; s == nil || s.FileName == "" {
		t.Fatal("the first imported source should be shown")
	}
	// The whole batch is one undo step.
	ws.undo()
	if n := len(f.store.P.Sources); n != 2 {
		t.Fatalf("undo left %d sources", n)
	}
}

func TestExportWritesFilteredReport(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	out := filepath.Join(t.TempDir(), "report.csv")
	wc, err := storage.Writer(storage.NewFileURI(out))
	if err != nil {
		t.Fatal(err)
	}
	fm, err := export.Lookup("csv")
	if err != nil {
		t.Fatal(err)
	}
	flt := annotate.Filter{Stances: []annotate.StanceMark{{Target: f.us, Stance: annotate.Against}}}
	hidden := false
	var steps []export.Progress
	ws.writeExport(context.Background(), ws.sess, wc, fm, flt, export.Options{Title: "t"},
		func(p export.Progress) { steps = append(steps, p) }, func() { hidden = true })
	if len(steps) == 0 || steps[len(steps)-1].Done != steps[len(steps)-1].Total {
		t.Errorf("progress: %+v", steps)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !hidden || !strings.Contains(string(b), "critics called it rushed") || strings.Contains(string(b), "breakthrough") {
		t.Fatalf("export:\n%s", b)
	}
	text, buttons := topDialog(t, ws)
	if !strings.Contains(text, out) || buttons["Open"] == nil {
		t.Fatalf("export report %q, buttons %v", text, buttons)
	}
}

// A cancelled export stops, removes its partial file and says so.
func TestExportCancelRemovesPartialFile(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	out := filepath.Join(t.TempDir(), "report.html")
	wc, err := storage.Writer(storage.NewFileURI(out))
	if err != nil {
		t.Fatal(err)
	}
	fm, err := export.Lookup("html")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hidden := false
	ws.writeExport(ctx, ws.sess, wc, fm, annotate.Filter{}, export.Options{},
		func(export.Progress) { cancel() }, func() { hidden = true })
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a cancelled export left %s (%v)", out, err)
	}
	if !hidden || !strings.Contains(ws.lastMsg, "cancelled") {
		t.Fatalf("hidden %v, status %q", hidden, ws.lastMsg)
	}
}

func TestDropQDPXMergesAnotherToolsProject(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	before := ws.index()
	nSrc, nAnn, nCodes := len(before.P.Sources), before.AnnotationCount(), len(before.P.Codes)

	// A project as another tool would hand it over: one source, one code
	// sharing a name with ours (merged) and one new code.
	text := "Officials on both sides described the talks as constructive."
	sel, _ := annotate.NewText(text).Select(0, 9)
	other := &annotate.Project{
		Sources: []annotate.Source{{ID: "x1", Kind: annotate.KindOriginal, Language: annotate.English, Title: "From QualCoder", Text: text}},
		Codes: []annotate.Code{
			{ID: "k1", Name: strings.ToUpper(before.P.Codes[0].Name), Color: "#123456"},
			{ID: "k2", Name: "Tone", Color: "#654321"},
		},
		Annotations: []annotate.Annotation{{ID: "y1", SourceID: "x1", Selector: sel, Codes: []string{"k1", "k2"}}},
	}
	path := filepath.Join(t.TempDir(), "qualcoder.qdpx")
	var buf bytes.Buffer
	if err := refiqda.WriteQDPX(&buf, other, refiqda.Options{}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o644)

	done := make(chan struct{})
	ws.afterImport = func() { close(done) }
	ws.importURIs([]fyne.URI{storage.NewFileURI(path)})
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("import did not finish")
	}
	x := ws.index()
	if len(x.P.Sources) != nSrc+1 || x.AnnotationCount() != nAnn+1 || len(x.P.Codes) != nCodes+1 {
		t.Fatalf("after import: %d sources, %d annotations, %d codes", len(x.P.Sources), x.AnnotationCount(), len(x.P.Codes))
	}
	last := *x.Annotations(x.P.Sources[len(x.P.Sources)-1].ID)[0]
	if last.Codes[0] != before.P.Codes[0].ID || last.Selector.Exact != "Officials" {
		t.Fatalf("merged annotation %+v", last)
	}
	ws.undo()
	if len(f.store.P.Sources) != nSrc || len(f.store.P.Codes) != nCodes {
		t.Fatal("undo did not remove the whole archive")
	}
}

// TestFileDialogsOpen opens every file dialog the menus offer. Each once
// crashed the real app: Fyne 2.8.1's FileDialog.Resize before Show
// dereferences a dialog that Show has not built yet.
func TestFileDialogsOpen(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	csv, err := export.Lookup("csv")
	if err != nil {
		t.Fatal(err)
	}
	for name, open := range map[string]func(){
		"open":          ws.openDialog,
		"new project":   ws.newProjectDialog,
		"import":        ws.importDialog,
		"import folder": ws.importFolderDialog,
		"export":        func() { ws.exportTo(csv, annotate.Filter{}, export.Options{}) },
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s dialog panicked: %v", name, r)
				}
			}()
			open()
			top := ws.Window.Canvas().Overlays().Top()
			if top == nil {
				t.Errorf("%s: no dialog shown", name)
				return
			}
			ws.Window.Canvas().Overlays().Remove(top)
		}()
	}
}
