package storage

import (
	"fmt"
	"sort"
	"time"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Buckets added by schema 5: earlier texts of sources, and claims.
var (
	bVersions = []byte("versions")
	bClaims   = []byte("claims")
)

// Apply performs one user action in one durable transaction and returns
// the change that undoes it.
func (s *Store) Apply(c annotate.Change) (annotate.Change, error) {
	r, err := s.Commit(c)
	return r.Undo, err
}

// Commit performs one user action in one durable transaction. The rules
// (validation, normalisation, references, the undo) are annotate.Apply's;
// storage only reads the state from the transaction and writes what Apply
// decided. It returns what was written, so a mirror of it equals the file.
func (s *Store) Commit(c annotate.Change) (annotate.Applied, error) {
	return s.commitWith(c, nil, nil)
}

// commitWith is Commit with also, when set, more written in the same
// transaction once the change is (an import's undo record), and with
// held, an import's new sources held out of the full-text index until
// their chunk is complete (see ftHeld).
func (s *Store) commitWith(c annotate.Change, held *ftHeld, also func(*bolt.Tx, annotate.Applied) error) (annotate.Applied, error) {
	var r annotate.Applied
	now := time.Now()
	if s.clock != nil {
		now = s.clock()
	}
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		r, err = annotate.Apply(txState{tx}, c, now)
		if err != nil {
			return err
		}
		if err := fullTextChange(tx, r.Done, held); err != nil { // reads the old texts: before write
			return err
		}
		if err := write(tx, r.Done); err != nil {
			return err
		}
		if err := indexChange(tx, r); err != nil {
			return err
		}
		if also != nil {
			return also(tx, r)
		}
		return nil
	})
	if err != nil {
		return annotate.Applied{}, err
	}
	return r, nil
}

// write encodes an accepted change. Apply has checked everything; an error
// here is an I/O or encoding failure, and the transaction rolls back.
func write(tx *bolt.Tx, c annotate.Change) error {
	srcB, txtB, ridxB := tx.Bucket(bSources), tx.Bucket(bTexts), tx.Bucket(bRuneIdx)
	putText := func(id, text string) error {
		if err := rebaseQuotes(tx, id, text, true); err != nil { // annotations may point into the old text
			return fmt.Errorf("source %s: %w", id, err)
		}
		if err := txtB.Put([]byte(id), []byte(text)); err != nil {
			return fmt.Errorf("source %s: writing its text: %w", id, err)
		}
		if err := ridxB.Put([]byte(id), buildRuneIndex(text)); err != nil {
			return fmt.Errorf("source %s: writing its code-point index: %w", id, err)
		}
		return nil
	}
	if err := deleteAll(tx.Bucket(bAnns), c.DelAnnotations); err != nil {
		return err
	}
	if err := deleteAll(tx.Bucket(bLinks), c.DelLinks); err != nil {
		return err
	}
	if err := deleteAll(tx.Bucket(bClaims), c.DelClaims); err != nil {
		return err
	}
	if err := deleteAll(tx.Bucket(bVersions), c.DelVersions); err != nil {
		return err
	}
	if err := deleteAll(tx.Bucket(bCodes), c.DelCodes); err != nil {
		return err
	}
	if err := deleteAll(tx.Bucket(bTargets), c.DelTargets); err != nil {
		return err
	}
	for _, id := range c.DelSources {
		if err := rebaseQuotes(tx, id, "", false); err != nil {
			return fmt.Errorf("source %s: %w", id, err)
		}
		for _, b := range []*bolt.Bucket{srcB, txtB, ridxB} {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
	}
	srcs := append([]annotate.Source(nil), c.PutSources...)
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].ID < srcs[j].ID }) // see putSorted
	// Written in key order below: pages can be filled (see fillFor).
	var first []byte
	if len(srcs) > 0 {
		first = []byte(srcs[0].ID)
	}
	for _, b := range []*bolt.Bucket{srcB, txtB, ridxB} {
		fillFor(b, first)
	}
	if len(c.SetTexts) > 0 {
		txtB.FillPercent, ridxB.FillPercent = 0.9, 0.9 // texts replaced among others
	}
	for _, src := range srcs {
		if src.Text != "" { // only a new source carries its text
			if err := putText(src.ID, src.Text); err != nil {
				return err
			}
		}
		src.Text = ""
		if err := putJSON(srcB, src.ID, src); err != nil {
			return err
		}
	}
	for _, t := range c.SetTexts {
		if err := putText(t.SourceID, t.Text); err != nil {
			return err
		}
	}
	if err := putSorted(tx.Bucket(bCodes), c.PutCodes, func(v *annotate.Code) string { return v.ID }); err != nil {
		return err
	}
	if err := putSorted(tx.Bucket(bTargets), c.PutTargets, func(v *annotate.Target) string { return v.ID }); err != nil {
		return err
	}
	if err := putAnnotations(tx, c.PutAnnotations); err != nil { // after the texts: quotes may be kept in them
		return err
	}
	if err := putSorted(tx.Bucket(bLinks), c.PutLinks, func(v *annotate.Link) string { return v.ID }); err != nil {
		return err
	}
	if err := putSorted(tx.Bucket(bVersions), c.PutVersions, func(v *annotate.TextVersion) string { return v.ID }); err != nil {
		return err
	}
	if err := putSorted(tx.Bucket(bClaims), c.PutClaims, func(v *annotate.Claim) string { return v.ID }); err != nil {
		return err
	}
	return nil
}

