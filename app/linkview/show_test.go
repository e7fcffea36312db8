package linkview

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/app/session"
)

// findSelect returns the first Select in the tree, or nil.
func findSelect(o fyne.CanvasObject) *widget.Select {
	switch w := o.(type) {
	case *widget.Select:
		return w
	case *fyne.Container:
		for _, c := range w.Objects {
			if s := findSelect(c); s != nil {
				return s
			}
		}
	case *container.Split:
		if s := findSelect(w.Leading); s != nil {
			return s
		}
		return findSelect(w.Trailing)
	}
	return nil
}

func TestShowOpensWindowWithOriginalPicker(t *testing.T) {
	a := test.NewTempApp(t)
	p := testProject(testSummary, testOriginal)
	second := "第二篇:2023年边境记录了24000多起越境事件。"
	p.Sources = append(p.Sources, annotate.Source{ID: "s_orig2", Title: "Second report", Kind: annotate.KindOriginal,
		Language: annotate.Simplified, Text: second})
	p.Sources[1].Originals = []string{origID, "s_orig2"}
	sess, err := session.New(&annotate.MemStore{P: p})
	if err != nil {
		t.Fatal(err)
	}
	parent := test.NewTempWindow(t, widget.NewLabel("main"))
	before := len(a.Driver().AllWindows())

	Show(parent, sess, "no-such-source")
	if n := len(a.Driver().AllWindows()); n != before {
		t.Fatalf("a window opened for a missing source (%d → %d)", before, n)
	}

	Show(parent, sess, sumID)
	ws := a.Driver().AllWindows()
	if len(ws) != before+1 {
		t.Fatalf("Show opened %d windows", len(ws)-before)
	}
	w := ws[len(ws)-1]
	defer w.Close()
	pick := findSelect(w.Content())
	if pick == nil || len(pick.Options) != 2 || pick.SelectedIndex() != 0 {
		t.Fatalf("no picker for the two originals: %+v", pick)
	}
	pick.SetSelectedIndex(1)
	// The view now shows the second original.
	var found bool
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch c := o.(type) {
		case *fyne.Container:
			for _, x := range c.Objects {
				walk(x)
			}
		case *container.Split:
			walk(c.Leading)
			walk(c.Trailing)
		case interface{ Text() string }:
			found = found || c.Text() == second
		}
	}
	walk(w.Content())
	if !found {
		t.Error("picking the second original did not show its text")
	}
}

func TestNewSummaryOpensEditorWindow(t *testing.T) {
	a := test.NewTempApp(t)
	sess, err := session.New(&annotate.MemStore{P: testProject(testSummary, testOriginal)})
	if err != nil {
		t.Fatal(err)
	}
	parent := test.NewTempWindow(t, widget.NewLabel("main"))
	before := len(a.Driver().AllWindows())
	NewSummary(parent, sess, origID)
	ws := a.Driver().AllWindows()
	if len(ws) != before+1 {
		t.Fatalf("NewSummary opened %d windows", len(ws)-before)
	}
	ws[len(ws)-1].Close()
}
