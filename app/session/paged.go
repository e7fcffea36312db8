package session

import (
	"slices"

	"gloss/annotate"
)

// Totaler is what a project file offers so that a session can show a large
// project's counts without reading every annotation: the counts its
// indexes give (storage.Store has it).
type Totaler interface {
	Totals() (annotate.Totals, error)
}

// MaxReviewSources is how many sources with annotations to review a paged
// session reads at most (ReadTotals); a project with more is read whole.
var MaxReviewSources = 256

// ReadTotals pages a session from Prepare: instead of every annotation,
// the index takes the project's counts (code and stance usage, authors,
// annotations) from the file's indexes, and the annotations of every
// source with some to review, so that the review list is whole. Sources
// are read as they are shown (Show), and LoadRest reads every annotation
// once work over the whole project needs them. It reports false, having
// changed nothing, when the session is not paged: it was read whole or
// its read has begun, its store has no totals, or more than
// MaxReviewSources sources have annotations to review.
func (s *Session) ReadTotals() (paged bool, err error) {
	tt, ok := s.store.(Totaler)
	if !ok || !s.partial() {
		return false, nil
	}
	if s.Index().HasTotals() {
		return true, nil // paged already
	}
	t, err := tt.Totals()
	if err != nil {
		return false, err
	}
	// The review sources are read before the totals are installed, and
	// the totals read again with every commit held off: no source can
	// come to need review unread in between.
	for range 3 {
		if len(t.Review) > MaxReviewSources {
			return false, nil
		}
		srcs := make([]string, 0, len(t.Review))
		for id := range t.Review {
			srcs = append(srcs, id)
		}
		slices.Sort(srcs)
		for _, id := range srcs {
			if err := s.Show(id); err != nil {
				return false, err
			}
		}
		done, err := s.installTotals(tt, &t)
		if done || err != nil {
			return done, err
		}
	}
	return false, nil
}

// partial reports whether the session holds only the sources shown so far
// and no read of the rest has begun.
func (s *Session) partial() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.partialLocked()
}

// partialLocked is partial with s.mu held.
func (s *Session) partialLocked() bool { return s.loading && !s.reading }

// installTotals reads the totals again with commits held off and installs
// them if every source with annotations to review is read; otherwise t
// becomes the new totals, for another round.
func (s *Session) installTotals(tt Totaler, t *annotate.Totals) (bool, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	now, err := tt.Totals()
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.partialLocked() {
		return false, nil // read whole meanwhile, or being read
	}
	for id := range now.Review {
		if !s.shown[id] {
			*t = now
			return false, nil
		}
	}
	x := s.index.WithTotals(now)
	// The versions' texts, which the head leaves out: the review list
	// shows an old quote from them. (x.P is x's own copy.)
	if ld, ok := s.store.(Loader); ok {
		if x.P.Versions, err = ld.Versions(); err != nil {
			return false, err
		}
	}
	s.index = x
	return true, nil
}

// Scanner is what a project file offers so that a paged session can name
// its damaged annotation records without reading every annotation into
// memory (storage.Store has it).
type Scanner interface {
	UnreadableAnnotations() ([]string, error)
}

