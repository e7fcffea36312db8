package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/claims"
	"gloss/app/session"
)

// claimDesk is what the window knows about claims: the claim the analyst is
// working on (the inspector's picker, the A key and the Claims view share
// it), the inspector's attach section, and the Claims view when it is open.
type claimDesk struct {
	st        *State
	ed        editor
	newWindow func(title string) fyne.Window
	open      func(src string, start, end int)
	selection func() (start, end int, ok bool) // the document's selection, trimmed
	shown     func(annID string)               // an annotation was created and should be shown
	status    func(msg string)                 // says what to do next in the status bar

	selected string // claim ID
	view     *claimsView

	// Inspector section.
	pick     *widget.Select
	rel      *widget.RadioGroup
	attach   *widget.Button
	citedBy  *widget.Label
	section  *fyne.Container
	pickIDs  []string // claim IDs in the picker's order
	updating bool
}

var relationLabels = map[annotate.Relation]string{annotate.Supports: "Supports", annotate.Contradicts: "Contradicts", annotate.Mentions: "Mentions"}

func relationByLabel(s string) annotate.Relation {
	for r, l := range relationLabels {
		if l == s {
			return r
		}
	}
	return annotate.Supports
}

// claimDesk returns the window's desk, creating it (and the inspector's
// claim section) on first use.
func (w *Workspace) claimDesk() *claimDesk {
	if w.inspector.claims != nil {
		return w.inspector.claims
	}
	d := &claimDesk{st: w.State, ed: w.editor(), open: w.showPassage, selection: w.tag.trimmedSelection, status: w.setStatus,
		newWindow: func(title string) fyne.Window { return w.app.NewWindow(title) },
		shown: func(id string) {
			w.setAnnotation(id)
			w.text.tv.SetFocused(id)
			w.inspector.refresh(w.index())
		}}
	w.inspector.claims = d
	w.tag.claim = d.attachCurrent
	d.buildSection()
	w.inspector.body.Add(d.section)
	w.inspector.refresh(w.index())
	return d
}

