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
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"

	"gloss/annotate"
)

// Scoring, as Hypothesis weighs a candidate: quote, prefix, suffix and
// position similarity, 50 / 20 / 20 / 2.
const (
	wQuote, wPrefix, wSuffix, wPos = 50.0, 20.0, 20.0, 2.0
	// FuzzyThreshold is the lowest score accepted as a fuzzy anchor.
	FuzzyThreshold = 0.55
	// minEvidence is how many code points of quote and agreeing context a
	// match needs when its context is not intact on both sides: "the c"
	// occurs everywhere; "the c" with 20 code points of matching context
	// occurs once.
	minEvidence = 24
	// ambiguityMargin: a runner-up scoring this close to the best makes
	// the passage an orphan rather than a guess.
	// minUnique is the shortest quote accepted on uniqueness alone (once
	// in the old text, once in the new) when its context was edited away.
	minUnique = 10
	// minFuzzyKept: an approximate match keeping fewer code points of the
	// quote than this ("ply 14:") is a fragment, not a passage, unless the
	// context on both sides vouches for it.
	minFuzzyKept = 8
	// maxPicks bounds how many candidates are weighed against the old
	// text's look-alikes (each weighing is quadratic in the quote).
	maxPicks        = 16
	ambiguityMargin = 0.03
	rivalMargin     = 0.1
	// maxRivals bounds the look-alikes of a quote weighed (each costs an
	// alignment of the two windows).
	maxRivals = 16
	// maxFuzzyLen bounds the quote length an approximate match is tried
	// for (the alignment is quadratic in it); longer passages that changed
	// become orphans.
	maxFuzzyLen = 1000
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
// A Mapper is not safe for concurrent use; ReanchorAll works on clones.
type Mapper struct {
	newT    *annotate.Text // nil on the old text's searcher (oldM)
	str     string         // the text nf folds, for grapheme segmentation
	nf      []rune         // the new text, folded
	of      []rune         // the old text, folded (nil in Resolve)
	oldText string
	oldM    *Mapper // searches the old text, built when first needed
	pm      posMap

	lazy  *lazyParts // shared by a Mapper's clones
	srch  *searcher  // built when first needed
	grams *gramIndex
	finds int // searches so far; the index pays off after a few
	// batch: this Mapper serves many selectors (NewMapper), so the index
	// is built at the first search rather than after a few scans.
	batch bool
}

// lazyParts are built when first needed, once for all clones of a Mapper.
type lazyParts struct {
	boundsOnce sync.Once
	bounds     []uint64 // grapheme boundaries of the text
	fstrOnce   sync.Once
	fstr       string  // nf as UTF-8, for substring search
	marks      []int32 // byte offset in fstr of every 256th code point
}

// side is a Mapper searching one text (str, folded nf).
func side(str string, nf []rune) *Mapper {
	return &Mapper{str: str, nf: nf, lazy: &lazyParts{}}
}

// eagerSize: texts this long (bytes, old and new together) get their
// search structures built in NewMapper, beside the diff, on another core:
// re-anchoring a long text's annotations needs them all anyway.
const eagerSize = 1 << 17

// NewMapper diffs oldText against newText.
func NewMapper(oldText, newText string) *Mapper {
	if len(oldText)+len(newText) < eagerSize {
		of, nf := foldString(oldText), foldString(newText)
		m := side(newText, nf)
		m.newT, m.of, m.oldText, m.batch = annotate.NewText(newText), of, oldText, true
		m.pm = newPosMap(diffRunes(of, nf), len(of), len(nf))
		return m
	}
	m := side(newText, nil)
	m.oldText, m.batch = oldText, true
	var wg sync.WaitGroup
	oldFolded := make(chan struct{})
	wg.Add(2)
	go func() { // the old text's side: folded, then indexed
		defer wg.Done()
		m.of = foldString(oldText)
		close(oldFolded)
		o := side(oldText, m.of)
		o.batch = true
		o.grams = newGramIndex(o.nf)
		o.srch = newSearcher(o.nf)
		m.oldM = o
	}()
	m.nf = foldString(newText)
	go func() { // the new text's side
		defer wg.Done()
		m.newT = annotate.NewText(newText)
		m.grams = newGramIndex(m.nf)
		m.srch = newSearcher(m.nf)
	}()
	<-oldFolded
	segs := diffRunes(m.of, m.nf)
	wg.Wait()
	m.pm = newPosMap(segs, len(m.of), len(m.nf))
	return m
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
	return m.locate(sel, hint, direct, true)
}

// ReanchorAll re-anchors every selector, each as Reanchor would. A long
// text's selectors are shared out among the cores (two clones of the
// Mapper, each with its own search scratch, sharing the diff and the
// indexes): the results do not depend on the order.
func (m *Mapper) ReanchorAll(sels []annotate.Selector) []Result {
	out := make([]Result, len(sels))
	workers := min(runtime.GOMAXPROCS(0), 4, len(sels)/32)
	if workers < 2 || !m.shareable() {
		for i, s := range sels {
			out[i] = m.Reanchor(s)
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	// Every clone is made before any starts: a clone copies m's counters.
	ms := []*Mapper{m}
	for len(ms) < workers {
		ms = append(ms, m.clone())
	}
	for _, mm := range ms {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(sels) {
					return
				}
				out[i] = mm.Reanchor(sels[i])
			}
		})
	}
	wg.Wait()
	return out
}

