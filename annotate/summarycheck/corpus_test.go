package summarycheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/annotate/suggest"
	"gloss/internal/testshared"
)

// Two summaries of the forum post (002), one stating the fiscal-2023
// figure right and one giving the 37,000 of another report, each linked to
// the sentence holding the figure.
func TestCorpusSummaryFigure(t *testing.T) {
	dir := testshared.Path(t, "corpus")
	b, err := os.ReadFile(filepath.Join(dir, "002_6003477fc6787941.txt"))
	if err != nil {
		t.Fatal(err)
	}
	orig := string(b)
	var ev suggest.Span
	for _, s := range suggest.Sentences(orig) {
		if strings.Contains(s.Text, "24000") {
			ev = s
		}
	}
	if ev.Text == "" {
		t.Fatal("002: no sentence holds 24000")
	}
	sources := map[string]annotate.Source{"o": {ID: "o", Language: annotate.Simplified, Published: "2024-04-06"}}
	for _, c := range []struct {
		summary string
		flag    bool
	}{
		{"In fiscal 2023, US border officials recorded more than 24,000 such crossings.", false},
		{"In fiscal 2023, US border officials recorded 37,000 such crossings.", true},
	} {
		sum := annotate.Source{ID: "s", Kind: annotate.KindSummary, Originals: []string{"o"}}
		link := annotate.Link{ID: "l", Status: annotate.Confirmed,
			From: annotate.Anchor{SourceID: "s", Selector: annotate.Selector{End: len([]rune(c.summary))}},
			To:   []annotate.Anchor{{SourceID: "o", Selector: annotate.Selector{Start: ev.Start, End: ev.End}}}}
		got, err := Check(sum, sources, []annotate.Link{link}, func(id string) (string, bool) {
			if id == "s" {
				return c.summary, true
			}
			return orig, id == "o"
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range got[0].Findings {
			t.Logf("%s: %s", f.Kind, f.Message)
		}
		if got[0].Flagged() != c.flag {
			t.Errorf("%q flagged %v; want %v (%+v)", c.summary, got[0].Flagged(), c.flag, got[0].Findings)
		}
		if c.flag && (len(got[0].Findings) == 0 || !strings.Contains(got[0].Findings[0].Message, "evidence says 24000多起")) {
			t.Errorf("message %+v", got[0].Findings)
		}
	}
}