func (d *claimDesk) buildSection() {
	d.pick = widget.NewSelect(nil, func(string) {
		if d.updating {
			return
		}
		if i := d.pick.SelectedIndex(); i >= 0 && i < len(d.pickIDs) {
			d.selectClaim(d.pickIDs[i])
		}
	})
	d.pick.PlaceHolder = "Pick a claim"
	d.rel = widget.NewRadioGroup([]string{"Supports", "Contradicts", "Mentions"}, nil)
	d.rel.Horizontal = true
	d.rel.Required = true
	d.rel.SetSelected("Supports")
	d.attach = widget.NewButtonWithIcon("Attach to claim (A)", theme.ContentAddIcon(), d.attachCurrent)
	newClaim := widget.NewButtonWithIcon("New claim…", theme.DocumentCreateIcon(), func() { d.newClaimDialog(d.ed.win) })
	d.citedBy = widget.NewLabel("")
	d.citedBy.Wrapping = fyne.TextWrapWord
	d.citedBy.Importance = widget.LowImportance
	head := widget.NewLabelWithStyle("Claims", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.section = container.NewVBox(widget.NewSeparator(), head, d.pick, d.rel, container.NewHBox(d.attach, newClaim), d.citedBy)
}

// refreshInspector updates the section for the shown annotation (a) or the
// selection; the inspector calls it on every refresh.
func (d *claimDesk) refreshInspector(idx *annotate.Index, a *annotate.Annotation, enabled bool) {
	if d.section == nil {
		return
	}
	d.updating = true
	defer func() { d.updating = false }()
	ms := idx.P.Claims
	d.pickIDs = d.pickIDs[:0]
	opts := make([]string, 0, len(ms))
	sel := -1
	for _, m := range ms {
		if m.ID == d.selected {
			sel = len(opts)
		}
		d.pickIDs = append(d.pickIDs, m.ID)
		opts = append(opts, annotate.QuoteShort(m.Text, 60))
	}
	d.pick.SetOptions(opts)
	if sel >= 0 {
		d.pick.SetSelectedIndex(sel)
	} else {
		d.selected = ""
		d.pick.ClearSelected()
	}
	if enabled && d.selected != "" {
		d.attach.Enable()
	} else {
		d.attach.Disable()
	}
	var cited []string
	if a != nil {
		for _, m := range ms {
			for _, e := range m.Evidence {
				if e.AnnotationID == a.ID {
					cited = append(cited, fmt.Sprintf("%s %s", relationLabels[e.Relation], annotate.QuoteShort(m.Text, 50)))
				}
			}
		}
	}
	switch {
	case len(ms) == 0:
		setText(d.citedBy, "No claims yet: add one, then attach passages as evidence.")
	case len(cited) == 0:
		setText(d.citedBy, "")
	default:
		setText(d.citedBy, strings.Join(cited, "\n"))
	}
	if d.view != nil {
		d.view.sync()
	}
}

// selectClaim makes id the claim the inspector and the A key attach to.
func (d *claimDesk) selectClaim(id string) {
	if d.selected == id {
		return
	}
	d.selected = id
	_, _, hasSel := d.selection()
	a := d.st.Annotation()
	d.refreshInspector(d.st.Index(), a, a != nil || hasSel)
	if d.view != nil {
		d.view.showClaim(id)
	}
}

// attachCurrent attaches the shown annotation, or a new highlight on the
// selection, to the selected claim with the chosen relation, in one change.
func (d *claimDesk) attachCurrent() {
	idx := d.st.Index()
	m, ok := claimByID(idx, d.selected)
	if !ok {
		d.status("Pick a claim in the inspector or the Claims view first")
		return
	}
	rel := relationByLabel(d.rel.Selected)
	now := time.Now().UTC()
	var c annotate.Change
	annID := d.st.AnnotationID()
	if findAnnotation(idx, annID) == nil {
		s, e, ok := d.selection()
		if !ok {
			d.status("Select a passage or click a highlight to attach it to the claim")
			return
		}
		author := ""
		if sess := d.st.Session(); sess != nil {
			author = sess.Author
		}
		a, err := idx.NewAnnotation(annotate.Passage{SourceID: d.st.SourceID(), Start: s, End: e}, author, now)
		if err != nil {
			dialog.ShowError(err, d.ed.win)
			return
		}
		c.PutAnnotations = []annotate.Annotation{a}
		annID = a.ID
	}
	ch, err := claims.Attach(m, annID, rel, now)
	if err != nil {
		dialog.ShowError(err, d.ed.win)
		return
	}
	ch.PutAnnotations = append(ch.PutAnnotations, c.PutAnnotations...)
	if d.ed.do(ch) && len(c.PutAnnotations) > 0 && d.shown != nil {
		d.shown(annID)
	}
}

func claimByID(idx *annotate.Index, id string) (annotate.Claim, bool) {
	for _, m := range idx.P.Claims {
		if m.ID == id {
			return m, true
		}
	}
	return annotate.Claim{}, false
}

// newClaimDialog asks for a new claim's wording, target and time.
func (d *claimDesk) newClaimDialog(win fyne.Window) {
	if d.st.Session() == nil {
		dialog.ShowError(errors.New("open a project first"), win)
		return
	}
	d.claimForm(win, "New claim", annotate.Claim{}, func(text, target, when string) error {
		author := d.st.Session().Author
		c, m, err := claims.New(text, target, when, author, time.Now().UTC())
		if err != nil {
			return err
		}
		if d.ed.do(c) {
			d.selectClaim(m.ID)
		}
		return nil
	})
}

// claimForm is the dialog of New and Edit; the target is picked by name.
func (d *claimDesk) claimForm(win fyne.Window, title string, m annotate.Claim, save func(text, target, when string) error) {
	idx := d.st.Index()
	text := widget.NewMultiLineEntry()
	text.Wrapping = fyne.TextWrapWord
	text.SetText(m.Text)
	text.SetPlaceHolder("The proposition, in your words")
	names := []string{"(none)"}
	for _, t := range idx.P.Targets {
		names = append(names, t.Name)
	}
	target := widget.NewSelect(names, nil)
	target.SetSelected("(none)")
	if t := idx.Target[m.Target]; t != nil {
		target.SetSelected(t.Name)
	}
	when := widget.NewEntry()
	when.SetText(m.Time)
	when.SetPlaceHolder("YYYY, YYYY-MM or YYYY-MM-DD (optional)")
	items := []*widget.FormItem{widget.NewFormItem("Claim", text), widget.NewFormItem("Target", target), widget.NewFormItem("Time", when)}
	dlg := dialog.NewForm(title, "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		tid := ""
		if t, ok := idx.TargetByName(target.Selected); ok {
			tid = t.ID
		}
		if err := save(text.Text, tid, strings.TrimSpace(when.Text)); err != nil {
			dialog.ShowError(err, win)
		}
	}, win)
	dlg.Resize(fitSize(win, 560, 320))
	dlg.Show()
}

