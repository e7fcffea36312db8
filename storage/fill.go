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
