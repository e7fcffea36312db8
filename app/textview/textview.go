// Package textview is Gloss's document widget: a read-only, selectable,
// highlightable view of one source text, built for long mixed English and
// Chinese documents.
//
// Fyne's RichText has no background highlights or selection and its Entry
// slows to a crawl on long text, so this widget lays text out itself:
//
//   - Word wrap follows UAX #14 (go-text/typesetting/segmenter): Latin breaks
//     at spaces, Chinese between characters, and no line starts with closing
//     punctuation or ends with opening punctuation.
//   - Only paragraphs near the viewport are laid out and drawn. Heights of the
//     others are estimated and refined as they are laid out; the scroll
//     position is anchored on the paragraph at the top, so refining heights
//     never makes the text jump.
//   - All positions in the API are Unicode code points into the text given to
//     SetText, never bytes or UTF-16 units.
//
// Every method must be called on the Fyne UI goroutine (use fyne.Do from
// other goroutines).
package textview

import (
	"image/color"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate/lexicon"
)

// preloadLexicon decodes the dictionary in the background once, so the
// first double-click on Chinese does not wait for it. Only Chinese text
// needs it (about 26 MB once decoded), so a window showing other text
// does not load it.
var preloadLexicon atomic.Bool

// preloadFor starts the dictionary's load if text has Han characters.
func preloadFor(text string) {
	if preloadLexicon.Load() || strings.IndexFunc(text, lexicon.IsHan) < 0 {
		return
	}
	if preloadLexicon.CompareAndSwap(false, true) {
		go lexicon.Preload()
	}
}

// Highlight is a range of the text drawn with a coloured background.
type Highlight struct {
	ID         string      // reported by OnHighlightTapped and used by SetFocused
	Start, End int         // code points, half-open [Start, End)
	Color      color.Color // drawn translucent behind the glyphs; nil uses the theme's primary colour
	Tooltip    string      // shown while the mouse rests on the highlight; may be multi-line
}

// Zoom limits and step; the zoom multiplies the theme's text size.
const (
	MinZoom  = 0.5
	MaxZoom  = 3.0
	zoomStep = 1.1
)

// TextView shows one document with selection and highlights.
// Create it with New.
type TextView struct {
	widget.BaseWidget

	// OnSelectionChanged is called whenever the selection changes, with the
	// selection in code points (start == end when it is empty).
	OnSelectionChanged func(start, end int)
	// OnHighlightTapped is called when a click (without dragging) lands on a
	// highlight. Clicking again where highlights overlap cycles through them.
	OnHighlightTapped func(id string)
	// OnKey receives key presses the view does not use itself (it uses
	// Up/Down, Page Up/Down, Space, Home/End, Escape and Shift+arrows).
	// Printable keys also arrive as characters in OnRune, which is where to
	// bind them. Return true if handled.
	OnKey func(*fyne.KeyEvent) bool
	// OnRune receives typed characters (e.g. the digits 1–9 and "h" that the
	// host binds to "tag the selection"). Return true if handled.
	OnRune func(rune) bool
	// OnShortcut receives shortcuts the view does not use itself (it uses
	// copy, select all and the zoom keys). Unhandled ones are passed on to the
	// window's canvas so window-level shortcuts keep working while the view
	// has focus.
	OnShortcut func(fyne.Shortcut) bool
	// OnZoomChanged is called after the zoom changed (e.g. to persist it).
	OnZoomChanged func(zoom float32)
	// WordBoundary finds the word around text[i] for double-click; text is
	// the paragraph. The default, lexicon.WordAt, segments Chinese with a
	// dictionary so a double-click selects a word, not one character.
	WordBoundary func(text []rune, i int) (start, end int)

	doc        document
	hl         highlightSet
	focusedID  string
	selAnchor  int
	selCaret   int
	lastSelS   int
	lastSelE   int
	zoom       float32
	topPara    int     // scroll anchor: the paragraph at the top of the view
	topOff     float32 // how far that paragraph is scrolled out above the top
	lay        layoutState
	placed     []placedPara // paragraphs drawn in the last frame, top to bottom
	flash      flashState
	hover      hoverState
	clicks     clickState
	drag       dragState
	focused    bool
	shift      bool // Shift is held (desktop.Keyable)
	scroll     *scrollBar
	tipDelay   time.Duration
	noAnim     bool // tests: the test driver finishes animations at once
	renderer   *textRenderer
	lineHeight float32 // of the last frame, for keyboard scrolling
}

type placedPara struct {
	para int
	y    float32 // top of the paragraph in widget coordinates
}

// New returns an empty TextView.
func New() *TextView {
	tv := &TextView{zoom: 1, tipDelay: 450 * time.Millisecond, WordBoundary: lexicon.WordAt}
	tv.doc.set("") // always at least one paragraph
	tv.scroll = newScrollBar(tv)
	tv.ExtendBaseWidget(tv)
	return tv
}

// SetText replaces the document. Selection, highlights outside the new text
// and the scroll position are reset.
func (tv *TextView) SetText(text string) {
	preloadFor(text)
	tv.doc.set(text)
	tv.placed = tv.placed[:0] // they index the old paragraphs
	tv.lay.invalidateAll()
	tv.topPara, tv.topOff = 0, 0
	tv.selAnchor, tv.selCaret = 0, 0
	tv.hl.clamp(len(tv.doc.text))
	tv.hover = hoverState{}
	tv.Refresh()
	tv.notifySelection()
}

