package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// migration moves a file from schema version-1 to version. Migrations are
// applied in order, all pending ones in one transaction, so a file is never
// left half-migrated (the containerd pattern).
type migration struct {
	version int
	name    string
	apply   func(tx *bolt.Tx) error
}

var migrations = []migration{
	{1, "create the project buckets", func(tx *bolt.Tx) error {
		for _, b := range schema1Buckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kCreated, []byte(time.Now().UTC().Format(time.RFC3339)))
	}},
	{2, "index annotations by ID", func(tx *bolt.Tx) error {
		// Schema 1 kept annotations only under their source; looking one
		// up by ID meant scanning every source.
		idx, err := tx.CreateBucketIfNotExists(bLegacyAnnIndex)
		if err != nil {
			return err
		}
		anns := tx.Bucket(bLegacyAnns)
		return anns.ForEachBucket(func(src []byte) error {
			return anns.Bucket(src).ForEach(func(k, v []byte) error {
				var probe struct{ ID string }
				if err := json.Unmarshal(v, &probe); err != nil {
					return fmt.Errorf("annotation %s: %v", k, err)
				}
				return idx.Put(k, src)
			})
		})
	}},
	{3, "index code-point offsets of every text", func(tx *bolt.Tx) error {
		// Saving an annotation on a long source checked its quote by
		// walking the text from the start; checkpoints make that constant.
		idx, err := tx.CreateBucketIfNotExists(bRuneIdx)
		if err != nil {
			return err
		}
		return tx.Bucket(bTexts).ForEach(func(k, v []byte) error {
			return idx.Put(k, buildRuneIndex(string(v)))
		})
	}},
	{4, "keep annotations in one bucket keyed by ID", func(tx *bolt.Tx) error {
		// Per-source sub-buckets plus an ID index made every save dirty
		// three extra pages; the GUI keeps its own per-source view anyway.
		flat, err := tx.CreateBucketIfNotExists(bAnns)
		if err != nil {
			return err
		}
		old := tx.Bucket(bLegacyAnns)
		if err := old.ForEachBucket(func(src []byte) error {
			return old.Bucket(src).ForEach(func(k, v []byte) error { return flat.Put(k, v) })
		}); err != nil {
			return err
		}
		if err := tx.DeleteBucket(bLegacyAnns); err != nil {
			return err
		}
		return tx.DeleteBucket(bLegacyAnnIndex)
	}},
	{5, "keep earlier texts of sources, and claims", func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bVersions, bClaims} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{6, "index annotations by source, code, target and author, and what refers to what", func(tx *bolt.Tx) error {
		// Reverse lookups (what uses this code, which annotations rest on
		// this source) scanned every record; a change now costs what it touches.
		return buildIndex(tx)
	}},
	{7, "encode annotations compactly", func(tx *bolt.Tx) error {
		// Annotations were JSON: a third of each record was key names and
		// RFC 3339 times. Both encodings decode, so the rewrite need not
		// be in this transaction: Open does it in bounded ones after
		// (reencodeAnnotations), resuming while this mark is there. Pages
		// fill up again in gloss compact.
		if k, _ := tx.Bucket(bAnns).Cursor().First(); k == nil {
			return nil // nothing to rewrite (a new file)
		}
		return tx.Bucket(bMeta).Put(kReencode, []byte("pending"))
	}},
	{8, "index every text for full-text search", func(tx *bolt.Tx) error {
		// Search read every text (a quarter of a second on a large
		// project); the change pipeline keeps the index current from here.
		if openFT(tx) != nil {
			return nil // made with it
		}
		return buildFullText(tx)
	}},
	{9, "keep annotations' quotes as places in their texts", func(tx *bolt.Tx) error {
		// Quote, prefix and suffix were copies of the source's text: half
		// of every annotation record. They are rewritten as migration 7's
		// were, in bounded transactions after this one (same mark).
		if k, _ := tx.Bucket(bAnns).Cursor().First(); k == nil {
			return nil
		}
		return tx.Bucket(bMeta).Put(kReencode, []byte("pending"))
	}},
	{10, "encode sources compactly", func(tx *bolt.Tx) error {
		// The window decodes every source before its first frame; see
		// srcCodecV1. A few thousand small records: one transaction.
		return reencodeSources(tx)
	}},
	{11, "index annotations that need review", func(tx *bolt.Tx) error {
		// A large project's window reads only the sources it shows, yet
		// its review tab counts what needs review everywhere (Totals).
		return reindexAnns(tx, ixAnnToReview)
	}},
	{12, "name each coded annotation's source in the index by code", func(tx *bolt.Tx) error {
		// A large project's window lists a code's annotations in source
		// order from the index alone (AnnotationRefs); without the
		// source in the key, naming the sources took a walk of the whole
		// index by source, half the time of the list.
		return reindexAnns(tx, ixAnnByCode)
	}},
}

