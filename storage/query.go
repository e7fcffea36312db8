package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// EachAnnotation calls fn with every annotation (of one source, when
// sourceID is not empty), walking the file with a cursor inside one read
// transaction, so memory stays flat however many there are. A record that
// cannot be decoded is passed to bad and skipped. fn's error stops the walk.
func (s *Store) EachAnnotation(sourceID string, bad func(id string, err error), fn func(annotate.Annotation) error) error {
	return s.view(func(tx *bolt.Tx) error {
		decode := func(k, v []byte) error {
			var a annotate.Annotation
			if err := decodeRec(v, &a); err != nil {
				if bad != nil {
					bad(string(k), err)
				}
				return nil
			}
			return fn(a)
		}
		b := tx.Bucket(bAnns)
		if sourceID != "" && tx.Bucket(bIdx) != nil {
			for _, id := range ixMembers(tx, ixAnnBySource, sourceID) {
				if v := b.Get([]byte(id)); v != nil {
					if err := decode([]byte(id), v); err != nil {
						return err
					}
				}
			}
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				continue
			}
			if sourceID != "" {
				if id, ok := annSourceID(v); ok && id != sourceID {
					continue
				}
			}
			if err := decode(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Codebook reads the codes and stance targets only: what listings need to
// name an annotation's codes without reading the project.
func (s *Store) Codebook() (*annotate.Project, error) {
	p := &annotate.Project{}
	err := s.view(func(tx *bolt.Tx) error {
		if err := eachReadable(tx.Bucket(bCodes), "code", &p.Unreadable, func(c *annotate.Code) { p.Codes = append(p.Codes, *c) }); err != nil {
			return err
		}
		return eachReadable(tx.Bucket(bTargets), "target", &p.Unreadable, func(t *annotate.Target) { p.Targets = append(p.Targets, *t) })
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.path, err)
	}
	return p, nil
}
