package textview

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate/lexicon"
)

// Interfaces the view implements, checked at compile time.
var (
	_ fyne.Widget            = (*TextView)(nil)
	_ fyne.Tappable          = (*TextView)(nil)
	_ fyne.SecondaryTappable = (*TextView)(nil)
	_ fyne.Draggable         = (*TextView)(nil)
	_ fyne.Focusable         = (*TextView)(nil)
	_ fyne.Shortcutable      = (*TextView)(nil)
	_ fyne.Scrollable        = (*TextView)(nil)
	_ desktop.Mouseable      = (*TextView)(nil)
	_ desktop.Hoverable      = (*TextView)(nil)
	_ desktop.Cursorable     = (*TextView)(nil)
)

type clickState struct {
	last  time.Time
	pos   fyne.Position
	count int
}

type dragState struct {
	pressed  bool // a mouse button went down on the text and has not come up
	dragging bool
	moved    bool
	// After a double or triple click, dragging extends by whole words or
	// paragraphs from the unit first selected, [unitS, unitE).
	unit         int // 1 code point, 2 word, 3 paragraph
	unitS, unitE int
}

type hoverState struct {
	pos     fyne.Position
	offset  int
	tip     string
	showing bool
	timer   *time.Timer
	inside  bool
}

type flashState struct {
	active     bool
	start, end int
	alpha      float32
	anim       *fyne.Animation
}

// offsetAt maps a point in the widget to the nearest grapheme boundary, in
// document code points. Points above or below the drawn text clamp to the
// first or last visible line.
func (tv *TextView) offsetAt(pos fyne.Position) int {
	if len(tv.placed) == 0 {
		return 0
	}
	d, l := &tv.doc, &tv.lay
	lineH := l.m.lineH
	pp := tv.placed[0]
	for _, c := range tv.placed {
		if c.y <= pos.Y {
			pp = c
		}
	}
	para := &d.paras[pp.para]
	pl := l.layout(d, pp.para)
	if pos.Y < tv.placed[0].y {
		return para.start
	}
	li := int((pos.Y - pp.y) / lineH)
	if li >= len(pl.lines) {
		if pp.para == tv.placed[len(tv.placed)-1].para && pos.Y > pp.y+pl.height {
			return para.end
		}
		li = len(pl.lines) - 1 // in the gap below a paragraph
	}
	return para.start + nearestOnLine(pl, li, pos.X-tv.pad())
}

