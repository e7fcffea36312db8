package storage

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/internal/benchproj"
)

// A schema 6 file (annotations as JSON) opened for writing is backed up,
// verified, then rewritten: every annotation binary, the same project.
func TestMigrationTo7KeepsBackupAndProject(t *testing.T) {
	s, path := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(8, 6, 3))); err != nil {
		t.Fatal(err)
	}
	want, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	// Back to schema 6: annotations as JSON, as that schema wrote them.
	if err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAnns)
		for _, a := range want.Annotations {
			raw, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(a.ID), raw); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kSchema, []byte("6"))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Fatal("a read-only open of schema 6 should ask for the upgrade")
	}

	// Several transactions of rewriting, not one.
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
	bi := inspectBackup(backups[0])
	if !bi.OK || bi.Annotations != len(want.Annotations) {
		t.Fatalf("the backup does not verify: %+v", bi)
	}
	got, err := m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the migrated project differs:\n%+v\n%+v", got, want)
	}
	binary := 0
	if err := m.view(func(tx *bolt.Tx) error {
		if v, _ := schemaOf(tx); v != latest {
			t.Errorf("schema %d after the migration", v)
		}
		if tx.Bucket(bMeta).Get(kReencode) != nil {
			t.Error("the rewrite is still marked pending")
		}
		return tx.Bucket(bAnns).ForEach(func(_, v []byte) error {
			if isAnnCodec(v) {
				binary++
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if binary != len(want.Annotations) {
		t.Errorf("%d of %d annotations binary", binary, len(want.Annotations))
	}
	if probs, err := m.Check(); err != nil || len(probs) > 0 {
		t.Errorf("check after the migration: %v %v", probs, err)
	}
	if _, err := os.Stat(backups[0]); err != nil {
		t.Error(err)
	}
}

// A rewrite cut short leaves a file that reads whole, and the next open
// for writing finishes it.
func TestReencodeResumes(t *testing.T) {
	s, path := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(6, 5, 4))); err != nil {
		t.Fatal(err)
	}
	want, _ := s.Snapshot()
	// As if cut short: half the annotations JSON again, the mark set.
	if err := s.update(func(tx *bolt.Tx) error {
		for i, a := range want.Annotations {
			if i%2 == 0 {
				raw, _ := json.Marshal(a)
				if err := tx.Bucket(bAnns).Put([]byte(a.ID), raw); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bMeta).Put(kReencode, []byte("pending"))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Snapshot(); !reflect.DeepEqual(got, want) {
		t.Error("a half-rewritten file reads differently")
	}
	r.Close()
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	json := 0
	_ = w.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bMeta).Get(kReencode) != nil {
			t.Error("still marked")
		}
		return tx.Bucket(bAnns).ForEach(func(_, v []byte) error {
			if v[0] == '{' {
				json++
			}
			return nil
		})
	})
	if json > 0 {
		t.Errorf("%d annotations still JSON", json)
	}
	if got, _ := w.Snapshot(); !reflect.DeepEqual(got, want) {
		t.Error("the finished file reads differently")
	}
}
