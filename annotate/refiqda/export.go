// Package refiqda reads and writes REFI-QDA (QDA-XML 1.0) projects
// (.qdpx) and codebooks (.qdc), the exchange format of NVivo, ATLAS.ti,
// MAXQDA and QualCoder.
//
// Mapping, and what other tools see:
//   - each Gloss source is a TextSource whose plain text is stored as
//     Sources/<guid>.txt; its metadata are Variables (Title, Outlet, URL,
//     Language, Reliability, …), its note a Note.
//   - each annotation is a PlainTextSelection (positions in code points, end
//     exclusive) with one Coding per code; its note is the selection's
//     Description (QualCoder's memo) and a Note (what other tools list).
//   - stances and credibility, which QDA tools have no notion of, are codes
//     under two non-codable branches: "Stance" ▸ <target> ▸ "<target> ·
//     favor|against|neutral|mixed", and "Credibility" ▸ "1: Confirmed by
//     other sources" … "6". Any tool keeps and can query them; ReadQDPX
//     turns them back into stances and grades, value by value, and also
//     reads the older plain "favor" names.
//   - every code name is unique in the codebook (QualCoder drops a second
//     code of the same name): a name already taken is qualified with its
//     parent ("Criticism · flights") and the side table restores it.
//   - each link is one Link per evidence passage, from a selection of the
//     summary to a selection of the evidence, named with its status.
//   - GUIDs are name-based UUIDs (v5) of Gloss IDs, so a re-export is
//     stable. A small extra entry, gloss-ids.json, maps GUIDs back to Gloss
//     IDs; other tools ignore it, and ReadQDPX only trusts an entry when the
//     GUID really is the v5 UUID of the ID it claims.
package refiqda

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gloss/annotate"
)

// Names of the convention branches and the ID side entry.
const (
	StanceBranch      = "Stance"
	CredibilityBranch = "Credibility"
	idsEntry          = "gloss-ids.json"
	projectEntry      = "project.qde"
	linkNamePrefix    = "Gloss link"
)

// Options tune WriteQDPX; the zero value is fine.
type Options struct {
	// User is the person exporting, recorded as the project's creating user.
	User string
	// Time stamps the project and the zip entries; default now. Set it to
	// make two exports byte-identical.
	Time time.Time
}

// stanceColors keep stance codes recognisable in other tools.
var stanceColors = map[annotate.Stance]string{
	annotate.Favor: "#4daf4a", annotate.Against: "#e41a1c", annotate.Neutral: "#999999", annotate.Mixed: "#984ea3",
}

// credibilityColors run from confirmed (green) to improbable (red); 6 grey.
var credibilityColors = []string{"#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#999999"}

// Record names hashed into GUIDs. Changing them changes every GUID.
func sourceName(id string) string        { return "source:" + id }
func codeName(id string) string          { return "code:" + id }
func targetName(id string) string        { return "target:" + id }
func annotationName(id string) string    { return "annotation:" + id }
func linkName(id string, i int) string   { return "link:" + id + ":" + strconv.Itoa(i) }
func anchorName(id string, i int) string { return "anchor:" + id + ":" + strconv.Itoa(i) } // 0 = from
func stanceName(tid string, s annotate.Stance) string {
	return "stance:" + tid + ":" + string(s)
}
func credibilityName(c annotate.Credibility) string { return "credibility:" + strconv.Itoa(int(c)) }
func userName(name string) string                   { return "user:" + name }
func variableName(name string) string               { return "variable:" + name }

// CredibilityCodeName is the code name of a grade, e.g. "2: Probably true".
func CredibilityCodeName(c annotate.Credibility) string {
	return strconv.Itoa(int(c)) + ": " + c.Label()
}

