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

// BenchmarkHighlightsWithCode is "all highlights with one code, project-
// wide": the annotations list filtered by a code over every source, again
// on one index (its memoised answer; see ...Cold and ...AfterRetag for the
// walk and for the answer patched after a tag).
func BenchmarkHighlightsWithCode(b *testing.B) {
	for _, sc := range scales {
		x := annotate.NewIndex(benchproj.Generate(sc.n, sc.per, 1))
		f := annotate.Filter{Codes: []string{x.P.Codes[3].Name}}
		b.Run(sc.name, func(b *testing.B) {
			found := 0
			for i := 0; i < b.N; i++ {
				got, err := f.Annotations(x)
				if err != nil || len(got) == 0 {
					b.Fatal(err, len(got))
				}
				found = len(got)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(found), "ns/hit")
		})
	}
}

// BenchmarkHighlightsWithCodeCold is the filter on an index whose memo
// for the code was dropped: a change retagged annotations of the code in
// more sources than a memo is patched for, so the by-code lists are walked
// source by source. Per hit, with that change's Index.With included.
func BenchmarkHighlightsWithCodeCold(b *testing.B) {
	for _, sc := range scales {
		x := annotate.NewIndex(benchproj.Generate(sc.n, sc.per, 1))
		code := x.P.Codes[3]
		f := annotate.Filter{Codes: []string{code.Name}}
		var batch []annotate.Annotation
		seen := map[string]bool{}
		x.EachAnnotation(func(p *annotate.Annotation) bool {
			if p.HasCode(code.ID) && !seen[p.SourceID] {
				seen[p.SourceID] = true
				batch = append(batch, p.Copy())
			}
			return len(batch) < 100
		})
		now := time.Now()
		b.Run(sc.name, func(b *testing.B) {
			found := 0
			for i := 0; i < b.N; i++ {
				for k := range batch {
					batch[k].Modified = now.Add(time.Duration(i))
				}
				if _, err := f.Annotations(x); err != nil { // a memo to drop
					b.Fatal(err)
				}
				b.StartTimer()
				y := x.With(annotate.Change{PutAnnotations: batch})
				got, err := f.Annotations(y)
				b.StopTimer()
				if err != nil || len(got) == 0 {
					b.Fatal(err, len(got))
				}
				found = len(got)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(found), "ns/hit")
		})
	}
}

// BenchmarkHighlightsWithCodeAfterRetag is the same filter right after an
// annotation carrying the code was retagged, action after action (the
// window's list refreshed after each tag): the memoised answer is patched
// where the tag touched it. Per hit, with the retag's Index.With included.
func BenchmarkHighlightsWithCodeAfterRetag(b *testing.B) {
	for _, sc := range scales {
		x := annotate.NewIndex(benchproj.Generate(sc.n, sc.per, 1))
		code := x.P.Codes[3]
		f := annotate.Filter{Codes: []string{code.Name}}
		var a annotate.Annotation
		x.EachAnnotation(func(p *annotate.Annotation) bool {
			if p.HasCode(code.ID) {
				a = p.Copy()
				return false
			}
			return true
		})
		now := time.Now()
		b.Run(sc.name, func(b *testing.B) {
			found := 0
			for i := 0; i < b.N; i++ {
				a.Modified = now.Add(time.Duration(i))
				y := x.With(annotate.Change{PutAnnotations: []annotate.Annotation{a}})
				got, err := f.Annotations(y)
				if err != nil || len(got) == 0 {
					b.Fatal(err, len(got))
				}
				found = len(got)
				x = y // the window's next action starts from this index
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(found), "ns/hit")
		})
	}
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
