package report

import (
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// The whole HTML and Markdown reports of a genproj-shaped project (about
// 2 KB of text and 20 annotations per source, every tenth a summary) at two
// sizes, so that growth per source shows: ns/source and B/source should
// stay flat from 500 to 5,000 sources, and peak-heap-MB should not grow
// with the figures, events and checks of every text.
func benchReport(b *testing.B, n int, write func(io.Writer, *annotate.Project, Options) error) {
	p := benchproj.Generate(n, 20, 1)
	if err := write(io.Discard, p, Options{Generated: t0}); err != nil { // loads the lexicon once, as an open project has
		b.Fatal(err)
	}
	b.ReportAllocs()
	peak := sampleHeap()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	b.ResetTimer()
	for b.Loop() {
		if err := write(io.Discard, p, Options{Generated: t0}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&m1)
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N*n), "B/source")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/source")
	b.ReportMetric(peak()/(1<<20), "peak-heap-MB")
}

func BenchmarkHTMLReportGen500(b *testing.B)  { benchReport(b, 500, WriteHTML) }
func BenchmarkHTMLReportGen5000(b *testing.B) { benchReport(b, 5000, WriteHTML) }
func BenchmarkMDReportGen500(b *testing.B)    { benchReport(b, 500, WriteMarkdown) }
func BenchmarkMDReportGen5000(b *testing.B)   { benchReport(b, 5000, WriteMarkdown) }

// sampleHeap samples the live heap every few milliseconds until the
// returned function is called, which gives the highest value seen above
// the heap at the start (the project itself, after a collection).
func sampleHeap() func() float64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(s); return s[0].Value.Uint64() }
	runtime.GC()
	base := read()
	var max atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if v := read(); v > max.Load() {
					max.Store(v)
				}
			}
		}
	})
	return func() float64 {
		close(stop)
		wg.Wait()
		return float64(max.Load()) - float64(base)
	}
}
