package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gloss/annotate"
	"gloss/annotate/agreement"
	"gloss/internal/benchproj"
)

// Scale benchmarks run at the two sizes so growth shows: 1,000
// sources with 20,000 annotations, and 10,000 with 200,000. Each reports
// time per item next to ns/op; per-item times that grow between the sizes
// mean something is not linear.
var scales = []struct {
	name            string
	sources, perSrc int
}{
	{"1k_20k", 1000, 20},
	{"10k_200k", 10000, 20},
}

var (
	scaleMu    sync.Mutex
	scaleFiles = map[string]string{}
)

// scaleProject returns a project file of that size, built once per run and
// copied for benchmarks that write.
func scaleProject(b *testing.B, sources, perSrc int) string {
	b.Helper()
	scaleMu.Lock()
	defer scaleMu.Unlock()
	key := fmt.Sprint(sources, perSrc)
	if p, ok := scaleFiles[key]; ok {
		return p
	}
	dir, err := os.MkdirTemp("", "gloss-scale-")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "p.gloss")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(sources, perSrc, 1))); err != nil {
		b.Fatal(err)
	}
	s.Close()
	scaleFiles[key] = path
	return path
}

func perItem(b *testing.B, start time.Time, items int, unit string) {
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/float64(items), "ns/"+unit)
}

// BenchmarkImportProject is an import of a whole project as one change (what
// .qdpx import and merge end in).
func BenchmarkImportProject(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			p := benchproj.Generate(sc.sources, sc.perSrc, 1)
			c := benchproj.Change(p)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				s, err := Open(filepath.Join(b.TempDir(), "p.gloss"), Options{Create: true})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Commit(c); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
			perItem(b, start, len(p.Annotations), "annotation")
		})
	}
}

// BenchmarkOpenSnapshot is what the window does before its first frame
// today: open the file and read the whole project.
func BenchmarkOpenSnapshot(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			path := scaleProject(b, sc.sources, sc.perSrc)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				s, err := Open(path, Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Snapshot(); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
			perItem(b, start, sc.sources*sc.perSrc, "annotation")
		})
	}
}

// BenchmarkList is `gloss list`: open, count annotations per source from
// the index, stream the sources.
func BenchmarkList(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			path := scaleProject(b, sc.sources, sc.perSrc)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				s, err := Open(path, Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				counts, err := s.AnnotationCounts()
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				if err := s.EachSource(nil, func(src annotate.Source) error { n += counts[src.ID]; return nil }); err != nil || n != sc.sources*sc.perSrc {
					b.Fatal(err, n)
				}
				s.Close()
			}
			perItem(b, start, sc.sources, "source")
		})
	}
}

// BenchmarkEachAnnotation is `gloss annotations`: a streamed walk.
func BenchmarkEachAnnotation(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			path := scaleProject(b, sc.sources, sc.perSrc)
			s, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				n := 0
				if err := s.EachAnnotation("", nil, func(annotate.Annotation) error { n++; return nil }); err != nil || n != sc.sources*sc.perSrc {
					b.Fatal(err, n)
				}
			}
			perItem(b, start, sc.sources*sc.perSrc, "annotation")
		})
	}
}

// BenchmarkCheck is `gloss check`.
func BenchmarkCheck(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			path := scaleProject(b, sc.sources, sc.perSrc)
			s, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if problems, err := s.Check(); err != nil || len(problems) > 0 {
					b.Fatal(err, problems)
				}
			}
			perItem(b, start, sc.sources*sc.perSrc, "annotation")
			perItem(b, start, sc.sources, "source")
		})
	}
}

// BenchmarkTagLargeProject saves one annotation into the large projects:
// a change must cost what it touches, whatever the project's size.
func BenchmarkTagLargeProject(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			path := scaleProject(b, sc.sources, sc.perSrc)
			cp := filepath.Join(b.TempDir(), "p.gloss")
			// On disk before the timer starts: the copy's dirty pages
			// would otherwise be flushed by the first commit's fdatasync
			// (55 ms at 10,000 sources), which no analyst's project meets,
			// and at -benchtime=1x that one commit is the figure.
			if err := writeSynced(cp, path); err != nil {
				b.Fatal(err)
			}
			s, err := Open(cp, Options{})
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
	}
}

// openScale opens a scale project read-only for the query benchmarks.
func openScale(b *testing.B, sources, perSrc int) *Store {
	b.Helper()
	path := scaleProject(b, sources, perSrc)
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkOpenCatalog is what the window reads of a large project
// before its first frame (session.Prepare, from 1,000 sources): open the
// file, read everything but texts and annotations. It also reports the
// file's size.
func BenchmarkOpenCatalog(b *testing.B) { benchOpenRead(b, (*Store).Catalog, true) }

// BenchmarkHead is what the window reads of a smaller project before its
// first frame: open the file, read every source with its text and the rest
// of the project but the annotations.
func BenchmarkHead(b *testing.B) { benchOpenRead(b, (*Store).Head, false) }

// BenchmarkTotals is what a paged window reads after its first frame for
// its counts (session.ReadTotals): the project's annotation, code, stance,
// author and review counts from the index. Reported per annotation.
func BenchmarkTotals(b *testing.B) {
	benchEach(b, "annotation", func(s *Store, annotations int) error {
		t, err := s.Totals()
		if err == nil && t.Annotations != annotations {
			err = fmt.Errorf("%d annotations, want %d", t.Annotations, annotations)
		}
		return err
	})
}

// benchEach times op on each scale's project (opened read-only,
// allocations reported), per unit the project holds: "annotation" or
// "source". op is given the project's number of annotations.
func benchEach(b *testing.B, unit string, op func(s *Store, annotations int) error) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s := openScale(b, sc.sources, sc.perSrc)
			items := sc.sources * sc.perSrc
			if unit == "source" {
				items = sc.sources
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if err := op(s, sc.sources*sc.perSrc); err != nil {
					b.Fatal(err)
				}
			}
			perItem(b, start, items, unit)
		})
	}
}

