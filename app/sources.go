package app

import (
	"image/color"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
)

// sourcesPanel is the left column: every source, filterable and sortable.
type sourcesPanel struct {
	st     *State
	filter *widget.Entry
	sortBy *widget.Select
	list   *keyList
	count  *widget.Label
	rows   []*annotate.Source
	root   fyne.CanvasObject
	quiet  bool         // true while the list is selected programmatically
	made   []*sourceRow // every row the list created, to find the one a file is dropped on
	order  sourceOrder  // the last order sorted (sorted)
}

const (
	sortNewest = "Newest first"
	sortOldest = "Oldest first"
	sortTitle  = "Title A–Z"
)

// sourceActions are what the sources list asks the window to do.
type sourceActions struct {
	show      func(id string) // show a source in the document
	typedRune func(rune) bool // the tagging keys
	importDlg func()          // File ▸ Import
}

func newSourcesPanel(st *State, act sourceActions) *sourcesPanel {
	p := &sourcesPanel{st: st}
	p.filter = widget.NewEntry()
	p.filter.SetPlaceHolder("Filter by title, outlet, language…")
	p.filter.OnChanged = func(string) { p.refresh(st.Index()) }
	p.sortBy = widget.NewSelect([]string{sortNewest, sortOldest, sortTitle}, func(string) { p.refresh(st.Index()) })
	p.sortBy.Selected = sortNewest
	p.count = widget.NewLabel("")
	p.count.Importance = widget.LowImportance
	// Truncated rather than sized to its text: "10000 sources shown of
	// 10000" made the window's least width 1.5 px wider than the window
	// opens, so the window grew after its first frame and drew it again
	// (100 ms under llvmpipe).
	p.count.Truncation = fyne.TextTruncateEllipsis
	p.list = newKeyList(
		func() int { return len(p.rows) },
		func() fyne.CanvasObject {
			r := newSourceRow()
			p.made = append(p.made, r)
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.rows) {
				o.(*sourceRow).set(p.rows[i])
			}
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		if p.quiet || i >= len(p.rows) {
			return
		}
		act.show(p.rows[i].ID)
	}
	p.list.onRune = act.typedRune
	title := widget.NewLabelWithStyle("Sources", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	importBtn := widget.NewButtonWithIcon("Import…", theme.ContentAddIcon(), act.importDlg)
	importBtn.Importance = widget.LowImportance
	top := container.NewVBox(container.NewBorder(nil, nil, nil, importBtn, title), p.filter, p.sortBy)
	hint := widget.NewLabel("Drop files here to import")
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis
	p.root = container.NewBorder(top, container.NewVBox(p.count, hint), nil, nil, p.list)
	return p
}

// sorted returns the sources matching the filter in the chosen order.
func (p *sourcesPanel) sorted(idx *annotate.Index) []*annotate.Source {
	// The order is kept while the sources, the filter and the sort stay
	// as they are: every action redraws the list and most leave the
	// sources alone (an index shares its source list with the one before
	// it until a change touches a source), and sorting 10,000 on the UI
	// goroutine each time was 10–60 ms of every tag and search.
	c := &p.order
	if c.rows != nil && first(idx.P.Sources) == c.data && len(idx.P.Sources) == c.n &&
		p.filter.Text == c.filter && p.sortBy.Selected == c.sortBy {
		return c.rows
	}
	q := strings.ToLower(strings.TrimSpace(p.filter.Text))
	type keyed struct {
		key string
		s   *annotate.Source
	}
	var out []keyed
	for i := range idx.P.Sources {
		s := &idx.P.Sources[i]
		if q != "" {
			hay := strings.ToLower(strings.Join([]string{s.DisplayTitle(), s.Outlet, s.Author, s.Published,
				string(s.Language), s.Language.Name(), string(s.Kind), s.FileName}, " "))
			if !strings.Contains(hay, q) {
				continue
			}
		}
		var key string
		switch p.sortBy.Selected {
		case sortTitle:
			key = strings.ToLower(s.DisplayTitle()) // once per source, not per comparison
		case sortOldest:
			key = dateKey(s, false)
		default:
			key = dateKey(s, true)
		}
		out = append(out, keyed{key, s})
	}
	if p.sortBy.Selected == sortTitle || p.sortBy.Selected == sortOldest {
		sort.SliceStable(out, func(i, j int) bool { return out[i].key < out[j].key })
	} else {
		sort.SliceStable(out, func(i, j int) bool { return out[i].key > out[j].key })
	}
	rows := make([]*annotate.Source, len(out))
	for i, k := range out {
		rows[i] = k.s
	}
	*c = sourceOrder{data: first(idx.P.Sources), n: len(idx.P.Sources), filter: p.filter.Text, sortBy: p.sortBy.Selected, rows: rows}
	return rows
}

// sourceOrder is the last order sorted: for the source list it was
// sorted from (its array and length), the filter and the sort. Callers
// share rows and must not change it.
type sourceOrder struct {
	data           *annotate.Source
	n              int
	filter, sortBy string
	rows           []*annotate.Source
}

// dateKey orders undated sources last in either direction.
func dateKey(s *annotate.Source, desc bool) string {
	if s.Published == "" {
		if desc {
			return ""
		}
		return "\uffff"
	}
	return s.Published
}

func (p *sourcesPanel) refresh(idx *annotate.Index) {
	p.rows = p.sorted(idx)
	// Short, to fit the panel's usual width (it truncates beyond it).
	if n := len(idx.P.Sources); len(p.rows) == n {
		p.count.SetText(plural(n, "source"))
	} else {
		p.count.SetText(strconv.Itoa(len(p.rows)) + " of " + plural(n, "source") + " shown")
	}
	p.list.Refresh()
	p.markSelected(p.st.SourceID())
}

func (p *sourcesPanel) markSelected(id string) {
	p.quiet = true
	defer func() { p.quiet = false }()
	for i, s := range p.rows {
		if s.ID == id {
			p.list.Select(i)
			return
		}
	}
	p.list.UnselectAll()
}

// sourceRow shows title, outlet · date · language and a reliability badge.
type sourceRow struct {
	widget.BaseWidget
	id     string // the source shown
	title  *widget.Label
	meta   *widget.Label
	badge  *canvas.Rectangle
	letter *canvas.Text
	box    fyne.CanvasObject
}

func newSourceRow() *sourceRow {
	r := &sourceRow{title: widget.NewLabel(""), meta: widget.NewLabel("")}
	r.title.TextStyle.Bold = true
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.meta.Truncation = fyne.TextTruncateEllipsis
	r.meta.SizeName = theme.SizeNameCaptionText
	r.badge = canvas.NewRectangle(color.Gray{Y: 0x99})
	r.badge.CornerRadius = 4
	r.letter = canvas.NewText("", color.White)
	r.letter.TextStyle.Bold = true
	r.letter.Alignment = fyne.TextAlignCenter
	badge := container.NewGridWrap(fyne.NewSize(26, 26), container.NewStack(r.badge, container.NewCenter(r.letter)))
	text := container.New(&tightVBox{}, r.title, r.meta)
	r.box = container.NewBorder(nil, nil, nil, container.NewCenter(badge), text)
	r.ExtendBaseWidget(r)
	return r
}

func (r *sourceRow) set(s *annotate.Source) {
	r.id = s.ID
	setText(r.title, s.DisplayTitle())
	var parts []string
	kind := ""
	if s.Kind != annotate.KindOriginal {
		kind = string(s.Kind)
	}
	for _, v := range []string{kind, s.Outlet, s.Published, s.Language.Short()} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	setText(r.meta, strings.Join(parts, " · "))
	g := string(s.Reliability)
	if g == "" {
		g = "–"
	}
	if r.letter.Text != g {
		r.letter.Text = g
		r.badge.FillColor = reliabilityColor(s.Reliability)
		r.letter.Refresh()
		r.badge.Refresh()
	}
}

func (r *sourceRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// reliabilityColor runs from green (A) to red (E); F and unrated are grey.
func reliabilityColor(g annotate.Reliability) color.Color {
	switch g {
	case "A":
		return color.NRGBA{0x2e, 0x7d, 0x32, 0xff}
	case "B":
		return color.NRGBA{0x55, 0x8b, 0x2f, 0xff}
	case "C":
		return color.NRGBA{0xb2, 0x8a, 0x00, 0xff}
	case "D":
		return color.NRGBA{0xe6, 0x51, 0x00, 0xff}
	case "E":
		return color.NRGBA{0xc6, 0x28, 0x28, 0xff}
	case "F":
		return color.NRGBA{0x61, 0x61, 0x61, 0xff}
	}
	return color.NRGBA{0x9e, 0x9e, 0x9e, 0xff}
}

// tightVBox stacks objects without padding, for two-line list rows.
type tightVBox struct{}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - theme.Padding()
	}
	return s
}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height - theme.Padding()
		o.Move(fyne.NewPos(0, y-theme.Padding()/2))
		o.Resize(fyne.NewSize(size.Width, h+theme.Padding()))
		y += h
	}
}

// first is the address of a list's first element (nil for an empty one),
// which tells one array from another.
func first[T any](list []T) *T {
	if len(list) == 0 {
		return nil
	}
	return &list[0]
}
