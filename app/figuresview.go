package app

import (
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/figures"
	"gloss/app/session"
)

// figuresView is Analysis ▸ Figures: every figure the sources state,
// grouped by what it counts, conflicting groups flagged. Extraction over a
// whole project can take seconds, so it runs off the UI goroutine on an
// index snapshot and only hands its result to the widgets inside fyne.Do.
type figuresView struct {
	st   *State
	win  fyne.Window
	open func(src string, start, end int)

	only     *widget.Check
	summary  *widget.Label
	detail   *widget.Label // the clicked row in full: a group's explanation, a figure's passage
	bar      *widget.ProgressBar
	list     *widget.List
	root     fyne.CanvasObject
	groups   []figures.Group
	rows     []figureRow
	titles   map[string]string // source ID → display title
	gen      int               // the latest computation; older results are dropped
	computed func()            // tests wait for a computation with it

	// Marking: the analyst ticks figures (a heading ticks its group) and
	// merges, splits out, prefers, ignores or clears them. Each is one
	// session.Do, so undoable; the table regroups from the figures already
	// read, with the marks now stored on the sources.
	do      func(annotate.Change) bool
	picked  map[string]bool            // ticked figure IDs
	all     []figures.Figure           // every figure read, marks not applied
	read    map[string]annotate.Source // the sources as their figures were read
	pickLbl *widget.Label
	acts    map[figures.Action]*widget.Button
	closed  bool
	// marking: a mark made in this view is being applied; it regroups the
	// table itself once its own widgets are updated (see mark).
	marking bool
}

// figureRow is one list row: a group's heading or one of its figures.
type figureRow struct {
	group int // index into groups
	fig   int // index into the group's figures; -1 for the heading
}

// figureColumns are the table's columns, as fractions of its width.
var figureColumns = []struct {
	name  string
	width float32
}{{"Figure", 0.17}, {"Counts", 0.16}, {"Period", 0.08}, {"Source", 0.17}, {"Passage", 0.42}}

func (w *Workspace) figuresWindow() {
	if w.sess == nil {
		w.showError(errors.New("open a project first"))
		return
	}
	// Figures are read from the texts, and marked on the sources: a
	// large project's texts are enough, not its every annotation (which
	// took 75 MB more to hold).
	if w.State.waitTexts(w.Window, w.figuresWindow) {
		return
	}
	win := w.app.NewWindow("Figures — Gloss")
	v := newFiguresView(w.State, win, w.showPassage)
	v.do = w.do
	v.follow(w.sess)
	win.SetOnClosed(func() { v.closed = true })
	win.SetContent(v.root)
	win.Resize(fyne.NewSize(1200, 700))
	win.Show()
	if w.figuresOpened != nil {
		w.figuresOpened(v)
	}
	v.compute()
}

