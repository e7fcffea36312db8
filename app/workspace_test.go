package app

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/app/session"
)

// Fixture texts written for these tests (not corpus text).
const (
	textEN = "The two governments agreed on Tuesday to expand cooperation on repatriation flights. " +
		"Officials in Washington described the deal as a breakthrough, while critics called it rushed.\n\n" +
		"A spokesperson in Beijing said China would accept returnees who are verified as its nationals."
	textZH = "中美双方周二同意扩大遣返航班合作。华盛顿官员称这一协议是突破，批评者则认为过于仓促。\n\n" +
		"北京发言人表示，中方将接收经核实的本国公民。"
)

// runeAt is the code-point offset of the first occurrence of sub in s.
func runeAt(t testing.TB, s, sub string) int {
	t.Helper()
	i := strings.Index(s, sub)
	if i < 0 {
		t.Fatalf("fixture: %q not in text", sub)
	}
	return utf8.RuneCountInString(s[:i])
}

type fixture struct {
	store                    *annotate.MemStore
	en, zh                   string // source IDs
	coop, crit, official     string // code IDs
	us, cn                   string // target IDs
	aAgainst, aFavor, aChina string // annotation IDs
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{store: &annotate.MemStore{}}
	f.en, f.zh = "s-en", "s-zh"
	f.coop, f.crit, f.official = "c-coop", "c-crit", "c-official"
	f.us, f.cn = "t-us", "t-cn"
	sel := func(text, quote string) annotate.Selector {
		s := runeAt(t, text, quote)
		x, err := annotate.NewText(text).Select(s, s+utf8.RuneCountInString(quote))
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	f.aAgainst, f.aFavor, f.aChina = "a-against", "a-favor", "a-china"
	c := annotate.Change{
		PutSources: []annotate.Source{
			{ID: f.en, Title: "Deal on return flights", Outlet: "Example Wire", Published: "2026-10-02", Language: annotate.English, Kind: annotate.KindOriginal, Reliability: "B", Text: textEN},
			{ID: f.zh, Title: "中美遣返合作", Outlet: "示例日报", Published: "2026-10-01", Language: annotate.Simplified, Kind: annotate.KindOriginal, Reliability: "D", StateAffiliated: true, Text: textZH},
		},
		PutCodes: []annotate.Code{
			{ID: f.coop, Name: "Cooperation", Color: annotate.Palette[0]},
			{ID: f.crit, Name: "Criticism", Color: annotate.Palette[1]},
			{ID: f.official, Name: "Official statement", Color: annotate.Palette[2]},
		},
		PutTargets: []annotate.Target{{ID: f.us, Name: "United States"}, {ID: f.cn, Name: "China"}},
		PutAnnotations: []annotate.Annotation{
			{ID: f.aAgainst, SourceID: f.en, Selector: sel(textEN, "critics called it rushed"), Codes: []string{f.crit},
				Stances: []annotate.StanceMark{{Target: f.us, Stance: annotate.Against}}, Credibility: 3, Created: now, Modified: now},
			{ID: f.aFavor, SourceID: f.en, Selector: sel(textEN, "described the deal as a breakthrough"), Codes: []string{f.coop, f.official},
				Stances: []annotate.StanceMark{{Target: f.us, Stance: annotate.Favor}}, Credibility: 2, Created: now, Modified: now},
			{ID: f.aChina, SourceID: f.zh, Selector: sel(textZH, "中方将接收经核实的本国公民"), Codes: []string{f.official},
				Stances: []annotate.StanceMark{{Target: f.cn, Stance: annotate.Favor}}, Created: now, Modified: now},
		},
	}
	if _, err := f.store.Apply(c); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) config() Config {
	return Config{
		Open: func(path string, create bool) (session.Store, error) { return f.store, nil },
		Path: "fixture.gloss",
	}
}

func openWorkspace(t testing.TB, a fyne.App, cfg Config) *Workspace {
	t.Helper()
	ws := NewWindow(a, cfg)
	ws.Window.Resize(fyne.NewSize(1366, 768))
	t.Cleanup(ws.Window.Close)
	return ws
}

func (f *fixture) annotation(id string) *annotate.Annotation {
	for i := range f.store.P.Annotations {
		if f.store.P.Annotations[i].ID == id {
			return &f.store.P.Annotations[i]
		}
	}
	return nil
}

// typeKeys sends characters to whatever has focus, as the keyboard does.
func typeKeys(ws *Workspace, s string) { test.TypeOnCanvas(ws.Window.Canvas(), s) }

func TestSelectPressTwoUndoRedoReopen(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	if got := ws.text.tv.Text(); got != textEN {
		t.Fatalf("document shows %q", got)
	}

	// Select "expand cooperation" (with a trailing space, trimmed) and press 2.
	start := runeAt(t, textEN, "expand cooperation")
	ws.Window.Canvas().Focus(ws.text.tv)
	ws.text.tv.SetSelection(start, start+len("expand cooperation "))
	typeKeys(ws, "2")

	codes := ws.index().CodeTree()
	if codes[1].ID != f.crit {
		t.Fatalf("key 2 should be the second code, got %s", codes[1].Name)
	}
	var made *annotate.Annotation
	for i, an := range f.store.P.Annotations {
		if an.Selector.Exact == "expand cooperation" {
			made = &f.store.P.Annotations[i]
		}
	}
	if made == nil {
		t.Fatalf("no annotation on the selection in the store: %+v", f.store.P.Annotations)
	}
	if len(made.Codes) != 1 || made.Codes[0] != f.crit {
		t.Fatalf("codes = %v, want [%s]", made.Codes, f.crit)
	}
	if made.Selector.Start != start || made.Selector.End != start+len("expand cooperation") {
		t.Fatalf("selector %d–%d, want %d–%d", made.Selector.Start, made.Selector.End, start, start+18)
	}
	id := made.ID
	if !listed(ws, id) {
		t.Fatal("the new annotation is not in the annotations list")
	}
	if ws.annID != id || ws.text.tv.Focused() != id {
		t.Fatalf("inspector/document should show the new annotation, have %q/%q", ws.annID, ws.text.tv.Focused())
	}
	if !ws.inspector.codes.Objects[1].(*fyne.Container).Objects[0].(*widget.Check).Checked {
		t.Fatal("the inspector's checkbox for code 2 is not ticked")
	}
	if !strings.Contains(ws.status.Text, "4 annotations") {
		t.Fatalf("status bar %q", ws.status.Text)
	}

	// A second window on the same store sees it: it was saved at once.
	ws2 := openWorkspace(t, a, f.config())
	if findAnnotation(ws2.index(), id) == nil {
		t.Fatal("the annotation did not survive reopening")
	}
	ws2.selectSource(f.en)
	if !listed(ws2, id) {
		t.Fatal("the reopened window does not list the annotation")
	}

	// Ctrl+Z from the document undoes, Ctrl+Shift+Z redoes.
	ws.text.tv.TypedShortcut(&fyne.ShortcutUndo{})
	if f.annotation(id) != nil {
		t.Fatal("undo did not remove the annotation from the store")
	}
	if listed(ws, id) {
		t.Fatal("undo left the annotation in the list")
	}
	ws.text.tv.TypedShortcut(ctrlShift(fyne.KeyZ))
	if got := f.annotation(id); got == nil || got.Codes[0] != f.crit {
		t.Fatalf("redo did not restore the annotation: %+v", got)
	}
	if !listed(ws, id) {
		t.Fatal("redo did not list the annotation again")
	}
	if !strings.HasPrefix(ws.undoItem.Label, "Undo Tag") {
		t.Fatalf("undo menu item %q", ws.undoItem.Label)
	}
	// Ctrl+Y is redo too.
	ws.undo()
	ws.text.tv.TypedShortcut(&fyne.ShortcutRedo{})
	if f.annotation(id) == nil {
		t.Fatal("Ctrl+Y did not redo")
	}
	// Pressing 2 again on the annotation removes the code.
	ws.focusAnnotation(id, true)
	ws.Window.Canvas().Focus(ws.text.tv)
	typeKeys(ws, "2")
	if got := f.annotation(id); got == nil || len(got.Codes) != 0 {
		t.Fatalf("pressing 2 again should remove the code: %+v", got)
	}
}

func listed(ws *Workspace, id string) bool {
	for _, r := range ws.annots.rows {
		if r.ID == id {
			return true
		}
	}
	return false
}

func TestHighlightKeyAndDelete(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.zh)
	s := runeAt(t, textZH, "华盛顿官员")
	ws.Window.Canvas().Focus(ws.text.tv)
	ws.text.tv.SetSelection(s, s+5)
	typeKeys(ws, "h")
	if ws.annID == "" {
		t.Fatal("H made no annotation")
	}
	got := f.annotation(ws.annID)
	if got == nil || got.Selector.Exact != "华盛顿官员" || len(got.Codes) != 0 {
		t.Fatalf("highlight = %+v", got)
	}
	id := ws.annID
	ws.text.tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if f.annotation(id) != nil {
		t.Fatal("Delete did not remove the annotation")
	}
	ws.undo()
	if f.annotation(id) == nil {
		t.Fatal("undo did not bring the deleted annotation back")
	}
}