// shareable reports whether everything Reanchor would otherwise build on
// first use is built, so clones only read what they share.
func (m *Mapper) shareable() bool {
	built := func(x *Mapper) bool { return x != nil && x.grams != nil && x.srch != nil }
	return built(m) && built(m.oldM)
}

// clone is a Mapper sharing m's text, diff and indexes, with its own
// search scratch.
func (m *Mapper) clone() *Mapper {
	c := *m
	c.srch = m.srch.clone()
	if m.oldM != nil {
		o := *m.oldM
		o.srch = m.oldM.srch.clone()
		c.oldM = &o
	}
	return &c
}

// Resolve checks a selector against a text whose positions may be off
// (e.g. a file that counted line breaks differently): it keeps the
// position when the quote is there, else finds the quote by context and
// distance from the stated position, else reports an orphan.
func Resolve(text *annotate.Text, sel annotate.Selector) (annotate.Selector, annotate.AnchorState, float64) {
	nf := foldString(text.String())
	m := side(text.String(), nf)
	m.newT = text
	m.pm = newPosMap([]seg{{0, 0, len(nf)}}, len(nf), len(nf))
	hint := max(0, min(sel.Start, len(nf)))
	r := m.locate(sel, hint, sel.Start >= 0 && sel.Start <= len(nf), false)
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
	fuzzy      bool
}

