package annotate

import (
	"slices"
	"sort"
	"strings"
)

// Listing is a filter's answer over a whole project known by reference
// (AnnotationRef) and read a source at a time as its rows are shown: a
// window that holds only some sources' annotations lists a code's 20,000
// without reading 20,000 records (reading them was most of the time). Its
// order is Filter.Annotations': source by source, in the filter's order
// or the project's, each source's in text order. The order within a
// source is settled when that source's rows are first read, so a row's
// place is final once At or Find has read it. A Listing is for one
// goroutine.
type Listing struct {
	refs []AnnotationRef
	// bounds[g] is the first row of source group g; the last entry is
	// len(refs).
	bounds []int
	sorted []bool // group g is in text order
	read   func(ids []string, fn func(Annotation) error) error
	got    map[string]*Annotation
}

// maxListed is how many read rows a Listing keeps: past it, it forgets
// them and reads what is shown again, so scrolling through 200,000 rows
// does not hold them all.
var maxListed = 4096

// ListingFrom answers f as Annotations does for an index x that holds only
// some sources' annotations: refs gives the annotations carrying f's codes
// (every annotation when it is given none) from the project file's
// indexes, naming each once and reading no record, and read gives the
// records of a source's rows when they are first shown (it may leave a
// quote kept in the text empty, as a list takes it from the text). ok is
// false, and nothing is read, for a filter with conditions other than
// codes and sources: testing them needs every record (AnnotationsFrom).
func (f Filter) ListingFrom(x *Index, refs func(codes []string) ([]AnnotationRef, error), read func(ids []string, fn func(Annotation) error) error) (l *Listing, ok bool, err error) {
	if !f.CodesAlone() {
		return nil, false, nil
	}
	// The asked sources' places, checked as resolve checks them; the
	// map of them resolve builds as well would be a second of 10,000.
	order := f.sourceRanks(x)
	for _, id := range f.Sources {
		if !x.HasSource(id) {
			return nil, true, noSource(id)
		}
	}
	r := resolved{f: f}
	if err := f.resolveNames(x, &r); err != nil {
		return nil, true, err
	}
	codes := keys(r.codeOK)
	slices.Sort(codes)
	found, err := refs(codes)
	if err != nil {
		return nil, true, err
	}
	// Ranked once per source, not per row (the index gives rows grouped
	// by source), then put in source order by counting: sorting 200,000
	// rows by comparison took as long as finding them.
	ranks := make([]int32, len(found))
	count := make([]int, len(order)+1)
	last, rank := "", int32(-1)
	for i, ref := range found {
		if ref.SourceID != last || i == 0 {
			last, rank = ref.SourceID, -1
			// order holds the asked sources (resolve found each in x),
			// or x's own: being in it is being asked for and known.
			if at, ok := order[ref.SourceID]; ok {
				rank = int32(at)
			}
		}
		ranks[i] = rank
		if rank >= 0 {
			count[rank+1]++
		}
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	sorted := make([]AnnotationRef, count[len(count)-1])
	next := slices.Clone(count[:len(count)-1])
	for i, ref := range found {
		if rk := ranks[i]; rk >= 0 {
			sorted[next[rk]] = ref
			next[rk]++
		}
	}
	l = &Listing{refs: sorted[:0], read: read, got: map[string]*Annotation{}}
	for rk := range len(count) - 1 {
		lo, hi := count[rk], count[rk+1]
		if lo == hi {
			continue
		}
		// Within a source by ID until the source is read: a stable
		// order, so rows do not swap between two answers to the same
		// question.
		group := sorted[lo:hi]
		slices.SortFunc(group, func(p, q AnnotationRef) int { return strings.Compare(p.ID, q.ID) })
		l.bounds = append(l.bounds, len(l.refs))
		for j, ref := range group {
			if j == 0 || ref.ID != group[j-1].ID { // not under two codes twice
				l.refs = append(l.refs, ref)
			}
		}
	}
	l.bounds = append(l.bounds, len(l.refs))
	l.sorted = make([]bool, len(l.bounds)-1)
	return l, true, nil
}

// Len is how many annotations the listing has.
func (l *Listing) Len() int { return len(l.refs) }

// Ref names row i's annotation and source without reading it; before its
// source is read, its place within the source may still change.
func (l *Listing) Ref(i int) AnnotationRef { return l.refs[i] }

// At is row i's annotation, reading its source's rows if they have not
// been read. It is nil, with no error, when the record has gone since the
// listing was made (deleted meanwhile, or damaged: the project check
// names those).
func (l *Listing) At(i int) (*Annotation, error) {
	if a := l.got[l.refs[i].ID]; a != nil {
		return a, nil
	}
	if err := l.readGroup(l.groupOf(i)); err != nil {
		return nil, err
	}
	return l.got[l.refs[i].ID], nil
}

// Find is the row of annotation id, or -1. Its source's rows are read
// first, so the row is its place in text order.
func (l *Listing) Find(id string) (int, error) {
	for i := range l.refs {
		if l.refs[i].ID != id {
			continue
		}
		g := l.groupOf(i)
		if err := l.readGroup(g); err != nil {
			return -1, err
		}
		for j := l.bounds[g]; j < l.bounds[g+1]; j++ {
			if l.refs[j].ID == id {
				return j, nil
			}
		}
	}
	return -1, nil
}

func (l *Listing) groupOf(i int) int {
	return sort.Search(len(l.bounds)-1, func(g int) bool { return l.bounds[g+1] > i })
}

// readGroup reads source group g's records and, the first time, puts its
// rows in text order; records gone since go last, in ID order.
func (l *Listing) readGroup(g int) error {
	lo, hi := l.bounds[g], l.bounds[g+1]
	if len(l.got)+hi-lo > maxListed {
		clear(l.got)
	}
	ids := make([]string, hi-lo)
	for j := range ids {
		ids[j] = l.refs[lo+j].ID
	}
	err := l.read(ids, func(a Annotation) error {
		l.got[a.ID] = &a
		return nil
	})
	if err != nil || l.sorted[g] {
		return err
	}
	slices.SortStableFunc(l.refs[lo:hi], func(p, q AnnotationRef) int {
		a, b := l.got[p.ID], l.got[q.ID]
		switch {
		case a == nil || b == nil:
			return boolRank(a == nil) - boolRank(b == nil)
		case textOrder(a, b):
			return -1
		case textOrder(b, a):
			return 1
		}
		return 0
	})
	l.sorted[g] = true
	return nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
