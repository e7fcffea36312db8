package app

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/app/session"
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
	if row.before.Text != "“critics called it rushed”" || row.confirm.Visible() || row.nowBox.Visible() {
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
	if !strings.Contains(ws.bottom.title(ws.review.root), "(1)") {
		t.Fatalf("tab %q does not count the other source's orphan", ws.bottom.title(ws.review.root))
	}
	ws.review.scope.SetSelected(scopeProject)
	if got := reviewIDs(ws); len(got) != 1 || got[0] != f.aChina+":orphan" {
		t.Fatalf("project-wide list %v", got)
	}
}

// reviewProject has sources×perSource annotations, every tenth of them
// orphaned and every tenth (offset by five) fuzzy, as after many replaces.
func reviewProject(b *testing.B, sources, perSource int) *annotate.MemStore {
	b.Helper()
	para := strings.Repeat("Officials said the return flights would continue. 官员表示遣返航班将继续。", 6) + "\n\n"
	text := strings.Repeat(para, perSource/5+1)
	tx := annotate.NewText(text)
	c := annotate.Change{PutCodes: []annotate.Code{{ID: "c1", Name: "Return", Color: annotate.Palette[0]}}}
	for s := 0; s < sources; s++ {
		sid := fmt.Sprintf("s%04d", s)
		c.PutSources = append(c.PutSources, annotate.Source{ID: sid, Title: "Source " + sid, Kind: annotate.KindOriginal, Text: text})
		for a := 0; a < perSource; a++ {
			sel, err := tx.Select(a*70, a*70+40)
			if err != nil {
				b.Fatal(err)
			}
			an := annotate.Annotation{ID: fmt.Sprintf("a%04d-%03d", s, a), SourceID: sid, Selector: sel, Codes: []string{"c1"}}
			switch a % 10 {
			case 0:
				an.Anchor = annotate.AnchorOrphan
			case 5:
				an.Anchor, an.Score = annotate.AnchorFuzzy, 0.8
			}
			c.PutAnnotations = append(c.PutAnnotations, an)
		}
	}
	st := &annotate.MemStore{}
	if _, err := st.Apply(c); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkReviewRefreshProject redraws the project-wide Needs review
// list, which happens after every change while it is shown.
func BenchmarkReviewRefreshProject(b *testing.B) {
	for _, n := range []struct{ sources, per int }{{20, 50}, {200, 50}} {
		b.Run(fmt.Sprintf("%d_annotations", n.sources*n.per), func(b *testing.B) {
			st := reviewProject(b, n.sources, n.per)
			a := test.NewTempApp(b)
			ws := NewWindow(a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: "review.gloss"})
			defer ws.Window.Close()
			ws.review.scope.SetSelected(scopeProject)
			want := n.sources * n.per / 5
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ws.review.refresh(ws.index())
				if len(ws.review.rows) != want {
					b.Fatalf("%d rows, want %d", len(ws.review.rows), want)
				}
			}
		})
	}
}

// BenchmarkEditSaveUndo is Save in the editor on a source (a word changed
// near the top) and its undo: re-anchoring, the store write, the
// session's re-index and the redraw, at two source sizes.
func BenchmarkEditSaveUndo(b *testing.B) {
	for _, per := range []int{50, 1000} {
		b.Run(fmt.Sprintf("%d_annotations", per), func(b *testing.B) {
			st := reviewProject(b, 2, per)
			a := test.NewTempApp(b)
			ws := NewWindow(a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: "edit.gloss"})
			defer ws.Window.Close()
			ws.selectSource("s0001")
			old := ws.index().Source["s0001"].Text
			edited := strings.Replace(old, "continue", "resume", 1)
			b.ReportMetric(float64(len([]rune(old))), "codepoints")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, ok := ws.replacer().replace("s0001", edited, "edited"); !ok {
					b.Fatal("nothing applied")
				}
				ws.undo()
			}
		})
	}
}

