package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
)

// highlightsOn checks that every drawn highlight of the shown source sits
// on its annotation's quote in the document's text, and returns them by ID.
func highlightsOn(t *testing.T, ws *Workspace) map[string][2]int {
	t.Helper()
	idx := ws.index()
	text := annotate.NewText(ws.text.tv.Text())
	out := map[string][2]int{}
	for _, a := range idx.Annotations(ws.srcID) {
		h, ok := highlightFor(idx, a)
		if !ok {
			continue
		}
		if got := text.Slice(h.Start, h.End); got != a.Selector.Exact {
			t.Errorf("highlight %s covers %q, its quote is %q", a.ID, got, a.Selector.Exact)
		}
		out[a.ID] = [2]int{h.Start, h.End}
	}
	return out
}

func TestEditTextHighlightsFollowDeletedGoesToReviewUndoRestores(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.zh)
	before := annotate.NewText(textZH)
	oldChina := f.annotation(f.aChina).Selector

	// Add an annotation on the first paragraph so one passage survives the
	// edit while the other is deleted.
	first := "华盛顿官员称这一协议是突破"
	s := runeAt(t, textZH, first)
	sel, err := before.Select(s, s+len([]rune(first)))
	if err != nil {
		t.Fatal(err)
	}
	if !ws.do(annotate.Change{Label: "add", PutAnnotations: []annotate.Annotation{{ID: "a-first", SourceID: f.zh, Selector: sel, Codes: []string{f.coop}}}}) {
		t.Fatal("could not add the fixture annotation")
	}

	// Fix a word at the top, turn a full-width comma half-width and back,
	// and delete the second paragraph, as an analyst would in the editor.
	edited := strings.Replace(textZH, "周二", "本周二", 1)
	edited = strings.Replace(edited, "突破，批评者", "突破, 批评者", 1)
	edited = edited[:strings.Index(edited, "\n\n")]
	d := ws.replacer().openEditor(ws.index().Source[f.zh])
	if d.entry.Text != textZH {
		t.Fatalf("the editor opened on %q", d.entry.Text)
	}
	d.entry.SetText(edited)
	if !d.save() {
		t.Fatal("save applied nothing")
	}
	d.dlg.Hide()

	if got := ws.text.tv.Text(); got != edited {
		t.Fatalf("document shows %q after save", got)
	}
	if got := f.store.P.Sources[1].Text; got != edited {
		t.Fatalf("store holds %q", got)
	}
	hs := highlightsOn(t, ws)
	moved := f.annotation("a-first")
	if moved.Selector.Exact != first || moved.Anchor.NeedsReview() {
		t.Fatalf("surviving annotation: %+v", moved)
	}
	if want := s + 1; hs["a-first"][0] != want {
		t.Fatalf("surviving highlight starts at %d, want %d (shifted by the inserted 本)", hs["a-first"][0], want)
	}
	gone := f.annotation(f.aChina)
	if gone.Anchor != annotate.AnchorOrphan {
		t.Fatalf("the deleted passage's annotation is %q, want orphan", gone.Anchor)
	}
	if _, drawn := hs[f.aChina]; drawn {
		t.Fatal("an orphan is drawn in the document")
	}
	if len(gone.Codes) == 0 || len(gone.Stances) == 0 {
		t.Fatal("the orphan lost its codes or stance")
	}
	if !strings.Contains(ws.status.Text, "1 orphan") || !strings.Contains(ws.status.Text, "Needs review") {
		t.Fatalf("status %q does not give the counts", ws.status.Text)
	}
	// Needs review lists it, with the old quote.
	ws.showReview()
	if len(ws.review.rows) != 1 || ws.review.rows[0].ID != f.aChina {
		t.Fatalf("Needs review lists %v", reviewIDs(ws))
	}
	if q := ws.review.oldQuote(ws.index(), ws.review.rows[0]); q != oldChina.Exact {
		t.Fatalf("old quote %q, want %q", q, oldChina.Exact)
	}
	if tab := ws.bottom.title(ws.bottom.selected()); tab != "Needs review (1)" {
		t.Fatalf("tab %q", tab)
	}
	if len(f.store.P.Versions) != 1 || f.store.P.Versions[0].Text != textZH || f.store.P.Versions[0].Reason != "edited" {
		t.Fatalf("versions %+v", f.store.P.Versions)
	}

	// One undo brings the old text and every old position back.
	ws.undo()
	if got := ws.text.tv.Text(); got != textZH {
		t.Fatalf("undo left %q in the document", got)
	}
	if got := f.annotation(f.aChina); got.Selector != oldChina || got.Anchor != "" {
		t.Fatalf("undo left the annotation at %+v (%q)", got.Selector, got.Anchor)
	}
	if got := f.annotation("a-first").Selector; got != sel {
		t.Fatalf("undo left a-first at %+v", got)
	}
	if len(ws.review.rows) != 0 {
		t.Fatalf("Needs review still lists %v after undo", reviewIDs(ws))
	}
	highlightsOn(t, ws)
}

