package anchor

// editDistance is the Levenshtein distance of x and y: bit-parallel when
// the shorter has at most 64 code points (every quote context and most
// quotes), else two rows.
func editDistance(x, y []rune) int {
	if len(x) < len(y) {
		x, y = y, x
	}
	if len(y) == 0 {
		return len(x)
	}
	if len(y) <= 64 {
		var pm patMasks
		pm.set(y)
		return pm.distance(len(y), x, nil)
	}
	row := make([]int, len(y)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(x); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
	return row[len(y)]
}

// patMasks holds, for a pattern of at most 64 code points, the bit mask
// of the positions of each code point: ASCII in an array, the rest in a
// small open-addressed table (at most 64 keys in 128 slots).
type patMasks struct {
	ascii [128]uint64
	keys  [128]rune // 0: empty (NUL is ASCII, so never a key here)
	masks [128]uint64
}

func (pm *patMasks) set(pat []rune) {
	for i, r := range pat {
		if r < 128 {
			pm.ascii[r] |= 1 << uint(i)
			continue
		}
		h := uint32(r) * 0x9E3779B1 >> 25
		for pm.keys[h] != 0 && pm.keys[h] != r {
			h = (h + 1) & 127
		}
		pm.keys[h] = r
		pm.masks[h] |= 1 << uint(i)
	}
}

func (pm *patMasks) get(r rune) uint64 {
	if r < 128 {
		return pm.ascii[r]
	}
	h := uint32(r) * 0x9E3779B1 >> 25
	for {
		switch pm.keys[h] {
		case r:
			return pm.masks[h]
		case 0:
			return 0
		}
		h = (h + 1) & 127
	}
}

// distance runs Myers' bit-vector edit distance (Myers 1999, in Hyyrö's
// global form) of the m-code-point pattern against text, returning the
// distance to all of text; when row is not nil, row[j] is set to the
// distance to text[:j] for every j (row has len(text)+1 entries).
func (pm *patMasks) distance(m int, text []rune, row []int) int {
	pv, mv := ^uint64(0), uint64(0)
	score := m
	top := uint(m - 1)
	if row != nil {
		row[0] = m
	}
	for j, r := range text {
		eq := pm.get(r)
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		score += int((ph>>top)&1) - int((mh>>top)&1)
		// Row 0 of the global table grows by one per column.
		ph = ph<<1 | 1
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
		if row != nil {
			row[j+1] = score
		}
	}
	return score
}

// bestPrefix aligns all of pat with a prefix of text and returns the
// prefix length with the fewest edits (ties: the length nearest len(pat)).
// Run on reversed slices it finds where a match ending at a known place
// starts.
func bestPrefix(pat, text []rune) (length, errs int) {
	row := make([]int, len(text)+1) // row[j]: edits to align all of pat with text[:j]
	if len(pat) > 0 && len(pat) <= 64 {
		var pm patMasks
		pm.set(pat)
		pm.distance(len(pat), text, row)
	} else {
		bestPrefixRows(pat, text, row)
	}
	length, errs = 0, row[0]
	for j := 1; j <= len(text); j++ {
		if row[j] < errs || (row[j] == errs && abs(j-len(pat)) < abs(length-len(pat))) {
			length, errs = j, row[j]
		}
	}
	return length, errs
}

// bestPrefixRows fills row[j] with the edits to align all of pat with
// text[:j], by the two-row table.
func bestPrefixRows(pat, text []rune, row []int) {
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(pat); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(text); j++ {
			cost := 1
			if pat[i-1] == text[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func reversed(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		out[len(rs)-1-i] = r
	}
	return out
}

// matchEnd is where an approximate match of a pattern ends (exclusive)
// and with how many edits.
type matchEnd struct{ end, errs int }

// searcher runs Myers' bit-parallel approximate search (Myers 1999) over
// one text. Runes are coded into a dense alphabet once per text, so each
// step of the search is an array lookup, not a map lookup.
type searcher struct {
	code  []uint16 // code of each text rune (0: none)
	table [0x10000]uint16
	big   map[rune]uint16  // codes of runes outside the BMP
	n     uint16           // codes used
	peq   *[0x10000]uint64 // per code: bit i set when pattern[i] has that code (indexed by a uint16: no bounds checks)
}

func newSearcher(text []rune) *searcher {
	s := &searcher{code: make([]uint16, len(text))}
	for i, r := range text {
		s.code[i] = s.codeOf(r, true)
	}
	s.peq = new([0x10000]uint64)
	return s
}

// clone shares the text's codes and gets its own pattern scratch.
func (s *searcher) clone() *searcher {
	c := *s
	c.peq = new([0x10000]uint64)
	return &c
}

func (s *searcher) codeOf(r rune, add bool) uint16 {
	if r < 0x10000 {
		c := s.table[r]
		if c == 0 && add && s.n < 0xFFFF {
			s.n++
			c = s.n
			s.table[r] = c
		}
		return c
	}
	c := s.big[r]
	if c == 0 && add && s.n < 0xFFFF {
		if s.big == nil {
			s.big = map[rune]uint16{}
		}
		s.n++
		c = s.n
		s.big[r] = c
	}
	return c
}

// search finds the ends of matches of pat (at most 64 runes) in text
// positions [lo,hi) with at most k edits, keeping the best end of each
// run of neighbouring ends.
func (s *searcher) search(pat []rune, k, lo, hi int) []matchEnd {
	m := len(pat)
	if m == 0 || m > 64 {
		return nil
	}
	release := s.prepare(pat)
	defer release()
	return s.scan(m, k, lo, hi)
}

// prepare sets the searcher up for pat (at most 64 runes) until release
// is called; scan then searches for it.
func (s *searcher) prepare(pat []rune) (release func()) {
	var used []uint16
	for i, r := range pat {
		c := s.codeOf(r, false)
		if c == 0 {
			continue // a rune the text lacks never matches
		}
		if s.peq[c] == 0 {
			used = append(used, c)
		}
		s.peq[c] |= 1 << uint(i)
	}
	return func() {
		for _, c := range used {
			s.peq[c] = 0
		}
	}
}

// scan is search for the prepared pattern of m runes.
func (s *searcher) scan(m, k, lo, hi int) []matchEnd {
	if m == 0 || m > 64 || lo >= hi {
		return nil
	}
	var out []matchEnd
	pv, mv := ^uint64(0), uint64(0)
	score := m
	top := uint(m - 1)
	prev := -2 // last position whose score was within k
	peq, code := s.peq, s.code[lo:hi]
	for jj, c := range code {
		j := lo + jj
		eq := peq[c]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		// ph and mh never share a bit: branch-free score update.
		score += int((ph>>top)&1) - int((mh>>top)&1)
		ph <<= 1
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
		if score > k {
			continue
		}
		if prev == j-1 && len(out) > 0 {
			if score < out[len(out)-1].errs {
				out[len(out)-1] = matchEnd{j + 1, score}
			}
		} else {
			out = append(out, matchEnd{j + 1, score})
		}
		prev = j
	}
	return out
}