func TestReviewLinkEnds(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	summary := "The deal expands return flights. Beijing will take back verified nationals."
	from := annotate.Selector{}
	if s, err := annotate.NewText(summary).Select(runeAt(t, summary, "Beijing"), len([]rune(summary))); err == nil {
		from = s
	} else {
		t.Fatal(err)
	}
	q := "中方将接收经核实的本国公民"
	qs := runeAt(t, textZH, q)
	to, err := annotate.NewText(textZH).Select(qs, qs+len([]rune(q)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Apply(annotate.Change{
		PutSources: []annotate.Source{{ID: "s-sum", Title: "Summary", Language: annotate.English, Kind: annotate.KindSummary, Originals: []string{f.zh}, Text: summary}},
		PutLinks: []annotate.Link{{ID: "l1", Status: annotate.Confirmed,
			From: annotate.Anchor{SourceID: "s-sum", Selector: from}, To: []annotate.Anchor{{SourceID: f.zh, Selector: to}}}},
	}); err != nil {
		t.Fatal(err)
	}
	ws := openWorkspace(t, a, f.config())
	ws.selectSource(f.zh)

	// Deleting the paragraph the link rests on orphans its evidence end.
	cut := strings.Index(textZH, "\n\n")
	if _, ok := ws.replacer().replace(f.zh, textZH[:cut], "edited"); !ok {
		t.Fatal("nothing applied")
	}
	if !strings.Contains(ws.status.Text, ": 0 exact, 0 shifted, 0 fuzzy, 1 orphan; link ends 0 exact, 0 shifted, 0 fuzzy, 1 orphan — 2 in Needs review") {
		t.Fatalf("status %q", ws.status.Text)
	}
	if len(ws.review.ends) != 1 || ws.review.ends[0].id != "l1" || ws.review.ends[0].to != 0 {
		t.Fatalf("link ends listed: %+v", ws.review.ends)
	}
	if !strings.Contains(ws.bottom.title(ws.review.root), "(2)") {
		t.Fatalf("tab %q should count the orphaned annotation and the link end", ws.bottom.title(ws.review.root))
	}
	row := newReviewRow(ws.review)
	row.setEnd(ws.index(), ws.review.ends[0])
	if row.before.Text != "“"+q+"”" || row.nowBox.Visible() || row.confirm.Visible() || !strings.Contains(row.head.Text, "evidence of a link from") {
		t.Fatalf("link end row: head %q before %q", row.head.Text, row.before.Text)
	}

	// Re-attach the end to a selection in the shortened text.
	q2 := "华盛顿官员称这一协议是突破"
	s2 := runeAt(t, textZH, q2)
	ws.text.tv.SetSelection(s2, s2+len([]rune(q2)))
	test.Tap(row.reattach)
	l := f.store.P.Links[0]
	if l.To[0].State.NeedsReview() || l.To[0].Selector.Exact != q2 || l.From.Selector != from {
		t.Fatalf("after re-attach: %+v", l)
	}
	if len(ws.review.ends) != 0 {
		t.Fatal("the re-attached end is still listed")
	}
	// Undo lists it again; Delete link removes the link.
	ws.undo()
	row.setEnd(ws.index(), ws.review.ends[0])
	test.Tap(row.del)
	if len(f.store.P.Links) != 0 {
		t.Fatal("Delete link kept the link")
	}
	ws.undo()
	if len(f.store.P.Links) != 1 {
		t.Fatal("undo did not bring the link back")
	}
}

// TestScreenshotReviewAndMerge renders Needs review after a Chinese
// paragraph was deleted and a word changed, and the merge report, as PNGs
// (in $GLOSS_SHOT_DIR, else a temporary folder) for a person to look at.
func TestScreenshotReviewAndMerge(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	cfg := f.config()
	other := theirs(t)
	cfg.OpenOther = func(string) (*annotate.Project, error) { return other, nil }
	ws := openWorkspace(t, a, cfg)
	ws.selectSource(f.zh)
	edited := strings.Replace(textZH, "突破", "重大突破", 1)
	edited = edited[:strings.Index(edited, "\n\n")]
	if _, ok := ws.replacer().replace(f.zh, edited, "edited"); !ok {
		t.Fatal("nothing applied")
	}
	ws.showReview()
	dir := os.Getenv("GLOSS_SHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shoot(t, ws, filepath.Join(dir, "gloss-needs-review.png"))
	plan, err := ws.merger().plan("bob.gloss")
	if err != nil {
		t.Fatal(err)
	}
	ws.merger().show(plan)
	shoot(t, ws, filepath.Join(dir, "gloss-merge-report.png"))
}
