package anchor

import (
	"slices"
	"sort"
)

// seg is a run the diff found unchanged: old[a:a+n] equals new[b:b+n].
type seg struct{ a, b, n int }

// Diff limits. A full O(ND) Myers diff of two 2 MB texts is far too slow
// (N·D is ~10¹⁰ after a 1 % edit), so large ranges are first cut at
// k-grams that occur exactly once on each side (patience diff), and Myers
// only aligns the small gaps between them.
const (
	myersMaxLen = 4000 // a gap up to this many code points (both sides) gets Myers
	myersMaxD   = 600  // ... unless it needs more edits than this
	anchorK     = 12   // k-gram length for unique anchors
)

// diffRunes returns the unchanged runs of a → b in increasing order.
func diffRunes(a, b []rune) []seg {
	d := differ{a: a, b: b, large: len(a)+len(b) > 1<<16}
	d.rng(0, len(a), 0, len(b), 0)
	slices.SortFunc(d.out, func(x, y seg) int { return x.a - y.a })
	d.moves()
	return d.out
}

// moveK is the k-gram length that finds moved text.
const moveK = 10

// moves finds text the ordered diff left unmatched on both sides because
// it moved (a sentence or paragraph elsewhere): k-grams that occur once in
// what is unmatched on each side anchor a run, grown both ways. The runs
// are added out of order, so a moved passage maps straight to its new
// place.
func (d *differ) moves() {
	freeA := free(d.out, len(d.a), func(g seg) (int, int) { return g.a, g.n })
	bySide := append([]seg(nil), d.out...)
	slices.SortFunc(bySide, func(x, y seg) int { return x.b - y.b })
	freeB := free(bySide, len(d.b), func(g seg) (int, int) { return g.b, g.n })
	if len(freeA) == 0 || len(freeB) == 0 {
		return
	}
	type occ struct{ at, n int }
	// k-grams are keyed by a rolling hash (a collision only loses an
	// anchor: pairs are compared before use).
	const mul = 1099511628211
	var pow uint64 = 1
	for i := 0; i < moveK-1; i++ {
		pow *= mul
	}
	hashes := func(rs []rune, sp [2]int, f func(i int, h uint64)) {
		var h uint64
		for i := sp[0]; i < sp[1]; i++ {
			if i-sp[0] >= moveK {
				h -= uint64(rs[i-moveK]) * pow
			}
			h = h*mul + uint64(rs[i])
			if i-sp[0] >= moveK-1 {
				f(i-moveK+1, h)
			}
		}
	}
	index := func(rs []rune, spans [][2]int) map[uint64]occ {
		n := 0
		for _, sp := range spans {
			n += sp[1] - sp[0]
		}
		m := make(map[uint64]occ, n)
		for _, sp := range spans {
			hashes(rs, sp, func(i int, h uint64) {
				o, ok := m[h]
				if !ok {
					o.at = i
				}
				o.n++
				m[h] = o
			})
		}
		return m
	}
	ia, ib := index(d.a, freeA), index(d.b, freeB)
	usedA := make([]bool, len(d.a))
	usedB := make([]bool, len(d.b))
	inFree := func(spans [][2]int, p int) (int, int, bool) {
		i := sort.Search(len(spans), func(i int) bool { return spans[i][1] > p })
		if i < len(spans) && spans[i][0] <= p {
			return spans[i][0], spans[i][1], true
		}
		return 0, 0, false
	}
	var added []seg
	for _, sp := range freeA {
		hashes(d.a, sp, func(i int, key uint64) {
			if usedA[i] {
				return
			}
			oa, oka := ia[key]
			ob, okb := ib[key]
			if !oka || !okb || oa.n != 1 || ob.n != 1 || usedB[ob.at] || !equalRunes(d.a[i:i+moveK], d.b[ob.at:ob.at+moveK]) {
				return
			}
			j := ob.at
			a0, a1, _ := inFree(freeA, i)
			b0, b1, ok := inFree(freeB, j)
			if !ok {
				return
			}
			s, e := 0, moveK
			for i-s-1 >= a0 && j-s-1 >= b0 && !usedA[i-s-1] && !usedB[j-s-1] && d.a[i-s-1] == d.b[j-s-1] {
				s++
			}
			for i+e < a1 && j+e < b1 && !usedA[i+e] && !usedB[j+e] && d.a[i+e] == d.b[j+e] {
				e++
			}
			for k := -s; k < e; k++ {
				usedA[i+k], usedB[j+k] = true, true
			}
			added = append(added, seg{i - s, j - s, s + e})
		})
	}
	if len(added) > 0 {
		d.out = append(d.out, added...)
		slices.SortFunc(d.out, func(x, y seg) int { return x.a - y.a })
	}
}

