package textview

import (
	"image/color"
	"math"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// maxBands caps the stacked bands drawn where highlights overlap; beyond it
// the last band is a neutral "more" band and the tooltip lists them all.
const maxBands = 4

// textRenderer rebuilds the visible objects every refresh from pools, so a
// frame allocates almost nothing however much text scrolls past.
type textRenderer struct {
	tv      *TextView
	objects []fyne.CanvasObject
	bg      *canvas.Rectangle
	rects   []*canvas.Rectangle
	texts   []*canvas.Text
	nRect   int
	nText   int
	scratch []int
	bounds  []int
}

func (r *textRenderer) Destroy() {}

// IsClip keeps partly visible lines inside the widget.
func (r *textRenderer) IsClip() {}

func (r *textRenderer) MinSize() fyne.Size { return r.tv.MinSize() }

func (r *textRenderer) Layout(fyne.Size) { r.rebuild() }

func (r *textRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *textRenderer) Refresh() {
	r.rebuild()
	canvas.Refresh(r.tv)
}

func (r *textRenderer) rect() *canvas.Rectangle {
	if r.nRect == len(r.rects) {
		r.rects = append(r.rects, &canvas.Rectangle{})
	}
	o := r.rects[r.nRect]
	r.nRect++
	o.StrokeWidth, o.StrokeColor, o.CornerRadius = 0, nil, 0
	r.objects = append(r.objects, o)
	return o
}

func (r *textRenderer) text(s string, c color.Color, size float32) *canvas.Text {
	if r.nText == len(r.texts) {
		r.texts = append(r.texts, &canvas.Text{})
	}
	o := r.texts[r.nText]
	r.nText++
	o.Text, o.Color, o.TextSize = s, c, size
	r.objects = append(r.objects, o)
	return o
}

// palette is the theme colours of one frame.
type palette struct {
	bg, fg, sel, focus, flash, more, tipBg, tipFg, tipBorder color.Color
	dark                                                     bool
}

func (tv *TextView) palette() palette {
	th := tv.Theme()
	v := variant()
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	return palette{
		bg: c(theme.ColorNameInputBackground), fg: c(theme.ColorNameForeground),
		sel: c(theme.ColorNameSelection), focus: c(theme.ColorNameForeground),
		flash: c(theme.ColorNamePrimary), more: withAlpha(c(theme.ColorNameForeground), 0x50),
		tipBg: c(theme.ColorNameOverlayBackground), tipFg: c(theme.ColorNameForeground),
		tipBorder: c(theme.ColorNameInputBorder), dark: isDark(c(theme.ColorNameBackground)),
	}
}

// isDark tells dark themes by their background, which also covers themes
// that ignore the variant.
func isDark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return 299*r+587*g+114*b < 500*0xffff
}

// variant is the app's theme variant (dark when there is no app yet).
func variant() fyne.ThemeVariant {
	if a := fyne.CurrentApp(); a != nil {
		return a.Settings().ThemeVariant()
	}
	return theme.VariantDark
}

// withAlpha returns c (straight colour) at alpha a.
func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// bandColor makes a host colour translucent enough to keep text readable.
func bandColor(c color.Color, p palette) color.Color {
	if c == nil {
		c = theme.Color(theme.ColorNamePrimary)
	}
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	if n.A == 0xff {
		n.A = 0x70
		if p.dark {
			n.A = 0x90
		}
	}
	return n
}

// checkLayout invalidates cached layouts when the text column width, text
// size or font changed, keeping the scroll anchored on the top paragraph.
func (tv *TextView) checkLayout() {
	th := tv.Theme()
	size := th.Size(theme.SizeNameText) * tv.zoom
	fontID := ""
	if f := th.Font(fyne.TextStyle{}); f != nil {
		fontID = f.Name()
	}
	width := tv.textWidth()
	l := &tv.lay
	if !l.m.measured || l.m.size != size || l.m.fontID != fontID {
		l.m.reset(size, fontID, th.Size(theme.SizeNameLineSpacing)*tv.zoom)
		l.gen++
		l.idx = heightIndex{}
	}
	if l.width != width {
		l.width = width
		l.gen++
		l.idx = heightIndex{}
	}
	if l.idx.tree == nil {
		oldH := float32(0)
		if tv.topPara < len(tv.doc.paras) {
			if p := tv.doc.paras[tv.topPara].lay; p != nil {
				oldH = p.height
			}
		}
		l.ensureIndex(&tv.doc)
		if tv.topPara < len(tv.doc.paras) && oldH > 0 {
			// Keep the same fraction of the anchor paragraph scrolled off.
			nh := l.layout(&tv.doc, tv.topPara).height
			tv.topOff = tv.topOff * nh / oldH
		}
	}
}

