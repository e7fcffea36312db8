package webanno

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"gloss/annotate"
	"gloss/internal/testshared"
)

// corpusProject annotates every paragraph of the five real texts in
// ../shared/corpus (skipping when absent); each source's title is its
// first line, as an import would take it.
func corpusProject(t *testing.T) *annotate.Project {
	t.Helper()
	dir := testshared.Path(t, "corpus")
	files, err := filepath.Glob(filepath.Join(dir, "0*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("corpus not available in %s; it lives in ../shared beside the repository", dir)
	}
	p := &annotate.Project{Name: "Corpus", Codes: []annotate.Code{{ID: "c1", Name: "Paragraph", Color: "#f4c430"}}}
	ts := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := norm.NFC.String(strings.ReplaceAll(string(b), "\r\n", "\n"))
		lang := annotate.English
		if strings.ContainsRune(text, '中') {
			lang = annotate.Simplified
		}
		sid := fmt.Sprintf("s%d", i)
		title, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
		p.Sources = append(p.Sources, annotate.Source{ID: sid, Kind: annotate.KindOriginal, Language: lang, Text: text, Title: title,
			ContentHash: annotate.HashText(text), Length: utf8.RuneCountInString(text), FileName: filepath.Base(f)})
		tx := annotate.NewText(text)
		pos := 0
		for j, para := range strings.Split(text, "\n") {
			n := utf8.RuneCountInString(para)
			if strings.TrimSpace(para) != "" {
				sel, err := tx.Select(pos, pos+n)
				if err != nil {
					t.Fatal(err)
				}
				p.Annotations = append(p.Annotations, annotate.Annotation{ID: fmt.Sprintf("a%d-%d", i, j), SourceID: sid, Selector: sel,
					Codes: []string{"c1"}, Credibility: annotate.Credibility(1 + j%6), Created: ts, Modified: ts})
			}
			pos += n + 1
		}
		// A paragraph printed twice (a photo caption under the photo and
		// in the gallery): a short passage inside each copy, whose
		// 32-code-point context is the same in both places.
		seen := map[string]bool{}
		for _, para := range strings.Split(text, "\n") {
			r := []rune(para)
			if len(r) < 80 || seen[para] {
				continue
			}
			seen[para] = true
			hits := tx.Find(para)
			if len(hits) < 2 {
				continue
			}
			for k, h := range hits {
				sel, _ := tx.Select(h+40, h+50)
				p.Annotations = append(p.Annotations, annotate.Annotation{ID: fmt.Sprintf("r%d-%d-%d", i, h, k), SourceID: sid, Selector: sel,
					Created: ts, Modified: ts})
			}
		}
	}
	return p
}

// TestCorpusMusts exports one annotation per paragraph of the five real
// texts in ../shared/corpus and checks every item against every assertion.
func TestCorpusMusts(t *testing.T) {
	p := corpusProject(t)
	musts := loadMusts(t, testshared.Path(t, "w3c-annotation"))
	ts := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	_, _, items := export(t, p, Options{Generated: ts})
	if len(items) != len(p.Annotations) || len(items) < 20 {
		t.Fatalf("%d items for %d annotations", len(items), len(p.Annotations))
	}
	texts := map[string]*annotate.Text{}
	for _, s := range p.Sources {
		texts[SourceIRI(s.ID)] = annotate.NewText(s.Text)
	}
	repeated := 0
	for i, it := range items {
		for _, a := range musts {
			a.check(t, fmt.Sprintf("corpus item %d", i), it)
		}
		var an Annotation
		if err := json.Unmarshal(it, &an); err != nil {
			t.Fatal(err)
		}
		q, pos := an.Target[0].Selector[0], an.Target[0].Selector[1]
		tx := texts[an.Target[0].Source.ID]
		if got := tx.Slice(*pos.Start, *pos.End); got != q.Exact {
			t.Errorf("%s: text at %d–%d differs from exact", an.ID, *pos.Start, *pos.End)
		}
		// The quote selector alone finds the passage, and only it.
		if m := tx.QuoteMatches(q.Exact, q.Prefix, q.Suffix); len(m) != 1 || m[0] != *pos.Start {
			t.Errorf("%s: the quote selector matches at %v, want only %d", an.ID, m, *pos.Start)
		}
		if strings.HasPrefix(an.ID, "urn:gloss:annotation:r") {
			repeated++
		}
	}
	t.Logf("%d passages inside repeated paragraphs", repeated)
	t.Logf("%d corpus annotations × %d assertions", len(items), len(musts))
}
