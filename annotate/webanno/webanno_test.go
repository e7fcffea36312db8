package webanno

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonschema"

	"gloss/annotate"
	"gloss/internal/testshared"
)

// testProject is written for these tests (no corpus text): an English
// source with an emoji before the highlighted passage, a Chinese source,
// codes in a hierarchy, stances, credibility and notes.
func testProject(t testing.TB) *annotate.Project {
	t.Helper()
	en := "🙂 Officials said both governments agreed on a return flight. Critics <disagreed> & asked why."
	zh := "外交部发言人表示，中美双方在遣返问题上保持沟通。😀 双方同意继续合作。"
	p := &annotate.Project{Name: "Repatriation study 遣返"}
	add := func(id, title string, lang annotate.Language, text, url string) {
		p.Sources = append(p.Sources, annotate.Source{ID: id, Title: title, Language: lang, Kind: annotate.KindOriginal,
			Text: text, ContentHash: annotate.HashText(text), Length: utf8.RuneCountInString(text), URL: url})
	}
	add("s01", "Wire report", annotate.English, en, "https://news.example.com/a?b=1&c=2")
	add("s02", "外交部发布会", annotate.Simplified, zh, "")
	p.Codes = []annotate.Code{
		{ID: "c1", Name: "Cooperation", Color: "#7fc97f"},
		{ID: "c2", Name: "Flights", Parent: "c1", Color: "#80b1d3"},
		{ID: "c3", Name: "Criticism", Color: "#fb8072"},
	}
	p.Targets = []annotate.Target{{ID: "t1", Name: "United States"}, {ID: "t2", Name: "China"}}
	sel := func(src string, quote string) annotate.Selector {
		tx := annotate.NewText(p.Sources[map[string]int{"s01": 0, "s02": 1}[src]].Text)
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
	ts := time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	p.Annotations = []annotate.Annotation{
		{ID: "a1", SourceID: "s01", Selector: sel("s01", "both governments agreed"), Codes: []string{"c1", "c2"},
			Stances:     []annotate.StanceMark{{Target: "t1", Stance: annotate.Favor}, {Target: "t2", Stance: annotate.Neutral}},
			Credibility: 2, Note: "Matches the ministry's statement.", Author: "Ana Analyst", Created: ts, Modified: ts.Add(time.Hour)},
		{ID: "a2", SourceID: "s01", Selector: sel("s01", "<disagreed> &"), Codes: []string{"c3"}, Created: ts, Modified: ts},
		{ID: "a3", SourceID: "s02", Selector: sel("s02", "双方同意继续合作"), Stances: []annotate.StanceMark{{Target: "t1", Stance: annotate.Against}},
			Credibility: 6, Note: "原文如此", Created: ts, Modified: ts},
		{ID: "a4", SourceID: "s02", Selector: sel("s02", "外交部"), Created: ts, Modified: ts}, // a bare highlight
	}
	p.Links = []annotate.Link{{ID: "l1", Status: annotate.Confirmed, Created: ts, Modified: ts, Note: "same claim",
		From: annotate.Anchor{SourceID: "s01", Selector: sel("s01", "both governments agreed")},
		To:   []annotate.Anchor{{SourceID: "s02", Selector: sel("s02", "双方同意继续合作")}}}}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("test project invalid: %v", errs)
	}
	return p
}

// assertion is one compiled JSON-Schema test from annotationMusts.test.
type assertion struct {
	file     string
	expected string // "valid" or "invalid"
	kind     string // "must", "should", "may"
	message  string
	schema   *gojsonschema.Schema
}

// loadMusts compiles every assertion listed in annotationMusts.test. The
// assertions refer to "annotations.json#/…", "id.json#/…" etc., which live in
// ../definitions: every definitions file is registered in the schema pool
// under its own id, so those relative refs resolve to it.
func loadMusts(t *testing.T, dir string) []assertion {
	t.Helper()
	out := loadAssertions(t, dir, "annotationMusts.test")
	if len(out) < 50 {
		t.Fatalf("only %d assertions in annotationMusts.test", len(out))
	}
	return out
}

// compiled caches loadAssertions: compiling ~160 schemas takes a while.
var compiled = map[string][]assertion{}