// pad is the inner margin around the text column.
func (tv *TextView) pad() float32 { return tv.Theme().Size(theme.SizeNameInnerPadding) }

func (tv *TextView) textWidth() float32 {
	w := tv.Size().Width - 2*tv.pad() - scrollBarWidth
	return float32(math.Max(float64(w), 1))
}

// normalizeScroll keeps topOff inside the top paragraph and the view filled
// at the end of the document.
func (tv *TextView) normalizeScroll() {
	d, l := &tv.doc, &tv.lay
	if len(d.paras) == 0 {
		tv.topPara, tv.topOff = 0, 0
		return
	}
	tv.topPara = clampInt(tv.topPara, 0, len(d.paras)-1)
	for tv.topOff < 0 && tv.topPara > 0 {
		tv.topPara--
		tv.topOff += l.layout(d, tv.topPara).height
	}
	if tv.topOff < 0 {
		tv.topOff = 0
	}
	for tv.topPara < len(d.paras)-1 {
		h := l.layout(d, tv.topPara).height
		if tv.topOff < h {
			break
		}
		tv.topOff -= h
		tv.topPara++
	}
	// Do not scroll past the end: the last paragraph's bottom stays at the
	// bottom of the view.
	H := tv.Size().Height - tv.pad()
	y := -tv.topOff
	for p := tv.topPara; p < len(d.paras) && y < H; p++ {
		y += l.layout(d, p).height
	}
	if y < H {
		deficit := H - y
		for deficit > 0 && (tv.topPara > 0 || tv.topOff > 0) {
			if tv.topOff >= deficit {
				tv.topOff -= deficit
				break
			}
			deficit -= tv.topOff
			tv.topOff = 0
			if tv.topPara == 0 {
				break
			}
			tv.topPara--
			tv.topOff = l.layout(d, tv.topPara).height
		}
	}
}

// scrollY returns the absolute scroll position (estimated above the anchor).
func (tv *TextView) scrollY() float64 {
	return tv.lay.idx.prefix(tv.topPara) + float64(tv.topOff)
}

