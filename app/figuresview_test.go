package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/figures"
)

// Fixture texts written for these tests (not corpus text): two sources
// counting the same arrests differently, one agreeing figure elsewhere.
const (
	figTextA = "Border agents arrested 37,000 Chinese citizens at the southern border in 2023. The visit took place on May 18, 2006."
	figTextB = "More than 24,000 Chinese citizens were arrested at the southern border in 2023. Talks were held on Tuesday."
)

func figuresFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: &annotate.MemStore{}, en: "s-a", zh: "s-b"}
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	sel := func(text, quote string) annotate.Selector {
		s := runeAt(t, text, quote)
		x, err := annotate.NewText(text).Select(s, s+len([]rune(quote)))
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	c := annotate.Change{
		PutSources: []annotate.Source{
			{ID: "s-a", Title: "Border report", Published: "2024-02-01", Language: annotate.English, Kind: annotate.KindOriginal, Reliability: "C", Text: figTextA},
			{ID: "s-b", Title: "Border post", Published: "2024-03-05", Language: annotate.English, Kind: annotate.KindOriginal, Reliability: "B", Text: figTextB},
		},
		PutCodes: []annotate.Code{{ID: "c-visit", Name: "Visit", Color: annotate.Palette[0]}},
		PutAnnotations: []annotate.Annotation{
			{ID: "a-visit", SourceID: "s-a", Selector: sel(figTextA, "The visit took place on May 18, 2006."), Codes: []string{"c-visit"}, Created: now, Modified: now},
		},
	}
	if _, err := f.store.Apply(c); err != nil {
		t.Fatal(err)
	}
	return f
}

// waitFor runs start, which calls done when its background work is in.
func waitFor(t *testing.T, start func(done func())) {
	t.Helper()
	ch := make(chan struct{}, 1)
	start(func() { ch <- struct{}{} })
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("the background computation did not finish")
	}
}

func TestFiguresTableFlagsConflictAndOpensPassage(t *testing.T) {
	a := test.NewTempApp(t)
	f := figuresFixture(t)
	ws := openWorkspace(t, a, f.config())
	var opened [3]any
	v := newFiguresView(ws.State, ws.Window, func(src string, s, e int) { opened = [3]any{src, s, e} })
	waitFor(t, func(done func()) { v.computed = done; v.compute() })

	if !strings.Contains(v.summary.Text, "1 conflict") {
		t.Fatalf("summary = %q", v.summary.Text)
	}
	// The conflicting group comes first: its heading, then its two figures.
	if len(v.rows) < 3 || v.rows[0].fig != -1 {
		t.Fatalf("rows = %+v", v.rows)
	}
	head := rowCells(v, 0)
	if !strings.Contains(head[3], "Conflict") || !strings.Contains(head[4], "37,000") || !strings.Contains(head[4], "24,000") {
		t.Fatalf("conflict heading = %q", head)
	}
	if !strings.Contains(head[4], "Border report says") || strings.Contains(head[4], "s-a") {
		t.Fatalf("the explanation should name sources by title: %q", head[4])
	}
	v.list.Select(0)
	if opened != [3]any{} || !strings.Contains(v.detail.Text, "Border post says") {
		t.Fatalf("clicking the heading: opened %v, detail %q", opened, v.detail.Text)
	}
	got := map[string]string{}
	for _, i := range []int{1, 2} {
		c := rowCells(v, i)
		got[c[3]] = c[0]
		if c[2] != "2023" || c[1] != "Chinese citizens" {
			t.Fatalf("row %d = %q", i, c)
		}
	}
	if !strings.Contains(got["Border report"], "37,000") || !strings.Contains(got["Border post"], "more than 24,000") {
		t.Fatalf("figures by source = %v", got)
	}

	// Conflicts only hides the rest; each row still opens its passage.
	all := len(v.rows)
	v.only.SetChecked(true)
	if len(v.rows) != 3 || all < 3 {
		t.Fatalf("conflicts only: %d rows of %d", len(v.rows), all)
	}
	v.list.Select(2)
	fig := v.member(&v.groups[v.rows[2].group], int(v.rows[2].fig))
	if opened != [3]any{fig.SourceID, fig.Passage.Start, fig.Passage.End} || fig.Passage.Start != 0 {
		t.Fatalf("opened %v, want the passage of %s", opened, fig.Display())
	}
	v.only.SetChecked(false)
	if len(v.rows) != all {
		t.Fatalf("unchecking shows %d rows, want %d", len(v.rows), all)
	}
}

func rowCells(v *figuresView, i int) []string {
	row := newFigureCells(false)
	v.fillRow(v.rows[i], row)
	var out []string
	walkWidgets(row, func(s string) { out = append(out, s) }, nil)
	return out
}

// figureRowOf is the row index of the figure whose display holds text.
func figureRowOf(t *testing.T, v *figuresView, text string) int {
	t.Helper()
	for i, r := range v.rows {
		if r.fig >= 0 && strings.Contains(v.member(&v.groups[r.group], int(r.fig)).Display(), text) {
			return i
		}
	}
	t.Fatalf("no row shows %q", text)
	return -1
}

// tick ticks row i as a click on its box would.
func tick(v *figuresView, i int) {
	c := widget.NewCheck("", nil)
	v.fillTick(v.rows[i], c)
	c.SetChecked(true)
}