// free lists the ranges of [0,n) no run covers; runs sorted by that side.
func free(runs []seg, n int, at func(seg) (int, int)) [][2]int {
	var out [][2]int
	p := 0
	for _, g := range runs {
		s, l := at(g)
		if s > p {
			out = append(out, [2]int{p, s})
		}
		p = max(p, s+l)
	}
	if p < n {
		out = append(out, [2]int{p, n})
	}
	return out
}

type differ struct {
	a, b  []rune
	out   []seg
	large bool  // a megabyte-scale diff: see rng
	trace []int // Myers' scratch, reused by every gap
	v     []int
}

func (d *differ) add(a, b, n int) {
	if n > 0 {
		d.out = append(d.out, seg{a, b, n})
	}
}

func (d *differ) rng(a0, a1, b0, b1, depth int) {
	p := 0
	for a0+p < a1 && b0+p < b1 && d.a[a0+p] == d.b[b0+p] {
		p++
	}
	d.add(a0, b0, p)
	a0, b0 = a0+p, b0+p
	s := 0
	for a1-s > a0 && b1-s > b0 && d.a[a1-s-1] == d.b[b1-s-1] {
		s++
	}
	d.add(a1-s, b1-s, s)
	a1, b1 = a1-s, b1-s
	if a0 == a1 || b0 == b1 {
		return
	}
	small := (a1-a0)+(b1-b0) <= myersMaxLen
	tryMyers := func(maxD int) bool {
		segs, ok := myers(d.a[a0:a1], d.b[b0:b1], maxD, &d.trace, &d.v)
		for _, g := range segs {
			d.add(a0+g.a, b0+g.b, g.n)
		}
		return ok
	}
	// Myers costs (N+M)·D and D² memory, wasted when it gives up. In a
	// megabyte text there are thousands of gaps: a gap with few edits gets
	// Myers at once, one with many (a moved paragraph) is cut by patience
	// first, and only what patience cannot cut gets the full Myers. Small
	// texts get the full Myers at once: the best alignment, cheaply.
	quick := myersMaxD
	if d.large && (a1-a0)+(b1-b0) > 512 {
		quick = 48
	}
	if small && tryMyers(quick) {
		return
	}
	if depth <= 6 && d.patience(a0, a1, b0, b1, depth) {
		return
	}
	if small && quick < myersMaxD {
		tryMyers(myersMaxD)
	}
	// Else leave it unmatched: the quote searches after the diff still
	// find moved text.
}