func (r *textRenderer) rebuild() {
	tv := r.tv
	size := tv.Size()
	r.objects = r.objects[:0]
	r.nRect, r.nText = 0, 0
	tv.placed = tv.placed[:0]
	p := tv.palette()
	if r.bg == nil {
		r.bg = &canvas.Rectangle{}
	}
	r.bg.FillColor = p.bg
	r.bg.Resize(size)
	r.bg.Move(fyne.Position{})
	r.objects = append(r.objects, r.bg)
	if size.Width < 1 || size.Height < 1 {
		return
	}
	tv.checkLayout()
	tv.normalizeScroll()
	d, l := &tv.doc, &tv.lay
	m := &l.m
	tv.lineHeight = m.lineH
	pad := tv.pad()

	// Place visible paragraphs.
	tv.placed = tv.placed[:0]
	y := pad - tv.topOff
	for pi := tv.topPara; pi < len(d.paras) && y < size.Height; pi++ {
		pl := l.layout(d, pi)
		tv.placed = append(tv.placed, placedPara{para: pi, y: y})
		y += pl.height
	}

	selS, selE := tv.Selection()
	// Backgrounds: highlight bands, then selection, then flash.
	for _, pp := range tv.placed {
		para := &d.paras[pp.para]
		pl := para.lay
		r.scratch = tv.hl.overlapping(r.scratch[:0], para.start, max(para.end, para.start+1))
		for li, ln := range pl.lines {
			ly := pp.y + float32(li)*m.lineH
			if ly+m.lineH < 0 || ly > size.Height {
				continue
			}
			ls, le := para.start+ln.start, para.start+ln.end
			if ln.end == ln.start {
				le = ls + 1 // empty line: still show highlights spanning it
			}
			if len(r.scratch) > 0 {
				r.drawBands(pl, li, para.start, ls, le, ly, pad, p)
			}
			if selS < selE && selS < max(le, ls+1) && selE > ls {
				x0 := tv.xFor(pl, li, para.start, max(selS, ls), pad)
				x1 := tv.xFor(pl, li, para.start, min(selE, le), pad)
				if selE > para.start+ln.end || ln.end == ln.start { // selection runs on: show the line break
					x1 = max(x1, x0+m.spaceW/2)
				}
				o := r.rect()
				o.FillColor = p.sel
				o.Move(fyne.NewPos(x0, ly))
				o.Resize(fyne.NewSize(x1-x0, m.lineH))
			}
			if f := &tv.flash; f.active && f.alpha > 0 && f.start <= max(le-1, ls) && f.end >= ls {
				x0 := tv.xFor(pl, li, para.start, max(f.start, ls), pad)
				x1 := tv.xFor(pl, li, para.start, min(f.end, le), pad)
				if f.start == f.end {
					x0, x1 = pad, pad+ln.width
				}
				o := r.rect()
				o.FillColor = withAlpha(p.flash, uint8(float32(0x90)*f.alpha))
				o.Move(fyne.NewPos(x0-2, ly))
				o.Resize(fyne.NewSize(x1-x0+4, m.lineH))
			}
		}
	}

	// Text, one canvas.Text per line piece between tabs.
	textY := (m.lineH - m.textH) / 2
	for _, pp := range tv.placed {
		para := &d.paras[pp.para]
		pl := para.lay
		rs := d.text[para.start:para.end]
		for li, ln := range pl.lines {
			ly := pp.y + float32(li)*m.lineH
			if ly+m.lineH < 0 || ly > size.Height || ln.visEnd == ln.start {
				continue
			}
			a := ln.start
			for a < ln.visEnd {
				b := a
				for b < ln.visEnd && rs[b] != '\t' {
					b++
				}
				if b > a {
					t := r.text(string(rs[a:b]), p.fg, m.size)
					t.Move(fyne.NewPos(pad+pl.x(li, a), ly+textY))
					t.Resize(fyne.NewSize(pl.x(li, b)-pl.x(li, a), m.textH))
				}
				a = b + 1
			}
		}
	}

	// Outline of the focused annotation.
	if idx := tv.hl.byID[tv.focusedID]; tv.focusedID != "" && len(idx) > 0 {
		for _, pp := range tv.placed {
			para := &d.paras[pp.para]
			pl := para.lay
			for _, hi := range idx {
				h := tv.hl.hs[hi]
				if h.End <= para.start || h.Start > para.end {
					continue
				}
				for li, ln := range pl.lines {
					ls, le := para.start+ln.start, para.start+ln.end
					if h.End <= ls || h.Start >= max(le, ls+1) {
						continue
					}
					ly := pp.y + float32(li)*m.lineH
					x0 := tv.xFor(pl, li, para.start, max(h.Start, ls), pad)
					x1 := tv.xFor(pl, li, para.start, min(h.End, para.start+ln.visEnd), pad)
					o := r.rect()
					o.FillColor = color.Transparent
					o.StrokeColor = p.focus
					o.StrokeWidth = 2
					o.CornerRadius = 3
					o.Move(fyne.NewPos(x0-2, ly))
					o.Resize(fyne.NewSize(max(x1-x0, 2)+4, m.lineH))
				}
			}
		}
	}

	r.layoutScrollBar(size)
	r.drawTooltip(size, p)
}

// xFor returns the widget x of document offset off on line li.
func (tv *TextView) xFor(pl *paraLayout, li, paraStart, off int, pad float32) float32 {
	x := pl.x(li, off-paraStart)
	return pad + min(x, tv.lay.width)
}