// showClaims opens (or raises) the Claims window.
func (d *claimDesk) showClaims() *claimsView {
	if d.st.Session() == nil {
		dialog.ShowError(errors.New("open a project first"), d.ed.win)
		return nil
	}
	if d.view != nil {
		d.view.win.RequestFocus()
		return d.view
	}
	// The claims cite a few annotations: a paged project reads those from
	// the file (their quotes may come from the texts), not every one.
	if sess := d.st.Session(); sess.Lists() {
		if d.st.waitTexts(d.ed.win, func() { d.showClaims() }) {
			return nil
		}
	} else if d.st.waitAllRead(d.ed.win, func() { d.showClaims() }) {
		return nil // shown once every annotation (the claims' evidence) is read
	}
	v := newClaimsView(d)
	d.view = v
	v.win.SetOnClosed(func() {
		d.view = nil
		if v.unfollow != nil {
			v.unfollow() // the session no longer holds the view
		}
	})
	v.win.Show()
	return v
}

// claimsView is Analysis ▸ Claims: every claim with its corroboration, and
// the selected claim's evidence grouped by source. It keeps a claims.Board
// current with each applied change, so one change reassesses only the
// claims it touches, and each list row's text is cached per claim.
type claimsView struct {
	d        *claimDesk
	win      fyne.Window
	unfollow func() // stops following the session
	board    *claims.Board
	sess     *session.Session // the board's session
	ids      []string         // claim IDs, list order
	rows     map[string][2]string

	list     *widget.List
	count    *widget.Label
	title    *widget.Label
	explain  *widget.Label
	grade    *widget.Label
	accept   *widget.Button
	setGrade *widget.Select
	estim    *widget.Select
	evidence *fyne.Container
	detail   fyne.CanvasObject
	buttons  []fyne.Disableable
	shown    string
	updating bool
	opens    []itemOpen // the evidence pane's open buttons, for tests
}

type itemOpen struct {
	label string
	btn   *widget.Button
}

