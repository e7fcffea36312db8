package refiqda

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
)

// claimProject is testProject with two claims: one with evidence of all
// three relations (one of them a bare highlight), accepted and suggested
// grades that differ, a phrase, target, time, independent sources, note
// and author; one bare Chinese claim with only a suggested grade.
func claimProject(t testing.TB) *annotate.Project {
	t.Helper()
	p := testProject(t)
	ts := time.Date(2026, 3, 2, 10, 0, 0, 5, time.UTC)
	p.Claims = []annotate.Claim{
		{ID: "m1", Text: "Both governments agreed on return flights", Target: "t2", Time: "2024-05",
			Evidence: []annotate.Evidence{{AnnotationID: "a1", Relation: annotate.Supports}, {AnnotationID: "a3", Relation: annotate.Contradicts},
				{AnnotationID: "a4", Relation: annotate.Mentions}},
			Grade: 2, SuggestedGrade: 3, Estimative: "likely", Independent: []string{"s01", "s02"}, Note: "Check the transcript.",
			Author: "Ana Analyst", Created: ts, Modified: ts.Add(time.Minute)},
		{ID: "m2", Text: "双方同意继续合作", SuggestedGrade: 6, Created: ts, Modified: ts},
	}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("claim project invalid: %v", errs)
	}
	return p
}

// rezip copies an archive, letting edit change (or, returning false,
// drop) each entry.
func rezip(t *testing.T, data []byte, edit func(name, body string) (string, bool)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var entries [][2]string
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if body, keep := edit(f.Name, string(b)); keep {
			entries = append(entries, [2]string{f.Name, body})
		}
	}
	return buildZip(t, entries...)
}