func TestInspectorStanceCredibilityNote(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	s := runeAt(t, textEN, "accept returnees")
	ws.text.tv.SetSelection(s, s+len("accept returnees"))
	if !ws.inspector.highlight.Visible() {
		t.Fatal("inspector should offer to highlight the selection")
	}

	// A new target typed in the inspector is created with the stance.
	ws.inspector.target.SetText("Mexico")
	ws.inspector.stance.SetSelected(annotate.Neutral.Label())
	got := f.annotation(ws.annID)
	if got == nil || len(got.Stances) != 1 || got.Stances[0].Stance != annotate.Neutral {
		t.Fatalf("stance not saved: %+v", got)
	}
	tg, ok := ws.index().TargetByName("Mexico")
	if !ok || got.Stances[0].Target != tg.ID {
		t.Fatal("the new target was not created")
	}
	ws.inspector.cred.SetSelected(credOption(5))
	if got := f.annotation(ws.annID); got.Credibility != 5 {
		t.Fatalf("credibility = %d", got.Credibility)
	}
	if !strings.Contains(ws.inspector.credMeaning.Text, "not logical") {
		t.Fatalf("grade 5's meaning not shown: %q", ws.inspector.credMeaning.Text)
	}
	ws.inspector.note.SetText("Check against the ministry's statement")
	ws.flushNote()
	if got := f.annotation(ws.annID); got.Note != "Check against the ministry's statement" {
		t.Fatalf("note = %q", got.Note)
	}
	// Type-ahead: a new code name with Enter creates the code and tags.
	ws.inspector.codeEntry.SetText("Humanitarian framing")
	ws.inspector.codeEntry.OnSubmitted("Humanitarian framing")
	c, ok := ws.index().CodeByName("Humanitarian framing")
	if !ok || !f.annotation(ws.annID).HasCode(c.ID) {
		t.Fatal("type-ahead did not create and apply the code")
	}
	// Each edit is one undo step: undo the code, the note stays.
	ws.undo()
	if f.annotation(ws.annID).HasCode(c.ID) || f.annotation(ws.annID).Note == "" {
		t.Fatalf("undo should remove just the code: %+v", f.annotation(ws.annID))
	}
}

