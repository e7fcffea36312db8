// Package linkview is the bilingual link view: an English summary beside
// the (usually Chinese) original it rests on, each in a textview, where the
// analyst ties every summary sentence to its evidence. Summary sentences are
// coloured by their support (linked, suggested, unsupported); a side panel
// lists the evidence, the suggestion engine's candidates with Confirm and
// Reject, and the sentences still unsupported; coverage figures sit on top.
//
// Every edit goes through session.Session.Do, so it is durable at once and
// undoable, and the view redraws from the session on every change, whoever
// made it.
package linkview

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/coverage"
	"gloss/annotate/suggest"
	"gloss/annotate/summarycheck"
	"gloss/app/session"
	"gloss/app/textview"
)

// Colours of the sentence states and of passages in the original. The text
// view draws opaque colours translucent; the paler ones carry their alpha.
var (
	colLinked      = color.NRGBA{0x2e, 0xa0, 0x43, 0xff}
	colSuggested   = color.NRGBA{0xff, 0xb0, 0x00, 0xff}
	colUnsupported = color.NRGBA{0xe5, 0x39, 0x35, 0xff}
	colCited       = color.NRGBA{0x42, 0x85, 0xf4, 0x50} // evidence of other sentences
	colCandidate   = color.NRGBA{0xff, 0xb0, 0x00, 0x48} // unstored candidate of the last run
	colCiting      = color.NRGBA{0x42, 0x85, 0xf4, 0xff} // summary sentences citing a clicked passage
)

// maxCandidates is how many candidates per sentence the side list offers.
const maxCandidates = 5

// View is the side-by-side content for one summary and one original.
type View struct {
	sess                  *session.Session
	summaryID, originalID string

	summary, original  *textview.TextView
	sumTitle, orgTitle *widget.Label
	suggestBtn         *widget.Button
	linkBtn            *widget.Button
	coverageLbl        *widget.Label
	status             *widget.Label
	detail             *fyne.Container
	detailScroll       *container.Scroll
	unsupHeader        *widget.Label
	unsupList          *widget.List
	content            fyne.CanvasObject

	orgRunes []rune

	// State of the last refresh.
	ok    bool // both sources exist
	links []annotate.Link
	rep   coverage.Report
	cur   int     // selected summary sentence, -1 for none
	pass  *[2]int // clicked passage of the original, or nil

	// Summary checks of the flagged sentences, by sentence start (checks.go).
	checks   map[int]summarycheck.Sentence
	checkErr string
	checkSig string // what the last check started from (checkSignature)
	checkGen int    // the latest check; older results are dropped
	// checkDone is closed once the latest summary check is in (tests wait on it).
	checkDone chan struct{}

	// Candidates of the last Suggest run, by summary sentence start.
	cands   map[int][]suggest.Candidate
	running bool
	engMu   sync.Mutex
	engine  *suggest.Index

	// Widgets of the side panel, for tests to press.
	candRows []candRow
	evRows   []evRow
	citeRows []citeRow

	closed   bool
	unfollow func() // stops following the session
	// afterSuggest, when set, is called once a Suggest run has finished.
	afterSuggest func()
}

type candRow struct {
	linkID          string // stored suggested link, or "" for a candidate of the last run
	start, end      int
	score           float64
	confirm, reject *widget.Button
}

type citeRow struct {
	sentence int
	open     *widget.Button
}

type evRow struct {
	linkID       string
	show, remove *widget.Button
}