// loadAssertions compiles every assertion a .test file lists.
func loadAssertions(t *testing.T, dir, testFile string) []assertion {
	t.Helper()
	if c, ok := compiled[testFile]; ok {
		return c
	}
	var list struct {
		Assertions []string `json:"assertions"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "annotations", testFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatalf("%s: %v", testFile, err)
	}
	defs, err := filepath.Glob(filepath.Join(dir, "definitions", "*.json"))
	if err != nil || len(defs) == 0 {
		t.Fatalf("no definitions in %s: %v", dir, err)
	}
	var out []assertion
	for _, name := range list.Assertions {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("assertion %s: %v", name, err)
		}
		var meta struct {
			AssertionType  string `json:"assertionType"`
			ExpectedResult string `json:"expectedResult"`
			ErrorMessage   string `json:"errorMessage"`
		}
		if err := json.Unmarshal(b, &meta); err != nil {
			t.Fatalf("assertion %s: %v", name, err)
		}
		sl := gojsonschema.NewSchemaLoader()
		for _, d := range defs {
			db, err := os.ReadFile(d)
			if err != nil {
				t.Fatal(err)
			}
			if err := sl.AddSchemas(gojsonschema.NewBytesLoader(db)); err != nil {
				t.Fatalf("definitions %s: %v", d, err)
			}
		}
		s, err := sl.Compile(gojsonschema.NewBytesLoader(b))
		if err != nil {
			t.Fatalf("assertion %s does not compile: %v", name, err)
		}
		out = append(out, assertion{file: name, expected: meta.ExpectedResult, kind: meta.AssertionType, message: meta.ErrorMessage, schema: s})
	}
	if len(out) != len(list.Assertions) {
		t.Fatalf("compiled %d assertions of %d", len(out), len(list.Assertions))
	}
	compiled[testFile] = out
	return out
}

// check applies the harness's rule: a "must" assertion fails when the
// result differs from expectedResult; other kinds are warnings only.
func (a assertion) check(t *testing.T, label string, doc []byte) bool {
	t.Helper()
	res, err := a.schema.Validate(gojsonschema.NewBytesLoader(doc))
	if err != nil {
		t.Errorf("%s: %s: %v", label, a.file, err)
		return false
	}
	got := "invalid"
	if res.Valid() {
		got = "valid"
	}
	if got == a.expected {
		return true
	}
	if a.kind == "must" {
		t.Errorf("%s: %s: expected %s, got %s: %s %v", label, a.file, a.expected, got, a.message, res.Errors())
		return false
	}
	t.Logf("warning: %s: %s: %s", label, a.file, a.message)
	return true
}

func export(t *testing.T, p *annotate.Project, opt Options) (raw []byte, c map[string]any, items []json.RawMessage) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, p, opt); err != nil {
		t.Fatal(err)
	}
	raw = buf.Bytes()
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	var shape struct {
		First struct {
			Items []json.RawMessage `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(raw, &shape); err != nil {
		t.Fatal(err)
	}
	return raw, c, shape.First.Items
}

func TestEveryAnnotationPassesEveryMust(t *testing.T) {
	dir := testshared.Path(t, "w3c-annotation")
	musts := loadMusts(t, dir)
	p := testProject(t)
	_, _, items := export(t, p, Options{Links: true, Generated: time.Unix(1_800_000_000, 0)})
	if len(items) != len(p.Annotations)+1 {
		t.Fatalf("%d items, want %d annotations + 1 link", len(items), len(p.Annotations))
	}
	for i, it := range items {
		for _, a := range musts {
			a.check(t, fmt.Sprintf("item %d", i), it)
		}
	}
	t.Logf("%d items × %d assertions checked", len(items), len(musts))
}

// TestOptionalFeatures runs the optional ("may"/"should") feature checks on
// a fully tagged annotation: the features Gloss means to provide must be
// detected; the rest are only logged.
func TestOptionalFeatures(t *testing.T) {
	dir := testshared.Path(t, "w3c-annotation")
	var all []assertion
	for _, f := range []string{"annotationOptionals.test", "annotationsAgentOptionals.test"} {
		all = append(all, loadAssertions(t, dir, f)...)
	}
	_, _, items := export(t, testProject(t), Options{Generated: time.Unix(1_800_000_000, 0)})
	wanted := []string{"annotationCreatedImplemented", "annotationModifiedImplemented", "annotationGeneratedImplemented",
		"annotationMotivationImplemented", "annotationCreatorImplemented", "annotationCreatorAgentTypeImplemented",
		"annotationCreatorAgentNameImplemented", "annotationGeneratorImplemented", "bodyKeyFound", "bodyFormat", "bodyLanguage",
		"bodyPurpose", "bodyETBTypeTextualBody", "targFormat", "targLanguage", "targSpecificResource",
		"selectorFound", "textQuoteSelector", "prefix", "suffix", "textPositionSelector"}
	found := map[string]bool{}
	var absent []string
	for _, a := range all {
		res, err := a.schema.Validate(gojsonschema.NewBytesLoader(items[0]))
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(a.file), ".json")
		name = name[strings.IndexByte(name, '-')+1:]
		if res.Valid() {
			found[name] = true
		} else {
			absent = append(absent, name)
		}
	}
	for _, w := range wanted {
		if !found[w] {
			t.Errorf("optional feature %s not detected", w)
		}
	}
	t.Logf("%d optional features detected; not implemented: %s", len(found), strings.Join(absent, ", "))
}

