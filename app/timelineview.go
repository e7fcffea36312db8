package app

import (
	"errors"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/timeline"
)

// timelineView is Analysis ▸ Timeline: dated passages and publication
// dates on a horizontal time axis (zoomable, coloured by source
// reliability) above the same events as a list; each event is one click
// from its passage. Filters narrow it to a claim's evidence, a code or a
// stance target.
type timelineView struct {
	st   *State
	win  fyne.Window // for the wait a filter may need; nil in tests
	open func(src string, start, end int)

	claim, code, target *widget.Select
	claimIDs, codeIDs   []string // parallel to the selects' options after "(any)"
	targetIDs           []string
	summary             *widget.Label
	axis                *fyne.Container // marks placed by draw
	wrap                *fyne.Container // gives the axis its drawn size
	scroll              *container.Scroll
	list                *widget.List
	root                fyne.CanvasObject

	all      []timeline.Event // every event of the project, in time order
	events   []timeline.Event // after the filter
	pxPerDay float32
	fitted   bool
	computed func() // tests wait for a computation with it
	filtered func() // and for a filter with this
	gen      int    // the latest computation; older results (and any once closed) are dropped

	// The axis holds marks only for the events in view: a widget for
	// each of the 50,040 events of 10,000 sources took 48 MB and froze
	// the window for 0.95 s on every draw. draw places every event
	// (marks); showMarks makes the marks in and near the scrolled view.
	base   []fyne.CanvasObject // the axis line, its ticks and labels
	marks  []eventPlace        // by index into events
	shown  map[int]*eventMark  // the marks on the axis, by event
	hidden int                 // events with no free lane at this zoom
	widths map[rune]float32    // caption advance of each rune met
}

// eventPlace is where draw put an event on the axis; lane -1: every
// lane was taken there at this zoom, so it is not drawn (the list has it).
type eventPlace struct {
	left, width float32
	lane        int
}

const anyChoice = "(any)"

func (w *Workspace) timelineWindow() {
	if w.sess == nil {
		w.showError(errors.New("open a project first"))
		return
	}
	// Dates come from the texts; the annotations are needed only to
	// filter, and are read then (a paged project's every annotation was
	// 107 MB more to hold).
	if w.State.waitTexts(w.Window, w.timelineWindow) {
		return
	}
	win := w.app.NewWindow("Timeline — Gloss")
	v := newTimelineView(w.State, w.showPassage)
	v.win = win
	win.SetOnClosed(func() {
		// The events go with the window (the toolkit keeps a closed
		// window's widgets, and through them the view, a while longer);
		// a computation still running is dropped.
		v.gen++
		v.all, v.events, v.marks, v.shown, v.base = nil, nil, nil, nil, nil
		w.viewClosed()
	})
	if w.timelineOpened != nil {
		w.timelineOpened(v)
	}
	win.SetContent(v.root)
	win.Resize(fyne.NewSize(1200, 720))
	win.Show()
	v.compute()
}

func newTimelineView(st *State, open func(src string, start, end int)) *timelineView {
	v := &timelineView{st: st, open: open}
	v.claim = widget.NewSelect(nil, func(string) { v.filter() })
	v.code = widget.NewSelect(nil, func(string) { v.filter() })
	v.target = widget.NewSelect(nil, func(string) { v.filter() })
	v.options()
	v.summary = widget.NewLabel("")
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { v.zoom(2) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { v.zoom(0.5) })
	fit := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), func() { v.fitted = false; v.draw() })
	again := widget.NewButtonWithIcon("Recompute", theme.ViewRefreshIcon(), func() { v.options(); v.compute() })

	v.axis = container.NewWithoutLayout()
	v.wrap = container.NewGridWrap(fyne.NewSize(1, 1), v.axis)
	v.scroll = container.NewScroll(v.wrap)
	v.scroll.SetMinSize(fyne.NewSize(400, 260))
	v.scroll.OnScrolled = func(fyne.Position) { v.showMarks() }
	v.list = widget.NewList(func() int { return len(v.events) },
		func() fyne.CanvasObject {
			sw := canvas.NewRectangle(color.Transparent)
			sw.SetMinSize(fyne.NewSize(12, 12))
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, container.NewCenter(sw), nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.events) {
				return
			}
			e := v.events[i]
			box := o.(*fyne.Container)
			setText(box.Objects[0].(*widget.Label), eventLine(e))
			sw := box.Objects[1].(*fyne.Container).Objects[0].(*canvas.Rectangle)
			if c := reliabilityColor(e.Reliability); sw.FillColor != c {
				sw.FillColor = c
				sw.Refresh()
			}
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		v.list.Unselect(i)
		if i < len(v.events) {
			v.openEvent(v.events[i])
		}
	}
	filters := container.NewHBox(widget.NewLabel("Claim"), v.claim, widget.NewLabel("Code"), v.code,
		widget.NewLabel("Target"), v.target, zoomOut, zoomIn, fit, again)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, legend(), filters), v.summary)
	split := container.NewVSplit(v.scroll, v.list)
	split.Offset = 0.5
	v.root = container.NewBorder(top, nil, nil, nil, split)
	return v
}

