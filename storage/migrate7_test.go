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
		return tx.Bucket(bAnns).ForEach(func(_, v []byte) error {
			if len(v) > 0 && v[0] == annCodecV1 {
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
