package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/agreement"
)

// codersView is Analysis ▸ Compare coders…: two authors, their agreement
// code by code, and where a selected code's coding differs, side by side.
type codersView struct {
	st      *State
	win     fyne.Window
	fail    func(error)                      // shows an error
	status  func(string)                     // says what was done
	open    func(src string, start, end int) // show a passage in the document
	a, b    *widget.Select
	summary *widget.Label
	codes   *widget.List
	onlyA   *widget.List
	onlyB   *widget.List
	titleA  *widget.Label
	titleB  *widget.Label
	export  *widget.Button
	diffs   *widget.Button
	root    fyne.CanvasObject

	res          *agreement.Result
	code         int // selected row of res.Codes, or -1
	diffA, diffB []agreement.Difference
	busy         *widget.ProgressBarInfinite
	// gen counts comparisons: an older one's result is dropped, and one
	// still running stops when it moves on (a newer pair, or the window
	// closed). Read off the UI goroutine too.
	gen      atomic.Int64
	compared func() // tests wait for a comparison with it
}

// The counts are code points (characters), the unit agreement is computed on.
var coderColumns = []string{"Code", "Both", "Only A", "Only B", "Agree %", "Kappa"}

func newCodersView(st *State, win fyne.Window, fail func(error), status func(string), open func(src string, start, end int)) *codersView {
	v := &codersView{st: st, win: win, fail: fail, status: status, open: open, code: -1}
	authors := st.Index().Authors()
	v.a = widget.NewSelect(authors, func(string) { v.compare() })
	v.b = widget.NewSelect(authors, func(string) { v.compare() })
	v.a.PlaceHolder, v.b.PlaceHolder = "First coder", "Second coder"
	v.summary = wrapLabel("")
	v.codes = widget.NewList(
		func() int {
			if v.res == nil {
				return 0
			}
			return len(v.res.Codes)
		},
		func() fyne.CanvasObject { return coderRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if v.res != nil && i < len(v.res.Codes) {
				setCodeRow(o.(*fyne.Container), codeCells(v.res.Codes[i]))
			}
		})
	v.codes.OnSelected = func(i widget.ListItemID) { v.showCode(i) }
	diffList := func(list *[]agreement.Difference) *widget.List {
		l := widget.NewList(func() int { return len(*list) },
			func() fyne.CanvasObject {
				r := newAnnotationRow()
				r.swatch.Hide()
				return r
			},
			func(i widget.ListItemID, o fyne.CanvasObject) {
				if i < len(*list) {
					d := (*list)[i]
					r := o.(*annotationRow)
					setText(r.quote, oneLine(d.Text))
					title := d.SourceID
					if s := v.st.Index().Source[d.SourceID]; s != nil {
						title = s.DisplayTitle()
					}
					setText(r.meta, fmt.Sprintf("%s — %d–%d", title, d.Start, d.End))
				}
			})
		l.OnSelected = func(i widget.ListItemID) {
			if i < len(*list) && v.open != nil {
				d := (*list)[i]
				v.open(d.SourceID, d.Start, d.End)
			}
		}
		return l
	}
	v.onlyA, v.onlyB = diffList(&v.diffA), diffList(&v.diffB)
	v.titleA, v.titleB = widget.NewLabel("Coded only by A"), widget.NewLabel("Coded only by B")
	v.titleA.TextStyle.Bold, v.titleB.TextStyle.Bold = true, true
	v.export = widget.NewButton("Export CSV…", func() { v.save("agreement.csv", agreement.WriteCSV) })
	v.diffs = widget.NewButton("Export differences CSV…", func() {
		p := v.st.Index().Project()
		v.save("differences.csv", func(w io.Writer, r *agreement.Result) error { return agreement.WriteDifferencesCSV(w, p, r) })
	})
	v.export.Disable()
	v.diffs.Disable()
	v.busy = widget.NewProgressBarInfinite()
	v.busy.Stop()
	v.busy.Hide()

	header := coderRow()
	setCodeRow(header, coderColumns)
	for _, l := range coderLabels(header) {
		l.TextStyle.Bold = true
	}
	table := container.NewBorder(header, nil, nil, nil, v.codes)
	side := container.NewGridWithColumns(2,
		container.NewBorder(v.titleA, nil, nil, nil, v.onlyA),
		container.NewBorder(v.titleB, nil, nil, nil, v.onlyB))
	split := container.NewVSplit(table, side)
	split.Offset = 0.45
	pick := container.NewGridWithColumns(2, v.a, v.b)
	top := container.NewVBox(pick, v.summary, v.busy)
	v.root = container.NewBorder(top, container.NewHBox(v.export, v.diffs), nil, nil, split)
	return v
}

