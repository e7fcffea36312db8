package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"time"
	"unicode/utf8"
	"unsafe"

	"gloss/annotate"
)

// Records are JSON, except annotations from schema 7 on (and sources from
// schema 10, see srcCodecV1): annotations are most of
// the file (200,000 in a large project), and JSON spent about a third of
// each record on key names and RFC 3339 times, and most of the time of a
// whole read decoding them. An annotation is now a compact binary record
// whose first byte (annCodecV1) can never start a JSON value, so a record
// of either kind decodes wherever it is found (files migrated from older
// schemas, salvaged records).
const annCodecV1 = 0x01

// From schema 9 an annotation is written as annCodecV2: V1's fields plus a
// byte of xflags after the position. Its quote, prefix and suffix were
// copies of its source's text at and around [start, end) — half of every
// record, a fifth of the file. When they equal the text there, only their
// length in code points is kept (see quoteText), and a CRC-32C of them, so
// a text changed without its annotations being rewritten (see rebaseQuotes)
// is refused as unreadable rather than read as a different quote. Quotes
// that differ from the text (orphans, fuzzy anchors) are kept as they are.
const annCodecV2 = 0x02

// xflags (annCodecV2).
const (
	exactInText = 1 << iota
	prefixInText
	suffixInText
	// modifiedIsCreated: the modified stamp is the created one (an
	// annotation never edited), kept once.
	modifiedIsCreated
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Presence bits: a field left empty takes no bytes at all.
const (
	hasPrefix = 1 << iota
	hasSuffix
	hasCodes
	hasStances
	hasCred
	hasNote
	hasAuthor
	hasCreated
	hasModified
	hasAnchor
	hasScore
	hasConflicts
	createdUTC
	modifiedUTC
)

// isAnnCodec reports whether a record is a binary annotation.
func isAnnCodec(v []byte) bool { return len(v) > 0 && (v[0] == annCodecV1 || v[0] == annCodecV2) }

// decodeRec decodes a stored record of any kind into t. An annotation may
// keep its quote in its source's text, which texts gives (see annTexts);
// records of other kinds take nil.
func decodeRec[T any](v []byte, t *T, texts *annTexts) error {
	if a, ok := any(t).(*annotate.Annotation); ok && isAnnCodec(v) {
		return decodeAnn(v, a, texts, true)
	}
	if s, ok := any(t).(*annotate.Source); ok && isSrcCodec(v) {
		return decodeSource(v, s)
	}
	return json.Unmarshal(v, t)
}

// encodeRec encodes a record for storing. An annotation is written whole,
// its quote included (see encodeAnnIn for one kept in its text).
func encodeRec(v any) ([]byte, error) {
	switch a := v.(type) {
	case annotate.Annotation:
		return encodeAnn(&a, nil, annCodecV2)
	case *annotate.Annotation:
		return encodeAnn(a, nil, annCodecV2)
	case annotate.Source:
		return encodeSource(&a)
	case *annotate.Source:
		return encodeSource(a)
	}
	return json.Marshal(v)
}

// encodeAnnIn encodes an annotation, keeping its quote, prefix and suffix
// as places in its source's text where they equal it (when texts has the
// text).
func encodeAnnIn(a *annotate.Annotation, texts *annTexts) ([]byte, error) {
	var q *quoteText
	if texts != nil {
		q = texts.source(a.SourceID)
	}
	return encodeAnn(a, q, annCodecV2)
}

// encodeAnn writes version annCodecV2, or annCodecV1 (which files of
// schemas 7 and 8 hold, and tests write to migrate from): V2 without the
// xflags byte, so without anything kept in the text.
func encodeAnn(a *annotate.Annotation, q *quoteText, version byte) ([]byte, error) {
	var flags uint64
	set := func(bit uint64, on bool) {
		if on {
			flags |= bit
		}
	}
	sel := a.Selector
	set(hasPrefix, sel.Prefix != "")
	set(hasSuffix, sel.Suffix != "")
	set(hasCodes, len(a.Codes) > 0)
	set(hasStances, len(a.Stances) > 0)
	set(hasCred, a.Credibility != 0)
	set(hasNote, a.Note != "")
	set(hasAuthor, a.Author != "")
	set(hasCreated, !a.Created.IsZero())
	set(hasModified, !a.Modified.IsZero())
	set(hasAnchor, a.Anchor != "")
	set(hasScore, a.Score != 0)
	set(hasConflicts, len(a.Conflicts) > 0)
	set(createdUTC, a.Created.Location() == time.UTC)
	set(modifiedUTC, a.Modified.Location() == time.UTC)
	var xflags byte
	var np, ns int // the prefix's and suffix's code points, when in the text
	var sum uint32
	if q != nil && version == annCodecV2 {
		xflags, np, ns, sum = q.match(sel)
	}
	// Equal instants, zones and UTC-ness encode to the same bytes, and so
	// decode to the same time.
	if version == annCodecV2 && flags&hasModified != 0 && flags&hasCreated != 0 && a.Modified.Equal(a.Created) &&
		(flags&createdUTC != 0) == (flags&modifiedUTC != 0) && zoneOffset(a.Modified) == zoneOffset(a.Created) {
		xflags |= modifiedIsCreated
	}
	n := 40 + len(a.ID) + len(a.SourceID) + len(a.Note) + len(a.Author)
	for _, k := range []struct {
		bit byte
		s   string
	}{{exactInText, sel.Exact}, {prefixInText, sel.Prefix}, {suffixInText, sel.Suffix}} {
		if xflags&k.bit == 0 {
			n += len(k.s)
		}
	}
	for _, c := range a.Codes {
		n += len(c) + 2
	}
	for _, m := range a.Stances {
		n += len(m.Target) + len(m.Stance) + 4
	}
	buf := make([]byte, 0, n)
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	buf = append(buf, version)
	buf = binary.AppendUvarint(buf, flags)
	str(a.ID)
	str(a.SourceID)
	buf = binary.AppendVarint(buf, int64(sel.Start))
	buf = binary.AppendVarint(buf, int64(sel.End)-int64(sel.Start))
	if version == annCodecV2 {
		buf = append(buf, xflags)
	}
	if xflags&exactInText == 0 {
		str(sel.Exact)
	}
	switch {
	case xflags&prefixInText != 0:
		buf = binary.AppendUvarint(buf, uint64(np))
	case flags&hasPrefix != 0:
		str(sel.Prefix)
	}
	switch {
	case xflags&suffixInText != 0:
		buf = binary.AppendUvarint(buf, uint64(ns))
	case flags&hasSuffix != 0:
		str(sel.Suffix)
	}
	if xflags&(exactInText|prefixInText|suffixInText) != 0 {
		buf = binary.LittleEndian.AppendUint32(buf, sum)
	}
	if flags&hasCodes != 0 {
		buf = binary.AppendUvarint(buf, uint64(len(a.Codes)))
		for _, c := range a.Codes {
			str(c)
		}
	}
	if flags&hasStances != 0 {
		buf = binary.AppendUvarint(buf, uint64(len(a.Stances)))
		for _, m := range a.Stances {
			str(m.Target)
			str(string(m.Stance))
		}
	}
	if flags&hasCred != 0 {
		buf = binary.AppendVarint(buf, int64(a.Credibility))
	}
	if flags&hasNote != 0 {
		str(a.Note)
	}
	if flags&hasAuthor != 0 {
		str(a.Author)
	}
	if flags&hasCreated != 0 {
		buf = appendTime(buf, a.Created, flags&createdUTC != 0)
	}
	if flags&hasModified != 0 && xflags&modifiedIsCreated == 0 {
		buf = appendTime(buf, a.Modified, flags&modifiedUTC != 0)
	}
	if flags&hasAnchor != 0 {
		str(string(a.Anchor))
	}
	if flags&hasScore != 0 {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(a.Score))
	}
	if flags&hasConflicts != 0 {
		// Rare (left by merges): JSON keeps this part simple.
		raw, err := json.Marshal(a.Conflicts)
		if err != nil {
			return nil, fmt.Errorf("annotation %s: encoding its conflicts: %w", a.ID, err)
		}
		str(string(raw))
	}
	return buf, nil
}

