package app

import (
	"fmt"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/app/textview"
)

// docPane is the centre: the source's title, a find bar and the text.
type docPane struct {
	st      *State
	tv      *textview.TextView
	title   *widget.Label
	meta    *widget.Label
	hint    *widget.Label
	details *widget.Button
	find    *findBar
	root    *fyne.Container
	lower   []rune // lower-cased text for find, built on demand
	act     docActions
}

const hintText = "Select text, then press 1–9 to tag it with a code (numbers in the inspector), or H to highlight it."

// docActions are what the document asks the window to do.
type docActions struct {
	details   func(sourceID string)           // open Source details
	selected  func(start, end int)            // the selection moved
	focus     func(annID string, scroll bool) // show an annotation
	remove    func(annID string)              // delete an annotation
	typedRune func(rune) bool                 // the tagging keys
	shortcut  func(fyne.Shortcut) bool        // the window's key bindings
	canvas    fyne.Canvas                     // the window's, for focus
	help      func()                          // the shortcuts sheet (F1)
	search    func(q string)                  // search every source
	prefs     fyne.Preferences                // where the zoom is kept
}

func newDocPane(st *State, act docActions) *docPane {
	d := &docPane{st: st, tv: textview.New(), act: act}
	d.title = widget.NewLabelWithStyle("No source selected", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.Truncation = fyne.TextTruncateEllipsis
	d.meta = widget.NewLabel("")
	d.meta.Truncation = fyne.TextTruncateEllipsis
	d.meta.SizeName = theme.SizeNameCaptionText
	d.hint = widget.NewLabel(hintText)
	d.hint.Truncation = fyne.TextTruncateEllipsis
	d.hint.Importance = widget.HighImportance
	d.hint.SizeName = theme.SizeNameCaptionText
	d.details = widget.NewButtonWithIcon("Details…", theme.InfoIcon(), func() { act.details(st.SourceID()) })
	d.find = newFindBar(d)

	d.tv.OnSelectionChanged = act.selected
	d.tv.OnHighlightTapped = func(id string) { act.focus(id, false) }
	d.tv.OnRune = act.typedRune
	// Other shortcuts (undo, find…) run the window's bindings directly
	// rather than via whichever canvas the driver guesses the view is on.
	d.tv.OnShortcut = act.shortcut
	d.tv.OnKey = func(e *fyne.KeyEvent) bool {
		switch e.Name {
		case fyne.KeyF1: // a bare key: the menu's shortcut table never sees it
			act.help()
			return true
		case fyne.KeyDelete, fyne.KeyBackspace:
			if id := st.AnnotationID(); id != "" {
				act.remove(id)
				return true
			}
		}
		return false
	}
	d.tv.OnZoomChanged = func(z float32) { act.prefs.SetFloat("zoom", float64(z)) }
	if z := act.prefs.Float("zoom"); z > 0 {
		d.tv.SetZoom(float32(z))
	}

	header := container.NewBorder(nil, nil, nil, container.NewVBox(d.details), container.NewVBox(d.title, d.meta))
	top := container.NewVBox(header, d.hint, d.find.root)
	d.root = container.NewBorder(top, nil, nil, nil, d.tv)
	return d
}

// show puts a source into the view (or empties it for "").
func (d *docPane) show(idx *annotate.Index, id string) {
	d.lower = nil
	s := idx.Source[id]
	if s == nil {
		d.tv.SetText("")
		d.tv.SetHighlights(nil)
		d.title.SetText("No source selected")
		d.meta.SetText("Choose a source on the left, or import one with File ▸ Import sources.")
		return
	}
	d.tv.SetText(s.Text)
	d.refreshHighlights(idx)
	d.find.refresh()
}

func (d *docPane) refreshHighlights(idx *annotate.Index) {
	s := idx.Source[d.st.SourceID()]
	if s == nil {
		return
	}
	d.title.SetText(s.DisplayTitle())
	d.meta.SetText(sourceMeta(s))
	anns := idx.Annotations(s.ID)
	hs := make([]textview.Highlight, 0, len(anns))
	for _, a := range anns {
		if h, ok := highlightFor(idx, a); ok { // orphans have no place; fuzzy ones look unsettled
			hs = append(hs, h)
		}
	}
	d.tv.SetHighlights(hs)
	d.tv.SetFocused(d.st.AnnotationID())
}

// sourceMeta is the one-line description under a source's title.
func sourceMeta(s *annotate.Source) string {
	var parts []string
	for _, p := range []string{s.Outlet, s.Author, s.Published, s.Language.Name(), string(s.Kind)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if s.Reliability != "" {
		parts = append(parts, "reliability "+string(s.Reliability)+" ("+s.Reliability.Label()+")")
	}
	if s.StateAffiliated {
		parts = append(parts, "state-affiliated")
	}
	if s.MachineTranslated {
		parts = append(parts, "machine-translated")
	}
	parts = append(parts, fmt.Sprintf("%d characters", s.Length))
	return strings.Join(parts, " · ")
}

// selectionChanged follows the document's selection: selecting exactly an
// existing annotation's passage opens that annotation in the inspector.
func (w *Workspace) selectionChanged(s, e int) {
	w.flushNote()
	w.selStart, w.selEnd = s, e
	idx := w.index()
	id := ""
	if s < e {
		for _, a := range idx.Annotations(w.srcID) {
			if a.Selector.Start == s && a.Selector.End == e {
				id = a.ID
				break
			}
		}
	}
	w.setAnnotation(id)
	w.text.tv.SetFocused(id)
	w.inspector.refresh(idx)
}

func (w *Workspace) deleteAnnotation(id string) {
	a := findAnnotation(w.index(), id)
	if a == nil {
		return
	}
	w.flushNote()
	if w.do(annotate.Change{Label: "Delete annotation " + annotate.QuoteShort(a.Selector.Exact, 30), DelAnnotations: []string{id}}) {
		w.annID = ""
		w.refresh()
	}
}

// findBar searches the current source (Ctrl+F).
type findBar struct {
	d       *docPane
	entry   *widget.Entry
	count   *widget.Label
	root    *fyne.Container
	hits    []int
	qlen    int
	current int
}

func newFindBar(d *docPane) *findBar {
	f := &findBar{d: d, entry: widget.NewEntry(), count: widget.NewLabel("")}
	f.entry.SetPlaceHolder("Find in this source (Enter: next)")
	f.entry.OnChanged = func(string) { f.run(true) }
	f.entry.OnSubmitted = func(string) { f.step(1) }
	prev := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { f.step(-1) })
	next := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { f.step(1) })
	all := widget.NewButton("All sources", func() { d.act.search(f.entry.Text) })
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), f.hide)
	f.root = container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()),
		container.NewHBox(f.count, prev, next, all, closeBtn), f.entry)
	f.root.Hide()
	return f
}

