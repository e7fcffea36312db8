package annotate

import "slices"

// ToReview reports whether an analyst must look at a again: its passage
// was found only roughly or not at all after its text changed, or a merge
// left other versions of it.
func ToReview(a *Annotation) bool { return a.Anchor.NeedsReview() || len(a.Conflicts) > 0 }

// Totals are the project-wide counts a window shows (code and stance
// usage, authors, what needs review) as the project file's indexes give
// them, so a large project's window need not hold every annotation to
// show them.
type Totals struct {
	Annotations int
	Usage       map[string]int // code ID -> annotations carrying it
	Stances     map[string]int // target ID -> annotations taking a stance toward it
	Authors     map[string]int // author -> annotations made
	Review      map[string]int // source ID -> annotations needing review
}

// WithTotals returns x with its counts replaced by t, for an index that
// holds only some sources' annotations (a project opened paged): from
// then on it keeps them current through the changes it is given (With),
// while sources read later (WithSource) add no counts. The review list
// stays the annotations the index holds: a paged session reads every
// source with one (t.Review) so that it is whole.
func (x *Index) WithTotals(t Totals) *Index {
	y := x.With(Change{})
	y.nAnn = t.Annotations
	y.usage, y.stances, y.authors = cloneMap(t.Usage), cloneMap(t.Stances), cloneMap(t.Authors)
	y.totals = true
	return y
}

// HasTotals reports whether x's counts are the project's (WithTotals), not
// those of the annotations it holds.
func (x *Index) HasTotals() bool { return x.totals }

// WithSource returns x with a source's annotations as read from the
// project file, for an index that holds only some sources' annotations
// (a source about to be shown). They are counted unless x has the
// project's totals, which count them already.
func (x *Index) WithSource(anns []Annotation) *Index {
	y := x.With(Change{PutAnnotations: anns})
	if x.totals {
		y.nAnn, y.usage, y.stances, y.authors = x.nAnn, x.usage, x.stances, x.authors
	}
	return y
}

// TotalsOf counts annotations as Totals are counted, for a project held
// whole (the in-memory store; tests compare a file's totals with it).
func TotalsOf(anns []Annotation) Totals {
	t := Totals{Usage: map[string]int{}, Stances: map[string]int{}, Authors: map[string]int{}, Review: map[string]int{}}
	for i := range anns {
		a := &anns[i]
		t.Annotations++
		for _, c := range a.Codes {
			t.Usage[c]++
		}
		for _, m := range a.Stances {
			t.Stances[m.Target]++
		}
		if a.Author != "" {
			t.Authors[a.Author]++
		}
		if ToReview(a) {
			t.Review[a.SourceID]++
		}
	}
	return t
}

// WithUnreadable returns x with records named as unreadable (in
// P.Unreadable), each once.
func (x *Index) WithUnreadable(names []string) *Index {
	y := x.With(Change{})
	seen := make(map[string]bool, len(y.P.Unreadable))
	out := slices.Clone(y.P.Unreadable)
	for _, n := range out {
		seen[n] = true
	}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	y.P.Unreadable = out
	return y
}