// TestAssertionsCanFail feeds the same harness annotations that break the
// model, so a loader that silently ignored refs would be caught.
func TestAssertionsCanFail(t *testing.T) {
	dir := testshared.Path(t, "w3c-annotation")
	musts := loadMusts(t, dir)
	bad := map[string]string{
		"3.1-annotationContextValidated.json":   `{"@context":"http://example.org/ctx","id":"urn:x:1","type":"Annotation","target":"urn:x:2"}`,
		"3.3.1-annotationCreatedValidated.json": `{"@context":"http://www.w3.org/ns/anno.jsonld","id":"urn:x:1","type":"Annotation","created":"yesterday","target":"urn:x:2"}`,
		"4.2-TextDataPositionSelectorValid.json": `{"@context":"http://www.w3.org/ns/anno.jsonld","id":"urn:x:1","type":"Annotation",
			"target":{"source":"urn:x:2","selector":{"type":"TextPositionSelector","start":-1,"end":"x"}}}`,
		"4.2.4-textQuoteSelectorValid.json": `{"@context":"http://www.w3.org/ns/anno.jsonld","id":"urn:x:1","type":"Annotation",
			"target":{"source":"urn:x:2","selector":{"type":"TextQuoteSelector","exact":["a","b"]}}}`,
		"3.2.5-notBodyBodyValue.json": `{"@context":"http://www.w3.org/ns/anno.jsonld","id":"urn:x:1","type":"Annotation","body":"urn:x:3","bodyValue":"x","target":"urn:x:2"}`,
	}
	for _, a := range musts {
		for suffix, doc := range bad {
			if !strings.HasSuffix(a.file, suffix) {
				continue
			}
			res, err := a.schema.Validate(gojsonschema.NewBytesLoader([]byte(doc)))
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid() {
				t.Errorf("%s accepted a broken annotation", a.file)
			}
			delete(bad, suffix)
		}
	}
	if len(bad) > 0 {
		t.Errorf("assertions not found: %v", bad)
	}
}