// patience cuts [a0,a1)×[b0,b1) at k-grams unique on both sides, kept in
// a longest increasing sequence, and recurses into the gaps. Big ranges
// sample k-grams by hash, so the maps stay small on megabyte texts. It
// reports false when it found no anchor (and did nothing).
func (d *differ) patience(a0, a1, b0, b1, depth int) bool {
	n := min(a1-a0, b1-b0)
	k := anchorK
	if n < 8*k {
		k = max(3, n/8)
	}
	// Sample about one k-gram in every `every`, chosen by content so the
	// same k-grams are sampled on both sides.
	// A megabyte range samples densely, so its gaps are small enough for
	// Myers; a small range needs only a few anchors.
	every := uint64(1)
	for target := uint64(max(4096, n/64)); uint64(n)/every > target; {
		every *= 2
	}
	// k-grams seen at most maxRep times on each side, with the same count
	// on both, pair up in order: the first with the first, and so on. So
	// a text that repeats itself (an article pasted twice, a comment header
	// on every comment) still anchors, where strictly unique k-grams do not.
	const maxRep = 4
	type occ struct {
		a, b   [maxRep]int32
		na, nb int
	}
	// Indices into occs, not pointers: one allocation, not one per k-gram.
	grams := make(map[uint64]int32, (a1-a0)/int(every)+1)
	occs := make([]occ, 0, (a1-a0)/int(every)+1)
	scan := func(rs []rune, lo, hi int, side int) {
		if hi-lo < k {
			return
		}
		const mul = 1099511628211
		var pow uint64 = 1
		for i := 0; i < k-1; i++ {
			pow *= mul
		}
		var h uint64
		for i := lo; i < hi; i++ {
			if i-lo >= k {
				h -= uint64(rs[i-k]) * pow
			}
			h = h*mul + uint64(rs[i])
			if i-lo < k-1 || mix(h)&(every-1) != 0 { // every is a power of two: a mask, not a division per code point
				continue
			}
			start := int32(i - k + 1)
			oi, ok := grams[h]
			if !ok {
				if side == 1 {
					continue // only k-grams the old side has can anchor
				}
				oi = int32(len(occs))
				occs = append(occs, occ{})
				grams[h] = oi
			}
			o := &occs[oi]
			if side == 0 {
				if o.na < maxRep {
					o.a[o.na] = start
				}
				o.na++
			} else {
				if o.nb < maxRep {
					o.b[o.nb] = start
				}
				o.nb++
			}
		}
	}
	scan(d.a, a0, a1, 0)
	scan(d.b, b0, b1, 1)
	var pairs []seg
	for i := range occs {
		o := &occs[i]
		if o.na != o.nb || o.na > maxRep {
			continue
		}
		for i := 0; i < o.na; i++ {
			if equalRunes(d.a[o.a[i]:int(o.a[i])+k], d.b[o.b[i]:int(o.b[i])+k]) {
				pairs = append(pairs, seg{int(o.a[i]), int(o.b[i]), k})
			}
		}
	}
	if len(pairs) == 0 {
		return false
	}
	slices.SortFunc(pairs, func(x, y seg) int { return x.a - y.a })
	pairs = lis(pairs)
	// Extend each anchor to its whole unchanged run and align the gaps.
	ca, cb := a0, b0
	for _, p := range pairs {
		if p.a < ca || p.b < cb {
			continue // inside the run the previous anchor grew into
		}
		s, e := 0, p.n
		for p.a-s-1 >= ca && p.b-s-1 >= cb && d.a[p.a-s-1] == d.b[p.b-s-1] {
			s++
		}
		for p.a+e < a1 && p.b+e < b1 && d.a[p.a+e] == d.b[p.b+e] {
			e++
		}
		d.rng(ca, p.a-s, cb, p.b-s, depth+1)
		d.add(p.a-s, p.b-s, s+e)
		ca, cb = p.a+e, p.b+e
	}
	d.rng(ca, a1, cb, b1, depth+1)
	return true
}

func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

func equalRunes(x, y []rune) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// lis keeps the longest run of pairs (sorted by a) whose b also increases.
func lis(p []seg) []seg {
	tails := []int{} // index into p of the smallest tail of each length
	prev := make([]int, len(p))
	for i := range p {
		j := sort.Search(len(tails), func(j int) bool { return p[tails[j]].b >= p[i].b })
		if j > 0 {
			prev[i] = tails[j-1]
		} else {
			prev[i] = -1
		}
		if j == len(tails) {
			tails = append(tails, i)
		} else {
			tails[j] = i
		}
	}
	out := make([]seg, len(tails))
	for i, k := len(tails)-1, tails[len(tails)-1]; i >= 0; i, k = i-1, prev[k] {
		out[i] = p[k]
	}
	return out
}

