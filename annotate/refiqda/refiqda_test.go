package refiqda

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gloss/annotate"
	"gloss/internal/testshared"
)

// testProject is written for these tests (no corpus text).
func testProject(t testing.TB) *annotate.Project {
	t.Helper()
	en := "🙂 Officials said both governments agreed on a return flight.\nCritics <disagreed> & asked why.\n"
	zh := "外交部发言人表示，中美双方在遣返问题上保持沟通。😀 双方同意继续合作。\n第二段：美方表示感谢。"
	sum := "Summary: the two governments agreed to cooperate. The US said thanks."
	p := &annotate.Project{Name: "Repatriation study 遣返"}
	ts := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)
	add := func(s annotate.Source) {
		s.ContentHash, s.Length, s.ImportedAt = annotate.HashText(s.Text), utf8.RuneCountInString(s.Text), ts
		p.Sources = append(p.Sources, s)
	}
	add(annotate.Source{ID: "s01", Title: "Wire report", Outlet: "Example Wire", Author: "J. Doe", URL: "https://news.example.com/a?b=1&c=2",
		Published: "2026-02", Language: annotate.English, Kind: annotate.KindOriginal, Reliability: "B", ReliabilityNote: "long track record",
		FileName: "wire.txt", Text: en})
	add(annotate.Source{ID: "s02", Title: "外交部发布会", Language: annotate.Simplified, Kind: annotate.KindOriginal, Reliability: "C",
		StateAffiliated: true, Note: "Transcript as published.\nSecond line.", Text: zh})
	add(annotate.Source{ID: "s03", Title: "Analyst summary", Language: annotate.English, Kind: annotate.KindSummary,
		MachineTranslated: false, Originals: []string{"s02", "s01"}, Text: sum})
	p.Codes = []annotate.Code{
		{ID: "c1", Name: "Cooperation", Color: "#7fc97f", Description: "Joint action of both states"},
		{ID: "c3", Name: "Criticism", Color: "#FB8072"},
		{ID: "c2", Name: "Flights", Parent: "c1", Color: "#80b1d3"},
		{ID: "c4", Name: "Charter", Parent: "c2", Color: "#bc80bd"},
	}
	p.Targets = []annotate.Target{{ID: "t1", Name: "United States", Description: "the US government"}, {ID: "t2", Name: "China"}, {ID: "t3", Name: "UN"}}
	sel := func(src int, quote string) annotate.Selector {
		tx := annotate.NewText(p.Sources[src].Text)
		hits := tx.Find(quote)
		if len(hits) != 1 {
			t.Fatalf("quote %q found %d times", quote, len(hits))
		}
		s, err := tx.Select(hits[0], hits[0]+utf8.RuneCountInString(quote))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	p.Annotations = []annotate.Annotation{
		{ID: "a1", SourceID: "s01", Selector: sel(0, "both governments agreed"), Codes: []string{"c4", "c1"},
			Stances:     []annotate.StanceMark{{Target: "t1", Stance: annotate.Favor}, {Target: "t2", Stance: annotate.Neutral}},
			Credibility: 2, Note: "Matches the ministry's statement.", Author: "Ana Analyst", Created: ts, Modified: ts.Add(time.Hour)},
		{ID: "a2", SourceID: "s01", Selector: sel(0, "<disagreed> &"), Codes: []string{"c3"}, Author: "Bo", Created: ts, Modified: ts},
		{ID: "a3", SourceID: "s02", Selector: sel(1, "双方同意继续合作"), Stances: []annotate.StanceMark{{Target: "t1", Stance: annotate.Against}},
			Credibility: 6, Note: "原文如此", Created: ts, Modified: ts},
		{ID: "a4", SourceID: "s02", Selector: sel(1, "外交部"), Created: ts, Modified: ts},                           // a bare highlight
		{ID: "a5", SourceID: "s02", Selector: sel(1, "外交部发言人"), Codes: []string{"c1"}, Created: ts, Modified: ts}, // overlaps a4
	}
	p.Links = []annotate.Link{
		{ID: "l1", Status: annotate.Confirmed, Created: ts, Modified: ts.Add(2 * time.Minute), Note: "same claim",
			From: annotate.Anchor{SourceID: "s03", Selector: sel(2, "the two governments agreed to cooperate")},
			To: []annotate.Anchor{{SourceID: "s02", Selector: sel(1, "双方同意继续合作")},
				{SourceID: "s01", Selector: sel(0, "both governments agreed")}}},
		{ID: "l2", Status: annotate.Suggested, Score: 0.625, Created: ts, Modified: ts,
			From: annotate.Anchor{SourceID: "s03", Selector: sel(2, "The US said thanks.")},
			To:   []annotate.Anchor{{SourceID: "s02", Selector: sel(1, "美方表示感谢")}}},
		{ID: "l3", Status: annotate.Rejected, Created: ts, Modified: ts,
			From: annotate.Anchor{SourceID: "s03", Selector: sel(2, "The US said thanks.")},
			To:   []annotate.Anchor{{SourceID: "s01", Selector: sel(0, "Critics")}}},
	}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("test project invalid: %v", errs)
	}
	return p
}