func newClaimsView(d *claimDesk) *claimsView {
	v := &claimsView{d: d, win: d.newWindow("Claims — Gloss"), rows: map[string][2]string{}}
	v.list = widget.NewList(func() int { return len(v.ids) },
		func() fyne.CanvasObject {
			t := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			t.Truncation = fyne.TextTruncateEllipsis
			m := widget.NewLabel("")
			m.Truncation = fyne.TextTruncateEllipsis
			return container.New(tightVBox{}, t, m)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.ids) {
				return
			}
			r := v.rows[v.ids[i]]
			box := o.(*fyne.Container)
			setText(box.Objects[0].(*widget.Label), r[0])
			setText(box.Objects[1].(*widget.Label), r[1])
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.ids) && !v.updating {
			d.selectClaim(v.ids[i])
		}
	}
	v.count = widget.NewLabel("")

	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.explain = wrapLabel("")
	v.grade = wrapLabel("")
	v.accept = widget.NewButtonWithIcon("Accept suggested grade", theme.ConfirmIcon(), v.acceptGrade)
	gradeOpts := []string{"No grade"}
	for _, g := range annotate.CredibilityScale {
		gradeOpts = append(gradeOpts, g.Grade.Option())
	}
	v.setGrade = widget.NewSelect(gradeOpts, func(s string) {
		if !v.updating {
			v.setOtherGrade(s)
		}
	})
	v.setGrade.PlaceHolder = "Set another grade"
	estOpts := []string{"No phrase"}
	for _, b := range claims.EstimativeBands {
		estOpts = append(estOpts, b.Phrase)
	}
	v.estim = widget.NewSelect(estOpts, func(s string) {
		if !v.updating {
			v.setEstimative(s)
		}
	})
	v.estim.PlaceHolder = "Estimative phrase"
	edit := widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), v.editClaim)
	del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), v.deleteClaim)
	del.Importance = widget.DangerImportance
	indep := widget.NewButton("Independent sources…", v.independentDialog)
	attach := widget.NewButtonWithIcon("Attach current annotation", theme.ContentAddIcon(), d.attachCurrent)
	v.buttons = []fyne.Disableable{v.accept, v.setGrade, v.estim, edit, del, indep, attach}
	v.evidence = container.NewVBox()
	head := container.NewVBox(v.title, v.explain, v.grade,
		container.NewHBox(v.accept, v.setGrade, v.estim),
		container.NewHBox(edit, del, indep, attach), widget.NewSeparator())
	v.detail = container.NewBorder(head, nil, nil, nil, container.NewVScroll(container.NewPadded(v.evidence)))

	newBtn := widget.NewButtonWithIcon("New claim…", theme.ContentAddIcon(), func() { d.newClaimDialog(v.win) })
	left := container.NewBorder(container.NewBorder(nil, nil, nil, newBtn, v.count), nil, nil, nil, v.list)
	split := container.NewHSplit(left, v.detail)
	split.Offset = 0.42
	v.win.SetContent(split)
	v.win.Resize(fyne.NewSize(1100, 700))
	v.sync()
	v.showClaim(d.selected)
	return v
}

// sync builds the board for the current session or folds in what changed;
// the session's OnChange feeds it, so sync itself only handles a project
// switch.
func (v *claimsView) sync() {
	sess := v.d.st.Session()
	if sess == nil || sess == v.sess {
		return
	}
	v.sess = sess
	// Over the session's index, not a copy of every annotation: the board
	// keeps what the claims cite and finds the rest in the current index,
	// or in the file for a source a paged index does not hold (read
	// together first, for the claims there are).
	idx := sess.Index()
	var cited []string
	for _, m := range idx.P.Claims {
		for _, e := range m.Evidence {
			cited = append(cited, e.AnnotationID)
		}
	}
	first := map[string]annotate.Annotation{}
	if _, err := sess.AnnotationsByID(cited, func(a annotate.Annotation) { first[a.ID] = a }); err != nil {
		dialog.ShowError(err, v.d.ed.win)
	}
	v.board = claims.NewBoardOver(idx.P, func(id string) (annotate.Annotation, bool) {
		if a, ok := first[id]; ok {
			return a, true
		}
		var got *annotate.Annotation
		if _, err := sess.AnnotationsByID([]string{id}, func(a annotate.Annotation) { got = &a }); err != nil {
			dialog.ShowError(err, v.d.ed.win)
		}
		if got == nil {
			return annotate.Annotation{}, false
		}
		return *got, true
	})
	first = nil // later lookups read the current index or file
	if v.unfollow != nil {
		v.unfollow() // the project before
	}
	v.unfollow = sess.OnChange(func(c annotate.Change) {
		if v.sess != sess || v.d.view != v {
			return // another project, or the window was closed
		}
		v.applied(v.board.Apply(c))
	})
	v.rows = map[string][2]string{}
	v.reorder(v.board.Claims())
}

// applied redraws the rows of the claims a change reassessed.
func (v *claimsView) applied(touched []string) {
	if len(touched) == 0 {
		return
	}
	for _, id := range touched {
		delete(v.rows, id)
	}
	v.reorder(v.board.Claims())
	if v.shown != "" {
		for _, id := range touched {
			if id == v.shown {
				v.showClaim(v.shown)
				break
			}
		}
	}
}

