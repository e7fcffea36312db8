package refiqda

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gloss/annotate"
	"gloss/internal/testshared"
)

// corpusProject builds a project from the five real texts in
// ../shared/corpus: every paragraph of every text becomes an annotation, and
// the first paragraph of the Chinese source is linked to two English ones.
func corpusProject(t *testing.T) *annotate.Project {
	t.Helper()
	dir := testshared.Path(t, "corpus")
	raw, err := os.ReadFile(filepath.Join(dir, "sources.json"))
	if err != nil {
		t.Skipf("corpus not available (%v); it lives in ../shared beside the repository", err)
	}
	var meta struct {
		Sources []struct {
			File      string  `json:"file"`
			Language  string  `json:"language"`
			Title     *string `json:"title"`
			Outlet    *string `json:"outlet"`
			Published *string `json:"published"`
		} `json:"sources"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatalf("sources.json: %v", err)
	}
	p := &annotate.Project{Name: "Corpus", Codes: []annotate.Code{{ID: "c1", Name: "Paragraph", Color: "#f4c430"}},
		Targets: []annotate.Target{{ID: "t1", Name: "United States"}}}
	ts := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	for i, m := range meta.Sources {
		b, err := os.ReadFile(filepath.Join(dir, m.File))
		if err != nil {
			t.Fatal(err)
		}
		text, _ := normalizeText(string(b))
		s := annotate.Source{ID: "s" + m.File[:3], Kind: annotate.KindOriginal, Language: annotate.English, Text: text,
			ContentHash: annotate.HashText(text), Length: utf8.RuneCountInString(text), FileName: m.File, ImportedAt: ts}
		if m.Language == "zh" {
			s.Language = annotate.Simplified
		}
		if m.Title != nil {
			s.Title = *m.Title
		}
		if m.Outlet != nil {
			s.Outlet = *m.Outlet
		}
		if m.Published != nil {
			s.Published = *m.Published
		}
		p.Sources = append(p.Sources, s)
		tx := annotate.NewText(text)
		pos := 0
		for j, para := range strings.Split(text, "\n") {
			n := utf8.RuneCountInString(para)
			if trimmed := strings.TrimSpace(para); trimmed != "" && n > 1 {
				sel, err := tx.Select(pos, pos+n)
				if err != nil {
					t.Fatal(err)
				}
				a := annotate.Annotation{ID: s.ID + "p" + string(rune('a'+j%26)) + string(rune('a'+j/26)), SourceID: s.ID, Selector: sel,
					Codes: []string{"c1"}, Credibility: annotate.Credibility(1 + (i+j)%6), Created: ts, Modified: ts}
				if j%3 == 0 {
					a.Stances = []annotate.StanceMark{{Target: "t1", Stance: annotate.Stances[j%4]}}
				}
				p.Annotations = append(p.Annotations, a)
			}
			pos += n + 1
		}
	}
	first := func(sid string) annotate.Anchor {
		for _, a := range p.Annotations {
			if a.SourceID == sid {
				return annotate.Anchor{SourceID: sid, Selector: a.Selector}
			}
		}
		t.Fatalf("no passage in %s", sid)
		return annotate.Anchor{}
	}
	p.Links = []annotate.Link{{ID: "l1", Status: annotate.Confirmed, From: first("s003"), To: []annotate.Anchor{first("s002"), first("s000")}, Created: ts, Modified: ts}}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("corpus project: %v", errs)
	}
	return p
}

func TestCorpusRoundTrip(t *testing.T) {
	p := corpusProject(t)
	got, err := importQDPX(exportQDPX(t, p), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, g := canonical(p), canonical(got)
	if len(g.Annotations) != len(want.Annotations) || len(want.Annotations) < 20 {
		t.Fatalf("%d annotations back of %d", len(g.Annotations), len(want.Annotations))
	}
	for i := range want.Sources {
		if g.Sources[i].Text != want.Sources[i].Text || g.Sources[i].FileName != want.Sources[i].FileName {
			t.Errorf("source %s differs", want.Sources[i].ID)
		}
	}
	for i := range want.Annotations {
		a, b := g.Annotations[i], want.Annotations[i]
		if a.ID != b.ID || a.Selector != b.Selector || a.Credibility != b.Credibility || len(a.Stances) != len(b.Stances) {
			t.Errorf("annotation %s: got %+v", b.ID, a)
		}
	}
	if len(g.Links) != 1 || len(g.Links[0].To) != 2 || g.Links[0].To[0] != want.Links[0].To[0] {
		t.Errorf("links %+v", g.Links)
	}
}

func TestCorpusSchema(t *testing.T) {
	p := corpusProject(t)
	if err := xmllint(t, "Project-mrt2019.xsd", []byte(entry(t, exportQDPX(t, p), "project.qde"))); err != nil {
		t.Error(err)
	}
}