// NewView builds the view for summaryID against originalID. It stays in
// step with the session until the window holding it closes.
func NewView(sess *session.Session, summaryID, originalID string) *View {
	v := &View{sess: sess, summaryID: summaryID, originalID: originalID, cur: -1}
	v.summary, v.original = textview.New(), textview.New()
	v.sumTitle, v.orgTitle = widget.NewLabel(""), widget.NewLabel("")
	v.sumTitle.Truncation = fyne.TextTruncateEllipsis
	v.orgTitle.Truncation = fyne.TextTruncateEllipsis
	v.sumTitle.TextStyle.Bold = true
	v.orgTitle.TextStyle.Bold = true

	x := sess.Index()
	if s := x.Source[summaryID]; s != nil {
		v.summary.SetText(s.Text)
	}
	if o := x.Source[originalID]; o != nil {
		v.original.SetText(o.Text)
		v.orgRunes = []rune(o.Text) // source texts never change; excerpts index it
	}
	v.summary.OnHighlightTapped = v.summaryTapped
	v.original.OnHighlightTapped = v.originalTapped
	v.summary.OnShortcut = v.shortcut
	v.original.OnShortcut = v.shortcut

	v.suggestBtn = widget.NewButtonWithIcon("Suggest", theme.SearchIcon(), v.runSuggest)
	v.linkBtn = widget.NewButtonWithIcon("Link selection (Ctrl+L)", theme.ContentAddIcon(), func() { v.linkSelection() })
	v.linkBtn.Importance = widget.HighImportance
	v.coverageLbl = widget.NewLabel("")
	v.status = widget.NewLabel("Click a summary sentence to see its evidence. To link, select a passage on each side and press Ctrl+L.")
	v.status.Truncation = fyne.TextTruncateEllipsis

	v.detail = container.New(rowsLayout{})
	v.detailScroll = container.NewVScroll(v.detail)
	v.unsupHeader = widget.NewLabel("")
	v.unsupHeader.TextStyle.Bold = true
	v.unsupList = widget.NewList(
		func() int { return len(v.rep.Unsupported) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.rep.Unsupported) {
				i := v.rep.Unsupported[id]
				o.(*widget.Label).SetText(fmt.Sprintf("%d. %s", i+1, v.rep.Sentences[i].Text))
			}
		})
	v.unsupList.OnSelected = func(id widget.ListItemID) {
		v.unsupList.UnselectAll()
		if id < len(v.rep.Unsupported) {
			v.selectSentence(v.rep.Unsupported[id], true)
		}
	}

	v.content = v.layout()
	v.refresh()
	v.unfollow = sess.OnChange(func(annotate.Change) {
		if !v.closed {
			v.refresh()
		}
	})
	return v
}

// Content is the view's widget tree.
func (v *View) Content() fyne.CanvasObject { return v.content }

// close stops the view following the session, which then no longer
// holds it.
func (v *View) close() {
	v.closed = true
	v.unfollow()
}

func (v *View) layout() fyne.CanvasObject {
	toolbar := container.NewHBox(v.suggestBtn, v.linkBtn, widget.NewSeparator(), legend())
	top := container.NewVBox(toolbar, v.coverageLbl)
	left := container.NewBorder(v.sumTitle, nil, nil, nil, v.summary)
	right := container.NewBorder(v.orgTitle, nil, nil, nil, v.original)
	texts := container.NewHSplit(left, right)
	texts.Offset = 0.47
	unsup := container.NewBorder(v.unsupHeader, nil, nil, nil, v.unsupList)
	side := container.NewVSplit(v.detailScroll, unsup)
	side.Offset = 0.7
	main := container.NewHSplit(texts, side)
	main.Offset = 0.76
	return container.NewBorder(top, v.status, nil, nil, main)
}

// legend explains the colours of the two texts.
func legend() fyne.CanvasObject {
	item := func(c color.NRGBA, alpha uint8, label string) fyne.CanvasObject {
		c.A = alpha
		r := canvas.NewRectangle(c)
		r.SetMinSize(fyne.NewSize(16, 16))
		r.CornerRadius = 3
		return container.NewHBox(container.NewCenter(r), widget.NewLabel(label))
	}
	return container.NewHBox(
		widget.NewLabel("Summary:"),
		item(colLinked, 0x90, "linked"),
		item(colSuggested, 0x90, "suggested"),
		item(colUnsupported, 0x90, "unsupported"),
		item(colCheck, 0x90, "figure/date not in evidence"),
		widget.NewLabel("   Original:"),
		item(colLinked, 0x90, "evidence"),
		item(colSuggested, 0x90, "suggested"),
		item(colCited, colCited.A, "cited elsewhere"),
	)
}

