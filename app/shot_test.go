package app

import (
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/app/session"
	"gloss/assets"
)

// TestScreenshot renders the window at laptop size with the demo project
// and writes a PNG (to $GLOSS_SHOT_DIR, else a temporary folder) for a
// person to look at; it fails only if rendering does.
func TestScreenshot(t *testing.T) {
	p, err := assets.DemoProject()
	if err != nil {
		t.Fatalf("demo project: %v", err)
	}
	store := &annotate.MemStore{P: p}
	a := test.NewTempApp(t)
	ws := openWorkspace(t, a, Config{Open: func(string, bool) (session.Store, error) { return store, nil }, Path: "demo.gloss"})
	if len(p.Annotations) > 0 {
		ws.focusAnnotation(p.Annotations[0].ID, true)
	}
	ws.Window.Resize(fyne.NewSize(1366, 768))
	dir := os.Getenv("GLOSS_SHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shoot(t, ws, filepath.Join(dir, "gloss-main.png"))
	ws.codebookDialog()
	shoot(t, ws, filepath.Join(dir, "gloss-codebook.png"))
	ws.codebook.dlg.Hide()
	ws.sourceDetails(ws.srcID)
	shoot(t, ws, filepath.Join(dir, "gloss-details.png"))
	ws.Window.Canvas().Overlays().Top().Hide()
	ws.Window.Canvas().Overlays().Remove(ws.Window.Canvas().Overlays().Top())
	ws.applyTheme("light")
	ws.showFind()
	ws.text.find.entry.SetText("遣返")
	ws.annots.scope.SetSelected(scopeProject)
	shoot(t, ws, filepath.Join(dir, "gloss-light.png"))
	ws.exportDialog()
	shoot(t, ws, filepath.Join(dir, "gloss-export.png"))
	ws.Window.Canvas().Overlays().Top().Hide()
	ws.showShortcuts()
	shoot(t, ws, filepath.Join(dir, "gloss-shortcuts.png"))
}

func shoot(t *testing.T, ws *Workspace, path string) {
	t.Helper()
	img := ws.Window.Canvas().Capture()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() < 1366 || b.Dy() < 700 {
		t.Fatalf("captured %v", b)
	}
}

// TestScreenshotWelcome renders what a user sees when the project cannot
// be opened.
func TestScreenshotWelcome(t *testing.T) {
	a := test.NewTempApp(t)
	ws := openWorkspace(t, a, Config{Open: func(p string, _ bool) (session.Store, error) {
		return nil, errors.New(p + ": is open in another Gloss window")
	}, Path: "/home/analyst/study.gloss"})
	dir := os.Getenv("GLOSS_SHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shoot(t, ws, filepath.Join(dir, "gloss-welcome.png"))
}
