package report

import (
	"fmt"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/annotate/figures"
	"gloss/internal/benchproj"
)

func analyseForTest(p *annotate.Project) *analysisDoc {
	x := annotate.NewIndex(p)
	byID := map[string]*srcDoc{}
	for i := range p.Sources {
		byID[p.Sources[i].ID] = &srcDoc{Src: &p.Sources[i], Anchor: fmt.Sprint("src-", i+1), Title: p.Sources[i].DisplayTitle()}
	}
	return analyse(p, x, byID, func(id string) (string, bool) {
		if t := x.Text(id); t != nil {
			return t.String(), t.String() != ""
		}
		return "", false
	}, 0)
}

// A project past the caps gets an abridged figures section: every
// conflicting group, at most maxGroupRows rows a group (the rest counted),
// the agreeing groups of most sources, single figures counted by unit;
// and the counts are those of the whole section.
func TestFiguresSectionAbridged(t *testing.T) {
	p := benchproj.Generate(200, 0, 7)
	defer func(r, a, s int) { maxGroupRows, maxAgreeing, maxSingles = r, a, s }(maxGroupRows, maxAgreeing, maxSingles)
	maxGroupRows, maxAgreeing, maxSingles = 1<<20, 1<<20, 1<<20
	full := analyseForTest(p)
	if full.Abridged != "" || full.NSingle != len(full.Single) || full.NAgreeing != len(full.Agreeing) {
		t.Fatalf("small project abridged: %q, %d of %d singles, %d of %d agreeing", full.Abridged, len(full.Single), full.NSingle,
			len(full.Agreeing), full.NAgreeing)
	}
	if full.NAgreeing < 3 || full.NSingle < 3 || full.NConflict == 0 {
		t.Fatalf("project too small to test: %d agreeing, %d single, %d conflicts", full.NAgreeing, full.NSingle, full.NConflict)
	}
	// Figures without a unit are counted aside from grouping: the section
	// still lists the groups and single figures one grouping of all gives.
	var figs []figures.Figure
	for _, s := range p.Sources {
		if s.Kind != annotate.KindSummary {
			figs = append(figs, figures.Extract(s, s.Text)...)
		}
	}
	var want, got []string
	nGroups := 0
	for _, g := range figures.Groups(figs, figures.Overrides{}) {
		if len(g.Figures) == 1 && !g.Conflict {
			f := g.Figures[0]
			want = append(want, fmt.Sprintf("%s %d–%d", f.SourceID, f.Number.Start, f.Number.End))
		} else {
			nGroups++
		}
	}
	for _, f := range full.Single {
		got = append(got, f.Src.Src.ID+" "+f.Pos)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || nGroups != full.NConflict+full.NAgreeing || len(figs) != full.NFigures {
		t.Fatalf("singles or groups differ from one grouping of all figures (%d singles listed, %d expected)", len(got), len(want))
	}
	maxGroupRows, maxAgreeing, maxSingles = 2, 2, 2
	ab := analyseForTest(p)
	if ab.NFigures != full.NFigures || ab.NConflict != full.NConflict || ab.NAgreeing != full.NAgreeing || ab.NSingle != full.NSingle {
		t.Fatalf("counts changed: %d/%d/%d/%d, were %d/%d/%d/%d", ab.NFigures, ab.NConflict, ab.NAgreeing, ab.NSingle,
			full.NFigures, full.NConflict, full.NAgreeing, full.NSingle)
	}
	if len(ab.Conflict) != full.NConflict || len(ab.Agreeing) != 2 || ab.Single != nil {
		t.Fatalf("listed %d conflicts, %d agreeing, %d singles", len(ab.Conflict), len(ab.Agreeing), len(ab.Single))
	}
	for _, g := range append(append([]*figGroupDoc{}, ab.Conflict...), ab.Agreeing...) {
		if len(g.Figures) > 3 { // two, and the preferred one
			t.Fatalf("group %d lists %d figures", g.Num, len(g.Figures))
		}
	}
	more := 0
	for _, g := range ab.Conflict {
		if g.More != "" {
			more++
		}
	}
	if more == 0 || !strings.Contains(ab.Abridged, "at most 2 figures") || !strings.Contains(ab.Abridged, "only the 2 agreeing groups") {
		t.Fatalf("%d groups say what they leave out; %q", more, ab.Abridged)
	}
	n := 0
	for _, part := range strings.Split(ab.SingleUnits, ", ") {
		var k int
		if _, err := fmt.Sscanf(part, "%d", &k); err != nil {
			t.Fatalf("%q: %v", ab.SingleUnits, err)
		}
		n += k
	}
	if n != full.NSingle {
		t.Fatalf("single figures by unit %q add up to %d, not %d", ab.SingleUnits, n, full.NSingle)
	}
	// The same as Markdown and HTML: the counts and the note, not the rows.
	var md, html strings.Builder
	if err := WriteMarkdown(&md, p, Options{Generated: t0}); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&html, p, Options{Generated: t0}); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{md.String(), html.String()} {
		if !strings.Contains(out, "Abridged at this size") || !strings.Contains(out, "Not listed: ") || !strings.Contains(out, "Figures stated once") {
			t.Fatalf("report does not say what it leaves out")
		}
	}
}