func (v *claimsView) reorder(ms []annotate.Claim) {
	v.ids = v.ids[:0]
	for _, m := range ms {
		v.ids = append(v.ids, m.ID)
		if _, ok := v.rows[m.ID]; !ok {
			as, _ := v.board.Assessment(m.ID)
			v.rows[m.ID] = claimRow(m, as)
		}
	}
	setText(v.count, plural(len(v.ids), "claim"))
	v.list.Refresh()
	v.markSelected()
}

func (v *claimsView) markSelected() {
	v.updating = true
	defer func() { v.updating = false }()
	for i, id := range v.ids {
		if id == v.shown {
			v.list.Select(i)
			return
		}
	}
	v.list.UnselectAll()
}

// claimRow is a list row: the claim, then its corroboration in one line.
func claimRow(m annotate.Claim, as claims.Assessment) [2]string {
	// The grades first: a narrow list cuts the end of the line.
	parts := []string{fmt.Sprintf("suggested %d", as.Suggested)}
	if m.Grade != 0 {
		parts = append(parts, fmt.Sprintf("accepted %d", m.Grade))
	}
	if m.Estimative != "" {
		parts = append(parts, m.Estimative)
	}
	parts = append(parts,
		fmt.Sprintf("%d supporting / %d contradicting sources", as.Supporting, as.Contradicting),
		fmt.Sprintf("%d/%d independent", as.IndependentSupporting, as.IndependentContradicting))
	return [2]string{m.Text, strings.Join(parts, " · ")}
}

