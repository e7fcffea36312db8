package anchor

import "slices"

// gramLen is the length of the k-grams the index holds: short enough
// that a quote of n code points split into n/4+1 pieces (one per allowed
// edit, plus one) has pieces this long. Shorter quotes are searched by a
// scan.
const gramLen = 3

// gramIndex lists, for every hash bucket of 3-grams of one text, where
// they start, in text order (a counting sort: two passes, no map). Looking
// a quote up costs the occurrences of its rarest 3-gram, not a scan of a
// megabyte text; built once per text, it serves every annotation.
type gramIndex struct {
	text  []rune
	shift uint
	start []int32 // bucket b's positions are pos[start[b]:start[b+1]]
	pos   []int32
}

func gramHash(r0, r1, r2 rune, shift uint) uint32 {
	h := uint64(r0)*0x9E3779B97F4A7C15 ^ uint64(r1)*0xC2B2AE3D27D4EB4F ^ uint64(r2)*0x165667B19E3779F9
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	return uint32(h >> shift)
}

func newGramIndex(text []rune) *gramIndex {
	n := len(text) - gramLen + 1
	bits := uint(10)
	for bits < 18 && 1<<bits < n/2 {
		bits++
	}
	g := &gramIndex{text: text, shift: 64 - bits, start: make([]int32, 1<<bits+1)}
	if n <= 0 {
		return g
	}
	// Two passes over the text, hashing twice: cheaper than keeping a
	// hash per position (megabytes written and read back).
	for i := range n {
		g.start[gramHash(text[i], text[i+1], text[i+2], g.shift)+1]++
	}
	for b := 1; b < len(g.start); b++ {
		g.start[b] += g.start[b-1]
	}
	g.pos = make([]int32, n)
	next := append([]int32(nil), g.start[:len(g.start)-1]...)
	for i := range n {
		h := gramHash(text[i], text[i+1], text[i+2], g.shift)
		g.pos[next[h]] = int32(i)
		next[h]++
	}
	return g
}

// bucket returns the positions whose 3-gram hashes like q[j:j+3].
func (g *gramIndex) bucket(q []rune, j int) []int32 {
	h := gramHash(q[j], q[j+1], q[j+2], g.shift)
	return g.pos[g.start[h]:g.start[h+1]]
}

// findN returns up to limit offsets where q (at least gramLen long)
// occurs, in increasing order: the candidates of q's rarest 3-gram,
// checked.
func (g *gramIndex) findN(q []rune, limit int) []int {
	n := len(q)
	bestJ, best := 0, -1
	for j := 0; j+gramLen <= n; j++ {
		if c := len(g.bucket(q, j)); best < 0 || c < best {
			bestJ, best = j, c
			if c == 0 {
				return nil
			}
		}
	}
	var out []int
	for _, p := range g.bucket(q, bestJ) {
		s := int(p) - bestJ
		if s < 0 || s+n > len(g.text) || !equalRunes(g.text[s:s+n], q) {
			continue
		}
		out = append(out, s)
		if len(out) >= limit {
			break
		}
	}
	return out
}

