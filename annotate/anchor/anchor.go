// Package anchor re-finds annotated passages after a source's text has
// changed. Evidence is weighed strongest first: positions mapped through a
// diff of the old and new text, then a search for the exact quote chosen by
// its context, then an approximate match of the quote scored on quote,
// context and position; what none of them places confidently is an orphan.
// It never guesses: a passage that could sit in two places is an orphan,
// because a highlight on the wrong words is worse than one flagged for
// review.
//
// Comparison folds width and punctuation (full-width ↔ half-width letters,
// digits and punctuation, Chinese and Western quotes, dashes, the
// ideographic space), one code point for one, so matches on the folded text
// are positions in the real text. Stored selectors always hold the real
// text.
package anchor

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"

	"gloss/annotate"
)

// Scoring, as Hypothesis weighs a candidate: quote, prefix, suffix and
// position similarity, 50 / 20 / 20 / 2.
const (
	wQuote, wPrefix, wSuffix, wPos = 50.0, 20.0, 20.0, 2.0
	// FuzzyThreshold is the lowest score accepted as a fuzzy anchor.
	FuzzyThreshold = 0.75
	// minEvidence is how many code points of quote and agreeing context a
	// match needs when its context is not intact on both sides: "the c"
	// occurs everywhere; "the c" with 20 code points of matching context
	// occurs once.
	minEvidence = 24
	// ambiguityMargin: a runner-up scoring this close to the best makes
	// the passage an orphan rather than a guess.
	ambiguityMargin = 0.03
	// maxFuzzyLen bounds the quote length an approximate match is tried
	// for (the alignment is quadratic in it); longer passages that changed
	// become orphans.
	maxFuzzyLen = 4000
	// fuzzyWindow is how far around the mapped position the approximate
	// search looks before it scans the whole text.
	fuzzyWindow = 512
)

// Result is where a selector landed in the new text.
type Result struct {
	Selector annotate.Selector    // on the new text; the old selector for an orphan
	State    annotate.AnchorState // exact, shifted, fuzzy or orphan
	Score    float64              // 1 for exact and shifted, the match score for fuzzy, 0 for orphan
}

// Mapper re-anchors selectors from one old text onto one new text. The
// diff is computed once in NewMapper; Reanchor is then cheap per selector.
// A Mapper is not safe for concurrent use.
type Mapper struct {
	newT *annotate.Text
	nf   []rune // the new text, folded
	pm   posMap

	bounds []uint64  // grapheme boundaries of the new text, built when first needed
	fstr   string    // nf as UTF-8, for substring search, built when first needed
	srch   *searcher // built when first needed
}

// NewMapper diffs oldText against newText.
func NewMapper(oldText, newText string) *Mapper {
	of, nf := foldString(oldText), foldString(newText)
	return &Mapper{
		newT: annotate.NewText(newText),
		nf:   nf,
		pm:   posMap{segs: diffRunes(of, nf), oldN: len(of), newN: len(nf)},
	}
}

// NewText is the text selectors are re-anchored onto.
func (m *Mapper) NewText() *annotate.Text { return m.newT }

// MapPosition maps an offset in the old text to the new text. exact is
// false when the offset fell in changed text and was interpolated.
func (m *Mapper) MapPosition(old int) (pos int, exact bool) {
	return m.pm.mapPos(max(0, min(old, m.pm.oldN)))
}

// Reanchor places a selector made on the old text onto the new one.
func (m *Mapper) Reanchor(sel annotate.Selector) Result {
	hint, direct := m.MapPosition(sel.Start)
	return m.locate(sel, hint, direct)
}

// Resolve checks a selector against a text whose positions may be off
// (e.g. a file that counted line breaks differently): it keeps the
// position when the quote is there, else finds the quote by context and
// distance from the stated position, else reports an orphan.
func Resolve(text *annotate.Text, sel annotate.Selector) (annotate.Selector, annotate.AnchorState, float64) {
	nf := foldString(text.String())
	m := &Mapper{newT: text, nf: nf, pm: posMap{segs: []seg{{0, 0, len(nf)}}, oldN: len(nf), newN: len(nf)}}
	hint := max(0, min(sel.Start, len(nf)))
	r := m.locate(sel, hint, sel.Start >= 0 && sel.Start <= len(nf))
	return r.Selector, r.State, r.Score
}

func orphan(sel annotate.Selector) Result {
	return Result{Selector: sel, State: annotate.AnchorOrphan}
}

// cand is a candidate placement [s,e) with its quote edits and score.
type cand struct {
	s, e, errs int
	score      float64
	pSim, sSim float64
	evidence   float64
	ctxIntact  bool
}

