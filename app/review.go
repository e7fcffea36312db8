package app

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/anchor"
	"gloss/app/textview"
)

// reviewPanel is the Needs review list: annotations whose passage moved to
// a close but uncertain match (fuzzy) or was not found (orphan) after the
// text changed, and annotations a merge found changed on both sides. Each
// row puts the old quote beside what is there now and offers the ways out.
type reviewPanel struct {
	st    *State
	act   reviewActions
	scope *widget.Select
	count *widget.Label
	list  *widget.List
	rows  []*annotate.Annotation
	ends  []linkEnd // link ends to review, listed after the annotations
	root  fyne.CanvasObject

	// before holds, for annotations re-anchored in this session, the quote
	// they had before the replace (a fuzzy record keeps only the new one).
	before map[string]string
	// back caches the diff from a source's text to its previous version,
	// to show the former quote of fuzzy matches made in earlier sessions.
	back map[string]*anchor.Mapper
}

// reviewActions are what the Needs review list asks the window to do.
type reviewActions struct {
	ed        editor
	order     func(*annotate.Index) []*annotate.Source
	focus     func(id string, scroll bool)
	selection func() (start, end int, ok bool) // the document's selection, trimmed
	remove    func(id string)
	counted   func(n int)
	show      func(src string, start, end int) // show a passage (a link end) in the document
}

func newReviewPanel(st *State, act reviewActions) *reviewPanel {
	p := &reviewPanel{st: st, act: act, before: map[string]string{}, back: map[string]*anchor.Mapper{}}
	p.scope = widget.NewSelect([]string{scopeSource, scopeProject}, func(string) { p.refresh(st.Index()) })
	p.scope.Selected = scopeSource
	p.count = widget.NewLabel("")
	p.count.Importance = widget.LowImportance
	p.list = widget.NewList(
		func() int { return len(p.rows) + len(p.ends) },
		func() fyne.CanvasObject { return newReviewRow(p) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.rows) {
				o.(*reviewRow).set(st.Index(), p.rows[i])
			} else if i-len(p.rows) < len(p.ends) {
				o.(*reviewRow).setEnd(st.Index(), p.ends[i-len(p.rows)])
			}
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		switch {
		case i < len(p.rows) && p.rows[i].Anchor != annotate.AnchorOrphan:
			act.focus(p.rows[i].ID, true)
		case i < len(p.rows):
			act.focus(p.rows[i].ID, false) // an orphan has no place to scroll to
		case i-len(p.rows) < len(p.ends) && act.show != nil:
			if e := p.ends[i-len(p.rows)]; e.end().State != annotate.AnchorOrphan {
				act.show(e.end().SourceID, e.end().Selector.Start, e.end().Selector.End)
			}
		}
		p.list.UnselectAll()
	}
	hint := widget.NewLabel("Fuzzy matches, orphans (annotations and link ends) and merge conflicts")
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis
	p.root = container.NewBorder(container.NewBorder(nil, nil, p.scope, p.count, hint), nil, nil, nil, p.list)
	return p
}

func (p *reviewPanel) refresh(idx *annotate.Index) {
	var srcs []string
	if p.scope.Selected == scopeProject {
		for _, s := range p.act.order(idx) {
			srcs = append(srcs, s.ID)
		}
	} else if id := p.st.SourceID(); id != "" {
		srcs = []string{id}
	}
	// The index keeps the list of annotations to review, so a refresh
	// costs that list, not a walk over every annotation.
	at := make(map[string]int, len(srcs))
	for i, id := range srcs {
		at[id] = i
	}
	p.rows = p.rows[:0]
	for _, a := range idx.NeedsReview() {
		if _, ok := at[a.SourceID]; ok {
			p.rows = append(p.rows, a)
		}
	}
	sort.SliceStable(p.rows, func(i, j int) bool { return at[p.rows[i].SourceID] < at[p.rows[j].SourceID] })
	// Orphans first: they are invisible in the document.
	sort.SliceStable(p.rows, func(i, j int) bool {
		return (p.rows[i].Anchor == annotate.AnchorOrphan) && (p.rows[j].Anchor != annotate.AnchorOrphan)
	})
	p.ends = linkEndsToReview(idx, srcs, p.ends[:0])
	// While a large project's annotations are being read, the list holds
	// the sources read so far: it says so rather than give a short count,
	// and the tab's title claims none.
	reading := p.st.reading()
	if reading && p.scope.Selected == scopeProject {
		p.count.SetText(readingNote)
	} else {
		p.count.SetText(fmt.Sprintf("%d to review", len(p.rows)+len(p.ends)))
	}
	if p.act.counted != nil {
		n := 0
		if !reading {
			n = p.reviewCount(idx)
		}
		p.act.counted(n)
	}
	p.list.Refresh()
}

