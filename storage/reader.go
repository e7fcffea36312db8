package storage

import (
	"errors"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Reader hands fn a streaming view of the project (see annotate.Reader)
// over one read transaction, so everything fn reads is one consistent
// snapshot whatever is saved meanwhile. Nothing is loaded up front: sources
// are walked with a cursor and a source's annotations are found through
// the by-source index. Every value is copied out before it reaches fn's
// callbacks, yet the reader itself must not outlive fn. Records that
// cannot be decoded are skipped and named in Unreadable, never fatal.
//
// The transaction stays open while fn runs; bbolt lets saves proceed
// meanwhile, though pages freed by them are reused only after it ends.
func (s *Store) Reader(fn func(annotate.Reader) error) error {
	return s.view(func(tx *bolt.Tx) error {
		r := &txReader{tx: tx, release: s.releaser(tx)}
		defer func() { r.stale = true }()
		return fn(r)
	})
}

type txReader struct {
	tx    *bolt.Tx
	bad   []string
	seen  map[string]bool // names in bad, so a record read twice is named once
	stale bool
	// release drops the file pages read so far from the resident set now
	// and then, so an export's memory stays flat however large the file.
	release func()
	// bySrc maps a source to its annotation IDs when the file has no
	// index bucket (older schema opened read-only): built by one scan.
	bySrc map[string][]string
}

func (r *txReader) note(s string) {
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if !r.seen[s] {
		r.seen[s] = true
		r.bad = append(r.bad, s)
	}
}

func (r *txReader) live() error {
	if r.stale {
		return errors.New("annotate.Reader used after the Store.Reader call that handed it out returned")
	}
	return nil
}

func (r *txReader) Name() string {
	if r.stale {
		return ""
	}
	return string(r.tx.Bucket(bMeta).Get(kName))
}

// eachTx walks a bucket, decoding every record into a fresh T and naming
// the ones that cannot be read.
func eachTx[T any](r *txReader, bucket []byte, kind string, fn func(*T) error) error {
	if err := r.live(); err != nil {
		return err
	}
	b := r.tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	texts := txTexts(r.tx)
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			continue // nested bucket
		}
		var t T
		if err := decodeRec(v, &t, texts); err != nil {
			r.note(fmt.Sprintf("%s %s: %v", kind, k, err))
			continue
		}
		if err := fn(&t); err != nil {
			return err
		}
	}
	return nil
}

func (r *txReader) Codes() ([]annotate.Code, error) {
	var out []annotate.Code
	err := eachTx(r, bCodes, "code", func(c *annotate.Code) error { out = append(out, *c); return nil })
	return out, err
}

func (r *txReader) Targets() ([]annotate.Target, error) {
	var out []annotate.Target
	err := eachTx(r, bTargets, "target", func(t *annotate.Target) error { out = append(out, *t); return nil })
	return out, err
}

func (r *txReader) Claims(fn func(annotate.Claim) error) error {
	return eachTx(r, bClaims, "claim", func(m *annotate.Claim) error { return fn(*m) })
}

func (r *txReader) Links(fn func(annotate.Link) error) error {
	return eachTx(r, bLinks, "link", func(k *annotate.Link) error { return fn(*k) })
}

// Sources skips a source whose text is missing, as Snapshot does, so an
// export through the reader lists what an export of the snapshot lists.
func (r *txReader) Sources(fn func(annotate.Source) error) error {
	if err := r.live(); err != nil {
		return err
	}
	texts := r.tx.Bucket(bTexts)
	return eachTx(r, bSources, "source", func(src *annotate.Source) error {
		if texts.Get([]byte(src.ID)) == nil {
			r.note(fmt.Sprintf("source %s: its text is missing", src.ID))
			return nil
		}
		src.Text = ""
		return fn(*src)
	})
}

func (r *txReader) Text(id string) (string, error) {
	if err := r.live(); err != nil {
		return "", err
	}
	raw := r.tx.Bucket(bTexts).Get([]byte(id))
	if raw == nil {
		if r.tx.Bucket(bSources).Get([]byte(id)) == nil {
			return "", fmt.Errorf("source %s: %w", id, ErrNotFound)
		}
		return "", fmt.Errorf("source %s: its text is missing", id)
	}
	r.release()
	return string(raw), nil // copied: bbolt's memory is gone after the transaction
}

func (r *txReader) Annotations(id string, fn func(annotate.Annotation) error) error {
	if err := r.live(); err != nil {
		return err
	}
	var ids []string
	if r.tx.Bucket(bIdx) != nil {
		ids = ixMembers(r.tx, ixAnnBySource, id)
	} else {
		if r.bySrc == nil {
			r.bySrc = map[string][]string{}
			_ = eachTx(r, bAnns, "annotation", func(a *annotate.Annotation) error {
				r.bySrc[a.SourceID] = append(r.bySrc[a.SourceID], a.ID)
				return nil
			})
		}
		ids = r.bySrc[id]
	}
	b := r.tx.Bucket(bAnns)
	texts := txTexts(r.tx)
	anns := make([]annotate.Annotation, 0, len(ids))
	for _, aid := range ids {
		r.release()
		raw := b.Get([]byte(aid))
		if raw == nil {
			continue // a stale index entry: Check reports those
		}
		var a annotate.Annotation
		if err := decodeRec(raw, &a, texts); err != nil {
			r.note(fmt.Sprintf("annotation %s: %v", aid, err))
			continue
		}
		if a.SourceID != id {
			continue // stale index entry
		}
		anns = append(anns, a)
	}
	sort.Slice(anns, func(i, j int) bool { return annotate.AnnotationLess(&anns[i], &anns[j]) })
	for _, a := range anns {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func (r *txReader) Unreadable() []string { return append([]string(nil), r.bad...) }
