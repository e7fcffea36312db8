package storage

import (
	"bytes"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// bIdx holds every reverse index in one bucket, so a save touches one
// bucket's pages rather than one per index. A key is a kind byte, the
// indexed ID (or author), a NUL, and the ID of the record that refers to
// it; values are empty. A prefix scan answers "what refers to X" without
// reading any record. The change pipeline keeps it current (write), a
// migration builds it for older files, and Check compares it with the
// records.
var bIdx = []byte("index")

const (
	ixAnnBySource  = 'a' // source -> annotation
	ixAnnByCode    = 'c' // code -> source NUL annotation (schema 12; see codeKey)
	ixAnnByTarget  = 't' // stance target -> annotation
	ixAnnByAuthor  = 'u' // author -> annotation
	ixAnnToReview  = 'r' // source -> annotation needing review (schema 11)
	ixLinkBySource = 'l' // source -> link
	ixCodeByParent = 'p' // parent code -> code
	ixSrcByOrig    = 'o' // original -> source resting on it
	ixVerBySource  = 'v' // source -> text version
	ixClaimByAnn   = 'm' // annotation -> claim citing it
	ixClaimByTgt   = 'n' // stance target -> claim about it
)

func ixKey(kind byte, of, member string) []byte {
	k := make([]byte, 0, 2+len(of)+len(member))
	k = append(k, kind)
	k = append(k, of...)
	k = append(k, 0)
	return append(k, member...)
}

func ixPrefix(kind byte, of string) []byte {
	k := make([]byte, 0, 2+len(of))
	k = append(k, kind)
	k = append(k, of...)
	return append(k, 0)
}

// codeKey is an index-by-code entry: its member is the annotation's
// source, a NUL and the annotation's ID, so a code's annotations are
// named with their sources, and put in source order, from the keys alone
// (AnnotationRefs). Before schema 12 the member was the ID alone, and
// naming the sources took a walk of the whole index by source.
func codeKey(code, src, ann string) []byte {
	k := make([]byte, 0, 3+len(code)+len(src)+len(ann))
	k = append(k, ixAnnByCode)
	k = append(k, code...)
	k = append(k, 0)
	k = append(k, src...)
	k = append(k, 0)
	return append(k, ann...)
}

// codeMember splits the member of an index-by-code entry (the key past
// its code's prefix) into source and annotation; ok is false for a member
// of another shape, which the pipeline does not write.
func codeMember(m []byte) (src, ann []byte, ok bool) {
	i := bytes.IndexByte(m, 0)
	if i <= 0 || i+1 == len(m) {
		return nil, nil, false
	}
	return m[:i], m[i+1:], true
}

// entries lists the index keys a record contributes.
func annEntries(a *annotate.Annotation) [][]byte {
	out := [][]byte{ixKey(ixAnnBySource, a.SourceID, a.ID)}
	for _, c := range a.Codes {
		out = append(out, codeKey(c, a.SourceID, a.ID))
	}
	for _, m := range a.Stances {
		out = append(out, ixKey(ixAnnByTarget, m.Target, a.ID))
	}
	if a.Author != "" {
		out = append(out, ixKey(ixAnnByAuthor, a.Author, a.ID))
	}
	if annotate.ToReview(a) {
		out = append(out, ixKey(ixAnnToReview, a.SourceID, a.ID))
	}
	return out
}

func linkEntries(k *annotate.Link) [][]byte {
	var out [][]byte
	seen := map[string]bool{}
	for _, e := range append([]annotate.Anchor{k.From}, k.To...) {
		if !seen[e.SourceID] {
			seen[e.SourceID] = true
			out = append(out, ixKey(ixLinkBySource, e.SourceID, k.ID))
		}
	}
	return out
}

func codeEntries(c *annotate.Code) [][]byte {
	if c.Parent == "" {
		return nil
	}
	return [][]byte{ixKey(ixCodeByParent, c.Parent, c.ID)}
}

func sourceEntries(s *annotate.Source) [][]byte {
	var out [][]byte
	for _, o := range s.Originals {
		out = append(out, ixKey(ixSrcByOrig, o, s.ID))
	}
	return out
}

func versionEntries(v *annotate.TextVersion) [][]byte {
	return [][]byte{ixKey(ixVerBySource, v.SourceID, v.ID)}
}

func claimEntries(m *annotate.Claim) [][]byte {
	var out [][]byte
	for _, e := range m.Evidence {
		out = append(out, ixKey(ixClaimByAnn, e.AnnotationID, m.ID))
	}
	if m.Target != "" {
		out = append(out, ixKey(ixClaimByTgt, m.Target, m.ID))
	}
	return out
}

// keyOps gathers index writes so they can be made in key order: bbolt
// inserts into an unsplit node by shifting it, so a large change written in
// random key order costs the square of its size.
type keyOps struct{ dels, puts [][]byte }

// reindex records the replacement of a record's entries: old (nil for a
// new record) by new (nil for a deleted one), touching only keys that differ.
func (o *keyOps) reindex(old, new [][]byte) {
	keep := make(map[string]bool, len(new))
	for _, k := range new {
		keep[string(k)] = true
	}
	for _, k := range old {
		if keep[string(k)] {
			delete(keep, string(k))
			continue
		}
		o.dels = annotate.AppendLarge(o.dels, k)
	}
	for _, k := range new {
		if keep[string(k)] {
			o.puts = annotate.AppendLarge(o.puts, k)
		}
	}
}

func (o *keyOps) apply(b *bolt.Bucket) error {
	sortKeys(o.dels)
	sortKeys(o.puts)
	fillForRuns(b, o.puts) // sorted: see putSorted
	for _, k := range o.dels {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	for _, k := range o.puts {
		if err := b.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

func sortKeys(keys [][]byte) {
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i], keys[j]) < 0 })
}