// Ticking figures and pressing Split out, Merge, Use this figure, Not a
// figure or Clear marks stores the correction through the session (one
// undoable step each) and the table regroups; an undo regroups it back.
func TestFiguresMarkRegroupsAndUndoes(t *testing.T) {
	a := test.NewTempApp(t)
	f := figuresFixture(t)
	ws := openWorkspace(t, a, f.config())
	v := newFiguresView(ws.State, ws.Window, nil)
	v.do = ws.do
	v.follow(ws.sess)
	waitFor(t, func(done func()) { v.computed = done; v.compute() })
	if !strings.Contains(v.summary.Text, "1 conflict") {
		t.Fatalf("summary = %q", v.summary.Text)
	}
	press := func(act figures.Action) {
		t.Helper()
		b := v.acts[act]
		if b.Disabled() {
			t.Fatalf("%s is disabled with %d ticked", act, len(v.pickedIDs()))
		}
		waitFor(t, func(done func()) { v.computed = done; test.Tap(b) })
	}
	if !v.acts[figures.SplitOut].Disabled() || !v.acts[figures.Merge].Disabled() {
		t.Fatal("actions are enabled with nothing ticked")
	}

	tick(v, figureRowOf(t, v, "37,000"))
	if !v.acts[figures.Merge].Disabled() || v.acts[figures.Prefer].Disabled() || !strings.Contains(v.pickLbl.Text, "1 figure") {
		t.Fatalf("one ticked: merge enabled %v, prefer enabled %v, %q", !v.acts[figures.Merge].Disabled(), !v.acts[figures.Prefer].Disabled(), v.pickLbl.Text)
	}
	press(figures.SplitOut)
	if !strings.Contains(v.summary.Text, "0 conflicts") || len(v.pickedIDs()) != 0 {
		t.Fatalf("after split out: %q, ticked %v", v.summary.Text, v.pickedIDs())
	}
	if marks := ws.State.Index().Source["s-a"].FigureMarks; len(marks) != 1 || !marks[0].Split {
		t.Fatalf("stored marks: %+v", marks)
	}

	waitFor(t, func(done func()) { v.computed = done; ws.undo() })
	if !strings.Contains(v.summary.Text, "1 conflict") || len(ws.State.Index().Source["s-a"].FigureMarks) != 0 {
		t.Fatalf("after undo: %q", v.summary.Text)
	}

	// A heading ticks its whole group; Merge keeps them together by hand.
	tick(v, 0)
	if n := len(v.pickedIDs()); n != 2 {
		t.Fatalf("ticking the heading ticked %d figures", n)
	}
	press(figures.Merge)
	if head := rowCells(v, 0); !strings.Contains(head[3], "by hand") || !strings.Contains(head[3], "Conflict") {
		t.Fatalf("merged heading = %q", head)
	}

	tick(v, figureRowOf(t, v, "24,000"))
	press(figures.Prefer)
	if c := rowCells(v, figureRowOf(t, v, "24,000")); !strings.Contains(c[0], "★") {
		t.Fatalf("preferred row = %q", c)
	}
	// Using another figure of the group takes the star from the first.
	tick(v, figureRowOf(t, v, "37,000"))
	press(figures.Prefer)
	if c := rowCells(v, figureRowOf(t, v, "24,000")); strings.Contains(c[0], "★") {
		t.Fatalf("the figure used before is still starred: %q", c)
	}
	if c := rowCells(v, figureRowOf(t, v, "37,000")); !strings.Contains(c[0], "★") {
		t.Fatalf("preferred row = %q", c)
	}
	if m := ws.State.Index().Source["s-b"].FigureMarks; len(m) != 1 || m[0].Preferred {
		t.Fatalf("s-b's marks after preferring s-a's figure: %+v", m)
	}

	tick(v, figureRowOf(t, v, "37,000"))
	press(figures.NotFigure)
	for _, r := range v.rows {
		if r.fig >= 0 && strings.Contains(v.member(&v.groups[r.group], int(r.fig)).Display(), "37,000") {
			t.Fatal("a number marked not a figure is still listed")
		}
	}

	tick(v, figureRowOf(t, v, "24,000"))
	press(figures.Clear)
	if m := ws.State.Index().Source["s-b"].FigureMarks; len(m) != 0 {
		t.Fatalf("clear left s-b with %+v", m)
	}
	if m := ws.State.Index().Source["s-a"].FigureMarks; len(m) != 1 || !m[0].Ignore {
		t.Fatalf("clearing s-b's figure touched s-a's mark: %+v", m)
	}
}

// A closed figures window stops following the session, which would
// otherwise hold its table (130 MB at 10,000 sources) for as long as the
// project is open.
func TestFiguresWindowClosedStopsFollowing(t *testing.T) {
	a := test.NewTempApp(t)
	f := figuresFixture(t)
	ws := openWorkspace(t, a, f.config())
	before := ws.sess.Listening()
	var win fyne.Window
	waitFor(t, func(done func()) {
		ws.figuresOpened = func(v *figuresView) { win, v.computed = v.win, done }
		ws.figuresWindow()
	})
	if n := ws.sess.Listening(); n != before+1 {
		t.Fatalf("%d listeners with the window open, %d before", n, before)
	}
	win.Close()
	if n := ws.sess.Listening(); n != before {
		t.Fatalf("%d listeners once the window closed, %d before", n, before)
	}
}