// zoneOffset is a time's offset from UTC in seconds.
func zoneOffset(t time.Time) int {
	_, off := t.Zone()
	return off
}

// appendTime keeps what JSON kept: the instant to the nanosecond and the
// zone offset (UTC apart, so it decodes to the same UTC location).
func appendTime(buf []byte, t time.Time, utc bool) []byte {
	buf = binary.AppendVarint(buf, t.Unix())
	buf = binary.AppendUvarint(buf, uint64(t.Nanosecond()))
	if !utc {
		_, off := t.Zone()
		buf = binary.AppendVarint(buf, int64(off))
	}
	return buf
}

var errShort = errors.New("record ends early")

// annReader reads a binary annotation; the first error sticks, so decoding
// damaged bytes is bounded by their length and never panics.
type annReader struct {
	b     []byte
	err   error
	names *annTexts // shares short names across records; nil copies each
	// own, when set, is a copy of the bytes b started as: strings are cut
	// from it instead of each being copied (see decodeSource).
	own string
}

func (r *annReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *annReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *annReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.err = errShort
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *annReader) uint32() uint32 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 4 {
		r.err = errShort
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *annReader) str() string { return r.strIn(nil) }

// name reads a string that many records share (see annTexts.name).
func (r *annReader) name() string { return r.strIn(r.names) }

