package storage

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// fillFor sets how full b's pages are cut when this transaction splits
// them, for writes made in key order from first (the fill is per
// transaction, not kept in the file). IDs sort by creation time, so new
// records usually go after every key the bucket has: nothing will be
// inserted among them but the next append, and their pages are filled
// whole (as compaction fills them). Writes among existing keys leave a
// tenth of each page free for later inserts, rather than bbolt's half,
// which is for keys in random order.
func fillFor(b *bolt.Bucket, first []byte) {
	b.FillPercent = 0.9
	if first == nil {
		return
	}
	if last, _ := b.Cursor().Last(); last == nil || bytes.Compare(first, last) > 0 {
		b.FillPercent = 1.0
	}
}

// runFill is the mean number of new keys per gap between existing keys
// from which a write counts as runs rather than scattered inserts.
const runFill = 32

// fillForRuns is fillFor for the new keys of a write, sorted, that may go
// among existing keys in runs: an import in parts adds each code's (each
// author's, each target's) annotations after those the code has, so its
// new index keys come in a few long runs, one per code. A run's pages
// are filled whole too: nothing is inserted among them later but the
// next part's run, which goes into the run's last page, the only one
// left part full. Cut at nine tenths, every page of every run kept a
// tenth empty (the index of a 10,000-source import was 89 % full, 99.8 %
// written in one change). A few keys scattered among existing ones still
// leave each page they split room for more.
func fillForRuns(b *bolt.Bucket, keys [][]byte) {
	if len(keys) == 0 {
		fillFor(b, nil)
		return
	}
	fillFor(b, keys[0])
	if b.FillPercent == 1.0 || len(keys) < runFill {
		return
	}
	// A run is the new keys between two neighbouring existing ones: one
	// seek each, found from its first key.
	c := b.Cursor()
	runs := 0
	var next []byte // the existing key after the current run; nil: none
	for i, k := range keys {
		if i > 0 && (next == nil || bytes.Compare(k, next) < 0) {
			continue
		}
		runs++
		next, _ = c.Seek(k)
		for next != nil && bytes.Equal(next, k) { // k is there already
			next, _ = c.Next()
		}
		next = append([]byte(nil), next...) // a view into the page
		if len(next) == 0 {
			next = nil
		}
	}
	if len(keys) >= runFill*runs {
		b.FillPercent = 1.0
	}
}