// regions returns ranges of the text holding every substring within D
// edits of pat, merged, or false when scanning the whole text is cheaper.
// Split into D+2 pieces, pat keeps two of them intact in any such
// substring, each within D of where pat has it (the q-gram lemma's
// pigeonhole): only where two pieces agree on where the substring starts
// is it searched. Each piece is looked up by its rarest 3-gram. When the
// pieces would be too short for the index, D+1 pieces and one intact.
func (m *Mapper) regions(pat []rune, D int) ([][2]int, bool) {
	L, N := len(pat), len(m.nf)
	pieces, need := D+2, 2
	if L/pieces < gramLen {
		pieces, need = D+1, 1
	}
	if N <= 4096 {
		return nil, false
	}
	if m.grams == nil {
		m.grams = newGramIndex(m.nf)
	}
	if L/pieces < gramLen {
		return m.countRegions(pat, D)
	}
	g := m.grams
	type pick struct{ off, end, j int }
	picks := make([]pick, pieces)
	total := 0
	for p := range pieces {
		ps, pe := p*L/pieces, (p+1)*L/pieces
		best := -1
		for j := ps; j+gramLen <= pe; j++ {
			if c := len(g.bucket(pat, j)); best < 0 || c < best {
				best, picks[p] = c, pick{ps, pe, j}
			}
		}
		// Checking a candidate is cheap; only a hopeless filter is
		// given up for the scan.
		if total += best; total > N/16 {
			return m.countRegions(pat, D)
		}
	}
	// A hit is the start it implies and its piece, packed so a plain
	// integer sort orders by start (a sort with a comparison function
	// cost more than the checks).
	type hit struct{ start, piece int32 }
	packed := make([]int64, 0, total)
	for p, pk := range picks {
		piece := pat[pk.off:pk.end]
		for _, t := range g.bucket(pat, pk.j) {
			s := int(t) - (pk.j - pk.off) // where the piece would start
			if s < 0 || s+len(piece) > N || !equalRunes(m.nf[s:s+len(piece)], piece) {
				continue
			}
			packed = append(packed, int64(s-pk.off)<<32|int64(p))
		}
	}
	slices.Sort(packed)
	hits := make([]hit, len(packed))
	for i, h := range packed {
		hits[i] = hit{int32(h >> 32), int32(h & 0xFFFFFFFF)}
	}
	var out [][2]int
	for i, h := range hits {
		last := int(h.start)
		if need == 2 {
			last = -1
			for _, o := range hits[i+1:] {
				if int(o.start-h.start) > 2*D {
					break
				}
				if o.piece != h.piece {
					last = int(o.start)
				}
			}
			if last < 0 {
				continue
			}
		}
		lo, hi := max(0, int(h.start)-D), min(N, last+L+2*D)
		if k := len(out) - 1; k >= 0 && lo <= out[k][1] {
			out[k][1] = max(out[k][1], hi)
			continue
		}
		out = append(out, [2]int{lo, hi})
	}
	return out, true
}

// countRegions is the q-gram lemma's filter, for when regions' pieces are
// too short or too common: a substring within D edits of pat shares at
// least t = L+1-(D+1)·3 of pat's 3-grams, each on a diagonal (text
// position minus pattern position) within D of where the substring
// starts. Diagonals are counted in blocks of 2D+1, so a start's 2D+1
// diagonals lie in two neighbouring blocks: only where two neighbours
// together hold t hits is the text searched. It reports false when the
// scan is cheaper (too many hits, or t too small to filter).
func (m *Mapper) countRegions(pat []rune, D int) ([][2]int, bool) {
	L, N := len(pat), len(m.nf)
	t := L + 1 - (D+1)*gramLen
	if t < 2 || N <= 4096 {
		return nil, false
	}
	if m.grams == nil {
		m.grams = newGramIndex(m.nf)
	}
	g := m.grams
	total := 0
	for j := 0; j+gramLen <= L; j++ {
		if total += len(g.bucket(pat, j)); total > N/4 {
			return nil, false
		}
	}
	B := 2*D + 1
	// Diagonals run from -L to N; block b holds [b·B-L, (b+1)·B-L).
	counts := make([]int32, (N+L)/B+2)
	for j := 0; j+gramLen <= L; j++ {
		for _, p := range g.bucket(pat, j) {
			counts[(int(p)-j+L)/B]++
		}
	}
	var out [][2]int
	covered := 0
	for b := range counts {
		c := counts[b]
		if b+1 < len(counts) {
			c += counts[b+1]
		}
		if int(c) < t {
			continue
		}
		// A start within D of those diagonals, an end at most L+D on.
		lo, hi := max(0, b*B-L-D), min(N, (b+2)*B+2*D)
		if lo >= hi {
			continue
		}
		if k := len(out) - 1; k >= 0 && lo <= out[k][1] {
			covered += max(0, hi-out[k][1])
			out[k][1] = max(out[k][1], hi)
			continue
		}
		covered += hi - lo
		out = append(out, [2]int{lo, hi})
	}
	if covered > N/2 {
		return nil, false
	}
	return out, true
}