// refresh rereads the session and redraws everything.
func (v *View) refresh() {
	x := v.sess.Index()
	sum, org := x.Source[v.summaryID], x.Source[v.originalID]
	v.ok = sum != nil && org != nil
	if !v.ok {
		v.links, v.rep, v.cur, v.pass = nil, coverage.Report{}, -1, nil
		v.summary.SetHighlights(nil)
		v.original.SetHighlights(nil)
		v.suggestBtn.Disable()
		v.linkBtn.Disable()
		v.coverageLbl.SetText("")
		v.status.SetText("The summary or its original is no longer in the project.")
		v.render()
		return
	}
	v.suggestBtn.Enable()
	if v.running {
		v.suggestBtn.Disable()
	}
	v.linkBtn.Enable()
	v.sumTitle.SetText(fmt.Sprintf("Summary · %s (%s)", sum.DisplayTitle(), sum.Language.Name()))
	v.orgTitle.SetText(fmt.Sprintf("Original · %s (%s)", org.DisplayTitle(), org.Language.Name()))
	v.links = coverage.PairLinks(x.P.Links, v.summaryID, v.originalID)
	v.rep = coverage.Compute(*sum, *org, v.links)
	v.startCheck(x, *sum)
	if v.cur >= len(v.rep.Sentences) {
		v.cur = -1
	}
	v.coverageLbl.SetText(coverageText(v.rep))
	v.render()
}

func coverageText(r coverage.Report) string {
	n := len(r.Sentences)
	return fmt.Sprintf("Coverage: %d of %d summary sentences have confirmed evidence (%s) · %d suggested · %d unsupported      Original cited: %s of its text, %s of its sentences",
		r.Linked, n, pct(r.SentenceShare), r.Suggested, len(r.Unsupported), pct(r.OriginalShare), pct(r.OriginalSentenceShare))
}