// start compares the first two authors, if there are two.
func (v *codersView) start() {
	authors := v.st.Index().Authors()
	if len(authors) >= 2 {
		v.a.Selected, v.b.Selected = authors[0], authors[1]
		v.a.Refresh()
		v.b.Refresh()
		v.compare()
	} else {
		v.summary.SetText("Comparing needs annotations by two authors; this project has " + plural(len(authors), "author") + ". Merge a colleague's project (File ▸ Merge project…) first.")
	}
}

// compare runs the comparison for the chosen pair off the UI goroutine:
// it reads the project a source at a time from the file (Session.Read),
// so a large project's annotations need not all be held.
func (v *codersView) compare() {
	gen := v.gen.Add(1)
	v.res, v.code, v.diffA, v.diffB = nil, -1, nil, nil
	v.refreshLists()
	v.export.Disable()
	v.diffs.Disable()
	a, b := v.a.Selected, v.b.Selected
	sess := v.st.Session()
	switch {
	case a == "" || b == "":
		v.summary.SetText("Choose two coders.")
		return
	case a == b:
		v.summary.SetText("Choose two different coders.")
		return
	case sess == nil:
		return
	}
	v.summary.SetText(fmt.Sprintf("Comparing %s and %s…", a, b))
	v.busy.Show()
	v.busy.Start()
	goBackground(func() {
		var res *agreement.Result
		err := sess.Read(func(r annotate.Reader) error {
			var err error
			res, err = agreement.CompareFrom(r, a, b, func() bool { return v.gen.Load() != gen })
			return err
		})
		if errors.Is(err, agreement.ErrStopped) {
			return
		}
		fyne.Do(func() {
			if gen != v.gen.Load() {
				return
			}
			v.busy.Stop()
			v.busy.Hide()
			v.show(res, err)
			if v.compared != nil {
				v.compared()
			}
		})
	})
}

func (v *codersView) refreshLists() {
	v.codes.UnselectAll()
	v.codes.Refresh()
	v.onlyA.Refresh()
	v.onlyB.Refresh()
}

// show puts a comparison's result (or its error) in the view.
func (v *codersView) show(res *agreement.Result, err error) {
	defer v.refreshLists()
	if err != nil {
		v.summary.SetText(err.Error())
		return
	}
	a, b := res.CoderA, res.CoderB
	v.res = res
	v.titleA.SetText("Coded only by " + a)
	v.titleB.SetText("Coded only by " + b)
	if len(res.Sources) == 0 {
		v.summary.SetText(fmt.Sprintf("%s and %s have no source in common: nothing to compare.", a, b))
		return
	}
	v.summary.SetText(fmt.Sprintf("%s (A) and %s (B) over %s both coded, %d characters: how many characters each coded with each code, "+
		"percent agreement and Cohen's kappa. Choose a code to see where they differ.", a, b, plural(len(res.Sources), "source"), res.Units))
	v.export.Enable()
	v.diffs.Enable()
}

