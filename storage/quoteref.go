package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sort"
	"strings"
	"unicode/utf8"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// An annotation's quote, prefix and suffix are kept as places in its
// source's text when they equal the text there (annCodecV2). This file
// finds those places when encoding and takes the strings back out when
// decoding. Positions are code points, counted as a range over the string
// counts them (an invalid byte is one), the same on both sides; whatever is
// kept was compared byte for byte with the text, and its CRC-32C is checked
// when it is taken back out.

// quoteText is one source's text as it lies in the file.
type quoteText struct {
	s   string // valid while its transaction is
	idx []byte // the code-point checkpoints (rune_index); nil to walk from the start
	// offs is the byte offset of every code point and of the end, made for
	// a text that serves several annotations in a row (short texts only).
	offs []int32
	// own, when set, is the same text in memory the caller keeps (see
	// annTexts.held): quotes are cut from it rather than copied.
	own string
}

// A text serving several annotations in a row gets a table of offsets
// when it is at most tableMax bytes long, one serving a first annotation
// when at most tableFirst (making the table costs about what one walk to
// a passage costs). Longer ones are walked from their checkpoints, at most
// runeStride code points a lookup.
const (
	tableMax   = 256 << 10
	tableFirst = 8 << 10
)

// bytesAt turns code-point positions, in ascending order, into byte offsets
// (a position at the end of the text is its length), in one walk. ok is
// false when a position is outside the text.
func (q *quoteText) bytesAt(pos []int, out []int) bool {
	if len(pos) == 0 {
		return true
	}
	if pos[0] < 0 {
		return false
	}
	if q.offs != nil {
		for i, p := range pos {
			if p >= len(q.offs) {
				return false
			}
			out[i] = int(q.offs[p])
		}
		return true
	}
	// Start at the checkpoint at or before the first position, when it
	// looks sound (a damaged index must not make a good record unreadable:
	// see annTexts.quote, which tries again without it).
	base, off := 0, 0
	if k := pos[0] / runeStride; q.idx != nil && len(q.idx) >= 4*(k+1) {
		o := int(binary.LittleEndian.Uint32(q.idx[4*k:]))
		if o <= len(q.s) && (o == len(q.s) || utf8.RuneStart(q.s[o])) {
			base, off = k*runeStride, o
		}
	}
	i, n := 0, base
	for b := range q.s[off:] {
		for i < len(pos) && pos[i] == n {
			out[i] = off + b
			i++
		}
		if i == len(pos) {
			return true
		}
		n++
	}
	for i < len(pos) && pos[i] == n {
		out[i] = len(q.s)
		i++
	}
	return i == len(pos)
}

// makeTable gives q its table of offsets, in buf's memory.
func (q *quoteText) makeTable(buf []int32) {
	offs := buf[:0]
	for b := range q.s {
		offs = append(offs, int32(b))
	}
	q.offs = append(offs, int32(len(q.s)))
}

func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// match says which of sel's strings equal the text where sel places them,
// with the prefix's and suffix's lengths in code points and the CRC of the
// strings matched (prefix, quote, suffix, in that order).
func (q *quoteText) match(sel annotate.Selector) (xflags byte, np, ns int, sum uint32) {
	if sel.Start < 0 || sel.End < sel.Start {
		return 0, 0, 0, 0
	}
	np, ns = utf8.RuneCountInString(sel.Prefix), utf8.RuneCountInString(sel.Suffix)
	if np > sel.Start {
		np = 0 // cannot be in the text: kept as it is
	}
	var b [4]int
	if !q.bytesAt([]int{sel.Start - np, sel.Start, sel.End, sel.End + ns}, b[:]) {
		// Perhaps only the suffix runs past the end.
		if ns = 0; !q.bytesAt([]int{sel.Start - np, sel.Start, sel.End, sel.End}, b[:]) {
			return 0, 0, 0, 0
		}
	}
	if np > 0 && q.s[b[0]:b[1]] == sel.Prefix {
		xflags |= prefixInText
		sum = crc32.Update(sum, castagnoli, bytesOf(sel.Prefix))
	} else {
		np = 0
	}
	if q.s[b[1]:b[2]] == sel.Exact {
		xflags |= exactInText
		sum = crc32.Update(sum, castagnoli, bytesOf(sel.Exact))
	}
	if ns > 0 && q.s[b[2]:b[3]] == sel.Suffix {
		xflags |= suffixInText
		sum = crc32.Update(sum, castagnoli, bytesOf(sel.Suffix))
	} else {
		ns = 0
	}
	// Not worth its CRC when it saves less (a quote of a character or two).
	saved := -4
	for _, k := range []struct {
		bit byte
		s   string
		n   int
	}{{prefixInText, sel.Prefix, np}, {exactInText, sel.Exact, 0}, {suffixInText, sel.Suffix, ns}} {
		if xflags&k.bit != 0 {
			saved += uvarintLen(len(k.s)) + len(k.s) - uvarintLen(k.n)*min(k.n, 1)
		}
	}
	if saved <= 0 {
		return 0, 0, 0, 0
	}
	return xflags, np, ns, sum
}