// putSorted writes records in key order: bbolt shifts an unsplit node on
// every insert, so a large change in random order would cost the square
// of its size.
func putSorted[T any](b *bolt.Bucket, list []T, key func(*T) string) error {
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return key(&list[order[i]]) < key(&list[order[j]]) })
	// Keys arrive in order, so pages can be filled (see fillFor); a later
	// insert into a full page splits it as before.
	if len(order) > 0 {
		fillFor(b, []byte(key(&list[order[0]])))
	}
	for _, i := range order {
		if err := putJSON(b, key(&list[i]), list[i]); err != nil {
			return err
		}
	}
	return nil
}

func deleteAll(b *bolt.Bucket, ids []string) error {
	for _, id := range ids {
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
	}
	return nil
}

func putJSON(b *bolt.Bucket, id string, v any) error {
	raw, err := encodeRec(v)
	if err != nil {
		return fmt.Errorf("%s: encoding: %w", id, err)
	}
	return b.Put([]byte(id), raw)
}

// txState serves annotate.Apply from a transaction. Reverse lookups scan
// their bucket; records that fail to decode are reported, never skipped,
// so a change is refused rather than made against a half-read project.
type txState struct{ tx *bolt.Tx }

// lookup decodes one record; a missing bucket (an older schema read
// through) holds nothing.
func lookup[T any](tx *bolt.Tx, bucket []byte, id string) (T, bool, error) {
	var v T
	b := tx.Bucket(bucket)
	if b == nil {
		return v, false, nil
	}
	raw := b.Get([]byte(id))
	if raw == nil {
		return v, false, nil
	}
	if err := decodeRec(raw, &v, txTexts(tx)); err != nil {
		return v, false, fmt.Errorf("the stored record cannot be read: %v", err)
	}
	return v, true, nil
}

func (s txState) Source(id string) (annotate.Source, bool, error) {
	return lookup[annotate.Source](s.tx, bSources, id)
}
func (s txState) Code(id string) (annotate.Code, bool, error) {
	return lookup[annotate.Code](s.tx, bCodes, id)
}
func (s txState) Target(id string) (annotate.Target, bool, error) {
	return lookup[annotate.Target](s.tx, bTargets, id)
}
func (s txState) Annotation(id string) (annotate.Annotation, bool, error) {
	return lookup[annotate.Annotation](s.tx, bAnns, id)
}
func (s txState) Link(id string) (annotate.Link, bool, error) {
	return lookup[annotate.Link](s.tx, bLinks, id)
}
func (s txState) Version(id string) (annotate.TextVersion, bool, error) {
	return lookup[annotate.TextVersion](s.tx, bVersions, id)
}
func (s txState) Claim(id string) (annotate.Claim, bool, error) {
	return lookup[annotate.Claim](s.tx, bClaims, id)
}

