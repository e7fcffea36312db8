package webanno

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
	"gloss/internal/testshared"
)

// claimProject is testProject with two claims: one with evidence of all
// three relations, an accepted grade beside a different suggested one,
// an estimative phrase, a target, a time, an independent source and a
// note; one bare claim in Chinese with only a suggested grade.
func claimProject(t testing.TB) *annotate.Project {
	t.Helper()
	p := testProject(t)
	ts := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	p.Claims = []annotate.Claim{
		{ID: "m1", Text: "Both governments agreed on return flights", Target: "t2", Time: "2024-05",
			Evidence: []annotate.Evidence{{AnnotationID: "a1", Relation: annotate.Supports}, {AnnotationID: "a3", Relation: annotate.Contradicts},
				{AnnotationID: "a4", Relation: annotate.Mentions}},
			Grade: 2, SuggestedGrade: 3, Estimative: "likely", Independent: []string{"s01", "s02"}, Note: "Check the ministry transcript.",
			Author: "Ana Analyst", Created: ts, Modified: ts.Add(time.Minute)},
		{ID: "m/2 x", Text: "双方同意继续合作", SuggestedGrade: 6, Created: ts, Modified: ts},
	}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("claim project invalid: %v", errs)
	}
	return p
}

func readBack(t *testing.T, raw []byte) []annotate.Claim {
	t.Helper()
	got, err := ReadClaims(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestClaimsRoundTrip(t *testing.T) {
	p := claimProject(t)
	raw, _, items := export(t, p, Options{Links: true, Generated: time.Unix(1_800_000_000, 0)})
	// 4 annotations, 1 link, 2 claims, 3 evidence.
	if len(items) != 4+1+2+3 {
		t.Fatalf("%d items", len(items))
	}
	if got := readBack(t, raw); !reflect.DeepEqual(got, p.Claims) {
		t.Errorf("claims changed in the round trip\n got %s\nwant %s", mustJSON(got), mustJSON(p.Claims))
	}
	// A bare list of the items reads the same.
	list, _ := json.Marshal(items)
	if got := readBack(t, list); !reflect.DeepEqual(got, p.Claims) {
		t.Errorf("claims from a bare list differ: %s", mustJSON(got))
	}
	// A project without claims reads as none.
	raw, _, _ = export(t, testProject(t), Options{Links: true})
	if got := readBack(t, raw); len(got) != 0 {
		t.Errorf("claims from a project without any: %v", got)
	}
}

func TestClaimContent(t *testing.T) {
	p := claimProject(t)
	_, _, items := export(t, p, Options{Generated: time.Unix(1_800_000_000, 0)})
	byID := map[string]Annotation{}
	for _, it := range items {
		var a Annotation
		if err := json.Unmarshal(it, &a); err != nil {
			t.Fatal(err)
		}
		byID[a.ID] = a
	}
	m1 := byID[ClaimIRI("m1")]
	if m1.Motivation != "assessing" || len(m1.Target) != 3 || m1.Target[1].ID != AnnotationIRI("a3") {
		t.Fatalf("claim m1: motivation %v, targets %s", m1.Motivation, mustJSON(m1.Target))
	}
	d := m1.Body[0]
	if d.Purpose != "describing" || d.Value != p.Claims[0].Text || d.StanceTarget != "China" || d.About != TargetIRI("t2") || d.ClaimTime != "2024-05" {
		t.Errorf("claim m1 describing body %s", mustJSON(d))
	}
	g := m1.Body[1]
	if g.Purpose != "assessing" || g.Credibility != 2 || g.SuggestedCredibility != 3 ||
		g.Value != "Information credibility 2: Probably true (Gloss suggested 3: Possibly true)" {
		t.Errorf("claim m1 grade body %s", mustJSON(g))
	}
	if e := m1.Body[2]; e.Estimative != "likely" || e.Value != "Estimative: likely" {
		t.Errorf("claim m1 estimative body %s", mustJSON(e))
	}
	ev := byID[EvidenceIRI("m1", "a3")]
	if ev.Motivation != "linking" || ev.Target[0].ID != AnnotationIRI("a3") || ev.Body[0].Source.ID != ClaimIRI("m1") ||
		ev.Body[0].Relation != "contradicts" || !strings.HasPrefix(ev.Body[1].Value, "contradicts: ") {
		t.Errorf("evidence a3 %s", mustJSON(ev))
	}
	m2 := byID[ClaimIRI("m/2 x")]
	if m2.ID != "urn:gloss:claim:m%2F2%20x" || len(m2.Target) != 1 || m2.Target[0].ID != ProjectIRI(p.Name) ||
		m2.Body[0].Language != "" || m2.Body[1].Credibility != 0 || m2.Body[1].SuggestedCredibility != 6 {
		t.Errorf("bare claim %s", mustJSON(m2))
	}
}

func TestClaimsPassEveryMust(t *testing.T) {
	musts := loadMusts(t, testshared.Path(t, "w3c-annotation"))
	_, _, items := export(t, claimProject(t), Options{Links: true, Generated: time.Unix(1_800_000_000, 0)})
	for i, it := range items[5:] { // the claims and their evidence
		for _, a := range musts {
			a.check(t, fmt.Sprintf("claim item %d", i), it)
		}
	}
}

func TestClaimsExpand(t *testing.T) {
	for _, l := range []struct {
		name   string
		loader func(t *testing.T) localLoader
	}{{"minimal", func(*testing.T) localLoader { return localLoader{[]byte(minimalW3C)} }}, {"anno.jsonld", realLoader}} {
		t.Run(l.name, func(t *testing.T) {
			loader := l.loader(t)
			raw, _, items := export(t, claimProject(t), Options{Links: true, Generated: time.Unix(1_800_000_000, 0)})
			out := expand(t, loader, raw)
			for _, w := range []struct {
				iri  string
				want int
			}{
				{Vocab + "relation", 3}, {Vocab + "about", 1}, {Vocab + "claimTime", 1}, {Vocab + "suggestedCredibility", 2},
				{Vocab + "estimative", 1}, {Vocab + "independent", 1}, {Vocab + "credibility", 2 + 1},
				{"http://www.w3.org/ns/oa#describing", 2 + 3},
			} {
				if n := has(t, out, w.iri); n != w.want {
					t.Errorf("%s appears %d times, want %d", w.iri, n, w.want)
				}
			}
			for _, it := range items {
				expand(t, loader, it)
			}
		})
	}
}

func TestClaimsRefused(t *testing.T) {
	for _, c := range []struct {
		name, want string
		edit       func(p *annotate.Project)
	}{
		{"missing evidence", `claim m1: evidence: no annotation with id "gone"`, func(p *annotate.Project) { p.Claims[0].Evidence[1].AnnotationID = "gone" }},
		{"bad relation", `claim m1: evidence: "refutes"`, func(p *annotate.Project) { p.Claims[0].Evidence[0].Relation = "refutes" }},
		{"bad grade", "claim m1: grade", func(p *annotate.Project) { p.Claims[0].Grade = 9 }},
		{"missing target", `claim m1: target: no stance target with id "t9"`, func(p *annotate.Project) { p.Claims[0].Target = "t9" }},
		{"empty text", "claim m1: text: is empty", func(p *annotate.Project) { p.Claims[0].Text = " " }},
	} {
		p := claimProject(t)
		c.edit(p)
		err := Write(&bytes.Buffer{}, p, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func TestReadClaimsRefusesBadInput(t *testing.T) {
	raw, _, _ := export(t, claimProject(t), Options{Generated: time.Unix(1_800_000_000, 0)})
	doc := string(raw)
	for _, c := range []struct {
		name, doc, want string
	}{
		{"not JSON", "{", "not JSON"},
		{"a string", `"x"`, "neither a collection"},
		{"wrong type", `{"type":"Annotation"}`, "not an AnnotationCollection"},
		{"bad relation", strings.Replace(doc, `"relation": "mentions"`, `"relation": "maybe"`, 1), `relation "maybe"`},
		{"bad grade", strings.Replace(doc, `"suggestedCredibility": 6`, `"suggestedCredibility": 7`, 1), "suggestedCredibility 7"},
		{"orphan evidence", strings.Replace(doc, `"id": "urn:gloss:claim:m1",`, `"id": "urn:gloss:claim:m9",`, 1), "evidence of claim m1, which is not in the document"},
		{"bad time", strings.Replace(doc, `"claimTime": "2024-05"`, `"claimTime": "May"`, 1), "claimTime"},
		{"target not annotation", replaceLast(doc, `"id": "urn:gloss:annotation:a4",`, `"id": "urn:x:a4",`), `"urn:x:a4" is not a Gloss target IRI`},
		{"other annotation", replaceLast(doc, `"id": "urn:gloss:annotation:a4",`, `"id": "urn:gloss:annotation:a1",`), "is not the annotation its id names"},
		{"other claim", replaceLast(doc, `"id": "urn:gloss:claim:m1",
              "type": "Annotation"`, `"id": "urn:gloss:claim:m2",
              "type": "Annotation"`), "does not name the claim"},
	} {
		if c.doc == doc {
			t.Errorf("%s: the edit did not apply", c.name)
			continue
		}
		_, err := ReadClaims(strings.NewReader(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// TestCorpusClaimsRoundTrip attaches corpus paragraphs to claims with all
// three relations and reads the claims back from the export.
func TestCorpusClaimsRoundTrip(t *testing.T) {
	p := corpusProject(t)
	ts := time.Date(2026, 5, 2, 8, 0, 0, 0, time.UTC)
	p.Targets = []annotate.Target{{ID: "t1", Name: "China"}}
	rel := annotate.Relations
	for i := 0; i < 5; i++ {
		m := annotate.Claim{ID: fmt.Sprintf("m%d", i), Text: fmt.Sprintf("Claim %d: verify first, then repatriate", i), Target: "t1",
			Grade: annotate.Credibility(1 + i), SuggestedGrade: annotate.Credibility(6 - i), Created: ts, Modified: ts}
		for j := i; j < len(p.Annotations); j += 7 {
			m.Evidence = append(m.Evidence, annotate.Evidence{AnnotationID: p.Annotations[j].ID, Relation: rel[j%3]})
		}
		p.Claims = append(p.Claims, m)
	}
	raw, _, items := export(t, p, Options{Generated: ts})
	if got := readBack(t, raw); !reflect.DeepEqual(got, p.Claims) {
		t.Errorf("corpus claims changed in the round trip")
	}
	musts := loadMusts(t, testshared.Path(t, "w3c-annotation"))
	for i, it := range items[len(p.Annotations):] {
		for _, a := range musts {
			a.check(t, fmt.Sprintf("corpus claim item %d", i), it)
		}
	}
	expand(t, realLoader(t), raw)
}

func replaceLast(s, old, new string) string {
	i := strings.LastIndex(s, old)
	if i < 0 {
		return s
	}
	return s[:i] + new + s[i+len(old):]
}