// locate places sel, hinted at new position hint (direct: the diff maps
// the start there through unchanged text). With fromOld, candidates are
// checked against the old text: one that resembles another place of the
// old text at least as much as it resembles our passage is that other
// place, kept or edited, and not ours.
func (m *Mapper) locate(sel annotate.Selector, hint int, direct, fromOld bool) Result {
	q := foldString(sel.Exact)
	n := len(q)
	if n == 0 {
		return orphan(sel)
	}
	pre, suf := foldString(sel.Prefix), foldString(sel.Suffix)
	N := len(m.nf)

	// (a) The diff maps the start onto unchanged text, the quote and its
	// context are intact there. (With the context edited, the diff may
	// have paired our quote with a like one: that spot competes with the
	// other occurrences below.)
	if direct && hint+n <= N && equalRunes(m.nf[hint:hint+n], q) && m.boundary(hint) && m.boundary(hint+n) {
		c := m.judge(hint, hint+n, 0, n, pre, suf, hint)
		if c.ctxIntact || (m.longRun(sel, n) && !m.repeatedInOld(q, sel.Start)) {
			return m.placed(sel, c, false)
		}
	}
	rv := &rivalry{m: m, sel: sel, q: q, pre: pre, suf: suf, on: fromOld && m.of != nil, multiLine: strings.ContainsRune(sel.Exact, '\n'), approxD: -1}
	// (b) The exact quote elsewhere, chosen by context and nearness.
	var hits []cand
	for _, s := range m.find(q) {
		if m.boundary(s) && m.boundary(s+n) {
			hits = append(hits, m.judge(s, s+n, 0, n, pre, suf, hint))
		}
	}
	best, st := rv.pick(hits)
	tracef("exact: %d hits, pick %v %+v", len(hits), st, best)
	switch {
	case st == picked && accept(best):
		return m.placed(sel, best, false)
	case st == picked && len(hits) == 1 && n >= minUnique && best.score >= FuzzyThreshold && rv.unrivalled():
		// Once in the old text and once in the new: the same words,
		// though edits took their context.
		return m.placed(sel, best, false)
	case st != none:
		return orphan(sel) // the quote is there, but not clearly ours
	}

	// (c) An approximate match of the quote, up to a quarter of it edited.
	k := n / 4
	if k == 0 || n > maxFuzzyLen {
		return orphan(sel)
	}
	lo, hi := max(0, hint-n-k-fuzzyWindow), min(N, hint+2*n+k+fuzzyWindow)
	whole := lo == 0 && hi == N
	if whole {
		rv.floor = FuzzyThreshold
	}
	best, st = rv.pick(m.fuzzy(q, k, [][2]int{{lo, hi}}, pre, suf, hint))
	if st == none && !whole {
		// Then the whole text, or the parts of it that hold an intact
		// piece of the quote, as any match with k edits does.
		regions, ok := m.regions(q, k)
		if !ok {
			regions = [][2]int{{0, N}}
		}
		cs := m.fuzzy(q, k, regions, pre, suf, hint)
		rv.floor = FuzzyThreshold
		best, st = rv.pick(cs)
	}
	tracef("fuzzy: pick %v %+v", st, best)
	if st == picked && accept(best) {
		return m.placed(sel, best, true)
	}
	return orphan(sel)
}

// longRun reports whether one unchanged run of the diff holds the whole
// quote and at least minEvidence code points of its context: the diff
// does not pair up that much text by chance.
func (m *Mapper) longRun(sel annotate.Selector, n int) bool {
	segs := m.pm.segs
	i := sort.Search(len(segs), func(i int) bool { return segs[i].a > sel.Start }) - 1
	if i < 0 {
		return false
	}
	g := segs[i]
	if sel.Start+n > g.a+g.n {
		return false
	}
	return (sel.Start-g.a)+(g.a+g.n-sel.Start-n) >= minEvidence
}

// repeatedInOld reports whether the old text holds q anywhere but at
// start: then a long run may pair the wrong copy.
func (m *Mapper) repeatedInOld(q []rune, start int) bool {
	if m.of == nil {
		return false
	}
	m.oldM0()
	for _, o := range m.oldM.findN(q, 2) {
		if o != start {
			return true
		}
	}
	return false
}

func (m *Mapper) oldM0() {
	if m.oldM == nil {
		m.oldM = side(m.oldText, m.of)
		m.oldM.batch = m.batch
	}
}

func accept(c cand) bool {
	if c.fuzzy && c.e-c.s-c.errs < minFuzzyKept && (c.pSim < 0.8 || c.sSim < 0.8) {
		return false
	}
	return c.score >= FuzzyThreshold && (c.ctxIntact || c.evidence >= minEvidence)
}

type pickState int

const (
	none pickState = iota
	picked
	ambiguous
)

// rivalry decides between candidates for one selector.
type rivalry struct {
	m            *Mapper
	sel          annotate.Selector
	q, pre, suf  []rune
	on           bool
	multiLine    bool
	rivals       [][2]int // other places of the old text that match q, built when first needed
	seen         map[[2]int]bool
	rivalsLoaded bool
	// approxD: the approximate rivals are loaded for every candidate whose
	// window is within approxD edits of ours (-1: none yet; maxInt: all).
	approxD int
	// floor: in the last pick, a candidate scoring below it (and so all
	// after it) could not be accepted whatever its rivals: the pick ends
	// there without weighing them (searching the old text for look-alikes
	// is the costliest step).
	floor float64
}

