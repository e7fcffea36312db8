package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/agreement"
	"gloss/app/session"
)

// codersFixture: one source of ten code points; alice codes 0–4 and bob
// 2–6 with the same code. By hand: both 2, only alice 2, only bob 2,
// neither 4; po = 0.6, pe = 0.4·0.4 + 0.6·0.6 = 0.52, kappa = 0.08/0.48.
func codersFixture(t *testing.T) *annotate.MemStore {
	t.Helper()
	text := "甲乙丙丁戊己庚辛壬癸"
	tx := annotate.NewText(text)
	sel := func(s, e int) annotate.Selector {
		x, err := tx.Select(s, e)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	st := &annotate.MemStore{}
	_, err := st.Apply(annotate.Change{
		PutSources: []annotate.Source{{ID: "s1", Title: "Stems", Language: annotate.Simplified, Kind: annotate.KindOriginal, Text: text}},
		PutCodes:   []annotate.Code{{ID: "c1", Name: "Return", Color: annotate.Palette[0]}},
		PutAnnotations: []annotate.Annotation{
			{ID: "a1", SourceID: "s1", Selector: sel(0, 4), Codes: []string{"c1"}, Author: "alice"},
			{ID: "b1", SourceID: "s1", Selector: sel(2, 6), Codes: []string{"c1"}, Author: "bob"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestCompareCodersDialog(t *testing.T) {
	a := test.NewTempApp(t)
	st := codersFixture(t)
	ws := openWorkspace(t, a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: "coders.gloss"})
	var v *codersView
	waitFor(t, func(done func()) {
		ws.codersOpened = func(cv *codersView) { cv.compared = done }
		v = ws.openCoders()
	})
	defer v.win.Close()
	if v.a.Selected != "alice" || v.b.Selected != "bob" {
		t.Fatalf("pickers start on %q and %q", v.a.Selected, v.b.Selected)
	}
	if v.res == nil || len(v.res.Codes) != 1 {
		t.Fatalf("result %+v", v.res)
	}
	row := coderRow()
	setCodeRow(row, codeCells(v.res.Codes[0]))
	var cells []string
	for _, o := range test.LaidOutObjects(row) {
		if l, ok := o.(*widget.Label); ok {
			cells = append(cells, l.Text)
		}
	}
	if got := strings.Join(cells, "|"); got != "Return|2|2|2|60.0%|0.167" {
		t.Fatalf("row %s, want Return|2|2|2|60.0%%|0.167", got)
	}
	if !strings.Contains(v.summary.Text, "1 source") || !strings.Contains(v.summary.Text, "10 characters") {
		t.Fatalf("summary %q", v.summary.Text)
	}

	// Choosing the code lists each coder's extra passage on their side.
	v.codes.Select(0)
	if len(v.diffA) != 1 || v.diffA[0].Text != "甲乙" || len(v.diffB) != 1 || v.diffB[0].Text != "戊己" {
		t.Fatalf("differences %+v | %+v", v.diffA, v.diffB)
	}
	if !strings.Contains(v.titleA.Text, "only alice (1)") {
		t.Fatalf("title %q", v.titleA.Text)
	}
	// A difference opens its passage in the document.
	v.onlyB.Select(0)
	if s, e := ws.text.tv.Selection(); s != 4 || e != 6 || ws.srcID != "s1" {
		t.Fatalf("document selection %d–%d on %q", s, e, ws.srcID)
	}

	// The same coder twice is refused; the export is then off.
	v.b.SetSelected("alice")
	if v.res != nil || !v.export.Disabled() || !strings.Contains(v.summary.Text, "two different") {
		t.Fatalf("same coder twice: %q", v.summary.Text)
	}
	// Set without its OnChanged: under the test driver the comparison's
	// result reaches the widgets on its own goroutine, while SetSelected
	// would still be drawing the picker on this one.
	waitFor(t, func(done func()) { v.compared = done; v.b.Selected = "bob"; v.compare() })

	// Export writes what agreement.WriteCSV writes.
	p := filepath.Join(t.TempDir(), "agreement.csv")
	if err := v.writeFile(p, v.res, agreement.WriteCSV); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "Return") || !strings.Contains(string(data), "0.1667") && !strings.Contains(string(data), "0.167") {
		t.Fatalf("CSV:\n%s", data)
	}
	if err := v.writeFile(filepath.Join(t.TempDir(), "no", "dir", "x.csv"), v.res, agreement.WriteCSV); err == nil || !strings.Contains(err.Error(), "x.csv") {
		t.Fatalf("writing into a missing folder: %v", err)
	}
}

func TestCompareCodersOneAuthorAndAuthorFilter(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	v := ws.openCoders()
	v.win.Close()
	if v.res != nil || !strings.Contains(v.summary.Text, "two authors") {
		t.Fatalf("one-author project: %q", v.summary.Text)
	}

	// The annotations list filters by author.
	st := codersFixture(t)
	ws2 := openWorkspace(t, a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: "coders.gloss"})
	ws2.selectSource("s1")
	if got := ws2.annots.author.Options; strings.Join(got, ",") != anyAuthor+",alice,bob" {
		t.Fatalf("author options %v", got)
	}
	ws2.annots.author.SetSelected("bob")
	if len(ws2.annots.rows) != 1 || ws2.annots.rows[0].ID != "b1" {
		t.Fatalf("bob's rows: %d", len(ws2.annots.rows))
	}
	ws2.annots.author.SetSelected(anyAuthor)
	if len(ws2.annots.rows) != 2 {
		t.Fatalf("all rows: %d", len(ws2.annots.rows))
	}
}