var fixedTime = time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)

func exportQDPX(t testing.TB, p *annotate.Project) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, p, Options{User: "Ana Analyst", Time: fixedTime}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importQDPX(data []byte, opt ReadOptions) (*annotate.Project, error) {
	return ReadQDPX(bytes.NewReader(data), int64(len(data)), opt)
}

// canonical sorts what has no meaningful order, so projects compare.
func canonical(p *annotate.Project) *annotate.Project {
	q := *p
	q.Codes = append([]annotate.Code(nil), p.Codes...)
	sort.Slice(q.Codes, func(i, j int) bool { return q.Codes[i].ID < q.Codes[j].ID })
	q.Annotations = append([]annotate.Annotation(nil), p.Annotations...)
	sort.Slice(q.Annotations, func(i, j int) bool { return q.Annotations[i].ID < q.Annotations[j].ID })
	return &q
}

func TestRoundTrip(t *testing.T) {
	p := testProject(t)
	var warnings []string
	got, err := importQDPX(exportQDPX(t, p), ReadOptions{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Errorf("warnings on our own export: %v", warnings)
	}
	want, g := canonical(p), canonical(got)
	if g.Name != want.Name {
		t.Errorf("name %q, want %q", g.Name, want.Name)
	}
	for i := range want.Sources {
		if i >= len(g.Sources) || !reflect.DeepEqual(g.Sources[i], want.Sources[i]) {
			t.Errorf("source %d:\n got %+v\nwant %+v", i, at(g.Sources, i), want.Sources[i])
		}
	}
	check := func(what string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differ:\n got %+v\nwant %+v", what, a, b)
		}
	}
	check("source count", len(g.Sources), len(want.Sources))
	check("codes", g.Codes, want.Codes)
	check("targets", g.Targets, want.Targets)
	check("annotations", g.Annotations, want.Annotations)
	check("links", g.Links, want.Links)
}

func at[T any](s []T, i int) any {
	if i < len(s) {
		return s[i]
	}
	return nil
}