// pick returns the best-scoring candidate that is not another place's
// text, unless a second one, not overlapping it, scores within
// ambiguityMargin.
func (r *rivalry) pick(cs []cand) (cand, pickState) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
	for i, best := range cs {
		if i >= maxPicks {
			// Scores this alike, this many times over: repetitive text,
			// and no way to tell which is ours.
			return cand{}, ambiguous
		}
		if best.score < r.floor {
			return cand{}, none
		}
		if r.taken(best) {
			continue
		}
		for j, c := range cs[i+1:] {
			if c.s < best.e && best.s < c.e {
				continue // the same place, matched a little differently
			}
			if j >= maxPicks {
				return cand{}, ambiguous
			}
			margin := ambiguityMargin
			if r.on && (len(r.rivals) > 0 || best.fuzzy) {
				// The old text has look-alikes of the quote: demand a
				// clear lead, since edits can make either copy look best.
				// Two approximate matches far apart in the new text
				// almost always have look-alikes in the old one too (not
				// all of which are searched for): demand it of them.
				margin = rivalMargin
			}
			if c.score < best.score-margin {
				break
			}
			if !r.taken(c) {
				return cand{}, ambiguous
			}
		}
		return best, picked
	}
	return cand{}, none // nothing, or only other places' text
}

// unrivalled reports whether the old text has the quote nowhere else.
func (r *rivalry) unrivalled() bool {
	if !r.on {
		return false
	}
	r.load(false)
	return len(r.rivals) == 0
}

// load finds the exact copies of the quote elsewhere in the old text.
func (r *rivalry) load(bool) {
	if !r.rivalsLoaded {
		r.rivalsLoaded = true
		r.m.oldM0()
		for _, s := range r.m.oldM.find(r.q) {
			r.add(s, s+len(r.q))
		}
		tracef("rivals %v", r.rivals)
	}
}

func (r *rivalry) add(s, e int) {
	if r.seen == nil {
		r.seen = map[[2]int]bool{}
	}
	if (s < r.sel.End && r.sel.Start < e) || r.seen[[2]int{s, e}] || len(r.rivals) >= maxRivals {
		return
	}
	r.seen[[2]int{s, e}] = true
	r.rivals = append(r.rivals, [2]int{s, e})
}

// loadApprox adds the edited look-alikes of the quote (up to a quarter
// of it edited) whose window of quote and context lies within D edits of
// ours. Those are the only ones that can take a candidate (see taken), so
// the old text is searched only near exact occurrences of pieces of our
// window, where one must be (D+1 pieces, D edits): the whole text is
// scanned only when that is cheaper.
func (r *rivalry) loadApprox(D int) {
	r.load(false)
	if D <= r.approxD {
		return
	}
	m := r.m
	o := m.oldM
	k := len(r.q) / 4
	if k == 0 || len(r.q) > maxFuzzyLen {
		r.approxD = math.MaxInt
		return
	}
	ours := append(append(append([]rune{}, r.pre...), r.q...), r.suf...)
	regions, ok := o.regions(ours, D)
	if !ok {
		// Every look-alike: the quote within k edits, which the same
		// filters find as they do for the new text, else the whole text.
		D = math.MaxInt
		if regions, ok = o.regions(r.q, k); !ok {
			regions = [][2]int{{0, len(o.nf)}}
		}
	}
	r.approxD = D
	if len(r.rivals) >= maxRivals {
		return // add would keep none of them
	}
	for _, c := range o.fuzzy(r.q, k, regions, nil, nil, 0) {
		r.add(c.s, c.e)
	}
	tracef("rivals (D=%d, %d regions) %v", D, len(regions), r.rivals)
}

