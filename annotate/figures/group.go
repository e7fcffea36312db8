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
func Same(a, b Figure) bool { return same(&a, &b, 0, 0, nil) }

// scores caches subject scores by clause: a project repeats clauses
// (captions, boilerplate, quotes), and the pairwise pass meets them often.
// Clauses are numbered once so that a lookup hashes two ints, not texts.
type scores struct {
	id    map[uint64]int32
	score map[[2]int32]float64
}

func newScores() *scores {
	return &scores{id: map[uint64]int32{}, score: map[[2]int32]float64{}}
}

func (c *scores) of(a, b *Figure, sa, sb int32) float64 {
	if c == nil {
		return score(&a.subject, &b.subject)
	}
	k := [2]int32{sa, sb}
	if k[1] < k[0] {
		k[0], k[1] = k[1], k[0]
	}
	v, ok := c.score[k]
	if !ok {
		v = score(&a.subject, &b.subject)
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

func (c *scores) intern(s uint64) int32 {
	if id, ok := c.id[s]; ok {
		return id
	}
	id := int32(len(c.id))
	c.id[s] = id
	return id
}

func same(a, b *Figure, sa, sb int32, c *scores) bool {
	if !compatible(a.Unit, b.Unit) || a.HasPeriod != b.HasPeriod {
		return false
	}
	if a.HasPeriod && !a.Period.Overlaps(b.Period) {
		return false
	}
	if a.SourceID == b.SourceID && a.Passage.Start == b.Passage.Start {
		return false // two numbers of one sentence are two things
	}
	return c.of(a, b, sa, sb) >= SubjectMatch
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

func Groups(figs []Figure, ov Overrides) []Group { return group(pointers(figs), ov, true) }

// Partition is Groups without copying the figures into their groups: each
// group's Members lists its figures as indexes into figs and its Figures
// is nil (a report of hundreds of thousands of figures keeps one copy).
func Partition(figs []Figure, ov Overrides) []Group { return group(pointers(figs), ov, false) }

// PartitionOf is Partition of figures held elsewhere (a report keeps each
// source's figures in its own slice): Members index figs.
func PartitionOf(figs []*Figure, ov Overrides) []Group { return group(figs, ov, false) }

func pointers(figs []Figure) []*Figure {
	out := make([]*Figure, len(figs))
	for i := range figs {
		out[i] = &figs[i]
	}
	return out
}

func group(figs []*Figure, ov Overrides, copyFigures bool) []Group {
	ignore := toSet(ov.Ignore)
	// fs are the figures not ignored; pos is where each is in figs.
	fs := make([]*Figure, 0, len(figs))
	pos := make([]int, 0, len(figs))
	for i := range figs {
		if !ignore[figs[i].ID] {
			fs = append(fs, figs[i])
			pos = append(pos, i)
		}
	}
	split := toSet(ov.Split)
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
	cache := newScores()
	sid := make([]int32, len(fs))
	for i := range fs {
		sid[i] = cache.intern(fs[i].subjKey)
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
		if split[f.ID] || !f.HasPeriod || f.Unit == "" {
			continue
		}
		k := sigKey{unitClass(f.Unit), f.Period.From.Unix(), f.Period.To.Unix(), sid[i]}
		if _, ok := sigs[k]; !ok {
			sigOrder = append(sigOrder, k)
		}
		sigs[k] = append(sigs[k], i)
	}
	// place is a figure's sentence (compared without boxing: this runs
	// for every pair compared).
	type sentence struct {
		src   string
		start int
	}
	place := func(i int) sentence { return sentence{fs[i].SourceID, fs[i].Passage.Start} }
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
		if other >= 0 && same(fs[rep], fs[other], sid[rep], sid[other], cache) {
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
		sort.Slice(idx, func(a, b int) bool { return fs[idx[a]].Period.From.Before(fs[idx[b]].Period.From) })
		for x, i := range idx {
			for n, j := range idx[x+1:] {
				if fs[j].Period.From.After(fs[i].Period.To) {
					break // sorted by start: no later one overlaps i
				}
				if n >= maxOverlapping {
					// Thousands of figures of one period (a year of
					// monitoring): each is compared with its next ones
					// only; transitivity joins the rest of a run.
					break
				}
				if find(i) != find(j) && same(fs[i], fs[j], sid[i], sid[j], cache) {
					union(i, j)
				}
			}
		}
	}
	candidates := map[string][]int{}
	for i, f := range fs {
		if f.Unit != "" {
			candidates[unitClass(f.Unit)] = append(candidates[unitClass(f.Unit)], i)
		}
	}
	// A score depends only on the two subjects, so an undated figure is
	// compared with the first two figures (from different passages) of
	// each distinct subject of its unit class, not with every figure: the
	// same choice (the first figure with the best score, in order, not in
	// its own passage), at a cost that grows with the subjects, not with
	// the square of the figures (a 1,000-source report took minutes).
	type subjectReps struct {
		sid  int32
		reps []int
	}
	repsOf := map[string][]subjectReps{}
	for class, list := range candidates {
		at := map[int32]int{}
		var rs []subjectReps
		for _, j := range list {
			if split[fs[j].ID] {
				continue
			}
			k, ok := at[sid[j]]
			if !ok {
				at[sid[j]] = len(rs)
				rs = append(rs, subjectReps{sid: sid[j], reps: []int{j}})
				continue
			}
			if r := &rs[k]; len(r.reps) < 2 && place(r.reps[0]) != place(j) {
				r.reps = append(r.reps, j)
			}
		}
		repsOf[class] = rs
	}
	// Subjects that score at all share a term, so each undated figure is
	// scored against subjects sharing its rarest terms first, at most
	// maxCandidates of them: with thousands of distinct subjects (clauses
	// that quote other numbers) scoring every pair took minutes.
	postings := map[string]map[uint64][]int{} // class -> term -> subjects
	for class, rs := range repsOf {
		pt := map[uint64][]int{}
		for k, r := range rs {
			for _, t := range fs[r.reps[0]].subject.terms() {
				pt[t] = append(pt[t], k)
			}
		}
		postings[class] = pt
	}
	// One set of buffers serves every undated figure (fresh ones made a
	// gigabyte of garbage at 333,923 figures).
	var terms []uint64
	var cands []subjectReps
	picked := map[int]bool{}
	for i := range fs {
		if split[fs[i].ID] || fs[i].HasPeriod || fs[i].Unit == "" {
			continue
		}
		class := unitClass(fs[i].Unit)
		pt, all := postings[class], repsOf[class]
		terms = append(terms[:0], fs[i].subject.terms()...)
		slices.SortStableFunc(terms, func(a, b uint64) int { return cmp.Compare(len(pt[a]), len(pt[b])) })
		clear(picked)
		cands = cands[:0]
		for _, t := range terms {
			for _, k := range pt[t] {
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
			for _, c := range r.reps {
				if c != i && place(c) != place(i) {
					j = c
					break
				}
			}
			if j < 0 {
				continue
			}
			// Ties go to the figure first in order, as a walk over every
			// figure would choose.
			if s := cache.of(fs[i], fs[j], sid[i], sid[j]); s >= SubjectMatch && (s > bestScore || s == bestScore && j < bestAt) {
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
			at[f.ID] = i
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
	for i, f := range fs {
		g := &out[groupOf[find(i)]]
		if g.Members == nil {
			*g = Group{ID: f.ID, Unit: f.Unit, Preferred: -1, Members: make([]int, 0, size[groupOf[find(i)]])}
		}
		g.Members = append(g.Members, pos[i])
		if manual[i] {
			g.Manual = true
		}
	}
	pref := toSet(ov.Preferred)
	var members []*Figure
	for k := range out {
		g := &out[k]
		members = members[:0]
		for _, i := range g.Members {
			members = append(members, figs[i])
		}
		finish(g, members, pref)
		if copyFigures {
			g.Figures = make([]Figure, len(g.Members))
			for x, i := range g.Members {
				g.Figures[x] = *figs[i]
			}
			g.Members = nil
		}
	}
	return out
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
	var periods []string
	seen := map[string]bool{}
	for i, f := range fs {
		if g.Counts == "" && f.Counts != "" {
			g.Counts = f.Counts
		}
		if p := f.PeriodLabel(); p != "" && !seen[p] {
			seen[p] = true
			periods = append(periods, p)
		}
		if pref[f.ID] {
			g.Preferred = i
		}
		if f.Unit != g.Unit && g.Unit == "events" {
			g.Unit = f.Unit // people over events: what the count is of
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
		lo, hi := f.Number.Bounds()
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
		g.Explanation = fmt.Sprintf("%s says %s%s; %s says %s%s", a.SourceID, a.Number.Text, inPeriod(a), b.SourceID, b.Number.Text, inPeriod(b))
		if n := total - 1; n > 0 {
			g.Explanation += fmt.Sprintf(" (and %d more disagreeing pair%s)", n, plural(n))
		}
	}
}

// MaxConflictPairs bounds the pairs a group lists in Conflicts; a group
// of thousands of figures in two camps has millions, and ConflictPairs
// counts them all.
const MaxConflictPairs = 1000

func inPeriod(f *Figure) string {
	if p := f.PeriodLabel(); p != "" {
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