// myers is the O(ND) diff of a and b (Myers 1986). It gives up (false)
// when more than maxD edits are needed. buf and vbuf are scratch for the
// trace and the diagonals, kept between calls (thousands of gaps in a
// megabyte diff).
func myers(a, b []rune, maxD int, buf, vbuf *[]int) ([]seg, bool) {
	n, m := len(a), len(b)
	maxD = min(maxD, n+m)
	off := maxD + 1
	if cap(*vbuf) < 2*maxD+3 {
		*vbuf = make([]int, 2*maxD+3)
	}
	v := (*vbuf)[:2*maxD+3]
	clear(v)
	// The trace, flat: v after round d, v[off-d-1:off+d+2], is
	// trace[d*(d+2):(d+1)*(d+3)].
	trace := (*buf)[:0]
	defer func() { *buf = trace[:0] }()
	for d := 0; d <= maxD; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				trace = append(trace, v[off-d-1:off+d+2]...)
				return backtrack(trace, d, n, m), true
			}
		}
		trace = append(trace, v[off-d-1:off+d+2]...)
	}
	return nil, false
}

// backtrack walks the flat trace of rounds 0..last back from (x,y).
func backtrack(trace []int, last, x, y int) []seg {
	var out []seg
	at := func(d, k int) int { return trace[d*(d+2)+k+d+1] }
	for d := last; d > 0; d-- {
		k := x - y
		var pk int
		if k == -d || (k != d && at(d-1, k-1) < at(d-1, k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(d-1, pk)
		py := px - pk
		mx, my := px+1, py // a deletion from a
		if pk == k+1 {
			mx, my = px, py+1 // an insertion into b
		}
		if x > mx {
			out = append(out, seg{mx, my, x - mx})
		}
		x, y = px, py
	}
	if x > 0 {
		out = append(out, seg{0, 0, x})
	}
	// Reverse into increasing order.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// mapper maps old positions to new ones through the unchanged runs.
type posMap struct {
	segs       []seg // by old position; moved runs make b non-monotone
	byB        []seg // the same runs by new position
	oldN, newN int
}

func newPosMap(segs []seg, oldN, newN int) posMap {
	byB := append([]seg{}, segs...)
	slices.SortFunc(byB, func(x, y seg) int { return x.b - y.b })
	return posMap{segs: segs, byB: byB, oldN: oldN, newN: newN}
}

// mapPos maps old position p. direct is true when p lies in an unchanged
// run (strong evidence); otherwise the position is interpolated in the
// changed gap around it (a hint only).
func (pm *posMap) mapPos(p int) (int, bool) {
	i := sort.Search(len(pm.segs), func(i int) bool { return pm.segs[i].a > p }) - 1
	a0, b0 := 0, 0
	if i >= 0 {
		g := pm.segs[i]
		if p < g.a+g.n {
			return g.b + p - g.a, true
		}
		a0, b0 = g.a+g.n, g.b+g.n
	}
	b1 := pm.newN
	if i+1 < len(pm.segs) {
		b1 = pm.segs[i+1].b
	}
	return max(0, min(b0+(p-a0), b1)), false
}

// unmapPos maps new position p back to the old text when it lies in an
// unchanged run.
func (pm *posMap) unmapPos(p int) (int, bool) {
	i := sort.Search(len(pm.byB), func(i int) bool { return pm.byB[i].b > p }) - 1
	if i >= 0 {
		if g := pm.byB[i]; p < g.b+g.n {
			return g.a + p - g.b, true
		}
	}
	return 0, false
}