func (r *annReader) strIn(names *annTexts) string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = errShort
		return ""
	}
	b := r.b[:n]
	r.b = r.b[n:]
	if !utf8.Valid(b) {
		r.err = errors.New("text is not UTF-8")
		return ""
	}
	if names != nil {
		return names.name(b)
	}
	if r.own != "" {
		end := len(r.own) - len(r.b) // b ends where the unread bytes begin
		return r.own[end-len(b) : end]
	}
	return string(b) // a copy: nothing aliases bbolt's memory
}

// count reads a list length, refusing one that the remaining bytes cannot
// hold (each element takes at least one byte), so damage cannot make it
// allocate without bound.
func (r *annReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errShort
		return 0
	}
	return int(n)
}

func (r *annReader) time(utc bool) time.Time {
	sec := r.varint()
	nsec := r.uvarint()
	if r.err == nil && nsec >= 1e9 {
		r.err = errors.New("time has more than a second of nanoseconds")
	}
	if utc {
		return time.Unix(sec, int64(nsec)).UTC()
	}
	off := r.varint()
	if off < -24*3600 || off > 24*3600 {
		r.err = errors.New("time zone offset out of range")
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	// As encoding/json's time parsing does: the local zone when the
	// offset is the local one, else a fixed offset.
	if _, local := t.Zone(); int64(local) == off {
		return t
	}
	return t.In(time.FixedZone("", int(off)))
}

// decodeAnn decodes a binary annotation. A quote kept in the source's text
// is taken from texts; with resolve false (checks of a record's shape) it
// is left empty and texts is not needed.
func decodeAnn(v []byte, a *annotate.Annotation, texts *annTexts, resolve bool) error {
	return decodeAnnFrom(&annReader{b: v[1:], names: texts}, v, a, texts, resolve)
}

// checkAnn reports whether an annotation record decodes, as decodeRec
// would decode it, into a (scratch: what it holds is views of v and of
// texts, so nothing decoded may be kept past the transaction). Checking
// every record of a large project (UnreadableAnnotations) this way
// leaves little garbage: the copies made a 54 MB heap of it at 200,000.
// texts should be views (annTexts.views).
func checkAnn(v []byte, a *annotate.Annotation, texts *annTexts) error {
	if !isAnnCodec(v) {
		return decodeRec(v, a, texts)
	}
	return decodeAnnFrom(&annReader{b: v[1:], names: texts, own: unsafe.String(unsafe.SliceData(v[1:]), len(v)-1)}, v, a, texts, true)
}

// decodeAnnFrom is decodeAnn with its reader r over v.
func decodeAnnFrom(r *annReader, v []byte, a *annotate.Annotation, texts *annTexts, resolve bool) error {
	*a = annotate.Annotation{}
	flags := r.uvarint()
	a.ID = r.str()
	a.SourceID = r.name()
	start, length := r.varint(), r.varint()
	if r.err == nil && (start < math.MinInt32 || start > math.MaxInt32 || length < math.MinInt32 || length > math.MaxInt32) {
		r.err = errors.New("selector position out of range")
	}
	a.Selector.Start, a.Selector.End = int(start), int(start+length)
	var xflags byte
	if v[0] == annCodecV2 {
		xflags = r.byte()
		if r.err == nil && xflags >= modifiedIsCreated<<1 {
			r.err = fmt.Errorf("unknown flags %#x", xflags)
		}
	}
	inText := xflags&(exactInText|prefixInText|suffixInText) != 0
	var np, ns uint64
	if xflags&exactInText == 0 {
		a.Selector.Exact = r.str()
	}
	switch {
	case xflags&prefixInText != 0:
		if np = r.uvarint(); r.err == nil && (np == 0 || flags&hasPrefix == 0) {
			r.err = errors.New("prefix in the text without a length")
		}
	case flags&hasPrefix != 0:
		a.Selector.Prefix = r.str()
	}
	switch {
	case xflags&suffixInText != 0:
		if ns = r.uvarint(); r.err == nil && (ns == 0 || flags&hasSuffix == 0) {
			r.err = errors.New("suffix in the text without a length")
		}
	case flags&hasSuffix != 0:
		a.Selector.Suffix = r.str()
	}
	var sum uint32
	if inText {
		sum = r.uint32()
	}
	if r.err == nil && inText && resolve {
		r.err = texts.quote(a, xflags, np, ns, sum)
	}
	if flags&hasCodes != 0 {
		// An empty list decodes as none, as the encoder writes it, so a
		// record round-trips to the same annotation.
		if n := r.count(); n > 0 {
			a.Codes = make([]string, 0, n)
		}
		for i := 0; i < cap(a.Codes) && r.err == nil; i++ {
			a.Codes = append(a.Codes, r.name())
		}
	}
	if flags&hasStances != 0 {
		if n := r.count(); n > 0 {
			a.Stances = make([]annotate.StanceMark, 0, n)
		}
		for i := 0; i < cap(a.Stances) && r.err == nil; i++ {
			t := r.name()
			a.Stances = append(a.Stances, annotate.StanceMark{Target: t, Stance: annotate.Stance(r.name())})
		}
	}
	if flags&hasCred != 0 {
		c := r.varint()
		if c < math.MinInt32 || c > math.MaxInt32 {
			r.err = errors.New("credibility out of range")
		}
		a.Credibility = annotate.Credibility(c)
	}
	if flags&hasNote != 0 {
		a.Note = r.str()
	}
	if flags&hasAuthor != 0 {
		a.Author = r.name()
	}
	if flags&hasCreated != 0 {
		a.Created = r.time(flags&createdUTC != 0)
	}
	switch {
	case xflags&modifiedIsCreated != 0:
		if r.err == nil && flags&(hasCreated|hasModified) != hasCreated|hasModified {
			r.err = errors.New("modified as created, without both")
		}
		a.Modified = a.Created
	case flags&hasModified != 0:
		a.Modified = r.time(flags&modifiedUTC != 0)
	}
	if flags&hasAnchor != 0 {
		a.Anchor = annotate.AnchorState(r.name())
	}
	if flags&hasScore != 0 {
		if len(r.b) < 8 {
			r.err = errShort
		} else {
			a.Score = math.Float64frombits(binary.LittleEndian.Uint64(r.b))
			r.b = r.b[8:]
		}
	}
	if flags&hasConflicts != 0 {
		raw := r.str()
		if r.err == nil {
			if err := json.Unmarshal([]byte(raw), &a.Conflicts); err != nil {
				r.err = fmt.Errorf("conflicts: %v", err)
			}
			if len(a.Conflicts) == 0 {
				a.Conflicts = nil // as the encoder writes none
			}
		}
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("%d bytes left over", len(r.b))
	}
	if r.err != nil {
		return fmt.Errorf("annotation record: %v", r.err)
	}
	return nil
}

// annSourceID reads only an annotation record's source, for walks that
// filter by it.
func annSourceID(v []byte) (string, bool) {
	if isAnnCodec(v) {
		r := &annReader{b: v[1:]}
		r.uvarint()
		r.str()
		s := r.str()
		return s, r.err == nil
	}
	var probe struct {
		SourceID string `json:"sourceId"`
	}
	return probe.SourceID, json.Unmarshal(v, &probe) == nil
}

// recordID reads the ID a record carries, whatever its encoding.
func recordID(v []byte) (string, bool) {
	if isAnnCodec(v) || isSrcCodec(v) { // both begin with their flags and ID
		r := &annReader{b: v[1:]}
		r.uvarint()
		id := r.str()
		return id, r.err == nil
	}
	var probe struct{ ID string }
	if len(v) == 0 || v[0] != '{' || json.Unmarshal(v, &probe) != nil {
		return "", false
	}
	return probe.ID, true
}

// recModified is a record's "modified" stamp (zero when it has none).
func recModified(v []byte) time.Time {
	if isAnnCodec(v) {
		var a annotate.Annotation
		_ = decodeAnn(v, &a, nil, false)
		return a.Modified
	}
	var probe struct{ Modified time.Time }
	_ = json.Unmarshal(v, &probe)
	return probe.Modified
}

// recordValid reports whether a record decodes at all (an annotation's
// quote kept in its text apart: that needs the text).
func recordValid(v []byte) bool {
	var a annotate.Annotation
	return recordValidInto(v, &a)
}

// recordValidInto is recordValid decoding an annotation into scratch a.
func recordValidInto(v []byte, a *annotate.Annotation) bool {
	if isAnnCodec(v) {
		// Its strings as views of v, not copies: only whether it decodes
		// is kept (copies were 77 MB of a backup's garbage at 200,000).
		return decodeAnnFrom(&annReader{b: v[1:], own: unsafe.String(unsafe.SliceData(v[1:]), len(v)-1)}, v, a, nil, false) == nil
	}
	if isSrcCodec(v) {
		var s annotate.Source
		return decodeSource(v, &s) == nil
	}
	return json.Valid(v)
}