func TestFilterByStance(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	p := ws.annots
	if ids := rowIDs(p); ids != f.aFavor+","+f.aAgainst && ids != f.aAgainst+","+f.aFavor {
		t.Fatalf("this source lists %s", ids)
	}
	p.scope.SetSelected(scopeProject)
	if len(p.rows) != 3 {
		t.Fatalf("whole project lists %d rows", len(p.rows))
	}
	p.stance.SetSelected(annotate.Against.Label())
	if got := rowIDs(p); got != f.aAgainst {
		t.Fatalf("against: %s", got)
	}
	p.stance.SetSelected(annotate.Favor.Label())
	if got := rowIDs(p); !strings.Contains(got, f.aFavor) || !strings.Contains(got, f.aChina) || strings.Contains(got, f.aAgainst) {
		t.Fatalf("favor: %s", got)
	}
	p.target.SetSelected("China")
	if got := rowIDs(p); got != f.aChina {
		t.Fatalf("favor China: %s", got)
	}
	p.stance.SetSelected(anyStance)
	p.target.SetSelected(anyTarget)
	p.cred.SetSelected(credOption(2))
	if got := rowIDs(p); got != f.aFavor {
		t.Fatalf("credibility 2: %s", got)
	}
	p.cred.SetSelected(anyCred)
	p.code.SetSelected("Official statement")
	if got := rowIDs(p); !strings.Contains(got, f.aFavor) || !strings.Contains(got, f.aChina) || len(p.rows) != 2 {
		t.Fatalf("code: %s", got)
	}
	// Clicking a row in another source jumps there.
	for i, r := range p.rows {
		if r.ID == f.aChina {
			p.list.Select(i)
		}
	}
	if ws.srcID != f.zh || ws.annID != f.aChina {
		t.Fatalf("jump went to %s/%s", ws.srcID, ws.annID)
	}
}

