package figures

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gloss/annotate"
)

// SubjectMatch is the gloss-overlap score (annotate/overlap) above which
// two figures of compatible unit and period count the same thing.
const SubjectMatch = 0.3

// Overrides are the analyst's corrections, stored by the caller (e.g. as
// project metadata) and applied on every grouping. Figures are named by ID.
type Overrides struct {
	// Merge lists sets of figures that count the same thing: each set ends
	// up in one group, with whatever else Gloss grouped with them.
	Merge [][]string `json:"merge,omitempty"`
	// Split lists figures taken out of their group: each stands alone
	// unless a Merge names it.
	Split []string `json:"split,omitempty"`
	// Preferred marks the figure to use in its group.
	Preferred []string `json:"preferred,omitempty"`
	// Ignore lists numbers that are not figures (a byte count, a name).
	Ignore []string `json:"ignore,omitempty"`
}

// Group is a set of figures counting the same thing.
type Group struct {
	ID      string   `json:"id"` // the ID of its first figure
	Figures []Figure `json:"figures"`
	Unit    string   `json:"unit"`
	// Counts is the counted noun of the first figure that names one.
	Counts string `json:"counts,omitempty"`
	// Period spans the members' periods ("2023", "FY2023 / 2023").
	Period string `json:"period,omitempty"`
	// Conflict: two members disagree beyond rounding; Conflicts lists the
	// pairs (indexes into Figures) and Explanation says it in a sentence.
	// ConflictPairs counts every disagreeing pair (Conflicts lists at
	// most MaxConflictPairs of them); InConflict lists the figures in one.
	Conflict      bool     `json:"conflict"`
	Conflicts     [][2]int `json:"conflicts,omitempty"`
	ConflictPairs int      `json:"conflictPairs,omitempty"`
	InConflict    []int    `json:"inConflict,omitempty"`
	Explanation   string   `json:"explanation,omitempty"`
	// Preferred is the index of the figure marked to use, or -1.
	Preferred int `json:"preferred"`
	// Manual: an override shaped this group.
	Manual bool `json:"manual,omitempty"`
	// Members are the figures as indexes into the slice given to
	// Partition (Groups leaves it nil and fills Figures).
	Members []int `json:"-"`
}

// Table extracts the figures of every source with a text and groups them.
// Summaries are left out: their figures are checked against their
// evidence instead (see Check).
func Table(sources []annotate.Source, text func(id string) (string, bool), ov Overrides) []Group {
	var figs []Figure
	for _, s := range sources {
		if s.Kind == annotate.KindSummary {
			continue
		}
		if t, ok := text(s.ID); ok {
			figs = append(figs, Extract(s, t)...)
		}
	}
	return Groups(figs, ov)
}

// Conflicts keeps the groups flagged as conflicts.
func Conflicts(gs []Group) []Group {
	var out []Group
	for _, g := range gs {
		if g.Conflict {
			out = append(out, g)
		}
	}
	return out
}

// compatible units can count the same thing.
func compatible(a, b string) bool {
	if a == b {
		return a != ""
	}
	pe := func(u string) bool { return u == "people" || u == "events" }
	return pe(a) && pe(b)
}

// unitClass puts units that can count the same thing in one class.
func unitClass(u string) string {
	if u == "events" {
		return "people"
	}
	return u
}

// Same reports whether Gloss takes two figures to count the same thing:
// compatible units, overlapping periods (or none on both sides), and
// subjects that overlap, across languages too.
func Same(a, b Figure) bool {
	t := NewKeyTable()
	ka, kb := t.Key(&a), t.Key(&b)
	return same(t, &ka, &kb, nil)
}

// scores caches subject scores by clause: a project repeats clauses
// (captions, boilerplate, quotes), and the pairwise pass meets them often.
// Clauses are numbered by the KeyTable so that a lookup hashes two ints,
// not texts.
type scores struct {
	t     *KeyTable
	score map[[2]int32]float64
}

func newScores(t *KeyTable) *scores {
	return &scores{t: t, score: map[[2]int32]float64{}}
}

func (c *scores) of(t *KeyTable, a, b *Key) float64 {
	if c == nil {
		return score(t.subject(a), t.subject(b))
	}
	k := [2]int32{a.sid, b.sid}
	if k[1] < k[0] {
		k[0], k[1] = k[1], k[0]
	}
	v, ok := c.score[k]
	if !ok {
		v = score(t.subject(a), t.subject(b))
		if len(c.score) >= maxCachedScores {
			// Clauses that quote their own numbers are all distinct: a
			// cache of every pair met grew to 130 MB at 333,923 figures.
			clear(c.score)
		}
		c.score[k] = v
	}
	return v
}

