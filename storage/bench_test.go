package storage

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// longText is a realistic long source: saving on it must not index it.
var longText = strings.Repeat("中美合作遣返非法移民，The agency said 24,000 crossed. ", 20000)

// BenchmarkSaveAnnotation is one user action: validate and durably save one
// annotation on a long source. Compare with BenchmarkRawBoltUpdate.
func BenchmarkSaveAnnotation(b *testing.B) {
	s, _ := newStore(b)
	src := annotate.Source{ID: "s1", Kind: annotate.KindOriginal, Text: longText}
	code := annotate.Code{ID: "c1", Name: "Cooperation", Color: "#f4c430"}
	if _, err := s.Apply(annotate.Change{PutSources: []annotate.Source{src}, PutCodes: []annotate.Code{code}}); err != nil {
		b.Fatal(err)
	}
	tx := annotate.NewText(longText)
	sel, _ := tx.Select(500000, 500010)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := annotate.Annotation{ID: fmt.Sprintf("a%09d", i), SourceID: "s1", Selector: sel, Codes: []string{"c1"}, Credibility: 2}
		if _, err := s.Apply(annotate.Change{PutAnnotations: []annotate.Annotation{a}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawBoltUpdate writes the same bytes with a bare bbolt Update: the
// floor that BenchmarkSaveAnnotation is measured against (goal ≤ 1.3×).
func BenchmarkRawBoltUpdate(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.Update(func(tx *bolt.Tx) error {
		bk, _ := tx.CreateBucket([]byte("texts"))
		tx.CreateBucket([]byte("anns"))
		return bk.Put([]byte("s1"), []byte(longText))
	})
	sel, _ := annotate.NewText(longText).Select(500000, 500010)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := annotate.Annotation{ID: fmt.Sprintf("a%09d", i), SourceID: "s1", Selector: sel, Codes: []string{"c1"}, Credibility: 2, Created: time.Now(), Modified: time.Now()}
		raw, _ := json.Marshal(a)
		if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("anns")).Put([]byte(a.ID), raw) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen10000Sources opens a project of 10,000 sources and lists them,
// which is what the GUI does before its first frame (goal ≤ 300 ms).
func BenchmarkOpen10000Sources(b *testing.B) {
	s, path := newStore(b)
	var c annotate.Change
	for i := 0; i < 10000; i++ {
		c.PutSources = append(c.PutSources, annotate.Source{ID: fmt.Sprintf("s%05d", i), Title: fmt.Sprintf("来源 %d: a headline of usual length", i),
			Outlet: "Global Times", Published: "2024-07-03", Language: annotate.English, Kind: annotate.KindOriginal,
			Text: fmt.Sprintf("Source %d. ", i) + strings.Repeat("中美合作遣返非法移民。", 100)})
	}
	if _, err := s.Apply(c); err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		list, err := s.Sources()
		if err != nil || len(list) != 10000 {
			b.Fatal(err, len(list))
		}
		s.Close()
	}
}
