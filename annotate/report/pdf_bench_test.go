package report

import (
	"fmt"
	"testing"
)

// BenchmarkPDFWriter lays out and writes the PDF of a prepared report
// (sources, annotations, codebook and the judgment sections laid out, not
// computed) at two sizes, 20 annotations a source as genproj makes them:
// time per source should not grow with the size, nor should memory.
func BenchmarkPDFWriter(b *testing.B) {
	if _, _, err := loadFont(""); err != nil {
		b.Skipf("no PDF font: %v", err)
	}
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("sources=%d", n), func(b *testing.B) {
			fs, err := loadFonts("", "")
			if err != nil {
				b.Fatal(err)
			}
			d, err := prepare(readerOf(genProject(n, 20*n)), Options{Generated: t0}, false)
			if err != nil {
				b.Fatal(err)
			}
			var out countWriter
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				for _, f := range fs.fonts {
					if f != nil {
						clear(f.uni)
					}
				}
				out = 0
				pw := &pdfWriter{d: d, fonts: fs}
				pw.file = newPDFFile(&out, fs.fonts, d.Title, d.Generated)
				pw.c = pw.file
				pw.write()
				if pw.err != nil {
					b.Fatal(pw.err)
				}
				if err := pw.file.close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/source")
			b.ReportMetric(float64(out)/float64(n), "B-out/source")
		})
	}
}
