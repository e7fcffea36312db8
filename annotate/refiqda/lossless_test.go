package refiqda

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"gloss/annotate"
)

// collidingProject adds to testProject codes whose names collide with each
// other and with the convention branches, the way analysts name things.
func collidingProject(t *testing.T) *annotate.Project {
	p := testProject(t)
	p.Codes = append(p.Codes,
		annotate.Code{ID: "c5", Name: "Flights", Color: "#fdb462"},               // also under Cooperation
		annotate.Code{ID: "c6", Name: "flights", Parent: "c3", Color: "#8dd3c7"}, // differs only in case
		annotate.Code{ID: "c7", Name: "Stance", Color: "#e5c494"},                // the branch's name
		annotate.Code{ID: "c8", Name: "2: Probably true", Color: "#b3de69"},      // a grade's name
		annotate.Code{ID: "c9", Name: "United States · favor", Color: "#fccde5"}, // a stance value's name
		annotate.Code{ID: "c10", Name: "China", Parent: "c7", Color: "#fccde5"},  // a target's name
	)
	p.Annotations[1].Codes = append(p.Annotations[1].Codes, "c5", "c6", "c7", "c8", "c9", "c10")
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatal(errs)
	}
	return p
}

// codeNames lists every Code name in a .qde or .qdc, in document order.
func codeNames(t *testing.T, doc string) []string {
	t.Helper()
	var names []string
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Code" {
			for _, a := range se.Attr {
				if a.Name.Local == "name" {
					names = append(names, a.Value)
				}
			}
		}
	}
	return names
}

func TestCodeNamesUnique(t *testing.T) {
	p := collidingProject(t)
	data := exportQDPX(t, p)
	var qdc bytes.Buffer
	if err := WriteQDC(&qdc, p); err != nil {
		t.Fatal(err)
	}
	for what, doc := range map[string]string{"project.qde": entry(t, data, projectEntry), ".qdc": qdc.String()} {
		names := codeNames(t, doc)
		// 10 codes, Stance + 3 targets × (1 + 4 values), Credibility + 6 grades.
		if len(names) != 10+1+3*5+1+6 {
			t.Errorf("%s: %d codes: %q", what, len(names), names)
		}
		seen := map[string]bool{}
		for _, n := range names {
			if seen[strings.ToLower(n)] {
				t.Errorf("%s: code name %q appears twice (QualCoder keeps only one)", what, n)
			}
			seen[strings.ToLower(n)] = true
		}
		for _, want := range []string{"United States · favor", "China · against", "UN · mixed", "Gloss · Stance",
			"Credibility · 2: Probably true", "Stance · China", "Criticism · flights", "Flights (2)", "United States · favor (2)"} {
			if !seen[strings.ToLower(want)] {
				t.Errorf("%s: no code %q in %q", what, want, names)
			}
		}
	}
	if err := xmllint(t, "Project-mrt2019.xsd", []byte(entry(t, data, projectEntry))); err != nil {
		t.Error(err)
	}
	if err := xmllint(t, "Codebook.xsd", qdc.Bytes()); err != nil {
		t.Error(err)
	}
}

// Gloss → Gloss keeps every note, stance, credibility, reliability, link,
// author and code name, with names that had to change on the way.
func TestRoundTripLossless(t *testing.T) {
	p := collidingProject(t)
	var warnings []string
	got, err := importQDPX(exportQDPX(t, p), ReadOptions{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Errorf("warnings on our own export: %q", warnings)
	}
	want, g := canonical(p), canonical(got)
	for _, c := range []struct {
		what      string
		got, want any
	}{{"sources", g.Sources, want.Sources}, {"codes", g.Codes, want.Codes}, {"targets", g.Targets, want.Targets},
		{"annotations", g.Annotations, want.Annotations}, {"links", g.Links, want.Links}} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s differ:\n got %+v\nwant %+v", c.what, c.got, c.want)
		}
	}
	// The pieces the issue counts, explicitly.
	notes, stances, creds, authors := 0, 0, 0, 0
	for _, a := range got.Annotations {
		if a.Note != "" {
			notes++
		}
		stances += len(a.Stances)
		if a.Credibility != 0 {
			creds++
		}
		if a.Author != "" {
			authors++
		}
	}
	if notes != 2 || stances != 3 || creds != 2 || authors != 2 || got.Sources[0].Reliability != "B" || got.Sources[1].Note == "" || len(got.Links) != 3 {
		t.Errorf("notes %d stances %d grades %d authors %d reliability %q source note %q links %d",
			notes, stances, creds, authors, got.Sources[0].Reliability, got.Sources[1].Note, len(got.Links))
	}
}

// The note is the selection's Description (QualCoder's memo) and a Note.
func TestNotesAsDescription(t *testing.T) {
	p := testProject(t)
	qde := entry(t, exportQDPX(t, p), projectEntry)
	for _, want := range []string{
		"<Description>Matches the ministry&#39;s statement.</Description>",
		"<Description>原文如此</Description>",
		"<Description>Transcript as published.&#xA;Second line.</Description>",
		`<NoteRef targetGUID="` + GUID("note:annotation:a1") + `"></NoteRef>`,
	} {
		if !strings.Contains(qde, want) {
			t.Errorf("project.qde lacks %s", want)
		}
	}
}

