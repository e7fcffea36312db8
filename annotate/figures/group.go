package figures

import (
	"fmt"
	"sort"
	"strings"

	"gloss/annotate"
	"gloss/annotate/numerals"
	"gloss/annotate/overlap"
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
	Conflict    bool     `json:"conflict"`
	Conflicts   [][2]int `json:"conflicts,omitempty"`
	Explanation string   `json:"explanation,omitempty"`
	// Preferred is the index of the figure marked to use, or -1.
	Preferred int `json:"preferred"`
	// Manual: an override shaped this group.
	Manual bool `json:"manual,omitempty"`
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

// Same reports whether Gloss takes two figures to count the same thing:
// compatible units, overlapping periods (or none on both sides), and
// subjects that overlap, across languages too.
func Same(a, b Figure) bool {
	if !compatible(a.Unit, b.Unit) || a.HasPeriod != b.HasPeriod {
		return false
	}
	if a.HasPeriod && !a.Period.Overlaps(b.Period) {
		return false
	}
	if a.SourceID == b.SourceID && a.Passage.Start == b.Passage.Start {
		return false // two numbers of one sentence are two things
	}
	return overlap.Score(a.subject, b.subject) >= SubjectMatch
}

// Groups groups figures: dated figures by Same (transitively), then each
// undated figure joins the dated group it matches best, if any (an
// undated figure must not chain two periods together), and the rest
// group among themselves. Overrides apply last. Singletons are groups too.
func Groups(figs []Figure, ov Overrides) []Group {
	ignore := toSet(ov.Ignore)
	var fs []Figure
	for _, f := range figs {
		if !ignore[f.ID] {
			fs = append(fs, f)
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
	for i := range fs {
		if split[fs[i].ID] || !fs[i].HasPeriod {
			continue
		}
		for j := i + 1; j < len(fs); j++ {
			if !split[fs[j].ID] && fs[j].HasPeriod && Same(fs[i], fs[j]) {
				union(i, j)
			}
		}
	}
	for i := range fs {
		if split[fs[i].ID] || fs[i].HasPeriod {
			continue
		}
		best, bestScore := -1, 0.0
		for j := range fs {
			if j == i || split[fs[j].ID] || !compatible(fs[i].Unit, fs[j].Unit) {
				continue
			}
			if fs[j].SourceID == fs[i].SourceID && fs[j].Passage.Start == fs[i].Passage.Start {
				continue
			}
			if s := overlap.Score(fs[i].subject, fs[j].subject); s >= SubjectMatch && s > bestScore {
				best, bestScore = j, s
			}
		}
		if best >= 0 {
			union(i, best)
		}
	}
	at := map[string]int{}
	for i, f := range fs {
		at[f.ID] = i
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
	byRoot := map[int]*Group{}
	var order []int
	for i, f := range fs {
		r := find(i)
		g := byRoot[r]
		if g == nil {
			g = &Group{ID: f.ID, Unit: f.Unit, Preferred: -1}
			byRoot[r] = g
			order = append(order, r)
		}
		g.Figures = append(g.Figures, f)
		if manual[i] {
			g.Manual = true
		}
	}
	pref := toSet(ov.Preferred)
	out := make([]Group, 0, len(order))
	for _, r := range order {
		g := byRoot[r]
		finish(g, pref)
		out = append(out, *g)
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
func finish(g *Group, pref map[string]bool) {
	var periods []string
	seen := map[string]bool{}
	for i, f := range g.Figures {
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
	for i := range g.Figures {
		for j := i + 1; j < len(g.Figures); j++ {
			if !numerals.Agrees(g.Figures[i].Number, g.Figures[j].Number) {
				g.Conflicts = append(g.Conflicts, [2]int{i, j})
			}
		}
	}
	g.Conflict = len(g.Conflicts) > 0
	if g.Conflict {
		c := g.Conflicts[0]
		a, b := g.Figures[c[0]], g.Figures[c[1]]
		g.Explanation = fmt.Sprintf("%s says %s%s; %s says %s%s", a.SourceID, a.Number.Text, inPeriod(a), b.SourceID, b.Number.Text, inPeriod(b))
		if n := len(g.Conflicts) - 1; n > 0 {
			g.Explanation += fmt.Sprintf(" (and %d more disagreeing pair%s)", n, plural(n))
		}
	}
}

func inPeriod(f Figure) string {
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
