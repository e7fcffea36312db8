package storage

import (
	"errors"
	"fmt"
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// TestEachSourceOrderAndDamage: records decoded on other goroutines
// still reach fn in key order, with the undecodable ones passed to bad in
// their place, across several batches; fn's error stops the walk there.
func TestEachSourceOrderAndDamage(t *testing.T) {
	s, path := newStore(t)
	var c annotate.Change
	for i := 0; i < 700; i++ {
		src := ftSource(fmt.Sprintf("text %d", i))
		src.ID = fmt.Sprintf("s%04d", i)
		c.PutSources = append(c.PutSources, src)
	}
	if _, err := s.Commit(c); err != nil {
		t.Fatal(err)
	}
	damaged := map[string]bool{"s0003": true, "s0300": true, "s0699": true}
	if err := s.update(func(tx *bolt.Tx) error {
		for id := range damaged {
			if err := tx.Bucket(bSources).Put([]byte(id), []byte("{not a record")); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	err := s.EachSource(func(id string, err error) {
		if !damaged[id] || err == nil {
			t.Errorf("bad(%s, %v)", id, err)
		}
		seen = append(seen, "bad "+id)
	}, func(src annotate.Source) error {
		seen = append(seen, src.ID)
		return nil
	})
	if err != nil || len(seen) != 700 {
		t.Fatalf("%v, %d calls", err, len(seen))
	}
	for i, got := range seen {
		want := fmt.Sprintf("s%04d", i)
		if damaged[want] {
			want = "bad " + want
		}
		if got != want {
			t.Fatalf("call %d: %s, want %s", i, got, want)
		}
	}
	stop := errors.New("stop")
	n := 0
	err = s.EachSource(nil, func(src annotate.Source) error {
		if n++; src.ID == "s0400" {
			return stop
		}
		return nil
	})
	if err != stop || n != 399 {
		t.Fatalf("stopping: %v after %d calls", err, n)
	}
	// The damage is on purpose: no check on cleanup.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}