// qualCoderQDE is shaped like QualCoder's export (written for this test):
// categories as non-codable codes, the Stance branch with one empty target
// (Colombia), one partial (China: favor only) and one full; stance values
// in the old form ("favor") and the new ("United States · against"); a
// stray code under a target; memos in Description, one also as a Note;
// CRLF text files with a BOM.
const qualCoderQDE = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="qc" origin="QualCoder 3.6">
<Users><User guid="aaaaaaaa-0000-4000-8000-000000000001" name="coder1"/></Users>
<CodeBook><Codes>
<Code guid="c0000000-0000-4000-8000-000000000001" name="Stance" isCodable="false">
 <Code guid="c0000000-0000-4000-8000-000000000002" name="China" isCodable="false">
  <Code guid="c0000000-0000-4000-8000-000000000003" name="favor" isCodable="true" color="#4daf4a"/>
 </Code>
 <Code guid="c0000000-0000-4000-8000-000000000004" name="Colombia" isCodable="false"/>
 <Code guid="c0000000-0000-4000-8000-000000000005" name="United States" isCodable="false">
  <Code guid="c0000000-0000-4000-8000-000000000006" name="United States · against" isCodable="true"/>
  <Code guid="c0000000-0000-4000-8000-000000000007" name="neutral" isCodable="true"/>
  <Code guid="c0000000-0000-4000-8000-000000000008" name="sarcastic" isCodable="true"/>
 </Code>
</Code>
<Code guid="c0000000-0000-4000-8000-000000000009" name="Credibility" isCodable="false">
 <Code guid="c0000000-0000-4000-8000-00000000000a" name="2: Probably true" isCodable="true"/>
</Code>
<Code guid="c0000000-0000-4000-8000-00000000000b" name="Deportation" isCodable="true" color="#123456"/>
</Codes></CodeBook>
<Sources>
<TextSource guid="50000000-0000-4000-8000-000000000001" name="one.txt" plainTextPath="internal://50000000-0000-4000-8000-000000000001.txt" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
<Description>File memo: from the ministry site.</Description>
<PlainTextSelection guid="e0000000-0000-4000-8000-000000000001" startPosition="0" endPosition="5" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
<Description>memo one</Description>
<Coding guid="f0000000-0000-4000-8000-000000000001"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000003"/></Coding>
<Coding guid="f0000000-0000-4000-8000-000000000002"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000006"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="e0000000-0000-4000-8000-000000000002" startPosition="7" endPosition="11" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
<Description>memo two</Description>
<Coding guid="f0000000-0000-4000-8000-000000000003"><CodeRef targetGUID="c0000000-0000-4000-8000-00000000000b"/></Coding>
<Coding guid="f0000000-0000-4000-8000-000000000004"><CodeRef targetGUID="c0000000-0000-4000-8000-00000000000a"/></Coding>
<NoteRef targetGUID="90000000-0000-4000-8000-000000000001"/>
</PlainTextSelection>
</TextSource>
<TextSource guid="50000000-0000-4000-8000-000000000002" name="two.txt" plainTextPath="internal://50000000-0000-4000-8000-000000000002.txt" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
<PlainTextSelection guid="e0000000-0000-4000-8000-000000000003" startPosition="2" endPosition="6" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
<Description>memo three</Description>
<Coding guid="f0000000-0000-4000-8000-000000000005"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000007"/></Coding>
<Coding guid="f0000000-0000-4000-8000-000000000006"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000008"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="e0000000-0000-4000-8000-000000000004" startPosition="8" endPosition="10" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
<Description>memo four</Description>
<Coding guid="f0000000-0000-4000-8000-000000000007"><CodeRef targetGUID="c0000000-0000-4000-8000-00000000000b"/></Coding>
</PlainTextSelection>
</TextSource>
</Sources>
<Notes><Note guid="90000000-0000-4000-8000-000000000001" name="memo"><PlainTextContent>memo two</PlainTextContent></Note></Notes>
</Project>`

func TestReadQualCoderShape(t *testing.T) {
	bom := "\xEF\xBB\xBF"
	one := bom + "Hello\r\nthere, world.\r\n"
	two := bom + "中美双方\r\n同意合作。"
	data := buildZip(t, [2]string{"project.qde", qualCoderQDE},
		[2]string{"Sources/50000000-0000-4000-8000-000000000001.txt", one},
		[2]string{"Sources/50000000-0000-4000-8000-000000000002.txt", two})
	var warnings []string
	p, err := importQDPX(data, ReadOptions{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	x := annotate.NewIndex(p)
	var tnames []string
	for _, tg := range p.Targets {
		tnames = append(tnames, tg.Name)
	}
	if !reflect.DeepEqual(tnames, []string{"China", "Colombia", "United States"}) {
		t.Errorf("targets %q", tnames)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], `"sarcastic"`) || !strings.Contains(warnings[0], "plain code") {
		t.Errorf("warnings %q, want one about \"sarcastic\"", warnings)
	}
	if _, ok := x.CodeByName("sarcastic"); !ok {
		t.Error("the stray code was not imported as a plain code")
	}
	if len(p.Codes) != 2 {
		t.Errorf("codes %+v, want Deportation and sarcastic", p.Codes)
	}
	if p.Sources[0].Text != "Hello\nthere, world.\n" || p.Sources[0].Note != "File memo: from the ministry site." {
		t.Errorf("source one: %q, note %q", p.Sources[0].Text, p.Sources[0].Note)
	}
	china, _ := x.TargetByName("China")
	us, _ := x.TargetByName("United States")
	want := []struct {
		exact, note string
		stances     []annotate.StanceMark
		cred        annotate.Credibility
		codes       int
	}{
		{"Hello", "memo one", []annotate.StanceMark{{Target: china.ID, Stance: annotate.Favor}, {Target: us.ID, Stance: annotate.Against}}, 0, 0},
		{"ther", "memo two", nil, 2, 1}, // 7–11 after one CRLF: one code point fewer
		{"双方\n", "memo three", []annotate.StanceMark{{Target: us.ID, Stance: annotate.Neutral}}, 0, 1},
		{"合作", "memo four", nil, 0, 1},
	}
	if len(p.Annotations) != len(want) {
		t.Fatalf("%d annotations", len(p.Annotations))
	}
	for i, w := range want {
		a := p.Annotations[i]
		if a.Selector.Exact != w.exact || a.Note != w.note || !reflect.DeepEqual(a.Stances, w.stances) ||
			a.Credibility != w.cred || len(a.Codes) != w.codes || a.Author != "coder1" {
			t.Errorf("annotation %d: %q note %q stances %+v grade %d codes %v author %q; want %+v",
				i, a.Selector.Exact, a.Note, a.Stances, a.Credibility, a.Codes, a.Author, w)
		}
	}
	if n := utf8.RuneCountInString(p.Sources[1].Text); n != 10 {
		t.Errorf("source two has %d code points", n)
	}
}

// A user's own "Stance" code with ordinary children stays a code tree.
func TestUserStanceCodeStaysCode(t *testing.T) {
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="u"><CodeBook><Codes>
<Code guid="c0000000-0000-4000-8000-000000000001" name="Stance" isCodable="true">
 <Code guid="c0000000-0000-4000-8000-000000000002" name="Positive" isCodable="true"/>
</Code></Codes></CodeBook></Project>`
	p, err := importQDPX(buildZip(t, [2]string{"project.qde", qde}), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Targets) != 0 || len(p.Codes) != 2 {
		t.Errorf("targets %+v codes %+v", p.Targets, p.Codes)
	}
}

