package linkview

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"

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

// startCheck re-checks the summary in the background when its text, its
// links or the texts they point to changed since the last check: the check
// reads every linked source's figures and dates, which takes most of a
// second on a long original, too long to hold the window after each link.
// Until it is in, the previous findings stay (dropped if the summary's own
// text changed, as their positions no longer hold).
func (v *View) startCheck(x *annotate.Index, sum annotate.Source) {
	sig := checkSignature(x, sum)
	if sig == v.checkSig {
		return
	}
	if !strings.HasPrefix(v.checkSig, sum.ContentHash+"\n") {
		v.checks, v.checkErr = nil, ""
	}
	v.checkSig = sig
	v.checkGen++
	gen := v.checkGen
	done := make(chan struct{})
	v.checkDone = done
	runCheck(func() {
		res, msg := checkSummary(x, sum)
		fyne.Do(func() {
			defer close(done)
			if gen != v.checkGen || v.closed {
				return
			}
			v.checks, v.checkErr = res, msg
			if v.ok {
				v.render()
			}
		})
	})
}

// runCheck runs a summary check off the UI goroutine. Tests run it in
// place: Fyne's test driver runs fyne.Do on the calling goroutine, so a
// background check would draw while the test drives the widgets.
var runCheck = func(f func()) { go f() }

// checkSignature names what a check depends on: the summary's text and
// each of its links with the texts they point to.
func checkSignature(x *annotate.Index, sum annotate.Source) string {
	var b strings.Builder
	b.WriteString(sum.ContentHash + "\n" + sum.Published + "\n") // the published date resolves "on Tuesday"
	for _, k := range x.P.Links {
		if k.From.SourceID != sum.ID {
			continue
		}
		fmt.Fprintf(&b, "%s %s %d-%d", k.ID, k.Status, k.From.Selector.Start, k.From.Selector.End)
		for _, a := range k.To {
			h := ""
			if s := x.Source[a.SourceID]; s != nil {
				h = s.ContentHash + s.Published
			}
			fmt.Fprintf(&b, " %s:%s:%d-%d", a.SourceID, h, a.Selector.Start, a.Selector.End)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