// Text returns a source's text without copying it: Apply uses it only
// inside the transaction.
func (s txState) Text(id string) (string, bool, error) {
	raw := s.tx.Bucket(bTexts).Get([]byte(id))
	if raw == nil {
		return "", s.tx.Bucket(bSources).Get([]byte(id)) != nil, nil
	}
	return unsafe.String(unsafe.SliceData(raw), len(raw)), true, nil
}

func (s txState) CheckSelector(id string, sel annotate.Selector) error {
	text, _, _ := s.Text(id)
	return checkIndexed(text, s.tx.Bucket(bRuneIdx).Get([]byte(id)), sel)
}

// scan lists the keys of records in bucket for which keep is true.
func scan[T any](tx *bolt.Tx, bucket []byte, keep func(*T) bool) ([]string, error) {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil, nil
	}
	var out []string
	texts := txTexts(tx)
	err := b.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil
		}
		var t T
		if err := decodeRec(v, &t, texts); err != nil {
			return fmt.Errorf("record %s in %s cannot be read: %v", k, bucket, err)
		}
		if keep(&t) {
			out = append(out, string(k))
		}
		return nil
	})
	return out, err
}

// Reverse lookups answer from the index; a file read through from an
// older schema has none, and is scanned instead.
func (s txState) indexed() bool { return s.tx.Bucket(bIdx) != nil }

func (s txState) CodeChildren(id string) ([]string, error) {
	if s.indexed() {
		return ixMembers(s.tx, ixCodeByParent, id), nil
	}
	return scan(s.tx, bCodes, func(c *annotate.Code) bool { return c.Parent == id })
}
func (s txState) AnnotationsWithCode(id string) ([]string, error) {
	if s.indexed() {
		return annsWithCode(s.tx, id), nil
	}
	return scan(s.tx, bAnns, func(a *annotate.Annotation) bool { return a.HasCode(id) })
}
func (s txState) AnnotationsToward(id string) ([]string, error) {
	if s.indexed() {
		return ixMembers(s.tx, ixAnnByTarget, id), nil
	}
	return scan(s.tx, bAnns, func(a *annotate.Annotation) bool { _, ok := a.StanceToward(id); return ok })
}
func (s txState) AnnotationsOfSource(id string) ([]string, error) {
	if s.indexed() {
		return ixMembers(s.tx, ixAnnBySource, id), nil
	}
	return scan(s.tx, bAnns, func(a *annotate.Annotation) bool { return a.SourceID == id })
}
func (s txState) LinksOfSource(id string) ([]string, error) {
	if s.indexed() {
		return ixMembers(s.tx, ixLinkBySource, id), nil
	}
	return scan(s.tx, bLinks, func(k *annotate.Link) bool {
		if k.From.SourceID == id {
			return true
		}
		for _, t := range k.To {
			if t.SourceID == id {
				return true
			}
		}
		return false
	})
}
func (s txState) SourcesResting(id string) ([]string, error) {
	if s.indexed() {
		return ixMembers(s.tx, ixSrcByOrig, id), nil
	}
	return scan(s.tx, bSources, func(v *annotate.Source) bool {
		for _, o := range v.Originals {
			if o == id {
				return true
			}
		}
		return false
	})
}
func (s txState) VersionsOfSource(id string) ([]string, error) {
	if s.indexed() {
		return ixMembers(s.tx, ixVerBySource, id), nil
	}
	return scan(s.tx, bVersions, func(v *annotate.TextVersion) bool { return v.SourceID == id })
}
func (s txState) ClaimsCiting(id string) ([]string, error) {
	if s.indexed() {
		return ixMembers(s.tx, ixClaimByAnn, id), nil
	}
	return scan(s.tx, bClaims, func(m *annotate.Claim) bool {
		for _, e := range m.Evidence {
			if e.AnnotationID == id {
				return true
			}
		}
		return false
	})
}
func (s txState) ClaimsToward(id string) ([]string, error) {
	if s.indexed() {
		return ixMembers(s.tx, ixClaimByTgt, id), nil
	}
	return scan(s.tx, bClaims, func(m *annotate.Claim) bool { return m.Target == id })
}
