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

// From schema 10 a source record is binary too (srcCodecV1). The window
// reads every source record before its first frame; decoding 10,000 of
// them as JSON was about 80 ms of the 100 ms that read took, and 18
// allocations each. Like an annotation's, the first byte can never start
// a JSON value, so records of either kind decode wherever they are found.
const srcCodecV1 = 0x03

// Presence bits of a binary source: a field left empty takes no bytes.
const (
	srcHasTitle = 1 << iota
	srcHasOutlet
	srcHasAuthor
	srcHasURL
	srcHasPublished
	srcHasLanguage
	srcHasKind
	srcHasHash
	srcHasLength
	srcHasImported
	srcImportedUTC
	srcHasFileName
	srcHasReliability
	srcHasReliabilityNote
	srcStateAffiliated
	srcMachineTranslated
	srcHasNote
	srcHasOriginals
	srcHasFigureMarks
	srcLastFlag = srcHasFigureMarks
)

// Flags of one figure mark.
const (
	markSplit = 1 << iota
	markPreferred
	markIgnore
)

// isSrcCodec reports whether a record is a binary source.
func isSrcCodec(v []byte) bool { return len(v) > 0 && v[0] == srcCodecV1 }

// encodeSource writes a source as srcCodecV1. A source with a string that
// is not UTF-8 is written as JSON, as before: JSON replaces the bad bytes,
// and the binary reader would refuse them.
func encodeSource(s *annotate.Source) ([]byte, error) {
	strs := []string{s.ID, s.Title, s.Outlet, s.Author, s.URL, s.Published, string(s.Language), string(s.Kind),
		s.ContentHash, s.FileName, string(s.Reliability), s.ReliabilityNote, s.Note}
	strs = append(strs, s.Originals...)
	for _, m := range s.FigureMarks {
		strs = append(strs, m.Figure, m.Group)
	}
	for _, x := range strs {
		if !utf8.ValidString(x) {
			return json.Marshal(s)
		}
	}
	var flags uint64
	set := func(bit uint64, on bool) {
		if on {
			flags |= bit
		}
	}
	set(srcHasTitle, s.Title != "")
	set(srcHasOutlet, s.Outlet != "")
	set(srcHasAuthor, s.Author != "")
	set(srcHasURL, s.URL != "")
	set(srcHasPublished, s.Published != "")
	set(srcHasLanguage, s.Language != "")
	set(srcHasKind, s.Kind != "")
	set(srcHasHash, s.ContentHash != "")
	set(srcHasLength, s.Length != 0)
	set(srcHasImported, !s.ImportedAt.IsZero())
	set(srcImportedUTC, s.ImportedAt.Location() == time.UTC)
	set(srcHasFileName, s.FileName != "")
	set(srcHasReliability, s.Reliability != "")
	set(srcHasReliabilityNote, s.ReliabilityNote != "")
	set(srcStateAffiliated, s.StateAffiliated)
	set(srcMachineTranslated, s.MachineTranslated)
	set(srcHasNote, s.Note != "")
	set(srcHasOriginals, len(s.Originals) > 0)
	set(srcHasFigureMarks, len(s.FigureMarks) > 0)

	buf := make([]byte, 0, 64+len(s.ID)+len(s.Title)+len(s.Outlet)+len(s.URL)+len(s.ContentHash)+len(s.Note))
	buf = append(buf, srcCodecV1)
	buf = binary.AppendUvarint(buf, flags)
	str := func(x string) {
		buf = binary.AppendUvarint(buf, uint64(len(x)))
		buf = append(buf, x...)
	}
	opt := func(bit uint64, x string) {
		if flags&bit != 0 {
			str(x)
		}
	}
	str(s.ID)
	opt(srcHasTitle, s.Title)
	opt(srcHasOutlet, s.Outlet)
	opt(srcHasAuthor, s.Author)
	opt(srcHasURL, s.URL)
	opt(srcHasPublished, s.Published)
	opt(srcHasLanguage, string(s.Language))
	opt(srcHasKind, string(s.Kind))
	opt(srcHasHash, s.ContentHash)
	if flags&srcHasLength != 0 {
		buf = binary.AppendVarint(buf, int64(s.Length))
	}
	if flags&srcHasImported != 0 {
		buf = appendTime(buf, s.ImportedAt, flags&srcImportedUTC != 0)
	}
	opt(srcHasFileName, s.FileName)
	opt(srcHasReliability, string(s.Reliability))
	opt(srcHasReliabilityNote, s.ReliabilityNote)
	opt(srcHasNote, s.Note)
	if flags&srcHasOriginals != 0 {
		buf = binary.AppendUvarint(buf, uint64(len(s.Originals)))
		for _, o := range s.Originals {
			str(o)
		}
	}
	if flags&srcHasFigureMarks != 0 {
		buf = binary.AppendUvarint(buf, uint64(len(s.FigureMarks)))
		for _, m := range s.FigureMarks {
			str(m.Figure)
			str(m.Group)
			var mf byte
			if m.Split {
				mf |= markSplit
			}
			if m.Preferred {
				mf |= markPreferred
			}
			if m.Ignore {
				mf |= markIgnore
			}
			buf = append(buf, mf)
		}
	}
	return buf, nil
}

