package storage

import (
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/internal/benchproj"
)

// Records written after every key a bucket has fill their pages whole;
// records written among existing keys leave room for later inserts.
func TestFillForAppendsAndInserts(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(400, 20, 1))); err != nil {
		t.Fatal(err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAnns)
		last, _ := b.Cursor().Last()
		first, _ := b.Cursor().First()
		fillFor(b, append(append([]byte(nil), last...), 'z'))
		if b.FillPercent != 1.0 {
			t.Errorf("an append fills to %v, want 1.0", b.FillPercent)
		}
		fillFor(b, first)
		if b.FillPercent != 0.9 {
			t.Errorf("an insert among keys fills to %v, want 0.9", b.FillPercent)
		}
		fillFor(b, nil)
		if b.FillPercent != 0.9 {
			t.Errorf("a write without puts fills to %v, want 0.9", b.FillPercent)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A project written in one change: its pages are nearly full, as a
	// compacted copy's are (bbolt's default split leaves them half full).
	err = s.db.View(func(tx *bolt.Tx) error {
		// Texts are values of a few kB (a page ends where the next would
		// not fit). Each bucket's last page may be partly empty: what its
		// pages hold is measured against all pages but that one (sources
		// take five pages, the last of them a fifth of the whole).
		for name, want := range map[string]float64{string(bAnns): 0.95, string(bSources): 0.95, string(bTexts): 0.88} {
			st := tx.Bucket([]byte(name)).Stats()
			if st.LeafPageN < 4 {
				t.Fatalf("%s: %d leaf pages, too few to tell", name, st.LeafPageN)
			}
			page := st.LeafAlloc / st.LeafPageN
			if fill := float64(st.LeafInuse) / float64(st.LeafAlloc-page); fill < want {
				t.Errorf("%s: leaf pages but the last %.0f %% full, want at least %.0f %%", name, 100*fill, 100*want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
