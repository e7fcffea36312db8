package timeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/internal/testshared"
)

// corpus loads the five sources with the metadata sources.json gives.
func corpus(t *testing.T) ([]annotate.Source, map[string]string) {
	dir := testshared.Path(t, "corpus")
	b, err := os.ReadFile(filepath.Join(dir, "sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Sources []struct {
			File, Language string
			Outlet, Title  *string
			Published      string
		}
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatalf("sources.json: %v", err)
	}
	texts := map[string]string{}
	var srcs []annotate.Source
	for _, m := range meta.Sources {
		txt, err := os.ReadFile(filepath.Join(dir, m.File))
		if err != nil {
			t.Fatal(err)
		}
		s := annotate.Source{ID: m.File[:3], Published: m.Published, FileName: m.File, Language: annotate.Language(m.Language)}
		if m.Outlet != nil {
			s.Outlet = *m.Outlet
		}
		srcs = append(srcs, s)
		texts[s.ID] = string(txt)
	}
	return srcs, texts
}

func TestCorpusTimeline(t *testing.T) {
	srcs, texts := corpus(t)
	ev := Build(srcs, func(id string) (string, bool) { t, ok := texts[id]; return t, ok })
	find := func(src, label, key string) int {
		for i, e := range ev {
			if e.SourceID == src && e.Label() == label && strings.Contains(e.Passage.Text, key) {
				return i
			}
		}
		t.Errorf("no %s event in %s whose passage holds %q", label, src, key)
		return -1
	}
	for _, e := range ev {
		t.Logf("%-16s %s %-9s %.50q", e.Label(), e.SourceID, e.Kind, e.Date.Text)
	}
	visit := find("003", "2006-04-04", "Chertoff")
	talks := find("002", "2024-02-18", "维也纳")
	briefing := find("004", "2025-01-27", "Mao Ning")
	if t.Failed() {
		return
	}
	if !(visit < talks && talks < briefing) {
		t.Errorf("order: visit %d, talks %d, briefing %d", visit, talks, briefing)
	}
	// Fiscal 2023 in the forum post is a span from October 2022.
	fy := find("002", "FY2023", "24000")
	if fy >= 0 && ev[fy].Date.From.Format("2006-01") != "2022-10" {
		t.Errorf("FY2023 starts %v", ev[fy].Date.From)
	}
}
