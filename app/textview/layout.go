package textview

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"github.com/go-text/typesetting/segmenter"
)

// measurer caches text widths for one text size and font. Fyne draws a
// canvas.Text by shaping it whole; the sum of the shaped widths of its
// UAX #14 segments (word plus trailing space, or one ideograph) matches that
// to a fraction of a pixel, while a sum of per-character widths drifts by
// kerning. So segments are measured whole and characters inside a segment
// are placed proportionally.
type measurer struct {
	size     float32
	style    fyne.TextStyle
	fontID   string
	graphW   map[string]float32 // multi-rune graphemes
	runeW    map[rune]float32
	segW     map[string]float32
	textH    float32 // height of a canvas.Text line
	lineH    float32 // line pitch
	paraGap  float32
	spaceW   float32
	tabW     float32
	emW      float32 // width of an ideograph, for estimates
	narrowW  float32 // average width of Latin text, for estimates
	measured bool
}

func (m *measurer) reset(size float32, fontID string, lineSpacing float32) {
	*m = measurer{size: size, fontID: fontID,
		graphW: map[string]float32{}, runeW: map[rune]float32{}, segW: map[string]float32{}}
	sz := fyne.MeasureText("M", size, m.style)
	m.textH = sz.Height
	m.lineH = float32(math.Ceil(float64(sz.Height + lineSpacing)))
	m.paraGap = float32(math.Round(float64(m.lineH) * 0.45))
	m.spaceW = fyne.MeasureText(" ", size, m.style).Width
	m.tabW = 4 * m.spaceW
	m.emW = fyne.MeasureText("中", size, m.style).Width
	const sample = "the quick brown fox jumps over the lazy dog, said U.S. officials on May 13 "
	m.narrowW = fyne.MeasureText(sample, size, m.style).Width / float32(len(sample))
	m.measured = true
}

func (m *measurer) rune(r rune) float32 {
	if w, ok := m.runeW[r]; ok {
		return w
	}
	var w float32
	switch {
	case r == '\t':
		w = m.tabW
	case isBreakChar(r):
		w = 0
	default:
		w = fyne.MeasureText(string(r), m.size, m.style).Width
	}
	m.runeW[r] = w
	return w
}

func (m *measurer) grapheme(g []rune) float32 {
	if len(g) == 1 {
		return m.rune(g[0])
	}
	k := string(g)
	if w, ok := m.graphW[k]; ok {
		return w
	}
	w := fyne.MeasureText(k, m.size, m.style).Width
	m.graphW[k] = w
	return w
}

// segment measures text that has no tab or break character.
func (m *measurer) segment(s []rune) float32 {
	if len(s) == 1 {
		return m.rune(s[0])
	}
	k := string(s)
	if w, ok := m.segW[k]; ok {
		return w
	}
	w := fyne.MeasureText(k, m.size, m.style).Width
	if len(m.segW) > 200000 { // bound memory on huge documents
		clear(m.segW)
	}
	m.segW[k] = w
	return w
}

