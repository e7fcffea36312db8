package app

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/agreement"
	"gloss/annotate/refiqda"
	"gloss/app/session"
)

// theirs is the fixture as a colleague changed it: a new source with an
// annotation, the same annotation edited later with another code, and a
// different reliability on a shared source.
func theirs(t *testing.T) *annotate.Project {
	t.Helper()
	g := newFixture(t)
	p := g.store.P
	later := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i := range p.Annotations {
		if p.Annotations[i].ID == g.aFavor {
			p.Annotations[i].Codes = []string{g.crit}
			p.Annotations[i].Author = "bob"
			p.Annotations[i].Modified = later
		}
	}
	for i := range p.Sources {
		if p.Sources[i].ID == g.en {
			p.Sources[i].Reliability = "C"
		}
	}
	text := "A third report, written for this test, on the same flights."
	p.Sources = append(p.Sources, annotate.Source{ID: "s-third", Title: "Third report", Language: annotate.English, Kind: annotate.KindOriginal,
		Text: text, ContentHash: annotate.HashText(text)})
	sel, err := annotate.NewText(text).Select(2, 14)
	if err != nil {
		t.Fatal(err)
	}
	p.Annotations = append(p.Annotations, annotate.Annotation{ID: "a-third", SourceID: "s-third", Selector: sel, Codes: []string{g.coop},
		Author: "bob", Created: later, Modified: later})
	return p
}