// showCode lists code i's differing passages, split by who coded them.
func (v *codersView) showCode(i int) {
	if v.res == nil || i < 0 || i >= len(v.res.Codes) {
		return
	}
	v.code = i
	v.diffA, v.diffB = nil, nil
	for _, d := range v.res.Codes[i].Differences {
		if d.CodedBy == v.res.CoderA {
			v.diffA = append(v.diffA, d)
		} else {
			v.diffB = append(v.diffB, d)
		}
	}
	name := v.res.Codes[i].Name
	v.titleA.SetText(fmt.Sprintf("%s: only %s (%d)", name, v.res.CoderA, len(v.diffA)))
	v.titleB.SetText(fmt.Sprintf("%s: only %s (%d)", name, v.res.CoderB, len(v.diffB)))
	v.onlyA.Refresh()
	v.onlyB.Refresh()
}

// save writes a CSV chosen with a file dialog.
func (v *codersView) save(name string, write func(io.Writer, *agreement.Result) error) {
	if v.res == nil {
		return
	}
	res := v.res
	fd := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			v.fail(err)
			return
		}
		if wc == nil {
			return
		}
		path := wc.URI().Path()
		_ = wc.Close()
		if err := v.writeFile(path, res, write); err != nil {
			v.fail(err)
			return
		}
		v.status("Saved " + path)
	}, v.win)
	fd.SetFileName(name)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	fd.Show() // a file dialog sizes only once shown (Resize before Show panics)
	fd.Resize(fitSize(v.win, 900, 640))
}

// writeFile renders first so a failed render leaves no half file.
func (v *codersView) writeFile(path string, res *agreement.Result, write func(io.Writer, *agreement.Result) error) error {
	var buf bytes.Buffer
	if err := write(&buf, res); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return nil
}

func coderRow() *fyne.Container {
	objs := make([]fyne.CanvasObject, len(coderColumns))
	for i := range objs {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		objs[i] = l
	}
	// The code name gets as much room as the five numbers.
	return container.NewGridWithColumns(2, objs[0], container.NewGridWithColumns(5, objs[1:]...))
}

// coderLabels are a coderRow's cells in column order.
func coderLabels(c *fyne.Container) []*widget.Label {
	out := []*widget.Label{c.Objects[0].(*widget.Label)}
	for _, o := range c.Objects[1].(*fyne.Container).Objects {
		out = append(out, o.(*widget.Label))
	}
	return out
}

func setCodeRow(c *fyne.Container, cells []string) {
	for i, l := range coderLabels(c) {
		setText(l, cells[i])
	}
}

// codeCells are one code's row: counts in characters, percent and kappa.
func codeCells(c agreement.Code) []string {
	return []string{c.Name, fmt.Sprint(c.Both), fmt.Sprint(c.OnlyA), fmt.Sprint(c.OnlyB),
		fmt.Sprintf("%.1f%%", c.Percent), kappaText(c.Kappa)}
}

func kappaText(k float64) string {
	if math.IsNaN(k) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", k)
}

// compareCodersDialog is Analysis ▸ Compare coders….
func (w *Workspace) compareCodersDialog() {
	if w.sess == nil {
		w.showError(errors.New("open a project first"))
		return
	}
	// No wait for every annotation: the comparison reads the project
	// from the file a source at a time.
	w.openCoders()
}

// openCoders shows the comparison in a window of its own, so that a
// differing passage opened in the main window is seen beside it.
func (w *Workspace) openCoders() *codersView {
	win := w.app.NewWindow("Compare coders — " + projectTitle(w.path))
	v := newCodersView(w.State, win, func(err error) { dialog.ShowError(err, win) }, w.setStatus, w.showPassage)
	win.SetOnClosed(func() {
		// The result goes with the window, as the timeline's events do,
		// and a comparison still running stops.
		v.gen.Add(1)
		v.res, v.diffA, v.diffB = nil, nil, nil
		w.viewClosed()
	})
	win.SetContent(v.root)
	win.Resize(fyne.NewSize(1000, 680))
	win.Show()
	if w.codersOpened != nil {
		w.codersOpened(v)
	}
	// After Show: the comparison's result is handed to the widgets from
	// another goroutine (fyne.Do), and the window is built by then.
	v.start()
	return v
}