// showClaim fills the detail pane with one claim's assessment and evidence.
func (v *claimsView) showClaim(id string) {
	v.shown = id
	v.markSelected()
	m, ok := v.board.Claim(id)
	as, _ := v.board.Assessment(id)
	v.updating = true
	defer func() { v.updating = false }()
	for _, b := range v.buttons {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	v.evidence.Objects, v.opens = nil, nil
	if !ok {
		setText(v.title, "No claim selected")
		setText(v.explain, "Pick a claim on the left, or add one. Attach passages from the inspector or with the A key.")
		setText(v.grade, "")
		v.evidence.Refresh()
		return
	}
	title := m.Text
	if t := v.d.st.Index().Target[m.Target]; t != nil {
		title += "  ·  target " + t.Name
	}
	if m.Time != "" {
		title += "  ·  " + m.Time
	}
	setText(v.title, title)
	setText(v.explain, fmt.Sprintf("Suggested %d (%s): %s", as.Suggested, as.Suggested.Label(), as.Explanation))
	g := "Accepted grade: none yet"
	if m.Grade != 0 {
		g = fmt.Sprintf("Accepted grade: %d (%s)", m.Grade, m.Grade.Label())
		if m.SuggestedGrade != 0 && m.SuggestedGrade != m.Grade {
			g += fmt.Sprintf(", Gloss suggested %d then", m.SuggestedGrade)
		}
	}
	if m.Estimative != "" {
		g += " · " + m.Estimative
	} else if as.Estimative != "" {
		g += " · suggested phrase: " + as.Estimative
	}
	if as.Missing > 0 {
		g += fmt.Sprintf(" · %s no longer exist", plural(as.Missing, "cited annotation"))
	}
	setText(v.grade, g)
	v.accept.SetText(fmt.Sprintf("Accept suggested grade (%d)", as.Suggested))
	if m.Grade != 0 {
		v.setGrade.SetSelected(m.Grade.Option())
	} else {
		v.setGrade.ClearSelected()
	}
	if m.Estimative != "" {
		v.estim.SetSelected(m.Estimative)
	} else {
		v.estim.ClearSelected()
	}
	v.fillEvidence(m, as)
}

// fillEvidence lists the evidence by source, then the voices and echoes.
func (v *claimsView) fillEvidence(m annotate.Claim, as claims.Assessment) {
	bold := fyne.TextStyle{Bold: true}
	if len(as.Sources) == 0 {
		v.evidence.Add(wrapLabel("No evidence yet. Select a passage in the document and press A, or use the inspector's Claims section."))
	}
	titles := map[string]string{}
	for _, s := range as.Sources {
		titles[s.SourceID] = s.Title
		v.evidence.Add(widget.NewLabelWithStyle(s.Title, fyne.TextAlignLeading, bold))
		meta := wrapLabel(sourceEvidenceMeta(s, len(as.Voices)))
		// Muted rather than italic: the window's only italic text would
		// load another face of every fallback font (the emoji font's 4 MB
		// among them).
		meta.Importance = widget.LowImportance
		v.evidence.Add(meta)
		for _, it := range s.Items {
			v.evidence.Add(v.itemRow(m, s.SourceID, it))
		}
	}
	var grouped []string
	for _, vo := range as.Voices {
		if len(vo.Sources) < 2 {
			continue
		}
		var names []string
		for _, id := range vo.Sources {
			names = append(names, orDash(titles[id]))
		}
		grouped = append(grouped, "• "+strings.Join(names, " + ")+" count as one voice: "+strings.Join(vo.Why, "; "))
	}
	for _, e := range as.Echoes {
		grouped = append(grouped, fmt.Sprintf("• %s echoes %s (%s, %.2f)", orDash(titles[e.SourceA]), orDash(titles[e.SourceB]), e.Method, e.Score))
	}
	if len(grouped) > 0 {
		v.evidence.Add(widget.NewSeparator())
		v.evidence.Add(widget.NewLabelWithStyle(fmt.Sprintf("Echo groups (%s)", plural(len(as.Voices), "independent voice")), fyne.TextAlignLeading, bold))
		v.evidence.Add(wrapLabel(strings.Join(grouped, "\n")))
	}
	v.evidence.Refresh()
}

func sourceEvidenceMeta(s claims.SourceEvidence, voices int) string {
	var parts []string
	for _, p := range []string{s.Outlet, s.Published} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if s.Language != annotate.LangUnknown {
		parts = append(parts, s.Language.Name())
	}
	parts = append(parts, "reliability "+orDash(string(s.Reliability)))
	if s.StateAffiliated {
		parts = append(parts, "state-affiliated")
	}
	if s.MachineTranslated {
		parts = append(parts, "machine-translated")
	}
	if voices > 1 {
		parts = append(parts, fmt.Sprintf("voice %d", s.Voice+1))
	}
	return strings.Join(parts, " · ")
}

// itemRow is one passage: a click opens it in the document; the menu button
// changes its relation or detaches it.
func (v *claimsView) itemRow(m annotate.Claim, src string, it claims.Item) fyne.CanvasObject {
	label := relationLabels[it.Relation] + ": " + oneLine(it.Quote) // oneLine quotes it
	if it.Credibility != 0 {
		label += fmt.Sprintf("  (credibility %d)", it.Credibility)
	}
	if it.Missing {
		label = relationLabels[it.Relation] + ": (annotation deleted)"
	}
	// An icon button beside a wrapped label: a text button would not wrap
	// and would push the pane wider than the window.
	open := widget.NewButtonWithIcon("", theme.VisibilityIcon(), func() {
		if !it.Missing {
			v.d.open(src, it.Start, it.End)
		}
	})
	v.opens = append(v.opens, itemOpen{label: label, btn: open})
	var menu *widget.Button
	menu = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), func() {
		var items []*fyne.MenuItem
		for _, r := range annotate.Relations {
			r := r
			if r == it.Relation {
				continue
			}
			items = append(items, fyne.NewMenuItem("Change to "+strings.ToLower(relationLabels[r]), func() { v.attach(m, it.AnnotationID, r) }))
		}
		items = append(items, fyne.NewMenuItem("Detach from claim", func() {
			c, err := claims.Detach(m, it.AnnotationID, time.Now().UTC())
			v.apply(c, err)
		}))
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(menu)
		widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), v.win.Canvas(), pos.AddXY(0, menu.Size().Height))
	})
	menu.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, container.NewVBox(container.NewHBox(open, menu)), wrapLabel(label))
}