func TestStableAndGUIDs(t *testing.T) {
	p := testProject(t)
	a, b := exportQDPX(t, p), exportQDPX(t, p)
	if !bytes.Equal(a, b) {
		t.Error("two exports of one project differ")
	}
	// Cross-checked with Python: uuid5(uuid5(NAMESPACE_URL, "urn:gloss"), "annotation:a1").
	if g := GUID("annotation:a1"); g != "878f83df-cf52-5e66-b7c3-4d2ec40107c3" {
		t.Errorf("GUID = %s", g)
	}
	qde := entry(t, a, "project.qde")
	for _, want := range []string{
		`<Project xmlns="urn:QDA-XML:project:1.0" name="Repatriation study 遣返"`,
		`plainTextPath="internal://` + GUID("source:s01") + `.txt"`,
		`<PlainTextSelection guid="` + GUID("annotation:a1") + `" name="both governments agreed" startPosition="17" endPosition="40"`,
		`<Code guid="` + GUID("code:c1") + `" name="Cooperation" isCodable="true" color="#7fc97f">`,
		`name="Stance" isCodable="false"`, `name="United States · against" isCodable="true"`, `name="2: Probably true" isCodable="true"`,
		`name="Gloss link: suggested (score 0.625)" direction="OneWay"`,
		`<TextValue>https://news.example.com/a?b=1&amp;c=2</TextValue>`,
	} {
		if !strings.Contains(qde, want) {
			t.Errorf("project.qde lacks %s", want)
		}
	}
	// Code-point positions: the emoji before the passage counts once.
	if n := utf8.RuneCountInString("🙂 Officials said "); n != 17 {
		t.Fatalf("fixture changed: %d", n)
	}
	if txt := entry(t, a, "Sources/"+GUID("source:s02")+".txt"); txt != p.Sources[1].Text {
		t.Errorf("source text entry differs")
	}
}

func entry(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no entry %s", name)
	return ""
}

// xmllint validates data against a schema in ../shared/refi, skipping the
// test when xmllint or the schemas are absent.
func xmllint(t *testing.T, schema string, data []byte) error {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not installed")
	}
	refi := testshared.Path(t, "refi")
	file := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join(refi, schema), file).CombinedOutput()
	if err != nil {
		return fmt.Errorf("xmllint against %s: %v\n%s", schema, err, out)
	}
	return nil
}

func TestSchemaValidation(t *testing.T) {
	p := testProject(t)
	qde := entry(t, exportQDPX(t, p), "project.qde")
	if err := xmllint(t, "Project-mrt2019.xsd", []byte(qde)); err != nil {
		t.Error("project.qde: ", err)
	}
	var qdc bytes.Buffer
	if err := WriteQDC(&qdc, p); err != nil {
		t.Fatal(err)
	}
	if err := xmllint(t, "Codebook.xsd", qdc.Bytes()); err != nil {
		t.Error("codebook.qdc: ", err)
	}
	// The validator must be able to say no: a selection without positions.
	bad := strings.Replace(qde, `startPosition="17" `, "", 1)
	if bad == qde || xmllint(t, "Project-mrt2019.xsd", []byte(bad)) == nil {
		t.Error("xmllint accepted a selection without startPosition")
	}
	// A project without targets or links still validates (no empty containers).
	empty := &annotate.Project{Name: "empty"}
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, empty, Options{Time: fixedTime}); err != nil {
		t.Fatal(err)
	}
	if err := xmllint(t, "Project-mrt2019.xsd", []byte(entry(t, buf.Bytes(), "project.qde"))); err != nil {
		t.Error("empty project: ", err)
	}
	buf.Reset()
	if err := WriteQDC(&buf, empty); err != nil {
		t.Fatal(err)
	}
	if err := xmllint(t, "Codebook.xsd", buf.Bytes()); err != nil {
		t.Error("empty codebook: ", err)
	}
}

func TestCodebookContent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteQDC(&buf, testProject(t)); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{`<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Gloss">`,
		`name="Flights" isCodable="true" color="#80b1d3"`, `name="Charter"`, `name="United States" isCodable="false"`} {
		if !strings.Contains(s, want) {
			t.Errorf("codebook lacks %s", want)
		}
	}
	// Nesting: Charter sits inside Flights inside Cooperation.
	if i, j, k := strings.Index(s, `"Cooperation"`), strings.Index(s, `"Flights"`), strings.Index(s, `"Charter"`); !(i < j && j < k) {
		t.Errorf("hierarchy not nested in order: %d %d %d", i, j, k)
	}
}

