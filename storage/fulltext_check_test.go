package storage

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// TestFullTextCheckEveryDamage: each kind of disagreement between the
// index and the texts is reported, in either chunk of a two-chunk index,
// including those that leave a chunk's count of (term, source) pairs or
// the word list's total unchanged; after a rebuild the file checks clean
// (newStore checks on cleanup).
func TestFullTextCheckEveryDamage(t *testing.T) {
	// Source i has the word "onlyI" alone; every source has "common".
	n := ftChunk + 6
	put := func(b *bolt.Bucket, k, v []byte) error { return b.Put(k, v) }
	ordOf := func(tx *bolt.Tx, id string) uint32 {
		return binary.BigEndian.Uint32(tx.Bucket(ftSubIDs).Get([]byte(id)))
	}
	postKey := func(ord uint32, kind byte, term string) []byte {
		return ftPostKey(uint16(ord/ftChunk), kind, []byte(term))
	}
	list := func(offs ...uint16) []byte { return encodePosting(offs) }
	uv := func(n uint64) []byte { return binary.AppendUvarint(nil, n) }
	type damage func(tx *bolt.Tx, ids []string) error
	cases := []struct {
		name string
		want string
		do   damage
	}{
		{"posting deleted", "is missing", func(tx *bolt.Tx, ids []string) error {
			o := ordOf(tx, ids[3])
			return tx.Bucket(ftSubPosts).Delete(postKey(o, 'w', "only3"))
		}},
		{"posting deleted, second chunk", "(sources 1024–2047) is missing", func(tx *bolt.Tx, ids []string) error {
			o := ordOf(tx, ids[n-2])
			return tx.Bucket(ftSubPosts).Delete(postKey(o, 'w', fmt.Sprintf("only%d", n-2)))
		}},
		{"posting moved to another source", "lists 1 sources, the texts 1", func(tx *bolt.Tx, ids []string) error {
			// Same chunk, same number of pairs: only the sums see it.
			o := ordOf(tx, ids[3])
			p := o ^ 1 // the neighbour in the same chunk
			return put(tx.Bucket(ftSubPosts), postKey(o, 'w', "only3"), list(uint16(p%ftChunk)))
		}},
		{"posting lists an extra source", "lists 2 sources, the texts 1", func(tx *bolt.Tx, ids []string) error {
			o := ordOf(tx, ids[5])
			off := uint16(o % ftChunk)
			other := (off + 1) % ftChunk
			lo, hi := min(off, other), max(off, other)
			return put(tx.Bucket(ftSubPosts), postKey(o, 'w', "only5"), list(lo, hi))
		}},
		{"posting of unknown form", "posting of unknown form", func(tx *bolt.Tx, ids []string) error {
			o := ordOf(tx, ids[6])
			return put(tx.Bucket(ftSubPosts), postKey(o, 'w', "only6"), []byte("zz"))
		}},
		{"posting for a term no text has", "lists 1 sources, the texts 0", func(tx *bolt.Tx, ids []string) error {
			return put(tx.Bucket(ftSubPosts), postKey(0, 'w', "nowhere"), list(0))
		}},
		{"posting beyond the last source", "beyond the last source", func(tx *bolt.Tx, ids []string) error {
			return put(tx.Bucket(ftSubPosts), ftPostKey(9, 'w', []byte("common")), list(0))
		}},
		{"word counted wrong", `word "common" is counted in 7 sources`, func(tx *bolt.Tx, ids []string) error {
			return put(tx.Bucket(ftSubDict), []byte("common"), uv(7))
		}},
		{"word counts traded", `word "only8" is counted in 2 sources`, func(tx *bolt.Tx, ids []string) error {
			// The total of the counts is unchanged.
			if err := put(tx.Bucket(ftSubDict), []byte("only8"), uv(2)); err != nil {
				return err
			}
			return put(tx.Bucket(ftSubDict), []byte("only9"), uv(0))
		}},
		{"word missing from the list", `word "only10" is not in the word list`, func(tx *bolt.Tx, ids []string) error {
			return tx.Bucket(ftSubDict).Delete([]byte("only10"))
		}},
		{"word no text has", `word "nowhere" is counted in 1 sources, the texts have it in 0`, func(tx *bolt.Tx, ids []string) error {
			return put(tx.Bucket(ftSubDict), []byte("nowhere"), uv(1))
		}},
		{"word count unreadable", `word "only11" is counted in 0 sources, the texts have it in 1`, func(tx *bolt.Tx, ids []string) error {
			return put(tx.Bucket(ftSubDict), []byte("only11"), []byte{0xff})
		}},
		{"stale source entry", "stale entry for source gone", func(tx *bolt.Tx, ids []string) error {
			return put(tx.Bucket(ftSubIDs), []byte("gone"), ftOrdKey(0))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newStore(t)
			var c annotate.Change
			var ids []string
			for i := 0; i < n; i++ {
				src := ftSource(fmt.Sprintf("common only%d 鲲鹏", i))
				ids = append(ids, src.ID)
				c.PutSources = append(c.PutSources, src)
			}
			if _, err := s.Commit(c); err != nil {
				t.Fatal(err)
			}
			if problems, err := s.Check(); err != nil || len(problems) > 0 {
				t.Fatalf("before the damage: %v %v", err, problems)
			}
			if err := s.update(func(tx *bolt.Tx) error { return tc.do(tx, ids) }); err != nil {
				t.Fatal(err)
			}
			problems, err := s.Check()
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range problems {
				found = found || strings.HasPrefix(p.Error(), "full-text index: ") && strings.Contains(p.Error(), tc.want)
			}
			if !found {
				t.Fatalf("check missed it (want %q): %v", tc.want, problems)
			}
			if err := s.RebuildFullText(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