// drawBands draws the highlight backgrounds of one line: where highlights
// overlap, the line height is split into stacked bands, one per highlight,
// so every overlapping highlight stays visible.
func (r *textRenderer) drawBands(pl *paraLayout, li, paraStart, ls, le int, ly, pad float32, p palette) {
	tv := r.tv
	hs := &tv.hl
	lineH := tv.lay.m.lineH
	r.bounds = r.bounds[:0]
	var cover []int
	for _, i := range r.scratch {
		h := hs.hs[i]
		if h.End <= ls || h.Start >= le {
			continue
		}
		cover = append(cover, i)
		r.bounds = append(r.bounds, max(h.Start, ls), min(h.End, le))
	}
	if len(cover) == 0 {
		return
	}
	sort.Ints(r.bounds)
	var set []int
	for k := 0; k+1 < len(r.bounds); k++ {
		a, b := r.bounds[k], r.bounds[k+1]
		if a == b {
			continue
		}
		set = set[:0]
		for _, i := range cover {
			if h := hs.hs[i]; h.Start <= a && h.End >= b {
				set = append(set, i)
			}
		}
		if len(set) == 0 {
			continue
		}
		sort.Slice(set, func(x, y int) bool { return hs.lane[set[x]] < hs.lane[set[y]] })
		x0 := tv.xFor(pl, li, paraStart, a, pad)
		x1 := tv.xFor(pl, li, paraStart, b, pad)
		if b >= le && le == paraStart+pl.lines[li].end && x1-x0 < 1 {
			x1 = x0 + tv.lay.m.spaceW/2
		}
		n := min(len(set), maxBands)
		bandH := lineH / float32(n)
		for k := 0; k < n; k++ {
			o := r.rect()
			if k == maxBands-1 && len(set) > maxBands {
				o.FillColor = p.more
			} else {
				o.FillColor = bandColor(hs.hs[set[k]].Color, p)
			}
			o.Move(fyne.NewPos(x0, ly+float32(k)*bandH))
			o.Resize(fyne.NewSize(x1-x0, bandH))
		}
	}
}

// drawTooltip draws the hover tooltip inside the widget, near the mouse.
func (r *textRenderer) drawTooltip(size fyne.Size, p palette) {
	tv := r.tv
	if !tv.hover.showing || tv.hover.tip == "" {
		return
	}
	lines := strings.Split(tv.hover.tip, "\n")
	th := tv.Theme()
	ts := th.Size(theme.SizeNameCaptionText) * max(tv.zoom, 1)
	padT := th.Size(theme.SizeNameInnerPadding) / 2
	var w, h float32
	lh := float32(0)
	for _, s := range lines {
		sz := fyne.MeasureText(s, ts, fyne.TextStyle{})
		w = max(w, sz.Width)
		lh = sz.Height
	}
	h = lh * float32(len(lines))
	boxW, boxH := w+2*padT, h+2*padT
	pos := tv.hover.pos.Add(fyne.NewPos(12, 18))
	if pos.X+boxW > size.Width {
		pos.X = max(0, size.Width-boxW)
	}
	if pos.Y+boxH > size.Height {
		pos.Y = max(0, tv.hover.pos.Y-boxH-6)
	}
	box := r.rect()
	box.FillColor = p.tipBg
	box.StrokeColor = p.tipBorder
	box.StrokeWidth = 1
	box.CornerRadius = 4
	box.Move(pos)
	box.Resize(fyne.NewSize(boxW, boxH))
	for i, s := range lines {
		t := r.text(s, p.tipFg, ts)
		t.Move(pos.Add(fyne.NewPos(padT, padT+float32(i)*lh)))
		t.Resize(fyne.NewSize(w, lh))
	}
}

func (r *textRenderer) layoutScrollBar(size fyne.Size) {
	sb := r.tv.scroll
	sb.Move(fyne.NewPos(size.Width-scrollBarWidth, 0))
	sb.Resize(fyne.NewSize(scrollBarWidth, size.Height))
	sb.Refresh()
	r.objects = append(r.objects, sb)
}