// decodeSource decodes a binary source. Its strings are cut from one copy
// of the record, one allocation where each field was one.
func decodeSource(v []byte, s *annotate.Source) error {
	*s = annotate.Source{}
	r := &annReader{b: v[1:], own: string(v[1:])}
	flags := r.uvarint()
	if r.err == nil && flags >= srcLastFlag<<1 {
		r.err = fmt.Errorf("unknown flags %#x", flags)
	}
	opt := func(bit uint64) string {
		if flags&bit == 0 {
			return ""
		}
		return r.str()
	}
	s.ID = r.str()
	s.Title = opt(srcHasTitle)
	s.Outlet = opt(srcHasOutlet)
	s.Author = opt(srcHasAuthor)
	s.URL = opt(srcHasURL)
	s.Published = opt(srcHasPublished)
	s.Language = annotate.Language(opt(srcHasLanguage))
	s.Kind = annotate.Kind(opt(srcHasKind))
	s.ContentHash = opt(srcHasHash)
	if flags&srcHasLength != 0 {
		n := r.varint()
		if r.err == nil && (n < math.MinInt32 || n > math.MaxInt32) {
			r.err = errors.New("length out of range")
		}
		s.Length = int(n)
	}
	if flags&srcHasImported != 0 {
		s.ImportedAt = r.time(flags&srcImportedUTC != 0)
	}
	s.FileName = opt(srcHasFileName)
	s.Reliability = annotate.Reliability(opt(srcHasReliability))
	s.ReliabilityNote = opt(srcHasReliabilityNote)
	s.StateAffiliated = flags&srcStateAffiliated != 0
	s.MachineTranslated = flags&srcMachineTranslated != 0
	s.Note = opt(srcHasNote)
	if flags&srcHasOriginals != 0 {
		n := r.count()
		if r.err == nil && n == 0 {
			r.err = errors.New("an empty list of originals")
		}
		s.Originals = make([]string, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			s.Originals = append(s.Originals, r.str())
		}
	}
	if flags&srcHasFigureMarks != 0 {
		n := r.count()
		if r.err == nil && n == 0 {
			r.err = errors.New("an empty list of figure marks")
		}
		s.FigureMarks = make([]annotate.FigureMark, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			m := annotate.FigureMark{Figure: r.str(), Group: r.str()}
			mf := r.byte()
			if r.err == nil && mf >= markIgnore<<1 {
				r.err = fmt.Errorf("unknown figure mark flags %#x", mf)
			}
			m.Split, m.Preferred, m.Ignore = mf&markSplit != 0, mf&markPreferred != 0, mf&markIgnore != 0
			s.FigureMarks = append(s.FigureMarks, m)
		}
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("%d bytes after the record", len(r.b))
	}
	if r.err != nil {
		*s = annotate.Source{}
		return fmt.Errorf("source record: %v", r.err)
	}
	return nil
}