// isBreakChar reports characters that end a line or paragraph and are not
// drawn.
func isBreakChar(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// layoutState is the cache of paragraph layouts. It is invalidated (gen
// bumped) when width, text size or font change.
type layoutState struct {
	gen      int
	width    float32 // text column width the layouts were made for
	m        measurer
	idx      heightIndex
	seg      segmenter.Segmenter
	segX     []float32
	graphs   []int
	nLaidOut int
}

func (l *layoutState) invalidateAll() {
	l.gen++
	l.idx = heightIndex{}
	l.nLaidOut = 0
}

// line is one visual line of a paragraph, in paragraph-relative code points.
type line struct {
	start, end int     // [start, end) including trailing spaces
	visEnd     int     // end without trailing white space and breaks
	width      float32 // x of visEnd: the inked width
	endX       float32 // x of end, trailing spaces included
}

// paraLayout is one laid-out paragraph.
type paraLayout struct {
	gen    int
	lines  []line
	xs     []float32 // x of each code point's left edge, relative to its line start
	gb     []uint64  // bit i set: a grapheme boundary is before code point i
	height float32
}

func (p *paraLayout) isBoundary(i int) bool { return p.gb[i>>6]&(1<<(uint(i)&63)) != 0 }

// lineOf returns the line index containing paragraph offset i (an offset at
// a line break belongs to the following line).
func (p *paraLayout) lineOf(i int) int {
	lo, hi := 0, len(p.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if p.lines[mid].start <= i {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// x returns the x of paragraph offset i on line li, clamped to the line.
func (p *paraLayout) x(li, i int) float32 {
	ln := p.lines[li]
	switch {
	case i <= ln.start:
		return 0
	case i >= ln.end:
		return ln.endX
	}
	return p.xs[i]
}

// estimate returns the estimated height of a paragraph not yet laid out.
func (l *layoutState) estimate(p *paragraph) float64 {
	m := &l.m
	n := p.end - p.start
	w := float64(p.wide)*float64(m.emW) + float64(n-p.wide)*float64(m.narrowW)
	lines := 1.0
	if l.width > 0 && w > float64(l.width) {
		// Wrapping wastes part of each line; 0.93 is typical for news text.
		lines = math.Ceil(w / (float64(l.width) * 0.93))
	}
	if p.cont {
		return lines * float64(m.lineH)
	}
	return lines*float64(m.lineH) + float64(m.paraGap)
}

// ensureIndex builds the height index from estimates if needed.
func (l *layoutState) ensureIndex(d *document) {
	if len(l.idx.h) == len(d.paras) && l.idx.tree != nil {
		return
	}
	hs := make([]float64, len(d.paras))
	for i := range d.paras {
		p := &d.paras[i]
		if p.lay != nil && p.lay.gen == l.gen {
			hs[i] = float64(p.lay.height)
		} else {
			hs[i] = l.estimate(p)
		}
	}
	l.idx.reset(hs)
}

// layout returns the layout of paragraph pi, computing it if stale.
func (l *layoutState) layout(d *document, pi int) *paraLayout {
	p := &d.paras[pi]
	if p.lay != nil && p.lay.gen == l.gen {
		return p.lay
	}
	pl := p.lay
	if pl == nil {
		pl = &paraLayout{}
		p.lay = pl
	}
	l.layoutPara(d.text[p.start:p.end], pl)
	if p.cont {
		pl.height -= l.m.paraGap
	}
	pl.gen = l.gen
	l.nLaidOut++
	if len(l.idx.h) > pi {
		l.idx.set(pi, float64(pl.height))
	}
	return pl
}

// layoutPara wraps rs into lines no wider than l.width.
func (l *layoutState) layoutPara(rs []rune, pl *paraLayout) {
	m := &l.m
	n := len(rs)
	pl.lines = pl.lines[:0]
	pl.xs = append(pl.xs[:0], make([]float32, n+1)...)
	pl.gb = append(pl.gb[:0], make([]uint64, (n+1+63)/64)...)
	if n == 0 {
		pl.gb[0] = 1
		pl.lines = append(pl.lines, line{})
		pl.height = m.lineH + m.paraGap
		return
	}
	l.seg.Init(rs)

	// Grapheme boundaries and widths.
	l.graphs = l.graphs[:0]
	gi := l.seg.GraphemeIterator()
	for gi.Next() {
		g := gi.Grapheme()
		pl.gb[g.Offset>>6] |= 1 << (uint(g.Offset) & 63)
		l.graphs = append(l.graphs, g.Offset)
	}
	pl.gb[n>>6] |= 1 << (uint(n) & 63)
	l.graphs = append(l.graphs, n)

	avail := l.width
	if avail < m.emW {
		avail = m.emW
	}
	lineStart, x := 0, float32(0)
	emit := func(end int, endX float32) {
		visEnd := end
		for visEnd > lineStart && (unicode.IsSpace(rs[visEnd-1]) || isBreakChar(rs[visEnd-1])) {
			visEnd--
		}
		width := endX
		if visEnd < end {
			width = pl.xs[visEnd]
		}
		pl.lines = append(pl.lines, line{start: lineStart, end: end, visEnd: visEnd, width: width, endX: endX})
		lineStart, x = end, 0
	}

	li := l.seg.LineIterator()
	gIdx := 0 // index into l.graphs of the first grapheme at or after the segment
	for li.Next() {
		sl := li.Line()
		a, b := sl.Offset, sl.Offset+len(sl.Text)
		for gIdx < len(l.graphs) && l.graphs[gIdx] < a {
			gIdx++
		}
		w := l.measureSegment(rs, a, b, gIdx)
		// Trailing spaces may hang past the margin.
		visB := b
		for visB > a && (unicode.IsSpace(rs[visB-1]) || isBreakChar(rs[visB-1])) {
			visB--
		}
		wVis := w
		if visB < b {
			wVis = l.segX[visB-a]
		}
		if x+wVis > avail && lineStart < a {
			emit(a, x)
		}
		if wVis > avail && x == 0 {
			// Emergency break inside an over-long segment at grapheme
			// boundaries, keeping closing punctuation off line starts.
			base := float32(0)
			cut := a
			for g := gIdx; g < len(l.graphs) && l.graphs[g] < b; g++ {
				gs := l.graphs[g]
				ge := min(l.graphs[g+1], b)
				if l.segX[ge-a]-base > avail && gs > cut {
					brk := gs
					for nb := prevBoundary(pl, brk, cut); nb > cut && noLineStart(rs[brk]); nb = prevBoundary(pl, brk, cut) {
						brk = nb
					}
					for nb := prevBoundary(pl, brk, cut); nb > cut && noLineEnd(rs[brk-1]); nb = prevBoundary(pl, brk, cut) {
						brk = nb
					}
					for i := cut; i < brk; i++ {
						pl.xs[i] = l.segX[i-a] - base
					}
					emit(brk, l.segX[brk-a]-base)
					base = l.segX[brk-a]
					cut = brk
				}
			}
			for i := cut; i < b; i++ {
				pl.xs[i] = l.segX[i-a] - base
			}
			x = w - base
		} else {
			for i := a; i < b; i++ {
				pl.xs[i] = x + l.segX[i-a]
			}
			x += w
		}
		if sl.IsMandatoryBreak && b < n {
			emit(b, x)
		}
	}
	if lineStart < n || len(pl.lines) == 0 {
		emit(n, x)
	}
	for li := range pl.lines {
		l.verifyLine(rs, pl, li)
	}
	pl.xs[n] = pl.lines[len(pl.lines)-1].endX
	pl.height = float32(len(pl.lines))*m.lineH + m.paraGap
}

// verifyLine measures the line as Fyne will draw it. Font fallback can
// depend on context (a rare ideograph shaped with its neighbours' font), so
// where the whole line differs from the sum of its segments the positions
// are re-measured as prefixes of the line, which is what is drawn.
func (l *layoutState) verifyLine(rs []rune, pl *paraLayout, li int) {
	ln := &pl.lines[li]
	if ln.visEnd <= ln.start || slices.Contains(rs[ln.start:ln.visEnd], '\t') {
		return
	}
	m := &l.m
	w := fyne.MeasureText(string(rs[ln.start:ln.visEnd]), m.size, m.style).Width
	if d := w - ln.width; d > -0.75 && d < 0.75 {
		return
	}
	x := float32(0)
	for i := ln.start + 1; i < ln.visEnd; i++ {
		if pl.isBoundary(i) {
			x = fyne.MeasureText(string(rs[ln.start:i]), m.size, m.style).Width
		}
		pl.xs[i] = x
	}
	shift := w - ln.width
	for i := ln.visEnd; i < ln.end; i++ {
		pl.xs[i] += shift
	}
	ln.width = w
	ln.endX += shift
}

// prevBoundary returns the grapheme boundary before i, not below floor.
func prevBoundary(pl *paraLayout, i, floor int) int {
	for i--; i > floor; i-- {
		if pl.isBoundary(i) {
			return i
		}
	}
	return floor
}

// measureSegment measures rs[a:b] and fills l.segX[0..b-a] with the x of
// each code point relative to a (graphemes placed proportionally to their
// own widths so the segment's shaped width is matched exactly).
func (l *layoutState) measureSegment(rs []rune, a, b, gIdx int) float32 {
	m := &l.m
	l.segX = append(l.segX[:0], make([]float32, b-a+1)...)
	// Sum of grapheme widths, per piece between tabs.
	var total float32
	pieceStart := a
	pieceSum := float32(0)
	pieceX0 := float32(0)
	flush := func(end int) {
		if end <= pieceStart {
			return
		}
		w := pieceSum
		if end-pieceStart > 1 && !hasBreakChar(rs[pieceStart:end]) {
			w = m.segment(rs[pieceStart:end])
		}
		scale := float32(1)
		if pieceSum > 0 {
			scale = w / pieceSum
		}
		for i := pieceStart; i < end; i++ {
			l.segX[i-a] = pieceX0 + (l.segX[i-a]-pieceX0)*scale
		}
		total = pieceX0 + w
	}
	x := float32(0)
	g := gIdx
	for i := a; i < b; {
		next := b
		if g+1 < len(l.graphs) {
			next = min(l.graphs[g+1], b)
		}
		if next <= i {
			next = i + 1
		}
		if rs[i] == '\t' {
			flush(i)
			l.segX[i-a] = total
			x = total + m.tabW
			total = x
			pieceStart, pieceSum, pieceX0 = i+1, 0, x
			i++
			g++
			continue
		}
		gw := m.grapheme(rs[i:next])
		for k := i; k < next; k++ {
			l.segX[k-a] = x
		}
		x += gw
		pieceSum += gw
		i = next
		g++
	}
	flush(b)
	if pieceStart >= b {
		total = x
	}
	l.segX[b-a] = total
	return total
}

func hasBreakChar(rs []rune) bool {
	for _, r := range rs {
		if isBreakChar(r) {
			return true
		}
	}
	return false
}

// noLineStart reports closing punctuation and other characters a line must
// not start with (UAX #14 classes CL, CP, EX, IS, NS); used only for
// emergency breaks, which UAX #14 does not cover.
func noLineStart(r rune) bool {
	return strings.ContainsRune("，。、：；！？）」』】〕〉》〗〙〛｝］”’・ー々〻…‥,.;:!?)]}%‰℃°", r)
}

// noLineEnd reports opening punctuation a line must not end with.
func noLineEnd(r rune) bool {
	return strings.ContainsRune("（「『【〔〈《〖〘〚｛［“‘([{$£¥€", r)
}