// Text returns the document as given to SetText.
func (tv *TextView) Text() string { return string(tv.doc.text) }

// Len returns the length of the document in code points.
func (tv *TextView) Len() int { return len(tv.doc.text) }

// SetHighlights replaces all highlights. Ranges are clamped to the text;
// empty ones are ignored. The slice is copied.
func (tv *TextView) SetHighlights(hs []Highlight) {
	tv.hl.set(hs, len(tv.doc.text))
	tv.Refresh()
}

// SetFocused outlines the highlight with this ID ("" for none).
func (tv *TextView) SetFocused(id string) {
	if tv.focusedID == id {
		return
	}
	tv.focusedID = id
	tv.Refresh()
}

// Focused returns the ID given to SetFocused.
func (tv *TextView) Focused() string { return tv.focusedID }

// Selection returns the selected range in code points, start <= end.
func (tv *TextView) Selection() (start, end int) {
	if tv.selAnchor <= tv.selCaret {
		return tv.selAnchor, tv.selCaret
	}
	return tv.selCaret, tv.selAnchor
}

// SelectedText returns the selected text.
func (tv *TextView) SelectedText() string {
	s, e := tv.Selection()
	return string(tv.doc.text[s:e])
}

// SetSelection selects [start, end), clamped to the text.
func (tv *TextView) SetSelection(start, end int) {
	n := len(tv.doc.text)
	tv.selAnchor, tv.selCaret = clampInt(start, 0, n), clampInt(end, 0, n)
	tv.Refresh()
	tv.notifySelection()
}

// Zoom returns the current zoom factor (1 is the theme's text size).
func (tv *TextView) Zoom() float32 { return tv.zoom }

// SetZoom sets the zoom factor, clamped to [MinZoom, MaxZoom].
func (tv *TextView) SetZoom(z float32) {
	if z != z { // NaN
		z = 1
	}
	z = min(max(z, MinZoom), MaxZoom)
	if z == tv.zoom {
		return
	}
	tv.zoom = z
	tv.Refresh()
	if tv.OnZoomChanged != nil {
		tv.OnZoomChanged(z)
	}
}

// ScrollTo brings the position into view (about a third down the view if
// it was not visible) and briefly flashes its line.
func (tv *TextView) ScrollTo(offset int) {
	offset = clampInt(offset, 0, len(tv.doc.text))
	tv.scrollToRange(offset, offset, true)
}

// ScrollToRange brings [start, end) into view and briefly flashes it, e.g.
// for jumping to an annotation from a list or a link.
func (tv *TextView) ScrollToRange(start, end int) {
	n := len(tv.doc.text)
	start, end = clampInt(start, 0, n), clampInt(end, 0, n)
	if end < start {
		start, end = end, start
	}
	tv.scrollToRange(start, end, start == end)
}

// ScrollOffset returns the scroll position as the code point offset of
// the start of the line at the top of the view (the line the top edge
// cuts, if more than half of it shows, else the next). Unlike a pixel
// position it survives a change of the text: map it through the edit and
// give it back to SetScrollOffset.
func (tv *TextView) ScrollOffset() int {
	d := &tv.doc
	if len(d.paras) == 0 {
		return 0
	}
	pi := clampInt(tv.topPara, 0, len(d.paras)-1)
	if tv.topOff <= 0 {
		return d.paras[pi].start
	}
	tv.checkLayout()
	pl := tv.lay.layout(d, pi)
	li := int(tv.topOff/tv.lay.m.lineH + 0.5)
	if li >= len(pl.lines) {
		// Only the gap below the paragraph shows: the next one is on top.
		if pi+1 < len(d.paras) {
			return d.paras[pi+1].start
		}
		li = len(pl.lines) - 1
	}
	return d.paras[pi].start + pl.lines[li].start
}

// SetScrollOffset scrolls so that the line holding code point offset off
// is at the top of the view (as far as the end of the text allows),
// without the flash of ScrollTo.
func (tv *TextView) SetScrollOffset(off int) {
	d := &tv.doc
	if len(d.paras) == 0 {
		return
	}
	off = clampInt(off, 0, len(d.text))
	tv.checkLayout()
	pi := d.paraAt(off)
	pl := tv.lay.layout(d, pi)
	li := pl.lineOf(off - d.paras[pi].start)
	tv.topPara, tv.topOff = pi, float32(li)*tv.lay.m.lineH
	tv.normalizeScroll()
	tv.afterScroll()
}

// CreateRenderer is part of fyne.Widget.
func (tv *TextView) CreateRenderer() fyne.WidgetRenderer {
	r := &textRenderer{tv: tv}
	tv.renderer = r
	return r
}

// MinSize is small: the view is meant to fill the space it is given.
func (tv *TextView) MinSize() fyne.Size {
	tv.ExtendBaseWidget(tv)
	return fyne.NewSize(60, 40)
}

func (tv *TextView) notifySelection() {
	s, e := tv.Selection()
	if s == tv.lastSelS && e == tv.lastSelE {
		return
	}
	tv.lastSelS, tv.lastSelE = s, e
	if tv.OnSelectionChanged != nil {
		tv.OnSelectionChanged(s, e)
	}
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