func reviewIDs(ws *Workspace) []string {
	var ids []string
	for _, a := range ws.review.rows {
		ids = append(ids, a.ID+":"+string(a.Anchor))
	}
	return ids
}

func TestReplaceWithFileAndRefusals(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	dir := t.TempDir()

	// A newer copy with CRLF line ends and a sentence on top: the file goes
	// through the import's normalisation, so positions count as in the store.
	newer := "Updated at noon.\r\n\r\n" + strings.ReplaceAll(textEN, "\n", "\r\n")
	p := filepath.Join(dir, "newer.txt")
	if err := os.WriteFile(p, []byte(newer), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, ok := ws.replacer().replaceWithFile(f.en, p)
	if !ok {
		t.Fatal("replace applied nothing")
	}
	if strings.Contains(ws.text.tv.Text(), "\r") {
		t.Fatal("the replaced text kept CR characters: it skipped the import's normalisation")
	}
	if rep.Counts[annotate.AnchorShifted] != 2 || rep.NeedsReview() != 0 {
		t.Fatalf("counts %v", rep.Counts)
	}
	highlightsOn(t, ws)
	if v := f.store.P.Versions; len(v) != 1 || v[0].Reason != "replaced by newer.txt" {
		t.Fatalf("versions %+v", v)
	}

	// The same file again changes nothing; an empty file and a missing
	// one are refused with messages that name them, and change nothing.
	n := len(f.store.P.Versions)
	if _, ok := ws.replacer().replaceWithFile(f.en, p); ok {
		t.Fatal("replacing with the same text made a change")
	}
	if !strings.Contains(ws.status.Text, "unchanged") {
		t.Fatalf("status %q", ws.status.Text)
	}
	empty := filepath.Join(dir, "empty.txt")
	_ = os.WriteFile(empty, []byte("  \n"), 0o644)
	if _, ok := ws.replacer().replaceWithFile(f.en, empty); ok {
		t.Fatal("an empty file replaced the text")
	}
	if _, ok := ws.replacer().replaceWithFile(f.en, filepath.Join(dir, "missing.txt")); ok {
		t.Fatal("a missing file replaced the text")
	}
	if len(f.store.P.Versions) != n {
		t.Fatal("a refused replace kept a version")
	}
	if _, ok := ws.replacer().replace("no-such-source", "text", "edited"); ok {
		t.Fatal("replaced a source that does not exist")
	}
}

func TestDropFileOnSourceRowAsksThenReplaces(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)
	// The list also made rows only to measure; the one on screen has a size.
	var row *sourceRow
	for _, r := range ws.sources.made {
		if r.id == f.zh && r.Visible() && r.Size().Height > 0 {
			row = r
		}
	}
	if row == nil {
		t.Fatal("no row for the Chinese source")
	}
	p := filepath.Join(t.TempDir(), "fixed.txt")
	newer := strings.Replace(textZH, "周二", "本周二", 1)
	if err := os.WriteFile(p, []byte(newer), 0o644); err != nil {
		t.Fatal(err)
	}
	at := a.Driver().AbsolutePositionForObject(row).AddXY(10, 5)
	if got := ws.sources.rowAt(at); got != f.zh {
		t.Fatalf("rowAt = %q", got)
	}
	ws.dropped(at, []fyne.URI{storage.NewFileURI(p)})
	if f.store.P.Sources[1].Text != textZH {
		t.Fatal("the drop replaced the text before asking")
	}
	if !strings.Contains(dialogText(ws), "fixed.txt") {
		t.Fatalf("the question does not name the file: %q", dialogText(ws))
	}
	tapButton(t, ws, "Yes")
	if got := f.store.P.Sources[1].Text; got != newer {
		t.Fatalf("after yes the text is %q", got)
	}
	if f.annotation(f.aChina).Selector.Start != runeAt(t, newer, "中方将接收经核实的本国公民") {
		t.Fatal("the annotation did not shift with the inserted character")
	}
	if got := ws.sources.rowAt(fyne.NewPos(2, 2)); got != "" {
		t.Fatalf("the window's corner is the row of %q", got)
	}
}

