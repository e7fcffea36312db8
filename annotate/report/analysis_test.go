package report

import (
	"bytes"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/annotate/claims"
	"gloss/annotate/figures"

	"golang.org/x/net/html"
)

const hostile = `<script>alert(1)</script> *x* [l](javascript:y) | pipe`

// judgmentProject is a fixture written for these tests: two reports that
// disagree on a 2023 figure, a claim with evidence from both, and a summary
// with one sentence that misstates the figure, one that states it right
// and one with a number but no evidence.
func judgmentProject(t *testing.T) (*annotate.Project, annotate.Claim) {
	t.Helper()
	a := newSource("sa", "State Daily report", "The ministry said 37,000 citizens were arrested at the border in 2023. On Monday it said it will accept returns once identity is verified.", annotate.English)
	a.Outlet, a.Published, a.Reliability, a.StateAffiliated = "State Daily", "2024-05-13", "B", true
	b := newSource("sb", "Wire report", "Officials said 24,000 citizens were arrested at the border in 2023. Returns have not resumed.", annotate.English)
	b.Published, b.Reliability, b.MachineTranslated = "2024-04-06", "C", true
	sum := newSource("ss", "Summary", "Officials arrested 24,000 citizens at the border in 2023. Officials arrested 37,000 citizens at the border in 2023. About 500 people went home.", annotate.English)
	sum.Kind, sum.Originals = annotate.KindSummary, []string{"sa"}
	p := &annotate.Project{Name: "Judgments", Sources: []annotate.Source{a, b, sum},
		Targets: []annotate.Target{{ID: "t1", Name: "Ministry"}}}
	ea := annotateQuote(t, p, "sa", "On Monday it said it will accept returns once identity is verified.", nil, nil, 2, "")
	eb := annotateQuote(t, p, "sb", "Returns have not resumed.", nil, nil, 0, "")
	fig := annotateQuote(t, p, "sa", "37,000 citizens were arrested at the border in 2023", nil, nil, 0, "")
	sumSel := func(q string) annotate.Selector {
		tx := annotate.NewText(sum.Text)
		h := tx.Find(q)
		sel, err := tx.Select(h[0], h[0]+len([]rune(q)))
		if err != nil {
			t.Fatal(err)
		}
		return sel
	}
	for i, q := range []string{"Officials arrested 24,000 citizens at the border in 2023.", "Officials arrested 37,000 citizens at the border in 2023."} {
		p.Links = append(p.Links, annotate.Link{ID: "l" + string(rune('1'+i)), Status: annotate.Confirmed,
			From: annotate.Anchor{SourceID: "ss", Selector: sumSel(q)},
			To:   []annotate.Anchor{{SourceID: "sa", Selector: fig.Selector}}, Created: t0, Modified: t0})
	}
	_, m, err := claims.New("The ministry accepts returns "+hostile, "t1", "2024", "tester", t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		id  string
		rel annotate.Relation
	}{{ea.ID, annotate.Supports}, {eb.ID, annotate.Contradicts}} {
		c, err := claims.Attach(m, e.id, e.rel, t0)
		if err != nil {
			t.Fatal(err)
		}
		m = c.PutClaims[0]
	}
	m.Grade, m.SuggestedGrade, m.Estimative = 4, 3, "unlikely"
	p.Claims = []annotate.Claim{m}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("fixture does not validate: %v", errs)
	}
	return p, m
}

func section(doc *html.Node, id string) *html.Node {
	var found *html.Node
	countMarks(doc, func(n *html.Node) {
		if found == nil && n.Data == "section" && attr(n, "id") == id {
			found = n
		}
	})
	return found
}

