package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Check runs bbolt's consistency check and then the domain invariants:
// every annotation's quote matches its source at its position, every code,
// target and source reference resolves, every content hash matches, and the
// annotation index agrees with the annotations. It returns every problem.
func (s *Store) Check() ([]error, error) {
	var problems []error
	err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			problems = append(problems, fmt.Errorf("file structure: %v", err))
		}
		if v, err := schemaOf(tx); err != nil || v != latest {
			problems = append(problems, fmt.Errorf("schema version %d, expected %d (%v)", v, latest, err))
		}
		ridx := tx.Bucket(bRuneIdx)
		if err := tx.Bucket(bTexts).ForEach(func(k, v []byte) error {
			if string(ridx.Get(k)) != string(buildRuneIndex(string(v))) {
				problems = append(problems, fmt.Errorf("source %s: code-point index is stale", k))
			}
			return nil
		}); err != nil {
			return err
		}
		idx := tx.Bucket(bAnnIndex)
		anns := tx.Bucket(bAnns)
		n := 0
		err := anns.ForEachBucket(func(src []byte) error {
			return anns.Bucket(src).ForEach(func(k, _ []byte) error {
				n++
				if got := idx.Get(k); string(got) != string(src) {
					problems = append(problems, fmt.Errorf("annotation %s: index says source %q, stored under %q", k, got, src))
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
		m := 0
		_ = idx.ForEach(func(_, _ []byte) error { m++; return nil })
		if m != n {
			problems = append(problems, fmt.Errorf("annotation index has %d entries for %d annotations", m, n))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p, err := s.Snapshot()
	if err != nil {
		return append(problems, err), nil
	}
	return append(problems, annotate.NewIndex(p).Validate()...), nil
}