// buildZip writes entries in order; method per entry is Deflate.
func buildZip(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e[1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const miniQDE = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="mini">
 <CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="A" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="t" plainTextPath="internal://t.txt">
  <PlainTextSelection guid="33333333-3333-3333-3333-333333333333" startPosition="%d" endPosition="%d">
   <Coding guid="44444444-4444-4444-4444-444444444444"><CodeRef targetGUID="%s"/></Coding>
  </PlainTextSelection></TextSource></Sources>
</Project>`

func mini(start, end int, code string) string { return fmt.Sprintf(miniQDE, start, end, code) }

const okCode = "11111111-1111-1111-1111-111111111111"

func TestRefusesBadArchives(t *testing.T) {
	good := buildZip(t, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{"Sources/t.txt", "hello world"})
	if p, err := importQDPX(good, ReadOptions{}); err != nil || len(p.Annotations) != 1 {
		t.Fatalf("control archive: %v", err)
	}
	cases := []struct {
		name string
		data []byte
		opt  ReadOptions
		want []string // all must appear in the message
	}{
		{"zip slip", buildZip(t, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{"Sources/t.txt", "hello"},
			[2]string{"Sources/../../evil.sh", "rm -rf"}), ReadOptions{}, []string{`"Sources/../../evil.sh"`, ".."}},
		{"absolute path", buildZip(t, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{"/etc/passwd", "x"}),
			ReadOptions{}, []string{`"/etc/passwd"`, "absolute"}},
		{"backslash", buildZip(t, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{`Sources\..\x.txt`, "x"}),
			ReadOptions{}, []string{`Sources\\..\\x.txt`, "backslash"}},
		{"no project.qde", buildZip(t, [2]string{"Sources/t.txt", "hello"}), ReadOptions{}, []string{"project.qde"}},
		{"malformed XML", buildZip(t, [2]string{"project.qde", "<Project name='x'><CodeBook></Project>"}),
			ReadOptions{}, []string{"project.qde", "malformed XML", "line 1"}},
		{"wrong root", buildZip(t, [2]string{"project.qde", "<CodeBook/>"}), ReadOptions{}, []string{"project.qde", "<CodeBook>"}},
		{"selection outside text", buildZip(t, [2]string{"project.qde", mini(3, 50, okCode)}, [2]string{"Sources/t.txt", "hello world"}),
			ReadOptions{}, []string{"project.qde", "33333333-3333-3333-3333-333333333333", "3–50", "outside the text (0–11"}},
		{"empty selection", buildZip(t, [2]string{"project.qde", mini(4, 4, okCode)}, [2]string{"Sources/t.txt", "hello world"}),
			ReadOptions{}, []string{"33333333-3333-3333-3333-333333333333", "empty"}},
		{"unknown code", buildZip(t, [2]string{"project.qde", mini(0, 5, "99999999-9999-9999-9999-999999999999")}, [2]string{"Sources/t.txt", "hello world"}),
			ReadOptions{}, []string{"project.qde", "99999999-9999-9999-9999-999999999999", "not in the codebook"}},
		{"missing text entry", buildZip(t, [2]string{"project.qde", mini(0, 5, okCode)}), ReadOptions{}, []string{`"Sources/t.txt"`}},
		{"invalid UTF-8 text", buildZip(t, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{"Sources/t.txt", "hel\xfflo"}),
			ReadOptions{}, []string{`"Sources/t.txt"`, "UTF-8"}},
		{"external text", buildZip(t, [2]string{"project.qde", strings.Replace(mini(0, 5, okCode), "internal://t.txt", "absolute:///etc/passwd", 1)}),
			ReadOptions{}, []string{"outside the archive"}},
		{"not a zip", []byte("PK\x03\x04 not really"), ReadOptions{}, []string{"zip"}},
		{"duplicate entry", buildZip(t, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{"project.qde", "<x/>"}),
			ReadOptions{}, []string{`"project.qde"`, "twice"}},
		{"too many entries", good, ReadOptions{MaxEntries: 1}, []string{"2 entries"}},
		{"damaged entry", damaged(t, good), ReadOptions{}, []string{`"Sources/t.txt"`, "damaged"}},
		{"small byte limit", good, ReadOptions{MaxBytes: 100}, []string{`"project.qde"`, "limit of 100 bytes"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := importQDPX(c.data, c.opt)
			if err == nil {
				t.Fatalf("accepted; got %d sources", len(p.Sources))
			}
			if p != nil {
				t.Errorf("returned a project along with the error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
		})
	}
}

// damaged flips the stored CRC of Sources/t.txt in the central directory.
func damaged(t *testing.T, data []byte) []byte {
	t.Helper()
	out := append([]byte(nil), data...)
	i := bytes.LastIndex(out, []byte("PK\x01\x02")) // last central header: Sources/t.txt
	if i < 0 {
		t.Fatal("no central directory")
	}
	out[i+16] ^= 0xff
	return out
}

// zeros is an io.Reader of n zero bytes.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

// bomb is a .qdpx whose source text is 1 GiB of zeros (about 1 MB packed).
func bomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	w, _ := zw.Create("project.qde")
	io.WriteString(w, mini(0, 5, okCode))
	w, _ = zw.Create("Sources/t.txt")
	if _, err := io.CopyBuffer(w, &zeros{1 << 30}, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRefusesZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("building a 1 GiB bomb takes a few seconds")
	}
	data := bomb(t)
	t.Logf("bomb: %d bytes packed, 1 GiB inflated", len(data))
	// A small byte budget, ratio check off: the byte count stops it.
	_, err := importQDPX(data, ReadOptions{MaxBytes: 4 << 20, MaxRatio: 1 << 40})
	if err == nil || !strings.Contains(err.Error(), `"Sources/t.txt"`) || !strings.Contains(err.Error(), "limit of 4 MB") {
		t.Errorf("byte limit: %v", err)
	}
	// Defaults: refused too, early (after about 1 MB), by the ratio check.
	start := time.Now()
	_, err = importQDPX(data, ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), `"Sources/t.txt"`) || !strings.Contains(err.Error(), "500 times its compressed size") {
		t.Errorf("defaults: %v", err)
	}
	t.Logf("refused with defaults in %v: %v", time.Since(start), err)
}

func TestDefaultLimitsAreSane(t *testing.T) {
	if DefaultMaxBytes < 100<<20 || DefaultMaxBytes > 2<<30 {
		t.Errorf("DefaultMaxBytes %d: a project of news texts is well under 100 MB; more than 2 GB risks memory", DefaultMaxBytes)
	}
	// Zeros deflate about 820:1 at the fastest level, 1030:1 at the default;
	// real text 3–15:1, even a sentence repeated 60,000 times about 400:1.
	if DefaultMaxRatio < 100 || DefaultMaxRatio >= 800 {
		t.Errorf("DefaultMaxRatio %d", DefaultMaxRatio)
	}
	// A legitimate, very compressible text (1.5 MB of one repeated line) passes.
	text := strings.Repeat("The same sentence again. ", 60000)
	data := buildZip(t, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{"Sources/t.txt", text})
	if _, err := importQDPX(data, ReadOptions{}); err != nil {
		t.Errorf("repetitive but real text refused: %v", err)
	}
}

// A project as QualCoder writes it (written by hand for this test): its own
// GUIDs, nested codes, a code without colour, CRLF line ends and a
// decomposed accent in the text, a note on a selection, a link between
// codes that Gloss cannot hold.
func TestReadForeignProject(t *testing.T) {
	// "Café" with e + U+0301 (5 code points as written, 4 after NFC), CRLF.
	text := "Cafe\u0301 talks\r\n北京与华盛顿达成一致。\r\nEnd."
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Interviews" origin="QualCoder 3.6" creatingUserGUID="AAAAAAAA-0000-4000-8000-000000000001" creationDateTime="2026-01-05T10:00:00Z">
<Users><User guid="AAAAAAAA-0000-4000-8000-000000000001" name="default"/></Users>
<CodeBook><Codes>
<Code guid="{C0000000-0000-4000-8000-000000000001}" name="Diplomacy" isCodable="true" color="#FF0000">
  <Description>Talks between states</Description>
  <Code guid="C0000000-0000-4000-8000-000000000002" name="Agreement" isCodable="true"/>
</Code>
<Code guid="C0000000-0000-4000-8000-000000000003" name="Place" isCodable="true" color="#0F0"/>
</Codes></CodeBook>
<Sources>
<TextSource guid="50000000-0000-4000-8000-000000000001" name="interview1.txt" plainTextPath="internal://50000000-0000-4000-8000-000000000001.txt" creatingUser="AAAAAAAA-0000-4000-8000-000000000001" creationDateTime="2026-01-05T10:01:00Z">
<PlainTextSelection guid="E0000000-0000-4000-8000-000000000001" name="Café talks" startPosition="0" endPosition="11" creatingUser="AAAAAAAA-0000-4000-8000-000000000001" creationDateTime="2026-01-05T10:02:00Z">
<Coding guid="F0000000-0000-4000-8000-000000000001" creatingUser="AAAAAAAA-0000-4000-8000-000000000001" creationDateTime="2026-01-05T10:02:00Z"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000001"/></Coding>
<NoteRef targetGUID="90000000-0000-4000-8000-000000000001"/>
</PlainTextSelection>
<PlainTextSelection guid="E0000000-0000-4000-8000-000000000002" name="北京与华盛顿" startPosition="13" endPosition="19" creatingUser="AAAAAAAA-0000-4000-8000-000000000001" creationDateTime="2026-01-05T10:03:00">
<Coding guid="F0000000-0000-4000-8000-000000000002"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
<Coding guid="F0000000-0000-4000-8000-000000000003"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000003"/></Coding>
</PlainTextSelection>
</TextSource>
<PDFSource guid="50000000-0000-4000-8000-000000000002" name="scan.pdf" path="internal://scan.pdf"/>
</Sources>
<Notes><Note guid="90000000-0000-4000-8000-000000000001" name="memo" creatingUser="AAAAAAAA-0000-4000-8000-000000000001"><PlainTextContent>Check the date.</PlainTextContent></Note></Notes>
<Links><Link guid="B0000000-0000-4000-8000-000000000001" name="related" originGUID="C0000000-0000-4000-8000-000000000001" targetGUID="C0000000-0000-4000-8000-000000000003"/></Links>
</Project>`
	data := buildZip(t, [2]string{"project.qde", qde}, [2]string{"Sources/50000000-0000-4000-8000-000000000001.txt", text})
	var warnings []string
	p, err := importQDPX(data, ReadOptions{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 2 { // the PDF and the code-to-code link
		t.Errorf("warnings: %q", warnings)
	}
	if p.Name != "Interviews" || len(p.Sources) != 1 || len(p.Codes) != 3 || len(p.Annotations) != 2 || len(p.Targets) != 0 || len(p.Links) != 0 {
		t.Fatalf("shape: %+v", p)
	}
	s := p.Sources[0]
	if s.Text != "Café talks\n北京与华盛顿达成一致。\nEnd." || s.Title != "interview1.txt" || s.Kind != annotate.KindOriginal {
		t.Errorf("source %q %q %q", s.Text, s.Title, s.Kind)
	}
	if !s.ImportedAt.Equal(time.Date(2026, 1, 5, 10, 1, 0, 0, time.UTC)) {
		t.Errorf("imported at %v", s.ImportedAt)
	}
	byName := map[string]annotate.Code{}
	for _, c := range p.Codes {
		byName[c.Name] = c
	}
	dip, agr, place := byName["Diplomacy"], byName["Agreement"], byName["Place"]
	if dip.Color != "#FF0000" || dip.Description != "Talks between states" || dip.Parent != "" {
		t.Errorf("Diplomacy %+v", dip)
	}
	if agr.Parent != dip.ID || agr.Color == "" {
		t.Errorf("Agreement %+v (parent should be %s, colour from the palette)", agr, dip.ID)
	}
	if place.Color != "#00FF00" {
		t.Errorf("Place colour %q, want #RGB expanded", place.Color)
	}
	a1, a2 := p.Annotations[0], p.Annotations[1]
	// 0–11 in the received text is "Café talks" with a decomposed é: 10 code points after NFC.
	if a1.Selector.Start != 0 || a1.Selector.End != 10 || a1.Selector.Exact != "Café talks" {
		t.Errorf("a1 selector %+v", a1.Selector)
	}
	if a1.Note != "Check the date." || a1.Author != "default" || len(a1.Codes) != 1 || a1.Codes[0] != dip.ID {
		t.Errorf("a1 %+v", a1)
	}
	// 13–19 was after "\r\n" (one code point fewer after LF) and the accent (one fewer).
	if a2.Selector.Start != 11 || a2.Selector.End != 17 || a2.Selector.Exact != "北京与华盛顿" {
		t.Errorf("a2 selector %+v", a2.Selector)
	}
	if !reflect.DeepEqual(a2.Codes, []string{agr.ID, place.ID}) || !a2.Created.Equal(time.Date(2026, 1, 5, 10, 3, 0, 0, time.UTC)) {
		t.Errorf("a2 %+v", a2)
	}
	// Importing again yields the same IDs.
	p2, err := importQDPX(data, ReadOptions{})
	if err != nil || !reflect.DeepEqual(p, p2) {
		t.Errorf("a second import differs (%v)", err)
	}
}

func TestForeignLinksGroupByOrigin(t *testing.T) {
	// Our export without the ID side table, as another tool would re-save it.
	p := testProject(t)
	data := exportQDPX(t, p)
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	var entries [][2]string
	for _, f := range zr.File {
		if f.Name == idsEntry {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		entries = append(entries, [2]string{f.Name, string(b)})
	}
	got, err := importQDPX(buildZip(t, entries...), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Links) != 3 || len(got.Links[0].To) != 2 || got.Links[1].Status != annotate.Suggested || got.Links[1].Score != 0.625 {
		t.Fatalf("links: %+v", got.Links)
	}
	if len(got.Annotations) != len(p.Annotations) || len(got.Targets) != 3 || len(got.Codes) != 4 {
		t.Errorf("%d annotations, %d targets, %d codes", len(got.Annotations), len(got.Targets), len(got.Codes))
	}
	// Without the side table IDs are new, but stances and grades survive.
	stances, creds := 0, 0
	for _, a := range got.Annotations {
		stances += len(a.Stances)
		if a.Credibility != 0 {
			creds++
		}
	}
	if stances != 3 || creds != 2 {
		t.Errorf("stances %d, credibility grades %d", stances, creds)
	}
}

func TestSideTableCannotLie(t *testing.T) {
	p := testProject(t)
	data := exportQDPX(t, p)
	// Swap two IDs in the side table: the GUIDs no longer match, so both are ignored.
	side := entry(t, data, idsEntry)
	side = strings.Replace(side, `"annotation:a1"`, `"annotation:zz"`, 1)
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	var entries [][2]string
	for _, f := range zr.File {
		content := side
		if f.Name != idsEntry {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			content = string(b)
		}
		entries = append(entries, [2]string{f.Name, content})
	}
	got, err := importQDPX(buildZip(t, entries...), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got.Annotations {
		if a.ID == "zz" {
			t.Error("a forged side-table entry was trusted")
		}
	}
}

func TestNormalizeMapping(t *testing.T) {
	in := "a\r\nb\rc e\u0301\u0323x 😀"
	out, m := normalizeText(in)
	if out != "a\nb\nc \u1eb9\u0301x 😀" && out != "a\nb\nc ẹ́x 😀" {
		t.Errorf("normalised %q", out)
	}
	rin, rout := []rune(in), []rune(out)
	// Every untouched character maps onto itself.
	for i, r := range rin {
		if r == 'x' || r == 'b' || r == 'c' || r == '😀' {
			if rout[m.start(i)] != r || m.end(i+1) != m.start(i)+1 {
				t.Errorf("%q at %d maps to %d", r, i, m.start(i))
			}
		}
	}
	if m.end(len(rin)) != len(rout) {
		t.Errorf("end maps to %d, want %d", m.end(len(rin)), len(rout))
	}
	same, m2 := normalizeText("already fine 中文")
	if same != "already fine 中文" || m2.lo != nil {
		t.Error("a normal text should pass through untouched")
	}
}

func BenchmarkRoundTrip(b *testing.B) {
	p := testProject(b)
	// 2,000 annotations over a 200 KB text.
	big := strings.Repeat(p.Sources[1].Text+"\n", 2000)
	p.Sources[1].Text, p.Sources[1].ContentHash, p.Sources[1].Length = big, annotate.HashText(big), utf8.RuneCountInString(big)
	tx := annotate.NewText(big)
	unit := utf8.RuneCountInString(testProject(b).Sources[1].Text) + 1
	for i := 0; i < 2000; i++ {
		s, _ := tx.Select(i*unit+27, i*unit+35)
		p.Annotations = append(p.Annotations, annotate.Annotation{ID: fmt.Sprintf("b%04d", i), SourceID: "s02", Selector: s, Codes: []string{"c1"}, Credibility: 3})
	}
	b.ResetTimer()
	for range b.N {
		var buf bytes.Buffer
		if err := WriteQDPX(&buf, p, Options{Time: fixedTime}); err != nil {
			b.Fatal(err)
		}
		if _, err := ReadQDPX(bytes.NewReader(buf.Bytes()), int64(buf.Len()), ReadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTextEncodings(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "hello 世界" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for name, text := range map[string]string{"UTF-8 BOM": "\xEF\xBB\xBFhello 世界", "UTF-16LE BOM": string(utf16)} {
		qde := "\xEF\xBB\xBF" + mini(6, 8, okCode)
		p, err := importQDPX(buildZip(t, [2]string{"project.qde", qde}, [2]string{"Sources/t.txt", text}), ReadOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if p.Sources[0].Text != "hello 世界" || p.Annotations[0].Selector.Exact != "世界" {
			t.Errorf("%s: text %q, quote %q", name, p.Sources[0].Text, p.Annotations[0].Selector.Exact)
		}
	}
}

func TestExportRefusesBrokenProject(t *testing.T) {
	p := testProject(t)
	p.Sources[1].Text = ""
	if err := WriteQDPX(&bytes.Buffer{}, p, Options{}); err == nil || !strings.Contains(err.Error(), "source s02") {
		t.Errorf("missing text: %v", err)
	}
	p = testProject(t)
	p.Annotations[2].Codes = []string{"nope"}
	if err := WriteQDPX(&bytes.Buffer{}, p, Options{}); err == nil || !strings.Contains(err.Error(), "a3") {
		t.Errorf("unknown code: %v", err)
	}
	p = testProject(t)
	p.Codes[0].Color = "red"
	if err := WriteQDC(&bytes.Buffer{}, p); err == nil || !strings.Contains(err.Error(), "c1") {
		t.Errorf("bad colour: %v", err)
	}
}
