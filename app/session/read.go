package session

import "gloss/annotate"

// StreamReader is a store that reads its project a piece at a time over one
// consistent snapshot (storage.Store), so exports need not hold it whole.
type StreamReader interface {
	Reader(fn func(annotate.Reader) error) error
}

// Read hands fn a read-only view of the project for a long read (an
// export) that may run on any goroutine: a streaming store reads it from
// its file; any other (the in-memory store) hands out the current index's
// project, which later changes replace rather than modify.
func (s *Session) Read(fn func(annotate.Reader) error) error {
	if st, ok := s.store.(StreamReader); ok {
		return st.Reader(fn)
	}
	x := s.Index()
	if x.HasTotals() {
		// A paged index holds some sources' annotations: the store's
		// snapshot holds them all.
		p, err := s.store.Snapshot()
		if err != nil {
			return err
		}
		return fn(annotate.ProjectReader(p))
	}
	return fn(annotate.ProjectReader(x.Project()))
}