// nearestOnLine returns the grapheme boundary on line li nearest to x
// (paragraph-relative). The end of a wrapped line is taken before its
// trailing spaces, so a click there stays on this line.
func nearestOnLine(pl *paraLayout, li int, x float32) int {
	ln := pl.lines[li]
	end := ln.end
	if li < len(pl.lines)-1 {
		end = ln.visEnd
		if end == ln.start {
			end = ln.end - 1
		}
	}
	lo, hi := ln.start, end
	for lo < hi {
		mid := (lo + hi) / 2
		if pl.x(li, mid) < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	// lo is the first offset at or right of x; compare the boundaries on
	// either side of it.
	right := lo
	for right < end && !pl.isBoundary(right) {
		right++
	}
	left := min(lo, end)
	if left > ln.start {
		left--
	}
	for left > ln.start && !pl.isBoundary(left) {
		left--
	}
	if !pl.isBoundary(right) || abs32(pl.x(li, left)-x) <= abs32(pl.x(li, right)-x) {
		return left
	}
	return right
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// Scrolled scrolls by the mouse wheel or touchpad.
func (tv *TextView) Scrolled(e *fyne.ScrollEvent) {
	tv.scrollBy(-e.Scrolled.DY)
}

// scrollBy scrolls dy pixels (positive is down), laying out the paragraphs
// passed so the motion is exact.
func (tv *TextView) scrollBy(dy float32) {
	if len(tv.doc.paras) == 0 || tv.Size().Height <= 0 {
		return
	}
	tv.checkLayout()
	tv.topOff += dy
	tv.normalizeScroll()
	tv.afterScroll()
}

// setScrollY jumps to an absolute (estimated) position, e.g. from the scroll bar.
func (tv *TextView) setScrollY(y float64) {
	if len(tv.doc.paras) == 0 {
		return
	}
	tv.checkLayout()
	idx := &tv.lay.idx
	p := idx.find(y)
	off := y - idx.prefix(p)
	est := idx.h[p]
	h := tv.lay.layout(&tv.doc, p).height
	if est > 0 {
		off = off * float64(h) / est // estimates were refined: keep the fraction
	}
	tv.topPara, tv.topOff = p, float32(off)
	tv.normalizeScroll()
	tv.afterScroll()
}

func (tv *TextView) afterScroll() {
	tv.hideTooltip()
	tv.Refresh()
	tv.scroll.Refresh()
}

// scrollToRange scrolls [start, end] into view and flashes it (its line
// when lineFlash).
func (tv *TextView) scrollToRange(start, end int, lineFlash bool) {
	if len(tv.doc.paras) == 0 {
		return
	}
	tv.checkLayout()
	d, l := &tv.doc, &tv.lay
	pi := d.paraAt(start)
	pl := l.layout(d, pi)
	li := pl.lineOf(start - d.paras[pi].start)
	lineTop := float32(li) * l.m.lineH
	if lineFlash {
		ln := pl.lines[li]
		start, end = d.paras[pi].start+ln.start, d.paras[pi].start+ln.visEnd
	}
	// Already fully visible? Then only flash.
	visible := false
	H := tv.Size().Height
	for _, pp := range tv.placed {
		if pp.para == pi {
			y := pp.y + lineTop
			visible = y >= 0 && y+l.m.lineH <= H
		}
	}
	if !visible {
		tv.topPara = pi
		tv.topOff = lineTop - H/3
		tv.normalizeScroll()
	}
	tv.startFlash(start, end)
	tv.afterScroll()
}

func (tv *TextView) startFlash(start, end int) {
	f := &tv.flash
	if f.anim != nil {
		f.anim.Stop()
		f.anim = nil
	}
	f.active, f.start, f.end, f.alpha = true, start, end, 1
	if tv.noAnim {
		return // tests: the flash stays until the next one
	}
	// Hold fully visible for the first part so the eye finds it, then fade.
	const hold = 0.4
	f.anim = fyne.NewAnimation(1400*time.Millisecond, func(v float32) {
		f.alpha = 1
		if v > hold {
			f.alpha = 1 - (v-hold)/(1-hold)
		}
		if v >= 1 {
			f.active = false
		}
		tv.Refresh()
	})
	f.anim.Start()
}

// MouseDown starts a selection: one click places the caret, two select a
// word, three a paragraph; with Shift the selection is extended.
func (tv *TextView) MouseDown(e *desktop.MouseEvent) {
	if e.Button != desktop.MouseButtonPrimary {
		return
	}
	tv.requestFocus()
	tv.hideTooltip()
	now := time.Now()
	c := &tv.clicks
	delay := 300 * time.Millisecond
	if a := fyne.CurrentApp(); a != nil {
		delay = a.Driver().DoubleTapDelay()
	}
	dx, dy := e.Position.X-c.pos.X, e.Position.Y-c.pos.Y
	if now.Sub(c.last) <= delay && dx*dx+dy*dy < 36 {
		c.count++
	} else {
		c.count = 1
	}
	c.last, c.pos = now, e.Position
	tv.drag = dragState{pressed: true}
	off := tv.offsetAt(e.Position)
	switch {
	case e.Modifier&fyne.KeyModifierShift != 0:
		tv.selCaret = off
	case c.count == 2:
		tv.selAnchor, tv.selCaret = tv.wordAt(off)
		tv.drag.unit, tv.drag.unitS, tv.drag.unitE = 2, tv.selAnchor, tv.selCaret
	case c.count >= 3:
		tv.selAnchor, tv.selCaret = tv.doc.logicalPara(tv.doc.paraAt(off))
		tv.drag.unit, tv.drag.unitS, tv.drag.unitE = 3, tv.selAnchor, tv.selCaret
	default:
		tv.selAnchor, tv.selCaret = off, off
	}
	tv.Refresh()
	tv.notifySelection()
}

// MouseUp is part of desktop.Mouseable.
func (tv *TextView) MouseUp(*desktop.MouseEvent) { tv.drag.pressed = false }

// wordAt returns the word at offset (WordBoundary on its paragraph).
func (tv *TextView) wordAt(off int) (start, end int) {
	d := &tv.doc
	p := d.paras[d.paraAt(off)]
	rs := d.text[p.start:p.end]
	if len(rs) == 0 {
		return off, off
	}
	i := clampInt(off-p.start, 0, len(rs)-1)
	wb := tv.WordBoundary
	if wb == nil {
		wb = lexicon.WordAt
	}
	s, e := wb(rs, i)
	s, e = clampInt(s, 0, len(rs)), clampInt(e, 0, len(rs))
	if e <= s {
		s, e = i, i+1
	}
	return p.start + s, p.start + e
}

// Dragged extends the selection to the mouse, scrolling when it leaves the
// view.
func (tv *TextView) Dragged(e *fyne.DragEvent) {
	pos := e.Position
	if !tv.drag.pressed && !tv.drag.dragging {
		// A drag that did not start with MouseDown (touch, or synthetic
		// events): it starts where the first event says.
		tv.selAnchor = tv.offsetAt(pos)
		pos = pos.Add(e.Dragged)
	}
	tv.drag.dragging, tv.drag.moved = true, true
	H := tv.Size().Height
	switch {
	case pos.Y < 0:
		tv.scrollBy(max(pos.Y, -tv.lineHeight*3))
	case pos.Y > H:
		tv.scrollBy(min(pos.Y-H, tv.lineHeight*3))
	}
	off := tv.offsetAt(pos)
	tv.selCaret = off
	if u := tv.drag; u.unit >= 2 && u.pressed {
		var s, e int
		if u.unit == 2 {
			s, e = tv.wordAt(off)
			if off == s && off > 0 && off < u.unitS {
				s, e = tv.wordAt(off - 1)
			}
		} else {
			s, e = tv.doc.logicalPara(tv.doc.paraAt(off))
		}
		if s < u.unitS {
			tv.selAnchor, tv.selCaret = u.unitE, s
		} else {
			tv.selAnchor, tv.selCaret = u.unitS, max(e, u.unitE)
		}
	}
	tv.Refresh()
	tv.notifySelection()
}

// DragEnd is part of fyne.Draggable.
func (tv *TextView) DragEnd() { tv.drag.dragging = false }

// Tapped reports a click on a highlight when it selected nothing.
func (tv *TextView) Tapped(e *fyne.PointEvent) {
	tv.requestFocus()
	if tv.drag.moved {
		tv.drag.moved = false
		return
	}
	if s, en := tv.Selection(); s != en || tv.OnHighlightTapped == nil {
		return
	}
	off := tv.offsetAt(e.Position)
	idx := tv.hl.at(tv.glyphAt(e.Position, off))
	if len(idx) == 0 {
		return
	}
	pick := idx[0]
	for k, i := range idx { // cycle through overlapping highlights
		if tv.hl.hs[i].ID == tv.focusedID {
			pick = idx[(k+1)%len(idx)]
		}
	}
	tv.OnHighlightTapped(tv.hl.hs[pick].ID)
}

// glyphAt returns the code point under pos: offsetAt gives the nearest
// boundary, which is after the glyph when the click is on its right half.
func (tv *TextView) glyphAt(pos fyne.Position, off int) int {
	for _, pp := range tv.placed {
		para := tv.doc.paras[pp.para]
		if off < para.start || off > para.end {
			continue
		}
		pl := para.lay
		li := pl.lineOf(off - para.start)
		if off > para.start && pl.x(li, off-para.start)+tv.pad() > pos.X {
			return off - 1
		}
	}
	return off
}

// TappedSecondary opens a context menu with Copy and Select All.
func (tv *TextView) TappedSecondary(e *fyne.PointEvent) {
	tv.requestFocus()
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	c := a.Driver().CanvasForObject(tv)
	if c == nil {
		return
	}
	cp := fyne.NewMenuItem("Copy", func() { tv.TypedShortcut(&fyne.ShortcutCopy{Clipboard: a.Clipboard()}) })
	if s, en := tv.Selection(); s == en {
		cp.Disabled = true
	}
	all := fyne.NewMenuItem("Select All", func() { tv.TypedShortcut(&fyne.ShortcutSelectAll{}) })
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", cp, all), c, e.AbsolutePosition)
}

func (tv *TextView) requestFocus() {
	if a := fyne.CurrentApp(); a != nil {
		if c := a.Driver().CanvasForObject(tv); c != nil && c.Focused() != tv {
			c.Focus(tv)
		}
	}
}

// Cursor shows the text cursor.
func (tv *TextView) Cursor() desktop.Cursor { return desktop.TextCursor }

// MouseIn is part of desktop.Hoverable.
func (tv *TextView) MouseIn(e *desktop.MouseEvent) { tv.hover.inside = true; tv.MouseMoved(e) }

// MouseMoved shows the tooltip of the highlights under the mouse after a
// short rest.
func (tv *TextView) MouseMoved(e *desktop.MouseEvent) {
	h := &tv.hover
	h.pos = e.Position
	if tv.drag.pressed {
		return
	}
	off := tv.glyphAt(e.Position, tv.offsetAt(e.Position))
	tip := tv.tooltipAt(off, e.Position)
	if tip == h.tip && (h.showing || h.timer != nil) {
		return
	}
	tv.hideTooltip()
	h.tip = tip
	if tip == "" {
		return
	}
	if tv.tipDelay <= 0 {
		h.showing = true
		tv.Refresh()
		return
	}
	h.timer = time.AfterFunc(tv.tipDelay, func() {
		fyne.Do(func() {
			if h.tip == tip && h.timer != nil {
				h.timer = nil
				h.showing = true
				tv.Refresh()
			}
		})
	})
}

// MouseOut hides the tooltip.
func (tv *TextView) MouseOut() {
	tv.hover.inside = false
	tv.hideTooltip()
}

func (tv *TextView) hideTooltip() {
	h := &tv.hover
	if h.timer != nil {
		h.timer.Stop()
		h.timer = nil
	}
	wasShowing := h.showing
	h.showing, h.tip = false, ""
	if wasShowing {
		tv.Refresh()
	}
}

// tooltipAt joins the tooltips of the highlights under the mouse; nothing
// when the mouse is beside the text rather than on it.
func (tv *TextView) tooltipAt(off int, pos fyne.Position) string {
	idx := tv.hl.at(off)
	if len(idx) == 0 || !tv.onText(off, pos) {
		return ""
	}
	var parts []string
	for _, i := range idx {
		if t := strings.TrimSpace(tv.hl.hs[i].Tooltip); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

// onText reports whether pos is over the glyph at off (not in the margin
// right of a short line or in a paragraph gap).
func (tv *TextView) onText(off int, pos fyne.Position) bool {
	for _, pp := range tv.placed {
		para := tv.doc.paras[pp.para]
		if off < para.start || off >= para.end {
			continue
		}
		pl := para.lay
		li := pl.lineOf(off - para.start)
		y := pp.y + float32(li)*tv.lay.m.lineH
		return pos.Y >= y && pos.Y < y+tv.lay.m.lineH && pos.X <= tv.pad()+pl.lines[li].width+2
	}
	return false
}

// FocusGained is part of fyne.Focusable.
func (tv *TextView) FocusGained() { tv.focused = true }

// FocusLost is part of fyne.Focusable.
func (tv *TextView) FocusLost() { tv.focused = false }

// TypedRune passes characters to OnRune.
func (tv *TextView) TypedRune(r rune) {
	if tv.OnRune != nil {
		tv.OnRune(r)
	}
}

// KeyDown tracks Shift for keyboard selection.
func (tv *TextView) KeyDown(e *fyne.KeyEvent) {
	if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
		tv.shift = true
	}
}

// KeyUp is part of desktop.Keyable.
func (tv *TextView) KeyUp(e *fyne.KeyEvent) {
	if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
		tv.shift = false
	}
}

// TypedKey scrolls with the navigation keys, adjusts the selection with
// Shift+arrows, and passes other keys to OnKey.
func (tv *TextView) TypedKey(e *fyne.KeyEvent) {
	lh := tv.lineHeight
	page := tv.Size().Height - 2*lh
	if tv.shift {
		switch e.Name {
		case fyne.KeyLeft, fyne.KeyRight, fyne.KeyUp, fyne.KeyDown:
			tv.moveCaret(e.Name)
			return
		}
	}
	switch e.Name {
	case fyne.KeyUp:
		tv.scrollBy(-lh)
	case fyne.KeyDown:
		tv.scrollBy(lh)
	case fyne.KeyPageUp:
		tv.scrollBy(-page)
	case fyne.KeyPageDown, fyne.KeySpace:
		tv.scrollBy(page)
	case fyne.KeyHome:
		tv.topPara, tv.topOff = 0, 0
		tv.afterScroll()
	case fyne.KeyEnd:
		tv.topPara, tv.topOff = len(tv.doc.paras)-1, 0
		tv.scrollBy(1e6)
	case fyne.KeyEscape:
		if s, en := tv.Selection(); s != en {
			tv.SetSelection(tv.selCaret, tv.selCaret)
			return
		}
		fallthrough
	default:
		if tv.OnKey != nil {
			tv.OnKey(e)
		}
	}
}

// moveCaret moves the selection's moving end by a grapheme or a line,
// keeping the anchor, and scrolls it into view.
func (tv *TextView) moveCaret(k fyne.KeyName) {
	d, l := &tv.doc, &tv.lay
	if len(d.paras) == 0 || tv.Size().Width <= 0 {
		return
	}
	tv.checkLayout()
	c := tv.selCaret
	pi := d.paraAt(c)
	para := d.paras[pi]
	pl := l.layout(d, pi)
	rel := c - para.start
	switch k {
	case fyne.KeyRight:
		switch {
		case rel >= para.end-para.start && pi+1 < len(d.paras):
			c = d.paras[pi+1].start
		case rel < para.end-para.start:
			rel++
			for rel < para.end-para.start && !pl.isBoundary(rel) {
				rel++
			}
			c = para.start + rel
		}
	case fyne.KeyLeft:
		switch {
		case rel == 0 && pi > 0:
			c = d.paras[pi-1].end
		case rel > 0:
			rel--
			for rel > 0 && !pl.isBoundary(rel) {
				rel--
			}
			c = para.start + rel
		}
	case fyne.KeyUp, fyne.KeyDown:
		li := pl.lineOf(rel)
		x := pl.x(li, rel)
		if k == fyne.KeyUp {
			li--
		} else {
			li++
		}
		switch {
		case li < 0 && pi > 0:
			pi--
			pl = l.layout(d, pi)
			li = len(pl.lines) - 1
		case li >= len(pl.lines) && pi+1 < len(d.paras):
			pi++
			pl = l.layout(d, pi)
			li = 0
		}
		if li >= 0 && li < len(pl.lines) {
			c = d.paras[pi].start + nearestOnLine(pl, li, x)
		}
	}
	if c == tv.selCaret && (k == fyne.KeyRight || k == fyne.KeyLeft) {
		// At a chunk boundary inside a long paragraph: step once more.
		if k == fyne.KeyRight && c < len(d.text) {
			c++
		} else if k == fyne.KeyLeft && c > 0 {
			c--
		}
	}
	tv.selCaret = c
	tv.reveal(c)
	tv.Refresh()
	tv.notifySelection()
}

// reveal scrolls the least needed to show the line of offset.
func (tv *TextView) reveal(off int) {
	d, l := &tv.doc, &tv.lay
	pi := d.paraAt(off)
	pl := l.layout(d, pi)
	lineTop := float32(pl.lineOf(off-d.paras[pi].start)) * l.m.lineH
	H := tv.Size().Height
	for _, pp := range tv.placed {
		if pp.para == pi {
			y := pp.y + lineTop
			switch {
			case y < 0:
				tv.scrollBy(y)
			case y+l.m.lineH > H:
				tv.scrollBy(y + l.m.lineH - H)
			}
			return
		}
	}
	tv.topPara, tv.topOff = pi, lineTop-H/2
	tv.normalizeScroll()
	tv.afterScroll()
}

// TypedShortcut handles copy, select all and zoom (Ctrl/Cmd with =, +, -
// and 0); others go to OnShortcut and then to the window.
func (tv *TextView) TypedShortcut(s fyne.Shortcut) {
	switch sc := s.(type) {
	case *fyne.ShortcutCopy:
		if st, en := tv.Selection(); st < en {
			cb := sc.Clipboard
			if a := fyne.CurrentApp(); cb == nil && a != nil {
				cb = a.Clipboard()
			}
			if cb != nil {
				cb.SetContent(tv.SelectedText())
			}
		}
		return
	case *fyne.ShortcutSelectAll:
		tv.SetSelection(0, len(tv.doc.text))
		return
	case *desktop.CustomShortcut:
		if sc.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 &&
			sc.Modifier&fyne.KeyModifierAlt == 0 {
			switch sc.KeyName {
			case fyne.KeyEqual, fyne.KeyPlus:
				tv.SetZoom(tv.zoom * zoomStep)
				return
			case fyne.KeyMinus:
				tv.SetZoom(tv.zoom / zoomStep)
				return
			case fyne.Key0:
				tv.SetZoom(1)
				return
			}
		}
	}
	if tv.OnShortcut != nil && tv.OnShortcut(s) {
		return
	}
	if a := fyne.CurrentApp(); a != nil {
		if c, ok := a.Driver().CanvasForObject(tv).(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
		}
	}
}