// Source metadata carried as variables, in this order.
var sourceVariables = []struct {
	name, typ string
	get       func(s *annotate.Source, guidOf func(string) string) string
}{
	{"Title", "Text", func(s *annotate.Source, _ func(string) string) string { return s.Title }},
	{"Outlet", "Text", func(s *annotate.Source, _ func(string) string) string { return s.Outlet }},
	{"Author", "Text", func(s *annotate.Source, _ func(string) string) string { return s.Author }},
	{"URL", "Text", func(s *annotate.Source, _ func(string) string) string { return s.URL }},
	// Text, not Date: Gloss allows YYYY and YYYY-MM.
	{"Published", "Text", func(s *annotate.Source, _ func(string) string) string { return s.Published }},
	{"Language", "Text", func(s *annotate.Source, _ func(string) string) string { return string(s.Language) }},
	{"Kind", "Text", func(s *annotate.Source, _ func(string) string) string { return string(s.Kind) }},
	{"Reliability", "Text", func(s *annotate.Source, _ func(string) string) string { return string(s.Reliability) }},
	{"Reliability note", "Text", func(s *annotate.Source, _ func(string) string) string { return s.ReliabilityNote }},
	{"State affiliated", "Boolean", func(s *annotate.Source, _ func(string) string) string { return boolText(s.StateAffiliated) }},
	{"Machine translated", "Boolean", func(s *annotate.Source, _ func(string) string) string { return boolText(s.MachineTranslated) }},
	{"File name", "Text", func(s *annotate.Source, _ func(string) string) string { return s.FileName }},
	// The sources a summary or translation rests on, as their GUIDs.
	{"Originals", "Text", func(s *annotate.Source, guidOf func(string) string) string {
		var g []string
		for _, o := range s.Originals {
			g = append(g, guidOf(o))
		}
		return strings.Join(g, " ")
	}},
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// exporter builds the XML tree and the ID side table. The streaming
// writer drains ids and notes into temporary files as it goes.
type exporter struct {
	p     *annotate.Project // codes and targets, for the codebook
	ids   map[string]string // GUID -> record name
	users map[string]bool
	notes []xTextSource
	// renamed: GUID -> [name in the file, Gloss name] for codes and
	// targets whose names had to be made unique.
	renamed map[string][2]string
	claims  *sideClaims // gloss-claims.json
}

func (e *exporter) guid(name string) string {
	g := GUID(name)
	e.ids[g] = name
	return g
}

func (e *exporter) user(name string) string {
	if name == "" {
		return ""
	}
	e.users[name] = true
	return GUID(userName(name))
}

// note adds a Note (named so other tools' note lists say what it is about)
// and returns the reference to it.
func (e *exporter) note(owner, label, text, user string, created time.Time) []xRef {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	g := GUID("note:" + owner)
	t := text
	n := xTextSource{GUID: g, Name: clip(label, 60), PlainTextContent: &t, CreatingUser: e.user(user), CreationDateTime: stamp(created)}
	e.notes = append(e.notes, n)
	return []xRef{{TargetGUID: g}}
}

// NameSep joins a qualifier to a name where a code name must be made
// unique: "United States · favor".
const NameSep = " · "

// namer hands out code names unique within the codebook (case-insensitive),
// as QualCoder requires: a second code of one name would be dropped there,
// with every coding that uses it.
type namer struct {
	used    map[string]bool
	renamed map[string][2]string // GUID -> exported name, Gloss name
}

// take returns name if free, else qualifier · name, else with a number.
func (n *namer) take(name, qualifier string) string {
	try := []string{name}
	if qualifier != "" {
		try = append(try, qualifier+NameSep+name)
	}
	for _, c := range try {
		if !n.used[strings.ToLower(c)] {
			n.used[strings.ToLower(c)] = true
			return c
		}
	}
	for i := 2; ; i++ {
		c := fmt.Sprintf("%s (%d)", try[len(try)-1], i)
		if !n.used[strings.ToLower(c)] {
			n.used[strings.ToLower(c)] = true
			return c
		}
	}
}

// codebook is the Gloss codes as a tree, then the Stance and Credibility
// branches, every name unique. Gloss codes keep their names first; a code
// whose name is taken is qualified with its parent's, and the side table
// records its Gloss name so a round trip restores it. Stance values are
// always qualified with their target ("United States · favor"): each
// target's "favor" is a different code.
func (e *exporter) codebook() []xCode {
	children := map[string][]annotate.Code{}
	byID := map[string]annotate.Code{}
	for _, c := range e.p.Codes {
		children[c.Parent] = append(children[c.Parent], c)
		byID[c.ID] = c
	}
	nm := &namer{used: map[string]bool{}, renamed: e.renamed}
	var build func(parent string, depth int) []xCode
	build = func(parent string, depth int) []xCode {
		var out []xCode
		if depth > 1000 { // a cycle; Validate reports it
			return nil
		}
		for _, c := range children[parent] {
			g := e.guid(codeName(c.ID))
			name := nm.take(c.Name, byID[c.Parent].Name)
			if name != c.Name {
				nm.renamed[g] = [2]string{name, c.Name}
			}
			out = append(out, xCode{GUID: g, Name: name, IsCodable: true,
				Color: c.Color, Description: c.Description, Code: build(c.ID, depth+1)})
		}
		return out
	}
	codes := build("", 0)
	if len(e.p.Targets) > 0 {
		st := xCode{GUID: e.guid("branch:stance"), Name: nm.take(StanceBranch, "Gloss"), IsCodable: false,
			Description: "Gloss: the stance a passage takes toward each target."}
		for _, t := range e.p.Targets {
			g := e.guid(targetName(t.ID))
			name := nm.take(t.Name, StanceBranch)
			if name != t.Name {
				nm.renamed[g] = [2]string{name, t.Name}
			}
			tc := xCode{GUID: g, Name: name, IsCodable: false, Description: t.Description}
			for _, s := range annotate.Stances {
				tc.Code = append(tc.Code, xCode{GUID: e.guid(stanceName(t.ID, s)), Name: nm.take(t.Name+NameSep+string(s), ""),
					IsCodable: true, Color: stanceColors[s]})
			}
			st.Code = append(st.Code, tc)
		}
		codes = append(codes, st)
	}
	cr := xCode{GUID: e.guid("branch:credibility"), Name: nm.take(CredibilityBranch, "Gloss"), IsCodable: false,
		Description: "Gloss: Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged)."}
	for _, g := range annotate.CredibilityScale {
		cr.Code = append(cr.Code, xCode{GUID: e.guid(credibilityName(g.Grade)), Name: nm.take(CredibilityCodeName(g.Grade), CredibilityBranch),
			IsCodable: true, Color: credibilityColors[g.Grade-1], Description: g.Meaning})
	}
	return append(codes, cr)
}

func (e *exporter) selection(guid, name, user string, sel annotate.Selector, created, modified time.Time) xSelection {
	u := e.user(user)
	return xSelection{GUID: guid, Name: clip(name, 60), Start: sel.Start, End: sel.End,
		CreatingUser: u, CreationDateTime: stamp(created), ModifyingUser: u, ModifiedDateTime: stamp(modified)}
}

func (e *exporter) coding(owner, codeGUID, user string, created time.Time) xCoding {
	return xCoding{GUID: GUID("coding:" + owner + ":" + codeGUID), CreatingUser: e.user(user),
		CreationDateTime: stamp(created), CodeRef: xRef{TargetGUID: codeGUID}}
}

// sideTable is gloss-ids.json.
type sideTable struct {
	Format string            `json:"format"`
	IDs    map[string]string `json:"ids"` // GUID -> record name
	// Names: GUID -> [name in the file, Gloss name], for names made
	// unique on export; restored only while the file's name is unchanged.
	Names map[string][2]string `json:"names,omitempty"`
}

// linkLabel names a link with its review status (and score, for
// suggestions) so other tools show it and ReadQDPX can restore it.
func linkLabel(k annotate.Link) string {
	s := linkNamePrefix + ": " + string(k.Status)
	if k.Score != 0 {
		s += " (score " + strconv.FormatFloat(k.Score, 'g', -1, 64) + ")"
	}
	return s
}

// WriteQDPX writes p as a .qdpx archive; see WriteQDPXReader.
func WriteQDPX(w io.Writer, p *annotate.Project, opt Options) error {
	if p == nil {
		return fmt.Errorf("REFI-QDA export: no project")
	}
	return WriteQDPXReader(w, annotate.ProjectReader(p), opt)
}

// WriteQDC writes p's codebook as a .qdc file, including the Stance and
// Credibility branches so another project can code with them.
func WriteQDC(w io.Writer, p *annotate.Project) error {
	if p == nil {
		return fmt.Errorf("REFI-QDA codebook export: no project")
	}
	parents := make(map[string]string, len(p.Codes)) // a map: a scan per code was quadratic
	for _, c := range p.Codes {
		parents[c.ID] = c.Parent
	}
	parentOf := func(id string) (string, bool) {
		par, ok := parents[id]
		return par, ok
	}
	for _, c := range p.Codes {
		if err := annotate.ValidateCode(c, parentOf); err != nil {
			return fmt.Errorf("REFI-QDA codebook export: code %s: %w", c.ID, err)
		}
	}
	e := &exporter{p: p, ids: map[string]string{}, users: map[string]bool{}, renamed: map[string][2]string{}}
	cb := xCodeBook{XMLName: xml.Name{Space: CodebookNS, Local: "CodeBook"}, Origin: "Gloss", Codes: xCodes{Code: e.codebook()}}
	b, err := marshal(cb)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("REFI-QDA export: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// stamp is xsd:dateTime in UTC, or "" (attribute left out) when unknown.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
