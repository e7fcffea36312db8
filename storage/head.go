package storage

import (
	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Head reads the project without its annotations: sources with their
// texts, codes, targets, links, claims and versions (without their texts).
// It is what a window needs before its first frame; the session reads one
// source's annotations when it is shown (Annotations) and all of them in
// the background (Snapshot).
func (s *Store) Head() (*annotate.Project, error) {
	p, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	err = s.view(func(tx *bolt.Tx) error {
		texts := tx.Bucket(bTexts)
		for i := range p.Sources {
			p.Sources[i].Text = string(texts.Get([]byte(p.Sources[i].ID))) // a copy: the transaction ends
		}
		return nil
	})
	return p, err
}
