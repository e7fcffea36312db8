package report

import (
	"fmt"
	"strconv"
	"strings"
)

// analysis lays out the judgment sections in the PDF, each on a new page.
func (pw *pdfWriter) analysis(a *analysisDoc) {
	size := smallSize + 1
	body := plain(size, black)
	muted := plain(smallSize, grey)
	if len(a.Claims) > 0 {
		pw.header = "Claims"
		pw.newPage()
		pw.heading("Claims", 15)
		for _, c := range a.Claims {
			pw.need(size * lineFactor * 4)
			pw.para(fmt.Sprintf("%d. %s", c.Num, oneLine(c.C.Text)), &style{size: bodySize, fg: black, bold: true}, marginX, contentW)
			var meta []string
			if c.Target != "" {
				meta = append(meta, "About "+c.Target)
			}
			if c.C.Time != "" {
				meta = append(meta, "Time "+c.C.Time)
			}
			meta = append(meta, fmt.Sprintf("%d supporting, %d contradicting, %d mentioning sources; independent voices: %d supporting, %d contradicting",
				c.A.Supporting, c.A.Contradicting, c.A.Mentioning, c.A.IndependentSupporting, c.A.IndependentContradicting))
			pw.para(strings.Join(meta, "  ·  "), muted, marginX, contentW)
			sugg := dashIfEmpty(c.Suggested)
			if c.A.Estimative != "" {
				sugg += " (" + c.A.Estimative + ")"
			}
			pw.para("Suggested: "+sugg+" — "+oneLine(c.A.Explanation), body, marginX, contentW)
			acc := "not graded by the analyst yet"
			if c.Grade != "" {
				acc = c.Grade
				if c.C.Estimative != "" {
					acc += " (" + c.C.Estimative + ")"
				}
				if c.Then != "" {
					acc += "; Gloss suggested " + c.Then + " then"
				}
			}
			pw.para("Accepted: "+acc, body, marginX, contentW)
			pw.gap(3)
			for _, s := range c.Sources {
				pw.need(size * lineFactor * 3)
				pw.para(fmt.Sprintf("Voice %d · %s", s.Voice, oneLine(s.Title)), &style{size: size, fg: black, bold: true}, marginX+12, contentW-12)
				pw.para(s.Meta, muted, marginX+12, contentW-12)
				for _, it := range s.Items {
					col := dark
					switch it.Relation {
					case "supports":
						col = okGreen
					case "contradicts":
						col = badRed
					}
					gs := pw.glyphs(strings.ToUpper(it.Relation)+"  ", plain(size-1.5, col))
					txt := ""
					if it.Quote != "" {
						txt = "“" + oneLine(it.Quote) + "”  "
					}
					txt += it.Pos
					if it.Cred != "" {
						txt += " · credibility " + it.Cred
					}
					gs = append(gs, pw.glyphs(txt, body)...)
					pw.flow(gs, marginX+24, contentW-24, size)
				}
			}
			for _, v := range c.Voices {
				pw.para(v, muted, marginX+12, contentW-12)
			}
			if c.C.Note != "" {
				pw.para("Note: "+oneLine(c.C.Note), plain(smallSize, dark), marginX, contentW)
			}
			pw.gap(10)
		}
	}
	if a.HasFigures() {
		pw.header = "Figures"
		pw.newPage()
		pw.heading("Figures", 15)
		pw.para(fmt.Sprintf("%d figures in the sources; %d groups whose figures disagree beyond rounding; %d agreeing groups; %d stated once.",
			a.NFigures, a.NConflict, a.NAgreeing, a.NSingle), muted, marginX, contentW)
		if a.Abridged != "" {
			pw.para(a.Abridged, muted, marginX, contentW)
		}
		pw.gap(4)
		for _, g := range append(append([]*figGroupDoc{}, a.Conflict...), a.Agreeing...) {
			pw.need(size * lineFactor * 4)
			gs := pw.glyphs(fmt.Sprintf("%d. %s", g.Num, g.Head), &style{size: size, fg: black, bold: true})
			if g.Explanation != "" {
				gs = append(gs, pw.glyphs("   CONFLICT", plain(size-1.5, badRed))...)
			}
			pw.flow(gs, marginX, contentW, size)
			if g.Explanation != "" {
				pw.para(g.Explanation, plain(size, badRed), marginX+12, contentW-12)
			}
			pw.figRows(g.Figures)
			if g.More != "" {
				pw.para(g.More, muted, marginX, contentW)
			}
			pw.gap(6)
		}
		if len(a.Single) > 0 {
			pw.heading("Figures stated once", 11)
			pw.figRows(a.Single)
		}
		if a.SingleUnits != "" {
			pw.heading("Figures stated once", 11)
			pw.para(a.SingleUnits, muted, marginX, contentW)
		}
	}
	if len(a.Events) > 0 {
		pw.header = "Timeline"
		pw.newPage()
		pw.heading("Timeline", 15)
		for _, e := range a.Events {
			pw.need(size * lineFactor * 2)
			gs := pw.glyphs(e.Date+"  ", &style{size: size, fg: black, bold: true})
			gs = append(gs, pw.glyphs("("+e.Precision+")  ", muted)...)
			src := oneLine(e.SourceTitle)
			if e.Rel != "" {
				src += " [" + e.Rel + "]"
			}
			gs = append(gs, pw.glyphs(src, plain(size, linkBlue))...)
			pw.flow(gs, marginX, contentW, size)
			if e.Published {
				pw.para("published", muted, marginX+24, contentW-24)
			} else {
				pw.para(oneLine(e.Passage)+"  "+e.Pos, body, marginX+24, contentW-24)
			}
			pw.gap(2)
		}
	}
	if len(a.Checks) > 0 {
		pw.header = "Summary checks"
		pw.newPage()
		pw.heading("Summary checks", 15)
		for _, c := range a.Checks {
			if c.Summary != nil {
				pw.heading(c.Summary.Title, 11)
			}
			if len(c.Flagged) == 0 {
				pw.para(fmt.Sprintf("All %d sentences agree with their evidence.", c.Sentences), plain(size, okGreen), marginX, contentW)
				continue
			}
			pw.para(fmt.Sprintf("%d of %d sentences need a look.", len(c.Flagged), c.Sentences), muted, marginX, contentW)
			for i, s := range c.Flagged {
				pw.need(size * lineFactor * 2)
				if s.Text != "" {
					pw.para(strconv.Itoa(i+1)+". "+oneLine(s.Text)+"  "+s.Pos, body, marginX, contentW)
				}
				for _, f := range s.Findings {
					pw.para("→ "+oneLine(f), plain(size, badRed), marginX+18, contentW-18)
				}
				pw.gap(3)
			}
		}
	}
}

func (pw *pdfWriter) figRows(fs []*figDoc) {
	size := smallSize + 1
	for _, f := range fs {
		pw.need(size * lineFactor * 2)
		col := black
		if f.InConflict {
			col = badRed
		}
		gs := pw.glyphs(f.Value, &style{size: size, fg: col, bold: true})
		var bits []string
		for _, b := range []string{f.Unit, f.Counts, f.Period} {
			if b != "" {
				bits = append(bits, b)
			}
		}
		if f.Preferred {
			bits = append(bits, "use this one")
		}
		gs = append(gs, pw.glyphs("  "+strings.Join(bits, " · ")+"  ", plain(smallSize, grey))...)
		gs = append(gs, pw.glyphs(oneLine(f.SourceTitle), plain(size, linkBlue))...)
		pw.flow(gs, marginX+12, contentW-12, size)
		pw.para(oneLine(f.Passage)+"  "+f.Pos, plain(smallSize, dark), marginX+24, contentW-24)
	}
}