// reviewCount is how many annotations need review in the whole project,
// for the tab's title: an analyst must see them even from another source.
func (p *reviewPanel) reviewCount(idx *annotate.Index) int {
	return len(idx.NeedsReview()) + len(linkEndsToReview(idx, nil, nil))
}

// remember keeps the quotes a replace moved away from, for the list.
func (p *reviewPanel) remember(_ string, r anchor.Report) {
	for _, it := range r.Annotations {
		if it.OldQuote != "" {
			p.before[it.ID] = it.OldQuote
		}
	}
	for _, it := range r.Links {
		if it.OldQuote != "" {
			p.before[endKey(it.ID, it.Side, it.Index)] = it.OldQuote
		}
	}
}

// oldQuote is what the annotation quoted before the text changed: an
// orphan still holds it; for a fuzzy match it is what this session saw,
// else the new passage mapped back onto the source's previous version.
func (p *reviewPanel) oldQuote(idx *annotate.Index, a *annotate.Annotation) string {
	return p.oldQuoteAt(idx, a.SourceID, a.Selector, a.Anchor, a.ID)
}

// oldQuoteAt is oldQuote for any passage: key names it in p.before.
func (p *reviewPanel) oldQuoteAt(idx *annotate.Index, srcID string, sel annotate.Selector, state annotate.AnchorState, key string) string {
	if state == annotate.AnchorOrphan {
		return sel.Exact
	}
	if q, ok := p.before[key]; ok {
		return q
	}
	src := idx.Source[srcID]
	var prev *annotate.TextVersion
	for i := range idx.P.Versions {
		v := &idx.P.Versions[i]
		if v.SourceID == srcID && (prev == nil || v.Replaced.After(prev.Replaced)) {
			prev = v
		}
	}
	if src == nil || prev == nil {
		return ""
	}
	mk := src.ID + "\x00" + src.ContentHash + "\x00" + prev.ID
	m := p.back[mk]
	if m == nil {
		m = anchor.NewMapper(src.Text, prev.Text)
		p.back[mk] = m
	}
	s, _ := m.MapPosition(sel.Start)
	e, _ := m.MapPosition(sel.End)
	if e <= s {
		return ""
	}
	return annotate.NewText(prev.Text).Slice(s, e)
}

// anchorLabel says how an annotation sits on its text, for rows and tips.
func anchorLabel(a *annotate.Annotation) string {
	if a.Anchor.NeedsReview() {
		return stateLabel(a.Anchor, a.Score)
	}
	if len(a.Conflicts) > 0 {
		return "changed in two projects — " + plural(len(a.Conflicts), "other version")
	}
	return string(a.Anchor.Norm())
}

// confirm accepts a fuzzy match as the annotation's passage.
func (p *reviewPanel) confirm(id string) {
	a := findAnnotation(p.st.Index(), id)
	if a == nil || a.Anchor != annotate.AnchorFuzzy {
		return
	}
	n := *a
	n.Anchor, n.Score = "", 0
	if p.act.ed.do(annotate.Change{Label: "Confirm " + annotate.QuoteShort(a.Selector.Exact, 30), PutAnnotations: []annotate.Annotation{n}}) {
		delete(p.before, id)
	}
}