func rowIDs(p *annotationsPanel) string {
	var ids []string
	for _, r := range p.rows {
		ids = append(ids, r.ID)
	}
	return strings.Join(ids, ",")
}

// topDialog returns the texts and buttons of the topmost overlay.
func topDialog(t *testing.T, ws *Workspace) (string, map[string]*widget.Button) {
	t.Helper()
	top := ws.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	var texts []string
	buttons := map[string]*widget.Button{}
	for _, o := range test.LaidOutObjects(top) {
		switch v := o.(type) {
		case *widget.Label:
			texts = append(texts, v.Text)
		case *widget.Button:
			buttons[v.Text] = v
		}
	}
	return strings.Join(texts, "\n"), buttons
}

func TestDeleteCodeInUseAsksFirst(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())

	ws.deleteCode(f.official)
	text, buttons := topDialog(t, ws)
	if !strings.Contains(text, "used by 2 annotations") {
		t.Fatalf("confirm dialog says %q", text)
	}
	// Keep: nothing changes.
	test.Tap(buttons["Keep"])
	if !ws.index().HasCode(f.official) || ws.Window.Canvas().Overlays().Top() != nil {
		t.Fatal("Keep should close the dialog and keep the code")
	}
	ws.deleteCode(f.official)
	_, buttons = topDialog(t, ws)
	test.Tap(buttons["Delete"])
	if ws.index().HasCode(f.official) {
		t.Fatal("confirming did not delete the code")
	}
	for _, an := range f.store.P.Annotations {
		if an.HasCode(f.official) {
			t.Fatalf("annotation %s still carries the deleted code", an.ID)
		}
	}
	if got := f.annotation(f.aFavor); got == nil || !got.HasCode(f.coop) {
		t.Fatal("the other codes of the annotation must stay")
	}
	ws.undo()
	if !f.annotation(f.aChina).HasCode(f.official) {
		t.Fatal("undo did not restore the code on its annotations")
	}
	// An unused code goes without asking.
	ws.do(annotate.Change{Label: "New code", PutCodes: []annotate.Code{{ID: "c-unused", Name: "Unused", Color: "#123456"}}})
	ws.deleteCode("c-unused")
	if ws.Window.Canvas().Overlays().Top() != nil || ws.index().HasCode("c-unused") {
		t.Fatal("an unused code should be deleted at once")
	}
}

func TestCodebookRenameNestMerge(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.codebookDialog()
	cb := ws.codebook
	if cb == nil || len(cb.codes) != 3 {
		t.Fatal("codebook did not open with the codes")
	}
	cb.selectCode(f.crit)
	cb.name.SetText("Criticism of the deal")
	cb.rename()
	if ws.index().Code[f.crit].Name != "Criticism of the deal" {
		t.Fatal("rename failed")
	}
	cb.parent.SetSelected("Cooperation")
	if ws.index().Code[f.crit].Parent != f.coop {
		t.Fatal("nesting failed")
	}
	if ws.index().CodePath(f.crit) != "Cooperation / Criticism of the deal" {
		t.Fatalf("path %q", ws.index().CodePath(f.crit))
	}
	// The parent cannot be moved inside its own child.
	cb.selectCode(f.coop)
	for _, o := range cb.parent.Options {
		if strings.Contains(o, "Criticism") {
			t.Fatalf("a code's descendants must not be offered as its parent: %v", cb.parent.Options)
		}
	}
	cb.selectCode(f.official)
	cb.merge.SetSelected("Cooperation")
	cb.mergeInto()
	_, buttons := topDialog(t, ws)
	test.Tap(buttons["Merge"])
	if ws.index().HasCode(f.official) || !f.annotation(f.aChina).HasCode(f.coop) {
		t.Fatal("merge failed")
	}
}

