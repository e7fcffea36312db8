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
		y.keepCounts(x)
	}
	return y
}

// keepCounts gives y x's counts: those of the project (WithTotals), which
// reading or letting go of a source's annotations leaves as they are.
func (y *Index) keepCounts(x *Index) {
	y.nAnn, y.usage, y.stances, y.authors = x.nAnn, x.usage, x.stances, x.authors
}

// TotalsOf counts annotations as Totals are counted, for a project held
// whole (the in-memory store; tests compare a file's totals with it).
func TotalsOf(anns []Annotation) Totals {
	t := Totals{Usage: map[string]int{}, Stances: map[string]int{}, Authors: map[string]int{}, Review: map[string]int{}}
	// Counted by the index's own rule, on its maps.
	x := &Index{usage: t.Usage, stances: t.Stances, authors: t.Authors}
	for i := range anns {
		a := &anns[i]
		t.Annotations++
		x.countUsage(a, 1)
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

// WithApplied is With(r.Done) for a change a store applied (Commit). An
// index with the project's totals counts the change from the records r
// holds, the old ones being in r.Undo, rather than from the old records
// it holds itself: so its counts stay the project's whichever sources it
// holds (a highlight undone after its source was let go, WithoutSource).
func (x *Index) WithApplied(r Applied) *Index {
	y := x.With(r.Done)
	if !x.totals || len(r.Done.PutAnnotations)+len(r.Done.DelAnnotations) == 0 {
		return y
	}
	y.usage, y.stances, y.authors = cloneMap(x.usage), cloneMap(x.stances), cloneMap(x.authors)
	// Undo puts back every record the change replaced or deleted, and
	// deletes every one it made.
	y.nAnn = x.nAnn + len(r.Done.PutAnnotations) - len(r.Undo.PutAnnotations)
	for i := range r.Undo.PutAnnotations {
		y.countUsage(&r.Undo.PutAnnotations[i], -1)
	}
	for i := range r.Done.PutAnnotations {
		y.countUsage(&r.Done.PutAnnotations[i], 1)
	}
	return y
}

// WithoutSource returns x without the annotations it holds of a source,
// for an index with the project's totals (a paged session letting go of a
// source not shown for a while); the counts stay the project's. An index
// without totals is returned as it is: its counts are its annotations'.
func (x *Index) WithoutSource(src string) *Index {
	if !x.totals {
		return x
	}
	list := x.bySrc.get(src)
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	return x.letGo(ids)
}

// letGo returns x, an index with the project's totals, without the
// annotations ids, its counts kept (keepCounts).
func (x *Index) letGo(ids []string) *Index {
	if len(ids) == 0 {
		return x
	}
	y := x.With(Change{DelAnnotations: ids})
	y.keepCounts(x)
	return y
}

// ToReviewIn reports whether an annotation x holds of a source needs review.
func (x *Index) ToReviewIn(src string) bool {
	for _, a := range x.bySrc.get(src) {
		if ToReview(a) {
			return true
		}
	}
	return false
}

// WithTexts returns x with texts for the sources that have none yet (a
// large project opened before its texts were read, session.Prepare);
// a source whose text is set (read already, or changed since) keeps it.
func (x *Index) WithTexts(texts map[string]string) *Index {
	need := false
	for id, t := range texts {
		if s := x.Source[id]; s != nil && s.Text == "" && t != "" {
			need = true
			break
		}
	}
	if !need {
		return x
	}
	y := x.With(Change{})
	y.P.Sources = slices.Clone(y.P.Sources)
	for i := range y.P.Sources {
		if s := &y.P.Sources[i]; s.Text == "" {
			s.Text = texts[s.ID]
		}
	}
	y.indexSources()
	return y
}

// AnnotationsFrom is Annotations for an index that holds only some
// sources' annotations (a paged session): the annotations carrying the
// filter's codes come from withCodes (the project file's index by code),
// the filter's other conditions are tested on them, and they are put in
// the order Annotations gives them: source by source (the filter's
// sources in its order, or the project's), each in text order. A filter without codes would have to read every annotation: ok is
// false, and nothing is read.
func (f Filter) AnnotationsFrom(x *Index, withCodes func(codes []string, fn func(Annotation) error) error) (out []*Annotation, ok bool, err error) {
	r, err := f.resolve(x)
	if err != nil {
		return nil, true, err
	}
	if len(r.codeOK) == 0 {
		return nil, false, nil
	}
	codes := keys(r.codeOK)
	slices.Sort(codes)
	err = withCodes(codes, func(a Annotation) error {
		if x.Source[a.SourceID] == nil || len(r.srcOK) > 0 && !r.srcOK[a.SourceID] {
			return nil
		}
		if r.matches(&a) {
			out = append(out, &a)
		}
		return nil
	})
	if err != nil {
		return nil, true, err
	}
	sortByRank(out, f.sourceRanks(x))
	return out, true, nil
}

// sourceRanks is each source's place in the order Annotations lists them:
// the filter's sources in its order, or the project's.
func (f Filter) sourceRanks(x *Index) map[string]int {
	if len(f.Sources) == 0 {
		return x.sourceOrder()
	}
	order := make(map[string]int, len(f.Sources))
	for i, id := range f.Sources {
		if _, ok := order[id]; !ok {
			order[id] = i
		}
	}
	return order
}

// AnnotationRef names an annotation and its source: what the project
// file's indexes say of it without reading its record.
type AnnotationRef struct{ ID, SourceID string }

// Paged returns x, an index that holds every annotation, as a paged index
// (WithTotals): x's counts become the project's, and it keeps only the
// annotations of the sources keep accepts and of every source with an
// annotation to review, as a paged session holds them. A session that
// read every annotation for whole-project work goes back to it
// (session.Repage), so the window's memory does too.
func (x *Index) Paged(keep func(sourceID string) bool) *Index {
	y := x.WithTotals(Totals{Annotations: x.nAnn, Usage: x.usage, Stances: x.stances, Authors: x.authors})
	var drop []string
	for i := range x.P.Sources {
		id := x.P.Sources[i].ID
		if keep(id) || x.ToReviewIn(id) {
			continue
		}
		for _, a := range x.bySrc.get(id) {
			drop = append(drop, a.ID)
		}
	}
	return y.letGo(drop)
}