func pct(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

// render redraws highlights and panels from the state of the last refresh.
func (v *View) render() {
	v.summary.SetHighlights(v.summaryHighlights())
	v.original.SetHighlights(v.originalHighlights())
	if v.cur >= 0 {
		v.summary.SetFocused(sentID(v.cur))
	} else {
		v.summary.SetFocused("")
	}
	v.unsupHeader.SetText(fmt.Sprintf("Unsupported sentences (%d)", len(v.rep.Unsupported)))
	v.unsupList.Refresh()
	v.renderDetail()
}

func sentID(i int) string { return "s:" + strconv.Itoa(i) }

func passID(kind string, s, e int) string { return fmt.Sprintf("%s:%d:%d", kind, s, e) }

// parsePass reads an ID made by passID.
func parsePass(id string) (kind string, s, e int, ok bool) {
	f := strings.Split(id, ":")
	if len(f) != 3 {
		return "", 0, 0, false
	}
	s, err1 := strconv.Atoi(f[1])
	e, err2 := strconv.Atoi(f[2])
	return f[0], s, e, err1 == nil && err2 == nil
}

func stateColor(s coverage.State) color.Color {
	switch s {
	case coverage.Linked:
		return colLinked
	case coverage.Suggested:
		return colSuggested
	}
	return colUnsupported
}

func stateText(s coverage.State) string {
	switch s {
	case coverage.Linked:
		return "Linked: confirmed evidence in the original"
	case coverage.Suggested:
		return "Suggested: evidence proposed, not yet confirmed"
	}
	return "Unsupported: no evidence linked yet"
}

func (v *View) summaryHighlights() []textview.Highlight {
	hs := make([]textview.Highlight, 0, len(v.rep.Sentences))
	for i, s := range v.rep.Sentences {
		tip := fmt.Sprintf("Sentence %d · %s", i+1, stateText(s.State))
		if m := v.checkMessages(s.Start); len(m) > 0 {
			tip += "\n" + strings.Join(m, "\n")
		}
		hs = append(hs, textview.Highlight{ID: sentID(i), Start: s.Start, End: s.End, Color: stateColor(s.State), Tooltip: tip})
	}
	// Check marks come after the sentences, so hs[i] stays sentence i.
	for i, s := range v.rep.Sentences {
		hs = append(hs, v.checkHighlights(i, s.Start, s.End)...)
	}
	if v.pass != nil {
		for _, i := range v.citing(v.pass[0], v.pass[1]) {
			s := v.rep.Sentences[i]
			hs = append(hs, textview.Highlight{ID: "x:" + strconv.Itoa(i), Start: s.Start, End: s.End, Color: colCiting,
				Tooltip: fmt.Sprintf("Sentence %d cites the passage you clicked", i+1)})
		}
	}
	return hs
}

type span struct{ s, e int }

func (v *View) originalHighlights() []textview.Highlight {
	cur := map[span]bool{}
	if v.cur >= 0 {
		for _, a := range v.rep.Sentences[v.cur].Evidence {
			cur[span{a.Selector.Start, a.Selector.End}] = true
		}
	}
	citedBy := map[span][]int{}
	var order []span
	for i, s := range v.rep.Sentences {
		for _, a := range s.Evidence {
			p := span{a.Selector.Start, a.Selector.End}
			if citedBy[p] == nil {
				order = append(order, p)
			}
			citedBy[p] = append(citedBy[p], i+1)
		}
	}
	var hs []textview.Highlight
	for _, p := range order {
		c := color.Color(colCited)
		if cur[p] {
			c = colLinked
		}
		hs = append(hs, textview.Highlight{ID: passID("e", p.s, p.e), Start: p.s, End: p.e, Color: c,
			Tooltip: "Evidence for sentence " + joinInts(citedBy[p])})
	}
	if v.cur < 0 {
		return hs
	}
	for _, r := range v.candidates(v.cur) {
		if r.linkID != "" {
			hs = append(hs, textview.Highlight{ID: passID("g", r.start, r.end), Start: r.start, End: r.end, Color: colSuggested,
				Tooltip: fmt.Sprintf("Suggested for sentence %d (score %.2f)", v.cur+1, r.score)})
		} else {
			hs = append(hs, textview.Highlight{ID: passID("c", r.start, r.end), Start: r.start, End: r.end, Color: colCandidate,
				Tooltip: fmt.Sprintf("Candidate for sentence %d (score %.2f)", v.cur+1, r.score)})
		}
	}
	return hs
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// citing returns the summary sentences whose evidence or suggestions overlap
// [s, e) of the original.
func (v *View) citing(s, e int) []int {
	var out []int
	for i, sn := range v.rep.Sentences {
		for _, a := range append(append([]annotate.Anchor{}, sn.Evidence...), sn.Suggestions...) {
			if a.Selector.Start < e && s < a.Selector.End {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// candidates lists what the side panel offers for sentence i: its stored
// suggestions, then the last run's other candidates that were neither
// rejected nor already linked.
func (v *View) candidates(i int) []candRow {
	sn := v.rep.Sentences[i]
	var rows []candRow
	taken := map[span]bool{}
	for _, k := range v.links {
		if !coverage.Touches(k.From.Selector, sn.Start, sn.End) {
			continue
		}
		for _, a := range coverage.ToOriginal(k, v.originalID) {
			taken[span{a.Selector.Start, a.Selector.End}] = true
		}
		if k.Status != annotate.Suggested {
			continue
		}
		to := coverage.ToOriginal(k, v.originalID)
		rows = append(rows, candRow{linkID: k.ID, start: to[0].Selector.Start, end: to[len(to)-1].Selector.End, score: k.Score})
	}
	for _, c := range v.cands[sn.Start] {
		if len(rows) >= maxCandidates {
			break
		}
		if taken[span{c.Start, c.End}] || coverage.RejectedFor(v.links, v.originalID, sn.Start, sn.End, c.Start, c.End) {
			continue
		}
		rows = append(rows, candRow{start: c.Start, end: c.End, score: c.Score})
	}
	return rows
}

// renderDetail rebuilds the side panel: the clicked passage's citing
// sentences, or the selected sentence with its evidence and candidates.
func (v *View) renderDetail() {
	v.candRows, v.evRows, v.citeRows = nil, nil, nil
	var objs []fyne.CanvasObject
	heading := func(s string) {
		l := widget.NewLabel(s)
		l.TextStyle.Bold = true
		objs = append(objs, l)
	}
	note := func(s string) {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
	}
	runes := v.orgRunes
	excerpt := func(s, e int) string {
		s = clampInt(s, 0, len(runes))
		return clip(string(runes[s:clampInt(e, s, len(runes))]), 90)
	}

	if v.ok && v.pass != nil {
		heading("Passage of the original")
		note("“" + excerpt(v.pass[0], v.pass[1]) + "”")
		cs := v.citing(v.pass[0], v.pass[1])
		if len(cs) == 0 {
			note("No summary sentence cites this passage.")
		} else {
			heading(fmt.Sprintf("Cited by %d summary sentence(s)", len(cs)))
		}
		for _, i := range cs {
			sn := v.rep.Sentences[i]
			i := i
			// An icon button beside a wrapped label: a text button would
			// not wrap and would push the panel wider.
			b := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.selectSentence(i, true) })
			v.citeRows = append(v.citeRows, citeRow{sentence: i, open: b})
			objs = append(objs, textRow(fmt.Sprintf("%d. %s (%s)", i+1, clip(sn.Text, 140), sn.State), b))
		}
		objs = append(objs, widget.NewSeparator())
	}
	switch {
	case !v.ok:
	case v.cur < 0:
		if v.pass == nil {
			note("Select a summary sentence (click it, or pick one from the unsupported list) to see its evidence and candidates.")
		}
	default:
		sn := v.rep.Sentences[v.cur]
		heading(fmt.Sprintf("Sentence %d of %d · %s", v.cur+1, len(v.rep.Sentences), sn.State))
		note(sn.Text)
		if m := v.checkMessages(sn.Start); len(m) > 0 {
			heading("Summary check")
			note(strings.Join(m, "\n"))
		} else if v.checkErr != "" {
			note(v.checkErr)
		}

		heading("Evidence")
		n := 0
		for _, k := range v.links {
			if k.Status != annotate.Confirmed || !coverage.Touches(k.From.Selector, sn.Start, sn.End) {
				continue
			}
			to := coverage.ToOriginal(k, v.originalID)
			var parts []string
			for _, a := range to {
				parts = append(parts, excerpt(a.Selector.Start, a.Selector.End))
			}
			k, first := k, to[0].Selector
			row := evRow{linkID: k.ID}
			row.show = widget.NewButtonWithIcon("", theme.VisibilityIcon(), func() {
				v.original.SetFocused(passID("e", first.Start, first.End))
				v.original.ScrollToRange(first.Start, first.End)
			})
			row.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { v.removeLink(k.ID) })
			v.evRows = append(v.evRows, row)
			objs = append(objs, textRow(strings.Join(parts, " … "), row.show, row.remove))
			n++
		}
		if n == 0 {
			note("None confirmed. Confirm a candidate below, or select the passage in the original and press Ctrl+L.")
		}

		heading("Candidates")
		rows := v.candidates(v.cur)
		for i := range rows {
			r := rows[i]
			r.confirm = widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() { v.confirm(r) })
			r.reject = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { v.reject(r) })
			r.confirm.Importance = widget.SuccessImportance
			tag, kind := "candidate", "c"
			if r.linkID != "" {
				tag, kind = "suggested", "g"
			}
			show := widget.NewButtonWithIcon("", theme.VisibilityIcon(), func() {
				v.original.SetFocused(passID(kind, r.start, r.end))
				v.original.ScrollToRange(r.start, r.end)
			})
			objs = append(objs, textRow(fmt.Sprintf("%.2f %s · %s", r.score, tag, excerpt(r.start, r.end)), show, r.confirm, r.reject))
			v.candRows = append(v.candRows, r)
		}
		if len(rows) == 0 {
			if v.cands == nil {
				note("Press Suggest to have the engine propose evidence.")
			} else {
				note("No candidates left for this sentence.")
			}
		} else {
			note("✓ confirms a candidate as evidence; ✗ rejects it for good.")
		}
	}
	v.detail.Objects = objs
	// Twice: the first pass gives new wrapped labels their width, the
	// second lets the scroll measure their real heights.
	v.detailScroll.Refresh()
	v.detailScroll.Refresh()
}

// textRow is a wrapped label with buttons on its right.
func textRow(text string, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	// Buttons keep their own height at the top instead of stretching.
	return container.NewBorder(nil, nil, nil, container.NewVBox(container.NewHBox(buttons...)), l)
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func clampInt(v, lo, hi int) int { return max(lo, min(v, hi)) }

// summaryTapped selects the sentence whose highlight was clicked.
func (v *View) summaryTapped(id string) {
	f := strings.SplitN(id, ":", 2)
	if len(f) != 2 {
		return
	}
	if i, err := strconv.Atoi(f[1]); err == nil && i >= 0 && i < len(v.rep.Sentences) {
		v.selectSentence(i, false)
	}
}

// selectSentence makes sentence i current and brings its evidence (or else
// its best candidate) into view in the original.
func (v *View) selectSentence(i int, scrollSummary bool) {
	if i < 0 || i >= len(v.rep.Sentences) {
		return
	}
	v.cur, v.pass = i, nil
	sn := v.rep.Sentences[i]
	if scrollSummary {
		v.summary.ScrollToRange(sn.Start, sn.End)
	}
	v.render()
	focus := ""
	switch {
	case len(sn.Evidence) > 0:
		a := sn.Evidence[0].Selector
		focus = passID("e", a.Start, a.End)
		v.original.ScrollToRange(a.Start, a.End)
	default:
		if rows := v.candidates(i); len(rows) > 0 {
			kind := "c"
			if rows[0].linkID != "" {
				kind = "g"
			}
			focus = passID(kind, rows[0].start, rows[0].end)
			v.original.ScrollToRange(rows[0].start, rows[0].end)
		}
	}
	v.original.SetFocused(focus)
}

// originalTapped shows which summary sentences cite the clicked passage.
func (v *View) originalTapped(id string) {
	_, s, e, ok := parsePass(id)
	if !ok {
		return
	}
	v.pass = &[2]int{s, e}
	v.original.SetFocused(id)
	cs := v.citing(s, e)
	v.render()
	if len(cs) > 0 {
		first := v.rep.Sentences[cs[0]]
		v.summary.ScrollToRange(first.Start, first.End)
	}
}

// shortcut links the two selections on Ctrl+L (Cmd+L on macOS).
func (v *View) shortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.KeyName != fyne.KeyL || (cs.Modifier != fyne.KeyModifierShortcutDefault && cs.Modifier != fyne.KeyModifierControl) {
		return false
	}
	v.linkSelection()
	return true
}

// linkShortcut is Ctrl+L, registered on the window so it works wherever the
// keyboard focus is.
var linkShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}

