package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Check checks the file's structure page by page (with plain reads, so
// damage is reported rather than crashing), then bbolt's own consistency
// check, then the domain invariants: every annotation's quote matches its
// source at its position, every code, target and source reference
// resolves, every content hash matches. Records that cannot be decoded are
// listed as unreadable. It returns every problem; a damaged file never
// passes.
func (s *Store) Check() ([]error, error) {
	var problems []error
	structural := false
	// The page walk runs inside a read transaction so that, in a process
	// that also writes, the pages it reads are not reused under it.
	err := s.view(func(tx *bolt.Tx) error {
		_, hard, soft, err := inspectFile(s.path)
		if err != nil {
			problems = append(problems, err)
			structural = true
			return nil
		}
		for _, p := range append(hard, soft...) {
			problems = append(problems, fmt.Errorf("file structure: %s", p))
		}
		if len(hard) > 0 {
			// bbolt's checker trusts the pages and runs in a goroutine
			// of its own, where a fault could not be recovered.
			structural = true
			return nil
		}
		for err := range tx.Check() {
			problems = append(problems, fmt.Errorf("file structure: %v", err))
		}
		if v, err := schemaOf(tx); err != nil || v != latest {
			problems = append(problems, fmt.Errorf("schema version %d, expected %d (%v)", v, latest, err))
		}
		problems = append(problems, checkIndex(tx)...)
		problems = append(problems, checkFullText(tx)...)
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
		// key would be unreachable by its own ID. (Records that do not
		// decode at all are listed from the snapshot below.)
		return tx.Bucket(bAnns).ForEach(func(k, v []byte) error {
			var probe struct{ ID string }
			if json.Unmarshal(v, &probe) == nil && probe.ID != string(k) {
				problems = append(problems, fmt.Errorf("annotation %s: stored under key %q", probe.ID, k))
			}
			return nil
		})
	})
	if err != nil {
		return append(problems, err), nil
	}
	if structural {
		return problems, nil
	}
	p, err := s.Snapshot()
	if err != nil {
		return append(problems, err), nil
	}
	for _, u := range p.Unreadable {
		problems = append(problems, fmt.Errorf("unreadable record: %s", u))
	}
	return append(problems, annotate.NewIndex(p).Validate()...), nil
}
