package linkview

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/annotate/coverage"
	"gloss/app/session"
)

const (
	origID = "s_orig"
	sumID  = "s_sum"
)

func testProject(summary, original string) *annotate.Project {
	return &annotate.Project{Sources: []annotate.Source{
		{ID: origID, Title: "Border report", Kind: annotate.KindOriginal, Language: annotate.Simplified, Text: original,
			ContentHash: annotate.HashText(original), Length: len([]rune(original))},
		{ID: sumID, Title: "Summary", Kind: annotate.KindSummary, Language: annotate.English, Originals: []string{origID}, Text: summary,
			ContentHash: annotate.HashText(summary), Length: len([]rune(summary))},
	}}
}

// newTestView shows a View for the fixture pair in a 1366×768 test window.
func newTestView(t *testing.T) (*View, *session.Session, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	sess, err := session.New(&annotate.MemStore{P: testProject(testSummary, testOriginal)})
	if err != nil {
		t.Fatal(err)
	}
	v := NewView(sess, sumID, origID)
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(1366, 768))
	return v, sess, w
}

// suggestNow presses Suggest and waits for the run to finish.
func suggestNow(t *testing.T, v *View) {
	t.Helper()
	done := make(chan struct{})
	v.afterSuggest = func() { close(done) }
	test.Tap(v.suggestBtn)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Suggest did not finish")
	}
	v.afterSuggest = nil
}

func linksWith(sess *session.Session, st annotate.LinkStatus) []annotate.Link {
	var out []annotate.Link
	for _, k := range sess.Index().P.Links {
		if k.Status == st {
			out = append(out, k)
		}
	}
	return out
}

// sentenceAt returns the index of the summary sentence starting with prefix.
func sentenceAt(t *testing.T, v *View, prefix string) int {
	t.Helper()
	for i, s := range v.rep.Sentences {
		if strings.HasPrefix(s.Text, prefix) {
			return i
		}
	}
	t.Fatalf("no summary sentence starts with %q", prefix)
	return -1
}

func runeIndex(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return -1
	}
	return len([]rune(s[:i]))
}

func TestInitialStateAllUnsupported(t *testing.T) {
	v, _, _ := newTestView(t)
	if len(v.rep.Sentences) != 3 || len(v.rep.Unsupported) != 3 {
		t.Fatalf("want 3 unsupported sentences, got %d sentences, %d unsupported", len(v.rep.Sentences), len(v.rep.Unsupported))
	}
	hs := v.summaryHighlights()
	if len(hs) < 3 {
		t.Fatalf("want one highlight per sentence, got %d", len(hs))
	}
	hs = hs[:3] // summary-check marks follow the sentences
	for _, h := range hs {
		if h.Color != colUnsupported {
			t.Errorf("sentence %s coloured %v, want the unsupported colour", h.ID, h.Color)
		}
	}
	if !strings.Contains(v.coverageLbl.Text, "0 of 3 summary sentences") || v.unsupList.Length() != 3 {
		t.Errorf("coverage %q, unsupported list %d", v.coverageLbl.Text, v.unsupList.Length())
	}
}

func TestLinkBySelectionWithCtrlL(t *testing.T) {
	v, sess, _ := newTestView(t)
	ss := runeIndex(testSummary, "Minister")
	se := runeIndex(testSummary, " Officials")
	os := runeIndex(testOriginal, "公安部")
	oe := runeIndex(testOriginal, "。\n\n气象台")
	v.summary.SetSelection(ss, se)
	v.original.SetSelection(os, oe)
	v.original.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault})

	got := linksWith(sess, annotate.Confirmed)
	if len(got) != 1 {
		t.Fatalf("want one confirmed link after Ctrl+L, got %d (status %q)", len(got), v.status.Text)
	}
	k := got[0]
	if k.From.SourceID != sumID || k.From.Selector.Start != ss || k.From.Selector.End != se ||
		k.From.Selector.Exact != "Minister Wang Xiaohong met the US delegation in Vienna." {
		t.Errorf("from = %+v", k.From)
	}
	if len(k.To) != 1 || k.To[0].SourceID != origID || k.To[0].Selector.Exact != "公安部部长王小洪在维也纳会见了美国代表团" {
		t.Errorf("to = %+v", k.To)
	}
	i := sentenceAt(t, v, "Minister")
	if v.rep.Sentences[i].State != coverage.Linked || v.rep.Linked != 1 {
		t.Errorf("sentence state %s, linked %d", v.rep.Sentences[i].State, v.rep.Linked)
	}
	if !strings.Contains(v.coverageLbl.Text, "1 of 3 summary sentences have confirmed evidence (33%)") {
		t.Errorf("coverage label %q", v.coverageLbl.Text)
	}
	if v.summaryHighlights()[i].Color != colLinked {
		t.Error("linked sentence is not coloured as linked")
	}
	// The link is one undoable action.
	if sess.UndoLabel() != "Link" {
		t.Errorf("undo label %q", sess.UndoLabel())
	}
	if _, err := sess.Undo(); err != nil || v.rep.Linked != 0 {
		t.Errorf("after undo: err %v, linked %d", err, v.rep.Linked)
	}
}

