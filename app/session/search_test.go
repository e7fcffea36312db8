package session

import (
	"context"
	"errors"
	"testing"

	"gloss/annotate"
)

// TestSearchFallsBackToTexts: the in-memory store has no index; the
// session reads the current texts, including a text just replaced.
func TestSearchFallsBackToTexts(t *testing.T) {
	s, err := New(&annotate.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	a := annotate.Source{ID: "s1", Kind: annotate.KindOriginal, Text: "中美合作遣返 Charter flights"}
	b := annotate.Source{ID: "s2", Kind: annotate.KindOriginal, Text: "no match here"}
	if err := s.Do(annotate.Change{Label: "Import", PutSources: []annotate.Source{a, b}}); err != nil {
		t.Fatal(err)
	}
	var hits []annotate.SearchHit
	collect := func(h annotate.SearchHit) bool { hits = append(hits, h); return true }
	if err := s.Search(context.Background(), "CHARTER", collect); err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].SourceID != "s1" || hits[0].Start != 7 || hits[0].End != 14 {
		t.Fatalf("hits %+v", hits)
	}
	if err := s.Do(annotate.Change{Label: "Edit", SetTexts: []annotate.SourceText{{SourceID: "s2", Text: "遣返 again"}}}); err != nil {
		t.Fatal(err)
	}
	hits = nil
	if err := s.Search(context.Background(), "遣返", collect); err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 {
		t.Fatalf("after the edit: %+v", hits)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Search(ctx, "遣返", collect); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled search: %v", err)
	}
}

type searchingStore struct {
	annotate.MemStore
	queries []string
}

func (f *searchingStore) Search(_ context.Context, q string, fn func(annotate.SearchHit) bool) error {
	f.queries = append(f.queries, q)
	fn(annotate.SearchHit{SourceID: "from-index"})
	return nil
}

// TestSearchUsesTheStoreIndex: a store that searches itself is asked.
func TestSearchUsesTheStoreIndex(t *testing.T) {
	st := &searchingStore{}
	s, err := New(st)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := s.Search(context.Background(), "x", func(h annotate.SearchHit) bool { got = append(got, h.SourceID); return true }); err != nil {
		t.Fatal(err)
	}
	if len(st.queries) != 1 || len(got) != 1 || got[0] != "from-index" {
		t.Fatalf("queries %v, hits %v", st.queries, got)
	}
}