// options fills the filters from the current project: the claims, codes
// and targets may have changed since the window opened.
func (v *timelineView) options() {
	idx := v.st.Index()
	v.claimIDs, v.codeIDs, v.targetIDs = nil, nil, nil
	claimOpts, codeOpts, targetOpts := []string{anyChoice}, []string{anyChoice}, []string{anyChoice}
	for _, m := range idx.P.Claims {
		v.claimIDs = append(v.claimIDs, m.ID)
		claimOpts = append(claimOpts, annotate.QuoteShort(m.Text, 50))
	}
	for _, c := range idx.CodeTree() {
		v.codeIDs = append(v.codeIDs, c.ID)
		codeOpts = append(codeOpts, idx.CodePath(c.ID))
	}
	for _, t := range idx.P.Targets {
		v.targetIDs = append(v.targetIDs, t.ID)
		targetOpts = append(targetOpts, t.Name)
	}
	for _, x := range []struct {
		s    *widget.Select
		opts []string
	}{{v.claim, claimOpts}, {v.code, codeOpts}, {v.target, targetOpts}} {
		x.s.SetOptions(x.opts)
		x.s.SetSelectedIndex(0)
	}
}

// legend explains the colours.
func legend() fyne.CanvasObject {
	box := container.NewHBox(widget.NewLabel("Reliability:"))
	for _, g := range []annotate.Reliability{"A", "B", "C", "D", "E", "F"} {
		sw := canvas.NewRectangle(reliabilityColor(g))
		sw.SetMinSize(fyne.NewSize(12, 12))
		box.Add(container.NewCenter(sw))
		box.Add(widget.NewLabel(string(g)))
	}
	return box
}

func eventLine(e timeline.Event) string {
	what := "published"
	if e.Kind == timeline.Stated {
		what = oneLine(e.Passage.Text) // quoted by oneLine
		if e.Date.Relative {
			what += " (date resolved against publication)"
		}
	}
	return fmt.Sprintf("%s  ·  %s  ·  %s", e.Label(), e.Source, what)
}

func (v *timelineView) openEvent(e timeline.Event) {
	if v.open == nil {
		return
	}
	if e.Kind == timeline.Published {
		v.open(e.SourceID, 0, 0)
		return
	}
	v.open(e.SourceID, e.Passage.Start, e.Passage.End)
}

// compute builds the events off the UI goroutine; summaries are left out,
// as their dates repeat their originals'.
func (v *timelineView) compute() {
	idx := v.st.Index()
	var srcs []annotate.Source
	for _, s := range idx.P.Sources {
		if s.Kind != annotate.KindSummary {
			srcs = append(srcs, s)
		}
	}
	setText(v.summary, fmt.Sprintf("Reading the dates of %s…", plural(len(srcs), "source")))
	v.gen++
	gen := v.gen
	goBackground(func() {
		defer raiseMemoryLimit(reportMemory)()
		// The sources' texts themselves, not idx.Text, which builds and
		// keeps each text's code-point index (47 MB at 10,000 sources).
		ev := timeline.Build(srcs, func(id string) (string, bool) {
			if s := idx.Source[id]; s != nil && s.Text != "" {
				return s.Text, true
			}
			return "", false
		})
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			v.all = ev
			v.filter()
			if v.computed != nil {
				v.computed()
			}
		})
	})
}

// filter applies the claim, code and target choices.
func (v *timelineView) filter() {
	if v.list == nil || v.target == nil {
		return // still building
	}
	idx := v.st.Index()
	var f timeline.Filter
	if i := v.claim.SelectedIndex() - 1; i >= 0 && i < len(v.claimIDs) {
		if m, ok := claimByID(idx, v.claimIDs[i]); ok {
			f.Claim = &m
		}
	}
	if i := v.code.SelectedIndex() - 1; i >= 0 && i < len(v.codeIDs) {
		f.Code = v.codeIDs[i]
	}
	if i := v.target.SelectedIndex() - 1; i >= 0 && i < len(v.targetIDs) {
		f.Target = v.targetIDs[i]
	}
	v.events = v.all
	if f.Claim != nil || f.Code != "" || f.Target != "" {
		// A paged project has only some annotations at hand: the
		// filter applies once every one is read.
		if v.win != nil && v.st.waitAllRead(v.win, v.filter) {
			return
		}
		v.events = timeline.Within(v.all, f.Annotations(v.st.Index().Project()))
	}
	v.list.Refresh()
	v.fitted = false
	v.draw()
	if v.filtered != nil {
		v.filtered()
	}
}

