package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/app/session"
	"gloss/internal/testshared"
)

// TestCorpusDropFindTag drops the five real articles on an empty project,
// finds a Chinese word with Ctrl+F, tags it with a new code and searches
// the whole project.
func TestCorpusDropFindTag(t *testing.T) {
	dir := testshared.Path(t, "corpus")
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) != 5 {
		t.Skipf("expected five corpus texts in %s, found %d (%v)", dir, len(paths), err)
	}
	var uris []fyne.URI
	for _, p := range paths {
		uris = append(uris, storage.NewFileURI(p))
	}
	a := test.NewTempApp(t)
	store := &annotate.MemStore{}
	ws := openWorkspace(t, a, Config{Open: func(string, bool) (session.Store, error) { return store, nil }, Path: "corpus.gloss"})
	done := make(chan struct{})
	ws.afterImport = func() { close(done) }
	ws.importURIs(uris)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("import did not finish")
	}
	if len(store.P.Sources) != 5 {
		t.Fatalf("imported %d of 5 corpus files", len(store.P.Sources))
	}
	var zh *annotate.Source
	for i := range store.P.Sources {
		if strings.Contains(store.P.Sources[i].Text, "遣返") {
			zh = &store.P.Sources[i]
		}
	}
	if zh == nil {
		t.Fatal("no imported source contains 遣返")
	}
	ws.selectSource(zh.ID)
	ws.showFind()
	ws.text.find.entry.SetText("遣返")
	if n := len(ws.text.find.hits); n != strings.Count(zh.Text, "遣返") {
		t.Fatalf("find counted %d hits", n)
	}
	s, e := ws.text.tv.Selection()
	if got := ws.text.tv.SelectedText(); got != "遣返" || e-s != 2 {
		t.Fatalf("find selected %q (%d–%d)", got, s, e)
	}
	ws.inspector.codeEntry.SetText("Repatriation")
	ws.inspector.codeEntry.OnSubmitted("Repatriation")
	if len(store.P.Annotations) != 1 || store.P.Annotations[0].Selector.Exact != "遣返" {
		t.Fatalf("annotations: %+v", store.P.Annotations)
	}
	// The stored selector is in code points and matches the text.
	if err := annotate.NewText(zh.Text).Check(store.P.Annotations[0].Selector); err != nil {
		t.Fatal(err)
	}
	ws.projectSearch("deport")
	ws.search.wait()
	if len(ws.search.hits) == 0 {
		t.Fatal("project search found no English hit for \"deport\"")
	}
}
