package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"gloss/annotate"
)

// typeAsDriver delivers keys as the desktop driver does: to the focused
// widget when there is one, else to the window (test.TypeOnCanvas always
// goes to the window, which hides focus bugs).
func typeAsDriver(ws *Workspace, s string) {
	c := ws.Window.Canvas()
	for _, r := range s {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if h := c.OnTypedRune(); h != nil {
			h(r)
		}
	}
}

// A note still being typed is saved before a redo, as before an undo.
func TestRedoSavesThePendingNote(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.focusAnnotation(f.aAgainst, false)
	ws.inspector.note.SetText("typed just before redo")
	ws.redo()
	if got := f.annotation(f.aAgainst).Note; got != "typed just before redo" {
		t.Fatalf("redo dropped the pending note: %q", got)
	}
	ws.inspector.note.SetText("typed just before undo")
	ws.undo() // saves the note, then undoes that edit
	if got := f.annotation(f.aAgainst).Note; got != "typed just before redo" {
		t.Fatalf("undo after typing: note %q", got)
	}
}

// After a filter is chosen in the annotations panel, the number keys still
// tag the selected annotation without clicking the text first.
func TestTagKeysWorkAfterUsingAFilter(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	ws.focusAnnotation(f.aAgainst, false)
	p := ws.annots
	// Clicking a drop-down focuses it; choosing an entry calls OnChanged.
	ws.Window.Canvas().Focus(p.stance)
	p.stance.SetSelected(annotate.Against.Label())
	if got := rowIDs(p); got != f.aAgainst {
		t.Fatalf("against: %s", got)
	}
	typeAsDriver(ws, "1")
	if !f.annotation(f.aAgainst).HasCode(f.coop) {
		t.Fatal("key 1 after choosing a filter did not tag the annotation")
	}
	ws.Window.Canvas().Focus(p.cred)
	p.cred.SetSelected(credOption(3))
	typeAsDriver(ws, "1")
	if f.annotation(f.aAgainst).HasCode(f.coop) {
		t.Fatal("key 1 after a second filter did not toggle the code off")
	}
}

// After an import in the window, Source details shows when the source was
// really imported (the session mirrors the change storage applied), not
// the zero time the window's request carried.
func TestSourceDetailsShowTheImportDate(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	before := time.Now()
	importFile(t, ws, "talks.txt", "Talks resume\n\nNegotiators met again on Friday.\n")
	var id string
	for _, s := range ws.index().P.Sources {
		if s.FileName == "talks.txt" {
			id = s.ID
		}
	}
	if id == "" {
		t.Fatal("talks.txt was not imported")
	}
	if at := ws.index().Source[id].ImportedAt; at.Before(before.Add(-time.Minute)) {
		t.Fatalf("the window holds import time %v", at)
	}
	for _, o := range ws.Window.Canvas().Overlays().List() {
		o.Hide() // the import report
	}
	ws.sourceDetails(id)
	text, _ := topDialog(t, ws)
	want := "imported " + before.Local().Format("2006-01-02")
	if !strings.Contains(text, want) || strings.Contains(text, "0001-01-01") {
		t.Fatalf("details say %q, want %q", text, want)
	}
}

// importFile writes a file and imports it in the window, waiting for the
// background import to finish.
func importFile(t *testing.T, ws *Workspace, name, body string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	ws.afterImport = func() { close(done) }
	ws.importURIs([]fyne.URI{storage.NewFileURI(p)})
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("import did not finish")
	}
}

// Tagging a passage with a new code in the window makes the same change as
// `gloss annotate --code` (annotate.Index.Tag) on the same project.
func TestWindowAndCommandLineTagAlike(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	s := runeAt(t, textEN, "expand cooperation")
	ws.text.tv.SetSelection(s, s+len("expand cooperation"))
	ws.inspector.codeEntry.OnSubmitted("Return flights")
	gui := f.store.P

	g := newFixture(t)
	ch, _, err := annotate.NewIndex(g.store.P).Tag(annotate.Passage{SourceID: g.en, Quote: "expand cooperation"},
		annotate.Tags{Codes: []string{"Return flights"}}, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.store.Apply(ch); err != nil {
		t.Fatal(err)
	}
	cli := g.store.P
	type tagged struct {
		start, end         int
		exact, code, color string
	}
	last := func(p *annotate.Project) tagged {
		x := annotate.NewIndex(p)
		an := p.Annotations[len(p.Annotations)-1]
		c := x.Code[an.Codes[0]]
		return tagged{an.Selector.Start, an.Selector.End, an.Selector.Exact, c.Name, c.Color}
	}
	if len(gui.Annotations) != len(cli.Annotations) || len(gui.Codes) != len(cli.Codes) {
		t.Fatalf("window: %d annotations %d codes; command line: %d, %d", len(gui.Annotations), len(gui.Codes), len(cli.Annotations), len(cli.Codes))
	}
	if w, c := last(gui), last(cli); w != c {
		t.Fatalf("window tagged %+v, command line %+v", w, c)
	}
}