// FindUnreadable names, in the index's Unreadable, the annotation records
// of a paged session that cannot be read, as reading them all would (a
// window shows them in its banner). It reports how many it found; it does
// nothing for a session read whole or being read, whose read names them.
func (s *Session) FindUnreadable() (int, error) {
	sc, ok := s.store.(Scanner)
	if !ok || !s.partial() {
		return 0, nil
	}
	bad, err := sc.UnreadableAnnotations()
	if err != nil || len(bad) == 0 {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.partialLocked() {
		return 0, nil
	}
	s.index = s.index.WithUnreadable(bad)
	return len(bad), nil
}

// MaxHeldSources is how many sources' annotations a paged session holds
// at most: beyond it, it lets go of those shown least recently (Show), so
// its memory stays flat however many sources an analyst reads. About
// 10 KB each at 20 annotations a source.
var MaxHeldSources = 512

// touch makes sourceID the most recently shown (s.mu held).
func (s *Session) touch(sourceID string) {
	if !s.loading {
		return
	}
	if i := slices.Index(s.recent, sourceID); i >= 0 {
		s.recent = slices.Delete(s.recent, i, i+1)
	}
	s.recent = append(s.recent, sourceID)
}

// letGo drops the annotations of the sources shown least recently while a
// paged session holds more than MaxHeldSources, keeping the one shown
// last and any with annotations to review (the review list shows them).
// Only an index with the project's totals lets go: its counts stay (s.mu
// held). A source let go is read again when it is shown.
func (s *Session) letGo() {
	if !s.index.HasTotals() {
		return
	}
	for i := 0; len(s.shown) > MaxHeldSources && i < len(s.recent)-1; {
		id := s.recent[i]
		if s.index.ToReviewIn(id) {
			i++
			continue
		}
		s.index = s.index.WithoutSource(id)
		delete(s.shown, id)
		s.recent = slices.Delete(s.recent, i, i+1)
	}
}

// CodeQuerier is what a project file offers so that a paged session can
// list a code's annotations across the project without reading them all:
// its index by code (storage.Store has it).
type CodeQuerier interface {
	// AnnotationsWithCodes may leave empty a quote the record keeps as a
	// place in its text.
	AnnotationsWithCodes(codes []string, fn func(annotate.Annotation) error) error
}

// Filtered answers a filter over the whole project for a paged index x:
// the annotations carrying its codes are read through the file's index by
// code (annotate.Filter.AnnotationsFrom), not every annotation. They are
// for a list: a quote kept in its source's text may be empty (the list
// takes it from the index's text), and so may its prefix and suffix. ok is
// false when it cannot be answered so (an index holding every annotation,
// which Filter.Annotations answers; a store without the index; a filter
// without codes, for which every annotation must be read, LoadRest). It
// may run on any goroutine.
func (s *Session) Filtered(x *annotate.Index, f annotate.Filter) (rows []*annotate.Annotation, ok bool, err error) {
	cq, can := s.store.(CodeQuerier)
	if !can || !x.HasTotals() {
		return nil, false, nil
	}
	return f.AnnotationsFrom(x, cq.AnnotationsWithCodes)
}

// Lister is what a project file offers so that a paged session can list
// a code's annotations across the project by reference, reading a source's
// records only when its rows are shown (storage.Store has it).
type Lister interface {
	AnnotationRefs(codes []string) ([]annotate.AnnotationRef, error)
	// AnnotationsByID may leave empty a quote the record keeps as a
	// place in its text, as AnnotationsWithCodes may.
	AnnotationsByID(ids []string, fn func(annotate.Annotation) error) error
}

// Lists reports whether the session's store can name annotations by
// reference (Lister), for Listing.
func (s *Session) Lists() bool {
	_, ok := s.store.(Lister)
	return ok
}

// Listing answers a filter of codes alone over the whole project for a
// paged index x by reference (annotate.Filter.ListingFrom): counted and
// ordered from the file's indexes, its rows read from the file as they
// are shown. ok is false when it cannot be answered so (an index holding
// every annotation; a store without the indexes; a filter with other
// conditions, which Filtered answers). The listing reads through the
// session's store on whichever goroutine uses it; making it may run on
// any.
func (s *Session) Listing(x *annotate.Index, f annotate.Filter) (l *annotate.Listing, ok bool, err error) {
	ls, can := s.store.(Lister)
	if !can || !x.HasTotals() {
		return nil, false, nil
	}
	return f.ListingFrom(x, ls.AnnotationRefs, ls.AnnotationsByID)
}

// AnnotationsByID gives fn the annotations ids names: those the index
// holds from it, the others read from the file, for work that cites a
// few annotations of sources a paged index has not read (the claims'
// evidence). A quote the record keeps as a place in its text is taken
// from the index's text. ok is false when some are not held and the store
// cannot read by ID (Lister): the work must then wait for every
// annotation. An unknown ID is left out. It may run on any goroutine.
func (s *Session) AnnotationsByID(ids []string, fn func(annotate.Annotation)) (ok bool, err error) {
	x := s.Index()
	var missing []string
	for _, id := range ids {
		if a := x.Annotation(id); a != nil {
			fn(*a)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return true, nil
	}
	ls, can := s.store.(Lister)
	if !can {
		return false, nil
	}
	err = ls.AnnotationsByID(missing, func(a annotate.Annotation) error {
		if a.Selector.Exact == "" {
			if src := x.Source[a.SourceID]; src != nil {
				a.Selector.Exact = annotate.RuneSlice(src.Text, a.Selector.Start, a.Selector.End)
			}
		}
		fn(a)
		return nil
	})
	return true, err
}

// Repaged is the first half of Repage, which may run on any goroutine:
// for a large project's session that has read every annotation, the
// paged index it would go back to (annotate.Index.Paged), holding the
// annotations of the sources keep names (those the window shows) and of
// every source with annotations to review, and the index it was made
// from. ok is false when there is nothing to page: a session read whole
// from the start (a small project, or a store without totals), one still
// reading, or one paged already.
func (s *Session) Repaged(keep []string) (from, to *annotate.Index, ok bool) {
	if _, can := s.store.(Totaler); !can {
		return nil, nil, false
	}
	s.mu.Lock()
	from = s.index
	ok = !s.loading && s.read != nil && s.loadErr == nil && !from.HasTotals() && len(from.P.Sources) >= LargeProject
	s.mu.Unlock()
	if !ok {
		return nil, nil, false
	}
	held := map[string]bool{}
	for _, id := range keep {
		held[id] = true
	}
	return from, from.Paged(func(id string) bool { return held[id] }), true
}

// Repage makes a session that read every annotation for whole-project
// work (the timeline, claims, merging a code) paged again, as ReadTotals
// left it, with to from Repaged: the window's memory goes back to what
// paging holds. It does nothing, and reports false, if the index has
// changed since from (a change, or a read, came in between; ask again).
// keep are the sources to, not the file, now holds for the window (with
// those to review); every other source is read again when shown, and
// work over the whole project reads every annotation again (AllRead is a
// new channel).
func (s *Session) Repage(from, to *annotate.Index, keep []string) bool {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.index != from || s.loading {
		return false
	}
	s.index = to
	s.shown, s.recent = map[string]bool{}, nil
	// Held as Show would have left them: those to review first, the
	// window's last, so they are let go last (letGo).
	for i := range to.P.Sources {
		if id := to.P.Sources[i].ID; to.ToReviewIn(id) && !slices.Contains(keep, id) {
			s.shown[id] = true
			s.recent = append(s.recent, id)
		}
	}
	for _, id := range keep {
		if !s.shown[id] && to.Source[id] != nil {
			s.shown[id] = true
			s.recent = append(s.recent, id)
		}
	}
	s.loading, s.reading, s.read = true, false, make(chan struct{})
	return true
}
