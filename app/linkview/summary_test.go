package linkview

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/app/session"
)

func newTestEditor(t *testing.T) (*summaryEditor, *session.Session, *[]string) {
	t.Helper()
	test.NewTempApp(t)
	p := testProject(testSummary, testOriginal)
	p.Sources = p.Sources[:1] // only the original
	sess, err := session.New(&annotate.MemStore{P: p})
	if err != nil {
		t.Fatal(err)
	}
	var opened []string
	ed := newSummaryEditor(sess, origID, nil, func(id string) { opened = append(opened, id) })
	test.NewTempWindow(t, ed.content).Resize(fyne.NewSize(760, 560))
	return ed, sess, &opened
}

func TestNewSummaryWriteAndSave(t *testing.T) {
	ed, sess, opened := newTestEditor(t)
	test.Tap(ed.saveBtn)
	if len(sess.Index().P.Sources) != 1 || !strings.Contains(ed.status.Text, "empty") {
		t.Fatalf("saved an empty summary: status %q", ed.status.Text)
	}
	test.Type(ed.text, "Officials met in Vienna.")
	// Pasting must work: Chinese IME input is weak, so analysts paste.
	fyne.CurrentApp().Clipboard().SetContent("\r\nThey agreed on 24,000 returns.")
	ed.text.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fyne.CurrentApp().Clipboard()})
	test.Tap(ed.saveBtn)

	if len(*opened) != 1 {
		t.Fatalf("save did not open the link view (status %q)", ed.status.Text)
	}
	s := sess.Index().Source[(*opened)[0]]
	if s == nil {
		t.Fatal("no source saved")
	}
	if s.Kind != annotate.KindSummary || s.Language != annotate.English || len(s.Originals) != 1 || s.Originals[0] != origID {
		t.Errorf("summary metadata: kind %s, language %s, originals %v", s.Kind, s.Language, s.Originals)
	}
	if s.Text != "Officials met in Vienna.\nThey agreed on 24,000 returns." {
		t.Errorf("text %q", s.Text)
	}
	if s.Title != "Summary of Border report" || s.Length != len([]rune(s.Text)) || s.ContentHash != annotate.HashText(s.Text) {
		t.Errorf("title %q, length %d, hash %q", s.Title, s.Length, s.ContentHash)
	}
	if sess.UndoLabel() != "New summary" {
		t.Errorf("undo label %q", sess.UndoLabel())
	}
	// A second press does not save a duplicate.
	test.Tap(ed.saveBtn)
	if n := len(sess.Index().P.Sources); n != 2 {
		t.Errorf("%d sources after a second save", n)
	}
	// The saved summary opens in the link view.
	v := NewView(sess, s.ID, origID)
	if len(v.rep.Sentences) != 2 || v.summary.Text() != s.Text {
		t.Errorf("link view on the new summary: %d sentences", len(v.rep.Sentences))
	}
}

func TestNewSummaryImportFile(t *testing.T) {
	ed, sess, opened := newTestEditor(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(path, []byte("# Talks in Vienna\n\nThe two ministers met in Vienna in February.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !ed.importFile(path) {
		t.Fatalf("import failed: %q", ed.status.Text)
	}
	if !strings.Contains(ed.text.Text, "The two ministers met in Vienna") || !strings.Contains(ed.status.Text, "summary.md") {
		t.Errorf("editor text %q, status %q", ed.text.Text, ed.status.Text)
	}
	if _, ok := ed.save(); !ok {
		t.Fatalf("save failed: %q", ed.status.Text)
	}
	s := sess.Index().Source[(*opened)[0]]
	if s.FileName != "summary.md" || s.Kind != annotate.KindSummary || s.Language != annotate.English || s.Originals[0] != origID {
		t.Errorf("imported summary: %+v", *s)
	}

	// A file that cannot be read is reported by name and changes nothing.
	ed2, _, _ := newTestEditor(t)
	if ed2.importFile(filepath.Join(dir, "missing.txt")) || !strings.Contains(ed2.status.Text, "missing.txt") {
		t.Errorf("bad file: status %q", ed2.status.Text)
	}
	if ed2.text.Text != "" {
		t.Errorf("bad file changed the editor: %q", ed2.text.Text)
	}
}
