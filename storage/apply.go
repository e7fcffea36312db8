package storage

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Apply performs one user action in one durable transaction, after checking
// that the project stays consistent, and returns the change that undoes it.
func (s *Store) Apply(c annotate.Change) (annotate.Change, error) {
	var inv annotate.Change
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		inv, err = apply(tx, c)
		return err
	})
	if err != nil {
		return annotate.Change{}, err
	}
	return inv, nil
}

type txLookup struct{ tx *bolt.Tx }

func (l txLookup) HasCode(id string) bool   { return l.tx.Bucket(bCodes).Get([]byte(id)) != nil }
func (l txLookup) HasTarget(id string) bool { return l.tx.Bucket(bTargets).Get([]byte(id)) != nil }
func (l txLookup) HasSource(id string) bool { return l.tx.Bucket(bSources).Get([]byte(id)) != nil }

// textIn returns a source's text without copying it. It is only valid while
// tx is open, and is only used to check selectors inside the transaction.
func textIn(tx *bolt.Tx, id string) (string, bool) {
	raw := tx.Bucket(bTexts).Get([]byte(id))
	if raw == nil {
		return "", tx.Bucket(bSources).Get([]byte(id)) != nil
	}
	return unsafe.String(unsafe.SliceData(raw), len(raw)), true
}

func apply(tx *bolt.Tx, c annotate.Change) (annotate.Change, error) {
	inv := annotate.Change{Label: c.Label}
	now := time.Now().UTC()
	srcB, txtB, codeB, tgtB, linkB := tx.Bucket(bSources), tx.Bucket(bTexts), tx.Bucket(bCodes), tx.Bucket(bTargets), tx.Bucket(bLinks)

	// Sources first: annotations and links below are checked against them.
	for _, src := range c.PutSources {
		var old annotate.Source
		exists := getJSON(srcB, src.ID, &old) == nil
		if exists {
			old.Text = string(txtB.Get([]byte(src.ID)))
			inv.PutSources = append(inv.PutSources, old)
			// The text of a source never changes; annotations rest on it.
			src.Text, src.ContentHash, src.Length, src.ImportedAt = "", old.ContentHash, old.Length, old.ImportedAt
		} else {
			inv.DelSources = append(inv.DelSources, src.ID)
			if src.Text == "" {
				return inv, fmt.Errorf("source %s: text is empty", src.ID)
			}
			if !utf8.ValidString(src.Text) {
				return inv, fmt.Errorf("source %s: text is not valid UTF-8", src.ID)
			}
			src.ContentHash = annotate.HashText(src.Text)
			src.Length = utf8.RuneCountInString(src.Text)
			if src.ImportedAt.IsZero() {
				src.ImportedAt = now
			}
			if err := txtB.Put([]byte(src.ID), []byte(src.Text)); err != nil {
				return inv, err
			}
			if err := tx.Bucket(bRuneIdx).Put([]byte(src.ID), buildRuneIndex(src.Text)); err != nil {
				return inv, err
			}
		}
		if err := annotate.ValidateSource(src); err != nil {
			return inv, fmt.Errorf("source %s: %w", src.ID, err)
		}
		for _, o := range src.Originals {
			if srcB.Get([]byte(o)) == nil {
				return inv, fmt.Errorf("source %s: originals: no source with id %q", src.ID, o)
			}
		}
		src.Text = ""
		if err := putJSON(srcB, src.ID, src); err != nil {
			return inv, err
		}
	}
	for _, c := range c.PutCodes {
		var old annotate.Code
		if getJSON(codeB, c.ID, &old) == nil {
			inv.PutCodes = append(inv.PutCodes, old)
		} else {
			inv.DelCodes = append(inv.DelCodes, c.ID)
		}
		if err := putJSON(codeB, c.ID, c); err != nil {
			return inv, err
		}
	}
	for _, t := range c.PutTargets {
		if err := annotate.ValidateTarget(t); err != nil {
			return inv, fmt.Errorf("target %s: %w", t.ID, err)
		}
		var old annotate.Target
		if getJSON(tgtB, t.ID, &old) == nil {
			inv.PutTargets = append(inv.PutTargets, old)
		} else {
			inv.DelTargets = append(inv.DelTargets, t.ID)
		}
		if err := putJSON(tgtB, t.ID, t); err != nil {
			return inv, err
		}
	}
	// Deletions of annotations and links before those of what they refer to.
	for _, id := range c.DelAnnotations {
		a, ok := getAnnotation(tx, id)
		if !ok {
			return inv, fmt.Errorf("annotation %s: %w", id, ErrNotFound)
		}
		inv.PutAnnotations = append(inv.PutAnnotations, a)
		if err := tx.Bucket(bAnns).Delete([]byte(id)); err != nil {
			return inv, err
		}
	}
	for _, id := range c.DelLinks {
		var old annotate.Link
		if err := getJSON(linkB, id, &old); err != nil {
			return inv, fmt.Errorf("link %s: %w", id, err)
		}
		inv.PutLinks = append(inv.PutLinks, old)
		if err := linkB.Delete([]byte(id)); err != nil {
			return inv, err
		}
	}
	lookup := txLookup{tx}
	for _, a := range c.PutAnnotations {
		if old, ok := getAnnotation(tx, a.ID); ok {
			inv.PutAnnotations = append(inv.PutAnnotations, old)
			if old.SourceID != a.SourceID {
				return inv, fmt.Errorf("annotation %s: cannot move to another source", a.ID)
			}
		} else {
			inv.DelAnnotations = append(inv.DelAnnotations, a.ID)
		}
		if a.Created.IsZero() {
			a.Created = now
		}
		if a.Modified.IsZero() {
			a.Modified = now
		}
		text, ok := textIn(tx, a.SourceID)
		if !ok {
			return inv, fmt.Errorf("annotation %s: no source with id %q", a.ID, a.SourceID)
		}
		if err := annotate.ValidateAnnotationRefs(a, lookup); err != nil {
			return inv, fmt.Errorf("annotation %s: %w", a.ID, err)
		}
		if err := checkIndexed(text, tx.Bucket(bRuneIdx).Get([]byte(a.SourceID)), a.Selector); err != nil {
			return inv, fmt.Errorf("annotation %s: selector: %w", a.ID, err)
		}
		if err := putJSON(tx.Bucket(bAnns), a.ID, a); err != nil {
			return inv, err
		}
	}
	// A batch of suggested links rests on the same few texts: index each once.
	texts := map[string]*annotate.Text{}
	textOf := func(id string) *annotate.Text {
		if t, ok := texts[id]; ok {
			return t
		}
		var t *annotate.Text
		if s, ok := textIn(tx, id); ok {
			t = annotate.NewText(s)
		}
		texts[id] = t
		return t
	}
	for _, k := range c.PutLinks {
		var old annotate.Link
		if getJSON(linkB, k.ID, &old) == nil {
			inv.PutLinks = append(inv.PutLinks, old)
		} else {
			inv.DelLinks = append(inv.DelLinks, k.ID)
		}
		if k.Created.IsZero() {
			k.Created = now
		}
		if k.Modified.IsZero() {
			k.Modified = now
		}
		if err := annotate.ValidateLink(k, textOf); err != nil {
			return inv, fmt.Errorf("link %s: %w", k.ID, err)
		}
		if err := putJSON(linkB, k.ID, k); err != nil {
			return inv, err
		}
	}
	// Codes are validated after all puts so a batch may add a parent and
	// its children in any order.
	parentOf := func(id string) (string, bool) {
		var cd annotate.Code
		if getJSON(codeB, id, &cd) != nil {
			return "", false
		}
		return cd.Parent, true
	}
	for _, cd := range c.PutCodes {
		if err := annotate.ValidateCode(cd, parentOf); err != nil {
			return inv, fmt.Errorf("code %s: %w", cd.ID, err)
		}
	}
	if err := deleteReferenced(tx, c, &inv); err != nil {
		return inv, err
	}
	return inv, nil
}