func newFiguresView(st *State, win fyne.Window, open func(src string, start, end int)) *figuresView {
	v := &figuresView{st: st, win: win, open: open, picked: map[string]bool{}}
	v.do = func(c annotate.Change) bool { return st.Session() != nil && st.Session().Do(c) == nil }
	v.only = widget.NewCheck("Conflicts only", func(bool) { v.rebuild() })
	v.summary = widget.NewLabel("")
	v.bar = widget.NewProgressBar()
	v.bar.Hide()
	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject {
			tick := widget.NewCheck("", nil)
			return container.New(layout.NewBorderLayout(nil, nil, tick, nil), tick, newFigureCells(false))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.rows) {
				c := o.(*fyne.Container)
				v.fillTick(v.rows[i], c.Objects[0].(*widget.Check))
				v.fillRow(v.rows[i], c.Objects[1].(*fyne.Container))
			}
		})
	v.detail = wrapLabel("Click a figure to open its passage in the document.")
	v.list.OnSelected = func(i widget.ListItemID) {
		v.list.Unselect(i)
		if i >= len(v.rows) {
			return
		}
		g := v.groups[v.rows[i].group]
		if v.rows[i].fig < 0 {
			setText(v.detail, v.named(g.Explanation))
			return
		}
		f := v.member(&g, v.rows[i].fig)
		setText(v.detail, fmt.Sprintf("%s — %s: %s", f.Display(), v.titles[f.SourceID], oneLine(f.Passage.Text)))
		if v.open != nil {
			v.open(f.SourceID, f.Passage.Start, f.Passage.End)
		}
	}
	header := newFigureCells(true)
	for i, c := range figureColumns {
		header.Objects[i].(*widget.Label).SetText(c.name)
	}
	// The header lines up with the rows' cells, past their tick boxes.
	pad := canvas.NewRectangle(color.Transparent)
	pad.SetMinSize(widget.NewCheck("", nil).MinSize())
	again := widget.NewButtonWithIcon("Recompute", theme.ViewRefreshIcon(), v.compute)
	v.pickLbl = widget.NewLabel("")
	v.acts = map[figures.Action]*widget.Button{}
	bar := container.NewHBox() // the count goes last: its width changes, the buttons stay put
	for _, a := range []struct {
		act  figures.Action
		name string
		tip  string
	}{
		{figures.Merge, "Merge", "the ticked figures count the same thing"},
		{figures.SplitOut, "Split out", "each ticked figure stands alone"},
		{figures.Prefer, "Use this figure", "the ticked figure is the one to use in its group"},
		{figures.NotFigure, "Not a figure", "the ticked numbers are not figures"},
		{figures.Clear, "Clear marks", "drop every mark of the ticked figures"},
	} {
		act := a.act
		b := widget.NewButton(a.name, func() { v.mark(act) })
		v.acts[act] = b
		bar.Add(b)
	}
	bar.Add(v.pickLbl)
	v.syncPicked()
	top := container.NewVBox(container.NewBorder(nil, nil, v.only, again, v.summary), bar, v.bar,
		container.NewBorder(nil, nil, pad, nil, header))
	v.root = container.NewBorder(top, v.detail, nil, nil, v.list)
	return v
}

// newFigureCells is one row of labels laid out in the table's columns.
func newFigureCells(bold bool) *fyne.Container {
	var cells []fyne.CanvasObject
	widths := make([]float32, len(figureColumns))
	for i, c := range figureColumns {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		l.TextStyle.Bold = bold
		cells = append(cells, l)
		widths[i] = c.width
	}
	return container.New(&columnsLayout{fractions: widths}, cells...)
}

// compute extracts and groups the figures of the current project in the
// background, showing progress.
func (v *figuresView) compute() {
	idx := v.st.Index()
	v.gen++
	gen := v.gen
	var srcs []annotate.Source
	titles := map[string]string{}
	read := map[string]annotate.Source{}
	for _, s := range idx.P.Sources {
		titles[s.ID] = s.DisplayTitle()
		if s.Kind != annotate.KindSummary {
			srcs = append(srcs, s)
			read[s.ID] = s
		}
	}
	v.bar.SetValue(0)
	v.bar.Show()
	setText(v.summary, fmt.Sprintf("Reading the figures of %s…", plural(len(srcs), "source")))
	goBackground(func() {
		defer raiseMemoryLimit(reportMemory)()
		var all []figures.Figure
		last := time.Now()
		for i, s := range srcs {
			// s.Text itself, not idx.Text: that builds and keeps each
			// text's code-point index (47 MB at 10,000 sources), which
			// Extract does not use.
			all = append(all, figures.Extract(s, s.Text)...)
			if time.Since(last) > 100*time.Millisecond {
				last = time.Now()
				p := float64(i+1) / float64(len(srcs))
				fyne.Do(func() { v.bar.SetValue(p) })
			}
		}
		// Partition, not Groups: the groups index the figures rather
		// than hold copies of them (106 MB at 10,000 sources).
		gs := figures.Partition(all, figures.OverridesFrom(idx.P.Sources))
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			v.groups, v.titles, v.all, v.read = gs, titles, all, read
			v.bar.Hide()
			v.rebuild()
			if v.computed != nil {
				v.computed()
			}
		})
	})
}

