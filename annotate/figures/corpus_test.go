package figures

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/internal/testshared"
)

func corpus(t *testing.T) ([]annotate.Source, map[string]string) {
	dir := testshared.Path(t, "corpus")
	b, err := os.ReadFile(filepath.Join(dir, "sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Sources []struct{ File, Language, Published string }
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
		lang := annotate.English
		if m.Language == "zh" {
			lang = annotate.Simplified
		}
		s := annotate.Source{ID: m.File[:3], Published: m.Published, Language: lang, Kind: annotate.KindOriginal}
		srcs = append(srcs, s)
		texts[s.ID] = string(txt)
	}
	return srcs, texts
}

func TestCorpusBorderConflict(t *testing.T) {
	srcs, texts := corpus(t)
	gs := Table(srcs, func(id string) (string, bool) { s, ok := texts[id]; return s, ok }, Overrides{})
	var border *Group
	for i, g := range gs {
		var line []string
		for _, f := range g.Figures {
			line = append(line, f.SourceID+":"+f.Number.Text+"["+f.Unit+" "+f.PeriodLabel()+"]")
		}
		flag := ""
		if g.Conflict {
			flag = " CONFLICT: " + g.Explanation
		}
		t.Logf("%s%s", strings.Join(line, "  "), flag)
		for _, f := range g.Figures {
			if f.SourceID == "000" && f.Number.Value == 37000 {
				border = &gs[i]
			}
		}
	}
	if border == nil {
		t.Fatal("no group holds the 37,000 figure")
	}
	var has24k bool
	for _, f := range border.Figures {
		if f.SourceID == "002" && f.Number.Value == 24000 {
			has24k = true
		}
	}
	if !has24k || !border.Conflict {
		t.Errorf("the 2023 border group should hold 37,000 (000) and 24000多 (002) and be a conflict: %+v", border)
	}
	for _, g := range gs {
		for _, f := range g.Figures {
			if f.SourceID == "002" && f.Number.Value == 2000 && g.ID == border.ID {
				t.Errorf("the previous year's 2000多 (FY2022) was grouped with FY2023")
			}
		}
	}
}