func TestHTMLJudgmentSections(t *testing.T) {
	p, m := judgmentProject(t)
	as := claims.Assess(m, claims.NewLookup(p))
	var buf bytes.Buffer
	if err := WriteHTML(&buf, p, Options{Generated: t0}); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	countMarks(doc, func(n *html.Node) {
		if n.Data == "script" || n.Data == "iframe" || n.Data == "object" {
			t.Errorf("report holds a <%s> element", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
				t.Errorf("report holds attribute %s=%q", a.Key, a.Val)
			}
		}
	})

	cs := section(doc, "claims")
	if cs == nil {
		t.Fatal("no Claims section")
	}
	txt := textOf(cs)
	for _, want := range []string{hostile, "About Ministry", as.Explanation, "State Daily report", "Wire report",
		"state-affiliated", "machine-translated", "B — Usually reliable", "supports", "contradicts",
		"4 — Doubtful", "unlikely", "Gloss suggested 3 — Possibly true then", "2 — Probably true"} {
		if !strings.Contains(txt, want) {
			t.Errorf("Claims section lacks %q:\n%s", want, txt)
		}
	}
	if as.Supporting != 1 || as.Contradicting != 1 || !strings.Contains(txt, "1 supporting, 1 contradicting") {
		t.Errorf("counts: %d/%d; section:\n%s", as.Supporting, as.Contradicting, txt)
	}
	// Evidence links to the source's section.
	links := 0
	countMarks(cs, func(n *html.Node) {
		if n.Data == "a" && (attr(n, "href") == "#src-1" || attr(n, "href") == "#src-2") {
			links++
		}
	})
	if links != 2 {
		t.Errorf("%d evidence sources link to their sections; want 2", links)
	}

	fs := section(doc, "figures")
	if fs == nil {
		t.Fatal("no Figures section")
	}
	ftxt := textOf(fs)
	if !strings.Contains(ftxt, "conflict") || !strings.Contains(ftxt, "37,000") || !strings.Contains(ftxt, "24,000") {
		t.Errorf("Figures section does not flag 37,000 against 24,000:\n%s", ftxt)
	}
	conflicts := 0
	countMarks(fs, func(n *html.Node) {
		if n.Data == "div" && strings.Contains(attr(n, "class"), "conflict") {
			conflicts++
		}
	})
	if conflicts != 1 {
		t.Errorf("%d conflict groups; want 1", conflicts)
	}

	ts := section(doc, "timeline")
	if ts == nil {
		t.Fatal("no Timeline section")
	}
	var dates []string
	countMarks(ts, func(n *html.Node) {
		if n.Data == "td" && attr(n, "class") == "date" {
			dates = append(dates, textOf(n.FirstChild))
		}
	})
	// 2023 (both reports), the wire's publication, Monday 2024-05-13 resolved, the state report's publication.
	if got := strings.Join(dates, " "); !strings.HasPrefix(got, "2023 2023 2024-04-06") || !strings.Contains(got, "2024-05-13") {
		t.Errorf("timeline dates %q", got)
	}

	ss := section(doc, "summary-checks")
	if ss == nil {
		t.Fatal("no Summary checks section")
	}
	stxt := textOf(ss)
	if !strings.Contains(stxt, "Officials arrested 24,000") || !strings.Contains(stxt, "37,000") {
		t.Errorf("the misstated sentence is not flagged:\n%s", stxt)
	}
	if strings.Contains(stxt, "Officials arrested 37,000") {
		t.Errorf("the sentence that states the figure right is flagged:\n%s", stxt)
	}
	if !strings.Contains(stxt, "About 500 people went home") {
		t.Errorf("the sentence with a number and no evidence is not flagged:\n%s", stxt)
	}
	if !strings.Contains(stxt, "2 of 3 sentences") {
		t.Errorf("summary check count:\n%s", stxt)
	}

	// The contents list the sections in front of the sources.
	toc := textOf(doc)
	if i, j := strings.Index(toc, "Claims"), strings.Index(toc, "State Daily report"); i < 0 || j < 0 || i > j {
		t.Errorf("contents do not list Claims before the sources")
	}
}