// taken reports whether candidate c, with its surroundings, is at least
// as close to another place of the old text as to our passage.
func (r *rivalry) taken(c cand) bool {
	if !r.on {
		return false
	}
	m := r.m
	if c.fuzzy && r.multiLine && !r.mappedOnto(c) {
		// A passage across a line break may have been torn apart by a
		// move; a close match elsewhere is likely one half of it beside
		// a look-alike of the other. Only the diff can vouch for it.
		tracef("multi-line, not mapped %+v", c)
		return true
	}
	if c.fuzzy && m.foreign(r.sel, c) {
		tracef("foreign %+v", c)
		return true
	}
	if c.fuzzy && m.piecesElsewhere(r.sel, r.q, c) {
		tracef("pieces elsewhere %+v", c)
		return true
	}
	P, S := len(r.pre), len(r.suf)
	w := m.nf[max(0, c.s-P):min(len(m.nf), c.e+S)]
	ours := append(append(append([]rune{}, r.pre...), r.q...), r.suf...)
	d := editDistance(ours, w)
	mapped := r.mappedOnto(c)
	if c.fuzzy {
		// A rival takes c when its window is closer to c's than ours
		// (rd < d), or, unless the diff maps us onto c, about as close
		// (rd ≤ d+len(w)/10). Edit distance is a metric, so such a
		// rival's window is within d+rd of ours: only those are looked
		// for.
		D := 2*d - 1
		if !mapped {
			D = 2*d + len(w)/10
		}
		if D < 0 {
			return false
		}
		r.loadApprox(D)
	} else {
		r.load(false)
	}
	for _, o := range r.rivals {
		if m.mappedElsewhere(o, c) {
			// The diff carries that place, unchanged at both ends, to
			// somewhere else: c is not its text.
			continue
		}
		rd := editDistance(m.of[max(0, o[0]-P):min(len(m.of), o[1]+S)], w)
		if rd < d {
			return true
		}
		if rd <= d+len(w)/10 && !mapped {
			// Not clearly more like ours than like theirs: only the diff
			// can tell them apart, by mapping our passage onto this spot.
			return true
		}
	}
	return false
}

// mappedOnto reports whether the diff maps our passage onto c: its start
// or its end through unchanged text, the two no further apart than the
// passage allows, and c overlapping what they span. A passage whose start
// and end the diff sends far apart was torn by a move; it maps nowhere.
func (r *rivalry) mappedOnto(c cand) bool {
	n := len(r.q)
	s, ds := r.m.MapPosition(r.sel.Start)
	e, de := r.m.MapPosition(r.sel.End - 1)
	switch {
	case ds && de:
		if e < s || e-s+1 > n+n/4+1 {
			return false
		}
	case ds:
		e = s + n - 1
	case de:
		s = e - n + 1
	default:
		return false
	}
	return c.s <= e && s < c.e
}

// mappedElsewhere reports whether the diff carries old span o to a place
// that does not overlap candidate c: its first code point in an unchanged
// run that holds 16 code points of context before it, its last in one
// that holds 16 after it, the two about o's length apart (edits inside
// are allowed). Less is no evidence: in repeated text the diff pairs
// look-alikes on what they share.
func (m *Mapper) mappedElsewhere(o [2]int, c cand) bool {
	const side = 16
	n := o[1] - o[0]
	segs := m.pm.segs
	run := func(p int) (seg, bool) {
		i := sort.Search(len(segs), func(i int) bool { return segs[i].a > p }) - 1
		if i < 0 || p >= segs[i].a+segs[i].n {
			return seg{}, false
		}
		return segs[i], true
	}
	g1, ok1 := run(o[0])
	g2, ok2 := run(o[1] - 1)
	if n <= 0 || !ok1 || !ok2 || o[0]-g1.a < side || g2.a+g2.n-o[1] < side {
		return false
	}
	s, e := g1.b+o[0]-g1.a, g2.b+o[1]-g2.a
	if e-s < n-n/4-1 || e-s > n+n/4+1 {
		return false
	}
	return e <= c.s || s >= c.e
}

// foreign reports whether the diff explains most of candidate c as
// unchanged text from elsewhere in the old version: a passage whose two
// halves were parted by a move must not be matched on one half plus
// another paragraph's look-alike text. Short unchanged runs are ignored;
// in rewritten text the diff pairs up letters by chance.
func (m *Mapper) foreign(sel annotate.Selector, c cand) bool {
	const long = 20
	elsewhere := 0
	segs := m.pm.byB
	for p := c.s; p < c.e; p++ {
		i := sort.Search(len(segs), func(i int) bool { return segs[i].b > p }) - 1
		if i < 0 {
			continue
		}
		g := segs[i]
		if p >= g.b+g.n || g.n < long {
			continue
		}
		if o := g.a + p - g.b; o < sel.Start-2 || o >= sel.End+2 {
			elsewhere++
		}
	}
	return 2*elsewhere >= c.e-c.s
}