// linkSelection ties the summary selection (or, with none, the selected
// sentence) to the original's selection with a confirmed link.
func (v *View) linkSelection() bool {
	if !v.ok {
		return false
	}
	ss, se := v.summary.Selection()
	if ss == se && v.cur >= 0 {
		sn := v.rep.Sentences[v.cur]
		ss, se = sn.Start, sn.End
	}
	os, oe := v.original.Selection()
	switch {
	case ss == se:
		v.status.SetText("Nothing to link: select a passage of the summary (or click a sentence) first.")
		return false
	case os == oe:
		v.status.SetText("Nothing to link: select the passage of the original that supports the summary.")
		return false
	}
	x := v.sess.Index()
	from, err := x.Text(v.summaryID).Select(ss, se)
	if err != nil {
		v.status.SetText("Cannot link the summary selection: " + err.Error())
		return false
	}
	to, err := x.Text(v.originalID).Select(os, oe)
	if err != nil {
		v.status.SetText("Cannot link the original's selection: " + err.Error())
		return false
	}
	now := time.Now().UTC()
	link := annotate.Link{ID: annotate.NewID(annotate.LinkPrefix),
		From:   annotate.Anchor{SourceID: v.summaryID, Selector: from},
		To:     []annotate.Anchor{{SourceID: v.originalID, Selector: to}},
		Status: annotate.Confirmed, Created: now, Modified: now}
	for _, k := range v.links {
		if k.From.Selector.Start != ss || k.From.Selector.End != se || !coverage.SameTarget(k, v.originalID, os, oe) {
			continue
		}
		if k.Status == annotate.Confirmed {
			v.status.SetText("These two passages are already linked.")
			return false
		}
		// The same pair was suggested or rejected before: the analyst's
		// explicit link overrides it instead of doubling it.
		link.ID, link.Created, link.Score = k.ID, k.Created, k.Score
	}
	if err := v.sess.Do(annotate.Change{Label: "Link", PutLinks: []annotate.Link{link}}); err != nil {
		v.status.SetText("Could not save the link: " + err.Error())
		return false
	}
	v.summary.SetSelection(se, se)
	v.original.SetSelection(oe, oe)
	v.status.SetText("Linked.")
	for i, sn := range v.rep.Sentences {
		if coverage.Touches(from, sn.Start, sn.End) {
			v.selectSentence(i, false)
			break
		}
	}
	return true
}