// say sums the events up in the summary line, with those the axis has no
// room for at this zoom.
func (v *timelineView) say() {
	stated := 0
	for _, e := range v.events {
		if e.Kind == timeline.Stated {
			stated++
		}
	}
	msg := fmt.Sprintf("%s: %d dated passages, %d publication dates. Click an event to open its passage.",
		plural(len(v.events), "event"), stated, len(v.events)-stated)
	if v.hidden > 0 {
		msg += fmt.Sprintf(" %s not on the axis at this zoom (zoom in; the list has every one).", plural(v.hidden, "event"))
	}
	setText(v.summary, msg)
}

func (v *timelineView) zoom(f float32) {
	v.pxPerDay = min(max(v.pxPerDay*f, 0.002), 400)
	v.fitted = true
	v.draw()
}

// span is the first and last day the events cover, with a margin.
func (v *timelineView) span() (time.Time, time.Time) {
	from, to := v.events[0].Date.From, v.events[0].Date.To
	for _, e := range v.events {
		if e.Date.From.Before(from) {
			from = e.Date.From
		}
		if e.Date.To.After(to) {
			to = e.Date.To
		}
	}
	from = time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	to = time.Date(to.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	return from, to
}

const (
	tlLeft     = 16
	tlAxisY    = 30
	tlLaneH    = 26
	tlMaxLanes = 24
)

// draw lays the axis, its ticks and the events out at the current zoom:
// events are stacked in lanes so that their labels do not overlap, and
// only those in view get a mark (showMarks).
func (v *timelineView) draw() {
	v.base, v.marks, v.hidden = nil, nil, 0
	clear(v.shown)
	if len(v.events) == 0 {
		v.axis.Objects = nil
		v.axis.Refresh()
		v.say()
		return
	}
	from, to := v.span()
	days := float32(to.Sub(from).Hours() / 24)
	if !v.fitted {
		avail := v.scroll.Size().Width
		if avail < 200 {
			avail = 1100
		}
		v.pxPerDay = max((avail-2*tlLeft)/days, 0.002)
		v.fitted = true
	}
	x := func(t time.Time) float32 { return tlLeft + float32(t.Sub(from).Hours()/24)*v.pxPerDay }
	width := x(to) + tlLeft
	fg := theme.Color(theme.ColorNameForeground)
	line := canvas.NewLine(fg)
	line.StrokeWidth = 1
	line.Position1, line.Position2 = fyne.NewPos(tlLeft, tlAxisY), fyne.NewPos(width-tlLeft, tlAxisY)
	v.base = append(v.base, line)

	// Year ticks, labelled every so many years that labels do not run
	// into each other; month ticks too when a month is wide enough to
	// label.
	monthly := v.pxPerDay*30 > 40
	every := 1
	for _, n := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500} {
		every = n
		if float32(n)*365*v.pxPerDay >= 40 {
			break
		}
	}
	for t := from; !t.After(to); {
		major := t.Month() == time.January
		labelled := major && t.Year()%every == 0
		h := float32(4)
		if labelled {
			h = 8
		}
		if !major || labelled || 365*v.pxPerDay >= 4 {
			tick := canvas.NewLine(fg)
			tick.Position1, tick.Position2 = fyne.NewPos(x(t), tlAxisY-h), fyne.NewPos(x(t), tlAxisY+h)
			v.base = append(v.base, tick)
		}
		label := ""
		if labelled {
			label = fmt.Sprint(t.Year())
		} else if monthly && !major {
			label = t.Format("Jan")
		}
		if label != "" && t.Before(to) {
			txt := canvas.NewText(label, fg)
			txt.TextSize = theme.CaptionTextSize()
			txt.TextStyle.Bold = major
			txt.Move(fyne.NewPos(x(t)+3, 4))
			v.base = append(v.base, txt)
		}
		if monthly {
			t = t.AddDate(0, 1, 0)
		} else {
			t = t.AddDate(1, 0, 0)
		}
	}

	v.marks = make([]eventPlace, len(v.events))
	var laneEnd []float32
	lanes := 0
	for i := range v.events {
		e := &v.events[i]
		left := x(e.Date.From)
		// A span (a fiscal year, a month) is drawn as wide as it lasts.
		w := max(v.labelWidth(markLabel(e)), 8, x(e.Date.To.AddDate(0, 0, 1))-left)
		lane := -1
		for l, end := range laneEnd {
			if end <= left {
				lane = l
				break
			}
		}
		if lane < 0 && len(laneEnd) < tlMaxLanes {
			laneEnd = append(laneEnd, 0)
			lane = len(laneEnd) - 1
		}
		v.marks[i] = eventPlace{left: left, width: w, lane: lane}
		if lane < 0 {
			v.hidden++
			continue
		}
		laneEnd[lane] = left + w + 4
		width = max(width, left+w+tlLeft) // a label may run past the last year
		lanes = max(lanes, lane+1)
	}
	height := tlAxisY + 16 + float32(lanes)*tlLaneH
	// A layout-less container has no size of its own: the grid-wrap cell
	// gives the scroll its extent.
	v.wrap.Layout = layout.NewGridWrapLayout(fyne.NewSize(width, height))
	v.wrap.Refresh()
	v.scroll.Refresh()
	v.showMarks()
	v.say()
}