// indexChange keeps the index in step with an applied change. The undo
// half of an Applied holds every record's previous version, so nothing
// needs to be read back.
func indexChange(tx *bolt.Tx, r annotate.Applied) error {
	b := tx.Bucket(bIdx)
	if b == nil {
		return nil // not reached: writes happen after migration
	}
	u, d := r.Undo, r.Done
	var ops keyOps
	reindexAll(&ops, d.PutAnnotations, d.DelAnnotations, u.PutAnnotations, func(v *annotate.Annotation) string { return v.ID }, annEntries)
	reindexAll(&ops, d.PutLinks, d.DelLinks, u.PutLinks, func(v *annotate.Link) string { return v.ID }, linkEntries)
	reindexAll(&ops, d.PutCodes, d.DelCodes, u.PutCodes, func(v *annotate.Code) string { return v.ID }, codeEntries)
	reindexAll(&ops, d.PutSources, d.DelSources, u.PutSources, func(v *annotate.Source) string { return v.ID }, sourceEntries)
	reindexAll(&ops, d.PutVersions, d.DelVersions, u.PutVersions, func(v *annotate.TextVersion) string { return v.ID }, versionEntries)
	reindexAll(&ops, d.PutClaims, d.DelClaims, u.PutClaims, func(v *annotate.Claim) string { return v.ID }, claimEntries)
	return ops.apply(b)
}

// reindexAll records the index changes of one kind of record: each put
// replaces the entries of its previous version (found in the undo), each
// delete drops them.
func reindexAll[T any](ops *keyOps, puts []T, dels []string, olds []T, key func(*T) string, entries func(*T) [][]byte) {
	if len(puts)+len(dels) == 0 {
		return
	}
	old := make(map[string]*T, len(olds))
	for i := range olds {
		old[key(&olds[i])] = &olds[i]
	}
	was := func(id string) [][]byte {
		if v := old[id]; v != nil {
			return entries(v)
		}
		return nil
	}
	for i := range puts {
		ops.reindex(was(key(&puts[i])), entries(&puts[i]))
	}
	for _, id := range dels {
		ops.reindex(was(id), nil)
	}
}

// ixMembers lists the IDs filed under kind/of, in key order.
// annsWithCode lists the annotations carrying code, from the index by
// code.
func annsWithCode(tx *bolt.Tx, code string) []string {
	var out []string
	for _, m := range ixMembers(tx, ixAnnByCode, code) {
		if _, ann, ok := codeMember([]byte(m)); ok {
			out = append(out, string(ann))
		}
	}
	return out
}

func ixMembers(tx *bolt.Tx, kind byte, of string) []string {
	b := tx.Bucket(bIdx)
	if b == nil {
		return nil
	}
	prefix := ixPrefix(kind, of)
	var out []string
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, string(k[len(prefix):]))
	}
	return out
}

