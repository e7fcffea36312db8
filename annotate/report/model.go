// Package report writes a project as a shareable report: a self-contained
// HTML page, Markdown, PDF (with embedded Chinese glyphs), CSV and XLSX.
// Every writer takes an already filtered *annotate.Project (the caller
// applies annotate.Filter) and treats all project text as untrusted.
package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gloss/annotate"
	"gloss/annotate/coverage"
)

// Options tune an export. The zero value is usable.
type Options struct {
	// Title heads the report; empty uses the project name, else "Gloss report".
	Title string
	// Generated is the time printed as "generated at"; zero means now.
	Generated time.Time
	// Lang is the report's own language (HTML lang attribute); default "en".
	Lang string
	// FontPath is a TrueType CJK font for the PDF; empty searches the
	// well-known system locations (see FONTS.md).
	FontPath string
	// LatinFontPath is a TrueType font for Latin text in the PDF; empty
	// searches LatinFontPaths (DejaVu Sans on Debian).
	LatinFontPath string
	// Workers is how many goroutines read texts for the judgment sections
	// (figures, timeline, summary checks); 0 is one per core. The window
	// passes 1, so an export leaves a core to the window drawing.
	Workers int
}

func (o Options) title(project string) string {
	switch {
	case strings.TrimSpace(o.Title) != "":
		return o.Title
	case strings.TrimSpace(project) != "":
		return project
	}
	return "Gloss report"
}

func (o Options) generated() time.Time {
	if o.Generated.IsZero() {
		return time.Now()
	}
	return o.Generated
}

// noCodeColor marks annotations that carry no code.
const noCodeColor = "#c8c8c8"

// doc is the report's content, prepared once and laid out by each writer.
type doc struct {
	Title     string
	Generated time.Time
	Project   string
	Sources   []*srcDoc
	Codes     []codeRow
	Targets   []annotate.Target
	NAnn      int
	A         *analysisDoc    // claims, figures, timeline, summary checks
	x         *annotate.Index // codes, targets, sources' metadata and cited annotations only
	r         annotate.Reader
	mu        sync.Mutex // r is for one goroutine at a time
	links     []annotate.Link
	byID      map[string]*srcDoc
	tableOnly bool // rows only: no segments, coverage or judgment sections
}

type srcDoc struct {
	Src      *annotate.Source
	Num      int    // 1-based position in the report
	Anchor   string // fragment ID of the section
	Title    string
	Rel      string // "B — Usually reliable" or "Not rated"
	Flags    []string
	Segments []segment
	Rows     []*annRow // filled while the section is written (doc.each)
	NRows    int       // annotations on the source, known before its section
	Missing  string    // set when the snapshot lacks the text it should have
	Coverage []*covDoc
}

// segment is a run of text under one unchanging set of annotations.
type segment struct {
	Start, End int      // code points
	Text       string   // the run
	Rows       []int    // indexes into srcDoc.Rows of the annotations covering it
	Markers    []int    // annotation numbers that start here (drawn before Text)
	Color      [3]uint8 // blended highlight colour; only when len(Rows) > 0
}

type codeRef struct {
	ID, Path, Color string
}

type annRow struct {
	N          int // 1-based within its source
	A          *annotate.Annotation
	Quote      string
	Start, End int // code points, as placed (re-anchored when the stored position drifted)
	Placed     bool
	Problem    string // why the passage could not be placed, if it could not
	Codes      []codeRef
	Stances    []string
	Cred       string
	Color      [3]uint8
}

type codeRow struct {
	Code  *annotate.Code
	Path  string
	Depth int
	Count int
}

type covDoc struct {
	Original *srcDoc
	R        coverage.Report
}

func relText(r annotate.Reliability) string {
	if r == "" {
		return "Not rated"
	}
	return string(r) + " — " + r.Label()
}

func credText(c annotate.Credibility) string {
	if c < 1 || c > 6 {
		return ""
	}
	return strconv.Itoa(int(c)) + " — " + c.Label()
}

func flags(s *annotate.Source) []string {
	var f []string
	if s.StateAffiliated {
		f = append(f, "State-affiliated")
	}
	if s.MachineTranslated {
		f = append(f, "Machine-translated")
	}
	return f
}