// reindexAnns rebuilds the annotation index entries of one kind from the
// records, in their current shape (annEntries), for a migration that adds
// a kind (11: what needs review) or changes one's shape (12: the index by
// code names the source). A record that does not decode gets no entries,
// as Check expects; Check names the record.
func reindexAnns(tx *bolt.Tx, kind byte) error {
	anns, ix := tx.Bucket(bAnns), tx.Bucket(bIdx)
	if anns == nil || ix == nil {
		return nil // a new file, or one whose index migration 6 builds whole
	}
	var ops keyOps
	c := ix.Cursor()
	for k, _ := c.Seek([]byte{kind}); k != nil && k[0] == kind; k, _ = c.Next() {
		ops.dels = annotate.AppendLarge(ops.dels, bytes.Clone(k))
	}
	texts := txTexts(tx)
	err := anns.ForEach(func(_, v []byte) error {
		var a annotate.Annotation
		if decodeRec(v, &a, texts) != nil {
			return nil
		}
		for _, k := range annEntries(&a) {
			if k[0] == kind {
				ops.puts = annotate.AppendLarge(ops.puts, k)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return ops.apply(ix)
}

// reencodeSources rewrites the JSON source records of a file through the
// store's record writer (putJSON), which encodes a source as srcCodecV1. A
// record that does not decode is left as it is: Check names it, salvage
// may still read it.
func reencodeSources(tx *bolt.Tx) error {
	b := tx.Bucket(bSources)
	if b == nil {
		return nil
	}
	type keyed struct {
		key string
		src annotate.Source
	}
	var list []keyed
	if err := b.ForEach(func(k, v []byte) error {
		var s annotate.Source
		if len(v) > 0 && v[0] == '{' && json.Unmarshal(v, &s) == nil {
			list = append(list, keyed{string(k), s})
		}
		return nil
	}); err != nil {
		return err
	}
	b.FillPercent = 0.9 // rewritten in place, in key order (see fillFor)
	for _, r := range list {
		if err := putJSON(b, r.key, r.src); err != nil {
			return err
		}
	}
	return nil
}

// kReencode marks a file whose annotations are still to be rewritten in
// the current encoding (JSON ones from schema 7, V1 ones from 9).
var kReencode = []byte("reencode")

// reencodeChunk is how many annotations one transaction of
// reencodeAnnotations rewrites: all 200,000 of a large project in one
// transaction held every dirty page in memory (a gigabyte).
var reencodeChunk = 5000

// reencodeAnnotations rewrites the JSON and V1 annotation records of a
// file as V2, reencodeChunk per transaction, when the file is marked (see
// migrations 7 and 9); the last transaction removes the mark. Every
// encoding decodes, so an interrupted run leaves a good file, and the next
// open for writing goes on.
func (s *Store) reencodeAnnotations() error {
	pending := false
	if err := s.view(func(tx *bolt.Tx) error {
		pending = tx.Bucket(bMeta).Get(kReencode) != nil
		return nil
	}); err != nil || !pending {
		return err
	}
	var after []byte
	for {
		var next []byte
		err := s.update(func(tx *bolt.Tx) error {
			var err error
			if next, err = reencodeSome(tx, after, reencodeChunk); err != nil || next != nil {
				return err
			}
			return tx.Bucket(bMeta).Delete(kReencode)
		})
		if err != nil {
			return fmt.Errorf("%s: encoding annotations compactly: %v", s.path, err)
		}
		if next == nil {
			return nil
		}
		after = next
	}
}

// reencodeSome re-encodes up to n JSON or V1 annotations (all when n < 0) with
// keys after the key after (from the first when nil); it returns the last
// key it looked at, or nil when the bucket is done. A record that does not
// decode is left as it is: Check names it, salvage may still read it.
func reencodeSome(tx *bolt.Tx, after []byte, n int) ([]byte, error) {
	b := tx.Bucket(bAnns)
	if b == nil {
		return nil, nil
	}
	type kv struct{ k, v []byte }
	var batch []kv
	c := b.Cursor()
	k, v := c.First()
	if after != nil {
		if k, v = c.Seek(after); k != nil && string(k) == string(after) {
			k, v = c.Next()
		}
	}
	var last []byte
	texts := txTexts(tx) // neither kind keeps anything in the texts
	for ; k != nil && (n < 0 || len(batch) < n); k, v = c.Next() {
		last = k
		if len(v) == 0 || (v[0] != '{' && v[0] != annCodecV1) {
			continue
		}
		var a annotate.Annotation
		if decodeRec(v, &a, nil) != nil {
			continue
		}
		raw, err := encodeAnnIn(&a, texts)
		if err != nil {
			continue
		}
		batch = append(batch, kv{append([]byte(nil), k...), raw})
	}
	done := k == nil
	if !done {
		last = append([]byte(nil), last...)
	}
	b.FillPercent = 0.9 // in key order
	for _, r := range batch {
		if err := b.Put(r.k, r.v); err != nil {
			return nil, err
		}
	}
	if done {
		return nil, nil
	}
	return last, nil
}

// latest is the schema version this build writes.
var latest = migrations[len(migrations)-1].version

// SchemaVersion is the schema this build of Gloss writes.
func SchemaVersion() int { return latest }

func schemaOf(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bMeta)
	if meta == nil {
		return 0, nil
	}
	raw := meta.Get(kSchema)
	if raw == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0, fmt.Errorf("schema version %q is not a number", raw)
	}
	return v, nil
}

func checkVersion(tx *bolt.Tx, path string) error {
	v, err := schemaOf(tx)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if v > latest {
		return fmt.Errorf("%s was saved by a newer Gloss (project schema %d; this Gloss reads up to %d): update Gloss to open it", path, v, latest)
	}
	if v < latest {
		return fmt.Errorf("%s uses an older project schema (%d; this Gloss writes %d): open it once in Gloss (or any write command) to upgrade it", path, v, latest)
	}
	return nil
}

// migrate brings the file to version target in one transaction.
func migrate(db *bolt.DB, path string, target int) error {
	return db.Update(func(tx *bolt.Tx) error { return migrateTx(tx, path, target) })
}

func migrateTx(tx *bolt.Tx, path string, target int) error {
	{
		v, err := schemaOf(tx)
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		if v > latest {
			return checkVersion(tx, path)
		}
		for _, m := range migrations {
			if m.version <= v || m.version > target {
				continue
			}
			if err := m.apply(tx); err != nil {
				return fmt.Errorf("%s: migrating to schema %d (%s): %v", path, m.version, m.name, err)
			}
			v = m.version
		}
		if tx.Bucket(bMeta) == nil {
			return fmt.Errorf("%s: no schema to migrate to", path)
		}
		return tx.Bucket(bMeta).Put(kSchema, []byte(strconv.Itoa(v)))
	}
}
