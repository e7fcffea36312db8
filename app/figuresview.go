package app

import (
	"errors"
	"fmt"
	"image/color"
	"strings"
	"sync/atomic"
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

	only    *widget.Check
	summary *widget.Label
	detail  *widget.Label // the clicked row in full: a group's explanation, a figure's passage
	bar     *widget.ProgressBar
	list    *widget.List
	root    fyne.CanvasObject
	groups  []figures.Group
	rows    []figureRow
	titles  map[string]string // source ID → display title
	// gen counts computations: an older one's result is dropped, and one
	// still running stops when it moves on (a newer one, or the window
	// closed). Read off the UI goroutine too.
	gen      atomic.Int64
	computed func() // tests wait for a computation with it

	// The figures read, marks not applied, as keys of tab: a row builds
	// its figure, passage and all, when it is shown. Held whole, the
	// 334,000 figures of 10,000 sources took 190 MB; as keys, 50 MB.
	tab  *figures.KeyTable
	keys []*figures.Key // groups' Members index it
	// passages: the texts, as code points, of the sources whose rows were
	// shown last (a passage is a span of code points).
	passages map[string][]rune

	// Marking: the analyst ticks figures (a heading ticks its group) and
	// merges, splits out, prefers, ignores or clears them. Each is one
	// session.Do, so undoable; the table regroups from the figures already
	// read, with the marks now stored on the sources.
	do      func(annotate.Change) bool
	picked  map[int]bool               // ticked figures, by index into keys
	read    map[string]annotate.Source // the sources as their figures were read
	pickLbl *widget.Label
	acts    map[figures.Action]*widget.Button
	closed  bool
	// unfollow stops following the session (see follow).
	unfollow func()
	// released, if set, runs once a closed view has let its table go
	// (Workspace.viewClosed).
	released func()
	// marking: a mark made in this view is being applied; it regroups the
	// table itself once its own widgets are updated (see mark).
	marking bool
}

// figureRow is one list row: a group's heading or one of its figures.
type figureRow struct {
	group int32 // index into groups
	fig   int32 // index into the group's figures; -1 for the heading
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
	v.released = w.viewClosed
	v.follow(w.sess)
	win.SetOnClosed(v.close)
	win.SetContent(v.root)
	win.Resize(fyne.NewSize(1200, 700))
	win.Show()
	if w.figuresOpened != nil {
		w.figuresOpened(v)
	}
	v.compute()
}

