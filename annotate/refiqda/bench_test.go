package refiqda

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// bigQDPX writes, as another tool would, a project with n codes (in groups
// of ten under a parent) and n coded selections spread over ten text
// sources, plus n/10 links between bare selections, without Gloss's side
// table, so every path of the importer is exercised at scale.
func bigQDPX(tb testing.TB, n int) []byte {
	tb.Helper()
	guid := func(kind byte, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%c%011x", i, kind, i) }
	var x strings.Builder
	x.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	x.WriteString(`<Project xmlns="urn:QDA-XML:project:1.0" name="big"><Users><User guid="` + guid('a', 0) + `" name="Coder"/></Users><CodeBook><Codes>`)
	for i := 0; i < n; i += 10 {
		fmt.Fprintf(&x, `<Code guid="%s" name="Group %d" isCodable="true">`, guid('c', i), i)
		for j := i + 1; j < i+10 && j < n; j++ {
			fmt.Fprintf(&x, `<Code guid="%s" name="Code %d" isCodable="true" color="#80b1d3"/>`, guid('c', j), j)
		}
		x.WriteString(`</Code>`)
	}
	x.WriteString(`</Codes></CodeBook><Sources>`)
	const nsrc = 10
	per := (n + nsrc - 1) / nsrc
	line := "Officials said both governments agreed on a return flight. 双方同意继续合作。\n"
	unit := len([]rune(line))
	var texts [nsrc]string
	links := n / 10
	for s := 0; s < nsrc; s++ {
		texts[s] = strings.Repeat(line, per+1)
		fmt.Fprintf(&x, `<TextSource guid="%s" name="Source %d" plainTextPath="internal://%d.txt">`, guid('b', s), s, s)
		for k := 0; k < per; k++ {
			i := s*per + k
			if i >= n {
				break
			}
			fmt.Fprintf(&x, `<PlainTextSelection guid="%s" startPosition="%d" endPosition="%d" creatingUser="%s">`,
				guid('d', i), k*unit+15, k*unit+38, guid('a', 0))
			if i%10 != 9 || i/10 >= links { // every tenth selection is a bare link end
				fmt.Fprintf(&x, `<Coding guid="%s"><CodeRef targetGUID="%s"/></Coding>`, guid('e', i), guid('c', i))
			}
			x.WriteString(`</PlainTextSelection>`)
		}
		x.WriteString(`</TextSource>`)
	}
	x.WriteString(`</Sources><Links>`)
	for l := 0; l < links; l++ {
		from, to := l*10+9, (l*10+9+per)%n // the same position one source on
		fmt.Fprintf(&x, `<Link guid="%s" name="link %d" direction="OneWay" originGUID="%s" targetGUID="%s"/>`, guid('f', l), l, guid('d', from), guid('d', to))
	}
	x.WriteString(`</Links></Project>`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(body))
	}
	put("project.qde", x.String())
	for s := 0; s < nsrc; s++ {
		put(fmt.Sprintf("Sources/%d.txt", s), texts[s])
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestBigQDPXImports(t *testing.T) {
	data := bigQDPX(t, 1000)
	var warns []string
	p, err := importQDPX(data, ReadOptions{Warn: func(m string) { warns = append(warns, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Codes) != 1000 || len(p.Annotations) != 1000-100 || len(p.Links) != 100 {
		t.Errorf("%d codes, %d annotations, %d links; want 1000, 900, 100 (warnings %v)", len(p.Codes), len(p.Annotations), len(p.Links), warns)
	}
}

// BenchmarkImportQDPX reports time per item (one code plus one selection):
// linear import keeps ns/item flat from 10k to 100k.
func BenchmarkImportQDPX(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		data := bigQDPX(b, n)
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			for range b.N {
				if _, err := importQDPX(data, ReadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/item")
		})
	}
}

// BenchmarkWriteQDPXScale: streaming export time per annotation at the
// issue's two sizes (1,000 sources with 20,000 annotations; 10,000 with
// 200,000), read through annotate.Reader; ns/annotation should not grow.
func BenchmarkWriteQDPXScale(b *testing.B) {
	for _, sc := range []struct {
		name            string
		sources, perSrc int
	}{{"1k_20k", 1000, 20}, {"10k_200k", 10000, 20}} {
		b.Run(sc.name, func(b *testing.B) {
			p := benchproj.Generate(sc.sources, sc.perSrc, 1)
			b.ResetTimer()
			for range b.N {
				if err := WriteQDPXReader(io.Discard, annotate.ProjectReader(p), Options{Time: fixedTime}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(p.Annotations)), "ns/annotation")
		})
	}
}
