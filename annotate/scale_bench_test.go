package annotate_test

import (
	"testing"
	"time"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// The two sizes: 1,000 sources with 20,000 annotations and 10,000
// with 200,000. Per-annotation times that grow between them mean
// something is not linear.
var scales = []struct {
	name   string
	n, per int
}{{"1k_20k", 1000, 20}, {"10k_200k", 10000, 20}}

// benchHits runs, at each scale, the filter by code 3 as step gives it
// (step makes, for a scale's index, what one iteration runs; it returns
// the hits) and reports the time per hit.
func benchHits(b *testing.B, step func(b *testing.B, x *annotate.Index, f annotate.Filter, code annotate.Code) func(i int) []*annotate.Annotation) {
	for _, sc := range scales {
		x := annotate.NewIndex(benchproj.Generate(sc.n, sc.per, 1))
		code := x.P.Codes[3]
		b.Run(sc.name, func(b *testing.B) {
			run := step(b, x, annotate.Filter{Codes: []string{code.Name}}, code)
			found := 0
			for i := 0; i < b.N; i++ {
				got := run(i)
				if len(got) == 0 {
					b.Fatal("no hits")
				}
				found = len(got)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(found), "ns/hit")
		})
	}
}

// filterOrFail is f on x, failing the benchmark on an error.
func filterOrFail(b *testing.B, f annotate.Filter, x *annotate.Index) []*annotate.Annotation {
	got, err := f.Annotations(x)
	if err != nil {
		b.Fatal(err)
	}
	return got
}

// carrying lists copies of up to n annotations with code, from distinct
// sources.
func carrying(x *annotate.Index, code annotate.Code, n int) []annotate.Annotation {
	var out []annotate.Annotation
	seen := map[string]bool{}
	x.EachAnnotation(func(p *annotate.Annotation) bool {
		if p.HasCode(code.ID) && !seen[p.SourceID] {
			seen[p.SourceID] = true
			out = append(out, p.Copy())
		}
		return len(out) < n
	})
	return out
}

// BenchmarkHighlightsWithCode is "all highlights with one code, project-
// wide": the annotations list filtered by a code over every source, again
// on one index (its memoised answer; see ...Cold and ...AfterRetag for the
// walk and for the answer patched after a tag).
func BenchmarkHighlightsWithCode(b *testing.B) {
	benchHits(b, func(b *testing.B, x *annotate.Index, f annotate.Filter, _ annotate.Code) func(int) []*annotate.Annotation {
		return func(int) []*annotate.Annotation { return filterOrFail(b, f, x) }
	})
}

// BenchmarkHighlightsWithCodeCold is the filter on an index whose memo
// for the code was dropped: a change retagged annotations of the code in
// more sources than a memo is patched for, so the by-code lists are walked
// source by source. Per hit, with that change's Index.With included.
func BenchmarkHighlightsWithCodeCold(b *testing.B) {
	benchHits(b, func(b *testing.B, x *annotate.Index, f annotate.Filter, code annotate.Code) func(int) []*annotate.Annotation {
		batch := carrying(x, code, 100)
		now := time.Now()
		return func(i int) []*annotate.Annotation {
			b.StopTimer()
			for k := range batch {
				batch[k].Modified = now.Add(time.Duration(i))
			}
			filterOrFail(b, f, x) // a memo to drop
			b.StartTimer()
			return filterOrFail(b, f, x.With(annotate.Change{PutAnnotations: batch}))
		}
	})
}

// BenchmarkHighlightsWithCodeAfterRetag is the same filter right after an
// annotation carrying the code was retagged, action after action (the
// window's list refreshed after each tag): the memoised answer is patched
// where the tag touched it. Per hit, with the retag's Index.With included.
func BenchmarkHighlightsWithCodeAfterRetag(b *testing.B) {
	benchHits(b, func(b *testing.B, x *annotate.Index, f annotate.Filter, code annotate.Code) func(int) []*annotate.Annotation {
		a := carrying(x, code, 1)[0]
		now := time.Now()
		return func(i int) []*annotate.Annotation {
			a.Modified = now.Add(time.Duration(i))
			x = x.With(annotate.Change{PutAnnotations: []annotate.Annotation{a}}) // the window's next action starts from here
			return filterOrFail(b, f, x)
		}
	})
}

// BenchmarkIndexWith is the session's cost per action: one annotation
// retagged, as Index.With applies it (the window's re-index).
func BenchmarkIndexWith(b *testing.B) {
	for _, sc := range scales {
		x := annotate.NewIndex(benchproj.Generate(sc.n, sc.per, 1))
		a := x.Annotations(x.P.Sources[sc.n/2].ID)[0].Copy()
		now := time.Now()
		b.Run(sc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				a.Codes = []string{x.P.Codes[i%len(x.P.Codes)].ID}
				a.Modified = now
				if y := x.With(annotate.Change{PutAnnotations: []annotate.Annotation{a}}); y.AnnotationCount() != x.AnnotationCount() {
					b.Fatal("count changed")
				}
			}
		})
	}
}

// BenchmarkIndexWithImport is an import as the window and the CLI mirror
// it: a whole project's records put into an empty index in one change.
// Reported per annotation: it must not grow with the project.
func BenchmarkIndexWithImport(b *testing.B) {
	for _, sc := range scales {
		p := benchproj.Generate(sc.n, sc.per, 1)
		c := annotate.Change{PutSources: p.Sources, PutCodes: p.Codes, PutTargets: p.Targets, PutAnnotations: p.Annotations, PutLinks: p.Links}
		b.Run(sc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if y := annotate.NewIndex(&annotate.Project{}).With(c); y.AnnotationCount() != len(p.Annotations) {
					b.Fatal("count", y.AnnotationCount())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(p.Annotations)), "ns/annotation")
		})
	}
}