func (f *findBar) show() {
	f.root.Show()
	f.d.root.Refresh() // lay the header out again with the bar in it
	if c := fyne.CurrentApp().Driver().CanvasForObject(f.entry); c != nil {
		c.Focus(f.entry)
	} else {
		f.d.act.canvas.Focus(f.entry)
	}
	f.run(false)
}

func (f *findBar) hide() {
	f.root.Hide()
	f.d.root.Refresh()
	f.d.act.canvas.Focus(f.d.tv)
}

func (f *findBar) refresh() {
	if f.root.Visible() {
		f.run(false)
	}
}

// run finds every hit; positions are code points, matching is
// case-insensitive rune by rune so positions stay aligned with the text.
func (f *findBar) run(jump bool) {
	q := []rune(strings.ToLower(f.entry.Text))
	if f.d.lower == nil {
		f.d.lower = lowerRunes(f.d.tv.Text())
	}
	f.hits = findRunes(f.d.lower, lowerRuneSlice(q))
	f.qlen = len(q)
	f.current = -1
	if len(q) == 0 {
		f.count.SetText("")
		return
	}
	if len(f.hits) == 0 {
		f.count.SetText("no match")
		return
	}
	if jump {
		s, _ := f.d.tv.Selection()
		f.current = len(f.hits) - 1
		for i, h := range f.hits {
			if h >= s {
				f.current = i
				break
			}
		}
		f.goTo()
	} else {
		f.count.SetText(fmt.Sprintf("%d matches", len(f.hits)))
	}
}

func (f *findBar) step(dir int) {
	if len(f.hits) == 0 {
		f.run(true)
		return
	}
	f.current = (f.current + dir + len(f.hits)) % len(f.hits)
	f.goTo()
}

func (f *findBar) goTo() {
	h := f.hits[f.current]
	f.d.tv.SetSelection(h, h+f.qlen)
	f.d.tv.ScrollToRange(h, h+f.qlen)
	f.count.SetText(fmt.Sprintf("%d of %d", f.current+1, len(f.hits)))
}

func lowerRunes(s string) []rune { return lowerRuneSlice([]rune(s)) }

func lowerRuneSlice(r []rune) []rune {
	out := make([]rune, len(r))
	for i, c := range r {
		out[i] = unicode.ToLower(c)
	}
	return out
}

// findRunes returns the start of every non-overlapping occurrence of q.
func findRunes(text, q []rune) []int {
	if len(q) == 0 {
		return nil
	}
	var out []int
	for i := 0; i+len(q) <= len(text); {
		if text[i] == q[0] && equalRunes(text[i:i+len(q)], q) {
			out = append(out, i)
			i += len(q)
			continue
		}
		i++
	}
	return out
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
