package claims

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/annotate/suggest"
	"gloss/internal/testshared"
)

// sentenceWith returns the annotation of the first sentence of text holding key.
func sentenceWith(t *testing.T, id, src, text, key string) annotate.Annotation {
	t.Helper()
	for _, s := range suggest.Sentences(text) {
		if strings.Contains(s.Text, key) {
			return annotate.Annotation{ID: id, SourceID: src, Selector: annotate.Selector{Start: s.Start, End: s.End, Exact: s.Text}}
		}
	}
	t.Fatalf("%s: no sentence holds %q", src, key)
	return annotate.Annotation{}
}

// The "verify first, then repatriate" claim on the corpus: the 2006 China
// Daily report, the 2024 forum post (translating the embassy statement) and
// the 2025 report on the Foreign Ministry briefing.
func TestCorpusVerifyFirstClaim(t *testing.T) {
	dir := testshared.Path(t, "corpus")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	p := &annotate.Project{Sources: []annotate.Source{
		{ID: "s003", Outlet: "China Daily", Published: "2006-04-05", Language: annotate.English, Reliability: "C", StateAffiliated: true},
		{ID: "s002", Published: "2024-04-06", Language: annotate.Simplified, Reliability: "D"},
		{ID: "s004", Published: "2025-01-28", Language: annotate.English, Reliability: "C"},
	}}
	p.Annotations = []annotate.Annotation{
		sentenceWith(t, "a003", "s003", read("003_02e3d86185da6ae0.txt"), "once it has been confirmed"),
		sentenceWith(t, "a002", "s002", read("002_6003477fc6787941.txt"), "先核实后遣返"),
		sentenceWith(t, "a004", "s004", read("004_82ae95fbb479be6d.txt"), "verify first"),
	}
	c, m, err := New("China accepts deportees verified as mainland citizens (verify first, then repatriate)", "", "", "test", t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Annotations {
		c, err = Attach(m, a.ID, annotate.Supports, t0)
		if err != nil {
			t.Fatal(err)
		}
		m = c.PutClaims[0]
	}
	p.Claims = []annotate.Claim{m}
	b := NewBoard(p)
	as, _ := b.Assessment(m.ID)
	t.Logf("voices %+v", as.Voices)
	for _, e := range as.Echoes {
		t.Logf("echo %s–%s %.2f (%s)", e.SourceA, e.SourceB, e.Score, e.Method)
	}
	t.Logf("suggested %d: %s", as.Suggested, as.Explanation)
	if as.Supporting != 3 || len(as.Sources) != 3 {
		t.Fatalf("%d supporting sources; want 3", as.Supporting)
	}
	if got := []string{as.Sources[0].Published[:4], as.Sources[1].Published[:4], as.Sources[2].Published[:4]}; strings.Join(got, " ") != "2006 2024 2025" {
		t.Errorf("sources in order %v; want 2006 2024 2025", got)
	}
	// The 2024 embassy statement and the 2025 briefing say the same thing in
	// two languages: one echo, so two voices.
	var cross bool
	for _, e := range as.Echoes {
		if e.Method == "cross-language" && (e.SourceA+e.SourceB == "s002s004" || e.SourceA+e.SourceB == "s004s002") {
			cross = true
		}
	}
	if !cross || as.IndependentSupporting != 2 {
		t.Errorf("want the 2024 and 2025 passages flagged as a cross-language echo and 2 independent voices; got %d voices, echoes %+v", as.IndependentSupporting, as.Echoes)
	}
	if as.Suggested != 1 || !strings.HasPrefix(as.Explanation, "Supported by 3 sources, 2 of them independent") {
		t.Errorf("suggested %d %q", as.Suggested, as.Explanation)
	}
}