func TestSourceDetailsSave(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.zh)
	ws.sourceDetails(f.zh)
	text, buttons := topDialog(t, ws)
	if !strings.Contains(text, "Significant doubt") {
		t.Fatalf("the definition of grade D should be shown beside the choice: %q", text)
	}
	var author *widget.Entry
	var rel *widget.RadioGroup
	for _, o := range test.LaidOutObjects(ws.Window.Canvas().Overlays().Top()) {
		if e, ok := o.(*widget.Entry); ok && author == nil && e.Text == "" && !e.MultiLine {
			author = e // Title and Outlet are filled in; Author is the first empty line
		}
		if r, ok := o.(*widget.RadioGroup); ok {
			rel = r
		}
	}
	author.SetText("Li Wei")
	rel.SetSelected(relOption("E"))
	test.Tap(buttons["Save"])
	s := ws.index().Source[f.zh]
	if s.Author != "Li Wei" || s.Reliability != "E" || s.Text != textZH {
		t.Fatalf("saved source: author %q reliability %q text kept %v", s.Author, s.Reliability, s.Text == textZH)
	}
	ws.undo()
	if ws.index().Source[f.zh].Reliability != "D" {
		t.Fatal("undo did not restore the metadata")
	}
}

func TestFindInSourceAndProject(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.zh)
	ws.showFind()
	ws.text.find.entry.SetText("遣返")
	s, e := ws.text.tv.Selection()
	if want := runeAt(t, textZH, "遣返"); s != want || e != want+2 {
		t.Fatalf("find selected %d–%d, want %d", s, e, want)
	}
	ws.selectSource(f.en)
	ws.text.find.entry.SetText("THE")
	if ws.text.find.count.Text == "no match" || len(ws.text.find.hits) != strings.Count(strings.ToLower(textEN), "the") {
		t.Fatalf("case-insensitive find: %d hits, label %q", len(ws.text.find.hits), ws.text.find.count.Text)
	}

	ws.projectSearch("北京")
	ws.search.wait()
	if len(ws.search.hits) != 1 || ws.search.hits[0].SourceID != f.zh {
		t.Fatalf("project search hits %+v", ws.search.hits)
	}
	ws.search.list.Select(0)
	if ws.srcID != f.zh {
		t.Fatal("clicking a hit did not open its source")
	}
	if s, _ := ws.text.tv.Selection(); s != runeAt(t, textZH, "北京") {
		t.Fatalf("hit selected at %d", s)
	}
}

func TestOpenErrorOffersChoices(t *testing.T) {
	a := test.NewTempApp(t)
	cfg := Config{
		Open: func(path string, create bool) (session.Store, error) {
			return nil, errors.New(path + ": is open in another Gloss window")
		},
		Path: "/tmp/locked.gloss",
	}
	ws := openWorkspace(t, a, cfg)
	if ws.Session() != nil {
		t.Fatal("no session expected")
	}
	text, _ := topDialog(t, ws)
	if !strings.Contains(text, "is open in another Gloss window") {
		t.Fatalf("error dialog says %q", text)
	}
	var labels []string
	for _, o := range test.LaidOutObjects(ws.Window.Content()) {
		if b, ok := o.(*widget.Button); ok {
			labels = append(labels, b.Text)
		}
	}
	if got := strings.Join(labels, "|"); !strings.Contains(got, "Open project") || !strings.Contains(got, "New project") || !strings.Contains(got, "demo") {
		t.Fatalf("welcome buttons: %s", got)
	}
}

func TestStartupPathRecentDemo(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	var opened []string
	cfg := Config{
		Open: func(path string, create bool) (session.Store, error) {
			opened = append(opened, path)
			return f.store, nil
		},
		Demo: func() (string, error) { return "/data/demo.gloss", nil },
	}
	openWorkspace(t, a, cfg)
	if fmt.Sprint(opened) != "[/data/demo.gloss]" {
		t.Fatalf("first start opened %v, want the demo", opened)
	}
	cfg.Path = "/work/b.gloss"
	openWorkspace(t, a, cfg)
	cfg.Path = ""
	openWorkspace(t, a, cfg)
	if opened[2] != "/work/b.gloss" {
		t.Fatalf("without a path the last project should open, got %v", opened)
	}
	if got := a.Preferences().StringList(prefRecent); fmt.Sprint(got) != "[/work/b.gloss /data/demo.gloss]" {
		t.Fatalf("recent = %v", got)
	}
}