// member is group g's i-th figure, held in v.all (figures.Partition).
func (v *figuresView) member(g *figures.Group, i int) *figures.Figure { return &v.all[g.Members[i]] }

// rebuild flattens the groups into rows, conflicts first; a group of one
// figure shows as that figure alone.
func (v *figuresView) rebuild() {
	v.rows = v.rows[:0]
	conflicts, figs := 0, 0
	add := func(conflict bool) {
		for gi, g := range v.groups {
			if g.Conflict != conflict {
				continue
			}
			if len(g.Members) > 1 {
				v.rows = append(v.rows, figureRow{group: gi, fig: -1})
			}
			for fi := range g.Members {
				v.rows = append(v.rows, figureRow{group: gi, fig: fi})
			}
		}
	}
	for _, g := range v.groups {
		figs += len(g.Members)
		if g.Conflict {
			conflicts++
		}
	}
	add(true)
	if !v.only.Checked {
		add(false)
	}
	setText(v.summary, fmt.Sprintf("%s in %s; %s", plural(figs, "figure"), plural(len(v.groups), "group"), plural(conflicts, "conflict")))
	v.list.Refresh()
}

func (v *figuresView) fillRow(r figureRow, row *fyne.Container) {
	g := v.groups[r.group]
	cells := make([]string, len(figureColumns))
	bold := r.fig < 0
	imp := widget.MediumImportance
	if r.fig < 0 {
		cells[0] = fmt.Sprintf("%d figures · %s", len(g.Members), g.Unit)
		cells[1] = g.Counts
		cells[2] = g.Period
		if g.Conflict {
			cells[3] = "⚠ Conflict"
			cells[4] = v.named(g.Explanation)
			imp = widget.DangerImportance
		} else {
			cells[4] = "agree within rounding"
		}
		if g.Manual {
			cells[3] = strings.TrimSpace(cells[3] + " ✎ by hand")
		}
	} else {
		f := v.member(&g, r.fig)
		cells[0] = f.Display()
		if g.Preferred == r.fig {
			cells[0] = "★ " + cells[0] // in front: a long figure is cut at its end
		}
		if len(g.Members) > 1 {
			cells[0] = "   " + cells[0]
		}
		cells[1] = f.Counts
		cells[2] = f.PeriodLabel()
		cells[3] = v.titles[f.SourceID]
		cells[4] = oneLine(f.Passage.Text)
		if g.Conflict {
			imp = widget.WarningImportance
		}
	}
	for i, o := range row.Objects {
		l := o.(*widget.Label)
		if l.TextStyle.Bold != bold || l.Importance != imp {
			l.TextStyle.Bold, l.Importance = bold, imp
			l.Refresh()
		}
		setText(l, cells[i])
	}
}

// fillTick shows whether a row is ticked: a figure, or a heading whose
// figures are all ticked; ticking a heading ticks its whole group.
func (v *figuresView) fillTick(r figureRow, tick *widget.Check) {
	g := v.groups[r.group]
	ids := []string{}
	if r.fig < 0 {
		for i := range g.Members {
			ids = append(ids, v.member(&g, i).ID)
		}
	} else {
		ids = append(ids, v.member(&g, r.fig).ID)
	}
	on := true
	for _, id := range ids {
		on = on && v.picked[id]
	}
	tick.OnChanged = nil // setting the state of a reused row is not a click
	tick.SetChecked(on)
	tick.OnChanged = func(b bool) {
		for _, id := range ids {
			if b {
				v.picked[id] = true
			} else {
				delete(v.picked, id)
			}
		}
		v.syncPicked()
		if r.fig < 0 || len(g.Members) > 1 {
			v.list.Refresh() // the heading and its figures tick together
		}
	}
}

