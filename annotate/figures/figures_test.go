package figures

import (
	"strings"
	"testing"

	"gloss/annotate"
)

// Fixture texts written for these tests.
const (
	enHarbour = "In 2023, the harbour police detained more than 3,100 smugglers at the northern pier. " +
		"The port handled 2.4 million passengers in 2022, and fees rose 12 percent."
	zhHarbour = "2023年,港口警方在北码头拘留了约1800名走私者,比前一年的900多名增加了一倍。" +
		"去年共有240万人次旅客经过港口。"
	enAgree = "Officials said about 1,800 smugglers were detained at the northern pier in 2023."
)

func src(id string, lang annotate.Language, pub string) annotate.Source {
	return annotate.Source{ID: id, Language: lang, Published: pub, Kind: annotate.KindOriginal}
}

func find(t *testing.T, fs []Figure, text string) Figure {
	t.Helper()
	for _, f := range fs {
		if f.Number.Text == text {
			return f
		}
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Number.Text)
	}
	t.Fatalf("no figure %q among %v", text, got)
	return Figure{}
}

func TestExtract(t *testing.T) {
	fs := Extract(src("en", annotate.English, "2024-03-01"), enHarbour)
	f := find(t, fs, "more than 3,100")
	if f.Unit != "people" || f.Counts != "smugglers" || f.PeriodLabel() != "2023" || f.Number.Value != 3100 {
		t.Errorf("3,100: unit %q counts %q period %q value %v", f.Unit, f.Counts, f.PeriodLabel(), f.Number.Value)
	}
	if got := string([]rune(enHarbour)[f.Number.Start:f.Number.End]); got != "more than 3,100" {
		t.Errorf("span is %q", got)
	}
	if !strings.HasPrefix(f.Passage.Text, "In 2023") {
		t.Errorf("passage %q", f.Passage.Text)
	}
	p := find(t, fs, "2.4 million")
	if p.Unit != "people" || p.PeriodLabel() != "2022" || p.Number.Value != 2.4e6 {
		t.Errorf("2.4 million: %q %q %v", p.Unit, p.PeriodLabel(), p.Number.Value)
	}
	if pc := find(t, fs, "12 percent"); pc.Unit != "percent" {
		t.Errorf("12 percent: unit %q", pc.Unit)
	}
	for _, f := range fs {
		if f.Number.Value == 2023 || f.Number.Value == 2022 {
			t.Errorf("a year taken as a figure: %q", f.Number.Text)
		}
	}

	zs := Extract(src("zh", annotate.Simplified, "2024-03-01"), zhHarbour)
	z := find(t, zs, "约1800")
	if z.Unit != "people" || z.PeriodLabel() != "2023" {
		t.Errorf("约1800: unit %q period %q", z.Unit, z.PeriodLabel())
	}
	if prev := find(t, zs, "900多"); prev.PeriodLabel() != "2022" {
		t.Errorf("前一年的900多: period %q; want 2022", prev.PeriodLabel())
	}
	if v := find(t, zs, "240万"); v.Unit != "events" || v.PeriodLabel() != "2023" || v.Number.Value != 2.4e6 {
		t.Errorf("去年…240万人次: unit %q period %q value %v", v.Unit, v.PeriodLabel(), v.Number.Value)
	}
}

func TestGroupsAndConflicts(t *testing.T) {
	figs := append(Extract(src("en", annotate.English, "2024-03-01"), enHarbour), Extract(src("zh", annotate.Simplified, "2024-03-01"), zhHarbour)...)
	figs = append(figs, Extract(src("en2", annotate.English, "2024-02-01"), enAgree)...)
	gs := Groups(figs, Overrides{})
	g := groupOf(gs, "en", 3100)
	if g == nil || !hasFig(g, "zh", 1800) || !hasFig(g, "en2", 1800) {
		t.Fatalf("3,100 (en), 约1800 (zh) and about 1,800 (en2) should be one group: %+v", g)
	}
	if !g.Conflict || len(g.Conflicts) != 2 {
		t.Errorf("conflicts %v; want 3,100 against each 1,800 and the two 1,800s agreeing", g.Conflicts)
	}
	if !strings.Contains(g.Explanation, "more than 3,100") || !strings.Contains(g.Explanation, "1800") {
		t.Errorf("explanation %q", g.Explanation)
	}
	if groupOf(gs, "zh", 900) == g {
		t.Error("the previous year's 900多 joined the 2023 group")
	}
	// Passengers of 2022 (en) and 旅客 of 2023 (去年 in a 2024 text) differ in period.
	if pg := groupOf(gs, "en", 2.4e6); pg != nil && hasFig(pg, "zh", 2.4e6) {
		t.Error("2.4 million passengers in 2022 grouped with 240万人次 in 2023")
	}
	if len(Conflicts(gs)) != 1 {
		t.Errorf("%d conflicts; want 1", len(Conflicts(gs)))
	}

	// Overrides: split the 3,100 out, prefer the Chinese figure, merge the
	// passenger figures, ignore the percentage.
	id3100 := groupOf(gs, "en", 3100).Figures[0].ID
	for _, f := range g.Figures {
		if f.Number.Value == 3100 {
			id3100 = f.ID
		}
	}
	var zh1800, en24, zh240, pct string
	for _, f := range figs {
		switch {
		case f.SourceID == "zh" && f.Number.Value == 1800:
			zh1800 = f.ID
		case f.SourceID == "en" && f.Number.Value == 2.4e6:
			en24 = f.ID
		case f.SourceID == "zh" && f.Number.Value == 2.4e6:
			zh240 = f.ID
		case f.Unit == "percent":
			pct = f.ID
		}
	}
	gs = Groups(figs, Overrides{Split: []string{id3100}, Preferred: []string{zh1800}, Merge: [][]string{{en24, zh240}}, Ignore: []string{pct}})
	g = groupOf(gs, "zh", 1800)
	if g.Conflict || hasFig(g, "en", 3100) || g.Preferred < 0 || g.Figures[g.Preferred].ID != zh1800 {
		t.Errorf("after split and prefer: %+v", g)
	}
	if s := groupOf(gs, "en", 3100); s == nil || len(s.Figures) != 1 || !s.Manual {
		t.Errorf("split figure should stand alone, marked manual: %+v", s)
	}
	if m := groupOf(gs, "en", 2.4e6); m == nil || !hasFig(m, "zh", 2.4e6) || !m.Manual {
		t.Errorf("merge: %+v", m)
	}
	for _, g := range gs {
		for _, f := range g.Figures {
			if f.ID == pct {
				t.Error("ignored figure still listed")
			}
		}
	}
}

func groupOf(gs []Group, src string, v float64) *Group {
	for i := range gs {
		if hasFig(&gs[i], src, v) {
			return &gs[i]
		}
	}
	return nil
}

func hasFig(g *Group, src string, v float64) bool {
	if g == nil {
		return false
	}
	for _, f := range g.Figures {
		if f.SourceID == src && f.Number.Value == v {
			return true
		}
	}
	return false
}