func TestFitsLaptopScreen(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	min := ws.Window.Content().MinSize()
	if min.Width > 1280 || min.Height > 740 {
		t.Fatalf("window needs %v, more than a 1280×800 laptop gives", min)
	}
	// Collapsing panels keeps the document.
	ws.viewItems["sources"].Action()
	ws.viewItems["inspector"].Action()
	ws.viewItems["list"].Action()
	if ws.body.Objects[0] != ws.text.root {
		t.Fatal("with every panel collapsed the document should fill the window")
	}
	ws.viewItems["list"].Action()
	if ws.body.Objects[0] != ws.centre {
		t.Fatal("re-showing the list did not restore it")
	}
}

func TestTagKeysFromTheAnnotationsList(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	p := ws.annots
	for i, r := range p.rows {
		if r.ID == f.aAgainst {
			ws.Window.Canvas().Focus(p.list) // as a click on a row does
			p.list.Select(i)
		}
	}
	if ws.annID != f.aAgainst {
		t.Fatalf("inspector shows %q", ws.annID)
	}
	typeKeys(ws, "1")
	if !f.annotation(f.aAgainst).HasCode(f.coop) {
		t.Fatal("key 1 pressed in the list did not tag the annotation")
	}
	ws.Window.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if f.annotation(f.aAgainst) != nil {
		t.Fatal("Delete in the list did not delete the annotation")
	}
}

func TestMergeTargets(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	// aFavor also takes a stance toward China, which must win over the merged one.
	an := *f.annotation(f.aFavor)
	an.Stances = append(an.Stances, annotate.StanceMark{Target: f.cn, Stance: annotate.Mixed})
	ws.do(annotate.Change{PutAnnotations: []annotate.Annotation{an}})
	ws.codebookDialog()
	cb := ws.codebook
	for i, tg := range cb.targets {
		if tg.ID == f.us {
			cb.targetList.Select(i)
		}
	}
	cb.tmerge.SetSelected("China")
	cb.mergeTarget()
	_, buttons := topDialog(t, ws)
	test.Tap(buttons["Merge"])
	if ws.index().HasTarget(f.us) {
		t.Fatal("merged target still exists")
	}
	if st, _ := f.annotation(f.aAgainst).StanceToward(f.cn); st != annotate.Against {
		t.Fatalf("stance moved to China = %q", st)
	}
	if got := f.annotation(f.aFavor).Stances; len(got) != 1 || got[0].Stance != annotate.Mixed {
		t.Fatalf("an existing stance toward the target merged into must win: %+v", got)
	}
}

func TestOpenInBackground(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	done := make(chan struct{})
	ws := buildWorkspace(&Workspace{app: a, cfg: f.config(), showSources: true, showInspector: true, showList: true,
		async: true, afterOpen: func() { close(done) }})
	t.Cleanup(ws.Window.Close)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the project was not opened in the background")
	}
	if ws.Session() == nil || ws.srcID == "" {
		t.Fatal("the project opened in the background is not shown")
	}
}

// The first project is opened once, by Prefetch while the window is
// built, and the window shows that very session; without a path the most
// recent project is the one prefetched.
func TestPrefetchOpensTheFirstProjectOnce(t *testing.T) {
	for _, fromRecent := range []bool{false, true} {
		a := test.NewTempApp(t)
		f := newFixture(t)
		var opened []string
		var mu sync.Mutex
		cfg := f.config()
		cfg.Background = true
		cfg.Open = func(path string, create bool) (session.Store, error) {
			mu.Lock()
			opened = append(opened, path)
			mu.Unlock()
			return f.store, nil
		}
		if fromRecent {
			a.Preferences().SetStringList(prefRecent, []string{"recent.gloss", "older.gloss"})
			cfg.Path = ""
		}
		Prefetch(a, &cfg)
		if cfg.pre == nil {
			t.Fatal("nothing was prefetched")
		}
		pre := cfg.pre
		done := make(chan struct{})
		ws := buildWorkspace(&Workspace{app: a, cfg: cfg, showSources: true, showInspector: true, showList: true,
			async: true, afterOpen: func() { close(done) }})
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the prefetched project was not shown")
		}
		want := "fixture.gloss"
		if fromRecent {
			want = "recent.gloss"
		}
		mu.Lock()
		got := append([]string(nil), opened...)
		mu.Unlock()
		if len(got) != 1 || got[0] != want {
			t.Fatalf("opened %v, want %s once", got, want)
		}
		if ws.Session() != pre.sess || ws.path != want || ws.srcID == "" {
			t.Fatalf("the window shows %q (session %p), not the prefetched %s (%p)", ws.path, ws.Session(), want, pre.sess)
		}
		ws.Window.Close()
	}
}