func uvarintLen(n int) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], uint64(n))
}

var errQuoteSum = errors.New("its quote no longer matches its source's text (the text changed after the annotation was saved)")

// rebuild takes a's strings kept in the text back out of it (copies:
// nothing aliases bbolt's memory) and checks them against sum.
func (q *quoteText) rebuild(a *annotate.Annotation, xflags byte, np, ns uint64, sum uint32) error {
	sel := &a.Selector
	if sel.Start < 0 || sel.End < sel.Start || np > uint64(sel.Start) || ns > uint64(len(q.s)) {
		return errors.New("its quote is kept in its source's text, at a place outside it")
	}
	var b [4]int
	if !q.bytesAt([]int{sel.Start - int(np), sel.Start, sel.End, sel.End + int(ns)}, b[:]) {
		return errors.New("its quote is kept in its source's text, at a place outside it")
	}
	cut := func(i, j int) string {
		if q.own != "" {
			return q.own[i:j]
		}
		return strings.Clone(q.s[i:j]) // q.s is the transaction's
	}
	var got uint32
	if xflags&prefixInText != 0 {
		sel.Prefix = cut(b[0], b[1])
		got = crc32.Update(got, castagnoli, bytesOf(sel.Prefix))
	}
	if xflags&exactInText != 0 {
		sel.Exact = cut(b[1], b[2])
		got = crc32.Update(got, castagnoli, bytesOf(sel.Exact))
	}
	if xflags&suffixInText != 0 {
		sel.Suffix = cut(b[2], b[3])
		got = crc32.Update(got, castagnoli, bytesOf(sel.Suffix))
	}
	if got != sum {
		return errQuoteSum
	}
	return nil
}

// annTexts gives encoding and decoding the texts of annotations' sources.
// Each walk makes its own (one goroutine, one transaction); it keeps the
// last source's text, since annotations made together sit together in ID
// order. It must not outlive a change to a text it has served.
type annTexts struct {
	get  func(id string) (text string, idx []byte, ok bool)
	id   string
	q    quoteText
	ok   bool
	uses int
	buf  []int32 // the last table's memory, for the next (rebuild copies out)
	// held, when set, gives the text of a source that the reader keeps in
	// memory anyway (the window's project head): where it equals the
	// stored text, quotes share its memory instead of each being a copy
	// (27 MB of 200,000 annotations' quotes at 10,000 sources).
	held func(sourceID string) string
	// names holds one copy of each short name decoded (source IDs, codes,
	// targets, stances, authors): a walk of 200,000 annotations kept a
	// copy per record, 11 MB of the window's heap at 10,000 sources.
	names map[string]string
	// views makes quotes views of the transaction's texts, not copies:
	// for a check that keeps nothing (checkAnn).
	views bool
}

// maxNames bounds names: past it, names are copied per record as before.
const maxNames = 1 << 14

// name returns b as a string, shared with earlier equal names.
func (t *annTexts) name(b []byte) string {
	if s, ok := t.names[string(b)]; ok {
		return s
	}
	s := string(b)
	if t.names == nil {
		t.names = make(map[string]string)
	}
	if len(t.names) < maxNames {
		t.names[s] = s
	}
	return s
}

// txTexts serves the texts of a transaction.
func txTexts(tx *bolt.Tx) *annTexts {
	texts, ridx := tx.Bucket(bTexts), tx.Bucket(bRuneIdx)
	return &annTexts{get: func(id string) (string, []byte, bool) {
		if texts == nil {
			return "", nil, false
		}
		raw := texts.Get([]byte(id))
		if raw == nil {
			return "", nil, false
		}
		var idx []byte
		if ridx != nil && len(raw) > tableFirst { // a shorter one gets a table at once
			idx = ridx.Get([]byte(id))
		}
		return unsafe.String(unsafe.SliceData(raw), len(raw)), idx, true
	}}
}

// source is a source's text, or nil when it has none.
func (t *annTexts) source(id string) *quoteText {
	if t.uses == 0 || id != t.id {
		t.id, t.uses = id, 0
		var s string
		var idx []byte
		s, idx, t.ok = t.get(id)
		t.q = quoteText{s: s, idx: idx}
		if t.views && t.ok {
			t.q.own = s
		}
		if t.held != nil && t.ok {
			if h := t.held(id); h == s {
				t.q.own = h
			}
		}
	}
	t.uses++
	if !t.ok {
		return nil
	}
	if t.q.offs == nil && (len(t.q.s) <= tableFirst || t.uses == 2 && len(t.q.s) <= tableMax) {
		t.q.makeTable(t.buf)
		t.buf = t.q.offs
	}
	return &t.q
}

