package report

import "strings"

// analysis writes the judgment sections as Markdown; every piece of
// project text goes through mdEsc or cell.
func (m *mdWriter) analysis(a *analysisDoc) {
	if len(a.Claims) > 0 {
		m.f("## Claims\n\n")
		for _, c := range a.Claims {
			m.f("### Claim %d. %s\n\n", c.Num, mdEsc(oneLine(c.C.Text)))
			if c.Target != "" {
				m.f("- **About:** %s\n", mdEsc(c.Target))
			}
			if c.C.Time != "" {
				m.f("- **Time:** %s\n", mdEsc(c.C.Time))
			}
			m.f("- **Sources:** %d supporting, %d contradicting, %d mentioning; independent voices: %d supporting, %d contradicting\n",
				c.A.Supporting, c.A.Contradicting, c.A.Mentioning, c.A.IndependentSupporting, c.A.IndependentContradicting)
			sugg := dashIfEmpty(c.Suggested)
			if c.A.Estimative != "" {
				sugg += " (" + c.A.Estimative + ")"
			}
			m.f("- **Suggested:** %s — %s\n", mdEsc(sugg), mdEsc(oneLine(c.A.Explanation)))
			if c.Grade != "" {
				g := c.Grade
				if c.C.Estimative != "" {
					g += " (" + c.C.Estimative + ")"
				}
				if c.Then != "" {
					g += "; Gloss suggested " + c.Then + " then"
				}
				m.f("- **Accepted:** %s\n", mdEsc(g))
			} else {
				m.f("- **Accepted:** not graded by the analyst yet\n")
			}
			if c.C.Note != "" {
				m.f("- **Note:** %s\n", mdEsc(oneLine(c.C.Note)))
			}
			m.f("\n")
			if len(c.Sources) > 0 {
				m.f("| Source | Voice | Evidence |\n|---|--:|---|\n")
				for _, s := range c.Sources {
					var items []string
					for _, it := range s.Items {
						x := it.Relation + ": "
						if it.Quote != "" {
							x += "“" + it.Quote + "” "
						}
						x += "(" + it.Pos + ")"
						if it.Cred != "" {
							x += ", credibility " + it.Cred
						}
						items = append(items, x)
					}
					m.f("| %s | %d | %s |\n", cell(s.Title+" — "+s.Meta), s.Voice, cell(strings.Join(items, "; ")))
				}
				m.f("\n")
			}
			for _, v := range c.Voices {
				m.f("- %s\n", mdEsc(v))
			}
			m.f("\n")
		}
	}
	if a.HasFigures() {
		m.f("## Figures\n\n%d figures in the sources; %d groups whose figures disagree beyond rounding; %d agreeing groups; %d stated once.\n\n",
			a.NFigures, a.NConflict, a.NAgreeing, a.NSingle)
		if a.Abridged != "" {
			m.f("%s\n\n", mdEsc(a.Abridged))
		}
		for _, g := range append(append([]*figGroupDoc{}, a.Conflict...), a.Agreeing...) {
			flag := ""
			if g.Explanation != "" {
				flag = " — **conflict**"
			}
			m.f("### %d. %s%s\n\n", g.Num, mdEsc(g.Head), flag)
			if g.Explanation != "" {
				m.f("%s\n\n", mdEsc(g.Explanation))
			}
			m.figRows(g.Figures)
			if g.More != "" {
				m.f("%s\n\n", mdEsc(g.More))
			}
		}
		if len(a.Single) > 0 {
			m.f("### Figures stated once\n\n")
			m.figRows(a.Single)
		}
		if a.SingleUnits != "" {
			m.f("### Figures stated once\n\n%s\n\n", mdEsc(a.SingleUnits))
		}
	}
	if len(a.Events) > 0 {
		m.f("## Timeline\n\n| Date | Precision | Source | Rel. | Passage |\n|---|---|---|---|---|\n")
		for _, e := range a.Events {
			passage := "published"
			if !e.Published {
				passage = e.Passage + " (" + e.Pos + ")"
			}
			m.f("| %s | %s | %s | %s | %s |\n", cell(e.Date), cell(e.Precision), cell(e.SourceTitle), cell(dashIfEmpty(e.Rel)), cell(passage))
		}
		m.f("\n")
	}
	if len(a.Checks) > 0 {
		m.f("## Summary checks\n\n")
		for _, c := range a.Checks {
			if c.Summary != nil {
				m.f("### %s\n\n", mdEsc(c.Summary.Title))
			}
			if len(c.Flagged) == 0 {
				m.f("All %d sentences agree with their evidence.\n\n", c.Sentences)
				continue
			}
			m.f("%d of %d sentences need a look.\n\n", len(c.Flagged), c.Sentences)
			for i, s := range c.Flagged {
				if s.Text != "" {
					m.f("%d. %s (%s)\n", i+1, mdEsc(oneLine(s.Text)), s.Pos)
				} else {
					m.f("%d. (the summary)\n", i+1)
				}
				for _, f := range s.Findings {
					m.f("    - %s\n", mdEsc(oneLine(f)))
				}
			}
			m.f("\n")
		}
	}
}

func (m *mdWriter) figRows(fs []*figDoc) {
	m.f("| Value | Unit | Counts | Period | Source | Passage |\n|--:|---|---|---|---|---|\n")
	for _, f := range fs {
		v := f.Value
		if f.InConflict {
			v = "**" + mdEsc(v) + "**"
		} else {
			v = mdEsc(v)
		}
		if f.Preferred {
			v += " (use)"
		}
		m.f("| %s | %s | %s | %s | %s | %s |\n", v, cell(f.Unit), cell(f.Counts), cell(f.Period), cell(f.SourceTitle), cell(f.Passage+" ("+f.Pos+")"))
	}
	m.f("\n")
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
