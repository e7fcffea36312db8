package refiqda

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"

	"gloss/annotate"
)

// Part is one piece of a project read by StreamQDPX. Every part carries
// the project's name, codes and stance targets, so each can be merged on
// its own (annotate.MergeChange maps codes and targets by name the same
// way every time); sources come with their annotations; the last part has
// the links and claims.
type Part struct {
	*annotate.Project
	// Again counts the first sources of Project.Sources that an earlier
	// part already carried: the last part repeats the sources its links
	// and claims point into, so a merge can map them to the project's own.
	Again int
	// Last is set on the part with the links and claims.
	Last bool
}

// StreamQDPX reads a .qdpx archive part by part, calling emit with parts
// of about batchBytes of text and annotations each (batchBytes <= 0: one
// part with everything). project.qde is never held whole: its sources are
// decoded one at a time and spooled (to a temporary file when large),
// since the notes and links they refer to come after them in the file.
//
// The parts are checked as ReadQDPX checks a project, except the final
// whole-project validation: a caller applying parts one by one validates
// each as it applies it. An error (from reading or from emit) stops the
// read; the caller undoes what it did with the earlier parts.
func StreamQDPX(r io.ReaderAt, size int64, opt ReadOptions, batchBytes int, emit func(Part) error) error {
	opt.defaults()
	ar, err := openArchive(r, size, opt)
	if err != nil {
		return err
	}
	f := ar.find(projectEntry)
	if f == nil {
		return fmt.Errorf("the archive has no %s: not a REFI-QDA project", projectEntry)
	}
	sp, err := newSpool(f.UncompressedSize64)
	if err != nil {
		return err
	}
	defer sp.close()
	var xp *xProject
	err = ar.inflate(f, false, func(rd io.Reader) error {
		var err error
		xp, err = parseProjectStream(rd, sp)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	im := &importer{ar: ar, xp: xp, opt: opt, qde: f.Name, p: &annotate.Project{Name: xp.Name},
		known: map[string]string{}, users: map[string]string{}, notes: map[string]string{},
		codes: map[string]*codeInfo{}, sels: map[string]*selInfo{}, seed: maphash.MakeSeed(),
		srcByGUID: map[string]string{}, usedIDs: map[uint64]uint64{}, usedGUIDs: map[uint64]struct{}{}, names: map[string][2]string{},
		annByGUID: map[string]string{}, targetByGUID: map[string]string{},
		spool: sp, batchBytes: batchBytes, emit: emit}
	return im.run()
}

// spool keeps decoded TextSource elements until the notes and links that
// follow them in project.qde have been read. Small projects stay in
// memory; large ones go to a temporary file, read back in order.
type spool struct {
	buf   bytes.Buffer
	f     *os.File
	bw    *bufio.Writer
	enc   *gob.Encoder
	n     int      // TextSources spooled
	guids []string // their GUIDs, in order
	skip  int      // PDF, picture, audio and video sources, only counted
}

// spoolInMemory is the largest project.qde whose sources are spooled in
// memory (a variable so a test can send a small one to a file).
var spoolInMemory uint64 = 16 << 20

func newSpool(qdeSize uint64) (*spool, error) {
	sp := &spool{}
	var w io.Writer = &sp.buf
	if qdeSize > spoolInMemory {
		f, err := os.CreateTemp("", "gloss-qdpx-read-*")
		if err != nil {
			return nil, fmt.Errorf("REFI-QDA import: temporary file: %w", err)
		}
		sp.f = f
		sp.bw = bufio.NewWriterSize(f, 256<<10)
		w = sp.bw
	}
	sp.enc = gob.NewEncoder(w)
	return sp, nil
}

// spooled is a TextSource as spooled: gob sends a pointer to an empty
// string as no pointer, and an empty <PlainTextContent/> is a text.
type spooled struct {
	TS         xTextSource
	EmptyPlain bool
}

func (sp *spool) put(ts *xTextSource) error {
	sp.n++
	sp.guids = append(sp.guids, ts.GUID)
	rec := spooled{TS: *ts, EmptyPlain: ts.PlainTextContent != nil && *ts.PlainTextContent == ""}
	if err := sp.enc.Encode(&rec); err != nil {
		return fmt.Errorf("REFI-QDA import: spooling source %q: %w", ts.Name, err)
	}
	return nil
}

// each decodes the spooled sources in order.
func (sp *spool) each(fn func(ts *xTextSource) error) error {
	var rd io.Reader = &sp.buf
	if sp.f != nil {
		if err := sp.bw.Flush(); err != nil {
			return fmt.Errorf("REFI-QDA import: temporary file: %w", err)
		}
		if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("REFI-QDA import: temporary file: %w", err)
		}
		rd = bufio.NewReaderSize(sp.f, 256<<10)
	}
	dec := gob.NewDecoder(rd)
	for i := 0; i < sp.n; i++ {
		var rec spooled
		if err := dec.Decode(&rec); err != nil {
			return fmt.Errorf("REFI-QDA import: reading back spooled source %d: %w", i+1, err)
		}
		if rec.EmptyPlain {
			rec.TS.PlainTextContent = new(string)
		}
		if err := fn(&rec.TS); err != nil {
			return err
		}
	}
	return nil
}

func (sp *spool) close() {
	if sp.f != nil {
		sp.f.Close()
		os.Remove(sp.f.Name())
	}
}

// parseProjectStream reads project.qde element by element: every child of
// <Project> but <Sources> is decoded into xp as Decode would; each source
// is decoded alone and spooled.
func parseProjectStream(rd io.Reader, sp *spool) (*xProject, error) {
	br := bufio.NewReaderSize(rd, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) { // some Windows tools write a BOM
		br.Discard(3)
	}
	dec := xml.NewDecoder(br)
	dec.Strict = true
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("encoding %q is not supported; QDA-XML is UTF-8", label)
	}
	xp := &xProject{}
	root := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !root {
				if t.Name.Local != "Project" {
					return nil, fmt.Errorf("the root element is <%s>, not <Project>", t.Name.Local)
				}
				if t.Name.Space != "" && t.Name.Space != ProjectNS {
					return nil, fmt.Errorf("the root element is in namespace %q, not %s", t.Name.Space, ProjectNS)
				}
				xp.XMLName = t.Name
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "name":
						xp.Name = a.Value
					case "origin":
						xp.Origin = a.Value
					}
				}
				root = true
				continue
			}
			var v any
			switch t.Name.Local {
			case "Sources":
				if err := spoolSources(dec, sp); err != nil {
					return nil, err
				}
				continue
			case "Users":
				xp.Users = &xUsers{}
				v = xp.Users
			case "CodeBook":
				xp.CodeBook = &xCodeBookInProject{}
				v = xp.CodeBook
			case "Variables":
				xp.Variables = &xVariables{}
				v = xp.Variables
			case "Notes":
				xp.Notes = &xNotes{}
				if err := decodeList(dec, "Note", &xp.Notes.Note); err != nil {
					return nil, xmlErr(err)
				}
				continue
			case "Links":
				xp.Links = &xLinks{}
				if err := decodeList(dec, "Link", &xp.Links.Link); err != nil {
					return nil, xmlErr(err)
				}
				continue
			case "Sets":
				xp.Sets = &xSets{}
				v = xp.Sets
			case "Description":
				v = &xp.Description
			case "NoteRef":
				xp.NoteRefs = append(xp.NoteRefs, xRef{})
				v = &xp.NoteRefs[len(xp.NoteRefs)-1]
			default:
				if err := dec.Skip(); err != nil {
					return nil, xmlErr(err)
				}
				continue
			}
			if err := dec.DecodeElement(v, &t); err != nil {
				return nil, xmlErr(err)
			}
		case xml.EndElement: // the root's: the rest is not read, as Decode does not
			return xp, nil
		}
	}
}

