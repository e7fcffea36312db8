package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Full-text benchmarks at the scale benchmarks' two sizes. The generated
// texts repeat a small vocabulary, so the rare word is put into three new
// sources of a copy of each project; the English word is in every English
// source (about 33,000 hits at 10k), so that benchmark is the worst case
// of reading and verifying.

var (
	ftMu    sync.Mutex
	ftFiles = map[string]string{}
)

const ftRare = "鲲鹏"

// ftProject is a copy of a scale project with three sources holding the
// rare word, made once per run.
func ftProject(b *testing.B, sources, perSrc int) string {
	b.Helper()
	ftMu.Lock()
	defer ftMu.Unlock()
	key := fmt.Sprint(sources, perSrc)
	if p, ok := ftFiles[key]; ok {
		return p
	}
	path := ftCopy(b, scaleProject(b, sources, perSrc), "")
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var c annotate.Change
	for i := 0; i < 3; i++ {
		c.PutSources = append(c.PutSources, ftSource("外交部发言人表示，"+ftRare+"计划已经启动。"))
	}
	if _, err := s.Commit(c); err != nil {
		b.Fatal(err)
	}
	s.Close()
	ftFiles[key] = path
	return path
}

func ftCopy(b *testing.B, from, dir string) string {
	b.Helper()
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "gloss-ft-"); err != nil {
			b.Fatal(err)
		}
	}
	// Synced, as BenchmarkTagLargeProject's copy: the first timed commit
	// would otherwise flush the whole copy.
	to := filepath.Join(dir, "p.gloss")
	if err := writeSynced(to, from); err != nil {
		b.Fatal(err)
	}
	return to
}

func benchSearch(b *testing.B, q string, wantHits func(n int) bool) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s, err := Open(ftProject(b, sc.sources, sc.perSrc), Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var first time.Duration
			n := 0
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				n = 0
				t0 := time.Now()
				if err := s.Search(context.Background(), q, func(annotate.SearchHit) bool {
					if n == 0 {
						first += time.Since(t0)
					}
					n++
					return true
				}); err != nil {
					b.Fatal(err)
				}
			}
			if !wantHits(n) {
				b.Fatalf("%d hits", n)
			}
			b.ReportMetric(float64(first.Nanoseconds())/float64(b.N), "ns-to-first-hit")
			b.ReportMetric(float64(n), "hits")
			perItem(b, start, sc.sources, "source")
		})
	}
}

func BenchmarkSearchRareChinese(b *testing.B) {
	benchSearch(b, ftRare, func(n int) bool { return n == 3 })
}

func BenchmarkSearchEnglishWord(b *testing.B) {
	benchSearch(b, "verification", func(n int) bool { return n > 0 })
}

// BenchmarkSearchCommonChinese reads and verifies half the texts.
func BenchmarkSearchCommonChinese(b *testing.B) {
	benchSearch(b, "遣返", func(n int) bool { return n > 0 })
}

// BenchmarkFullTextBuild builds the index of a whole project (what
// EnsureFullText does for a file made before it existed), per source.
func BenchmarkFullTextBuild(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s, err := Open(ftCopy(b, scaleProject(b, sc.sources, sc.perSrc), b.TempDir()), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if err := s.RebuildFullText(); err != nil {
					b.Fatal(err)
				}
			}
			perItem(b, start, sc.sources, "source")
			b.StopTimer()
			_ = s.view(func(tx *bolt.Tx) error {
				pages := 0
				for _, name := range ftBuckets {
					st := tx.Bucket(name).Stats()
					pages += st.BranchPageN + st.LeafPageN + st.BranchOverflowN + st.LeafOverflowN
				}
				b.ReportMetric(float64(pages*tx.DB().Info().PageSize)/1e6, "index-MB")
				return nil
			})
		})
	}
}

// BenchmarkTagWithFullText: tagging does not touch the index, so it costs
// what it did without one; replacing one source's text re-files that
// source's terms only.
func BenchmarkTagWithFullText(b *testing.B) {
	for _, sc := range scales {
		b.Run("tag/"+sc.name, func(b *testing.B) {
			s, err := Open(ftCopy(b, ftProject(b, sc.sources, sc.perSrc), b.TempDir()), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			src, _ := s.Source("s000000000007")
			sel, _ := annotate.NewText(src.Text).Select(10, 20)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				a := annotate.Annotation{ID: fmt.Sprintf("x%012d", i), SourceID: src.ID, Selector: sel, Codes: []string{"c000000000002"}}
				if _, err := s.Commit(annotate.Change{PutAnnotations: []annotate.Annotation{a}}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("settext/"+sc.name, func(b *testing.B) {
			s, err := Open(ftCopy(b, ftProject(b, sc.sources, sc.perSrc), b.TempDir()), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			// A source of the generated set without annotations would do;
			// a new one is simplest and keeps the change to its text.
			src := ftSource("外交部发言人表示，双方已遣返123人。 The ministry said charter flights resumed.")
			if _, err := s.Commit(annotate.Change{PutSources: []annotate.Source{src}}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				text := fmt.Sprintf("外交部发言人表示，双方已遣返%d人。 The ministry said %d charter flights resumed.", i, i)
				if _, err := s.Commit(annotate.Change{SetTexts: []annotate.SourceText{{SourceID: src.ID, Text: text}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFullTextCheck is the full-text part of gloss check: the index
// recomputed from every text, one chunk at a time, and compared.
func BenchmarkFullTextCheck(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s, err := Open(ftProject(b, sc.sources, sc.perSrc), Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if err := s.view(func(tx *bolt.Tx) error {
					if p := checkFullText(tx, func() {}); len(p) > 0 {
						return p[0]
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			perItem(b, start, sc.sources, "source")
		})
	}
}

// BenchmarkFullTextCandidates is the index lookup alone (which sources to
// read), the part comparable with a search library that returns document
// IDs without positions.
func BenchmarkFullTextCandidates(b *testing.B) {
	for _, sc := range scales {
		for _, q := range []string{ftRare, "遣返", "charter", "charter flights"} {
			b.Run(sc.name+"/"+q, func(b *testing.B) {
				s, err := Open(ftProject(b, sc.sources, sc.perSrc), Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				pq, _ := annotate.ParseQuery(q)
				n := 0
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := s.view(func(tx *bolt.Tx) error {
						ids, err := openFT(tx).candidates(context.Background(), pq.Terms())
						n = len(ids)
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n), "sources")
			})
		}
	}
}
