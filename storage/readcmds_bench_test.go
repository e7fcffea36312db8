package storage

import (
	"testing"
	"time"
)

// BenchmarkCodes is what gloss codes reads: the codebook and the usage
// counts from the index keys. Its time per source should fall as the
// project grows (the codebook does not grow with it; the counts walk the
// by-code keys only).
func BenchmarkCodes(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			s := openScale(b, sc.sources, sc.perSrc)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				p, err := s.Codebook()
				if err != nil || len(p.Codes) == 0 {
					b.Fatal(err)
				}
				if use, err := s.CodeUsage(); err != nil || len(use) == 0 {
					b.Fatal(err)
				}
			}
			perItem(b, start, sc.sources, "source")
		})
	}
}