// parseColor reads #RRGGBB; anything else gives ok=false.
func parseColor(s string) ([3]uint8, bool) {
	if len(s) != 7 || s[0] != '#' {
		return [3]uint8{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return [3]uint8{}, false
	}
	return [3]uint8{uint8(v >> 16), uint8(v >> 8), uint8(v)}, true
}

func hex(c [3]uint8) string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

// annColor is the mean of an annotation's code colours.
func annColor(codes []codeRef) [3]uint8 {
	var sum [3]int
	n := 0
	for _, c := range codes {
		if rgb, ok := parseColor(c.Color); ok {
			for i := range sum {
				sum[i] += int(rgb[i])
			}
			n++
		}
	}
	if n == 0 {
		c, _ := parseColor(noCodeColor)
		return c
	}
	return [3]uint8{uint8(sum[0] / n), uint8(sum[1] / n), uint8(sum[2] / n)}
}

// highlightAlpha is how strongly one layer of highlight tints what is under it.
const highlightAlpha = 0.45

// blend layers each colour over white at highlightAlpha, so overlapping
// passages come out visibly darker than single ones.
func blend(cols [][3]uint8) [3]uint8 {
	out := [3]float64{255, 255, 255}
	for _, c := range cols {
		for i := range out {
			out[i] = out[i]*(1-highlightAlpha) + float64(c[i])*highlightAlpha
		}
	}
	return [3]uint8{uint8(out[0] + 0.5), uint8(out[1] + 0.5), uint8(out[2] + 0.5)}
}

// prepare reads what a report needs before its first byte, holding no
// text and no annotation beyond those claims cite: the sources' metadata,
// the codebook with its use counts and each source's count (one pass over
// the annotations), the links and claims, and the judgment sections, which
// read texts one at a time. Each source's own section is then read, laid
// out and dropped in turn by each (see fill).
func prepare(r annotate.Reader, opt Options, tableOnly bool) (*doc, error) {
	lp := &annotate.Project{Name: r.Name()}
	var err error
	if lp.Codes, err = r.Codes(); err != nil {
		return nil, err
	}
	if lp.Targets, err = r.Targets(); err != nil {
		return nil, err
	}
	if err := r.Sources(func(s annotate.Source) error { lp.Sources = append(lp.Sources, s); return nil }); err != nil {
		return nil, err
	}
	d := &doc{Title: opt.title(lp.Name), Generated: opt.generated(), Project: lp.Name, Targets: lp.Targets,
		r: r, tableOnly: tableOnly, byID: make(map[string]*srcDoc, len(lp.Sources))}
	for i := range lp.Sources {
		s := &lp.Sources[i]
		sd := &srcDoc{Src: s, Num: i + 1, Anchor: "src-" + strconv.Itoa(i+1), Title: s.DisplayTitle(),
			Rel: relText(s.Reliability), Flags: flags(s)}
		d.byID[s.ID] = sd
		d.Sources = append(d.Sources, sd)
	}
	if tableOnly {
		// Tables need code paths and target names only.
		d.x = annotate.NewIndex(&annotate.Project{Codes: lp.Codes, Targets: lp.Targets})
		return d, nil
	}
	if err := r.Links(func(k annotate.Link) error { lp.Links = append(lp.Links, k); return nil }); err != nil {
		return nil, err
	}
	if err := r.Claims(func(m annotate.Claim) error { lp.Claims = append(lp.Claims, m); return nil }); err != nil {
		return nil, err
	}
	cited := map[string]bool{}
	for _, m := range lp.Claims {
		for _, e := range m.Evidence {
			cited[e.AnnotationID] = true
		}
	}
	count := map[string]int{}
	for _, sd := range d.Sources {
		if err := r.Annotations(sd.Src.ID, func(a annotate.Annotation) error {
			sd.NRows++
			d.NAnn++
			for _, c := range a.Codes {
				count[c]++
			}
			if cited[a.ID] {
				lp.Annotations = append(lp.Annotations, a)
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	d.links = lp.Links
	d.x = annotate.NewIndex(lp)
	d.Codes = codebook(lp, d.x, count)
	d.A = analyse(lp, d.x, d.byID, d.textOK, opt.Workers)
	return d, nil
}

// text reads a source's text; the judgment sections read texts from
// several goroutines and a Reader is for one at a time.
func (d *doc) text(id string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.r.Text(id)
}

func (d *doc) textOK(id string) (string, bool) {
	t, err := d.text(id)
	return t, err == nil && t != ""
}

// each fills every source's section in report order, hands it to fn and
// drops it again, so one source's text and annotations are held at a time.
func (d *doc) each(fn func(sd *srcDoc) error) error {
	for _, sd := range d.Sources {
		if err := d.fill(sd); err != nil {
			return err
		}
		err := fn(sd)
		sd.Rows, sd.Segments, sd.Coverage = nil, nil, nil
		if err != nil {
			return err
		}
	}
	return nil
}

// fill reads one source's text and annotations into its section.
func (d *doc) fill(sd *srcDoc) error {
	x := d.x
	s := sd.Src
	text, err := d.text(s.ID)
	switch {
	case err != nil:
		sd.Missing = fmt.Sprintf("The text of this source could not be read: %v.", err)
	case text == "" && s.Length > 0:
		// Listings leave Text empty; exporting one would silently drop the text.
		sd.Missing = fmt.Sprintf("The text of this source (%d characters) was not loaded into the export.", s.Length)
	}
	tx := annotate.NewText(text)
	sd.Rows = sd.Rows[:0]
	if err := d.r.Annotations(s.ID, func(a annotate.Annotation) error {
		r := &annRow{N: len(sd.Rows) + 1, A: &a, Quote: a.Selector.Exact, Cred: credText(a.Credibility)}
		for _, c := range a.Codes {
			ref := codeRef{ID: c, Path: x.CodePath(c)}
			if cd := x.Code[c]; cd != nil {
				ref.Color = cd.Color
			} else {
				ref.Path = c
			}
			r.Codes = append(r.Codes, ref)
		}
		for _, m := range a.Stances {
			name := m.Target
			if t := x.Target[m.Target]; t != nil {
				name = t.Name
			}
			r.Stances = append(r.Stances, name+": "+string(m.Stance))
		}
		r.Color = annColor(r.Codes)
		place(r, tx)
		sd.Rows = append(sd.Rows, r)
		return nil
	}); err != nil {
		return err
	}
	sd.NRows = len(sd.Rows)
	if d.tableOnly {
		return nil
	}
	sd.Segments = segments([]rune(text), sd.Rows)
	if s.Kind != annotate.KindSummary {
		return nil
	}
	sum := *s
	sum.Text = text
	for _, o := range s.Originals {
		od := d.byID[o]
		if od == nil {
			continue
		}
		orig := *od.Src
		orig.Text, _ = d.text(o)
		sd.Coverage = append(sd.Coverage, &covDoc{Original: od, R: coverage.Compute(sum, orig, d.links)})
	}
	return nil
}

// readerOf reads an in-memory project; nil is an empty one.
func readerOf(p *annotate.Project) annotate.Reader {
	if p == nil {
		p = &annotate.Project{}
	}
	return annotate.ProjectReader(p)
}

// place finds where a row's passage lies: at its stored position when the
// quote still matches, else where its quote and context are found again.
func place(r *annRow, tx *annotate.Text) {
	sel := r.A.Selector
	if tx.Check(sel) == nil {
		r.Start, r.End, r.Placed = sel.Start, sel.End, true
		return
	}
	if got, ok := tx.Anchor(sel); ok {
		r.Start, r.End, r.Placed, r.Quote = got.Start, got.End, true, got.Exact
		return
	}
	r.Start, r.End = sel.Start, sel.End
	r.Problem = "passage not found in the text"
	if r.Quote == "" {
		r.Quote = tx.Slice(sel.Start, sel.End)
	}
}

// segments splits text at every start and end of a placed annotation, so
// each run lies under one unchanging set of annotations.
func segments(text []rune, rows []*annRow) []segment {
	type ev struct{ pos, row int }
	var opens, closes []ev
	bounds := []int{0, len(text)}
	for i, r := range rows {
		if r.Placed && r.Start < r.End && r.Start >= 0 && r.End <= len(text) {
			opens = append(opens, ev{r.Start, i})
			closes = append(closes, ev{r.End, i})
			bounds = append(bounds, r.Start, r.End)
		}
	}
	sort.SliceStable(opens, func(i, j int) bool { return opens[i].pos < opens[j].pos })
	sort.SliceStable(closes, func(i, j int) bool { return closes[i].pos < closes[j].pos })
	sort.Ints(bounds)
	out := make([]segment, 0, len(bounds))
	var active []int
	oi, ci := 0, 0
	for i := 0; i+1 < len(bounds); i++ {
		p, next := bounds[i], bounds[i+1]
		if p == next {
			continue
		}
		for ; ci < len(closes) && closes[ci].pos <= p; ci++ {
			for k, a := range active {
				if a == closes[ci].row {
					active = append(active[:k], active[k+1:]...)
					break
				}
			}
		}
		var markers []int
		for ; oi < len(opens) && opens[oi].pos <= p; oi++ {
			active = append(active, opens[oi].row)
			markers = append(markers, rows[opens[oi].row].N)
		}
		sg := segment{Start: p, End: next, Text: string(text[p:next]), Markers: markers}
		if len(active) > 0 {
			sort.Ints(active)
			sg.Rows = append([]int(nil), active...)
			cols := make([][3]uint8, len(active))
			for k, a := range active {
				cols[k] = rows[a].Color
			}
			sg.Color = blend(cols)
		}
		out = append(out, sg)
	}
	return out
}

// codebook lists the codes depth-first so children follow their parent.
func codebook(p *annotate.Project, x *annotate.Index, count map[string]int) []codeRow {
	kids := map[string][]*annotate.Code{}
	for i := range p.Codes {
		c := &p.Codes[i]
		parent := c.Parent
		if parent != "" && x.Code[parent] == nil {
			parent = "" // orphan: show at top level rather than lose it
		}
		kids[parent] = append(kids[parent], c)
	}
	var out []codeRow
	seen := map[string]bool{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, c := range kids[parent] {
			if seen[c.ID] {
				continue // a cycle in bad data must not loop
			}
			seen[c.ID] = true
			out = append(out, codeRow{Code: c, Path: x.CodePath(c.ID), Depth: depth, Count: count[c.ID]})
			walk(c.ID, depth+1)
		}
	}
	walk("", 0)
	// Codes caught in a cycle never hang off the root; list them anyway.
	for i := range p.Codes {
		if c := &p.Codes[i]; !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, codeRow{Code: c, Path: x.CodePath(c.ID), Count: count[c.ID]})
		}
	}
	return out
}