// maxCachedScores bounds the score cache (a score is cheap to compute
// again; the cache pays off on repeated clauses, which meet early).
const maxCachedScores = 1 << 18

func same(t *KeyTable, a, b *Key, c *scores) bool {
	if !compatible(t.str(a.unit), t.str(b.unit)) || a.hasPeriod != b.hasPeriod {
		return false
	}
	// timeline.Date.Overlaps on whole days.
	if a.hasPeriod && (a.to < b.from || b.to < a.from) {
		return false
	}
	if a.src == b.src && a.pass == b.pass {
		return false // two numbers of one sentence are two things
	}
	return c.of(t, a, b) >= SubjectMatch
}

// Groups groups figures: dated figures by Same (transitively), then each
// undated figure joins the dated group it matches best, if any (an
// undated figure must not chain two periods together), and the rest
// group among themselves. Overrides apply last. Singletons are groups too.
// maxCandidates bounds how many subjects an undated figure is scored
// against (those sharing its rarest terms).
const maxCandidates = 48

// maxOverlapping bounds how many later figures of overlapping periods a
// dated figure is compared with.
const maxOverlapping = 256

func Groups(figs []Figure, ov Overrides) []Group { return groupFigures(pointers(figs), ov, true) }

// Partition is Groups without copying the figures into their groups: each
// group's Members lists its figures as indexes into figs and its Figures
// is nil (a report of hundreds of thousands of figures keeps one copy).
func Partition(figs []Figure, ov Overrides) []Group { return groupFigures(pointers(figs), ov, false) }

// PartitionOf is Partition of figures held elsewhere (a report keeps each
// source's figures in its own slice): Members index figs.
func PartitionOf(figs []*Figure, ov Overrides) []Group { return groupFigures(figs, ov, false) }

// PartitionKeys is Partition of figures held as keys of table t (a
// report of hundreds of thousands of figures holds only their keys):
// Members index keys, and ID is left empty (t.ID of the first member
// gives it; most groups are never named).
func PartitionKeys(keys []*Key, t *KeyTable, ov Overrides) []Group { return group(keys, t, ov, false) }

// groupFigures groups figures through their keys, filling the groups'
// Figures when copyFigures is set.
func groupFigures(figs []*Figure, ov Overrides, copyFigures bool) []Group {
	t := NewKeyTable()
	ks := make([]Key, len(figs))
	kp := make([]*Key, len(figs))
	for i, f := range figs {
		ks[i] = t.key(f)
		kp[i] = &ks[i]
	}
	gs := group(kp, t, ov, true)
	if copyFigures {
		for k := range gs {
			g := &gs[k]
			g.Figures = make([]Figure, len(g.Members))
			for x, i := range g.Members {
				g.Figures[x] = *figs[i]
			}
			g.Members = nil
		}
	}
	return gs
}

func pointers(figs []Figure) []*Figure {
	out := make([]*Figure, len(figs))
	for i := range figs {
		out[i] = &figs[i]
	}
	return out
}