func newFiguresView(st *State, win fyne.Window, open func(src string, start, end int)) *figuresView {
	v := &figuresView{st: st, win: win, open: open, picked: map[int]bool{}}
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
		g := &v.groups[v.rows[i].group]
		if v.rows[i].fig < 0 {
			setText(v.detail, v.named(g.Explanation))
			return
		}
		f := v.member(g, int(v.rows[i].fig))
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
// background, showing progress; ticks are dropped, since the figures are
// read anew.
func (v *figuresView) compute() {
	idx := v.st.Index()
	gen := v.gen.Add(1)
	var srcs []*annotate.Source
	titles := map[string]string{}
	read := map[string]annotate.Source{}
	for i := range idx.P.Sources {
		s := &idx.P.Sources[i]
		titles[s.ID] = s.DisplayTitle()
		if s.Kind != annotate.KindSummary {
			srcs = append(srcs, s)
			m := *s
			m.Text = "" // what follow compares is the metadata
			read[s.ID] = m
		}
	}
	v.bar.SetValue(0)
	v.bar.Show()
	setText(v.summary, fmt.Sprintf("Reading the figures of %s…", plural(len(srcs), "source")))
	goBackground(func() {
		defer raiseMemoryLimit(reportMemory)()
		tab := figures.NewKeyTable()
		per := make([][]figures.Key, len(srcs))
		n := 0
		last := time.Now()
		for i, s := range srcs {
			if v.gen.Load() != gen {
				return // recomputed or closed meanwhile
			}
			// s.Text itself, not idx.Text: that builds and keeps each
			// text's code-point index (47 MB at 10,000 sources), which
			// Extract does not use.
			per[i] = tab.Keys(figures.Extract(*s, s.Text))
			n += len(per[i])
			if time.Since(last) > 100*time.Millisecond {
				last = time.Now()
				p := float64(i+1) / float64(len(srcs))
				fyne.Do(func() { v.bar.SetValue(p) })
			}
		}
		tab.Seal()
		keys := make([]*figures.Key, 0, n)
		for i := range per {
			for k := range per[i] {
				keys = append(keys, &per[i][k])
			}
		}
		gs := figures.PartitionKeys(keys, tab, figures.OverridesFrom(idx.P.Sources))
		fyne.Do(func() {
			if gen != v.gen.Load() {
				return
			}
			v.groups, v.titles, v.tab, v.keys, v.read = gs, titles, tab, keys, read
			v.passages = nil
			clear(v.picked)
			v.syncPicked()
			v.bar.Hide()
			v.rebuild()
			if v.computed != nil {
				v.computed()
			}
		})
	})
}

// member is group g's i-th figure, with its passage.
func (v *figuresView) member(g *figures.Group, i int) figures.Figure {
	k := v.keys[g.Members[i]]
	return v.tab.Figure(k, v.passageText(v.tab.SourceID(k)))
}

// passageText is a source's text as code points, kept for the rows shown
// (a screenful cites a few sources; the cache is dropped past 64).
func (v *figuresView) passageText(id string) []rune {
	if r, ok := v.passages[id]; ok {
		return r
	}
	s := v.st.Index().Source[id]
	if s == nil {
		return nil
	}
	if len(v.passages) >= 64 || v.passages == nil {
		v.passages = map[string][]rune{}
	}
	r := []rune(s.Text)
	v.passages[id] = r
	return r
}

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
				v.rows = append(v.rows, figureRow{group: int32(gi), fig: -1})
			}
			for fi := range g.Members {
				v.rows = append(v.rows, figureRow{group: int32(gi), fig: int32(fi)})
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
	g := &v.groups[r.group]
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
		f := v.member(g, int(r.fig))
		cells[0] = f.Display()
		if g.Preferred == int(r.fig) {
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
	// The click handler keeps the members, not the group: a row kept by
	// the toolkit after the window closed would keep every group.
	ms := v.groups[r.group].Members
	multi := len(ms) > 1
	if r.fig >= 0 {
		ms = ms[r.fig : r.fig+1 : r.fig+1]
	}
	on := true
	for _, m := range ms {
		on = on && v.picked[m]
	}
	tick.OnChanged = nil // setting the state of a reused row is not a click
	tick.SetChecked(on)
	tick.OnChanged = func(b bool) {
		for _, m := range ms {
			if b {
				v.picked[m] = true
			} else {
				delete(v.picked, m)
			}
		}
		v.syncPicked()
		if r.fig < 0 || multi {
			v.list.Refresh() // the heading and its figures tick together
		}
	}
}

// pickedIDs are the ticked figures still in the table, in table order.
func (v *figuresView) pickedIDs() []string {
	if len(v.picked) == 0 {
		return nil
	}
	var ids []string
	for gi := range v.groups {
		for _, m := range v.groups[gi].Members {
			if v.picked[m] {
				ids = append(ids, v.tab.ID(v.keys[m]))
			}
		}
	}
	return ids
}

// peers are the other figures of a figure's group in the table.
func (v *figuresView) peers(id string) []string {
	for gi := range v.groups {
		g := &v.groups[gi]
		for _, m := range g.Members {
			if v.picked[m] && v.tab.ID(v.keys[m]) == id {
				var out []string
				for _, o := range g.Members {
					if o != m {
						out = append(out, v.tab.ID(v.keys[o]))
					}
				}
				return out
			}
		}
	}
	return nil
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
	c, err := figures.MarkChange(lookup, v.peers, act, ids, "")
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
	clear(v.picked)
	v.syncPicked()
	v.list.Refresh() // untick now; the regrouped table follows
	setText(v.detail, fmt.Sprintf("%s: %s. Edit ▸ Undo takes it back.", act, plural(len(ids), "figure")))
	v.regroup()
}

// close lets the view go with its window: a computation still running
// stops, its result is dropped, and the session no longer holds the view
// (the table of a large project is 130 MB).
func (v *figuresView) close() {
	v.closed = true
	v.gen.Add(1)
	if v.unfollow != nil {
		v.unfollow()
	}
	// And the table goes now, whatever still points at the view: the
	// window toolkit keeps a closed window's widgets, and through their
	// callbacks the view, until its caches expire.
	v.groups, v.rows, v.keys, v.tab, v.read, v.passages, v.titles = nil, nil, nil, nil, nil, nil, nil
	clear(v.picked)
	if v.released != nil {
		v.released()
	}
}

// follow regroups the table when a change made anywhere (a mark here,
// an undo in the main window) touches the sources; a change to what the
// figures were read from reads them again.
func (v *figuresView) follow(sess *session.Session) {
	if sess == nil {
		return
	}
	v.unfollow = sess.OnChange(func(c annotate.Change) {
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
	gen := v.gen.Add(1)
	keys, tab := v.keys, v.tab
	titles := map[string]string{}
	for _, s := range idx.P.Sources {
		titles[s.ID] = s.DisplayTitle()
	}
	goBackground(func() {
		defer raiseMemoryLimit(reportMemory)()
		gs := figures.PartitionKeys(keys, tab, figures.OverridesFrom(idx.P.Sources))
		fyne.Do(func() {
			if gen != v.gen.Load() {
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
