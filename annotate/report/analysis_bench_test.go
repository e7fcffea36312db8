package report

import (
	"fmt"
	"testing"

	"gloss/annotate"
)

// withClaims dates every source and adds n claims to p, each citing k annotations spread over the
// project (every third contradicting), as an analyst's claims board would.
func withClaims(p *annotate.Project, n, k int) *annotate.Project {
	for i := range p.Sources {
		p.Sources[i].Published = fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28) // resolves "last year", "in February"
	}
	for i := range n {
		m := annotate.Claim{ID: fmt.Sprintf("m%05d", i), Text: fmt.Sprintf("Claim %d", i), Created: t0, Modified: t0}
		for j := range k {
			rel := annotate.Supports
			if j%3 == 2 {
				rel = annotate.Contradicts
			}
			m.Evidence = append(m.Evidence, annotate.Evidence{AnnotationID: p.Annotations[(i*k+j*7919)%len(p.Annotations)].ID, Relation: rel})
		}
		p.Claims = append(p.Claims, m)
	}
	return p
}

// The judgment sections (claims, figures, timeline, summary checks) on
// their own, at two sizes: 100 sources with 5,000 annotations and 50 claims,
// and 1,000 sources with 50,000 annotations and 500 claims.
func benchAnalysis(b *testing.B, nSrc, nAnn, nClaims int) {
	p := withClaims(genProject(nSrc, nAnn), nClaims, 10)
	x := annotate.NewIndex(p)
	byID := map[string]*srcDoc{}
	for i := range p.Sources {
		byID[p.Sources[i].ID] = &srcDoc{Src: &p.Sources[i], Anchor: fmt.Sprint("src-", i+1), Title: p.Sources[i].DisplayTitle()}
	}
	text := func(id string) (string, bool) {
		if t := x.Text(id); t != nil {
			return t.String(), t.String() != ""
		}
		return "", false
	}
	analyse(p, x, byID, text, 0) // loads the lexicon once, as an open project has
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		a := analyse(p, x, byID, text, 0)
		if len(a.Claims) != nClaims || a.NFigures == 0 || len(a.Events) == 0 {
			b.Fatalf("%d claims, %d figures, %d events", len(a.Claims), a.NFigures, len(a.Events))
		}
	}
	// Per source, in wall time and in CPU time of the process (on a
	// shared machine the second says more).
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*nSrc), "ns/source")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N*nSrc), "cpu-ns/source")
}

func BenchmarkAnalysis100x5000(b *testing.B)   { benchAnalysis(b, 100, 5000, 50) }
func BenchmarkAnalysis1000x50000(b *testing.B) { benchAnalysis(b, 1000, 50000, 500) }
