package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
	"gloss/internal/testshared"
)

var t0 = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// annotateQuote adds an annotation on the only occurrence of quote.
func annotateQuote(t testing.TB, p *annotate.Project, srcID, quote string, codes []string, st []annotate.StanceMark, cred annotate.Credibility, note string) annotate.Annotation {
	t.Helper()
	var src *annotate.Source
	for i := range p.Sources {
		if p.Sources[i].ID == srcID {
			src = &p.Sources[i]
		}
	}
	if src == nil {
		t.Fatalf("no source %s", srcID)
	}
	return annotateAt(t, p, src, quote, 0, codes, st, cred, note)
}

// annotateAt annotates occurrence nth of quote.
func annotateAt(t testing.TB, p *annotate.Project, src *annotate.Source, quote string, nth int, codes []string, st []annotate.StanceMark, cred annotate.Credibility, note string) annotate.Annotation {
	t.Helper()
	tx := annotate.NewText(src.Text)
	hits := tx.Find(quote)
	if len(hits) <= nth {
		t.Fatalf("source %s: quote %q not found (%d hits)", src.ID, quote, len(hits))
	}
	sel, err := tx.Select(hits[nth], hits[nth]+len([]rune(quote)))
	if err != nil {
		t.Fatal(err)
	}
	a := annotate.Annotation{ID: annotate.NewID(annotate.AnnotationPrefix), SourceID: src.ID, Selector: sel, Codes: codes,
		Stances: st, Credibility: cred, Note: note, Author: "tester", Created: t0, Modified: t0}
	p.Annotations = append(p.Annotations, a)
	return a
}

func newSource(id, title, text string, lang annotate.Language) annotate.Source {
	return annotate.Source{ID: id, Title: title, Text: text, Language: lang, Kind: annotate.KindOriginal,
		ContentHash: annotate.HashText(text), Length: len([]rune(text)), ImportedAt: t0}
}

// corpusProject builds a project from the five corpus files with a few
// annotations found by quote, codes, a target, reliability grades, and the
// gold English summary of 002 linked to its Chinese evidence.
func corpusProject(t testing.TB) *annotate.Project {
	t.Helper()
	dir := filepath.Join(testshared.Path(t), "corpus")
	files, _ := filepath.Glob(filepath.Join(dir, "00*.txt"))
	if len(files) != 5 {
		t.Skipf("expected five corpus texts in %s, found %d", dir, len(files))
	}
	p := &annotate.Project{Name: "Repatriation cooperation"}
	p.Codes = []annotate.Code{
		{ID: "c-coop", Name: "Cooperation", Color: "#7fc97f", Description: "Bilateral cooperation on removals"},
		{ID: "c-coop-flight", Name: "Repatriation flights", Parent: "c-coop", Color: "#80b1d3"},
		{ID: "c-numbers", Name: "Figures", Color: "#f4c430", Description: "Counts of crossings, arrests, removals"},
		{ID: "c-frame", Name: "Framing", Color: "#fb8072"},
	}
	p.Targets = []annotate.Target{{ID: "t-us", Name: "United States"}, {ID: "t-cn", Name: "China"}}
	grades := []annotate.Reliability{"C", "B", "D", "B", "C"}
	langs := []annotate.Language{annotate.English, annotate.English, annotate.Simplified, annotate.English, annotate.English}
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := newSource(strings.TrimSuffix(filepath.Base(f), ".txt"), "", string(b), langs[i])
		s.FileName = filepath.Base(f)
		s.Reliability = grades[i]
		p.Sources = append(p.Sources, s)
	}
	p.Sources[0].MachineTranslated = true
	p.Sources[1].Title, p.Sources[1].Outlet, p.Sources[1].StateAffiliated = "China's NIA collaborates in repatriations", "Global Times", true
	p.Sources[2].Title = strings.SplitN(p.Sources[2].Text, "\n", 2)[0]
	p.Sources[3].Outlet, p.Sources[3].StateAffiliated = "China Daily", true
	us := func(s annotate.Stance) []annotate.StanceMark {
		return []annotate.StanceMark{{Target: "t-us", Stance: s}}
	}
	zh := p.Sources[2].ID
	annotateQuote(t, p, zh, "美国正在与中国进行高层讨论,旨在增加遭驱逐出美国的中国公民人数", []string{"c-coop"}, us(annotate.Neutral), 2, "Core claim")
	annotateQuote(t, p, zh, "中国长期以来一直不配合美国将中国公民驱逐回国的努力", []string{"c-frame"}, []annotate.StanceMark{{Target: "t-cn", Stance: annotate.Against}}, 3, "US officials' framing")
	// Overlaps the first passage.
	annotateQuote(t, p, zh, "增加遭驱逐出美国的中国公民人数", []string{"c-numbers"}, nil, 0, "")
	annotateQuote(t, p, zh, "24000多起此类过境事件", []string{"c-numbers"}, nil, 1, "FY2023, CBP")
	annotateQuote(t, p, p.Sources[1].ID, "Global Times", nil, nil, 0, "No code on purpose")
	annotateQuote(t, p, p.Sources[0].ID, "37,000", []string{"c-numbers"}, nil, 3, "")

	// The analyst's summary of 002 from the gold file, linked to its evidence.
	sum := newSource("summary-002", "Summary of the NBC report (002)", "", annotate.English)
	sum.Kind = annotate.KindSummary
	sum.Originals = []string{zh}
	var sents []string
	var evid [][]string
	goldLinks := readGold(t)
	for _, g := range goldLinks {
		sents = append(sents, g.Summary)
		evid = append(evid, g.Evidence)
	}
	sents = append(sents, "The report gives no figure for removals already carried out.")
	sum.Text = strings.Join(sents, " ")
	sum.ContentHash, sum.Length = annotate.HashText(sum.Text), len([]rune(sum.Text))
	p.Sources = append(p.Sources, sum)
	st := annotate.NewText(sum.Text)
	ot := annotate.NewText(p.Sources[2].Text)
	for i, s := range sents[:len(evid)] {
		h := st.Find(s)
		from, _ := st.Select(h[0], h[0]+len([]rune(s)))
		k := annotate.Link{ID: annotate.NewID(annotate.LinkPrefix), From: annotate.Anchor{SourceID: sum.ID, Selector: from}, Status: annotate.Confirmed}
		if i == 2 {
			k.Status = annotate.Suggested
		}
		for _, e := range evid[i] {
			hh := ot.Find(e)
			if len(hh) == 0 {
				t.Fatalf("gold evidence %q not in 002", e)
			}
			to, _ := ot.Select(hh[0], hh[0]+len([]rune(e)))
			k.To = append(k.To, annotate.Anchor{SourceID: zh, Selector: to})
		}
		p.Links = append(p.Links, k)
	}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("corpus project invalid: %v", errs)
	}
	return p
}