func (m *Mapper) locate(sel annotate.Selector, hint int, direct bool) Result {
	q := foldString(sel.Exact)
	n := len(q)
	if n == 0 {
		return orphan(sel)
	}
	pre, suf := foldString(sel.Prefix), foldString(sel.Suffix)
	N := len(m.nf)

	// (a) The diff maps the start onto unchanged text and the quote is
	// intact there.
	if direct && hint+n <= N && equalRunes(m.nf[hint:hint+n], q) && m.boundary(hint) && m.boundary(hint+n) {
		c := m.judge(hint, hint+n, 0, n, pre, suf, hint)
		if c.ctxIntact || c.evidence >= minEvidence {
			return m.placed(sel, c, hint, false)
		}
	}

	// (b) The exact quote elsewhere, chosen by context and nearness.
	var hits []cand
	for _, s := range m.find(q) {
		if m.boundary(s) && m.boundary(s+n) {
			hits = append(hits, m.judge(s, s+n, 0, n, pre, suf, hint))
		}
	}
	if best, ok := pick(hits); ok && (best.ctxIntact || best.evidence >= minEvidence) {
		return m.placed(sel, best, hint, false)
	}
	if len(hits) > 1 {
		return orphan(sel) // the quote is there but we cannot tell which one
	}

	// (c) An approximate match of the quote, up to a quarter of it edited.
	k := n / 4
	if k == 0 || n > maxFuzzyLen {
		return orphan(sel)
	}
	lo, hi := max(0, hint-n-k-fuzzyWindow), min(N, hint+2*n+k+fuzzyWindow)
	near := m.fuzzy(q, k, lo, hi, pre, suf, hint)
	if best, ok := pick(near); ok && accept(best) {
		return m.placed(sel, best, hint, true)
	}
	if lo > 0 || hi < N {
		all := m.fuzzy(q, k, 0, N, pre, suf, hint)
		if best, ok := pick(all); ok && accept(best) {
			return m.placed(sel, best, hint, true)
		}
	}
	return orphan(sel)
}

func accept(c cand) bool {
	return c.score >= FuzzyThreshold && (c.ctxIntact || c.evidence >= minEvidence)
}

// placed turns an accepted candidate into a result: exact when the very
// same code points sit at the same position, shifted when the same quote
// (up to width and punctuation) moved, fuzzy otherwise.
func (m *Mapper) placed(sel annotate.Selector, c cand, hint int, fuzzy bool) Result {
	ns, err := m.newT.Select(c.s, c.e)
	if err != nil {
		return orphan(sel)
	}
	switch {
	case fuzzy && (c.errs > 0 || ns.Exact != sel.Exact):
		return Result{Selector: ns, State: annotate.AnchorFuzzy, Score: c.score}
	case ns.Exact == sel.Exact && c.s == sel.Start:
		return Result{Selector: ns, State: annotate.AnchorExact, Score: 1}
	}
	return Result{Selector: ns, State: annotate.AnchorShifted, Score: 1}
}