// deleteReferenced removes codes, targets and sources, refusing while
// anything still refers to them (the change must also update those).
func deleteReferenced(tx *bolt.Tx, c annotate.Change, inv *annotate.Change) error {
	codeB, tgtB, srcB, txtB := tx.Bucket(bCodes), tx.Bucket(bTargets), tx.Bucket(bSources), tx.Bucket(bTexts)
	dead := map[string]bool{}
	for _, id := range c.DelCodes {
		var old annotate.Code
		if err := getJSON(codeB, id, &old); err != nil {
			return fmt.Errorf("code %s: %w", id, err)
		}
		inv.PutCodes = append(inv.PutCodes, old)
		dead[id] = true
	}
	for _, id := range c.DelTargets {
		var old annotate.Target
		if err := getJSON(tgtB, id, &old); err != nil {
			return fmt.Errorf("target %s: %w", id, err)
		}
		inv.PutTargets = append(inv.PutTargets, old)
		dead[id] = true
	}
	if len(dead) > 0 {
		if err := codeB.ForEach(func(k, v []byte) error {
			var cd annotate.Code
			if err := json.Unmarshal(v, &cd); err != nil {
				return err
			}
			if dead[cd.Parent] && !dead[cd.ID] {
				return fmt.Errorf("code %s: cannot delete it, code %q is nested inside it", cd.Parent, cd.Name)
			}
			return nil
		}); err != nil {
			return err
		}
		n := 0
		if err := eachJSON(tx.Bucket(bAnns), func(a *annotate.Annotation) {
			for _, cd := range a.Codes {
				if dead[cd] {
					n++
					return
				}
			}
			for _, m := range a.Stances {
				if dead[m.Target] {
					n++
					return
				}
			}
		}); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("cannot delete: %d annotation(s) still use it", n)
		}
		for _, id := range c.DelCodes {
			if err := codeB.Delete([]byte(id)); err != nil {
				return err
			}
		}
		for _, id := range c.DelTargets {
			if err := tgtB.Delete([]byte(id)); err != nil {
				return err
			}
		}
	}
	for _, id := range c.DelSources {
		var old annotate.Source
		if err := getJSON(srcB, id, &old); err != nil {
			return fmt.Errorf("source %s: %w", id, err)
		}
		left := 0
		if err := eachJSON(tx.Bucket(bAnns), func(a *annotate.Annotation) {
			if a.SourceID == id {
				left++
			}
		}); err != nil {
			return err
		}
		if left > 0 {
			return fmt.Errorf("source %s: cannot delete it while it has %d annotation(s)", id, left)
		}
		var used string
		_ = eachJSON(tx.Bucket(bLinks), func(k *annotate.Link) {
			for _, a := range append([]annotate.Anchor{k.From}, k.To...) {
				if a.SourceID == id {
					used = k.ID
				}
			}
		})
		if used != "" {
			return fmt.Errorf("source %s: cannot delete it while link %s uses it", id, used)
		}
		old.Text = string(txtB.Get([]byte(id)))
		inv.PutSources = append(inv.PutSources, old)
		if err := srcB.Delete([]byte(id)); err != nil {
			return err
		}
		if err := txtB.Delete([]byte(id)); err != nil {
			return err
		}
		if err := tx.Bucket(bRuneIdx).Delete([]byte(id)); err != nil {
			return err
		}
	}
	return nil
}

func putJSON(b *bolt.Bucket, id string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(id), raw)
}
