package storage

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// bImport holds the undo of each part of an import in progress, keyed by
// part number. It exists only while an import runs: one left by a crash
// is rolled back by the next writable open.
var bImport = []byte("import_undo")

// Import writes one large change (an archive of ten thousand sources) as
// parts, each validated and applied by annotate.Apply in a transaction of
// its own, so memory holds one part's pages, not the whole file's. It
// stays one change for the user: Finish returns the undo of all the parts
// as one change, Abort (or, after a crash, the next writable open) takes
// every part back out. Each part's transaction also stores that part's
// undo, so what was written can always be taken out again.
//
// The parts must not be interleaved with other writes to the project.
type Import struct {
	s     *Store
	label string
	undos []annotate.Change
	ended bool
	held  *ftHeld // full-text entries of new sources not yet written
}

// BeginImport starts an import labelled label (the undo's label).
func (s *Store) BeginImport(label string) (*Import, error) {
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bImport) != nil {
			return fmt.Errorf("%s: another import into it has not finished", s.path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Import{s: s, label: label, held: newFTHeld()}, nil
}

// undoDeflated marks an undo record stored deflated. A record that does
// not start with it is plain JSON (an object: '{'), as an older Gloss
// wrote it; an import it left unfinished is still taken out.
const undoDeflated = 'z'

// encodeUndo stores a part's undo deflated: for new records it is mostly
// their IDs, which deflate to a fifth or less, and every record is freed
// when the import ends, leaving as many free pages in the file (217 of
// its 6,611 at 10,000 sources, 3.4 MB, as JSON).
func encodeUndo(u annotate.Change) ([]byte, error) {
	raw, err := json.Marshal(u)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteByte(undoDeflated)
	w, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decodeUndo(v []byte, u *annotate.Change) error {
	if len(v) == 0 || v[0] != undoDeflated {
		return json.Unmarshal(v, u)
	}
	r := flate.NewReader(bytes.NewReader(v[1:]))
	defer r.Close()
	if err := json.NewDecoder(r).Decode(u); err != nil {
		return fmt.Errorf("inflating it: %w", err)
	}
	return nil
}

func partKey(i int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(i)) }

// Commit applies one part. A refused part writes nothing; the caller
// then Aborts.
func (im *Import) Commit(c annotate.Change) (annotate.Applied, error) {
	if im.ended {
		return annotate.Applied{}, fmt.Errorf("%s: the import has ended", im.s.path)
	}
	c.Label = im.label
	key := partKey(len(im.undos))
	im.held.begin()
	r, err := im.s.commitWith(c, im.held, func(tx *bolt.Tx, r annotate.Applied) error {
		b, err := tx.CreateBucketIfNotExists(bImport)
		if err != nil {
			return err
		}
		raw, err := encodeUndo(r.Undo)
		if err != nil {
			return fmt.Errorf("recording the undo of import part %d: %w", len(im.undos)+1, err)
		}
		if err := b.Put(key, raw); err != nil {
			return err
		}
		// The pages this part read stay in the page cache, not in the
		// resident set: parts would otherwise map in most of the file.
		dropMapped(im.s.db.Info().Data, uintptr(tx.Size()))
		return nil
	})
	im.held.end(err == nil)
	if err != nil {
		return annotate.Applied{}, err
	}
	im.undos = append(im.undos, r.Undo)
	return r, nil
}

// Finish ends the import and returns the one change that undoes it all.
func (im *Import) Finish() (annotate.Change, error) {
	if im.ended {
		return annotate.Change{}, fmt.Errorf("%s: the import has ended", im.s.path)
	}
	// The sources still held are filed in the transaction that ends the
	// import: a crash before it takes the whole import out.
	im.held.begin()
	err := im.s.update(func(tx *bolt.Tx) error {
		if x := openFT(tx); x != nil && len(im.held.ids) > 0 {
			if err := im.held.start(x); err != nil {
				return err
			}
			if err := im.held.write(x, true); err != nil {
				return err
			}
		}
		return dropImportRecord(tx)
	})
	im.held.end(err == nil)
	if err != nil {
		return annotate.Change{}, err
	}
	im.ended = true
	return combineUndos(im.label, im.undos), nil
}

// Abort takes every part written back out, last first, leaving the
// project as it was before BeginImport.
func (im *Import) Abort() error {
	if im.ended {
		return nil
	}
	im.ended = true
	im.held = nil // never written: nothing of it is in the file
	return im.s.rollbackImport()
}

// rollbackImport undoes the parts of an unfinished import, last first,
// each in a transaction that also drops its record; a crash half-way
// leaves the rest for the next open. Nothing to do is cheap: one lookup.
func (s *Store) rollbackImport() error {
	pending := false
	if err := s.view(func(tx *bolt.Tx) error { pending = tx.Bucket(bImport) != nil; return nil }); err != nil || !pending {
		return err // opening a file writes nothing when there is nothing to do
	}
	for {
		var key []byte
		var undo annotate.Change
		err := s.view(func(tx *bolt.Tx) error {
			b := tx.Bucket(bImport)
			if b == nil {
				return nil
			}
			k, v := b.Cursor().Last()
			if k == nil {
				return nil
			}
			key = append([]byte(nil), k...)
			if err := decodeUndo(v, &undo); err != nil {
				return fmt.Errorf("the record of an unfinished import (part %d) cannot be read: %w", binary.BigEndian.Uint64(key)+1, err)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s: %w", s.path, err)
		}
		if key == nil {
			break
		}
		_, err = s.commitWith(undo, nil, func(tx *bolt.Tx, _ annotate.Applied) error {
			return tx.Bucket(bImport).Delete(key)
		})
		if err != nil {
			return fmt.Errorf("%s: taking out part %d of an unfinished import: %w", s.path, binary.BigEndian.Uint64(key)+1, err)
		}
	}
	return s.dropImportRecord()
}

// dropImportRecord removes the record of an import, finished or taken out.
func (s *Store) dropImportRecord() error { return s.update(dropImportRecord) }

func dropImportRecord(tx *bolt.Tx) error {
	if tx.Bucket(bImport) == nil {
		return nil
	}
	return tx.DeleteBucket(bImport)
}

// combineUndos makes one change of the parts' undos. A record touched by
// several parts is restored to what it was before the first of them, so
// only the earliest part's entry for an ID is kept.
func combineUndos(label string, undos []annotate.Change) annotate.Change {
	out := annotate.Change{Label: label}
	seen := map[string]bool{}
	// keep filters one kind of one part: IDs an earlier part touched go.
	keep := func(kind string, ids []string, touched map[string]bool) []int {
		var idx []int
		for i, id := range ids {
			touched[kind+id] = true
			if !seen[kind+id] {
				idx = append(idx, i)
			}
		}
		return idx
	}
	for _, u := range undos {
		touched := map[string]bool{}
		pick := func(kind string, ids []string, add func(i int)) {
			for _, i := range keep(kind, ids, touched) {
				add(i)
			}
		}
		ids := func(n int, id func(int) string) []string {
			out := make([]string, n)
			for i := range out {
				out[i] = id(i)
			}
			return out
		}
		pick("s", ids(len(u.PutSources), func(i int) string { return u.PutSources[i].ID }), func(i int) { out.PutSources = append(out.PutSources, u.PutSources[i]) })
		pick("s", u.DelSources, func(i int) { out.DelSources = append(out.DelSources, u.DelSources[i]) })
		pick("s", ids(len(u.SetTexts), func(i int) string { return u.SetTexts[i].SourceID }), func(i int) { out.SetTexts = append(out.SetTexts, u.SetTexts[i]) })
		pick("c", ids(len(u.PutCodes), func(i int) string { return u.PutCodes[i].ID }), func(i int) { out.PutCodes = append(out.PutCodes, u.PutCodes[i]) })
		pick("c", u.DelCodes, func(i int) { out.DelCodes = append(out.DelCodes, u.DelCodes[i]) })
		pick("t", ids(len(u.PutTargets), func(i int) string { return u.PutTargets[i].ID }), func(i int) { out.PutTargets = append(out.PutTargets, u.PutTargets[i]) })
		pick("t", u.DelTargets, func(i int) { out.DelTargets = append(out.DelTargets, u.DelTargets[i]) })
		pick("a", ids(len(u.PutAnnotations), func(i int) string { return u.PutAnnotations[i].ID }), func(i int) { out.PutAnnotations = append(out.PutAnnotations, u.PutAnnotations[i]) })
		pick("a", u.DelAnnotations, func(i int) { out.DelAnnotations = append(out.DelAnnotations, u.DelAnnotations[i]) })
		pick("l", ids(len(u.PutLinks), func(i int) string { return u.PutLinks[i].ID }), func(i int) { out.PutLinks = append(out.PutLinks, u.PutLinks[i]) })
		pick("l", u.DelLinks, func(i int) { out.DelLinks = append(out.DelLinks, u.DelLinks[i]) })
		pick("v", ids(len(u.PutVersions), func(i int) string { return u.PutVersions[i].ID }), func(i int) { out.PutVersions = append(out.PutVersions, u.PutVersions[i]) })
		pick("v", u.DelVersions, func(i int) { out.DelVersions = append(out.DelVersions, u.DelVersions[i]) })
		pick("m", ids(len(u.PutClaims), func(i int) string { return u.PutClaims[i].ID }), func(i int) { out.PutClaims = append(out.PutClaims, u.PutClaims[i]) })
		pick("m", u.DelClaims, func(i int) { out.DelClaims = append(out.DelClaims, u.DelClaims[i]) })
		for k := range touched {
			seen[k] = true
		}
	}
	return out
}

// AnnotationsIn returns those of the annotations with the given IDs that
// the project has, in one transaction: a merge asks this for every
// annotation of a part (a transaction each made merging 200,000 a third
// slower).
func (s *Store) AnnotationsIn(ids []string) ([]annotate.Annotation, error) {
	var out []annotate.Annotation
	err := s.view(func(tx *bolt.Tx) error {
		st := txState{tx}
		for _, id := range ids {
			a, ok, err := st.Annotation(id)
			if err != nil {
				return fmt.Errorf("annotation %s: %w", id, err)
			}
			if ok {
				out = append(out, a)
			}
		}
		// As after a part is written: a merge that finds everything
		// already here writes nothing, and would map in the whole file.
		dropMapped(s.db.Info().Data, uintptr(tx.Size()))
		return nil
	})
	return out, err
}