// showMarks puts on the axis the marks of the events in the scrolled
// view and a screen either side of it, keeping those already made.
func (v *timelineView) showMarks() {
	if v.marks == nil {
		return
	}
	view := v.scroll.Size().Width
	if view < 200 {
		view = 1100
	}
	lo, hi := v.scroll.Offset.X-view, v.scroll.Offset.X+2*view
	shown := make(map[int]*eventMark, len(v.shown))
	objs := append(make([]fyne.CanvasObject, 0, len(v.base)+len(v.shown)), v.base...)
	for i, p := range v.marks {
		if p.lane < 0 || p.left+p.width < lo || p.left > hi {
			continue
		}
		mk := v.shown[i]
		if mk == nil {
			e := v.events[i]
			mk = newEventMark(e, func() { v.openEvent(e) })
			mk.Move(fyne.NewPos(p.left, tlAxisY+10+float32(p.lane)*tlLaneH))
			mk.Resize(fyne.NewSize(p.width, mk.MinSize().Height))
		}
		shown[i] = mk
		objs = append(objs, mk)
	}
	v.shown = shown
	v.axis.Objects = objs
	v.axis.Refresh()
}

// labelWidth is the width of a mark's label in caption text, from the
// advance of each of its runes (measured once per rune: measuring the
// labels of 50,000 events one by one took most of a second).
func (v *timelineView) labelWidth(s string) float32 {
	if v.widths == nil {
		v.widths = map[rune]float32{}
	}
	w := float32(0)
	for _, r := range s {
		a, ok := v.widths[r]
		if !ok {
			a = fyne.MeasureText(string(r), theme.CaptionTextSize(), fyne.TextStyle{}).Width
			v.widths[r] = a
		}
		w += a
	}
	return w
}

// eventMark is one event on the axis: a bar in its source's reliability
// colour with the date and source; a tap opens the passage.
type eventMark struct {
	widget.BaseWidget
	ev  timeline.Event
	tap func()
}

func newEventMark(e timeline.Event, tap func()) *eventMark {
	m := &eventMark{ev: e, tap: tap}
	m.ExtendBaseWidget(m)
	return m
}

func (m *eventMark) Tapped(*fyne.PointEvent) { m.tap() }

func (m *eventMark) CreateRenderer() fyne.WidgetRenderer {
	c := reliabilityColor(m.ev.Reliability)
	bar := canvas.NewRectangle(c)
	bar.CornerRadius = 3
	if m.ev.Kind == timeline.Published {
		// A publication date is hollow: it dates the report, not the event.
		bar.FillColor = color.Transparent
		bar.StrokeColor, bar.StrokeWidth = c, 2
	}
	txt := canvas.NewText(markLabel(&m.ev), theme.Color(theme.ColorNameForeground))
	txt.TextSize = theme.CaptionTextSize()
	return &eventMarkRenderer{bar: bar, txt: txt}
}

type eventMarkRenderer struct {
	bar *canvas.Rectangle
	txt *canvas.Text
}

func (r *eventMarkRenderer) Layout(s fyne.Size) {
	r.bar.Move(fyne.NewPos(0, 0))
	r.bar.Resize(fyne.NewSize(s.Width, 6))
	r.txt.Move(fyne.NewPos(0, 7))
}

func (r *eventMarkRenderer) MinSize() fyne.Size {
	t := r.txt.MinSize()
	return fyne.NewSize(max(t.Width, 8), t.Height+7)
}

func (r *eventMarkRenderer) Refresh()                     { r.bar.Refresh(); r.txt.Refresh() }
func (r *eventMarkRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bar, r.txt} }
func (r *eventMarkRenderer) Destroy()                     {}

// markLabel is the caption under an event's mark: its date and source.
func markLabel(e *timeline.Event) string { return e.Label() + " · " + clipRunes(e.Source, 24) }

// clipRunes shortens s to n code points, marking the cut.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
