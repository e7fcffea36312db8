package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"gloss/annotate"
)

// Records are JSON, except annotations from schema 7 on: they are most of
// the file (200,000 in a large project), and JSON spent about a third of
// each record on key names and RFC 3339 times, and most of the time of a
// whole read decoding them. An annotation is now a compact binary record
// whose first byte (annCodecV1) can never start a JSON value, so a record
// of either kind decodes wherever it is found (files migrated from older
// schemas, salvaged records).
const annCodecV1 = 0x01

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

// decodeRec decodes a stored record of any kind into t.
func decodeRec[T any](v []byte, t *T) error {
	if a, ok := any(t).(*annotate.Annotation); ok && len(v) > 0 && v[0] == annCodecV1 {
		return decodeAnn(v, a)
	}
	return json.Unmarshal(v, t)
}

// encodeRec encodes a record for storing.
func encodeRec(v any) ([]byte, error) {
	switch a := v.(type) {
	case annotate.Annotation:
		return encodeAnn(&a)
	case *annotate.Annotation:
		return encodeAnn(a)
	}
	return json.Marshal(v)
}

func encodeAnn(a *annotate.Annotation) ([]byte, error) {
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
	n := 32 + len(a.ID) + len(a.SourceID) + len(sel.Exact) + len(sel.Prefix) + len(sel.Suffix) + len(a.Note) + len(a.Author)
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
	buf = append(buf, annCodecV1)
	buf = binary.AppendUvarint(buf, flags)
	str(a.ID)
	str(a.SourceID)
	buf = binary.AppendVarint(buf, int64(sel.Start))
	buf = binary.AppendVarint(buf, int64(sel.End)-int64(sel.Start))
	str(sel.Exact)
	if flags&hasPrefix != 0 {
		str(sel.Prefix)
	}
	if flags&hasSuffix != 0 {
		str(sel.Suffix)
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
	if flags&hasModified != 0 {
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
	b   []byte
	err error
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

func (r *annReader) str() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = errShort
		return ""
	}
	s := string(r.b[:n]) // a copy: nothing aliases bbolt's memory
	r.b = r.b[n:]
	if !utf8.ValidString(s) {
		r.err = errors.New("text is not UTF-8")
	}
	return s
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

func decodeAnn(v []byte, a *annotate.Annotation) error {
	r := &annReader{b: v[1:]}
	*a = annotate.Annotation{}
	flags := r.uvarint()
	a.ID = r.str()
	a.SourceID = r.str()
	start, length := r.varint(), r.varint()
	if r.err == nil && (start < math.MinInt32 || start > math.MaxInt32 || length < math.MinInt32 || length > math.MaxInt32) {
		r.err = errors.New("selector position out of range")
	}
	a.Selector.Start, a.Selector.End = int(start), int(start+length)
	a.Selector.Exact = r.str()
	if flags&hasPrefix != 0 {
		a.Selector.Prefix = r.str()
	}
	if flags&hasSuffix != 0 {
		a.Selector.Suffix = r.str()
	}
	if flags&hasCodes != 0 {
		n := r.count()
		a.Codes = make([]string, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			a.Codes = append(a.Codes, r.str())
		}
	}
	if flags&hasStances != 0 {
		n := r.count()
		a.Stances = make([]annotate.StanceMark, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			t := r.str()
			a.Stances = append(a.Stances, annotate.StanceMark{Target: t, Stance: annotate.Stance(r.str())})
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
		a.Author = r.str()
	}
	if flags&hasCreated != 0 {
		a.Created = r.time(flags&createdUTC != 0)
	}
	if flags&hasModified != 0 {
		a.Modified = r.time(flags&modifiedUTC != 0)
	}
	if flags&hasAnchor != 0 {
		a.Anchor = annotate.AnchorState(r.str())
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
	if len(v) > 0 && v[0] == annCodecV1 {
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
	if len(v) > 0 && v[0] == annCodecV1 {
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
	if len(v) > 0 && v[0] == annCodecV1 {
		var a annotate.Annotation
		_ = decodeAnn(v, &a)
		return a.Modified
	}
	var probe struct{ Modified time.Time }
	_ = json.Unmarshal(v, &probe)
	return probe.Modified
}

// recordValid reports whether a record decodes at all.
func recordValid(v []byte) bool {
	if len(v) > 0 && v[0] == annCodecV1 {
		var a annotate.Annotation
		return decodeAnn(v, &a) == nil
	}
	return json.Valid(v)
}
