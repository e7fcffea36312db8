package storage

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
)

// The page walk runs on every Check and Backup (Open walks the branch
// pages only); these measure it and Open at two project sizes.

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
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// The whole walk, through bbolt's mapping, as a backup is verified.
		db, err := openBolt(path, true, time.Second, true)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
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

// benchBackup measures a verified backup: the page walk of the project
// and of the copy, bbolt's check of the copy, and the counts. B/op is the
// heap it takes: the walks read the file where it is mapped, not from a
// copy of it in the heap; what grows with the file is their garbage.
func benchBackup(b *testing.B, sources int) {
	path := benchProject(b, sources, 10)
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst, err := s.Backup()
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.Remove(dst) // so the pruning does not count
		b.StartTimer()
	}
}

func BenchmarkBackup1000Sources(b *testing.B)  { benchBackup(b, 1000) }
func BenchmarkBackup10000Sources(b *testing.B) { benchBackup(b, 10000) }

// benchCompact measures gloss compact (check, copy, check of the copy,
// swap) of a project; B/op is the heap it takes, mostly the copy's
// transactions until they commit.
func benchCompact(b *testing.B, sources int) {
	path := benchProject(b, sources, 10)
	orig := path + ".orig"
	if err := writeSynced(orig, path); err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(orig)
	b.SetBytes(info.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// Each round compacts the same uncompacted file.
		if err := writeSynced(path, orig); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(BackupDir(path))
		b.StartTimer()
		if _, err := Compact(path); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompact1000Sources(b *testing.B)  { benchCompact(b, 1000) }
func BenchmarkCompact10000Sources(b *testing.B) { benchCompact(b, 10000) }
