package linkview

import (
	"image/color"
	"strconv"
	"strings"

	"gloss/annotate"
	"gloss/annotate/summarycheck"
	"gloss/app/textview"
)

// colCheck marks a figure or date of the summary that its evidence does
// not bear out.
var colCheck = color.NRGBA{0xd8, 0x1b, 0x60, 0xff}

// checkSummary compares each summary sentence's figures and dates with its
// evidence (all the summary's links, not only those to this original, as
// the check is about the sentence). Findings are keyed by sentence start,
// which coverage and summarycheck both take from suggest.Sentences.
func checkSummary(x *annotate.Index, sum annotate.Source) (map[int]summarycheck.Sentence, string) {
	text := func(id string) (string, bool) {
		s := x.Source[id]
		if s == nil {
			return "", false
		}
		return s.Text, true
	}
	sources := make(map[string]annotate.Source, len(x.Source))
	for id, s := range x.Source {
		sources[id] = *s
	}
	res, err := summarycheck.Check(sum, sources, x.P.Links, text)
	if err != nil {
		return nil, "Summary check: " + err.Error()
	}
	out := map[int]summarycheck.Sentence{}
	for _, s := range res {
		if s.Flagged() {
			out[s.Span.Start] = s
		}
	}
	return out, ""
}

// checkMessages are a sentence's findings, one line each.
func (v *View) checkMessages(start int) []string {
	var out []string
	for _, f := range v.checks[start].Findings {
		out = append(out, "⚠ "+f.Message)
	}
	return out
}

// checkHighlights mark the figures and dates a finding names (or the whole
// sentence when the finding names none, as for numbers with no evidence).
func (v *View) checkHighlights(i int, start, end int) []textview.Highlight {
	var hs []textview.Highlight
	tip := strings.Join(v.checkMessages(start), "\n")
	for _, f := range v.checks[start].Findings {
		s, e := f.Start, f.End
		if s >= e {
			s, e = start, end
		}
		hs = append(hs, textview.Highlight{ID: "k:" + strconv.Itoa(i), Start: s, End: e, Color: colCheck, Tooltip: tip})
	}
	return hs
}