func (v *View) removeLink(id string) {
	if err := v.sess.Do(annotate.Change{Label: "Remove link", DelLinks: []string{id}}); err != nil {
		v.status.SetText("Could not remove the link: " + err.Error())
		return
	}
	v.status.SetText("Link removed.")
}

// confirm makes a candidate confirmed evidence of the selected sentence.
func (v *View) confirm(r candRow) { v.review(r, annotate.Confirmed, "Confirm link") }

// reject turns a candidate down; it is kept as a rejected link so Suggest
// never offers it again.
func (v *View) reject(r candRow) { v.review(r, annotate.Rejected, "Reject suggestion") }

func (v *View) review(r candRow, st annotate.LinkStatus, label string) {
	if v.cur < 0 {
		return
	}
	now := time.Now().UTC()
	var link annotate.Link
	found := false
	for _, k := range v.links {
		if k.ID == r.linkID && r.linkID != "" {
			link, found = k, true
		}
	}
	if !found {
		sn := v.rep.Sentences[v.cur]
		x := v.sess.Index()
		from, err1 := x.Text(v.summaryID).Select(sn.Start, sn.End)
		to, err2 := x.Text(v.originalID).Select(r.start, r.end)
		if err1 != nil || err2 != nil {
			v.status.SetText(fmt.Sprintf("Cannot %s: the passage no longer fits the text.", strings.ToLower(label)))
			return
		}
		link = annotate.Link{ID: annotate.NewID(annotate.LinkPrefix),
			From:  annotate.Anchor{SourceID: v.summaryID, Selector: from},
			To:    []annotate.Anchor{{SourceID: v.originalID, Selector: to}},
			Score: r.score, Created: now}
	}
	link.Status, link.Modified = st, now
	if err := v.sess.Do(annotate.Change{Label: label, PutLinks: []annotate.Link{link}}); err != nil {
		v.status.SetText("Could not save: " + err.Error())
		return
	}
	if st == annotate.Confirmed {
		v.status.SetText("Confirmed.")
	} else {
		v.status.SetText("Rejected: it will not be suggested again.")
	}
}