// reattach moves the annotation to the document's selection.
func (p *reviewPanel) reattach(id string) {
	idx := p.st.Index()
	a := findAnnotation(idx, id)
	if a == nil {
		return
	}
	s, e, ok := p.act.selection()
	if !ok || p.st.SourceID() != a.SourceID {
		title := a.SourceID
		if src := idx.Source[a.SourceID]; src != nil {
			title = src.DisplayTitle()
		}
		dialog.ShowInformation("Re-attach", fmt.Sprintf("Select the passage in %q first (in the document above), then press Re-attach.", title), p.act.ed.win)
		return
	}
	sel, err := idx.Text(a.SourceID).Select(s, e)
	if err != nil {
		dialog.ShowError(err, p.act.ed.win)
		return
	}
	n := *a
	n.Selector, n.Anchor, n.Score = sel, "", 0
	if p.act.ed.do(annotate.Change{Label: "Re-attach to " + annotate.QuoteShort(sel.Exact, 30), PutAnnotations: []annotate.Annotation{n}}) {
		delete(p.before, id)
		p.act.focus(id, false)
	}
}

// switchConflict swaps the annotation's content for its first other
// version (the current one is kept in its place, so switching back works).
func (p *reviewPanel) switchConflict(id string) {
	idx := p.st.Index()
	a := findAnnotation(idx, id)
	if a == nil || len(a.Conflicts) == 0 {
		return
	}
	n, err := annotate.SwitchConflict(*a, 0, "this project", idx)
	if err != nil {
		dialog.ShowError(err, p.act.ed.win)
		return
	}
	if t := idx.Text(a.SourceID); t != nil {
		// The other version was made on the text as it was there; a
		// passage that no longer fits goes through the anchor engine.
		if sel, state, score := anchor.Resolve(t, n.Selector); state != n.Anchor.Norm() || sel != n.Selector {
			n.Selector, n.Anchor, n.Score = sel, state, score
			if state == annotate.AnchorExact || state == annotate.AnchorShifted {
				n.Anchor, n.Score = "", 0
			}
		}
	}
	from := a.Conflicts[0].Origin
	p.act.ed.do(annotate.Change{Label: "Switch to the version from " + from, PutAnnotations: []annotate.Annotation{n}})
}

// keepConflict settles a conflict for the current content.
func (p *reviewPanel) keepConflict(id string) {
	a := findAnnotation(p.st.Index(), id)
	if a == nil || len(a.Conflicts) == 0 {
		return
	}
	n := *a
	n.Conflicts = nil
	p.act.ed.do(annotate.Change{Label: "Keep this version of " + annotate.QuoteShort(a.Selector.Exact, 30), PutAnnotations: []annotate.Annotation{n}})
}

// reviewRow: where the annotation is from and its state, the quote before
// beside the passage now, and the buttons that settle it.
type reviewRow struct {
	widget.BaseWidget
	p                      *reviewPanel
	id                     string
	head, before, now      *widget.Label
	confirm, reattach, del *widget.Button
	switchTo, keep         *widget.Button
	box                    fyne.CanvasObject
	beforeTitle, nowTitle  *widget.Label
	nowBox                 fyne.CanvasObject // hidden for an orphan, whose old quote then gets the row
	end                    *linkEnd          // set when the row is a link end
	buttons, quotes        *fyne.Container   // laid out again when set shows or hides their parts
}

