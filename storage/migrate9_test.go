package storage

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// A schema 8 file (annotations V1, a few still JSON from an unfinished
// schema 7 rewrite) is refused read-only, and opened for writing is backed
// up, then rewritten in bounded transactions: every annotation V2, quotes
// kept in the texts where they equal them, the same project.
func TestMigrationTo9KeepsQuotesInTexts(t *testing.T) {
	s, path := newStore(t)
	p := benchproj.Generate(8, 6, 3)
	if _, err := s.Commit(benchproj.Change(p)); err != nil {
		t.Fatal(err)
	}
	// Some annotations that cannot keep their quotes in the text.
	x := annotate.NewIndex(mustSnapshot(t, s))
	src := p.Sources[1].ID
	var orphans []annotate.Annotation
	for _, a := range x.Annotations(src) {
		o := *a
		o.Anchor = annotate.AnchorOrphan
		orphans = append(orphans, o)
	}
	if _, err := s.Commit(annotate.Change{Label: "Rewrite", SetTexts: []annotate.SourceText{{SourceID: src, Text: "另一篇文本。"}}, PutAnnotations: orphans}); err != nil {
		t.Fatal(err)
	}
	want := mustSnapshot(t, s)
	if err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAnns)
		for i, a := range want.Annotations {
			raw, err := encodeAnn(&a, nil, annCodecV1)
			if i%5 == 0 {
				raw, err = json.Marshal(a)
			}
			if err != nil {
				return err
			}
			if err := b.Put([]byte(a.ID), raw); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bMeta).Put(kReencode, []byte("pending")); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(kSchema, []byte("8"))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "older project schema (8") {
		t.Fatalf("a read-only open of schema 8: %v, want the upgrade asked for", err)
	}

	defer func(n int) { reencodeChunk = n }(reencodeChunk)
	reencodeChunk = 7
	m, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	backups, _ := m.Backups()
	if len(backups) != 1 {
		t.Fatalf("%d backups before the migration, want 1", len(backups))
	}
	if bi := inspectBackup(backups[0]); !bi.OK || bi.Annotations != len(want.Annotations) {
		t.Fatalf("the backup does not verify: %+v", bi)
	}
	if got := mustSnapshot(t, m); !reflect.DeepEqual(got, want) {
		t.Errorf("the migrated project differs:\n%+v\n%+v", got, want)
	}
	inText, whole := 0, 0
	if err := m.view(func(tx *bolt.Tx) error {
		if v, _ := schemaOf(tx); v != latest || latest < 9 {
			t.Errorf("schema %d after the migration", v)
		}
		if tx.Bucket(bMeta).Get(kReencode) != nil {
			t.Error("the rewrite is still marked pending")
		}
		return tx.Bucket(bAnns).ForEach(func(k, v []byte) error {
			switch {
			case len(v) == 0 || v[0] != annCodecV2:
				t.Errorf("annotation %s: not V2", k)
			case quoteInText(v):
				inText++
			default:
				whole++
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if whole != len(orphans) || inText != len(want.Annotations)-len(orphans) {
		t.Errorf("%d annotations keep their quotes in the text and %d whole; want %d whole (the orphans)", inText, whole, len(orphans))
	}
	if probs, err := m.Check(); err != nil || len(probs) > 0 {
		t.Errorf("check after the migration: %v %v", probs, err)
	}
}
