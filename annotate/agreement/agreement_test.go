package agreement

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gloss/annotate"
)

// fixture: two coders, Ana and Bo, and a third, Cy.
//
//	s1 "0123456789abcdefghij" (20 code points)
//	  Ana: Flights on 0–10 (as two overlapping annotations 0–6 and 4–10)
//	  Bo:  Flights on 2–10 and 15–17
//	s2 "😀中文ABCDEFG" (10 code points; the emoji counts once)
//	  Ana: Flights on 0–4; stance toward China "against" on 0–4
//	  Bo:  Flights on 0–4; Criticism on 4–10
//	s3: only Ana coded it, so it is not compared.
//	s4: only Cy coded it.
func fixture(t testing.TB) *annotate.Project {
	p := &annotate.Project{
		Codes:   []annotate.Code{{ID: "c1", Name: "Flights", Color: "#80b1d3"}, {ID: "c2", Name: "Criticism", Color: "#fb8072"}},
		Targets: []annotate.Target{{ID: "t1", Name: "China"}},
	}
	for _, s := range []struct{ id, text string }{{"s1", "0123456789abcdefghij"}, {"s2", "😀中文ABCDEFG"}, {"s3", "only Ana"}, {"s4", "only Cy"}} {
		p.Sources = append(p.Sources, annotate.Source{ID: s.id, Kind: annotate.KindOriginal, Text: s.text,
			ContentHash: annotate.HashText(s.text), Length: utf8.RuneCountInString(s.text)})
	}
	n := 0
	ann := func(src, who string, start, end int, codes []string, st []annotate.StanceMark) {
		var text string
		for _, s := range p.Sources {
			if s.ID == src {
				text = s.Text
			}
		}
		sel, err := annotate.NewText(text).Select(start, end)
		if err != nil {
			t.Fatal(err)
		}
		n++
		p.Annotations = append(p.Annotations, annotate.Annotation{ID: fmt.Sprintf("a%d", n), SourceID: src, Selector: sel,
			Codes: codes, Stances: st, Author: who, Created: time.Unix(0, 0)})
	}
	ann("s1", "Ana", 0, 6, []string{"c1"}, nil)
	ann("s1", "Ana", 4, 10, []string{"c1"}, nil)
	ann("s1", "Bo", 2, 10, []string{"c1"}, nil)
	ann("s1", "Bo", 15, 17, []string{"c1"}, nil)
	ann("s2", "Ana", 0, 4, []string{"c1"}, []annotate.StanceMark{{Target: "t1", Stance: annotate.Against}})
	ann("s2", "Bo", 0, 4, []string{"c1"}, nil)
	ann("s2", "Bo", 4, 10, []string{"c2"}, nil)
	ann("s3", "Ana", 0, 4, []string{"c1"}, nil)
	ann("s4", "Cy", 0, 4, []string{"c1"}, nil)
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatal(errs)
	}
	return p
}

// Hand computation, 30 units (20 in s1 + 10 in s2):
//
// Flights: s1 A covers 0–10 (10 units), B covers 2–10 and 15–17 (10 units):
// both 8 (2–10), A only 2 (0–2), B only 2 (15–17), neither 20−12 = 8.
// s2: both 4 (0–4), neither 6. Totals: both 12, A only 2, B only 2,
// neither 14.
//
//	po = (12+14)/30 = 26/30 = 0.866667
//	pA(yes) = 14/30, pB(yes) = 14/30
//	pe = (14/30)² + (16/30)² = (196+256)/900 = 452/900 = 0.502222
//	κ = (26/30 − 452/900)/(1 − 452/900) = (780−452)/(900−452) = 328/448 = 0.732143
//
// Criticism: only B, s2 4–10: both 0, B only 6, neither 24.
//
//	po = 24/30 = 0.8, pA = 0, pB = 6/30 = 0.2
//	pe = 0·0.2 + 1·0.8 = 0.8 → κ = (0.8−0.8)/(1−0.8) = 0
//
// Stance China against: only A, s2 0–4: A only 4, neither 26:
// po = 26/30, pe = (4/30)·0 + (26/30)·1 = 26/30 → κ = 0.
func TestHandComputedKappa(t *testing.T) {
	r, err := Compare(fixture(t), "Ana", "Bo")
	if err != nil {
		t.Fatal(err)
	}
	if r.Units != 30 || strings.Join(r.Sources, ",") != "s1,s2" {
		t.Fatalf("units %d over %v, want 30 over s1,s2", r.Units, r.Sources)
	}
	want := map[string]struct {
		both, a, b, neither int
		percent, kappa      float64
		diffs               string
	}{
		"Flights":                  {12, 2, 2, 14, 100 * 26.0 / 30, 328.0 / 448, "s1 0–2 Ana 01; s1 15–17 Bo fg"},
		"Criticism":                {0, 0, 6, 24, 80, 0, "s2 4–10 Bo BCDEFG"},
		"Stance · China · against": {0, 4, 0, 26, 100 * 26.0 / 30, 0, "s2 0–4 Ana 😀中文A"},
	}
	if len(r.Codes) != len(want) {
		t.Errorf("%d codes, want %d", len(r.Codes), len(want))
	}
	for _, c := range r.Codes {
		w, ok := want[c.Name]
		if !ok {
			t.Errorf("unexpected code %q", c.Name)
			continue
		}
		var diffs []string
		for _, d := range c.Differences {
			diffs = append(diffs, fmt.Sprintf("%s %d–%d %s %s", d.SourceID, d.Start, d.End, d.CodedBy, d.Text))
		}
		if c.Both != w.both || c.OnlyA != w.a || c.OnlyB != w.b || c.Neither != w.neither {
			t.Errorf("%s: table %d/%d/%d/%d, want %d/%d/%d/%d", c.Name, c.Both, c.OnlyA, c.OnlyB, c.Neither, w.both, w.a, w.b, w.neither)
		}
		if math.Abs(c.Percent-w.percent) > 1e-9 || math.Abs(c.Kappa-w.kappa) > 1e-9 {
			t.Errorf("%s: %.4f%%, κ %.6f; want %.4f%%, κ %.6f", c.Name, c.Percent, c.Kappa, w.percent, w.kappa)
		}
		if got := strings.Join(diffs, "; "); got != w.diffs {
			t.Errorf("%s: differences %q, want %q", c.Name, got, w.diffs)
		}
	}
}