// pickedIDs are the ticked figures still in the table, in table order.
func (v *figuresView) pickedIDs() []string {
	var ids []string
	for gi := range v.groups {
		for i := range v.groups[gi].Members {
			if f := v.member(&v.groups[gi], i); v.picked[f.ID] {
				ids = append(ids, f.ID)
			}
		}
	}
	return ids
}

// syncPicked says how many figures are ticked and enables the actions
// that apply to that many.
func (v *figuresView) syncPicked() {
	n := len(v.pickedIDs())
	if n == 0 {
		setText(v.pickLbl, "Tick figures to correct the table.")
	} else {
		setText(v.pickLbl, plural(n, "figure")+" ticked.")
	}
	for act, b := range v.acts {
		ok := n > 0
		switch act {
		case figures.Merge:
			ok = n > 1
		case figures.Prefer:
			ok = n == 1
		}
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// mark makes one correction on the ticked figures as one undoable
// change; the table regroups when the session reports it.
func (v *figuresView) mark(act figures.Action) {
	ids := v.pickedIDs()
	idx := v.st.Index()
	lookup := func(id string) (annotate.Source, bool) {
		if s := idx.Source[id]; s != nil {
			return *s, true
		}
		return annotate.Source{}, false
	}
	c, err := figures.MarkChange(lookup, v.groups, act, ids, "")
	if err != nil {
		setText(v.detail, err.Error())
		return
	}
	// The regroup this change calls for starts after the table is
	// unticked: it finishes on another goroutine, which must find the
	// view as this action leaves it.
	v.marking = true
	ok := v.do != nil && v.do(c)
	v.marking = false
	if !ok {
		return
	}
	v.picked = map[string]bool{}
	v.syncPicked()
	v.list.Refresh() // untick now; the regrouped table follows
	setText(v.detail, fmt.Sprintf("%s: %s. Edit ▸ Undo takes it back.", act, plural(len(ids), "figure")))
	v.regroup()
}

// follow regroups the table when a change made anywhere (a mark here,
// an undo in the main window) touches the sources; a change to what the
// figures were read from reads them again.
func (v *figuresView) follow(sess *session.Session) {
	if sess == nil {
		return
	}
	sess.OnChange(func(c annotate.Change) {
		if v.closed || sess != v.st.Session() || v.read == nil {
			return
		}
		if len(c.DelSources) > 0 || len(c.SetTexts) > 0 {
			v.compute()
			return
		}
		if len(c.PutSources) == 0 || v.marking {
			return // a mark made here regroups when it is done
		}
		for _, s := range c.PutSources {
			old, ok := v.read[s.ID]
			if (!ok && s.Kind != annotate.KindSummary) || (ok && (old.Published != s.Published || old.Language != s.Language || old.Kind != s.Kind)) {
				v.compute()
				return
			}
		}
		v.regroup()
	})
}

// regroup groups the figures already read with the marks stored now.
func (v *figuresView) regroup() {
	if v.read == nil {
		return
	}
	idx := v.st.Index()
	v.gen++
	gen := v.gen
	all := v.all
	titles := map[string]string{}
	for _, s := range idx.P.Sources {
		titles[s.ID] = s.DisplayTitle()
	}
	goBackground(func() {
		defer raiseMemoryLimit(reportMemory)()
		// Partition, not Groups: the groups index the figures rather
		// than hold copies of them (106 MB at 10,000 sources).
		gs := figures.Partition(all, figures.OverridesFrom(idx.P.Sources))
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			v.groups, v.titles = gs, titles
			v.rebuild()
			if v.computed != nil {
				v.computed()
			}
		})
	})
}

// columnsLayout lays objects side by side at fixed fractions of the width,
// so the cells of every row line up with the header.
type columnsLayout struct{ fractions []float32 }

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width * l.fractions[i]
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objs))*40, h)
}

// named puts source titles in place of the source IDs a group's
// explanation cites.
func (v *figuresView) named(s string) string {
	for id, t := range v.titles {
		if strings.Contains(s, id) {
			s = strings.ReplaceAll(s, id, t)
		}
	}
	return s
}