func TestHTMLNoJudgmentSectionsWhenNothingToShow(t *testing.T) {
	p := &annotate.Project{Sources: []annotate.Source{newSource("s", "Plain", "No numbers or dates here at all.", annotate.English)}}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, p, Options{Generated: t0}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{`id="claims"`, `id="figures"`, `id="timeline"`, `id="summary-checks"`} {
		if strings.Contains(buf.String(), id) {
			t.Errorf("a project with nothing to judge has %s", id)
		}
	}
}

func TestMarkdownJudgmentSections(t *testing.T) {
	p, m := judgmentProject(t)
	as := claims.Assess(m, claims.NewLookup(p))
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, p, Options{Generated: t0}); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{"## Claims", "## Figures", "— **conflict**", "## Timeline", "## Summary checks", "2 of 3 sentences need a look"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	doc := renderMD(t, buf.Bytes())
	txt := textOf(doc)
	for _, want := range []string{hostile, as.Explanation, "Accepted: 4 — Doubtful (unlikely)", "Officials arrested 24,000"} {
		if !strings.Contains(txt, want) {
			t.Errorf("rendered Markdown lacks %q", want)
		}
	}
	countMarks(doc, func(n *html.Node) {
		if n.Data == "script" || n.Data == "a" {
			t.Errorf("project text became a <%s> element", n.Data)
		}
	})
	// Each row of the claim's evidence table stays one row: the pipe in the
	// hostile text is escaped.
	rows := 0
	countMarks(doc, func(n *html.Node) {
		if n.Data == "tr" && strings.Contains(textOf(n), "Wire report") {
			rows++
		}
	})
	if rows == 0 {
		t.Error("no evidence table row for the wire report")
	}
}

func TestPDFJudgmentSections(t *testing.T) {
	needFont(t)
	p, m := judgmentProject(t)
	as := claims.Assess(m, claims.NewLookup(p))
	var buf bytes.Buffer
	if err := WritePDF(&buf, p, Options{Generated: t0}); err != nil {
		t.Fatal(err)
	}
	txt := squash(pdfText(t, buf.Bytes()))
	for _, want := range []string{"Claims", as.Explanation, "Accepted:4—Doubtful(unlikely)", "CONFLICT", "37,000", "24,000",
		"Timeline", "Summarychecks", "2of3sentencesneedalook", "OfficialsArrested24,000"} {
		if !strings.Contains(strings.ToLower(txt), strings.ToLower(squash(want))) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}

// Reports honour the analyst's figure marks stored on the sources: a split
// figure leaves the conflict, a merge brings it back, and the preferred
// figure is marked to use.
func TestReportHonoursFigureMarks(t *testing.T) {
	p, _ := judgmentProject(t)
	id := func(src int, text string) string {
		for _, f := range figures.Extract(p.Sources[src], p.Sources[src].Text) {
			if f.Number.Text == text {
				return f.ID
			}
		}
		t.Fatalf("no figure %q in %s", text, p.Sources[src].ID)
		return ""
	}
	big, small := id(0, "37,000"), id(1, "24,000")
	md := func() string {
		var buf bytes.Buffer
		if err := WriteMarkdown(&buf, p, Options{Generated: t0}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	if !strings.Contains(md(), "— **conflict**") {
		t.Fatal("no conflict before any mark")
	}
	p.Sources[0].FigureMarks = []annotate.FigureMark{{Figure: big, Split: true}}
	if strings.Contains(md(), "— **conflict**") {
		t.Fatal("the split figure still makes a conflict")
	}
	p.Sources[0].FigureMarks = []annotate.FigureMark{{Figure: big, Split: true, Group: "g"}}
	p.Sources[1].FigureMarks = []annotate.FigureMark{{Figure: small, Group: "g", Preferred: true}}
	out := md()
	if !strings.Contains(out, "— **conflict**") || !strings.Contains(out, "(use)") {
		t.Fatalf("after merge and prefer:\n%s", out)
	}
}