// A Credibility branch with a code that is no grade keeps the grades and
// imports the rest as a plain code, saying so.
func TestCredibilityBranchValueByValue(t *testing.T) {
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="c"><CodeBook><Codes>
<Code guid="c0000000-0000-4000-8000-000000000001" name="Credibility" isCodable="false">
 <Code guid="c0000000-0000-4000-8000-000000000002" name="Credibility · 3: Possibly true" isCodable="true"/>
 <Code guid="c0000000-0000-4000-8000-000000000003" name="Reliable-ish" isCodable="true"/>
</Code></Codes></CodeBook>
<Sources><TextSource guid="50000000-0000-4000-8000-000000000001" name="t" plainTextPath="internal://t.txt">
<PlainTextSelection guid="e0000000-0000-4000-8000-000000000001" startPosition="0" endPosition="5">
<Coding guid="f0000000-0000-4000-8000-000000000001"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
<Coding guid="f0000000-0000-4000-8000-000000000002"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000003"/></Coding>
</PlainTextSelection></TextSource></Sources></Project>`
	var warnings []string
	p, err := importQDPX(buildZip(t, [2]string{"project.qde", qde}, [2]string{"Sources/t.txt", "hello world"}),
		ReadOptions{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Codes) != 1 || p.Codes[0].Name != "Reliable-ish" || len(p.Annotations) != 1 ||
		p.Annotations[0].Credibility != 3 || len(p.Annotations[0].Codes) != 1 {
		t.Errorf("codes %+v annotations %+v", p.Codes, p.Annotations)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], `"Reliable-ish"`) {
		t.Errorf("warnings %q", warnings)
	}
}

// Re-saved by another tool (no side table), a target that export had to
// qualify ("Stance · China", a code is named China) still comes back as
// "China".
func TestQualifiedTargetWithoutSideTable(t *testing.T) {
	data := exportQDPX(t, collidingProject(t))
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	var entries [][2]string
	for _, f := range zr.File {
		if f.Name != idsEntry {
			entries = append(entries, [2]string{f.Name, entry(t, data, f.Name)})
		}
	}
	p, err := importQDPX(buildZip(t, entries...), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range p.Targets {
		names = append(names, tg.Name)
	}
	if strings.Join(names, ",") != "United States,China,UN" {
		t.Errorf("targets %q", names)
	}
	stances := 0
	for _, a := range p.Annotations {
		stances += len(a.Stances)
	}
	if stances != 3 {
		t.Errorf("%d stances, want 3", stances)
	}
}