// pick returns the best-scoring candidate unless another one, not
// overlapping it, scores within ambiguityMargin.
func pick(cs []cand) (cand, bool) {
	if len(cs) == 0 {
		return cand{}, false
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
	best := cs[0]
	for _, c := range cs[1:] {
		if c.s < best.e && best.s < c.e {
			continue // the same place, matched a little differently
		}
		if c.score >= best.score-ambiguityMargin {
			return cand{}, false
		}
		break
	}
	return best, true
}

// judge scores the placement [s,e) with errs edits in a quote of n code
// points against the old context and the hinted position.
func (m *Mapper) judge(s, e, errs, n int, pre, suf []rune, hint int) cand {
	N := len(m.nf)
	c := cand{s: s, e: e, errs: errs}
	c.pSim, c.sSim = 0.5, 0.5
	pIntact, sIntact := false, false
	if len(pre) == 0 {
		if s == 0 {
			c.pSim, pIntact = 1, true
		}
	} else {
		got := m.nf[max(0, s-len(pre)):s]
		d := editDistance(pre, got)
		c.pSim = max(0, 1-float64(d)/float64(len(pre)))
		pIntact = d == 0
	}
	if len(suf) == 0 {
		if e == N {
			c.sSim, sIntact = 1, true
		}
	} else {
		got := m.nf[e:min(N, e+len(suf))]
		d := editDistance(suf, got)
		c.sSim = max(0, 1-float64(d)/float64(len(suf)))
		sIntact = d == 0
	}
	c.ctxIntact = pIntact && sIntact && errs == 0
	qSim := 1 - float64(errs)/float64(n)
	posSim := 1.0
	if N > 0 {
		posSim = 1 - float64(abs(s-hint))/float64(N)
	}
	c.score = (wQuote*qSim + wPrefix*c.pSim + wSuffix*c.sSim + wPos*posSim) / (wQuote + wPrefix + wSuffix + wPos)
	c.evidence = float64(n-errs) + float64(len(pre))*c.pSim + float64(len(suf))*c.sSim
	return c
}

// find returns the offsets of every occurrence of q in the folded text.
func (m *Mapper) find(q []rune) []int {
	if m.fstr == "" && len(m.nf) > 0 {
		m.fstr = string(m.nf)
	}
	qs := string(q)
	var out []int
	s := m.fstr
	base, runeBase := 0, 0
	for len(out) < 5000 {
		i := strings.Index(s[base:], qs)
		if i < 0 {
			break
		}
		runeBase += utf8.RuneCountInString(s[base : base+i])
		out = append(out, runeBase)
		_, w := utf8.DecodeRuneInString(s[base+i:])
		base += i + w
		runeBase++
	}
	return out
}

// fuzzy finds approximate matches of q with at most k edits whose start
// lies in [lo,hi), snapped outward to grapheme boundaries, and scores them.
func (m *Mapper) fuzzy(q []rune, k, lo, hi int, pre, suf []rune, hint int) []cand {
	if m.srch == nil {
		m.srch = newSearcher(m.nf)
	}
	N := len(m.nf)
	n := len(q)
	type span struct{ s, e int }
	seen := map[span]bool{}
	var out []cand
	addSpan := func(s, e int) {
		for s > 0 && !m.boundary(s) {
			s--
		}
		for e < N && !m.boundary(e) {
			e++
		}
		if e <= s || seen[span{s, e}] {
			return
		}
		seen[span{s, e}] = true
		errs := editDistance(q, m.nf[s:e])
		if errs > k {
			return
		}
		out = append(out, m.judge(s, e, errs, n, pre, suf, hint))
	}
	// fromStart aligns all of q with the text from s; fromEnd with the
	// text ending at e.
	fromStart := func(s int) {
		l, _ := bestPrefix(q, m.nf[s:min(N, s+n+k)])
		addSpan(s, s+l)
	}
	fromEnd := func(e int) {
		l, _ := bestPrefix(reversed(q), reversed(m.nf[max(0, e-n-k):e]))
		addSpan(e-l, e)
	}
	const maxCands = 64
	if n <= 64 {
		ends := m.srch.search(q, k, lo, hi)
		if len(ends) > maxCands {
			sort.Slice(ends, func(i, j int) bool { return ends[i].errs < ends[j].errs })
			ends = ends[:maxCands]
		}
		for _, me := range ends {
			fromEnd(me.end)
		}
		return out
	}
	// A long quote: find its first and last 64 code points, each with its
	// share of the edits, and align the whole quote from there.
	kk := min(k, 16)
	head, tail := q[:64], q[n-64:]
	ends := m.srch.search(head, kk, lo, hi)
	if len(ends) > maxCands {
		sort.Slice(ends, func(i, j int) bool { return ends[i].errs < ends[j].errs })
		ends = ends[:maxCands]
	}
	for _, me := range ends {
		l, _ := bestPrefix(reversed(head), reversed(m.nf[max(0, me.end-64-kk):me.end]))
		fromStart(me.end - l)
	}
	ends = m.srch.search(tail, kk, lo, min(N, hi+n))
	if len(ends) > maxCands {
		sort.Slice(ends, func(i, j int) bool { return ends[i].errs < ends[j].errs })
		ends = ends[:maxCands]
	}
	for _, me := range ends {
		fromEnd(me.end)
	}
	return out
}

// boundary reports whether offset p of the new text is a grapheme
// boundary. Between two ordinary characters (ASCII, Latin, CJK ideographs
// and punctuation) it always is; only elsewhere is the whole text
// segmented, once.
func (m *Mapper) boundary(p int) bool {
	N := len(m.nf)
	if p <= 0 || p >= N {
		return p == 0 || p == N
	}
	if simple(m.nf[p-1]) && simple(m.nf[p]) {
		return true
	}
	if m.bounds == nil {
		m.bounds = make([]uint64, N/64+1)
		it := graphemes.FromString(m.newT.String())
		i := 0
		for it.Next() {
			m.bounds[i/64] |= 1 << uint(i%64)
			i += utf8.RuneCountInString(it.Value())
		}
	}
	return m.bounds[p/64]&(1<<uint(p%64)) != 0
}

// simple: a code point with Grapheme_Cluster_Break=Other (or LF), so the
// UAX #29 rules always break between two of them. The folded forms of
// everything fold changes are simple too.
func simple(r rune) bool {
	switch {
	case r < 0x300:
		return r != '\r'
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3000 && r <= 0x3029, r >= 0xFF01 && r <= 0xFF5E, r >= 0x2010 && r <= 0x2027:
		return true
	}
	return false
}