func group(figs []*Key, t *KeyTable, ov Overrides, ids bool) []Group {
	ignore := toSet(ov.Ignore)
	// fs are the figures not ignored; pos is where each is in figs.
	fs := make([]*Key, 0, len(figs))
	pos := make([]int, 0, len(figs))
	for i := range figs {
		if len(ignore) == 0 || !ignore[t.ID(figs[i])] {
			fs = append(fs, figs[i])
			pos = append(pos, i)
		}
	}
	// IDs are built only to apply overrides that name them.
	var isSplit []bool
	if len(ov.Split) > 0 {
		split := toSet(ov.Split)
		isSplit = make([]bool, len(fs))
		for i, f := range fs {
			isSplit[i] = split[t.ID(f)]
		}
	}
	splitAt := func(i int) bool { return isSplit != nil && isSplit[i] }
	parent := make([]int, len(fs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(i, j int) {
		ri, rj := find(i), find(j)
		if ri != rj {
			if rj < ri {
				ri, rj = rj, ri
			}
			parent[rj] = ri
		}
	}
	// Compare only within a unit class, sorted by period start, and only
	// figures whose periods can still overlap; pairs already joined are
	// skipped, which keeps repeated figures cheap.
	cache := newScores(t)
	sid := make([]int32, len(fs))
	for i := range fs {
		sid[i] = fs[i].sid
	}
	// Figures with one unit class, period and clause text are one
	// signature (a repeated caption, a quote copied across sources): join
	// them at once and compare only up to two representatives of each —
	// the second from another sentence, since two numbers of one sentence
	// are never the same thing.
	type sigKey struct {
		class    string
		from, to int64
		sid      int32
	}
	sigs := map[sigKey][]int{}
	var sigOrder []sigKey
	for i, f := range fs {
		if splitAt(i) || !f.hasPeriod || f.unit == 0 {
			continue
		}
		k := sigKey{unitClass(t.str(f.unit)), f.from, f.to, sid[i]}
		if _, ok := sigs[k]; !ok {
			sigOrder = append(sigOrder, k)
		}
		sigs[k] = append(sigs[k], i)
	}
	// place is a figure's sentence (compared without boxing: this runs
	// for every pair compared).
	type sentence struct{ src, start int32 }
	place := func(i int) sentence { return sentence{fs[i].src, fs[i].pass} }
	buckets := map[string][]int{}
	for _, k := range sigOrder {
		m := sigs[k]
		rep, other := m[0], -1
		for _, x := range m {
			if place(x) != place(rep) {
				other = x
				break
			}
		}
		if other >= 0 && same(t, fs[rep], fs[other], cache) {
			for _, x := range m[1:] {
				if place(x) != place(rep) {
					union(x, rep)
				} else {
					union(x, other)
				}
			}
		}
		buckets[k.class] = append(buckets[k.class], rep)
		if other >= 0 {
			buckets[k.class] = append(buckets[k.class], other)
		}
	}
	for _, idx := range buckets {
		sort.Slice(idx, func(a, b int) bool { return fs[idx[a]].from < fs[idx[b]].from })
		for x, i := range idx {
			for n, j := range idx[x+1:] {
				if fs[j].from > fs[i].to {
					break // sorted by start: no later one overlaps i
				}
				if n >= maxOverlapping {
					// Thousands of figures of one period (a year of
					// monitoring): each is compared with its next ones
					// only; transitivity joins the rest of a run.
					break
				}
				if find(i) != find(j) && same(t, fs[i], fs[j], cache) {
					union(i, j)
				}
			}
		}
	}
	candidates := map[string][]int{}
	for i, f := range fs {
		if f.unit != 0 {
			c := unitClass(t.str(f.unit))
			candidates[c] = append(candidates[c], i)
		}
	}
	// A score depends only on the two subjects, so an undated figure is
	// compared with the first two figures (from different passages) of
	// each distinct subject of its unit class, not with every figure: the
	// same choice (the first figure with the best score, in order, not in
	// its own passage), at a cost that grows with the subjects, not with
	// the square of the figures (a 1,000-source report took minutes).
	// (Two representatives in place: a slice each was 10 MB at 333,923
	// figures.)
	type subjectReps struct {
		sid, n int32
		rep    [2]int32
	}
	repsOf := map[string][]subjectReps{}
	for class, list := range candidates {
		at := map[int32]int{}
		var rs []subjectReps
		for _, j := range list {
			if splitAt(j) {
				continue
			}
			k, ok := at[sid[j]]
			if !ok {
				at[sid[j]] = len(rs)
				rs = append(rs, subjectReps{sid: sid[j], n: 1, rep: [2]int32{int32(j)}})
				continue
			}
			if r := &rs[k]; r.n < 2 && place(int(r.rep[0])) != place(j) {
				r.rep[1], r.n = int32(j), 2
			}
		}
		repsOf[class] = rs
	}
	// Subjects that score at all share a term, so each undated figure is
	// scored against subjects sharing its rarest terms first, at most
	// maxCandidates of them: with thousands of distinct subjects (clauses
	// that quote other numbers) scoring every pair took minutes.
	postings := map[string]*postingLists{} // class -> term -> subjects
	for class, rs := range repsOf {
		pt := &postingLists{at: map[uint64][2]int32{}}
		// Counted, then filled into one slice (a slice per term was 8 MB
		// at 10,000 sources), each list in the subjects' order.
		for _, r := range rs {
			for _, h := range t.subject(fs[r.rep[0]]).terms() {
				e := pt.at[h]
				e[1]++
				pt.at[h] = e
			}
		}
		n := int32(0)
		for h, e := range pt.at {
			pt.at[h] = [2]int32{n, 0}
			n += e[1]
		}
		pt.ids = make([]int32, n)
		for k, r := range rs {
			for _, h := range t.subject(fs[r.rep[0]]).terms() {
				e := pt.at[h]
				pt.ids[e[0]+e[1]] = int32(k)
				e[1]++
				pt.at[h] = e
			}
		}
		postings[class] = pt
	}
	// One set of buffers serves every undated figure (fresh ones made a
	// gigabyte of garbage at 333,923 figures).
	var terms []uint64
	var cands []subjectReps
	picked := map[int32]bool{}
	for i := range fs {
		if splitAt(i) || fs[i].hasPeriod || fs[i].unit == 0 {
			continue
		}
		class := unitClass(t.str(fs[i].unit))
		pt, all := postings[class], repsOf[class]
		if pt == nil {
			continue // no subject to compare with
		}
		terms = append(terms[:0], t.subject(fs[i]).terms()...)
		slices.SortStableFunc(terms, func(a, b uint64) int { return cmp.Compare(pt.at[a][1], pt.at[b][1]) })
		clear(picked)
		cands = cands[:0]
		for _, t := range terms {
			for _, k := range pt.of(t) {
				if len(cands) >= maxCandidates {
					break
				}
				if !picked[k] {
					picked[k] = true
					cands = append(cands, all[k])
				}
			}
		}
		best, bestAt, bestScore := -1, -1, 0.0
		for _, r := range cands {
			j := -1
			for _, c := range r.rep[:r.n] {
				if int(c) != i && place(int(c)) != place(i) {
					j = int(c)
					break
				}
			}
			if j < 0 {
				continue
			}
			// Ties go to the figure first in order, as a walk over every
			// figure would choose.
			if s := cache.of(t, fs[i], fs[j]); s >= SubjectMatch && (s > bestScore || s == bestScore && j < bestAt) {
				best, bestAt, bestScore = j, j, s
			}
		}
		if best >= 0 {
			union(i, best)
		}
	}
	at := map[string]int{} // only overrides look figures up by ID
	if len(ov.Merge)+len(ov.Split) > 0 {
		for i, f := range fs {
			at[t.ID(f)] = i
		}
	}
	manual := map[int]bool{}
	for _, set := range ov.Merge {
		first := -1
		for _, id := range set {
			if i, ok := at[id]; ok {
				if first < 0 {
					first = i
				} else {
					union(first, i)
				}
			}
		}
		if first >= 0 {
			manual[first] = true
		}
	}
	for _, id := range ov.Split {
		if i, ok := at[id]; ok {
			manual[i] = true
		}
	}
	// Groups are numbered by their first figure; counted first so that
	// out is allocated once (a report groups hundreds of thousands).
	groupOf := make([]int32, len(fs)) // root -> index in out, -1 before
	for i := range groupOf {
		groupOf[i] = -1
	}
	n := 0
	size := make([]int32, 0, len(fs)/2)
	for i := range fs {
		r := find(i)
		if groupOf[r] < 0 {
			groupOf[r] = int32(n)
			n++
			size = append(size, 0)
		}
		size[groupOf[r]]++
	}
	out := make([]Group, n)
	// The members of every group share one slice (a slice each was
	// 150,000 allocations at 10,000 sources); each is capped at its own.
	members := make([]int, len(fs))
	next := 0
	for i, f := range fs {
		g := &out[groupOf[find(i)]]
		if g.Members == nil {
			m := int(size[groupOf[find(i)]])
			*g = Group{Unit: t.str(f.unit), Preferred: -1, Members: members[next:next:(next + m)]}
			next += m
			if ids {
				g.ID = t.ID(f)
			}
		}
		g.Members = append(g.Members, pos[i])
		if manual[i] {
			g.Manual = true
		}
	}
	pref := toSet(ov.Preferred)
	var keys []*Key
	for k := range out {
		g := &out[k]
		keys = keys[:0]
		for _, i := range g.Members {
			keys = append(keys, figs[i])
		}
		finishKeys(g, t, keys, pref)
	}
	return out
}

// postingLists lists, for each term, the subjects that have it: ids
// [at[t][0], at[t][0]+at[t][1]).
type postingLists struct {
	at  map[uint64][2]int32
	ids []int32
}

func (p *postingLists) of(t uint64) []int32 {
	if p == nil {
		return nil
	}
	e := p.at[t]
	return p.ids[e[0] : e[0]+e[1]]
}

func toSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// finish fills a group's summary fields and flags its conflicts.
func finish(g *Group, fs []*Figure, pref map[string]bool) {
	t := NewKeyTable()
	ks := make([]*Key, len(fs))
	for i, f := range fs {
		k := t.key(f)
		ks[i] = &k
	}
	finishKeys(g, t, ks, pref)
}

func finishKeys(g *Group, t *KeyTable, fs []*Key, pref map[string]bool) {
	if len(fs) == 1 && finishOne(g, t, fs[0], pref) {
		return
	}
	var periods []string
	seen := map[string]bool{}
	for i, f := range fs {
		if g.Counts == "" && f.counts != 0 {
			g.Counts = t.str(f.counts)
		}
		if p := t.periodLabel(f); p != "" && !seen[p] {
			seen[p] = true
			periods = append(periods, p)
		}
		if len(pref) > 0 && pref[t.ID(f)] {
			g.Preferred = i
		}
		if u := t.str(f.unit); u != g.Unit && g.Unit == "events" {
			g.Unit = u // people over events: what the count is of
		}
	}
	sort.Strings(periods)
	g.Period = strings.Join(periods, " / ")
	// Whether two figures agree depends only on the bounds their writing
	// implies, and a large group repeats a few values many times: compare
	// the distinct bounds, not every pair of figures.
	// Two figures agree when their bounds overlap (numerals.Agrees), so
	// with the distinct bounds sorted by their upper end, the figures a
	// class disagrees with from below are a prefix: counting and marking
	// cost a sort, not a comparison of every pair of values (a group of
	// thousands of distinct values took minutes).
	type class struct {
		lo, hi  float64
		members []int
	}
	var classes []*class
	byBounds := map[[2]float64]*class{}
	for i, f := range fs {
		lo, hi := t.number(f).Bounds()
		c := byBounds[[2]float64{lo, hi}]
		if c == nil {
			c = &class{lo: lo, hi: hi}
			byBounds[[2]float64{lo, hi}] = c
			classes = append(classes, c)
		}
		c.members = append(c.members, i)
	}
	const eps = 1e-9 // as numerals.Agrees
	byHi := slices.Clone(classes)
	sort.SliceStable(byHi, func(x, y int) bool { return byHi[x].hi < byHi[y].hi })
	below := make([]int, len(byHi)+1) // figures in byHi[:k]
	minHi, maxLo := math.Inf(1), math.Inf(-1)
	for k, c := range byHi {
		below[k+1] = below[k] + len(c.members)
		minHi, maxLo = min(minHi, c.hi), max(maxLo, c.lo)
	}
	inConflict := make([]bool, len(fs))
	total := 0
	for _, a := range classes {
		if minHi+eps < a.lo || a.hi+eps < maxLo {
			for _, i := range a.members {
				inConflict[i] = true
			}
		}
		// Classes wholly below a disagree with it; each such pair is
		// counted once, from its upper class.
		k := sort.Search(len(byHi), func(x int) bool { return byHi[x].hi+eps >= a.lo })
		total += len(a.members) * below[k]
		for _, b := range byHi[:k] {
			if len(g.Conflicts) >= MaxConflictPairs {
				break
			}
			for _, i := range a.members {
				for _, j := range b.members {
					if len(g.Conflicts) < MaxConflictPairs {
						g.Conflicts = append(g.Conflicts, [2]int{min(i, j), max(i, j)})
					}
				}
			}
		}
	}
	sort.Slice(g.Conflicts, func(x, y int) bool {
		a, b := g.Conflicts[x], g.Conflicts[y]
		return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1])
	})
	for i, on := range inConflict {
		if on {
			g.InConflict = append(g.InConflict, i)
		}
	}
	g.ConflictPairs = total
	g.Conflict = total > 0
	if g.Conflict {
		c := g.Conflicts[0]
		a, b := fs[c[0]], fs[c[1]]
		g.Explanation = fmt.Sprintf("%s says %s%s; %s says %s%s", t.str(a.src), t.str(a.text), inPeriod(t, a), t.str(b.src), t.str(b.text), inPeriod(t, b))
		if n := total - 1; n > 0 {
			g.Explanation += fmt.Sprintf(" (and %d more disagreeing pair%s)", n, plural(n))
		}
	}
}

// finishOne is finish for a group of one figure (most groups of a large
// project), without the maps and sorts of many: false when its bounds are
// crossed (a figure can then disagree with itself) and finish must judge.
func finishOne(g *Group, t *KeyTable, f *Key, pref map[string]bool) bool {
	const eps = 1e-9 // as finish
	if lo, hi := t.number(f).Bounds(); hi+eps < lo {
		return false
	}
	g.Counts = t.str(f.counts)
	g.Period = t.periodLabel(f)
	if len(pref) > 0 && pref[t.ID(f)] {
		g.Preferred = 0
	}
	return true
}

// MaxConflictPairs bounds the pairs a group lists in Conflicts; a group
// of thousands of figures in two camps has millions, and ConflictPairs
// counts them all.
const MaxConflictPairs = 1000

func inPeriod(t *KeyTable, f *Key) string {
	if p := t.periodLabel(f); p != "" {
		return " (" + p + ")"
	}
	return ""
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