func TestStats(t *testing.T) {
	// Full agreement on nothing and on everything: kappa 1, not NaN.
	if p, k := stats(0, 0, 0, 10); p != 100 || k != 1 {
		t.Errorf("none coded: %v %v", p, k)
	}
	if p, k := stats(10, 0, 0, 0); p != 100 || k != 1 {
		t.Errorf("all coded: %v %v", p, k)
	}
	// Textbook example (Cohen 1960 style): 20 both, 5 A only, 10 B only, 15 neither.
	// po = 35/50 = 0.7; pA = 25/50, pB = 30/50; pe = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.4.
	if p, k := stats(20, 5, 10, 15); math.Abs(p-70) > 1e-9 || math.Abs(k-0.4) > 1e-9 {
		t.Errorf("textbook: %v %v", p, k)
	}
}

func TestCompareErrors(t *testing.T) {
	p := fixture(t)
	for _, c := range []struct{ a, b, want string }{
		{"Ana", "Ana", "two different authors"},
		{"Ana", "Zoe", `no annotation has the author "Zoe" (authors: "Ana", "Bo", "Cy")`},
		{"Bo", "Cy", "no source in common"},
	} {
		if _, err := Compare(p, c.a, c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s/%s: %v, want %q", c.a, c.b, err, c.want)
		}
	}
}

func TestCSV(t *testing.T) {
	p := fixture(t)
	p.Sources[0].Title = "=HYPERLINK(\"x\")"
	r, err := Compare(p, "Ana", "Bo")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "code" || rows[2][0] != "Flights" || rows[2][9] != "86.67" || rows[2][10] != "0.7321" {
		t.Errorf("summary rows %q", rows)
	}
	buf.Reset()
	if err := WriteDifferencesCSV(&buf, p, r); err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[2][2] != "'=HYPERLINK(\"x\")" || rows[2][5] != "Ana" || rows[2][6] != "Bo" || rows[2][7] != "01" {
		t.Errorf("difference rows %q", rows)
	}
}

// BenchmarkCompare: two coders, each with one annotation every 50 code
// points over sources of 100k code points; per annotation.
func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		text := strings.Repeat("Officials said both governments agreed. 外交部表示。\n", 100000/48)
		p := &annotate.Project{Codes: []annotate.Code{{ID: "c1", Name: "A", Color: "#80b1d3"}, {ID: "c2", Name: "B", Color: "#80b1d3"}}}
		tx := annotate.NewText(text)
		srcs := 10
		for s := 0; s < srcs; s++ {
			p.Sources = append(p.Sources, annotate.Source{ID: fmt.Sprint("s", s), Text: text, Length: tx.Len()})
		}
		for i := 0; i < n; i++ {
			for w, who := range []string{"Ana", "Bo"} {
				st := (i / srcs * 50) % (tx.Len() - 40)
				sel, _ := tx.Select(st+w*5, st+w*5+30)
				p.Annotations = append(p.Annotations, annotate.Annotation{ID: fmt.Sprint(who, i), SourceID: fmt.Sprint("s", i%srcs),
					Selector: sel, Codes: []string{p.Codes[i%2].ID}, Author: who})
			}
		}
		b.Run(fmt.Sprintf("annotations=%d", 2*n), func(b *testing.B) {
			for range b.N {
				if _, err := Compare(p, "Ana", "Bo"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// CompareFrom asks stop between sources and ends when it says so.
func TestCompareFromStops(t *testing.T) {
	p := fixture(t)
	asked := 0
	_, err := CompareFrom(annotate.ProjectReader(p), "Ana", "Bo", func() bool { asked++; return asked > 1 })
	if err != ErrStopped || asked != 2 {
		t.Fatalf("stopped after %d questions with %v", asked, err)
	}
	if r, err := CompareFrom(annotate.ProjectReader(p), "Ana", "Bo", func() bool { return false }); err != nil || len(r.Sources) != 2 {
		t.Fatalf("not stopped: %+v, %v", r, err)
	}
}