func TestLinkButtonUsesSelectedSentence(t *testing.T) {
	v, sess, _ := newTestView(t)
	i := sentenceAt(t, v, "In 2023")
	v.summary.OnHighlightTapped(sentID(i)) // click on the sentence
	if v.cur != i || v.summary.Focused() != sentID(i) {
		t.Fatalf("clicking sentence %d selected %d (focus %q)", i, v.cur, v.summary.Focused())
	}
	// Nothing selected in the original: the button explains, links nothing.
	test.Tap(v.linkBtn)
	if n := len(sess.Index().P.Links); n != 0 || !strings.Contains(v.status.Text, "select the passage of the original") {
		t.Fatalf("linked with no original selection: %d links, status %q", n, v.status.Text)
	}
	os := runeIndex(testOriginal, "2023年")
	v.original.SetSelection(os, os+20)
	test.Tap(v.linkBtn)
	got := linksWith(sess, annotate.Confirmed)
	if len(got) != 1 || got[0].From.Selector.Exact != v.rep.Sentences[i].Text {
		t.Fatalf("want the whole sentence linked, got %+v", got)
	}
	// Linking the same pair again does not double it.
	v.summary.SetSelection(v.rep.Sentences[i].Start, v.rep.Sentences[i].End)
	v.original.SetSelection(os, os+20)
	test.Tap(v.linkBtn)
	if n := len(sess.Index().P.Links); n != 1 || !strings.Contains(v.status.Text, "already linked") {
		t.Errorf("relinking: %d links, status %q", n, v.status.Text)
	}
	// The evidence is highlighted in the original and can be removed.
	if len(v.evRows) != 1 {
		t.Fatalf("side panel lists %d evidence rows, want 1", len(v.evRows))
	}
	if f := v.original.Focused(); f != passID("e", os, os+20) {
		t.Errorf("original focus %q", f)
	}
	test.Tap(v.evRows[0].remove)
	if n := len(sess.Index().P.Links); n != 0 || v.rep.Sentences[i].State != coverage.Unsupported {
		t.Errorf("after remove: %d links, state %s", n, v.rep.Sentences[i].State)
	}
}