func newReviewRow(p *reviewPanel) *reviewRow {
	r := &reviewRow{p: p, head: widget.NewLabel(""), before: widget.NewLabel(""), now: widget.NewLabel("")}
	for _, l := range []*widget.Label{r.head, r.before, r.now} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.head.SizeName = theme.SizeNameCaptionText
	r.head.TextStyle.Bold = true
	r.beforeTitle = widget.NewLabel("Before:")
	r.nowTitle = widget.NewLabel("Now:")
	r.confirm = widget.NewButtonWithIcon("Confirm", theme.ConfirmIcon(), func() {
		if r.end != nil {
			p.confirmEnd(*r.end)
		} else {
			p.confirm(r.id)
		}
	})
	r.reattach = widget.NewButtonWithIcon("Re-attach to selection", theme.ContentRedoIcon(), func() {
		if r.end != nil {
			p.reattachEnd(*r.end)
		} else {
			p.reattach(r.id)
		}
	})
	r.del = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() {
		if r.end != nil {
			p.deleteLink(r.end.id)
		} else {
			p.act.remove(r.id)
		}
	})
	r.switchTo = widget.NewButton("Switch to the other version", func() { p.switchConflict(r.id) })
	r.keep = widget.NewButton("Keep this version", func() { p.keepConflict(r.id) })
	for _, b := range []*widget.Button{r.confirm, r.reattach, r.del, r.switchTo, r.keep} {
		b.Importance = widget.LowImportance
	}
	r.nowBox = container.NewBorder(nil, nil, r.nowTitle, nil, r.now)
	quotes := container.New(halves{}, container.NewBorder(nil, nil, r.beforeTitle, nil, r.before), r.nowBox)
	// A conflict's buttons start hidden (set shows them): the list takes
	// its width from this row, and all five side by side made the window
	// 1,325 px wide at least, more than a 1,280 px laptop screen.
	r.switchTo.Hide()
	r.keep.Hide()
	r.buttons = container.NewHBox(r.confirm, r.reattach, r.switchTo, r.keep, r.del)
	r.quotes = quotes
	r.box = container.New(&tightVBox{}, r.head, quotes, r.buttons)
	r.ExtendBaseWidget(r)
	return r
}

func (r *reviewRow) set(idx *annotate.Index, a *annotate.Annotation) {
	r.id, r.end = a.ID, nil
	head := anchorLabel(a)
	if s := idx.Source[a.SourceID]; s != nil {
		head = s.DisplayTitle() + " · " + head
	}
	if tags := annotationSummary(idx, a); tags != "" {
		head += " · " + tags
	}
	setText(r.head, head)
	r.del.SetText("Delete")
	conflict := len(a.Conflicts) > 0 && !a.Anchor.NeedsReview()
	if conflict {
		c := a.Conflicts[0]
		r.beforeTitle.SetText("Other (" + orDash(c.Origin) + "):")
		r.nowTitle.SetText("This:")
		setText(r.before, oneLine(c.Selector.Exact)+" · "+versionTags(idx, c))
		setText(r.now, oneLine(a.Selector.Exact))
		r.switchTo.SetText("Switch to the other version (from " + orDash(c.Origin) + ")")
	} else {
		r.beforeTitle.SetText("Before:")
		r.nowTitle.SetText("Now:")
		old := r.p.oldQuote(idx, a)
		if old == "" {
			old = "(not recorded)"
		}
		setText(r.before, oneLine(old))
		setText(r.now, oneLine(a.Selector.Exact))
	}
	show(r.confirm, a.Anchor == annotate.AnchorFuzzy)
	show(r.reattach, a.Anchor.NeedsReview())
	show(r.nowBox, conflict || a.Anchor != annotate.AnchorOrphan)
	show(r.switchTo, conflict)
	show(r.keep, conflict)
	r.buttons.Refresh()
	r.quotes.Refresh()
}

