// Package summarycheck compares the figures and dates of each summary
// sentence with those of the passages it is linked to, and flags what the
// evidence does not bear out ("summary says 37,000; evidence says
// 24,000多起") and sentences that state numbers with no evidence at all.
package summarycheck

import (
	"fmt"
	"strings"

	"gloss/annotate"
	"gloss/annotate/figures"
	"gloss/annotate/numerals"
	"gloss/annotate/suggest"
	"gloss/annotate/timeline"
)

// Kind names what a finding is about.
type Kind string

const (
	// Figure: a number the evidence does not state (beyond rounding).
	Figure Kind = "figure"
	// Date: a date the evidence does not state.
	Date Kind = "date"
	// Period: the same year, but calendar in one and fiscal in the other.
	Period Kind = "period"
	// Unsupported: the sentence states numbers or dates and has no evidence.
	Unsupported Kind = "unsupported"
)

// Finding is one thing to look at in a summary sentence.
type Finding struct {
	Kind Kind `json:"kind"`
	// Said is the summary's figure or date as written; Start/End are its
	// code points in the summary.
	Said       string `json:"said,omitempty"`
	Start, End int    `json:"-"`
	// Evidence lists what the linked passages say instead (as written).
	Evidence []string `json:"evidence,omitempty"`
	Message  string   `json:"message"`
}

// Sentence is the check of one summary sentence.
type Sentence struct {
	Span suggest.Span `json:"span"` // code points in the summary
	// Links are the IDs of the (not rejected) links from this sentence.
	Links    []string  `json:"links,omitempty"`
	Figures  int       `json:"figures"` // figures and dates the sentence states
	Dates    int       `json:"dates"`
	Findings []Finding `json:"findings,omitempty"`
}

// Flagged reports whether the sentence needs the analyst's eye.
func (s Sentence) Flagged() bool { return len(s.Findings) > 0 }

// Texts gives a source's text; false when it has none.
type Texts func(sourceID string) (string, bool)

// Check checks every sentence of one summary. sources finds the sources
// links point to (their Published dates resolve "on Tuesday" and 5月18日);
// links may hold any links of the project: those from other sources and
// rejected ones are skipped.
func Check(summary annotate.Source, sources map[string]annotate.Source, links []annotate.Link, text Texts) ([]Sentence, error) {
	return CheckFacts(summary, sources, links, text, nil)
}