// piecesElsewhere reports whether the fuzzy candidate c is stitched from
// another place's text: a line or sentence of it (8 code points or more)
// stands word for word elsewhere in the old text, and is either not a line
// of our quote or mapped by the diff onto that other place. A passage that
// spanned two paragraphs, parted by a move, must not be matched on one
// half plus the look-alike paragraph now beside it.
func (m *Mapper) piecesElsewhere(sel annotate.Selector, q []rune, c cand) bool {
	const minPiece = 8
	if m.of == nil {
		return false
	}
	m.oldM0()
	qs := string(q)
	start := c.s
	for i := c.s; i <= c.e; i++ {
		if i < c.e && !strings.ContainsRune("\n.!?;。！？；", m.nf[i]) {
			continue
		}
		ps, pe := start, i
		start = i + 1
		if pe-ps < minPiece {
			continue
		}
		piece := m.nf[ps:pe]
		for _, o := range m.oldM.find(piece) {
			if o < sel.End && sel.Start < o+len(piece) {
				continue // that is our own passage
			}
			if !strings.Contains(qs, string(piece)) {
				if c.pSim == 1 && c.sSim == 1 && movedIn(q, m.nf[c.s:ps], m.nf[pe:c.e]) {
					// Our quote, context intact on both sides, with
					// a sentence from elsewhere moved into it.
					break
				}
				return true
			}
			if old, ok := m.pm.unmapPos(ps); ok && (old < sel.Start || old >= sel.End) {
				return true
			}
		}
	}
	return false
}

// movedIn reports whether before+after, the candidate without one piece,
// is our quote with at most a tenth of it edited.
func movedIn(q, before, after []rune) bool {
	rest := append(append([]rune{}, before...), after...)
	return editDistance(q, rest) <= len(q)/10
}