func TestContentOfExport(t *testing.T) {
	p := testProject(t)
	raw, c, items := export(t, p, Options{Generated: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)})
	if mustJSON(c["@context"]) != mustJSON(Contexts()) || c["type"] != "AnnotationCollection" || c["id"] != ProjectIRI(p.Name) {
		t.Errorf("collection header: %v %v %v", c["@context"], c["type"], c["id"])
	}
	if int(c["total"].(float64)) != len(p.Annotations) || len(items) != len(p.Annotations) {
		t.Errorf("total %v, items %d, want %d (links off)", c["total"], len(items), len(p.Annotations))
	}
	texts := map[string]*annotate.Text{}
	for _, s := range p.Sources {
		texts[SourceIRI(s.ID)] = annotate.NewText(s.Text)
	}
	byID := map[string]Annotation{}
	for _, it := range items {
		var a Annotation
		if err := json.Unmarshal(it, &a); err != nil {
			t.Fatal(err)
		}
		byID[a.ID] = a
		// The quote must be exactly the text at the position, in code points.
		tg := a.Target[0]
		q, pos := tg.Selector[0], tg.Selector[1]
		if q.Type != "TextQuoteSelector" || pos.Type != "TextPositionSelector" {
			t.Fatalf("%s: selectors %s, %s", a.ID, q.Type, pos.Type)
		}
		if got := texts[tg.Source.ID].Slice(*pos.Start, *pos.End); got != q.Exact {
			t.Errorf("%s: text at %d–%d is %q, exact is %q", a.ID, *pos.Start, *pos.End, got, q.Exact)
		}
		if !strings.HasSuffix(a.Created, "Z") || !strings.HasSuffix(a.Modified, "Z") {
			t.Errorf("%s: times not UTC: %s %s", a.ID, a.Created, a.Modified)
		}
	}
	a1 := byID[AnnotationIRI("a1")]
	// "🙂 " is two code points (and 4+1 bytes, 2+1 UTF-16 units) before "Officials said ".
	start := utf8.RuneCountInString("🙂 Officials said ")
	if *a1.Target[0].Selector[1].Start != start || *a1.Target[0].Selector[1].End != start+len("both governments agreed") {
		t.Errorf("a1 position %d–%d, want %d in code points", *a1.Target[0].Selector[1].Start, *a1.Target[0].Selector[1].End, start)
	}
	if a1.Created != "2026-03-01T01:30:00Z" || a1.Modified != "2026-03-01T02:30:00Z" {
		t.Errorf("a1 times %s %s", a1.Created, a1.Modified)
	}
	if a1.Creator == nil || a1.Creator.Name != "Ana Analyst" || a1.Creator.Type != "Person" {
		t.Errorf("a1 creator %+v", a1.Creator)
	}
	if a1.Target[0].Source.Language != "en" || a1.Target[0].Source.Via != "https://news.example.com/a?b=1&c=2" {
		t.Errorf("a1 source %+v", a1.Target[0].Source)
	}
	want := []Body{
		{Type: "TextualBody", Purpose: "tagging", Value: "Cooperation", Format: "text/plain", Language: "en"},
		{Type: "TextualBody", Purpose: "tagging", Value: "Cooperation / Flights", Format: "text/plain", Language: "en"},
		{Type: "TextualBody", Purpose: "classifying", Value: "favor: United States", Format: "text/plain", Language: "en", Stance: "favor", StanceTarget: "United States"},
		{Type: "TextualBody", Purpose: "classifying", Value: "neutral: China", Format: "text/plain", Language: "en", Stance: "neutral", StanceTarget: "China"},
		{Type: "TextualBody", Purpose: "assessing", Value: "Information credibility 2: Probably true", Format: "text/plain", Language: "en", Credibility: 2},
		{Type: "TextualBody", Purpose: "commenting", Value: "Matches the ministry's statement.", Format: "text/plain", Language: "en"},
	}
	if g, w := mustJSON(a1.Body), mustJSON(want); g != w {
		t.Errorf("a1 bodies\n got %s\nwant %s", g, w)
	}
	if g := mustJSON(a1.Motivation); g != `["tagging","classifying","assessing","commenting"]` {
		t.Errorf("a1 motivation %s", g)
	}
	a3 := byID[AnnotationIRI("a3")]
	if a3.Creator != nil {
		t.Errorf("a3 has no author but creator %+v", a3.Creator)
	}
	if a3.Target[0].Source.Language != "zh-Hans" || a3.Target[0].Source.Via != "" {
		t.Errorf("a3 source %+v", a3.Target[0].Source)
	}
	if n := a3.Body[len(a3.Body)-1]; n.Purpose != "commenting" || n.Language != "" {
		t.Errorf("a Chinese note must not be labelled English: %+v", n)
	}
	if a3.Body[0].Value != "against: United States" || a3.Body[1].Value != "Information credibility 6: Truth cannot be judged" {
		t.Errorf("a3 bodies %s", mustJSON(a3.Body))
	}
	if a4 := byID[AnnotationIRI("a4")]; a4.Motivation != "highlighting" || len(a4.Body) != 0 {
		t.Errorf("bare highlight: motivation %v, %d bodies", a4.Motivation, len(a4.Body))
	}
	// The "&" and "<" of the quote stay literal, not \u0026.
	if !bytes.Contains(raw, []byte(`"exact": "<disagreed> &"`)) {
		t.Errorf("quote with markup characters not written literally")
	}
}

func TestRefusesBrokenSelector(t *testing.T) {
	p := testProject(t)
	p.Annotations[0].Selector.Exact = "something else"
	err := Write(&bytes.Buffer{}, p, Options{})
	if err == nil || !strings.Contains(err.Error(), "annotation a1") {
		t.Fatalf("want an error naming annotation a1, got %v", err)
	}
}

func TestRefusesMissingText(t *testing.T) {
	p := testProject(t)
	p.Sources[1].Text = ""
	err := Write(&bytes.Buffer{}, p, Options{})
	if err == nil || !strings.Contains(err.Error(), "source s02") || !strings.Contains(err.Error(), "not loaded") {
		t.Fatalf("want an error naming source s02, got %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	p := testProject(t)
	opt := Options{Generated: time.Unix(1_800_000_000, 0), Links: true}
	a, _, _ := export(t, p, opt)
	b, _, _ := export(t, p, opt)
	if !bytes.Equal(a, b) {
		t.Error("two exports of one project differ")
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func BenchmarkWrite1000(b *testing.B) {
	p := testProject(b)
	base := p.Annotations
	for i := 0; len(p.Annotations) < 1000; i++ {
		a := base[i%len(base)]
		a.ID = annotate.NewID(annotate.AnnotationPrefix)
		p.Annotations = append(p.Annotations, a)
	}
	opt := Options{Generated: time.Unix(1_800_000_000, 0)}
	b.ResetTimer()
	for range b.N {
		if err := Write(&bytes.Buffer{}, p, opt); err != nil {
			b.Fatal(err)
		}
	}
}
