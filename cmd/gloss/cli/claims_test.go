package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate/figures"
	"gloss/annotate/timeline"
	"gloss/internal/testshared"
)

// decode runs a --json command and decodes its output into v.
func decode(t *testing.T, v any, args ...string) {
	t.Helper()
	out := mustGloss(t, append(args, "--json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("gloss %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// importFiles imports files and returns their source IDs by base name.
func importFiles(t *testing.T, db string, files ...string) map[string]string {
	t.Helper()
	var res struct {
		Imported []struct{ ID, File string }
	}
	decode(t, &res, append([]string{"import", "--db", db}, files...)...)
	ids := map[string]string{}
	for _, r := range res.Imported {
		ids[filepath.Base(r.File)] = r.ID
	}
	if len(ids) != len(files) {
		t.Fatalf("imported %d of %d files", len(ids), len(files))
	}
	return ids
}

func annotateQuote(t *testing.T, db, src, quote string, more ...string) string {
	t.Helper()
	return strings.TrimSpace(mustGloss(t, append([]string{"annotate", "--db", db, "--source", src, "--quote", quote}, more...)...))
}

type shownClaim struct {
	ID             string `json:"id"`
	Grade          int    `json:"grade"`
	SuggestedGrade int    `json:"suggestedGrade"`
	Estimative     string `json:"estimative"`
	Evidence       []struct {
		AnnotationID string `json:"annotationId"`
		Relation     string `json:"relation"`
	} `json:"evidence"`
	Assessment struct {
		Sources []struct {
			SourceID  string `json:"sourceId"`
			Published string `json:"published"`
			Voice     int    `json:"voice"`
		} `json:"sources"`
		Supporting, Contradicting                       int
		IndependentSupporting, IndependentContradicting int
		Voices                                          []struct {
			Sources []string `json:"sources"`
			Why     []string `json:"why"`
		} `json:"voices"`
		Echoes []struct {
			SourceA, SourceB string
			Method           string `json:"method"`
		} `json:"echoes"`
		Suggested   int    `json:"suggested"`
		Explanation string `json:"explanation"`
	} `json:"assessment"`
}

// The acceptance test, built through the CLI on the corpus: the
// "verify first, then repatriate" claim, the 2023 border figures and the
// timeline of the 2006 visit, the 2024 talks and the 2025 briefing.
func TestCorpusClaimsFiguresTimeline(t *testing.T) {
	dir := testshared.Path(t, "corpus")
	t.Setenv("GLOSS_AUTHOR", "tester")
	db := filepath.Join(t.TempDir(), "p.gloss")
	names := []string{"000_e4b40ca108dca221.txt", "001_63fd50dbdb8d0897.txt", "002_6003477fc6787941.txt", "003_02e3d86185da6ae0.txt", "004_82ae95fbb479be6d.txt"}
	var files []string
	for _, n := range names {
		files = append(files, filepath.Join(dir, n))
	}
	ids := importFiles(t, db, files...)
	s2006, s2024, s2025, s000 := ids[names[3]], ids[names[2]], ids[names[4]], ids[names[0]]

	// The claim and its evidence: one passage from each of the three years.
	ev := []string{
		annotateQuote(t, db, s2006, "once it has been confirmed they are Chinese citizens and left from the Chinese mainland", "--credibility", "3"),
		annotateQuote(t, db, s2024, "我们将接受经核实来自中国大陆的中国公民的遣返"),
		annotateQuote(t, db, s2025, "verify first and then repatriate. We will accept Chinese citizens who are verified to be from the Chinese mainland"),
	}
	claim := strings.TrimSpace(mustGloss(t, "claim", "add", "--db", db, "--text", "China accepts deportees verified as mainland citizens: verify first, then repatriate", "--target", "China"))
	if !strings.HasPrefix(claim, "m") {
		t.Fatalf("claim add printed %q; want a claim ID", claim)
	}
	args := []string{"claim", "attach", "--db", db, "--claim", claim, "--relation", "supports"}
	for _, a := range ev {
		args = append(args, "--annotation", a)
	}
	mustGloss(t, args...)

	var shown shownClaim
	decode(t, &shown, "claim", "show", "--db", db, "--claim", claim)
	as := shown.Assessment
	if len(as.Sources) != 3 || as.Supporting != 3 {
		t.Fatalf("claim shows %d sources, %d supporting; want 3 and 3", len(as.Sources), as.Supporting)
	}
	var years []string
	for _, s := range as.Sources {
		years = append(years, s.Published[:4])
	}
	if strings.Join(years, " ") != "2006 2024 2025" {
		t.Errorf("sources in order %v; want 2006 2024 2025", years)
	}
	// The embassy statement (2024, Chinese) and the 2025 briefing are one
	// text in two languages: an echo, so one voice; 2006 stands alone.
	echo := false
	for _, e := range as.Echoes {
		pair := e.SourceA + " " + e.SourceB
		echo = echo || pair == s2024+" "+s2025 || pair == s2025+" "+s2024
	}
	if !echo {
		t.Errorf("no echo between the 2024 and 2025 sources: %+v", as.Echoes)
	}
	if len(as.Voices) != 2 || as.IndependentSupporting != 2 {
		t.Errorf("%d voices, %d independent supporting; want 2 and 2: %+v", len(as.Voices), as.IndependentSupporting, as.Voices)
	}
	if as.Sources[1].Voice != as.Sources[2].Voice || as.Sources[0].Voice == as.Sources[1].Voice {
		t.Errorf("voices of 2006/2024/2025 = %d/%d/%d; want 2024 and 2025 together, 2006 apart", as.Sources[0].Voice, as.Sources[1].Voice, as.Sources[2].Voice)
	}
	if as.Suggested < 1 || as.Suggested > 6 || !strings.Contains(as.Explanation, "3 sources") || !strings.Contains(as.Explanation, "2 of them independent") {
		t.Errorf("suggested %d: %q; want a grade explained by 3 sources, 2 independent", as.Suggested, as.Explanation)
	}
	text := mustGloss(t, "claim", "show", "--db", db, "--claim", claim)
	for _, want := range []string{"China Daily", "2006-04-05", "zh-Hans", "Echoes:", "one voice", as.Explanation, "credibility 3"} {
		if !strings.Contains(text, want) {
			t.Errorf("claim show lacks %q:\n%s", want, text)
		}
	}
	list := mustGloss(t, "claim", "list", "--db", db)
	if !strings.Contains(list, claim) || !strings.Contains(list, as.Explanation) {
		t.Errorf("claim list lacks the claim or its explanation:\n%s", list)
	}

	// Figures: the 2023 border figures are one group, flagged.
	var gs []figures.Group
	decode(t, &gs, "figures", "--db", db, "--conflicts")
	found := false
	for _, g := range gs {
		var has37, has24 bool
		for _, f := range g.Figures {
			has37 = has37 || f.SourceID == s000 && f.Number.Value == 37000
			has24 = has24 || f.SourceID == s2024 && f.Number.Value == 24000
		}
		if has37 && has24 {
			found = g.Conflict
		}
	}
	if !found {
		t.Errorf("figures --conflicts does not flag 37,000 against 24,000+: %+v", gs)
	}
	if out := mustGloss(t, "figures", "--db", db, "--conflicts"); !strings.Contains(out, "CONFLICT") || !strings.Contains(out, "more than 37,000") {
		t.Errorf("figures table text:\n%s", out)
	}
	var only []figures.Group
	decode(t, &only, "figures", "--db", db, "--source", ids[names[1]])
	for _, g := range only {
		hit := false
		for _, f := range g.Figures {
			hit = hit || f.SourceID == ids[names[1]]
		}
		if !hit {
			t.Errorf("figures --source kept a group without that source: %+v", g)
		}
	}

	// Timeline: the events' passages coded Event, in order.
	annotateQuote(t, db, s2006, "Foreign Ministry spokesman Liu Jianchao said yesterday", "--code", "Event")
	annotateQuote(t, db, s2024, "包括马约卡斯和王在内的会议于2月18日在维也纳举行", "--code", "Event")
	annotateQuote(t, db, s2025, "Chinese Foreign Ministry spokeswoman Mao Ning said on Monday", "--code", "Event")
	var evs []timeline.Event
	decode(t, &evs, "timeline", "--db", db, "--code", "Event")
	var got []string
	for _, e := range evs {
		if e.Kind == timeline.Stated {
			got = append(got, e.Date.Label())
		}
	}
	if strings.Join(got, " ") != "2006-04-04 2024-02-18 2025-01-27" {
		t.Errorf("timeline --code Event: %v; want the 2006 visit, the 2024 talks, the 2025 briefing", got)
	}
	var all []timeline.Event
	decode(t, &all, "timeline", "--db", db)
	if len(all) <= len(evs) {
		t.Errorf("the unfiltered timeline has %d events, the filtered %d", len(all), len(evs))
	}
	var byClaim []timeline.Event
	decode(t, &byClaim, "timeline", "--db", db, "--claim", claim)
	for _, e := range byClaim {
		if e.Kind == timeline.Stated {
			t.Errorf("the claim's passages state no date, yet the timeline shows %+v", e)
		}
	}
}

// Claims without the corpus: grading, detaching, and the refusals.
func TestClaimCommands(t *testing.T) {
	t.Setenv("GLOSS_AUTHOR", "tester")
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	a := write(t, dir, "a.txt", []byte("The ministry said on 3 March 2021 that 1,200 people were returned."))
	b := write(t, dir, "b.txt", []byte("A rival paper reported that no one was returned in 2021."))
	ids := importFiles(t, db, a, b)
	pa := annotateQuote(t, db, ids["a.txt"], "1,200 people were returned")
	pb := annotateQuote(t, db, ids["b.txt"], "no one was returned in 2021")
	claim := strings.TrimSpace(mustGloss(t, "claim", "add", "--db", db, "--text", "Returns took place in 2021", "--time", "2021"))
	mustGloss(t, "claim", "attach", "--db", db, "--claim", claim, "--annotation", pa)
	mustGloss(t, "claim", "attach", "--db", db, "--claim", claim, "--annotation", pb, "--relation", "contradicts")

	var c shownClaim
	decode(t, &c, "claim", "show", "--db", db, "--claim", claim)
	if c.Assessment.Supporting != 1 || c.Assessment.Contradicting != 1 {
		t.Fatalf("supporting %d, contradicting %d; want 1 and 1", c.Assessment.Supporting, c.Assessment.Contradicting)
	}
	if !strings.Contains(c.Assessment.Explanation, "contradicted by 1") {
		t.Errorf("explanation %q does not mention the contradiction", c.Assessment.Explanation)
	}

	var g shownClaim
	decode(t, &g, "claim", "grade", "--db", db, "--claim", claim, "--accept", "--estimative", "Unlikely")
	if g.Grade != c.Assessment.Suggested || g.SuggestedGrade != c.Assessment.Suggested || g.Estimative != "unlikely" {
		t.Errorf("after --accept: grade %d, suggested %d, %q; want %d, %d, unlikely", g.Grade, g.SuggestedGrade, g.Estimative, c.Assessment.Suggested, c.Assessment.Suggested)
	}
	decode(t, &g, "claim", "grade", "--db", db, "--claim", claim, "--grade", "5")
	if g.Grade != 5 || g.SuggestedGrade != c.Assessment.Suggested {
		t.Errorf("after --grade 5: grade %d, suggested %d", g.Grade, g.SuggestedGrade)
	}
	if list := mustGloss(t, "claim", "list", "--db", db); !strings.Contains(list, claim) {
		t.Errorf("claim list:\n%s", list)
	}

	decode(t, &g, "claim", "detach", "--db", db, "--claim", claim, "--annotation", pb)
	if len(g.Evidence) != 1 || g.Evidence[0].AnnotationID != pa {
		t.Errorf("after detach: %+v", g.Evidence)
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"claim"}, 2, "claim needs"},
		{[]string{"claim", "frob", "--db", db}, 2, "unknown claim command"},
		{[]string{"claim", "add", "--db", db}, 2, "--text"},
		{[]string{"claim", "add", "--db", db, "--text", "x", "--time", "2021-13"}, 2, "--time"},
		{[]string{"claim", "attach", "--db", db, "--claim", claim, "--annotation", pa, "--relation", "refutes"}, 2, "--relation"},
		{[]string{"claim", "attach", "--db", db, "--claim", "mnope", "--annotation", pa}, 1, "no claim with id"},
		{[]string{"claim", "attach", "--db", db, "--claim", claim, "--annotation", "anope"}, 1, "no annotation with id"},
		{[]string{"claim", "grade", "--db", db, "--claim", claim, "--grade", "7"}, 2, "1–6"},
		{[]string{"claim", "grade", "--db", db, "--claim", claim, "--accept", "--grade", "2"}, 2, "one of"},
		{[]string{"claim", "grade", "--db", db, "--claim", claim, "--estimative", "perhaps"}, 2, "--estimative"},
		{[]string{"claim", "show", "--db", db}, 2, "--claim"},
		{[]string{"claim", "list"}, 2, "--db"},
		{[]string{"timeline", "--db", db, "--code", "Nope"}, 1, "no code named"},
		{[]string{"timeline", "--db", db, "--target", "Nope"}, 1, "no stance target named"},
		{[]string{"figures", "--db", db, "--source", "snope"}, 1, "no source with id"},
		{[]string{"figures", "--db", filepath.Join(dir, "missing.gloss")}, 1, "missing.gloss"},
	} {
		_, errOut, code := gloss(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("gloss %s: exit %d, %q; want %d and %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.msg)
		}
	}

	// Figures and timeline on the fixture.
	var gs []figures.Group
	decode(t, &gs, "figures", "--db", db)
	if len(gs) == 0 || gs[0].Figures[0].Number.Value != 1200 {
		t.Errorf("figures: %+v; want the 1,200 returned", gs)
	}
	var ev []timeline.Event
	decode(t, &ev, "timeline", "--db", db)
	var dates []string
	for _, e := range ev {
		if e.Kind == timeline.Stated {
			dates = append(dates, e.Date.Label())
		}
	}
	if strings.Join(dates, " ") != "2021 2021-03-03" {
		t.Errorf("timeline dates %v; want 2021 then 2021-03-03", dates)
	}
}

// Claims go out in JSON-LD and come back: a colleague's copy of the
// project (made before the claim) takes the claim with its evidence,
// relations and grades; importing again adds nothing; evidence the copy
// does not hold is left out with a warning.
func TestClaimImportFromJSONLD(t *testing.T) {
	t.Setenv("GLOSS_AUTHOR", "tester")
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	a := write(t, dir, "a.txt", []byte("The ministry said on 3 March 2021 that 1,200 people were returned."))
	b := write(t, dir, "b.txt", []byte("A rival paper reported that no one was returned in 2021."))
	ids := importFiles(t, db, a, b)
	pa := annotateQuote(t, db, ids["a.txt"], "1,200 people were returned")
	pb := annotateQuote(t, db, ids["b.txt"], "no one was returned in 2021")
	copyDB := filepath.Join(dir, "copy.gloss")
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyDB, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	late := annotateQuote(t, db, ids["a.txt"], "The ministry said")
	claim := strings.TrimSpace(mustGloss(t, "claim", "add", "--db", db, "--text", "Returns took place in 2021", "--time", "2021"))
	mustGloss(t, "claim", "attach", "--db", db, "--claim", claim, "--annotation", pa)
	mustGloss(t, "claim", "attach", "--db", db, "--claim", claim, "--annotation", pb, "--relation", "contradicts")
	mustGloss(t, "claim", "attach", "--db", db, "--claim", claim, "--annotation", late, "--relation", "mentions")
	mustGloss(t, "claim", "grade", "--db", db, "--claim", claim, "--grade", "3", "--estimative", "roughly even chance")
	out := filepath.Join(dir, "p.jsonld")
	mustGloss(t, "export", "--db", db, "--format", "jsonld", "--out", out)

	stdout, errOut, code := gloss(t, "claim", "import", "--db", copyDB, out)
	if code != 0 || !strings.Contains(stdout, "1 new") || !strings.Contains(errOut, late) {
		t.Fatalf("import: exit %d\n%s\n%s", code, stdout, errOut)
	}
	var got shownClaim
	decode(t, &got, "claim", "show", "--db", copyDB, "--claim", claim)
	if got.Grade != 3 || got.Estimative == "" || len(got.Evidence) != 2 ||
		got.Evidence[0].AnnotationID != pa || got.Evidence[0].Relation != "supports" ||
		got.Evidence[1].AnnotationID != pb || got.Evidence[1].Relation != "contradicts" {
		t.Fatalf("imported claim: %+v", got)
	}
	if again := mustGloss(t, "claim", "import", "--db", copyDB, out); !strings.Contains(again, "0 new, 0 updated, 1 already here") {
		t.Fatalf("second import: %s", again)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"claim", "import", "--db", copyDB}, 2, "one JSON-LD file"},
		{[]string{"claim", "import", "--db", copyDB, a}, 1, "a.txt"},
	} {
		_, errOut, code := gloss(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("gloss %s: exit %d, %q; want %d and %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.msg)
		}
	}
}