// expectedIndex computes the index from the records themselves, skipping
// records that cannot be decoded (Check names those separately).
func expectedIndex(tx *bolt.Tx) map[string]bool {
	want := map[string]bool{}
	add := func(keys [][]byte) {
		for _, k := range keys {
			want[string(k)] = true
		}
	}
	each := func(bucket []byte, fn func(v []byte)) {
		if b := tx.Bucket(bucket); b != nil {
			_ = b.ForEach(func(_, v []byte) error {
				if v != nil {
					fn(v)
				}
				return nil
			})
		}
	}
	texts := txTexts(tx)
	each(bAnns, func(v []byte) {
		var a annotate.Annotation
		if decodeRec(v, &a, texts) == nil {
			add(annEntries(&a))
		}
	})
	each(bLinks, func(v []byte) {
		var k annotate.Link
		if decodeRec(v, &k, nil) == nil {
			add(linkEntries(&k))
		}
	})
	each(bCodes, func(v []byte) {
		var c annotate.Code
		if decodeRec(v, &c, nil) == nil {
			add(codeEntries(&c))
		}
	})
	each(bSources, func(v []byte) {
		var s annotate.Source
		if decodeRec(v, &s, nil) == nil {
			add(sourceEntries(&s))
		}
	})
	each(bVersions, func(v []byte) {
		var x annotate.TextVersion
		if decodeRec(v, &x, nil) == nil {
			add(versionEntries(&x))
		}
	})
	each(bClaims, func(v []byte) {
		var m annotate.Claim
		if decodeRec(v, &m, nil) == nil {
			add(claimEntries(&m))
		}
	})
	return want
}

// buildIndex (re)creates the index bucket from the records.
func buildIndex(tx *bolt.Tx) error {
	if tx.Bucket(bIdx) != nil {
		if err := tx.DeleteBucket(bIdx); err != nil {
			return err
		}
	}
	b, err := tx.CreateBucket(bIdx)
	if err != nil {
		return err
	}
	keys := make([]string, 0)
	for k := range expectedIndex(tx) {
		keys = append(keys, k)
	}
	// Sorted inserts fill pages fully (bbolt splits at the fill percent).
	sort.Strings(keys)
	b.FillPercent = 1.0
	for _, k := range keys {
		if err := b.Put([]byte(k), nil); err != nil {
			return err
		}
	}
	return nil
}

// checkIndex reports index entries that are missing or left over.
func checkIndex(tx *bolt.Tx) []error {
	b := tx.Bucket(bIdx)
	if b == nil {
		return nil // an older schema has none
	}
	want := expectedIndex(tx)
	var problems []error
	_ = b.ForEach(func(k, _ []byte) error {
		if !want[string(k)] {
			problems = append(problems, fmt.Errorf("index: stale entry %q", k))
		}
		delete(want, string(k))
		return nil
	})
	for k := range want {
		problems = append(problems, fmt.Errorf("index: missing entry %q", k))
	}
	sort.Slice(problems, func(i, j int) bool { return problems[i].Error() < problems[j].Error() })
	if len(problems) > 20 {
		n := len(problems)
		problems = append(problems[:20], fmt.Errorf("index: … and %d more problems", n-20))
	}
	return problems
}

// countBySource counts annotations per source from the index keys alone.
func countBySource(tx *bolt.Tx, counts map[string]int) { countByKind(tx, ixAnnBySource, counts) }

// countByKind counts the entries of one kind of index per indexed ID. The
// keys come sorted, so each ID's run is counted before its string is made.
func countByKind(tx *bolt.Tx, kind byte, counts map[string]int) {
	c := tx.Bucket(bIdx).Cursor()
	var run []byte
	n := 0
	flush := func() {
		if n > 0 {
			counts[string(run)] += n
		}
	}
	for k, _ := c.Seek([]byte{kind}); k != nil && k[0] == kind; k, _ = c.Next() {
		i := bytes.IndexByte(k, 0)
		if i <= 0 {
			continue
		}
		if n > 0 && bytes.Equal(run, k[1:i]) {
			n++
			continue
		}
		flush()
		run, n = append(run[:0], k[1:i]...), 1
	}
	flush()
}
