package storage

import (
	"io"
	"testing"
	"time"

	"gloss/annotate"
	"gloss/annotate/export"
)

// BenchmarkExportStream writes every export format from Store.Reader at the
// two scale sizes (what `gloss export` does), reporting time per
// annotation: a per-annotation time that grows with the size is not linear.
func BenchmarkExportStream(b *testing.B) {
	for _, f := range export.Formats {
		if f.Name == "qdc" {
			continue // the codebook alone: no annotation is read
		}
		b.Run(f.Name, func(b *testing.B) {
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
						if err := s.Reader(func(r annotate.Reader) error {
							return f.Write(io.Discard, r, export.Options{Title: "bench"})
						}); err != nil {
							if f.Name == "pdf" {
								b.Skipf("pdf: %v", err) // needs a system CJK font (FONTS.md)
							}
							b.Fatal(err)
						}
					}
					perItem(b, start, sc.sources*sc.perSrc, "annotation")
				})
			}
		})
	}
}
