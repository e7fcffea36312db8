package annotate

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchProject has n annotations over 10 sources, a three-level codebook
// of 60 codes and 5 targets.
func benchProject(n int) *Project {
	p := &Project{}
	text := strings.Repeat("中美合作遣返非法移民。The agency said 24,000 crossed. ", 200)
	for i := 0; i < 10; i++ {
		p.Sources = append(p.Sources, Source{ID: fmt.Sprintf("s%d", i), Kind: KindOriginal, Text: text})
	}
	for i := 0; i < 60; i++ {
		c := Code{ID: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("Code %d", i), Color: Palette[i%len(Palette)]}
		if i >= 6 {
			c.Parent = fmt.Sprintf("c%d", i/6-1)
		}
		p.Codes = append(p.Codes, c)
	}
	for i := 0; i < 5; i++ {
		p.Targets = append(p.Targets, Target{ID: fmt.Sprintf("t%d", i), Name: fmt.Sprintf("Target %d", i)})
	}
	for i := 0; i < n; i++ {
		start := (i * 7) % 9000
		p.Annotations = append(p.Annotations, Annotation{ID: fmt.Sprintf("a%d", i), SourceID: fmt.Sprintf("s%d", i%10),
			Selector: Selector{Start: start, End: start + 5}, Codes: []string{fmt.Sprintf("c%d", i%60)},
			Stances: []StanceMark{{Target: fmt.Sprintf("t%d", i%5), Stance: Stances[i%4]}}, Credibility: Credibility(i % 7)})
	}
	return p
}

// The annotations list filters on every change in the window.
func BenchmarkFilterAnnotations(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		x := NewIndex(benchProject(n))
		f := Filter{Codes: []string{"Code 1"}, Stances: []StanceMark{{Stance: Against}}, MaxCredibility: 4}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := f.Annotations(x); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Tagging from the command line builds one index and one change.
func BenchmarkTag(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		x := NewIndex(benchProject(n))
		now := time.Now()
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := x.Tag(Passage{SourceID: "s3", Start: 10, End: 20}, Tags{Codes: []string{"Code 7", "Brand new"},
					Stances: []StanceMark{{Target: "Target 2", Stance: Favor}}}, "", now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