func importWarn(t *testing.T, data []byte) (*annotate.Project, []string) {
	t.Helper()
	var warnings []string
	p, err := importQDPX(data, ReadOptions{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	return p, warnings
}

func TestClaimsRoundTrip(t *testing.T) {
	p := claimProject(t)
	got, warnings := importWarn(t, exportQDPX(t, p))
	if len(warnings) > 0 {
		t.Errorf("warnings on our own export: %v", warnings)
	}
	if !reflect.DeepEqual(got.Claims, p.Claims) {
		t.Errorf("claims changed\n got %+v\nwant %+v", got.Claims, p.Claims)
	}
	// The claim links did not become Gloss links or turn the bare
	// highlight a4 into a link end.
	want, g := canonical(p), canonical(got)
	if !reflect.DeepEqual(g.Links, want.Links) || !reflect.DeepEqual(g.Annotations, want.Annotations) {
		t.Errorf("links or annotations changed by the claims:\n%+v\n%+v", g.Links, g.Annotations)
	}
	// Twice: stable.
	if !bytes.Equal(exportQDPX(t, p), exportQDPX(t, p)) {
		t.Error("two exports differ")
	}
}

func TestClaimsWhatToolsSee(t *testing.T) {
	p := claimProject(t)
	data := exportQDPX(t, p)
	qde := entry(t, data, projectEntry)
	if err := xmllint(t, "Project-mrt2019.xsd", []byte(qde)); err != nil {
		t.Error(err)
	}
	note := GUID("note:claim:m1")
	for _, want := range []string{
		`<Note guid="` + note + `" name="Claim: Both governments agreed on return flights"`,
		`<Set guid="` + GUID("claim:m1") + `" name="Claim: Both governments agreed on return flights">`,
		`<MemberSource targetGUID="` + GUID("source:s01") + `"></MemberSource>`,
		`<MemberSource targetGUID="` + GUID("source:s02") + `"></MemberSource>`,
		`<MemberNote targetGUID="` + note + `"></MemberNote>`,
		`name="Gloss claim: contradicts" direction="OneWay" originGUID="` + note + `" targetGUID="` + GUID("annotation:a3") + `"`,
		"Credibility: 2: Probably true (accepted); Gloss suggested 3: Possibly true",
		"- contradicts: “双方同意继续合作” (外交部发布会)",
		"About: China", "Time: 2024-05", "Estimative: likely", "Note: Check the transcript.",
		"Credibility: Gloss suggested 6: Truth cannot be judged (not yet accepted)",
	} {
		if !strings.Contains(qde, want) {
			t.Errorf("project.qde lacks %s", want)
		}
	}
	// One set per claim, each source once.
	if n := strings.Count(qde, "<MemberSource "); n != 2 {
		t.Errorf("%d set members are sources, want 2", n)
	}
}

// TestClaimsWithoutSideEntry: another tool that drops gloss-claims.json
// (and gloss-ids.json) leaves a project that still imports: no claims,
// no links made of the claims' links, every highlight still there.
func TestClaimsWithoutSideEntry(t *testing.T) {
	p := claimProject(t)
	for _, drop := range [][]string{{claimsEntry}, {claimsEntry, idsEntry}} {
		data := rezip(t, exportQDPX(t, p), func(name, body string) (string, bool) {
			for _, d := range drop {
				if name == d {
					return "", false
				}
			}
			return body, true
		})
		got, warnings := importWarn(t, data)
		if len(got.Claims) != 0 || len(got.Links) != len(p.Links) || len(got.Annotations) != len(p.Annotations) {
			t.Errorf("without %v: %d claims, %d links, %d annotations", drop, len(got.Claims), len(got.Links), len(got.Annotations))
		}
		for _, w := range warnings {
			if strings.Contains(w, "claim") {
				t.Errorf("without %v: warning %s", drop, w)
			}
		}
	}
	// With the side entry but without the IDs table, claims come back with
	// IDs derived from their GUIDs, their evidence still resolved.
	data := rezip(t, exportQDPX(t, p), func(name, body string) (string, bool) { return body, name != idsEntry })
	got, _ := importWarn(t, data)
	if len(got.Claims) != 2 || len(got.Claims[0].Evidence) != 3 || got.Claims[0].Target == "" || len(got.Claims[0].Independent) != 2 {
		t.Errorf("claims without gloss-ids.json: %+v", got.Claims)
	}
}

func TestClaimSetDeletedDeletesClaim(t *testing.T) {
	p := claimProject(t)
	set := regexp.MustCompile(`(?s)<Set guid="` + GUID("claim:m1") + `".*?</Set>`)
	data := rezip(t, exportQDPX(t, p), func(name, body string) (string, bool) {
		if name == projectEntry {
			body = set.ReplaceAllString(body, "")
		}
		return body, true
	})
	got, warnings := importWarn(t, data)
	if len(got.Claims) != 1 || got.Claims[0].ID != "m2" {
		t.Errorf("claims %+v", got.Claims)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "no longer in project.qde") {
		t.Errorf("warnings %v", warnings)
	}
}

// TestClaimsSideEntryCannotLie: references the file does not hold are
// dropped with a warning naming them; a damaged entry is ignored whole.
func TestClaimsSideEntryCannotLie(t *testing.T) {
	p := claimProject(t)
	edit := func(f func(string) string) []byte {
		return rezip(t, exportQDPX(t, p), func(name, body string) (string, bool) {
			if name == claimsEntry {
				body = f(body)
			}
			return body, true
		})
	}
	for _, c := range []struct {
		name, warn string
		f          func(string) string
		check      func(ms []annotate.Claim) bool
	}{
		{"unknown evidence", "is not a coded selection", func(s string) string {
			return strings.Replace(s, GUID("annotation:a3"), GUID("annotation:zz"), 1)
		}, func(ms []annotate.Claim) bool { return len(ms) == 2 && len(ms[0].Evidence) == 2 }},
		{"link end as evidence", "is not a coded selection", func(s string) string {
			return strings.Replace(s, GUID("annotation:a3"), GUID("anchor:l1:0"), 1)
		}, func(ms []annotate.Claim) bool { return len(ms) == 2 && len(ms[0].Evidence) == 2 }},
		{"bad relation", `relation "refutes"`, func(s string) string {
			return strings.Replace(s, `"relation": "mentions"`, `"relation": "refutes"`, 1)
		}, func(ms []annotate.Claim) bool { return len(ms) == 2 && len(ms[0].Evidence) == 2 }},
		{"bad grade", "grade 9 is not 1–6", func(s string) string { return strings.Replace(s, `"grade": 2`, `"grade": 9`, 1) },
			func(ms []annotate.Claim) bool { return len(ms) == 2 && ms[0].Grade == 0 && ms[0].SuggestedGrade == 3 }},
		{"bad time", `time "soon" dropped`, func(s string) string { return strings.Replace(s, `"2024-05"`, `"soon"`, 1) },
			func(ms []annotate.Claim) bool { return len(ms) == 2 && ms[0].Time == "" }},
		{"unknown target", "stance target", func(s string) string { return strings.Replace(s, GUID("target:t2"), GUID("target:t9"), 1) },
			func(ms []annotate.Claim) bool { return len(ms) == 2 && ms[0].Target == "" }},
		{"one claim twice", "used by two elements", func(s string) string {
			return strings.Replace(s, `"guid": "`+GUID("claim:m2")+`"`, `"guid": "`+GUID("claim:m1")+`"`, 1)
		}, func(ms []annotate.Claim) bool { return len(ms) == 1 && ms[0].ID == "m1" }},
		{"damaged", "gloss-claims.json ignored", func(s string) string { return s[:len(s)/2] },
			func(ms []annotate.Claim) bool { return len(ms) == 0 }},
		{"other format", "not gloss-claims/1", func(s string) string { return strings.Replace(s, claimsFormat, "gloss-claims/9", 1) },
			func(ms []annotate.Claim) bool { return len(ms) == 0 }},
	} {
		var warnings []string
		got, err := importQDPX(edit(c.f), ReadOptions{Warn: func(m string) { warnings = append(warnings, m) }})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !c.check(got.Claims) {
			t.Errorf("%s: claims %+v", c.name, got.Claims)
		}
		if w := strings.Join(warnings, "\n"); !strings.Contains(w, c.warn) {
			t.Errorf("%s: warnings %q lack %q", c.name, w, c.warn)
		}
	}
}

// TestCorpusClaimsRoundTrip: claims citing corpus paragraphs with all
// three relations survive export and import, and the file validates.
func TestCorpusClaimsRoundTrip(t *testing.T) {
	p := corpusProject(t)
	ts := time.Date(2026, 5, 2, 8, 0, 0, 0, time.UTC)
	if len(p.Targets) == 0 {
		p.Targets = []annotate.Target{{ID: "tc", Name: "China"}}
	}
	for i := 0; i < 5; i++ {
		m := annotate.Claim{ID: fmt.Sprintf("m%d", i), Text: fmt.Sprintf("Claim %d: verify first, then repatriate", i), Target: p.Targets[0].ID,
			Grade: annotate.Credibility(1 + i), SuggestedGrade: annotate.Credibility(6 - i), Estimative: "likely", Created: ts, Modified: ts}
		for j := i; j < len(p.Annotations); j += 7 {
			m.Evidence = append(m.Evidence, annotate.Evidence{AnnotationID: p.Annotations[j].ID, Relation: annotate.Relations[j%3]})
		}
		p.Claims = append(p.Claims, m)
	}
	data := exportQDPX(t, p)
	got, warnings := importWarn(t, data)
	if len(warnings) > 0 {
		t.Errorf("warnings: %v", warnings)
	}
	if !reflect.DeepEqual(got.Claims, p.Claims) {
		t.Errorf("corpus claims changed in the round trip")
	}
	if err := xmllint(t, "Project-mrt2019.xsd", []byte(entry(t, data, projectEntry))); err != nil {
		t.Error(err)
	}
}

// failingReader fails to read one source's text, as a damaged file would.
type failingReader struct {
	annotate.Reader
	bad string
}

func (r failingReader) Text(id string) (string, error) {
	if id == r.bad {
		return "", fmt.Errorf("no text record for %s", id)
	}
	return r.Reader.Text(id)
}

// TestStreamingFailureCleansUp: an error mid-walk names the source and
// leaves no temporary file behind.
func TestStreamingFailureCleansUp(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	p := claimProject(t)
	err := WriteQDPXReader(io.Discard, failingReader{annotate.ProjectReader(p), "s02"}, Options{Time: fixedTime})
	if err == nil || !strings.Contains(err.Error(), "source s02") {
		t.Fatalf("want an error naming source s02, got %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// And a good export leaves none either.
	if err := WriteQDPXReader(io.Discard, annotate.ProjectReader(p), Options{Time: fixedTime}); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestClaimsReimportIntoProject: merging the .qdpx back into the project
// it came from, after its claims were deleted there, restores them with
// their evidence, relations, grades, target and independent sources.
func TestClaimsReimportIntoProject(t *testing.T) {
	full := claimProject(t)
	imported, warnings := importWarn(t, exportQDPX(t, full))
	if len(warnings) > 0 {
		t.Fatalf("warnings: %v", warnings)
	}
	mine := claimProject(t)
	mine.Claims = nil
	store := &annotate.MemStore{P: mine}
	c, r := annotate.Merge(annotate.NewIndex(mine), imported, "study.qdpx")
	if _, err := store.Apply(c); err != nil {
		t.Fatal(err)
	}
	if r.Added.Claims != 2 {
		t.Errorf("merge report %+v", r.Added)
	}
	if len(store.P.Claims) != 2 {
		t.Fatalf("%d claims after the merge", len(store.P.Claims))
	}
	for i, want := range full.Claims {
		got := store.P.Claims[i]
		got.Created, got.Modified, want.Created, want.Modified = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if len(want.Independent) == 0 && len(got.Independent) == 0 {
			got.Independent, want.Independent = nil, nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("claim %d after re-import\n got %+v\nwant %+v", i, got, want)
		}
	}
}