// CheckFacts is Check with the facts of the evidence texts read by the
// caller (a report reads each text once for all its sections); read nil
// reads them here.
func CheckFacts(summary annotate.Source, sources map[string]annotate.Source, links []annotate.Link, text Texts,
	read func(src annotate.Source, text string) figures.Facts) ([]Sentence, error) {
	if read == nil {
		read = figures.Read
	}
	st, ok := text(summary.ID)
	if !ok {
		return nil, fmt.Errorf("summary %s: no text", summary.ID)
	}
	// A summary without its own date reads relative dates as its
	// original does.
	pub := summary.Published
	if pub == "" {
		for _, o := range summary.Originals {
			if s, ok := sources[o]; ok && s.Published != "" {
				pub = s.Published
				break
			}
		}
	}
	sumSrc := summary
	sumSrc.Published = pub
	sumFacts := figures.Read(sumSrc, st)
	sumFigs, sumDates := sumFacts.Figures, sumFacts.Dates

	// Evidence figures and dates per source, extracted once per text.
	type evText struct {
		runes []rune
		figs  []figures.Figure
		dates []timeline.Date
	}
	cache := map[string]*evText{}
	evidenceOf := func(id string) (*evText, error) {
		if e, ok := cache[id]; ok {
			return e, nil
		}
		t, ok := text(id)
		if !ok {
			return nil, fmt.Errorf("link evidence: source %s has no text", id)
		}
		src := sources[id]
		src.ID = id
		f := read(src, t)
		e := &evText{runes: []rune(t), figs: f.Figures, dates: f.Dates}
		cache[id] = e
		return e, nil
	}

	var out []Sentence
	for _, sp := range sumFacts.Sentences {
		s := Sentence{Span: sp}
		var said []figures.Figure
		for _, f := range sumFigs {
			if f.Number.NumStart >= sp.Start && f.Number.NumEnd <= sp.End {
				said = append(said, f)
			}
		}
		var saidDates []timeline.Date
		for _, d := range sumDates {
			if d.Start >= sp.Start && d.End <= sp.End {
				saidDates = append(saidDates, d)
			}
		}
		s.Figures, s.Dates = len(said), len(saidDates)
		var evFigs []evFigure
		var evDates []timeline.Date
		for _, l := range links {
			if l.Status == annotate.Rejected || l.From.SourceID != summary.ID ||
				l.From.Selector.End <= sp.Start || sp.End <= l.From.Selector.Start {
				continue
			}
			s.Links = append(s.Links, l.ID)
			for _, to := range l.To {
				e, err := evidenceOf(to.SourceID)
				if err != nil {
					return nil, fmt.Errorf("link %s: %w", l.ID, err)
				}
				for _, f := range e.figs {
					if f.Number.NumStart >= to.Selector.Start && f.Number.NumEnd <= to.Selector.End {
						evFigs = append(evFigs, evFigure{f, asWritten(e.runes, f)})
					}
				}
				// A figure's period is a date the passage bears too, even
				// when it reads it from the sentence before (前一年).
				for _, f := range e.figs {
					if f.HasPeriod && f.Number.NumStart >= to.Selector.Start && f.Number.NumEnd <= to.Selector.End {
						evDates = append(evDates, f.Period)
					}
				}
				for _, d := range e.dates {
					if d.Start >= to.Selector.Start && d.End <= to.Selector.End {
						evDates = append(evDates, d)
					}
				}
			}
		}
		if len(s.Links) == 0 {
			if len(said)+len(saidDates) > 0 {
				var what []string
				for _, f := range said {
					what = append(what, f.Number.Text)
				}
				for _, d := range saidDates {
					what = append(what, d.Text)
				}
				s.Findings = append(s.Findings, Finding{Kind: Unsupported, Said: strings.Join(what, ", "), Start: sp.Start, End: sp.End,
					Message: fmt.Sprintf("summary says %s with no evidence linked", strings.Join(what, ", "))})
			}
			out = append(out, s)
			continue
		}
		for _, f := range said {
			if fd, ok := checkFigure(f, evFigs); !ok {
				s.Findings = append(s.Findings, fd)
			}
		}
		for _, d := range saidDates {
			if fd, ok := checkDate(d, evDates); !ok {
				s.Findings = append(s.Findings, fd)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

type evFigure struct {
	f       figures.Figure
	written string
}

// asWritten is the figure as the evidence writes it, with a Chinese
// measure word: 24000多起.
func asWritten(r []rune, f figures.Figure) string {
	e := f.Number.End
	if f.Number.Han && e < len(r) && strings.ContainsRune("起人名次例宗件位个個艘架辆輛元", r[e]) {
		e++
	}
	return string(r[f.Number.Start:e])
}

// class is the kind of quantity, for comparing like with like.
func class(f figures.Figure) string {
	switch f.Unit {
	case "percent", "times", "USD", "CNY", "EUR":
		return f.Unit
	}
	return "count"
}

// checkFigure looks for an evidence figure of the same kind and period
// (when both state one) that agrees with the summary's beyond rounding.
func checkFigure(f figures.Figure, ev []evFigure) (Finding, bool) {
	var same, otherPeriod []string
	for _, e := range ev {
		if class(e.f) != class(f) {
			continue
		}
		if f.HasPeriod && e.f.HasPeriod && !f.Period.Overlaps(e.f.Period) {
			if numerals.Agrees(e.f.Number, f.Number) {
				otherPeriod = append(otherPeriod, e.written+" ("+e.f.PeriodLabel()+")")
			}
			continue
		}
		if numerals.Agrees(e.f.Number, f.Number) {
			return Finding{}, true
		}
		same = append(same, e.written)
	}
	fd := Finding{Kind: Figure, Said: f.Number.Text, Start: f.Number.Start, End: f.Number.End, Evidence: dedupe(same)}
	switch {
	case len(same) == 0 && len(otherPeriod) > 0:
		fd.Kind, fd.Evidence = Period, dedupe(otherPeriod)
		fd.Message = fmt.Sprintf("summary says %s for %s; evidence gives %s", f.Number.Text, f.PeriodLabel(), strings.Join(fd.Evidence, ", "))
	case len(same) == 0:
		fd.Message = fmt.Sprintf("summary says %s; the evidence states no such figure", f.Number.Text)
	default:
		fd.Message = fmt.Sprintf("summary says %s; evidence says %s", f.Number.Text, strings.Join(fd.Evidence, ", "))
	}
	return fd, false
}

func checkDate(d timeline.Date, ev []timeline.Date) (Finding, bool) {
	var said []string
	for _, e := range ev {
		if d.Overlaps(e) {
			fiscalD, fiscalE := d.Precision == timeline.FiscalYear, e.Precision == timeline.FiscalYear
			if fiscalD == fiscalE || (d.Precision != timeline.Year && e.Precision != timeline.Year) {
				return Finding{}, true
			}
			// Calendar 2023 against FY2023: they overlap by nine months.
			return Finding{Kind: Period, Said: d.Text, Start: d.Start, End: d.End, Evidence: []string{e.Text},
				Message: fmt.Sprintf("summary says %s (%s); evidence says %s (%s)", d.Text, describe(d), e.Text, describe(e))}, false
		}
		said = append(said, dateText(e))
	}
	fd := Finding{Kind: Date, Said: d.Text, Start: d.Start, End: d.End, Evidence: dedupe(said)}
	if len(said) == 0 {
		fd.Message = fmt.Sprintf("summary says %s; the evidence states no date", d.Text)
	} else {
		fd.Message = fmt.Sprintf("summary says %s; evidence says %s", d.Text, strings.Join(fd.Evidence, ", "))
	}
	return fd, false
}

// dateText is a date as written, with its resolution when it was
// relative: "前一年 (2022)", "on Tuesday (2024-07-02)".
func dateText(d timeline.Date) string {
	if d.Relative {
		return d.Text + " (" + d.Label() + ")"
	}
	return d.Text
}

func describe(d timeline.Date) string {
	if d.Precision == timeline.FiscalYear {
		return "fiscal year " + d.From.Format("Jan 2006") + "–" + d.To.Format("Jan 2006")
	}
	return "calendar year"
}

func dedupe(list []string) []string {
	// In the evidence's order: the analyst reads them against the passage.
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