func (r *reviewRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func show(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

func oneLine(s string) string { return annotate.QuoteShort(strings.Join(strings.Fields(s), " "), 200) }

// versionTags describes another version's codes and stances.
func versionTags(idx *annotate.Index, v annotate.AnnotationVersion) string {
	a := annotate.Annotation{Codes: v.Codes, Stances: v.Stances, Credibility: v.Credibility, Note: v.Note}
	s := annotationSummary(idx, &a)
	if v.Author != "" {
		s += " · by " + v.Author
	}
	return s
}

// fuzzyAlpha draws a fuzzy highlight at half the usual strength, so an
// unconfirmed passage looks unsettled next to the confirmed ones.
const fuzzyAlpha = 0x38

// highlightFor is how an annotation shows in the document: an orphan not
// at all (its old positions mean nothing in the new text), a fuzzy match
// lighter and with its state in the tooltip.
func highlightFor(idx *annotate.Index, a *annotate.Annotation) (textview.Highlight, bool) {
	h := textview.Highlight{ID: a.ID, Start: a.Selector.Start, End: a.Selector.End,
		Color: annotationColor(idx, a), Tooltip: annotationSummary(idx, a)}
	switch a.Anchor {
	case annotate.AnchorOrphan:
		return h, false
	case annotate.AnchorFuzzy:
		c := h.Color
		if c == nil {
			c = theme.Color(theme.ColorNamePrimary)
		}
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		n.A = fuzzyAlpha
		h.Color = n
		h.Tooltip = "Needs review: " + anchorLabel(a) + "\n" + h.Tooltip
	}
	return h, true
}

// reviewCount shows on its tab how many annotations need review.
func (w *Workspace) reviewCount(n int) {
	if w.bottom == nil {
		return
	}
	t := "Needs review"
	if n > 0 {
		t = fmt.Sprintf("Needs review (%d)", n)
	}
	w.bottom.setTitle(w.review.root, t)
}

// halves lays out the visible objects side by side in equal widths, so
// that one left alone takes the whole row.
type halves struct{}

func (halves) visible(objs []fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, o := range objs {
		if o.Visible() {
			out = append(out, o)
		}
	}
	return out
}

func (h halves) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	vis := h.visible(objs)
	if len(vis) == 0 {
		return
	}
	pad := theme.Padding()
	w := (size.Width - pad*float32(len(vis)-1)) / float32(len(vis))
	for i, o := range vis {
		o.Move(fyne.NewPos(float32(i)*(w+pad), 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (h halves) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range h.visible(objs) {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return s
}

// stateLabel says what a fuzzy or orphaned passage asks of the analyst.
func stateLabel(state annotate.AnchorState, score float64) string {
	switch state {
	case annotate.AnchorFuzzy:
		return fmt.Sprintf("fuzzy match, %.0f%% — confirm it or re-attach", score*100)
	case annotate.AnchorOrphan:
		return "orphan — not found in the current text"
	}
	return string(state.Norm())
}

// linkEnd is one end of a link to review: its From passage (to < 0) or
// its To[to] passage. Links re-anchor like annotations when a summary or
// an original changes, and an end that moved uncertainly is listed too.
type linkEnd struct {
	id string
	to int
	l  annotate.Link
}

func (e linkEnd) end() annotate.Anchor {
	if e.to < 0 {
		return e.l.From
	}
	return e.l.To[e.to]
}

// key names the end as anchor.Report does (side and index).
func (e linkEnd) key() string {
	if e.to < 0 {
		return endKey(e.id, "from", 0)
	}
	return endKey(e.id, "to", e.to)
}

func endKey(id, side string, i int) string { return fmt.Sprintf("%s\x00%s\x00%d", id, side, i) }

// linkEndsToReview appends the fuzzy and orphaned ends of links on the
// given sources (nil: every source) to out; rejected links are left out.
func linkEndsToReview(idx *annotate.Index, srcs []string, out []linkEnd) []linkEnd {
	var in map[string]bool
	if srcs != nil {
		in = make(map[string]bool, len(srcs))
		for _, id := range srcs {
			in[id] = true
		}
	}
	want := func(a annotate.Anchor) bool {
		return a.State.NeedsReview() && (in == nil || in[a.SourceID])
	}
	for _, l := range idx.P.Links {
		if l.Status == annotate.Rejected {
			continue
		}
		if want(l.From) {
			out = append(out, linkEnd{id: l.ID, to: -1, l: l})
		}
		for i, t := range l.To {
			if want(t) {
				out = append(out, linkEnd{id: l.ID, to: i, l: l})
			}
		}
	}
	return out
}

// withEnd returns the current link e names with fn applied to that end,
// on copies so the index is never written to.
func (p *reviewPanel) withEnd(e linkEnd, fn func(*annotate.Anchor)) (annotate.Link, bool) {
	for _, l := range p.st.Index().P.Links {
		if l.ID != e.id {
			continue
		}
		l.To = append([]annotate.Anchor(nil), l.To...)
		if e.to < 0 {
			fn(&l.From)
		} else if e.to < len(l.To) {
			fn(&l.To[e.to])
		} else {
			return l, false
		}
		return l, true
	}
	return annotate.Link{}, false
}

// confirmEnd accepts a link end's fuzzy match.
func (p *reviewPanel) confirmEnd(e linkEnd) {
	l, ok := p.withEnd(e, func(a *annotate.Anchor) { a.State, a.Score = "", 0 })
	if !ok {
		return
	}
	if p.act.ed.do(annotate.Change{Label: "Confirm link passage", PutLinks: []annotate.Link{l}}) {
		delete(p.before, e.key())
	}
}

// reattachEnd moves a link end to the document's selection.
func (p *reviewPanel) reattachEnd(e linkEnd) {
	idx := p.st.Index()
	src := e.end().SourceID
	s, en, ok := p.act.selection()
	if !ok || p.st.SourceID() != src {
		title := src
		if x := idx.Source[src]; x != nil {
			title = x.DisplayTitle()
		}
		dialog.ShowInformation("Re-attach", fmt.Sprintf("Select the passage in %q first (in the document above), then press Re-attach.", title), p.act.ed.win)
		return
	}
	sel, err := idx.Text(src).Select(s, en)
	if err != nil {
		dialog.ShowError(err, p.act.ed.win)
		return
	}
	l, ok := p.withEnd(e, func(a *annotate.Anchor) { a.Selector, a.State, a.Score = sel, "", 0 })
	if !ok {
		return
	}
	if p.act.ed.do(annotate.Change{Label: "Re-attach link to " + annotate.QuoteShort(sel.Exact, 30), PutLinks: []annotate.Link{l}}) {
		delete(p.before, e.key())
	}
}

// deleteLink removes the whole link (undoable).
func (p *reviewPanel) deleteLink(id string) {
	p.act.ed.do(annotate.Change{Label: "Delete link", DelLinks: []string{id}})
}

// setEnd shows a link end: which side it is, its old and new passage.
func (r *reviewRow) setEnd(idx *annotate.Index, e linkEnd) {
	r.id, r.end = e.id, &e
	a := e.end()
	what := "evidence of a link from " + annotate.QuoteShort(strings.Join(strings.Fields(e.l.From.Selector.Exact), " "), 40)
	if e.to < 0 {
		what = "sentence of a link to " + plural(len(e.l.To), "passage")
	}
	head := what + " · " + stateLabel(a.State, a.Score)
	if s := idx.Source[a.SourceID]; s != nil {
		head = s.DisplayTitle() + " · " + head
	}
	setText(r.head, head)
	r.beforeTitle.SetText("Before:")
	r.nowTitle.SetText("Now:")
	old := r.p.oldQuoteAt(idx, a.SourceID, a.Selector, a.State, e.key())
	if old == "" {
		old = "(not recorded)"
	}
	setText(r.before, oneLine(old))
	setText(r.now, oneLine(a.Selector.Exact))
	show(r.nowBox, a.State != annotate.AnchorOrphan)
	show(r.confirm, a.State == annotate.AnchorFuzzy)
	r.reattach.Show()
	r.switchTo.Hide()
	r.keep.Hide()
	r.del.SetText("Delete link")
	r.buttons.Refresh()
	r.quotes.Refresh()
}
