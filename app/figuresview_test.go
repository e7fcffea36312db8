package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gloss/annotate"
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
	fig := v.groups[v.rows[2].group].Figures[v.rows[2].fig]
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