// benchOpenRead opens the file read-only and reads it with read, at each
// scale; fileSize reports the file's size too.
func benchOpenRead(b *testing.B, read func(*Store) (*annotate.Project, error), fileSize bool) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			path := scaleProject(b, sc.sources, sc.perSrc)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				s, err := Open(path, Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				p, err := read(s)
				if err != nil || len(p.Sources) != sc.sources {
					b.Fatal(err)
				}
				s.Close()
			}
			perItem(b, start, sc.sources, "source")
			if info, err := os.Stat(path); err == nil && fileSize {
				b.ReportMetric(float64(info.Size())/1e6, "MB-file")
			}
		})
	}
}

// BenchmarkText reads one source's text (the one the window shows).
func BenchmarkText(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s := openScale(b, sc.sources, sc.perSrc)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Text(fmt.Sprintf("s%012d", i%sc.sources)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAnnotationsOfSource reads one source's annotations.
func BenchmarkAnnotationsOfSource(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s := openScale(b, sc.sources, sc.perSrc)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if list, err := s.Annotations(fmt.Sprintf("s%012d", i%sc.sources)); err != nil || len(list) == 0 {
					b.Fatal(err, len(list))
				}
			}
		})
	}
}

// BenchmarkAnnotationsWithCode is "all highlights with one code".
func BenchmarkAnnotationsWithCode(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s := openScale(b, sc.sources, sc.perSrc)
			b.ResetTimer()
			start := time.Now()
			n := 0
			for i := 0; i < b.N; i++ {
				if err := s.AnnotationsWithCode("c000000000002", func(annotate.Annotation) error { n++; return nil }); err != nil || n == 0 {
					b.Fatal(err)
				}
			}
			perItem(b, start, n/b.N, "annotation")
		})
	}
}

// BenchmarkCodeListing is "all highlights with one code" as a paged
// window lists them (session.Listing): named and ordered from the indexes
// (AnnotationRefs, Filter.ListingFrom), then the first screenful
// of 64 rows read. Reported per annotation listed.
func BenchmarkCodeListing(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s := openScale(b, sc.sources, sc.perSrc)
			cat, err := s.Catalog()
			if err != nil {
				b.Fatal(err)
			}
			x := annotate.NewIndex(cat)
			// Over every source, in the sources list's order, as the
			// window asks (a parent code: its child's are listed too).
			f := annotate.Filter{Codes: []string{"c000000000002"}}
			for _, src := range cat.Sources {
				f.Sources = append(f.Sources, src.ID)
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			n := 0
			for i := 0; i < b.N; i++ {
				l, ok, err := f.ListingFrom(x, s.AnnotationRefs, s.AnnotationsByID)
				if err != nil || !ok || l.Len() == 0 {
					b.Fatal(ok, err)
				}
				for j := range min(64, l.Len()) {
					if a, err := l.At(j); a == nil || err != nil {
						b.Fatal(j, err)
					}
				}
				n += l.Len()
			}
			perItem(b, start, n/b.N, "annotation")
		})
	}
}

// BenchmarkUnreadableAnnotations is the check of every annotation record
// a paged window makes after opening (session.FindUnreadable): it keeps
// nothing, so what it allocates is garbage the window's heap grows by.
// Reported per annotation.
func BenchmarkUnreadableAnnotations(b *testing.B) {
	benchEach(b, "annotation", func(s *Store, _ int) error {
		bad, err := s.UnreadableAnnotations()
		if err == nil && len(bad) > 0 {
			err = fmt.Errorf("a generated project has damaged records: %v", bad)
		}
		return err
	})
}

// BenchmarkCodeUsage and BenchmarkAnnotationCounts count from index keys.
func BenchmarkCodeUsage(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s := openScale(b, sc.sources, sc.perSrc)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if use, err := s.CodeUsage(); err != nil || len(use) == 0 {
					b.Fatal(err)
				}
			}
			perItem(b, start, sc.sources*sc.perSrc, "annotation")
		})
	}
}

func BenchmarkAnnotationCounts(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s := openScale(b, sc.sources, sc.perSrc)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if counts, err := s.AnnotationCounts(); err != nil || len(counts) != sc.sources {
					b.Fatal(err)
				}
			}
			perItem(b, start, sc.sources, "source")
		})
	}
}

// writeSynced copies the file src to dst and syncs dst.
func writeSynced(dst, src string) error {
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// BenchmarkCompareCoders compares the project's two coders through the
// file's Reader, a source at a time, as the coders window does.
func BenchmarkCompareCoders(b *testing.B) {
	benchEach(b, "annotation", func(s *Store, n int) error {
		return s.Reader(func(r annotate.Reader) error {
			res, err := agreement.CompareFrom(r, "ana", "bo", nil)
			if err == nil && len(res.Codes) == 0 {
				err = errors.New("no code compared")
			}
			return err
		})
	})
}
