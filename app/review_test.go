package app

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"gloss/annotate"
)

func TestReviewConfirmReattachDelete(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.en)

	// A one-letter change inside a quote makes a fuzzy match; deleting the
	// other quoted clause makes an orphan.
	edited := strings.Replace(textEN, "described the deal as", "described the deals as", 1)
	edited = strings.Replace(edited, ", while critics called it rushed", "", 1)
	rep, ok := ws.replacer().replace(f.en, edited, "edited")
	if !ok {
		t.Fatal("nothing applied")
	}
	if rep.Counts[annotate.AnchorFuzzy] != 1 || rep.Counts[annotate.AnchorOrphan] != 1 {
		t.Fatalf("counts %v, want one fuzzy and one orphan", rep.Counts)
	}
	fz := f.annotation(f.aFavor)
	if fz.Anchor != annotate.AnchorFuzzy || fz.Selector.Exact != "described the deals as a breakthrough" {
		t.Fatalf("fuzzy annotation %+v", fz)
	}
	// The fuzzy highlight is drawn lighter than a confirmed one and says why.
	idx := ws.index()
	h, drawn := highlightFor(idx, fz)
	if !drawn || color.NRGBAModel.Convert(h.Color).(color.NRGBA).A != fuzzyAlpha || !strings.HasPrefix(h.Tooltip, "Needs review: fuzzy") {
		t.Fatalf("fuzzy highlight %+v", h)
	}
	if _, drawn := highlightFor(idx, f.annotation(f.aAgainst)); drawn {
		t.Fatal("the orphan has a highlight")
	}

	// Rows: the orphan first, old quote beside the new one.
	if got := reviewIDs(ws); len(got) != 2 || got[0] != f.aAgainst+":orphan" || got[1] != f.aFavor+":fuzzy" {
		t.Fatalf("rows %v", got)
	}
	row := newReviewRow(ws.review)
	row.set(idx, ws.review.rows[1])
	if row.before.Text != "“described the deal as a breakthrough”" || row.now.Text != "“described the deals as a breakthrough”" {
		t.Fatalf("fuzzy row shows %q beside %q", row.before.Text, row.now.Text)
	}
	if !row.confirm.Visible() || !row.reattach.Visible() || row.switchTo.Visible() {
		t.Fatal("the fuzzy row offers the wrong buttons")
	}
	row.set(idx, ws.review.rows[0])
	if row.before.Text != "“critics called it rushed”" || row.confirm.Visible() {
		t.Fatalf("orphan row shows %q, confirm visible %v", row.before.Text, row.confirm.Visible())
	}

	// Confirm through the row's button: the fuzzy match becomes exact.
	row.set(ws.index(), ws.review.rows[1])
	test.Tap(row.confirm)
	if got := f.annotation(f.aFavor); got.Anchor.Norm() != annotate.AnchorExact || got.Score != 0 {
		t.Fatalf("after confirm: %q %v", got.Anchor, got.Score)
	}
	if got := reviewIDs(ws); len(got) != 1 {
		t.Fatalf("rows after confirm %v", got)
	}

	// Re-attach without a selection asks for one and changes nothing.
	ws.review.reattach(f.aAgainst)
	if f.annotation(f.aAgainst).Anchor != annotate.AnchorOrphan {
		t.Fatal("re-attach without a selection moved the orphan")
	}
	for _, o := range ws.Window.Canvas().Overlays().List() {
		o.Hide()
	}
	// With a selection in the document it lands there, with codes intact.
	q := "Officials in Washington"
	s := runeAt(t, edited, q)
	ws.text.tv.SetSelection(s, s+len(q))
	row.set(ws.index(), ws.review.rows[0])
	test.Tap(row.reattach)
	got := f.annotation(f.aAgainst)
	if got.Anchor.NeedsReview() || got.Selector.Exact != q || got.Selector.Start != s || len(got.Codes) != 1 || got.Codes[0] != f.crit {
		t.Fatalf("after re-attach: %+v", got)
	}
	highlightsOn(t, ws)
	if len(ws.review.rows) != 0 {
		t.Fatalf("rows after re-attach %v", reviewIDs(ws))
	}

	// Delete from the list: undo twice brings back the orphan, then the fuzzy match.
	ws.undo()
	if f.annotation(f.aAgainst).Anchor != annotate.AnchorOrphan {
		t.Fatal("undo of re-attach did not restore the orphan")
	}
	row.set(ws.index(), ws.review.rows[0])
	test.Tap(row.del)
	if f.annotation(f.aAgainst) != nil {
		t.Fatal("delete kept the orphan")
	}
	ws.undo()
	ws.undo()
	if f.annotation(f.aFavor).Anchor != annotate.AnchorFuzzy {
		t.Fatal("undo of confirm did not restore the fuzzy state")
	}
}

func TestReviewScopeProject(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.zh)
	cut := strings.Index(textZH, "\n\n")
	if _, ok := ws.replacer().replace(f.zh, textZH[:cut], "edited"); !ok {
		t.Fatal("nothing applied")
	}
	ws.selectSource(f.en)
	if len(ws.review.rows) != 0 {
		t.Fatalf("this source's list shows %v", reviewIDs(ws))
	}
	if !strings.Contains(ws.bottom.Items[2].Text, "(1)") {
		t.Fatalf("tab %q does not count the other source's orphan", ws.bottom.Items[2].Text)
	}
	ws.review.scope.SetSelected(scopeProject)
	if got := reviewIDs(ws); len(got) != 1 || got[0] != f.aChina+":orphan" {
		t.Fatalf("project-wide list %v", got)
	}
}
