package storage

import (
	"errors"
	"testing"
)

// BenchmarkCodes is what gloss codes reads: the codebook and the usage
// counts from the index keys. Its time per source should fall as the
// project grows (the codebook does not grow with it; the counts walk the
// by-code keys only).
func BenchmarkCodes(b *testing.B) {
	benchEach(b, "source", func(s *Store, _ int) error {
		p, err := s.Codebook()
		if err == nil && len(p.Codes) == 0 {
			err = errors.New("no codes")
		}
		if err != nil {
			return err
		}
		use, err := s.CodeUsage()
		if err == nil && len(use) == 0 {
			err = errors.New("no code usage")
		}
		return err
	})
}