// TestLargeUndoInBackground undoes an import of thousands of records as
// the window does (in the background, behind a progress dialog) and
// redoes it: the project is as before each time, the panels are told
// and the status bar says what happened; a tag is still undone at once.
func TestLargeUndoInBackground(t *testing.T) {
	f := newFixture(t)
	ws := openWorkspace(t, test.NewTempApp(t), f.config())
	ws.async = true
	var imp annotate.Change
	imp.Label = "Import 2,100 files"
	for i := 0; i < largeStep+100; i++ {
		imp.PutSources = append(imp.PutSources, annotate.Source{ID: fmt.Sprintf("imp%05d", i), Title: fmt.Sprintf("File %d", i),
			Kind: annotate.KindOriginal, Language: annotate.English, Text: fmt.Sprintf("Imported text number %d.", i)})
	}
	done, err := ws.sess.Apply(imp)
	if err != nil {
		t.Fatal(err)
	}
	ws.sess.Notify(done)
	if n := len(ws.index().P.Sources); n != 2+largeStep+100 {
		t.Fatalf("%d sources after the import", n)
	}
	ws.undo()
	ws.waitLarge()
	if n := len(ws.index().P.Sources); n != 2 || len(f.store.P.Sources) != 2 {
		t.Fatalf("after the undo: %d sources in the window, %d in the store; want 2", n, len(f.store.P.Sources))
	}
	if got := ws.status.Text; !strings.Contains(got, "Undone: Import 2,100 files") {
		t.Fatalf("status %q", got)
	}
	if n := len(ws.sources.rows); n != 2 {
		t.Fatalf("source list shows %d rows after the undo", n)
	}
	ws.redo()
	ws.waitLarge()
	if n := len(ws.index().P.Sources); n != 2+largeStep+100 {
		t.Fatalf("after the redo: %d sources", n)
	}
	if got := ws.status.Text; !strings.Contains(got, "Redone: Import 2,100 files") {
		t.Fatalf("status %q", got)
	}
	// A small step stays on the UI goroutine: done when undo returns.
	ws.undo()
	ws.waitLarge()
	ws.selectSource(f.en)
	ws.text.tv.SetSelection(0, 4)
	ws.Window.Canvas().Focus(ws.text.tv)
	typeKeys(ws, "1")
	n := len(ws.index().Annotations(f.en))
	ws.undo()
	if got := len(ws.index().Annotations(f.en)); got != n-1 {
		t.Fatalf("tag undone: %d annotations, want %d", got, n-1)
	}
}

// The source list's order is kept across actions that leave the sources
// alone, and sorted again when a source, the filter or the sort changes.
func TestSourceOrderFollowsChanges(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ids := func() string {
		var out []string
		for _, s := range ws.sources.sorted(ws.index()) {
			out = append(out, s.ID)
		}
		return strings.Join(out, " ")
	}
	if got, want := ids(), f.en+" "+f.zh; got != want {
		t.Fatalf("newest first: %s, want %s", got, want)
	}
	first := ws.sources.sorted(ws.index())
	c, _, err := ws.index().NewCode("Extra")
	if err != nil || !ws.do(c) {
		t.Fatal("new code refused", err)
	}
	if again := ws.sources.sorted(ws.index()); &again[0] != &first[0] {
		t.Fatal("a change that left the sources alone sorted them again")
	}
	zh := *ws.index().Source[f.zh]
	zh.Published = "2026-10-09"
	if !ws.do(annotate.Change{Label: "Edit", PutSources: []annotate.Source{zh}}) {
		t.Fatal("edit refused")
	}
	if got, want := ids(), f.zh+" "+f.en; got != want {
		t.Fatalf("after a date edit: %s, want %s", got, want)
	}
	ws.sources.sortBy.SetSelected(sortOldest)
	if got, want := ids(), f.en+" "+f.zh; got != want {
		t.Fatalf("oldest first: %s, want %s", got, want)
	}
	ws.sources.sortBy.SetSelected(sortTitle) // "Deal…" before "中美…"
	if got, want := ids(), f.en+" "+f.zh; got != want {
		t.Fatalf("by title: %s, want %s", got, want)
	}
	ws.sources.filter.SetText("示例")
	if got, want := ids(), f.zh; got != want {
		t.Fatalf("filtered: %s, want %s", got, want)
	}
}
