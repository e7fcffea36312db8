package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/app/session"
)

// contentButtons are the buttons on the window itself (not in dialogs).
func contentButtons(ws *Workspace) map[string]*widget.Button {
	out := map[string]*widget.Button{}
	for _, o := range test.LaidOutObjects(ws.Window.Content()) {
		if b, ok := o.(*widget.Button); ok {
			out[b.Text] = b
		}
	}
	return out
}

func waitOpen(t *testing.T, ws *Workspace, fn func()) {
	t.Helper()
	done := make(chan struct{}, 1)
	ws.afterOpen = func() { done <- struct{}{} }
	fn()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the project did not open")
	}
}

// A project that cannot be opened offers Restore and Salvage; restoring
// says first what is lost, then puts the chosen backup in place and opens it.
func TestDamagedProjectOffersRestoreAndSalvage(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "Study.gloss")
	if err := os.WriteFile(path, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	damaged := true
	var restored, salvagedTo string
	newer := time.Now().Add(-2 * time.Hour)
	cfg := Config{
		Open: func(p string, create bool) (session.Store, error) {
			if p == path && damaged {
				return nil, errors.New("page 7: the file is damaged")
			}
			return f.store, nil
		},
		Path: path,
		Recovery: &Recovery{
			Backups: func(p string) ([]BackupInfo, error) {
				return []BackupInfo{
					{Path: "old", Time: newer.Add(-24 * time.Hour), Sources: 1, Annotations: 1, OK: true},
					{Path: "torn", Time: newer.Add(time.Hour), OK: false, Problem: "the copy is torn"},
					{Path: "new", Time: newer, Sources: 2, Annotations: 3, OK: true},
				}, nil
			},
			Restore: func(p, b string) (string, error) {
				restored, damaged = b, false
				return p + ".damaged-x", nil
			},
			Salvage: func(p, dst string) (SalvageInfo, error) {
				salvagedTo = dst
				return SalvageInfo{To: dst, Kept: map[string]int{"sources": 2, "annotations": 2}, Lost: []string{"annotation a-9: bad record"}}, nil
			},
		},
	}
	ws := openWorkspace(t, a, cfg)
	if ws.Session() != nil {
		t.Fatal("a damaged project must not open")
	}
	btns := contentButtons(ws)
	if btns["Restore from backup…"] == nil || btns["Salvage…"] == nil {
		t.Fatalf("the error screen offers %v", btns)
	}

	test.Tap(btns["Restore from backup…"])
	text, dlg := topDialog(t, ws)
	for _, o := range test.LaidOutObjects(ws.Window.Canvas().Overlays().Top()) {
		if r, ok := o.(*widget.RadioGroup); ok {
			text += "\n" + strings.Join(r.Options, "\n") + "\nselected: " + r.Selected
		}
	}
	for _, want := range []string{"everything done after " + newer.Local().Format("2006-01-02 15:04"), "kept beside the project", "selected: " + newer.Local().Format("2006-01-02 15:04") + " — 2 sources, 3 annotations", "the copy is torn"} {
		if !strings.Contains(text, want) {
			t.Fatalf("restore dialog lacks %q:\n%s", want, text)
		}
	}
	waitOpen(t, ws, func() { test.Tap(dlg["Restore"]) })
	if restored != "new" {
		t.Fatalf("restored %q, want the newest good backup", restored)
	}
	if ws.Session() == nil || !strings.Contains(ws.status.Text, "Study.gloss.damaged-x") {
		t.Fatalf("after restore: session %v, status %q", ws.Session(), ws.status.Text)
	}

	// Salvage, from the dialog a failed open shows over an open project.
	damaged = true
	ws.openFailed(path, errors.New("page 7: the file is damaged"))
	_, dlg = topDialog(t, ws)
	test.Tap(dlg["Salvage…"])
	text, dlg = topDialog(t, ws)
	if !strings.Contains(text, "Study (salvaged).gloss") || !strings.Contains(text, "not changed") {
		t.Fatalf("salvage dialog: %s", text)
	}
	waitOpen(t, ws, func() { test.Tap(dlg["Salvage"]) })
	if salvagedTo != filepath.Join(dir, "Study (salvaged).gloss") {
		t.Fatalf("salvaged into %q", salvagedTo)
	}
	if text, _ = topDialog(t, ws); !strings.Contains(text, "annotation a-9: bad record") || !strings.Contains(text, "2 sources") {
		t.Fatalf("salvage report: %s", text)
	}
}

// Records storage could not read are named in a banner, not silently gone.
func TestBannerNamesUnreadableRecords(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	f.store.P.Unreadable = []string{"annotation a-1: invalid JSON", "code c-2: invalid JSON"}
	cfg := f.config()
	cfg.Recovery = &Recovery{Salvage: func(p, dst string) (SalvageInfo, error) { return SalvageInfo{}, nil }}
	ws := openWorkspace(t, a, cfg)
	if !ws.banner.Visible() {
		t.Fatal("no banner")
	}
	var text []string
	for _, o := range test.LaidOutObjects(ws.banner) {
		switch v := o.(type) {
		case *widget.Label:
			text = append(text, v.Text)
		case *widget.Button:
			text = append(text, "["+v.Text+"]")
		}
	}
	got := strings.Join(text, " ")
	if !strings.Contains(got, "2 records could not be read") || !strings.Contains(got, "annotation a-1") || !strings.Contains(got, "[Salvage…]") {
		t.Fatalf("banner: %s", got)
	}
	f.store.P.Unreadable = nil
	ws2 := openWorkspace(t, a, f.config())
	if ws2.banner.Visible() {
		t.Fatal("banner on a sound project")
	}
}

// The import report says which encoding each file was read with.
func TestImportSaysTheEncoding(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	importFile(t, ws, "utf8.txt", "Negotiators met again on Friday.\n")
	if !strings.Contains(ws.status.Text, "read as UTF-8") {
		t.Fatalf("status %q", ws.status.Text)
	}
}
