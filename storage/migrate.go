package storage

import (
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
	{7, "encode annotations compactly and fill every page", func(tx *bolt.Tx) error {
		// Annotations were JSON in pages left half empty by random-order
		// saves: 238 MB for a project holding 21.5 MB of text.
		for _, name := range [][]byte{bAnns, bIdx, bSources, bRuneIdx, bLinks, bCodes, bTargets, bClaims, bVersions} {
			if err := refill(tx, name, string(name) == string(bAnns)); err != nil {
				return fmt.Errorf("bucket %s: %v", name, err)
			}
		}
		return nil
	}},
}

// refill rewrites a bucket into full pages (re-encoding its annotations when
// reencode is set). bbolt has no rename and leaves shrunken pages as they
// are, so the records go to a scratch bucket and back, in key order: memory
// stays flat however large the bucket.
func refill(tx *bolt.Tx, name []byte, reencode bool) error {
	old := tx.Bucket(name)
	if old == nil {
		return nil
	}
	scratch := append([]byte("~refill-"), name...)
	if tx.Bucket(scratch) != nil {
		if err := tx.DeleteBucket(scratch); err != nil {
			return err
		}
	}
	copyAll := func(from, to *bolt.Bucket, reencode bool) error {
		to.FillPercent = 1.0
		return from.ForEach(func(k, v []byte) error {
			if v == nil {
				if from.Bucket(k) != nil {
					return fmt.Errorf("%s: a nested bucket where records were expected", k)
				}
				v = []byte{} // an index entry: the key is all
			}
			if reencode && len(v) > 0 && v[0] == '{' {
				var a annotate.Annotation
				// A record that does not decode is kept as it is:
				// Check names it, salvage may still read it.
				if json.Unmarshal(v, &a) == nil {
					if raw, err := encodeAnn(&a); err == nil {
						v = raw
					}
				}
			}
			return to.Put(k, v)
		})
	}
	tmp, err := tx.CreateBucket(scratch)
	if err != nil {
		return err
	}
	if err := copyAll(old, tmp, reencode); err != nil {
		return err
	}
	if err := tx.DeleteBucket(name); err != nil {
		return err
	}
	fresh, err := tx.CreateBucket(name)
	if err != nil {
		return err
	}
	if err := copyAll(tmp, fresh, false); err != nil {
		return err
	}
	return tx.DeleteBucket(scratch)
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
