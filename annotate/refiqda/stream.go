package refiqda

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"gloss/annotate"
)

// WriteQDPXReader writes the project r reads as a .qdpx archive,
// streaming: one source's text and annotations are in memory at a time,
// plus every source's metadata, the links and the claims, which are small
// beside them. Each source's text entry is written as its source is read;
// its XML (and the notes and GUID table) go to temporary files, copied
// into project.qde and gloss-ids.json once the walk is done, since
// project.qde lists users and the codebook before the sources.
//
// A project that is inconsistent (a quote that no longer matches its
// text, a reference to a record that does not exist) is an error naming
// the record. The error can come after part of the archive was written,
// so callers write to a temporary file and keep it only on success.
func WriteQDPXReader(w io.Writer, r annotate.Reader, opt Options) error {
	if r == nil {
		return fmt.Errorf("REFI-QDA export: no project")
	}
	if opt.Time.IsZero() {
		opt.Time = time.Now()
	}
	sw := &qdpxWriter{r: r, opt: opt, srcByID: map[string]*annotate.Source{}, ends: map[string][]linkEnd{},
		cited: map[string]*annotate.Annotation{}}
	defer sw.cleanup()
	if err := sw.prewalk(); err != nil {
		return err
	}
	if err := sw.write(w); err != nil {
		return err
	}
	return nil
}

type linkEnd struct{ link, end int } // end 0 is From, i is To[i-1]

type qdpxWriter struct {
	r       annotate.Reader
	opt     Options
	meta    *annotate.Index // codes and targets only
	sources []annotate.Source
	srcByID map[string]*annotate.Source
	links   []annotate.Link
	linkErr [][]error
	ends    map[string][]linkEnd // source ID -> link ends in it
	claims  []annotate.Claim
	cited   map[string]*annotate.Annotation // evidence annotation ID -> its source and selector, once read

	e       *exporter
	tmp     []*os.File
	srcXML  *tmpXML
	noteXML *tmpXML
	idsOut  *bufio.Writer
	idsN    int
}

// tmpXML is a temporary file of XML elements at one depth.
type tmpXML struct {
	f   *os.File
	bw  *bufio.Writer
	enc *xml.Encoder
	n   int
}

func (sw *qdpxWriter) temp() (*os.File, error) {
	f, err := os.CreateTemp("", "gloss-qdpx-*")
	if err != nil {
		return nil, fmt.Errorf("REFI-QDA export: temporary file: %w", err)
	}
	sw.tmp = append(sw.tmp, f)
	return f, nil
}

func (sw *qdpxWriter) tmpXML(indent string) (*tmpXML, error) {
	f, err := sw.temp()
	if err != nil {
		return nil, err
	}
	t := &tmpXML{f: f, bw: bufio.NewWriterSize(f, 64<<10)}
	t.enc = xml.NewEncoder(t.bw)
	t.enc.Indent(indent, "  ")
	return t, nil
}

func (t *tmpXML) put(name string, v any) error {
	t.n++
	return t.enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}})
}

// copyTo writes the file's content to w.
func (t *tmpXML) copyTo(w io.Writer) error {
	if err := t.enc.Flush(); err != nil {
		return err
	}
	if err := t.bw.Flush(); err != nil {
		return err
	}
	if _, err := t.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, t.f)
	return err
}

func (sw *qdpxWriter) cleanup() {
	for _, f := range sw.tmp {
		f.Close()
		os.Remove(f.Name())
	}
}

// prewalk reads what is small and needed before the sources: codebook,
// targets, every source's metadata, links and claims; and checks them.
func (sw *qdpxWriter) prewalk() error {
	r := sw.r
	codes, err := r.Codes()
	if err != nil {
		return fmt.Errorf("REFI-QDA export: codes: %w", err)
	}
	targets, err := r.Targets()
	if err != nil {
		return fmt.Errorf("REFI-QDA export: targets: %w", err)
	}
	sw.meta = annotate.NewIndex(&annotate.Project{Codes: codes, Targets: targets})
	parentOf := func(id string) (string, bool) {
		c := sw.meta.Code[id]
		if c == nil {
			return "", false
		}
		return c.Parent, true
	}
	for _, c := range codes {
		if err := annotate.ValidateCode(c, parentOf); err != nil {
			return inconsistent(fmt.Errorf("code %s: %w", c.ID, err))
		}
	}
	for _, t := range targets {
		if err := annotate.ValidateTarget(t); err != nil {
			return inconsistent(fmt.Errorf("target %s: %w", t.ID, err))
		}
	}
	if err := r.Sources(func(s annotate.Source) error { sw.sources = append(sw.sources, s); return nil }); err != nil {
		return fmt.Errorf("REFI-QDA export: sources: %w", err)
	}
	for i := range sw.sources {
		s := &sw.sources[i]
		if err := annotate.ValidateSource(*s); err != nil {
			return inconsistent(fmt.Errorf("source %s: %w", s.ID, err))
		}
		sw.srcByID[s.ID] = s
	}
	for _, s := range sw.sources {
		for _, o := range s.Originals {
			if sw.srcByID[o] == nil {
				return inconsistent(fmt.Errorf("source %s: original %q does not exist", s.ID, o))
			}
		}
	}
	if err := r.Links(func(k annotate.Link) error {
		i := len(sw.links)
		sw.links = append(sw.links, k)
		sw.linkErr = append(sw.linkErr, make([]error, 1+len(k.To)))
		for j, a := range append([]annotate.Anchor{k.From}, k.To...) {
			sw.ends[a.SourceID] = append(sw.ends[a.SourceID], linkEnd{i, j})
		}
		return nil
	}); err != nil {
		return fmt.Errorf("REFI-QDA export: links: %w", err)
	}
	if err := r.Claims(func(m annotate.Claim) error {
		sw.claims = append(sw.claims, m)
		for _, e := range m.Evidence {
			sw.cited[e.AnnotationID] = nil
		}
		return nil
	}); err != nil {
		return fmt.Errorf("REFI-QDA export: claims: %w", err)
	}
	return nil
}

func inconsistent(err error) error {
	return fmt.Errorf("REFI-QDA export: the project is inconsistent: %w", err)
}

// HasCode, HasTarget and HasSource make the writer an annotate.Lookup.
func (sw *qdpxWriter) HasCode(id string) bool   { return sw.meta.HasCode(id) }
func (sw *qdpxWriter) HasTarget(id string) bool { return sw.meta.HasTarget(id) }
func (sw *qdpxWriter) HasSource(id string) bool { return sw.srcByID[id] != nil }

// claimLookup, once the walk has read every cited annotation.
func (sw *qdpxWriter) Annotation(id string) *annotate.Annotation { return sw.cited[id] }
func (sw *qdpxWriter) SourceTitle(id string) (string, bool) {
	if s := sw.srcByID[id]; s != nil {
		return s.DisplayTitle(), true
	}
	return "", false
}
func (sw *qdpxWriter) TargetName(id string) (string, bool) {
	if t := sw.meta.Target[id]; t != nil {
		return t.Name, true
	}
	return "", false
}

// drain moves the notes and GUIDs gathered so far to their files.
func (sw *qdpxWriter) drain() error {
	for _, n := range sw.e.notes {
		if err := sw.noteXML.put("Note", n); err != nil {
			return fmt.Errorf("REFI-QDA export: note: %w", err)
		}
	}
	sw.e.notes = sw.e.notes[:0]
	// Sorted, so two exports of one project are byte-identical.
	keys := make([]string, 0, len(sw.e.ids))
	for g := range sw.e.ids {
		keys = append(keys, g)
	}
	sort.Strings(keys)
	for _, g := range keys {
		k, _ := json.Marshal(g)
		v, _ := json.Marshal(sw.e.ids[g])
		if sw.idsN > 0 {
			sw.idsOut.WriteString(",\n")
		}
		sw.idsOut.WriteString("  ")
		sw.idsOut.Write(k)
		sw.idsOut.WriteString(": ")
		sw.idsOut.Write(v)
		sw.idsN++
	}
	clear(sw.e.ids)
	return nil
}