func TestSuggestConfirmReject(t *testing.T) {
	v, sess, _ := newTestView(t)
	suggestNow(t, v)
	sug := linksWith(sess, annotate.Suggested)
	if len(sug) != 3 {
		t.Fatalf("want a suggested link for each of 3 sentences, got %d (status %q)", len(sug), v.status.Text)
	}
	if v.rep.Suggested != 3 || v.rep.Linked != 0 || len(v.rep.Unsupported) != 0 {
		t.Fatalf("coverage after suggest: %+v", v.rep)
	}
	if sess.UndoLabel() != "Suggest links" {
		t.Errorf("suggest is not one undoable action: %q", sess.UndoLabel())
	}

	// Confirm the first sentence's suggestion in one click.
	a := sentenceAt(t, v, "In 2023")
	v.selectSentence(a, true)
	if len(v.candRows) == 0 || v.candRows[0].linkID == "" {
		t.Fatalf("side list has no stored suggestion for sentence %d: %+v", a, v.candRows)
	}
	want := v.candRows[0].linkID
	if f := v.original.Focused(); !strings.HasPrefix(f, "g:") {
		t.Errorf("suggested passage not focused in the original: %q", f)
	}
	test.Tap(v.candRows[0].confirm)
	conf := linksWith(sess, annotate.Confirmed)
	if len(conf) != 1 || conf[0].ID != want || conf[0].To[0].Selector.Exact != "海关报告:2023年边境记录了24000多起越境事件。" {
		t.Fatalf("confirm: %+v", conf)
	}
	if v.rep.Linked != 1 || v.rep.SentenceShare < 0.33 || v.rep.OriginalShare <= 0 {
		t.Errorf("coverage did not update: linked %d, share %.2f, original %.2f", v.rep.Linked, v.rep.SentenceShare, v.rep.OriginalShare)
	}
	if !strings.Contains(v.coverageLbl.Text, "1 of 3") {
		t.Errorf("coverage label %q", v.coverageLbl.Text)
	}

	// Reject the third sentence's suggestion.
	c := sentenceAt(t, v, "Officials")
	v.selectSentence(c, true)
	if len(v.candRows) == 0 || v.candRows[0].linkID == "" {
		t.Fatalf("no stored suggestion for sentence %d", c)
	}
	rej := v.candRows[0]
	test.Tap(rej.reject)
	if r := linksWith(sess, annotate.Rejected); len(r) != 1 || r[0].ID != rej.linkID {
		t.Fatalf("reject: %+v", r)
	}
	for _, r := range v.candRows {
		if r.start == rej.start && r.end == rej.end {
			t.Error("the rejected passage is still offered in the side list")
		}
	}
	// Running Suggest again never brings the rejected pair back, and does
	// not touch the confirmed sentence.
	suggestNow(t, v)
	for _, k := range sess.Index().P.Links {
		if k.Status == annotate.Suggested && coverage.Touches(k.From.Selector, v.rep.Sentences[c].Start, v.rep.Sentences[c].End) &&
			coverage.SameTarget(k, origID, rej.start, rej.end) {
			t.Errorf("rejected pair offered again: %+v", k)
		}
		if k.Status == annotate.Suggested && coverage.Touches(k.From.Selector, v.rep.Sentences[a].Start, v.rep.Sentences[a].End) {
			t.Errorf("confirmed sentence got a new suggestion: %+v", k)
		}
	}
	for _, r := range v.candRows {
		if r.start == rej.start && r.end == rej.end {
			t.Error("the rejected passage is offered again after re-running Suggest")
		}
	}
	if n := len(linksWith(sess, annotate.Confirmed)); n != 1 {
		t.Errorf("confirmed links after re-run: %d", n)
	}
	// A third run changes nothing: suggestions are not doubled.
	before := len(sess.Index().P.Links)
	suggestNow(t, v)
	if after := len(sess.Index().P.Links); after != before {
		t.Errorf("re-running Suggest changed the link count %d → %d", before, after)
	}
}

func TestClickEvidenceShowsCitingSentences(t *testing.T) {
	v, _, _ := newTestView(t)
	suggestNow(t, v)
	for _, p := range []string{"In 2023", "Minister"} {
		v.selectSentence(sentenceAt(t, v, p), true)
		test.Tap(v.candRows[0].confirm)
	}
	i := sentenceAt(t, v, "Minister")
	ev := v.rep.Sentences[i].Evidence[0].Selector
	id := passID("e", ev.Start, ev.End)
	var found bool
	for _, h := range v.originalHighlights() {
		found = found || h.ID == id
	}
	if !found {
		t.Fatalf("evidence %s not highlighted in the original", id)
	}
	v.original.OnHighlightTapped(id)
	if len(v.citeRows) != 1 || v.citeRows[0].sentence != i {
		t.Fatalf("cited-by list: %d rows", len(v.citeRows))
	}
	var marked bool
	for _, h := range v.summaryHighlights() {
		marked = marked || h.ID == "x:"+strconv.Itoa(i)
	}
	if !marked {
		t.Error("the citing sentence is not marked in the summary")
	}
	test.Tap(v.citeRows[0].open)
	if v.cur != i || v.pass != nil {
		t.Errorf("tapping the citing sentence selected %d", v.cur)
	}
}

func TestUnsupportedListJumps(t *testing.T) {
	v, _, _ := newTestView(t)
	v.unsupList.Select(2)
	if v.cur != v.rep.Unsupported[2] {
		t.Errorf("unsupported list selected sentence %d, want %d", v.cur, v.rep.Unsupported[2])
	}
}

func TestMissingSourceDisablesView(t *testing.T) {
	v, sess, _ := newTestView(t)
	if err := sess.Do(sess.Index().DeleteSource(sumID)); err != nil {
		t.Fatal(err)
	}
	if v.ok || !v.linkBtn.Disabled() || !strings.Contains(v.status.Text, "no longer") {
		t.Errorf("view still active after its summary was deleted: %q", v.status.Text)
	}
	if _, err := sess.Undo(); err != nil || !v.ok {
		t.Errorf("undo did not bring the view back: %v", err)
	}
}
