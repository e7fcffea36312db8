package session

import (
	"context"

	"gloss/annotate"
)

// Searcher is a store that answers project-wide search itself, from an
// index in its file (storage.Store).
type Searcher interface {
	Search(ctx context.Context, q string, fn func(annotate.SearchHit) bool) error
}

// Search streams the hits of q to fn, source by source, until fn returns
// false or ctx is cancelled (then it returns ctx's error). It may be called
// from any goroutine: a store with a full-text index answers from its
// file; any other (the in-memory store) is searched by reading the texts of
// the current project.
func (s *Session) Search(ctx context.Context, q string, fn func(annotate.SearchHit) bool) error {
	if st, ok := s.store.(Searcher); ok {
		return st.Search(ctx, q, fn)
	}
	idx := s.Index() // replaced, never modified, by later changes
	return annotate.SearchTexts(ctx, q, func(yield func(string, string) bool) {
		for i := range idx.P.Sources {
			src := &idx.P.Sources[i]
			if !yield(src.ID, src.Text) {
				return
			}
		}
	}, fn)
}
