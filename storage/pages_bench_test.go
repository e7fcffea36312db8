package storage

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"gloss/annotate"
)

// The page walk runs on every Open (and Check, Backup), reading the whole
// file with plain reads; these measure it and Open at two project sizes.

func benchProject(b *testing.B, sources, annsPer int) string {
	b.Helper()
	s, path := newStore(b)
	text := strings.Repeat("中美合作遣返非法移民。The agency said 24,000 crossed. ", 60)
	var c annotate.Change
	for i := 0; i < sources; i++ {
		c.PutSources = append(c.PutSources, annotate.Source{ID: fmt.Sprintf("s%05d", i), Title: fmt.Sprintf("来源 %d", i),
			Kind: annotate.KindOriginal, Text: fmt.Sprintf("Source %d. ", i) + text})
	}
	if _, err := s.Apply(c); err != nil {
		b.Fatal(err)
	}
	c = annotate.Change{}
	for i := 0; i < sources; i++ {
		t := annotate.NewText(c0(i) + text)
		for j := 0; j < annsPer; j++ {
			sel, _ := t.Select(20+j*7, 30+j*7)
			c.PutAnnotations = append(c.PutAnnotations, annotate.Annotation{ID: fmt.Sprintf("a%05d%03d", i, j), SourceID: fmt.Sprintf("s%05d", i), Selector: sel, Note: "a note"})
		}
	}
	if _, err := s.Apply(c); err != nil {
		b.Fatal(err)
	}
	s.Close()
	return path
}

func c0(i int) string { return fmt.Sprintf("Source %d. ", i) }

func benchWalk(b *testing.B, sources int) {
	path := benchProject(b, sources, 10)
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, hard, soft, err := inspectFile(path)
		if err != nil || len(hard)+len(soft) > 0 {
			b.Fatal(err, hard, soft)
		}
	}
}

func BenchmarkPageWalk1000Sources(b *testing.B)  { benchWalk(b, 1000) }
func BenchmarkPageWalk10000Sources(b *testing.B) { benchWalk(b, 10000) }

func benchOpenRO(b *testing.B, sources int) {
	path := benchProject(b, sources, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkOpenReadOnly1000Sources(b *testing.B)  { benchOpenRO(b, 1000) }
func BenchmarkOpenReadOnly10000Sources(b *testing.B) { benchOpenRO(b, 10000) }
