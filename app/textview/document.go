package textview

import (
	"sort"
	"unicode"
)

// document holds the text as code points split into paragraphs.
type document struct {
	text  []rune
	paras []paragraph
}

// paragraph is the content [start, end) of one paragraph; its terminator
// (\n, \r\n, \r, U+0085 or U+2029) follows end and belongs to no paragraph.
//
// Paragraphs longer than maxChunk are split into chunks (cont set on all but
// the last), so that a text without line breaks still lays out only what
// is near the viewport.
type paragraph struct {
	start, end int
	wide       int  // East Asian wide code points, for height estimates
	cont       bool // the next paragraph continues this one (a chunk)
	lay        *paraLayout
}

// maxChunk bounds the code points laid out as one unit.
const maxChunk = 3000

func (d *document) set(s string) {
	text := []rune(s) // the runtime's decoder is the fastest way in
	// About one paragraph per 70 code points in news text.
	paras := make([]paragraph, 0, len(text)/64+1)
	start, wide := 0, 0
	for i := 0; i < len(text); i++ {
		if i-start >= maxChunk {
			cut := chunkCut(text, start, i)
			w := 0
			for _, r := range text[cut:i] {
				if isWide(r) {
					w++
				}
			}
			paras = append(paras, paragraph{start: start, end: cut, wide: wide - w, cont: true})
			start, wide = cut, w
		}
		r := text[i]
		if r < 0x1100 {
			switch r {
			case '\n', '\r', 0x85:
				paras = append(paras, paragraph{start: start, end: i, wide: wide})
				if r == '\r' && i+1 < len(text) && text[i+1] == '\n' {
					i++ // \r\n ends one paragraph
				}
				start, wide = i+1, 0
			}
			continue
		}
		if r == 0x2029 {
			paras = append(paras, paragraph{start: start, end: i, wide: wide})
			start, wide = i+1, 0
		} else if isWide(r) {
			wide++
		}
	}
	paras = append(paras, paragraph{start: start, end: len(text), wide: wide})
	d.text, d.paras = text, paras
}

// chunkCut picks where to split an over-long paragraph before end: after a
// sentence end or a space in the last quarter, else at a character that
// cannot continue a grapheme.
func chunkCut(text []rune, start, end int) int {
	floor := end - (end-start)/4
	for i := end - 1; i > floor; i-- {
		switch text[i-1] {
		case '。', '！', '？', '.', '!', '?', ';', '；':
			if text[i] == ' ' || isWide(text[i]) {
				return i
			}
		}
	}
	for i := end - 1; i > floor; i-- {
		if text[i-1] == ' ' && text[i] != ' ' {
			return i
		}
	}
	i := end
	for i > start+1 && extendsGrapheme(text[i]) {
		i--
	}
	return i
}

// extendsGrapheme reports code points that attach to the one before.
func extendsGrapheme(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) || r == 0x200D ||
		(r >= 0xFE00 && r <= 0xFE0F) || (r >= 0x1F3FB && r <= 0x1F3FF) ||
		(r >= 0x1F1E6 && r <= 0x1F1FF) || (r >= 0xE0020 && r <= 0xE007F) ||
		(r >= 0xDC00 && r <= 0xDFFF)
}

// paraAt returns the paragraph containing offset; a terminator belongs to
// the paragraph it ends.
func (d *document) paraAt(offset int) int {
	i := sort.Search(len(d.paras), func(i int) bool { return d.paras[i].start > offset })
	return max(i-1, 0)
}

// isWide reports East Asian wide and fullwidth code points (CJK, kana,
// hangul, fullwidth forms), which take about one em.
func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r >= 0x1F300 && r <= 0x1F64F, r >= 0x1F900 && r <= 0x1F9FF,
		r >= 0x20000 && r <= 0x3FFFD:
		return true
	}
	return false
}

// heightIndex is a Fenwick tree over paragraph heights, so the scroll bar
// can map a pixel position to a paragraph in O(log n) while heights are
// refined one paragraph at a time.
type heightIndex struct {
	h    []float64 // current height of each paragraph
	tree []float64 // 1-based Fenwick tree
}

func (x *heightIndex) reset(heights []float64) {
	x.h = heights
	x.tree = make([]float64, len(heights)+1)
	for i, v := range heights {
		x.tree[i+1] += v
		if j := (i + 1) + ((i + 1) & -(i + 1)); j <= len(heights) {
			x.tree[j] += x.tree[i+1]
		}
	}
}

func (x *heightIndex) set(i int, v float64) {
	d := v - x.h[i]
	if d == 0 {
		return
	}
	x.h[i] = v
	for j := i + 1; j < len(x.tree); j += j & -j {
		x.tree[j] += d
	}
}

// prefix returns the sum of heights of paragraphs [0, i).
func (x *heightIndex) prefix(i int) float64 {
	s := 0.0
	for j := i; j > 0; j -= j & -j {
		s += x.tree[j]
	}
	return s
}

func (x *heightIndex) total() float64 { return x.prefix(len(x.h)) }

// find returns the paragraph containing y (clamped to the last one).
func (x *heightIndex) find(y float64) int {
	n := len(x.h)
	if n == 0 {
		return 0
	}
	pos := 0
	step := 1
	for step*2 <= n {
		step *= 2
	}
	for ; step > 0; step /= 2 {
		if next := pos + step; next <= n && x.tree[next] <= y {
			pos = next
			y -= x.tree[next]
		}
	}
	if pos >= n {
		return n - 1
	}
	return pos
}

// logicalPara returns the whole paragraph around chunk pi.
func (d *document) logicalPara(pi int) (start, end int) {
	a, b := pi, pi
	for a > 0 && d.paras[a-1].cont {
		a--
	}
	for b < len(d.paras)-1 && d.paras[b].cont {
		b++
	}
	return d.paras[a].start, d.paras[b].end
}