func TestMergeReportApplyUndoAndSwitch(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	other := theirs(t)
	cfg := f.config()
	var asked string
	cfg.OpenOther = func(path string) (*annotate.Project, error) {
		asked = path
		return other, nil
	}
	ws := openWorkspace(t, a, cfg)
	before := snapshot(f.store.P)

	m := ws.merger()
	path := filepath.Join(t.TempDir(), "bob.gloss")
	plan, err := m.plan(path)
	if err != nil {
		t.Fatal(err)
	}
	if asked != path {
		t.Fatalf("OpenOther was asked for %q", asked)
	}
	d := m.show(plan)
	if d == nil {
		t.Fatal("no report dialog for a merge that changes things")
	}
	text := dialogText(ws)
	for _, want := range []string{"Added: 1 source, 1 annotation", "Changed on both sides (1)", "kept: bob.gloss", "Kept as it is here"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if len(f.store.P.Sources) != 2 {
		t.Fatal("showing the report changed the project")
	}

	applied := false
	m.apply(plan, func(ok bool) { applied = ok })
	if !applied {
		t.Fatal("merge not applied")
	}
	d.Hide()
	if len(f.store.P.Sources) != 3 || f.annotation("a-third") == nil {
		t.Fatal("the merge did not add the other project's source and annotation")
	}
	fav := f.annotation(f.aFavor)
	if len(fav.Conflicts) != 1 || !fav.HasCode(f.crit) {
		t.Fatalf("the later change should win with the other kept as a conflict: %+v", fav)
	}
	if !strings.Contains(ws.status.Text, "1 conflict in Needs review") {
		t.Fatalf("status %q", ws.status.Text)
	}
	if ws.bottom.selected() != ws.review.root {
		t.Fatal("a merge with conflicts did not bring Needs review forward")
	}

	// Merging the same project again adds nothing.
	again, err := m.plan(path)
	if err != nil {
		t.Fatal(err)
	}
	if !again.change.Empty() {
		t.Fatalf("a second merge would change %+v", again.report)
	}

	// The conflict row switches to the other version (from this project),
	// and switching back restores it.
	ws.selectSource(f.en)
	ws.review.scope.SetSelected(scopeProject)
	var row *reviewRow
	for _, r := range ws.review.rows {
		if r.ID == f.aFavor {
			row = newReviewRow(ws.review)
			row.set(ws.index(), r)
		}
	}
	if row == nil || !row.switchTo.Visible() || row.confirm.Visible() {
		t.Fatalf("no conflict row with a switch button: %v", reviewIDs(ws))
	}
	test.Tap(row.switchTo)
	fav = f.annotation(f.aFavor)
	if fav.HasCode(f.crit) || !fav.HasCode(f.coop) || len(fav.Conflicts) != 1 {
		t.Fatalf("after switch: %+v", fav)
	}
	ws.undo()
	if !f.annotation(f.aFavor).HasCode(f.crit) {
		t.Fatal("undo of the switch did not restore the merged version")
	}

	// Undo of the merge restores the first project exactly.
	ws.undo()
	if got := snapshot(f.store.P); !reflect.DeepEqual(got, before) {
		t.Fatalf("undo of the merge left\n%+v\nwant\n%+v", got, before)
	}
}

func TestMergeRefusals(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	cfg := f.config()
	ws := openWorkspace(t, a, cfg)
	if _, err := ws.merger().plan("/nowhere/x.gloss"); err == nil || !strings.Contains(err.Error(), "x.gloss") {
		t.Fatalf("without OpenOther: %v", err)
	}
	cfg.OpenOther = func(path string) (*annotate.Project, error) { return nil, errors.New(path + ": not a Gloss project") }
	ws2 := openWorkspace(t, a, cfg)
	if _, err := ws2.merger().plan("/tmp/broken.gloss"); err == nil || !strings.Contains(err.Error(), "broken.gloss") {
		t.Fatalf("a bad file: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.qdpx")
	if _, err := ws2.merger().plan(bad); err == nil || !strings.Contains(err.Error(), "bad.qdpx") {
		t.Fatalf("a missing archive: %v", err)
	}
	// Nothing to merge: an information dialog, no change.
	plan, err := (merger{ed: ws.editor(), status: ws.setStatus, openOther: func(string) (*annotate.Project, error) { return f.store.P, nil }, current: func() string { return "" }}).plan("same.gloss")
	if err != nil {
		t.Fatal(err)
	}
	if d := ws.merger().show(plan); d != nil || !strings.Contains(dialogText(ws), "Nothing to merge") {
		t.Fatalf("merging an identical project: %q", dialogText(ws))
	}
}

// snapshot is what undo must restore, without the times Apply stamps.
func snapshot(p *annotate.Project) [3]any {
	return [3]any{append([]annotate.Source(nil), p.Sources...), append([]annotate.Annotation(nil), p.Annotations...), append([]annotate.Code(nil), p.Codes...)}
}

// dialogText is every label's text in the top overlay.
func dialogText(ws *Workspace) string {
	top := ws.Window.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

// TestMergeReplaceCSVDialogsOpen opens each file dialog these menus show: a Fyne file
// dialog resized before it is shown panics and takes the window down.
func TestMergeReplaceCSVDialogsOpen(t *testing.T) {
	a := test.NewTempApp(t)
	st := codersFixture(t)
	ws := openWorkspace(t, a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: "coders.gloss"})
	ws.selectSource("s1")
	for name, open := range map[string]func(){
		"merge":   ws.mergeDialog,
		"replace": func() { ws.replacer().fileDialog("s1") },
	} {
		before := len(ws.Window.Canvas().Overlays().List())
		open()
		if len(ws.Window.Canvas().Overlays().List()) <= before {
			t.Errorf("%s: no dialog shown", name)
		}
		for _, o := range ws.Window.Canvas().Overlays().List() {
			o.Hide()
		}
	}
	var v *codersView
	waitFor(t, func(done func()) {
		ws.codersOpened = func(cv *codersView) { cv.compared = done }
		v = ws.openCoders()
	})
	defer v.win.Close()
	v.save("agreement.csv", agreement.WriteCSV)
	if v.win.Canvas().Overlays().Top() == nil {
		t.Error("csv: no dialog shown")
	}
}

// TestMergeQDPXOwnExportAddsNothing reads a REFI-QDA archive through the
// import (no OpenOther needed) and merges the project's own export.
func TestMergeQDPXOwnExportAddsNothing(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	p := filepath.Join(t.TempDir(), "own.qdpx")
	out, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := refiqda.WriteQDPX(out, f.store.P, refiqda.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	plan, err := ws.merger().plan(p)
	if err != nil {
		t.Fatal(err)
	}
	if plan.report.Added.Sources != 0 || plan.report.Added.Annotations != 0 {
		t.Fatalf("merging our own export would add %+v", plan.report.Added)
	}
}

// TestAgainstIndexPlansAgainAfterAChange: work that ran while the project
// changed is run again on the new project before done sees it.
func TestAgainstIndexPlansAgainAfterAChange(t *testing.T) {
	f := newFixture(t)
	ws := openWorkspace(t, test.NewTempApp(t), f.config())
	var seen []*annotate.Index
	got := make(chan *annotate.Index, 1)
	againstIndex(nil, ws.index, func(idx *annotate.Index) *annotate.Index {
		seen = append(seen, idx)
		if len(seen) == 1 {
			// A change lands while the first plan is computed.
			ws.do(annotate.Change{Label: "Rename", PutCodes: []annotate.Code{{ID: f.coop, Name: "Joint work", Color: annotate.Palette[0]}}})
		}
		return idx
	}, func(idx *annotate.Index) { got <- idx })
	var idx *annotate.Index
	select {
	case idx = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("done never called")
	}
	if len(seen) != 2 || idx != ws.index() || idx.Code[f.coop].Name != "Joint work" {
		t.Fatalf("work ran %d times; done got the current index: %v", len(seen), idx == ws.index())
	}
}

// With no project open the index stays the same, so a plan that was under
// way when the window closed ends rather than planning again without end.
func TestAgainstIndexEndsWithNoProject(t *testing.T) {
	test.NewTempApp(t)
	st := &State{}
	if st.Index() != st.Index() {
		t.Fatal("with no project open, Index should keep returning one index")
	}
	var runs atomic.Int32
	got := make(chan struct{}, 1)
	againstIndex(nil, st.Index, func(idx *annotate.Index) int { return int(runs.Add(1)) }, func(int) { got <- struct{}{} })
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatalf("done never called; work ran %d times", runs.Load())
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("work ran %d times, want once", n)
	}
}

// A merge plan holds the other project whole while its dialog waits, so
// the memory limit stays raised until the plan is dismissed, then comes
// back down.
func TestMergePlanKeepsMemoryRoomUntilDismissed(t *testing.T) {
	limit := limitForTest(t, 100<<20)

	a := test.NewTempApp(t)
	f := newFixture(t)
	other := theirs(t)
	cfg := f.config()
	cfg.OpenOther = func(string) (*annotate.Project, error) { return other, nil }
	ws := openWorkspace(t, a, cfg)
	m := ws.merger()
	waitFor(t, func(done func()) { m.planned = done; m.start(filepath.Join(t.TempDir(), "bob.gloss")) })
	if !strings.Contains(dialogText(ws), "Added: 1 source") {
		t.Fatalf("no merge report; dialog shows %q", dialogText(ws))
	}
	settling.Wait()
	if got := limit(); got != 100<<20+importMemory {
		t.Fatalf("limit while the plan waits %d MiB, want %d MiB", got>>20, (100<<20+importMemory)>>20)
	}
	tapButton(t, ws, "Cancel")
	settling.Wait()
	if got := limit(); got != 100<<20 {
		t.Fatalf("limit after the plan was dismissed %d MiB, want 100", got>>20)
	}
}

// A plan waits for every annotation to be read (ready closed): planned
// while the index held only the sources shown so far, a merge would take
// what is in the file for new.
func TestAgainstIndexWaitsUntilReady(t *testing.T) {
	f := newFixture(t)
	ws := openWorkspace(t, test.NewTempApp(t), f.config())
	ready := make(chan struct{})
	var runs atomic.Int32
	got := make(chan struct{}, 1)
	againstIndex(ready, ws.index, func(idx *annotate.Index) int { return int(runs.Add(1)) }, func(int) { got <- struct{}{} })
	select {
	case <-got:
		t.Fatal("planned before the project was read")
	case <-time.After(100 * time.Millisecond):
	}
	if n := runs.Load(); n != 0 {
		t.Fatalf("work ran %d times before the project was read", n)
	}
	close(ready)
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("done never called once the project was read")
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("work ran %d times, want once", n)
	}
}