// spoolSources decodes the children of <Sources> one at a time.
func spoolSources(dec *xml.Decoder, sp *spool) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			return xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "TextSource":
				var ts xTextSource
				if err := dec.DecodeElement(&ts, &t); err != nil {
					return xmlErr(err)
				}
				if err := sp.put(&ts); err != nil {
					return err
				}
				continue
			case "PictureSource", "PDFSource", "AudioSource", "VideoSource":
				sp.skip++
			}
			if err := dec.Skip(); err != nil {
				return xmlErr(err)
			}
		case xml.EndElement:
			return nil
		}
	}
}

func xmlErr(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("malformed XML at line %d: %s", se.Line, se.Msg)
	}
	return fmt.Errorf("malformed XML: %w", err)
}

// decodeList decodes the children called name of the element just begun
// into list, as encoding/xml decodes a slice field, up to the element's
// end. One by one: encoding/xml grows the slice by reflection, and the
// last growth of 10^5 notes was a 100 ms copy the scheduler cannot come
// into (see annotate.AppendLarge).
func decodeList[T any](dec *xml.Decoder, name string, list *[]T) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != name {
				if err := dec.Skip(); err != nil {
					return err
				}
				continue
			}
			var v T
			if err := dec.DecodeElement(&v, &t); err != nil {
				return err
			}
			*list = annotate.AppendLarge(*list, v)
		case xml.EndElement:
			return nil
		}
	}
}
