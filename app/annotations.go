package app

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/app/session"
)

// parseColor reads "#rrggbb"; anything else is a neutral yellow.
func parseColor(s string) color.Color {
	s = strings.TrimPrefix(s, "#")
	if len(s) == 6 {
		if v, err := strconv.ParseUint(s, 16, 32); err == nil {
			return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
		}
	}
	return color.NRGBA{0xf4, 0xc4, 0x30, 0xff}
}

func hexColor(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}

// annotationColor is the colour of the annotation's first code; a plain
// highlight uses the theme's highlight colour.
func annotationColor(idx *annotate.Index, a *annotate.Annotation) color.Color {
	for _, id := range a.Codes {
		if c := idx.Code[id]; c != nil {
			return parseColor(c.Color)
		}
	}
	return nil
}

func codeNames(idx *annotate.Index, a *annotate.Annotation) string {
	var names []string
	for _, id := range a.Codes {
		if c := idx.Code[id]; c != nil {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, ", ")
}

func stanceText(idx *annotate.Index, a *annotate.Annotation) string {
	var out []string
	for _, m := range a.Stances {
		out = append(out, idx.StanceText(m))
	}
	return strings.Join(out, ", ")
}

// annotationSummary is the tooltip of a highlight and the detail line of a
// list row.
func annotationSummary(idx *annotate.Index, a *annotate.Annotation) string {
	var parts []string
	if s := codeNames(idx, a); s != "" {
		parts = append(parts, s)
	} else {
		parts = append(parts, "highlight")
	}
	if s := stanceText(idx, a); s != "" {
		parts = append(parts, s)
	}
	if a.Credibility != 0 {
		parts = append(parts, fmt.Sprintf("credibility %d (%s)", a.Credibility, a.Credibility.Label()))
	}
	if a.Note != "" {
		parts = append(parts, "note: "+strings.Join(strings.Fields(a.Note), " "))
	}
	return strings.Join(parts, " · ")
}

// annotationsPanel lists annotations of the source or the whole project,
// filtered by code, stance and credibility.
type annotationsPanel struct {
	st     *State
	act    annotationActions
	scope  *widget.Select
	code   *widget.Select
	target *widget.Select
	stance *widget.Select
	cred   *widget.Select
	author *widget.Select
	count  *widget.Label
	list   *keyList
	rows   []*annotate.Annotation
	// listing, when set, is the rows instead: a code's annotations over
	// all sources of a paged project, known by reference and read from
	// the file as they are shown (fromFile).
	listing *annotate.Listing
	root    fyne.CanvasObject
	quiet   bool
	// gen counts refreshes: a query of the file (fromFile) that answers
	// after a later refresh is dropped.
	gen int
	// queried, if set, is called when a query of the file has answered
	// (tests wait on it).
	queried func()
	// fileKey is the choices the rows came from the file for ("" when
	// they did not).
	fileKey string
}

const (
	scopeSource  = "This source"
	scopeProject = "All sources"
	anyCode      = "Any code"
	anyTarget    = "Any target"
	anyStance    = "Any stance"
	anyCred      = "Any credibility"
	anyAuthor    = "Any author"
)

// annotationActions are what the annotations list asks the window to do.
type annotationActions struct {
	order     func(*annotate.Index) []*annotate.Source // sources as the sources list shows them
	focus     func(id string, scroll bool)             // show an annotation
	remove    func(id string)                          // delete an annotation
	typedRune func(rune) bool                          // the tagging keys
	counted   func(n int)                              // how many rows are listed
}

func newAnnotationsPanel(st *State, act annotationActions) *annotationsPanel {
	p := &annotationsPanel{st: st, act: act}
	st.OnAnnotation(p.markSelected)
	changed := func(string) {
		p.refresh(st.Index())
		p.giveBackKeys()
	}
	p.scope = widget.NewSelect([]string{scopeSource, scopeProject}, changed)
	p.scope.Selected = scopeSource
	p.code = widget.NewSelect([]string{anyCode}, changed)
	p.code.Selected = anyCode
	p.target = widget.NewSelect([]string{anyTarget}, changed)
	p.target.Selected = anyTarget
	stances := []string{anyStance}
	for _, s := range annotate.Stances {
		stances = append(stances, s.Label())
	}
	p.stance = widget.NewSelect(stances, changed)
	p.stance.Selected = anyStance
	creds := []string{anyCred}
	for _, g := range annotate.CredibilityScale {
		creds = append(creds, credOption(g.Grade))
	}
	creds = append(creds, credNone)
	p.cred = widget.NewSelect(creds, changed)
	p.cred.Selected = anyCred
	p.author = widget.NewSelect([]string{anyAuthor}, changed)
	p.author.Selected = anyAuthor
	p.count = widget.NewLabel("")
	p.count.Importance = widget.LowImportance
	p.list = newKeyList(
		p.rowCount,
		func() fyne.CanvasObject { return newAnnotationRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= p.rowCount() {
				return
			}
			a, err := p.rowAt(i)
			switch {
			case err != nil:
				o.(*annotationRow).setNote("could not read this annotation: " + err.Error())
			case a == nil:
				o.(*annotationRow).setNote("deleted since this list was made")
			default:
				o.(*annotationRow).set(st.Index(), a, p.scope.Selected == scopeProject)
			}
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		if p.quiet || i >= p.rowCount() {
			return
		}
		// A row over all sources of a paged project may come from a
		// source not read yet (fromFile): read it first.
		ref := p.rowRef(i)
		if err := st.hold(ref.SourceID); err != nil {
			p.count.SetText(err.Error())
			return
		}
		act.focus(ref.ID, true)
	}
	p.list.onRune = act.typedRune
	p.list.onKey = func(e *fyne.KeyEvent) bool {
		if id := st.AnnotationID(); (e.Name == fyne.KeyDelete || e.Name == fyne.KeyBackspace) && id != "" {
			act.remove(id)
			return true
		}
		return false
	}
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() {
		p.code.Selected, p.target.Selected, p.stance.Selected, p.cred.Selected = anyCode, anyTarget, anyStance, anyCred
		p.author.Selected = anyAuthor
		p.author.Refresh()
		p.code.Refresh()
		p.target.Refresh()
		p.stance.Refresh()
		p.cred.Refresh()
		p.refresh(st.Index())
	})
	clear.Importance = widget.LowImportance
	// Two rows of three: six drop-downs in one row made the window wider
	// than a 1366-pixel laptop screen.
	filters := container.NewBorder(nil, nil, nil, clear,
		container.NewGridWithColumns(3, p.scope, p.code, p.target, p.stance, p.cred, p.author))
	p.root = container.NewBorder(filters, nil, nil, nil, p.list)
	return p
}

// filter is the annotate.Filter the drop-downs describe.
func (p *annotationsPanel) filter(idx *annotate.Index) annotate.Filter {
	var f annotate.Filter
	if p.scope.Selected == scopeProject {
		for _, s := range p.act.order(idx) {
			f.Sources = append(f.Sources, s.ID)
		}
	} else if id := p.st.SourceID(); id != "" {
		f.Sources = []string{id}
	}
	if p.code.Selected != anyCode {
		for _, c := range idx.P.Codes {
			if idx.CodePath(c.ID) == p.code.Selected {
				f.Codes = []string{c.ID}
			}
		}
	}
	var m annotate.StanceMark
	if p.target.Selected != anyTarget {
		m.Target = p.target.Selected
	}
	if st, ok := annotate.StanceByLabel(p.stance.Selected); ok {
		m.Stance = st
	}
	if m != (annotate.StanceMark{}) {
		f.Stances = []annotate.StanceMark{m}
	}
	if p.author.Selected != anyAuthor {
		f.Authors = []string{p.author.Selected}
	}
	switch p.cred.Selected {
	case anyCred:
	case credNone:
		f.Unrated = true
	default:
		for _, g := range annotate.CredibilityScale {
			if credOption(g.Grade) == p.cred.Selected {
				f.MinCredibility, f.MaxCredibility = g.Grade, g.Grade
			}
		}
	}
	return f
}

// filtered returns the rows the filters select, in source then text order.
func (p *annotationsPanel) filtered(idx *annotate.Index) []*annotate.Annotation {
	f := p.filter(idx)
	if len(f.Sources) == 0 {
		return nil // no source shown, or a project without sources
	}
	out, err := f.Annotations(idx)
	if err != nil {
		return nil // a name the drop-downs offered was just deleted; refresh resets it
	}
	return out
}

func (p *annotationsPanel) refresh(idx *annotate.Index) {
	codes := []string{anyCode}
	for _, c := range idx.CodeTree() {
		codes = append(codes, idx.CodePath(c.ID))
	}
	p.code.Options = codes
	if !contains(codes, p.code.Selected) {
		p.code.Selected = anyCode
	}
	p.code.Refresh()
	targets := []string{anyTarget}
	for _, t := range idx.P.Targets {
		targets = append(targets, t.Name)
	}
	p.target.Options = targets
	if !contains(targets, p.target.Selected) {
		p.target.Selected = anyTarget
	}
	p.target.Refresh()
	authors := append([]string{anyAuthor}, idx.Authors()...)
	p.author.Options = authors
	if !contains(authors, p.author.Selected) {
		p.author.Selected = anyAuthor
	}
	p.author.Refresh()

	p.gen++
	key := strings.Join([]string{p.scope.Selected, p.code.Selected, p.target.Selected, p.stance.Selected, p.cred.Selected, p.author.Selected}, "\x00")
	switch {
	case p.scope.Selected == scopeProject && p.st.partial() && p.fromFile(idx, key):
		// Listed when the file answers. Until then, after a change, the
		// rows it gave for the same choices stay, with their count:
		// replaced by the few read so far, the list jumped after every
		// tag.
		if p.fileKey != key {
			p.rows, p.listing, p.fileKey = nil, nil, ""
			p.count.SetText(readingNote)
			p.act.counted(-1)
		}
	case p.scope.Selected == scopeProject && p.st.partial():
		// The sources read so far, not a count of all; a paged project
		// reads the rest now (the list is redrawn when it has).
		p.rows, p.listing, p.fileKey = p.filtered(idx), nil, ""
		p.st.allRead()
		p.count.SetText(readingNote)
		p.act.counted(-1) // nor does the tab claim a count
	default:
		p.rows, p.listing, p.fileKey = p.filtered(idx), nil, ""
		p.count.SetText(plural(len(p.rows), "annotation"))
		p.act.counted(len(p.rows))
	}
	p.list.Refresh()
	p.markSelected(p.st.AnnotationID())
}

// fromFile lists the annotations over all sources of a paged project
// from the project file's indexes, off the UI goroutine, rather than
// reading every annotation. Codes alone, or no condition at all, are
// listed by reference (session.Listing: counted and ordered from the
// indexes, about 15 ms for a code on 20,000 of 200,000; rows are read
// as they are shown); a code with other conditions reads the code's
// records to test them (session.Filtered: about 60 ms). Other conditions
// without a code read every annotation after all (State.allRead). It
// reports false, having started nothing, when there is nothing to list.
func (p *annotationsPanel) fromFile(idx *annotate.Index, key string) bool {
	sess, f := p.st.sess, p.filter(idx)
	if sess == nil || len(f.Sources) == 0 || !idx.HasTotals() {
		return false
	}
	if !fileAnswers(f, sess) {
		return false // every annotation must be read (refresh: allRead)
	}
	gen, start := p.gen, time.Now()
	// At the window's priority, not goBackground's: the analyst waits
	// for this answer, and under a software renderer a thread at nice 10
	// took three times as long.
	go func() {
		var rows []*annotate.Annotation
		listing, ok, err := sess.Listing(idx, f)
		switch {
		case err == nil && ok:
			// The first screenful is read here rather than while the
			// list draws.
			for i := range min(listing.Len(), firstScreen) {
				if _, err = listing.At(i); err != nil {
					break
				}
			}
		case err == nil:
			rows, ok, err = sess.Filtered(idx, f)
		}
		timed("list over all sources from the file, read", start)
		fyne.Do(func() {
			if gen != p.gen || p.st.sess != sess {
				return // refreshed since: that refresh answers
			}
			switch {
			case err != nil:
				p.count.SetText("could not read the annotations: " + err.Error())
			case !ok:
				p.st.allRead() // read them all after all; the list is redrawn then
			default:
				p.rows, p.listing, p.fileKey = rows, listing, key
				p.count.SetText(plural(p.rowCount(), "annotation"))
				p.act.counted(p.rowCount())
				p.list.Refresh()
				p.markSelected(p.st.AnnotationID())
				timed(fmt.Sprintf("list over all sources from the file, %d annotations, shown", p.rowCount()), start)
			}
			if p.queried != nil {
				p.queried()
			}
		})
	}()
	return true
}

// needsAll reports whether the list needs every annotation read: over all
// sources with a condition the file's indexes cannot answer (fromFile).
func (p *annotationsPanel) needsAll() bool {
	sess := p.st.sess
	if p.scope.Selected != scopeProject || sess == nil {
		return false
	}
	return !fileAnswers(p.filter(p.st.Index()), sess)
}

// fileAnswers reports whether the project file's indexes answer f over a
// paged project without reading every annotation: by code (Filtered), or
// by reference for codes alone or no condition (Listing).
func fileAnswers(f annotate.Filter, sess *session.Session) bool {
	return len(f.Codes) > 0 || f.CodesAlone() && sess.Lists()
}

// giveBackKeys moves the keyboard from a filter drop-down (which takes
// focus when clicked and swallows typed keys) to the list, so the tagging
// keys 1–9 keep working after a filter is chosen.
func (p *annotationsPanel) giveBackKeys() {
	c := fyne.CurrentApp().Driver().CanvasForObject(p.root)
	if c == nil {
		return
	}
	switch c.Focused() {
	case p.scope, p.code, p.target, p.stance, p.cred, p.author:
		c.Focus(p.list)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// firstScreen is how many rows a listing reads before it is shown: more
// than a tall window shows.
const firstScreen = 64

// rowCount, rowRef and rowAt give the list's rows, from p.rows or from
// p.listing.
func (p *annotationsPanel) rowCount() int {
	if p.listing != nil {
		return p.listing.Len()
	}
	return len(p.rows)
}

func (p *annotationsPanel) rowRef(i int) annotate.AnnotationRef {
	if p.listing != nil {
		return p.listing.Ref(i)
	}
	return annotate.AnnotationRef{ID: p.rows[i].ID, SourceID: p.rows[i].SourceID}
}

func (p *annotationsPanel) rowAt(i int) (*annotate.Annotation, error) {
	if p.listing != nil {
		return p.listing.At(i)
	}
	return p.rows[i], nil
}

func (p *annotationsPanel) markSelected(id string) {
	p.quiet = true
	defer func() { p.quiet = false }()
	if p.listing != nil {
		// Find reads the row's source, so the row is its place in
		// text order; an error leaves the list as it is.
		if i, err := p.listing.Find(id); err == nil && i >= 0 {
			p.list.Select(i)
			p.list.ScrollTo(i)
			return
		}
		p.list.UnselectAll()
		return
	}
	for i, a := range p.rows {
		if a.ID == id {
			p.list.Select(i)
			p.list.ScrollTo(i)
			return
		}
	}
	p.list.UnselectAll()
}

// setText skips unchanged labels: re-measuring truncated labels is what
// costs most when a list redraws after each change.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

// annotationRow: colour swatch, quote, and codes · stance · credibility.
type annotationRow struct {
	widget.BaseWidget
	swatch *canvas.Rectangle
	quote  *widget.Label
	meta   *widget.Label
	box    fyne.CanvasObject
}

func newAnnotationRow() *annotationRow {
	r := &annotationRow{swatch: canvas.NewRectangle(color.Transparent), quote: widget.NewLabel(""), meta: widget.NewLabel("")}
	r.swatch.SetMinSize(fyne.NewSize(6, 20))
	r.quote.Truncation = fyne.TextTruncateEllipsis
	r.meta.Truncation = fyne.TextTruncateEllipsis
	r.meta.SizeName = theme.SizeNameCaptionText
	r.box = container.NewBorder(nil, nil, r.swatch, nil, container.New(&tightVBox{}, r.quote, r.meta))
	r.ExtendBaseWidget(r)
	return r
}

// setNote shows a row with no annotation to show: note says why.
func (r *annotationRow) setNote(note string) {
	if r.swatch.FillColor != color.Transparent {
		r.swatch.FillColor = color.Transparent
		r.swatch.Refresh()
	}
	setText(r.quote, "")
	setText(r.meta, note)
}

func (r *annotationRow) set(idx *annotate.Index, a *annotate.Annotation, withSource bool) {
	c := annotationColor(idx, a)
	if c == nil {
		c = theme.Color(theme.ColorNamePrimary)
	}
	if r.swatch.FillColor != c {
		r.swatch.FillColor = c
		r.swatch.Refresh()
	}
	meta := annotationSummary(idx, a)
	if withSource {
		if s := idx.Source[a.SourceID]; s != nil {
			meta = s.DisplayTitle() + " — " + meta
		}
	}
	setText(r.quote, annotate.QuoteShort(rowQuote(idx, a), 160))
	setText(r.meta, meta)
}

// rowQuote is a's quote; a row from the file (fromFile) may come without
// it, where the record keeps it as a place in its source's text, and the
// index's text has it there.
func rowQuote(idx *annotate.Index, a *annotate.Annotation) string {
	if a.Selector.Exact != "" {
		return a.Selector.Exact
	}
	if t := idx.Text(a.SourceID); t != nil && a.Selector.End <= t.Len() {
		return t.Slice(a.Selector.Start, a.Selector.End)
	}
	return ""
}

func (r *annotationRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }
