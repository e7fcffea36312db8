package webanno

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"gloss/annotate"
)

// WriteReader writes the project r reads as one AnnotationCollection,
// streaming: one source's text and annotations are in memory at a time
// (plus every source's metadata, the confirmed links and the claims,
// which are small beside them). Items come source by source, each
// source's annotations in text order, then links, then claims; `total`
// follows the page, since it is known only at the end.
//
// Annotations whose quote no longer matches the text, and references to
// codes, targets or annotations that do not exist, are an error naming the
// record: exporting a selector that points at the wrong words would
// mislead. The error can come after part of the document was written, so
// callers write to a temporary file and keep it only on success.
func WriteReader(w io.Writer, r annotate.Reader, opt Options) error {
	sw, err := newStreamWriter(w, r, opt)
	if err != nil {
		return err
	}
	if err := sw.run(); err != nil {
		return err
	}
	if err := sw.bw.Flush(); err != nil {
		return fmt.Errorf("web annotation export: %w", err)
	}
	return nil
}

type linkEnd struct {
	link, end int // index into links; 0 is From, i is To[i-1]
}

type streamWriter struct {
	r         annotate.Reader
	opt       Options
	bw        *bufio.Writer
	meta      *annotate.Index // codes and targets only
	gen       *Agent
	generated string
	sources   []annotate.Source           // metadata, in list order
	srcByID   map[string]*annotate.Source // into sources
	links     []annotate.Link             // confirmed, when opt.Links
	linkSpec  [][]Specific                // per link, per end, once its source was read
	linkErr   [][]error
	ends      map[string][]linkEnd // source ID -> link ends in it
	claims    []annotate.Claim
	cited     map[string]bool // annotation IDs claims cite -> seen in the walk
	n         int             // items written
	buf       bytes.Buffer
	enc       *json.Encoder
}

func newStreamWriter(w io.Writer, r annotate.Reader, opt Options) (*streamWriter, error) {
	if r == nil {
		return nil, fmt.Errorf("web annotation export: no project")
	}
	if opt.Base == "" {
		opt.Base = ProjectIRI(r.Name())
	}
	if u, err := url.Parse(opt.Base); err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("web annotation export: base %q is not an absolute IRI", opt.Base)
	}
	if opt.Generator == "" {
		opt.Generator = "Gloss"
	}
	if opt.BodyLanguage == "" {
		opt.BodyLanguage = "en"
	}
	if opt.Generated.IsZero() {
		opt.Generated = time.Now()
	}
	sw := &streamWriter{r: r, opt: opt, bw: bufio.NewWriterSize(w, 64<<10),
		gen:       &Agent{Type: "Software", Name: opt.Generator, Homepage: opt.GeneratorHomepage},
		generated: stamp(opt.Generated), srcByID: map[string]*annotate.Source{}, ends: map[string][]linkEnd{}, cited: map[string]bool{}}
	sw.enc = json.NewEncoder(&sw.buf)
	sw.enc.SetEscapeHTML(false) // keep quotes with < > & readable
	sw.enc.SetIndent("      ", "  ")
	codes, err := r.Codes()
	if err != nil {
		return nil, fmt.Errorf("web annotation export: codes: %w", err)
	}
	targets, err := r.Targets()
	if err != nil {
		return nil, fmt.Errorf("web annotation export: targets: %w", err)
	}
	sw.meta = annotate.NewIndex(&annotate.Project{Codes: codes, Targets: targets})
	if err := r.Sources(func(s annotate.Source) error { sw.sources = append(sw.sources, s); return nil }); err != nil {
		return nil, fmt.Errorf("web annotation export: sources: %w", err)
	}
	for i := range sw.sources {
		if _, dup := sw.srcByID[sw.sources[i].ID]; !dup {
			sw.srcByID[sw.sources[i].ID] = &sw.sources[i]
		}
	}
	if opt.Links {
		if err := r.Links(func(k annotate.Link) error {
			if k.Status != annotate.Confirmed {
				return nil
			}
			i := len(sw.links)
			sw.links = append(sw.links, k)
			sw.linkSpec = append(sw.linkSpec, make([]Specific, 1+len(k.To)))
			sw.linkErr = append(sw.linkErr, make([]error, 1+len(k.To)))
			for j, a := range append([]annotate.Anchor{k.From}, k.To...) {
				sw.ends[a.SourceID] = append(sw.ends[a.SourceID], linkEnd{i, j})
			}
			return nil
		}); err != nil {
			return nil, fmt.Errorf("web annotation export: links: %w", err)
		}
	}
	if err := r.Claims(func(m annotate.Claim) error {
		sw.claims = append(sw.claims, m)
		for _, e := range m.Evidence {
			sw.cited[e.AnnotationID] = false
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("web annotation export: claims: %w", err)
	}
	return sw, nil
}

// field writes `"name": value,` at the collection's or page's depth.
func (sw *streamWriter) field(indent, name string, v any) error {
	b, err := json.MarshalIndent(v, indent, "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(sw.bw, "%s%q: %s,\n", indent, name, b)
	return nil
}

// item writes one annotation of the page.
func (sw *streamWriter) item(a *Annotation) error {
	sw.buf.Reset()
	if err := sw.enc.Encode(a); err != nil {
		return fmt.Errorf("web annotation export: %s: %w", a.ID, err)
	}
	if sw.n > 0 {
		sw.bw.WriteString(",\n")
	}
	sw.bw.WriteString("      ")
	sw.bw.Write(bytes.TrimRight(sw.buf.Bytes(), "\n"))
	sw.n++
	return nil
}

func (sw *streamWriter) run() error {
	opt := sw.opt
	sw.bw.WriteString("{\n")
	for _, f := range []struct {
		name string
		v    any
	}{{"@context", Contexts()}, {"id", opt.Base}, {"type", "AnnotationCollection"}} {
		if err := sw.field("  ", f.name, f.v); err != nil {
			return err
		}
	}
	if name := sw.r.Name(); name != "" {
		sw.field("  ", "label", name)
	}
	sw.field("  ", "generator", sw.gen)
	sw.field("  ", "generated", sw.generated)
	// The model requires `first` only when there are items; an empty page
	// is still harmless and keeps consumers' code paths uniform.
	sw.bw.WriteString(`  "first": {` + "\n")
	sw.field("    ", "id", opt.Base+"#page1")
	sw.field("    ", "type", "AnnotationPage")
	sw.field("    ", "partOf", opt.Base)
	sw.field("    ", "startIndex", 0)
	sw.bw.WriteString(`    "items": [` + "\n")
	for i := range sw.sources {
		if err := sw.source(&sw.sources[i]); err != nil {
			return err
		}
	}
	if err := sw.writeLinks(); err != nil {
		return err
	}
	items, err := claimItems(sw.claims, sw, opt, sw.gen, sw.generated)
	if err != nil {
		return err
	}
	for i := range items {
		if err := sw.item(&items[i]); err != nil {
			return err
		}
	}
	if sw.n > 0 {
		sw.bw.WriteString("\n")
	}
	fmt.Fprintf(sw.bw, "    ]\n  },\n  \"total\": %d\n}\n", sw.n)
	return nil
}

// source writes the annotations of one source and resolves the link ends
// that rest on it, with its text in memory only meanwhile.
func (sw *streamWriter) source(src *annotate.Source) error {
	txt, err := sw.r.Text(src.ID)
	if err != nil {
		return fmt.Errorf("web annotation export: source %s: %w", src.ID, err)
	}
	if txt == "" && src.Length > 0 {
		return fmt.Errorf("web annotation export: source %s: its text is not loaded (a listing snapshot has no texts)", src.ID)
	}
	tx := annotate.NewText(txt)
	opt := sw.opt
	err = sw.r.Annotations(src.ID, func(a annotate.Annotation) error {
		if err := tx.Check(a.Selector); err != nil {
			return fmt.Errorf("annotation %s: selector: %v", a.ID, err)
		}
		if _, ok := sw.cited[a.ID]; ok {
			sw.cited[a.ID] = true
		}
		item := Annotation{
			Context: contextJSON, ID: AnnotationIRI(a.ID), Type: "Annotation",
			Created: stamp(a.Created), Modified: stamp(a.Modified),
			Generator: sw.gen, Generated: sw.generated,
			Target: []Specific{specific(src, tx, a.Selector)},
		}
		switch {
		case a.Author != "":
			item.Creator = person(a.Author)
		case opt.CreatorForAll && opt.Creator != "":
			item.Creator = person(opt.Creator)
		}
		for _, c := range a.Codes {
			if !sw.meta.HasCode(c) {
				return fmt.Errorf("annotation %s: codes: no code with id %q", a.ID, c)
			}
			item.Body = append(item.Body, text("tagging", sw.meta.CodePath(c), opt.BodyLanguage))
		}
		for _, m := range a.Stances {
			t := sw.meta.Target[m.Target]
			if t == nil {
				return fmt.Errorf("annotation %s: stance: no stance target with id %q", a.ID, m.Target)
			}
			b := text("classifying", StanceValue(m.Stance, t.Name), opt.BodyLanguage)
			b.Stance, b.StanceTarget = string(m.Stance), t.Name
			item.Body = append(item.Body, b)
		}
		if a.Credibility != 0 {
			if !a.Credibility.Valid() {
				return fmt.Errorf("annotation %s: credibility %d is not 1–6", a.ID, a.Credibility)
			}
			b := text("assessing", CredibilityValue(a.Credibility), opt.BodyLanguage)
			b.Credibility = int(a.Credibility)
			item.Body = append(item.Body, b)
		}
		if strings.TrimSpace(a.Note) != "" {
			item.Body = append(item.Body, text("commenting", a.Note, noteLanguage(a.Note, opt.BodyLanguage)))
		}
		item.Motivation = motivation(item.Body, "highlighting")
		return sw.item(&item)
	})
	if err != nil {
		return err
	}
	for _, e := range sw.ends[src.ID] {
		k := &sw.links[e.link]
		end := k.From
		if e.end > 0 {
			end = k.To[e.end-1]
		}
		if end.State != annotate.AnchorOrphan {
			if err := tx.Check(end.Selector); err != nil {
				sw.linkErr[e.link][e.end] = err
				continue
			}
		}
		sw.linkSpec[e.link][e.end] = specific(src, tx, end.Selector)
	}
	return nil
}

// writeLinks writes the confirmed links once every end was resolved.
func (sw *streamWriter) writeLinks() error {
	for i := range sw.links {
		k := sw.links[i]
		j := 0
		if err := annotate.ValidateLinkEnds(k, func(a annotate.Anchor) error {
			defer func() { j++ }()
			if sw.srcByID[a.SourceID] == nil {
				return fmt.Errorf("no source with id %q", a.SourceID)
			}
			return sw.linkErr[i][j]
		}); err != nil {
			return fmt.Errorf("link %s: %v", k.ID, err)
		}
		if k.ID == "" {
			return fmt.Errorf("link: id: is empty")
		}
		// The summary passage is the target; the evidence it rests on are
		// the bodies, as in the model's "linking" motivation.
		item := Annotation{
			Context: contextJSON, ID: LinkIRI(k.ID), Type: "Annotation", Motivation: "linking",
			Created: stamp(k.Created), Modified: stamp(k.Modified),
			Generator: sw.gen, Generated: sw.generated,
			Target: []Specific{sw.linkSpec[i][0]},
		}
		for _, s := range sw.linkSpec[i][1:] {
			item.Body = append(item.Body, Body{Type: s.Type, Purpose: "linking", Source: s.Source, Selector: s.Selector})
		}
		if strings.TrimSpace(k.Note) != "" {
			item.Body = append(item.Body, text("commenting", k.Note, noteLanguage(k.Note, sw.opt.BodyLanguage)))
		}
		if err := sw.item(&item); err != nil {
			return err
		}
		sw.linkSpec[i] = nil // written; let it go
	}
	return nil
}

// claimRefs, for claimItems: what a claim may refer to.
func (sw *streamWriter) target(id string) *annotate.Target { return sw.meta.Target[id] }
func (sw *streamWriter) hasSource(id string) bool          { return sw.srcByID[id] != nil }
func (sw *streamWriter) hasAnnotation(id string) bool      { return sw.cited[id] }

// contextJSON is Contexts() encoded once: encoding its map for every item
// (keys sorted each time) was a third of the export's time.
var contextJSON = func() json.RawMessage {
	b, err := json.Marshal(Contexts())
	if err != nil {
		panic(err) // a constant that does not encode is a programming error
	}
	return b
}()