func (v *claimsView) attach(m annotate.Claim, annID string, r annotate.Relation) {
	c, err := claims.Attach(m, annID, r, time.Now().UTC())
	v.apply(c, err)
}

func (v *claimsView) apply(c annotate.Change, err error) {
	if err != nil {
		dialog.ShowError(err, v.win)
		return
	}
	v.d.ed.do(c) // the editor shows its own errors
}

func (v *claimsView) current() (annotate.Claim, claims.Assessment, bool) {
	m, ok := v.board.Claim(v.shown)
	as, _ := v.board.Assessment(v.shown)
	return m, as, ok
}

func (v *claimsView) acceptGrade() {
	m, as, ok := v.current()
	if !ok {
		return
	}
	c, err := claims.Accept(m, as, time.Now().UTC())
	v.apply(c, err)
}

func (v *claimsView) setOtherGrade(opt string) {
	m, as, ok := v.current()
	if !ok {
		return
	}
	if opt == "No grade" {
		if m.Grade != 0 {
			v.apply(claims.ClearGrade(m, time.Now().UTC()), nil)
		}
		return
	}
	var g annotate.Credibility
	for _, s := range annotate.CredibilityScale {
		if s.Grade.Option() == opt {
			g = s.Grade
		}
	}
	if g == 0 || g == m.Grade {
		return
	}
	c, err := claims.SetGrade(m, g, as, time.Now().UTC())
	v.apply(c, err)
}

func (v *claimsView) setEstimative(s string) {
	m, _, ok := v.current()
	if !ok {
		return
	}
	if s == "No phrase" {
		s = ""
	}
	if s == m.Estimative {
		return
	}
	c, err := claims.SetEstimative(m, s, time.Now().UTC())
	v.apply(c, err)
}

func (v *claimsView) editClaim() {
	m, _, ok := v.current()
	if !ok {
		return
	}
	v.d.claimForm(v.win, "Edit claim", m, func(text, target, when string) error {
		c, err := claims.Edit(m, text, target, when, time.Now().UTC())
		if err != nil {
			return err
		}
		v.d.ed.do(c)
		return nil
	})
}

func (v *claimsView) deleteClaim() {
	m, _, ok := v.current()
	if !ok {
		return
	}
	dialog.ShowConfirm("Delete claim", fmt.Sprintf("Delete the claim %s? Its evidence annotations stay.", annotate.QuoteShort(m.Text, 80)), func(yes bool) {
		if yes {
			v.apply(claims.Delete(m), nil)
		}
	}, v.win)
}

// independentDialog lets the analyst declare sources of the claim
// independent voices although Gloss groups them.
func (v *claimsView) independentDialog() {
	m, as, ok := v.current()
	if !ok {
		return
	}
	if len(as.Sources) < 2 {
		dialog.ShowInformation("Independent sources", "The claim has evidence from fewer than two sources: there is nothing to group.", v.win)
		return
	}
	on := map[string]bool{}
	for _, id := range m.Independent {
		on[id] = true
	}
	box := container.NewVBox(wrapLabel("Tick sources that are independent voices even though Gloss groups them (for example two state outlets that reported separately)."))
	checks := map[string]*widget.Check{}
	for _, s := range as.Sources {
		c := widget.NewCheck(s.Title, nil)
		c.SetChecked(on[s.SourceID])
		checks[s.SourceID] = c
		box.Add(c)
	}
	dlg := dialog.NewCustomConfirm("Independent sources", "Save", "Cancel", box, func(ok bool) {
		if !ok {
			return
		}
		var ids []string
		for _, s := range as.Sources {
			if checks[s.SourceID].Checked {
				ids = append(ids, s.SourceID)
			}
		}
		v.apply(claims.SetIndependent(m, ids, time.Now().UTC()), nil)
	}, v.win)
	dlg.Resize(fitSize(v.win, 520, 360))
	dlg.Show()
}
