package storage

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// A file of schema 7 has no full-text index: a read-only open leaves it
// so (search reads the texts), the first open for writing builds it.
func TestMigrationBuildsFullTextIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.gloss")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(annotate.Change{PutSources: []annotate.Source{{ID: "s1", Kind: annotate.KindOriginal, Text: "双方将继续合作 on returns"}}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, name := range ftBuckets {
			if tx.Bucket(name) != nil {
				if err := tx.DeleteBucket(name); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bMeta).Put(kSchema, []byte("7"))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := Open(path, Options{ReadOnly: true})
	if err == nil {
		if ok, _ := ro.HasFullText(); ok {
			t.Fatal("a read-only open built the index")
		}
		ro.Close()
	}
	rw, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if ok, err := rw.HasFullText(); err != nil || !ok {
		t.Fatalf("no full-text index after a writable open: %v", err)
	}
	var hits []annotate.SearchHit
	if err := rw.Search(t.Context(), "合作", func(h annotate.SearchHit) bool { hits = append(hits, h); return true }); err != nil || len(hits) != 1 || hits[0].Start != 5 {
		t.Fatalf("search after migration: %v %+v", err, hits)
	}
	if errs, err := rw.Check(); err != nil || len(errs) > 0 {
		t.Fatalf("check: %v %v", err, errs)
	}
}
