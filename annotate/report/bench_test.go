package report

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"gloss/annotate"
)

// genProject makes nSrc sources of mixed Chinese and English text with
// nAnn annotations spread over them (some overlapping), a 20-code codebook,
// and every tenth source a summary linked to the source before it.
func genProject(nSrc, nAnn int) *annotate.Project {
	rng := rand.New(rand.NewPCG(1, 2))
	p := &annotate.Project{Name: "bench", Targets: []annotate.Target{{ID: "t1", Name: "China"}, {ID: "t2", Name: "United States"}}}
	for i := range 20 {
		c := annotate.Code{ID: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("Code %d", i), Color: annotate.Palette[i%len(annotate.Palette)]}
		if i >= 5 {
			c.Parent = fmt.Sprintf("c%d", i%5)
		}
		p.Codes = append(p.Codes, c)
	}
	zh := []string{"中美合作遣返非法移民。", "美国国土安全部表示,双方正在进行高层讨论。", "报道说,这一情况变得尤为重要。\n\n"}
	en := []string{"The agency said removals would continue. ", "Officials met in Vienna in February <b>&</b>. ", "Crossings rose to 24,000 last year.\n\n"}
	for i := range nSrc {
		var b strings.Builder
		for b.Len() < 6000 {
			if i%2 == 0 {
				b.WriteString(zh[rng.IntN(len(zh))])
			} else {
				b.WriteString(en[rng.IntN(len(en))])
			}
		}
		s := newSource(fmt.Sprintf("s%04d", i), fmt.Sprintf("Source %d", i), b.String(), annotate.English)
		s.Reliability = annotate.ReliabilityScale[i%6].Grade
		if i%10 == 9 {
			s.Kind, s.Originals = annotate.KindSummary, []string{fmt.Sprintf("s%04d", i-1)}
		}
		p.Sources = append(p.Sources, s)
	}
	texts := make([]*annotate.Text, nSrc)
	for i := range p.Sources {
		texts[i] = annotate.NewText(p.Sources[i].Text)
	}
	for k := range nAnn {
		i := k % nSrc
		tx := texts[i]
		start := rng.IntN(tx.Len() - 60)
		sel, _ := tx.Select(start, start+5+rng.IntN(50))
		a := annotate.Annotation{ID: fmt.Sprintf("a%06d", k), SourceID: p.Sources[i].ID, Selector: sel,
			Codes: []string{fmt.Sprintf("c%d", rng.IntN(20))}, Credibility: annotate.Credibility(rng.IntN(7)),
			Stances: []annotate.StanceMark{{Target: "t1", Stance: annotate.Against}}, Note: "note <i>" + fmt.Sprint(k), Created: t0, Modified: t0}
		p.Annotations = append(p.Annotations, a)
		if p.Sources[i].Kind == annotate.KindSummary && k%3 == 0 {
			o := texts[i-1]
			os := rng.IntN(o.Len() - 40)
			to, _ := o.Select(os, os+20)
			p.Links = append(p.Links, annotate.Link{ID: fmt.Sprintf("l%d", k), From: annotate.Anchor{SourceID: p.Sources[i].ID, Selector: sel},
				To: []annotate.Anchor{{SourceID: p.Sources[i-1].ID, Selector: to}}, Status: annotate.Confirmed})
		}
	}
	return p
}

func BenchmarkHTMLReport1000x50000(b *testing.B) {
	p := genProject(1000, 50000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := WriteHTML(io.Discard, p, Options{Generated: t0}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestGeneratedProjectIsValid(t *testing.T) {
	p := genProject(20, 1000)
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("%d problems, first: %v", len(errs), errs[0])
	}
	var w countWriter
	if err := WriteHTML(&w, p, Options{}); err != nil || w == 0 {
		t.Fatal(err)
	}
}

type countWriter int

func (c *countWriter) Write(b []byte) (int, error) { *c += countWriter(len(b)); return len(b), nil }

// BenchmarkPDFReport100x5000 tracks the PDF writer (about 300 pages).
func BenchmarkPDFReport100x5000(b *testing.B) {
	if _, _, err := loadFont(""); err != nil {
		b.Skipf("no PDF font: %v", err)
	}
	p := genProject(100, 5000)
	b.ResetTimer()
	for b.Loop() {
		if err := WritePDF(io.Discard, p, Options{Generated: t0}); err != nil {
			b.Fatal(err)
		}
	}
}