// runSuggest runs the suggestion engine off the UI goroutine and stores
// each sentence's best candidate as a suggested link.
func (v *View) runSuggest() {
	if v.running || !v.ok {
		return
	}
	x := v.sess.Index()
	sumText, orgText := x.Source[v.summaryID].Text, x.Source[v.originalID].Text
	links := append([]annotate.Link(nil), v.links...)
	v.running = true
	v.suggestBtn.Disable()
	v.status.SetText("Looking for evidence…")
	go func() {
		v.engMu.Lock()
		if v.engine == nil {
			v.engine = suggest.NewIndex(orgText)
		}
		eng := v.engine
		v.engMu.Unlock()
		res := eng.Suggest(sumText, suggest.Options{Max: maxCandidates, Reject: coverage.Rejecter(links, v.originalID)})
		fyne.Do(func() { v.finishSuggest(res) })
	}()
}

func (v *View) finishSuggest(res []suggest.Suggestion) {
	v.running = false
	defer func() {
		if v.afterSuggest != nil {
			v.afterSuggest()
		}
	}()
	if v.closed {
		return
	}
	v.cands = map[int][]suggest.Candidate{}
	for _, sg := range res {
		v.cands[sg.Summary.Start] = sg.Candidates
	}
	if !v.ok {
		v.refresh()
		return
	}
	v.suggestBtn.Enable()
	x := v.sess.Index()
	c, n := coverage.SuggestChange(v.links, v.summaryID, v.originalID, x.Text(v.summaryID), x.Text(v.originalID), res, time.Now().UTC())
	if c.Empty() {
		v.status.SetText("No new suggestions: every sentence is linked or keeps its best suggestion.")
		v.render()
		return
	}
	if err := v.sess.Do(c); err != nil {
		v.status.SetText("Could not save the suggestions: " + err.Error())
		v.render()
		return
	}
	v.status.SetText(fmt.Sprintf("Suggested evidence for %d sentence(s). Review them with ✓ and ✗.", n))
}
