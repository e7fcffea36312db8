package storage

import (
	"encoding/json"
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
		// Records are looked up by key; a record filed under another
		// key would be unreachable by its own ID.
		return tx.Bucket(bAnns).ForEach(func(k, v []byte) error {
			var probe struct{ ID string }
			if err := json.Unmarshal(v, &probe); err != nil {
				problems = append(problems, fmt.Errorf("annotation %s: %v", k, err))
			} else if probe.ID != string(k) {
				problems = append(problems, fmt.Errorf("annotation %s: stored under key %q", probe.ID, k))
			}
			return nil
		})
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
