package storage

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// LoadAnnotations hands every annotation to fn, source by source in one
// read transaction, each source's list in text order and freshly
// allocated (fn may keep it). It is how a window reads a large project's
// annotations in the background without first holding them all as one
// snapshot: memory grows by what fn keeps, and the file's pages read so
// far leave the resident set as the walk goes on. Records that cannot be
// decoded are skipped and named in the result. After a clean walk the
// open backup is made, as after a Snapshot.
//
// held, when not nil, gives a source's text as the caller holds it (""
// when it holds none): a quote kept in a text equal to it is then a part
// of the caller's string rather than a copy.
func (s *Store) LoadAnnotations(held func(sourceID string) string, fn func(sourceID string, anns []annotate.Annotation) error) (unreadable []string, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		release := s.releaser(tx)
		anns := tx.Bucket(bAnns)
		if anns == nil {
			return nil
		}
		if tx.Bucket(bIdx) == nil {
			return s.errNoIndex()
		}
		// The by-source index lists each source's annotations together,
		// so a source is complete when the walk leaves its prefix.
		ix := tx.Bucket(bIdx).Cursor()
		prefix := []byte{ixAnnBySource}
		var cur string
		var list, slab []annotate.Annotation
		texts := txTexts(tx)
		texts.held = held
		flush := func() error {
			if len(list) == 0 {
				return nil
			}
			// An exact-size copy for fn to keep, cut from a larger block:
			// growing by doubling left a third of every list unused, and
			// one allocation per source rounds each up to a size class.
			if cap(slab)-len(slab) < len(list) {
				slab = make([]annotate.Annotation, 0, max(slabSize, len(list)))
			}
			own := slab[len(slab) : len(slab)+len(list) : len(slab)+len(list)]
			slab = slab[:len(slab)+len(list)]
			copy(own, list)
			clear(list)
			list = list[:0]
			sort.Slice(own, func(i, j int) bool { return annotate.AnnotationLess(&own[i], &own[j]) })
			return fn(cur, own)
		}
		for k, _ := ix.Seek(prefix); k != nil && k[0] == ixAnnBySource; k, _ = ix.Next() {
			src, id, ok := splitIxKey(k)
			if !ok {
				unreadable = append(unreadable, fmt.Sprintf("index entry %q: malformed", k))
				continue
			}
			if src != cur {
				if err := flush(); err != nil {
					return err
				}
				cur = src
			}
			release()
			raw := anns.Get([]byte(id))
			if raw == nil {
				continue // a stale index entry: Check reports those
			}
			var a annotate.Annotation
			if err := decodeRec(raw, &a, texts); err != nil {
				unreadable = append(unreadable, fmt.Sprintf("annotation %s: %v", id, err))
				continue
			}
			if a.SourceID != src {
				continue // stale too
			}
			list = append(list, a)
		}
		return flush()
	})
	if err == nil {
		s.backupAfterRead()
	}
	return unreadable, err
}

// UnreadableAnnotations names every annotation record that cannot be
// decoded, as LoadAnnotations does, without keeping any: a window that
// reads only the sources it shows (a paged project) still names the
// damaged records of the others. Each record is decoded into the same
// value, so memory stays flat.
func (s *Store) UnreadableAnnotations() ([]string, error) {
	var bad []string
	err := s.view(func(tx *bolt.Tx) error {
		release := s.releaser(tx)
		b := tx.Bucket(bAnns)
		if b == nil {
			return nil
		}
		texts := txTexts(tx)
		texts.views = true
		var a annotate.Annotation
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			release()
			if v == nil {
				continue
			}
			if err := checkAnn(v, &a, texts); err != nil {
				bad = append(bad, fmt.Sprintf("annotation %s: %v", k, err))
			}
		}
		return nil
	})
	return bad, err
}

// backupAfterRead makes the open backup (Options.Backup) once, after the
// first whole read of the project succeeded, in the background so a large
// project opens at once; Close waits for it.
func (s *Store) backupAfterRead() {
	if !s.wantBackup {
		return
	}
	s.backupOnce.Do(func() {
		s.backups.Add(1)
		go func() {
			defer s.backups.Done()
			work := func() { _, _ = s.backupIfStale(10 * time.Minute) }
			if s.around != nil {
				s.around(work)
				return
			}
			work()
		}()
	})
}

// slabSize is how many annotations LoadAnnotations allocates at once.
const slabSize = 4096

// splitIxKey splits an index key (kind, owner, 0, member) into its owner
// and member.
func splitIxKey(k []byte) (of, member string, ok bool) {
	i := bytes.IndexByte(k, 0)
	if i <= 0 {
		return "", "", false
	}
	return string(k[1:i]), string(k[i+1:]), true
}