// quote fills in a's strings kept in its source's text.
func (t *annTexts) quote(a *annotate.Annotation, xflags byte, np, ns uint64, sum uint32) error {
	if t == nil {
		return errors.New("its quote is kept in its source's text, which this reading has not got")
	}
	q := t.source(a.SourceID)
	if q == nil {
		return fmt.Errorf("its quote is kept in the text of source %s, which is missing", a.SourceID)
	}
	err := q.rebuild(a, xflags, np, ns, sum)
	if err != nil {
		// A damaged checkpoint may have placed it, when it was written or
		// now: the other ways of counting before giving up.
		var alts []quoteText
		if q.offs != nil && q.idx != nil {
			alts = append(alts, quoteText{s: q.s, idx: q.idx})
		}
		if q.offs != nil || q.idx != nil {
			alts = append(alts, quoteText{s: q.s})
		}
		for _, alt := range alts {
			if alt.rebuild(a, xflags, np, ns, sum) == nil {
				return nil
			}
		}
	}
	return err
}

// quoteInText reports whether a record keeps any of its strings in its
// source's text.
func quoteInText(v []byte) bool {
	if len(v) == 0 || v[0] != annCodecV2 {
		return false
	}
	r := &annReader{b: v[1:]}
	r.uvarint()
	r.str()
	r.str()
	r.varint()
	r.varint()
	x := r.byte()
	return r.err == nil && x&(exactInText|prefixInText|suffixInText) != 0
}

// annotationsOf lists the keys of the stored annotations on a source.
func annotationsOf(tx *bolt.Tx, sourceID string) []string {
	if tx.Bucket(bIdx) != nil {
		return ixMembers(tx, ixAnnBySource, sourceID)
	}
	var out []string
	_ = tx.Bucket(bAnns).ForEach(func(k, v []byte) error {
		if src, ok := annSourceID(v); ok && src == sourceID {
			out = append(out, string(k))
		}
		return nil
	})
	return out
}

// rebaseQuotes is called before a source's text is replaced (has: by text)
// or deleted (has false): every stored annotation on the source that keeps
// its quote in the old text is decoded against it and written again against
// the new one (whole, where the new text differs there or is gone). A text
// must never change under records that point into it.
func rebaseQuotes(tx *bolt.Tx, sourceID, text string, has bool) error {
	anns := tx.Bucket(bAnns)
	if anns == nil {
		return nil
	}
	ids := annotationsOf(tx, sourceID)
	if len(ids) == 0 {
		return nil
	}
	old := txTexts(tx)
	var idx []byte
	if has {
		idx = buildRuneIndex(text)
	}
	next := &annTexts{get: func(id string) (string, []byte, bool) {
		if id == sourceID {
			return text, idx, has
		}
		return old.get(id)
	}}
	type kv struct {
		k string
		v []byte
	}
	var out []kv
	for _, id := range ids {
		raw := anns.Get([]byte(id))
		if !quoteInText(raw) {
			continue
		}
		var a annotate.Annotation
		if err := decodeAnn(raw, &a, old, true); err != nil {
			// Unreadable already (Check names it); it stays as it is.
			continue
		}
		v, err := encodeAnnIn(&a, next)
		if err != nil {
			return fmt.Errorf("annotation %s: encoding: %w", id, err)
		}
		out = append(out, kv{id, v})
	}
	for _, r := range out {
		if err := anns.Put([]byte(r.k), r.v); err != nil {
			return err
		}
	}
	return nil
}

// putAnnotations writes annotations in key order (see putSorted), their
// quotes kept in their sources' texts where they equal them: the texts of
// a change must be written first.
func putAnnotations(tx *bolt.Tx, list []annotate.Annotation) error {
	b := tx.Bucket(bAnns)
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return list[order[i]].ID < list[order[j]].ID })
	if len(order) > 0 {
		fillFor(b, []byte(list[order[0]].ID)) // in key order: see fillFor
	}
	texts := txTexts(tx)
	for _, i := range order {
		a := &list[i]
		raw, err := encodeAnnIn(a, texts)
		if err != nil {
			return fmt.Errorf("%s: encoding: %w", a.ID, err)
		}
		if err := b.Put([]byte(a.ID), raw); err != nil {
			return err
		}
	}
	return nil
}

// foundTexts lists every text salvage found for each source, the tree's
// first, then those off it.
func foundTexts(found map[string]map[string]record) map[string][]string {
	out := map[string][]string{}
	for k, r := range found[string(bTexts)] {
		out[k] = append(out[k], string(r.value))
	}
	for _, k := range sortedRecordKeys(found["?text"]) {
		id, _, _ := strings.Cut(k, "\x00")
		out[id] = append(out[id], string(found["?text"][k].value))
	}
	return out
}

// decodeFound decodes a record salvage found. An annotation keeping its
// quote in its source's text takes it from whichever text found for the
// source its CRC accepts (an older copy may be the one it was saved with).
func decodeFound[T any](v []byte, t *T, texts map[string][]string) error {
	a, ok := any(t).(*annotate.Annotation)
	if !ok || !quoteInText(v) {
		return decodeRec(v, t, nil)
	}
	src, _ := annSourceID(v)
	err := decodeAnn(v, a, &annTexts{get: func(string) (string, []byte, bool) { return "", nil, false }}, true)
	for _, text := range texts[src] {
		one := &annTexts{get: func(string) (string, []byte, bool) { return text, nil, true }}
		if err = decodeAnn(v, a, one, true); err == nil {
			return nil
		}
	}
	return err
}