// placed turns an accepted candidate into a result: exact when the very
// same code points sit at the same position, shifted when the same quote
// (up to width and punctuation) moved, fuzzy otherwise.
func (m *Mapper) placed(sel annotate.Selector, c cand, fuzzy bool) Result {
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
func (m *Mapper) find(q []rune) []int { return m.findN(q, 5000) }

// findN returns the offsets of up to limit occurrences of q, overlapping
// ones included.
func (m *Mapper) findN(q []rune, limit int) []int {
	if len(q) == 0 {
		return nil
	}
	// A scan costs the text; the 3-gram index costs a few scans to build
	// and then the occurrences of one 3-gram per search. Re-anchoring one
	// selector scans; re-anchoring many indexes.
	if m.finds++; m.grams == nil && (m.finds > 8 || m.batch) && len(m.nf) > 4096 {
		m.grams = newGramIndex(m.nf)
	}
	if m.grams != nil && len(q) >= gramLen {
		return m.grams.findN(q, limit)
	}
	lz := m.lazy
	lz.fstrOnce.Do(func() {
		lz.fstr = string(m.nf)
		// Every 256th code point's byte offset, so a byte offset found by
		// strings.Index turns into a code point offset without counting
		// from the start of a megabyte text.
		lz.marks = make([]int32, 0, len(m.nf)/256+1)
		b := 0
		for i, r := range m.nf {
			if i%256 == 0 {
				lz.marks = append(lz.marks, int32(b))
			}
			b += utf8.RuneLen(r)
		}
	})
	fstr, marks := lz.fstr, lz.marks
	qs := string(q)
	var out []int
	from := 0
	for len(out) < limit && from <= len(fstr) {
		i := strings.Index(fstr[from:], qs)
		if i < 0 {
			break
		}
		at := from + i
		k := sort.Search(len(marks), func(k int) bool { return int(marks[k]) > at }) - 1
		out = append(out, k*256+utf8.RuneCountInString(fstr[marks[k]:at]))
		_, w := utf8.DecodeRuneInString(fstr[at:])
		from = at + w
	}
	return out
}

// fuzzy finds approximate matches of q with at most k edits whose start
// lies in one of regions ([lo,hi) each), snapped outward to grapheme
// boundaries, and scores them, region by region. A quote of up to 64 code
// points is set up for the bit-parallel search once for all regions (a
// filter may give thousands).
func (m *Mapper) fuzzy(q []rune, k int, regions [][2]int, pre, suf []rune, hint int) []cand {
	if m.srch == nil {
		m.srch = newSearcher(m.nf)
	}
	n := len(q)
	var out []cand
	f := fuzzyRun{m: m, q: q, k: k, pre: pre, suf: suf, hint: hint, out: &out}
	if n <= 64 {
		release := m.srch.prepare(q)
		defer release()
	}
	for _, g := range regions {
		f.region(g[0], g[1])
	}
	return out
}

// fuzzyRun is one fuzzy search: its quote, scoring inputs and results.
type fuzzyRun struct {
	m        *Mapper
	q        []rune
	k        int
	pre, suf []rune
	hint     int
	out      *[]cand
	seen     map[[2]int]bool
}

// region finds the matches starting in [lo,hi); for a quote of up to 64
// code points the searcher holds it already (see fuzzy).
func (f *fuzzyRun) region(lo, hi int) {
	m, q, k := f.m, f.q, f.k
	N := len(m.nf)
	n := len(q)
	if f.seen == nil {
		f.seen = map[[2]int]bool{}
	} else {
		clear(f.seen) // spans are told apart within a region
	}
	addSpan := func(s, e int) {
		for s > 0 && !m.boundary(s) {
			s--
		}
		for e < N && !m.boundary(e) {
			e++
		}
		if e <= s || f.seen[[2]int{s, e}] {
			return
		}
		f.seen[[2]int{s, e}] = true
		errs := editDistance(q, m.nf[s:e])
		if errs > k {
			return
		}
		c := m.judge(s, e, errs, n, f.pre, f.suf, f.hint)
		c.fuzzy = true
		*f.out = append(*f.out, c)
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
		ends := m.srch.scan(n, k, lo, hi)
		if len(ends) > maxCands {
			sort.Slice(ends, func(i, j int) bool { return ends[i].errs < ends[j].errs })
			ends = ends[:maxCands]
		}
		for _, me := range ends {
			fromEnd(me.end)
		}
		return
	}
	// A long quote: find its first and last 64 code points, each with its
	// share of the edits, and align the whole quote from there.
	// Each costs an alignment quadratic in the quote: keep the best few.
	const maxLongCands = 8
	kk := min(k, 16)
	head, tail := q[:64], q[n-64:]
	ends := m.srch.search(head, kk, lo, hi)
	if len(ends) > maxLongCands {
		sort.Slice(ends, func(i, j int) bool { return ends[i].errs < ends[j].errs })
		ends = ends[:maxLongCands]
	}
	for _, me := range ends {
		l, _ := bestPrefix(reversed(head), reversed(m.nf[max(0, me.end-64-kk):me.end]))
		fromStart(me.end - l)
	}
	ends = m.srch.search(tail, kk, lo, min(N, hi+n))
	if len(ends) > maxLongCands {
		sort.Slice(ends, func(i, j int) bool { return ends[i].errs < ends[j].errs })
		ends = ends[:maxLongCands]
	}
	for _, me := range ends {
		fromEnd(me.end)
	}
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
	lz := m.lazy
	lz.boundsOnce.Do(func() {
		lz.bounds = make([]uint64, N/64+1)
		it := graphemes.FromString(m.str)
		i := 0
		for it.Next() {
			lz.bounds[i/64] |= 1 << uint(i%64)
			i += utf8.RuneCountInString(it.Value())
		}
	})
	return lz.bounds[p/64]&(1<<uint(p%64)) != 0
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

// trace, when set (by tests), is told why a selector landed where it did.
var trace func(format string, args ...any)

func tracef(format string, args ...any) {
	if trace != nil {
		trace(format, args...)
	}
}