// tapButton taps the button with the given label in the top overlay.
func tapButton(t *testing.T, ws *Workspace, label string) {
	t.Helper()
	top := ws.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no %q button", label)
}

func TestEditSummaryReanchorsLinks(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	summary := "The deal expands return flights. Beijing will take back verified nationals."
	sel := func(text, q string) annotate.Selector {
		s := runeAt(t, text, q)
		x, err := annotate.NewText(text).Select(s, s+len([]rune(q)))
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	from := sel(summary, "Beijing will take back verified nationals.")
	to := sel(textZH, "中方将接收经核实的本国公民")
	if _, err := f.store.Apply(annotate.Change{
		PutSources: []annotate.Source{{ID: "s-sum", Title: "Summary", Language: annotate.English, Kind: annotate.KindSummary, Originals: []string{f.zh}, Text: summary}},
		PutLinks: []annotate.Link{{ID: "l1", Status: annotate.Confirmed,
			From: annotate.Anchor{SourceID: "s-sum", Selector: from}, To: []annotate.Anchor{{SourceID: f.zh, Selector: to}}}},
	}); err != nil {
		t.Fatal(err)
	}
	ws := openWorkspace(t, a, f.config())
	ws.selectSource("s-sum")
	revised := "Both governments agreed to expand return flights. Beijing will take back verified nationals."
	d := ws.replacer().openEditor(ws.index().Source["s-sum"])
	d.entry.SetText(revised)
	if !d.save() {
		t.Fatal("nothing saved")
	}
	d.dlg.Hide()
	var l *annotate.Link
	for i := range f.store.P.Links {
		if f.store.P.Links[i].ID == "l1" {
			l = &f.store.P.Links[i]
		}
	}
	want := runeAt(t, revised, "Beijing")
	if l == nil || l.From.Selector.Start != want || l.From.Selector.Exact != from.Exact || l.From.State.NeedsReview() {
		t.Fatalf("link end after the edit: %+v", l)
	}
	if l.To[0].Selector != to {
		t.Fatal("the edit moved the link's end in the original")
	}
	ws.undo()
	if got := f.store.P.Links[0].From.Selector; got != from {
		t.Fatalf("undo left the link end at %+v", got)
	}
}

func TestEditLongTextAsksOrRefuses(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	para := strings.Repeat("官员表示遣返航班将继续。", 20) + "\n\n"
	long := strings.Repeat(para, editWarnBytes/len(para)+1)
	huge := strings.Repeat(para, editMaxBytes/len(para)+1)
	if _, err := f.store.Apply(annotate.Change{PutSources: []annotate.Source{
		{ID: "s-long", Title: "Long", Kind: annotate.KindOriginal, Language: annotate.Simplified, Text: long},
		{ID: "s-huge", Title: "Huge", Kind: annotate.KindOriginal, Language: annotate.Simplified, Text: huge},
	}}); err != nil {
		t.Fatal(err)
	}
	ws := openWorkspace(t, a, f.config())
	ws.replacer().editDialog("s-long")
	if !strings.Contains(dialogText(ws), "may be slow") {
		t.Fatalf("a long text opened without a warning: %q", dialogText(ws))
	}
	tapButton(t, ws, "Yes")
	opened := false
	for _, o := range test.LaidOutObjects(ws.Window.Canvas().Overlays().Top()) {
		if e, ok := o.(*widget.Entry); ok && e.Text == long {
			opened = true
		}
	}
	if !opened {
		t.Fatal("Yes did not open the editor on the long text")
	}
	for _, o := range ws.Window.Canvas().Overlays().List() {
		o.Hide()
	}
	ws.replacer().editDialog("s-huge")
	if !strings.Contains(dialogText(ws), "too long for the window's editor") || !strings.Contains(dialogText(ws), "Replace with file") {
		t.Fatalf("a huge text: %q", dialogText(ws))
	}
}

// TestReplaceKeepsNoteBeingTyped: a note typed just before Save is
// written first, so the re-anchored annotation carries it.
func TestReplaceKeepsNoteBeingTyped(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.focusAnnotation(f.aAgainst, true)
	test.Type(ws.inspector.note, "check the wording")
	if !ws.inspector.noteDirty {
		t.Skip("the inspector saved the note at once; nothing pending to test")
	}
	edited := "Breaking. " + textEN
	if _, ok := ws.replacer().replace(f.en, edited, "edited"); !ok {
		t.Fatal("nothing applied")
	}
	got := f.annotation(f.aAgainst)
	if got.Note != "check the wording" || got.Selector.Start != runeAt(t, edited, "critics called it rushed") {
		t.Fatalf("after replace: note %q at %d", got.Note, got.Selector.Start)
	}
}

// TestEditReplaceUndoKeepScroll: Edit text ▸ Save, Replace with file and
// the undo and redo of both leave the reader on the words they were
// reading, not at the top of the document.
func TestEditReplaceUndoKeepScroll(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	var b strings.Builder
	for i := 0; i < 150; i++ {
		fmt.Fprintf(&b, "Paragraph %d: officials said the repatriation talks would continue next week. 第%d段，外交部发言人表示双方将继续合作。\n", i, i)
	}
	long := b.String()
	if _, err := f.store.Apply(annotate.Change{PutSources: []annotate.Source{{ID: "s-long", Title: "Long", Language: annotate.English, Kind: annotate.KindOriginal, Text: long}}}); err != nil {
		t.Fatal(err)
	}
	ws := openWorkspace(t, a, f.config())
	ws.selectSource("s-long")
	tv := ws.text.tv
	if tv.Size().Height <= 0 {
		t.Fatal("the document view has no size")
	}
	// reading returns the words at the top of the view.
	reading := func() string {
		rs := []rune(tv.Text())
		off := tv.ScrollOffset()
		return string(rs[off:min(len(rs), off+16)])
	}
	tv.SetScrollOffset(runeAt(t, long, "Paragraph 90:"))
	want := reading()
	if !strings.HasPrefix(want, "Paragraph 90:") {
		t.Fatalf("scrolled to %q", want)
	}
	check := func(step string) {
		t.Helper()
		if got := reading(); got != want {
			t.Fatalf("after %s the view shows %q at the top, want %q", step, got, want)
		}
	}

	// Edit: a note on top and a word changed above the reader.
	edited := "Editor's note: updated.\n" + strings.Replace(long, "Paragraph 10:", "Para 10:", 1)
	d := ws.replacer().openEditor(ws.index().Source["s-long"])
	d.entry.SetText(edited)
	if !d.save() {
		t.Fatal("save applied nothing")
	}
	d.dlg.Hide()
	check("Edit text ▸ Save")
	ws.undo()
	check("undo of the edit")
	ws.redo()
	check("redo of the edit")

	// Replace with a file that drops the first twenty paragraphs.
	p := filepath.Join(t.TempDir(), "newer.txt")
	if err := os.WriteFile(p, []byte(long[strings.Index(long, "Paragraph 20:"):]), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := ws.replacer().replaceWithFile("s-long", p); !ok {
		t.Fatal("replace applied nothing")
	}
	check("Replace with file")
	ws.undo()
	check("undo of the replace")
	ws.redo()
	check("redo of the replace")
}
