package annotate_test

import (
	"testing"
	"time"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// BenchmarkMerge merges a generated project into an empty one and then into
// itself (everything already there): both must be linear in its size.
func BenchmarkMerge(b *testing.B) {
	for _, sc := range []struct {
		name string
		n    int
	}{{"1k_20k", 1000}, {"10k_200k", 10000}} {
		q := benchproj.Generate(sc.n, 20, 1)
		items := len(q.Sources) + len(q.Annotations)
		b.Run(sc.name+"/into_empty", func(b *testing.B) {
			x := annotate.NewIndex(&annotate.Project{})
			start := time.Now()
			for i := 0; i < b.N; i++ {
				annotate.Merge(x, q, "bench")
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*items), "ns/item")
		})
		b.Run(sc.name+"/into_itself", func(b *testing.B) {
			x := annotate.NewIndex(q)
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if c, _ := annotate.Merge(x, q, "bench"); !c.Empty() {
					b.Fatal("merging a project into itself changed it")
				}
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*items), "ns/item")
		})
	}
}