func (sw *qdpxWriter) write(w io.Writer) error {
	opt := sw.opt
	var err error
	if sw.srcXML, err = sw.tmpXML("    "); err != nil {
		return err
	}
	if sw.noteXML, err = sw.tmpXML("    "); err != nil {
		return err
	}
	idsFile, err := sw.temp()
	if err != nil {
		return err
	}
	sw.idsOut = bufio.NewWriterSize(idsFile, 64<<10)
	e := &exporter{p: &annotate.Project{Codes: sw.meta.P.Codes, Targets: sw.meta.P.Targets}, ids: map[string]string{},
		users: map[string]bool{}, renamed: map[string][2]string{}}
	sw.e = e
	name := sw.r.Name()
	if strings.TrimSpace(name) == "" {
		name = "Gloss project"
	}
	xp := &xProject{XMLName: xml.Name{Space: ProjectNS, Local: "Project"}, Name: name, Origin: "Gloss",
		CreatingUserGUID: e.user(opt.User), ModifyingUserGUID: e.user(opt.User), ModifiedDateTime: stamp(opt.Time)}
	xp.CodeBook = &xCodeBookInProject{Codes: xCodes{Code: e.codebook()}}
	vars := &xVariables{}
	for _, v := range sourceVariables {
		vars.Variable = append(vars.Variable, xVariable{GUID: GUID(variableName(v.name)), Name: v.name, TypeOfVariable: v.typ})
	}
	xp.Variables = vars

	// REFI links join two objects, so a Gloss link with n evidence
	// passages becomes n Links from one origin; the passages themselves
	// are selections of their sources, written with them.
	links := &xLinks{}
	for _, k := range sw.links {
		from := e.guid(anchorName(k.ID, 0))
		note := e.note("link:"+k.ID, "Note on link: "+k.From.Selector.Exact, k.Note, "", k.Created)
		for i := range k.To {
			links.Link = append(links.Link, xLink{GUID: e.guid(linkName(k.ID, i)), Name: linkLabel(k),
				Direction: "OneWay", OriginGUID: from, TargetGUID: e.guid(anchorName(k.ID, i+1)), NoteRefs: note})
		}
	}

	zw := zip.NewWriter(w)
	create := func(name string) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: opt.Time.UTC()})
	}
	for i := range sw.sources {
		if err := sw.source(&sw.sources[i], create); err != nil {
			return err
		}
	}
	for i, k := range sw.links {
		j := 0
		if err := annotate.ValidateLinkEnds(k, func(a annotate.Anchor) error {
			defer func() { j++ }()
			if sw.srcByID[a.SourceID] == nil {
				return fmt.Errorf("no source with id %q", a.SourceID)
			}
			return sw.linkErr[i][j]
		}); err != nil {
			return inconsistent(fmt.Errorf("link %s: %w", k.ID, err))
		}
	}
	if err := sw.checkClaims(); err != nil {
		return err
	}
	sets, claimLinks, side := e.writeClaims(sw.claims, sw)
	links.Link = append(links.Link, claimLinks...)
	if len(sets) > 0 {
		xp.Sets = &xSets{Set: sets}
	}
	if len(links.Link) > 0 {
		xp.Links = links
	}
	if err := sw.drain(); err != nil {
		return err
	}
	if len(e.users) > 0 {
		names := make([]string, 0, len(e.users))
		for n := range e.users {
			names = append(names, n)
		}
		sort.Strings(names)
		xp.Users = &xUsers{}
		for _, n := range names {
			xp.Users.User = append(xp.Users.User, xUser{GUID: GUID(userName(n)), Name: n})
		}
	}
	// The sources and notes are spliced in where marshal writes their
	// empty containers.
	if sw.srcXML.n > 0 {
		xp.Sources = &xSources{}
	}
	if sw.noteXML.n > 0 {
		xp.Notes = &xNotes{}
	}
	doc, err := marshal(xp)
	if err != nil {
		return err
	}
	f, err := create(projectEntry)
	if err != nil {
		return fmt.Errorf("REFI-QDA export: %s: %w", projectEntry, err)
	}
	if err := splice(f, doc, []splicePart{{"<Sources></Sources>", "<Sources>", sw.srcXML, "</Sources>"},
		{"<Notes></Notes>", "<Notes>", sw.noteXML, "</Notes>"}}); err != nil {
		return fmt.Errorf("REFI-QDA export: %s: %w", projectEntry, err)
	}
	f, err = create(idsEntry)
	if err != nil {
		return fmt.Errorf("REFI-QDA export: %s: %w", idsEntry, err)
	}
	if err := sw.writeIDs(f, idsFile); err != nil {
		return fmt.Errorf("REFI-QDA export: %s: %w", idsEntry, err)
	}
	if len(side.Claims) > 0 {
		cl, err := json.MarshalIndent(side, "", " ")
		if err != nil {
			return err
		}
		f, err := create(claimsEntry)
		if err == nil {
			_, err = f.Write(cl)
		}
		if err != nil {
			return fmt.Errorf("REFI-QDA export: %s: %w", claimsEntry, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("REFI-QDA export: %w", err)
	}
	return nil
}

type splicePart struct {
	marker, open string
	body         *tmpXML
	close        string
}

// splice writes doc with each part's marker replaced by its element
// holding the temporary file's content.
func splice(w io.Writer, doc []byte, parts []splicePart) error {
	for _, p := range parts {
		if p.body.n == 0 {
			continue
		}
		i := bytes.Index(doc, []byte(p.marker))
		if i < 0 {
			return fmt.Errorf("no %s in the document", p.marker)
		}
		if _, err := w.Write(doc[:i]); err != nil {
			return err
		}
		io.WriteString(w, p.open+"\n")
		if err := p.body.copyTo(w); err != nil {
			return err
		}
		io.WriteString(w, "\n  "+p.close)
		doc = doc[i+len(p.marker):]
	}
	_, err := w.Write(doc)
	return err
}

// writeIDs writes gloss-ids.json from the GUIDs drained to f.
func (sw *qdpxWriter) writeIDs(w io.Writer, f *os.File) error {
	if err := sw.idsOut.Flush(); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	io.WriteString(w, "{\n \"format\": \"gloss-ids/1\",\n \"ids\": {\n")
	if _, err := io.Copy(w, f); err != nil {
		return err
	}
	io.WriteString(w, "\n }")
	if len(sw.e.renamed) > 0 {
		names, err := json.MarshalIndent(sw.e.renamed, " ", " ")
		if err != nil {
			return err
		}
		io.WriteString(w, ",\n \"names\": ")
		w.Write(names)
	}
	_, err := io.WriteString(w, "\n}")
	return err
}

// source writes one source: its text entry, then its TextSource element
// (variables, annotations as selections, link passages) to the temporary
// file, checking each annotation and link end against the text.
func (sw *qdpxWriter) source(s *annotate.Source, create func(string) (io.Writer, error)) error {
	e := sw.e
	txt, err := sw.r.Text(s.ID)
	if err != nil {
		return fmt.Errorf("REFI-QDA export: source %s: %w", s.ID, err)
	}
	if txt == "" && s.Length > 0 {
		return fmt.Errorf("REFI-QDA export: source %s: its text is not loaded (a listing snapshot has no texts)", s.ID)
	}
	if s.ContentHash != "" && annotate.HashText(txt) != s.ContentHash {
		return inconsistent(fmt.Errorf("source %s: text does not match its content hash", s.ID))
	}
	tx := annotate.NewText(txt)
	g := e.guid(sourceName(s.ID))
	f, err := create("Sources/" + g + ".txt")
	if err == nil {
		_, err = io.WriteString(f, txt)
	}
	if err != nil {
		return fmt.Errorf("REFI-QDA export: Sources/%s.txt: %w", g, err)
	}
	ts := xTextSource{GUID: g, Name: s.DisplayTitle(), PlainTextPath: "internal://" + g + ".txt",
		CreationDateTime: stamp(s.ImportedAt)}
	// The note both as the source's Description (what QualCoder shows
	// as the file's memo) and as a Note (what NVivo and ATLAS.ti list).
	ts.Description = s.Note
	ts.NoteRefs = e.note(sourceName(s.ID), "Note on "+s.DisplayTitle(), s.Note, "", s.ImportedAt)
	guidOfSource := func(id string) string { return GUID(sourceName(id)) }
	for _, v := range sourceVariables {
		val := v.get(s, guidOfSource)
		if val == "" {
			continue
		}
		vv := xVariableValue{VariableRef: xRef{TargetGUID: GUID(variableName(v.name))}}
		if v.typ == "Boolean" {
			vv.BooleanValue = &val
		} else {
			vv.TextValue = &val
		}
		ts.VariableValues = append(ts.VariableValues, vv)
	}
	if err := sw.r.Annotations(s.ID, func(a annotate.Annotation) error {
		if err := annotate.ValidateAnnotation(a, tx, sw); err != nil {
			return inconsistent(fmt.Errorf("annotation %s: %w", a.ID, err))
		}
		if _, ok := sw.cited[a.ID]; ok {
			sw.cited[a.ID] = &annotate.Annotation{ID: a.ID, SourceID: a.SourceID, Selector: a.Selector}
		}
		ag := e.guid(annotationName(a.ID))
		sel := e.selection(ag, a.Selector.Exact, a.Author, a.Selector, a.Created, a.Modified)
		owner := annotationName(a.ID)
		for _, c := range a.Codes {
			sel.Coding = append(sel.Coding, e.coding(owner, GUID(codeName(c)), a.Author, a.Created))
		}
		for _, m := range a.Stances {
			sel.Coding = append(sel.Coding, e.coding(owner, GUID(stanceName(m.Target, m.Stance)), a.Author, a.Created))
		}
		if a.Credibility != 0 {
			sel.Coding = append(sel.Coding, e.coding(owner, GUID(credibilityName(a.Credibility)), a.Author, a.Created))
		}
		// QualCoder reads a coding's memo from the selection's Description
		// and ignores NoteRefs; other tools list Notes. Both carry the note.
		sel.Description = a.Note
		sel.NoteRefs = e.note(owner, "Note on “"+a.Selector.Exact+"”", a.Note, a.Author, a.Created)
		ts.Selections = append(ts.Selections, sel)
		return nil
	}); err != nil {
		return err
	}
	// Link passages get selections of their own (named "Link passage") so
	// they never turn into annotations.
	for _, le := range sw.ends[s.ID] {
		k := &sw.links[le.link]
		end := k.From
		if le.end > 0 {
			end = k.To[le.end-1]
		}
		if end.State != annotate.AnchorOrphan {
			if err := tx.Check(end.Selector); err != nil {
				sw.linkErr[le.link][le.end] = err
				continue
			}
		}
		sel := e.selection(GUID(anchorName(k.ID, le.end)), "Link passage", "", end.Selector, k.Created, k.Modified)
		sel.Description = end.Selector.Exact
		ts.Selections = append(ts.Selections, sel)
	}
	if err := sw.srcXML.put("TextSource", ts); err != nil {
		return fmt.Errorf("REFI-QDA export: source %s: %w", s.ID, err)
	}
	return sw.drain()
}

// checkClaims: what Validate checks of claims, once every cited
// annotation was looked for.
func (sw *qdpxWriter) checkClaims() error {
	for _, m := range sw.claims {
		if m.Target != "" && !sw.meta.HasTarget(m.Target) {
			return inconsistent(fmt.Errorf("claim %s: target: no stance target with id %q", m.ID, m.Target))
		}
		for _, ev := range m.Evidence {
			if sw.cited[ev.AnnotationID] == nil {
				return inconsistent(fmt.Errorf("claim %s: evidence: no annotation with id %q", m.ID, ev.AnnotationID))
			}
		}
		for _, s := range m.Independent {
			if sw.srcByID[s] == nil {
				return inconsistent(fmt.Errorf("claim %s: independent: no source with id %q", m.ID, s))
			}
		}
	}
	return nil
}
