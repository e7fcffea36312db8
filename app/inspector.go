package app

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
)

// inspector is the right column: the codes, stance, credibility and note of
// the selected passage or annotation. Every edit is saved at once.
type inspector struct {
	st          *State
	act         inspectorActions
	laidOut     fyne.Size // the column's size when last laid out whole
	heading     *widget.Label
	quote       *widget.Label
	highlight   *widget.Button
	del         *widget.Button
	codes       *fyne.Container
	codeEntry   *widget.SelectEntry
	stances     *fyne.Container
	target      *widget.SelectEntry
	stance      *widget.RadioGroup
	cred        *widget.Select
	credMeaning *widget.Label
	note        *widget.Entry
	body        *fyne.Container
	root        *container.Scroll

	codeRows []codeRow
	codeSig  string // the codebook the rows were built for

	updating  bool
	noteDirty bool
	noteAnn   string // annotation the note entry shows ("" = the selection)

	claims *claimDesk // the Claims section (claimsview.go); nil until built
}

const credNone = "Not rated"

func credOption(g annotate.Credibility) string { return g.Option() }

// inspectorActions are the edits the inspector asks the window to make to
// the shown annotation (or to a new one on the selection).
type inspectorActions struct {
	selection   func() (start, end int, ok bool) // the document's selection, trimmed
	highlight   func()
	remove      func(annID string)
	addCode     func(name string) // by name, created when new
	toggleCode  func(id string)
	setStance   func(target string, s annotate.Stance)
	dropStance  func(targetID string)
	credibility func(annotate.Credibility)
	noteTyped   func() // save the note once typing pauses
}

func newInspector(st *State, act inspectorActions) *inspector {
	in := &inspector{st: st, act: act}
	in.heading = widget.NewLabelWithStyle("Nothing selected", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	in.quote = widget.NewLabel("")
	in.quote.Wrapping = fyne.TextWrapWord
	in.highlight = widget.NewButtonWithIcon("Highlight (H)", theme.ContentAddIcon(), act.highlight)
	in.del = widget.NewButtonWithIcon("Delete annotation", theme.DeleteIcon(), func() { act.remove(st.AnnotationID()) })
	in.del.Importance = widget.DangerImportance

	in.codes = container.NewVBox()
	in.codeEntry = widget.NewSelectEntry(nil)
	in.codeEntry.SetPlaceHolder("Add a code: type a name, Enter")
	in.codeEntry.OnChanged = func(s string) { in.codeEntry.SetOptions(matchingCodes(st.Index(), s)) }
	in.codeEntry.OnSubmitted = func(s string) {
		act.addCode(s)
		in.codeEntry.SetText("")
	}

	in.stances = container.NewVBox()
	in.target = widget.NewSelectEntry(nil)
	in.target.SetPlaceHolder("Target (e.g. United States)")
	in.target.OnChanged = func(string) { in.syncStanceRadio() }
	var stanceOpts []string
	for _, v := range annotate.Stances {
		stanceOpts = append(stanceOpts, v.Label())
	}
	in.stance = widget.NewRadioGroup(stanceOpts, func(s string) {
		if in.updating {
			return
		}
		st, _ := annotate.StanceByLabel(s) // "" (cleared) removes the stance
		act.setStance(in.target.Text, st)
	})
	in.stance.Horizontal = true

	opts := []string{credNone}
	for _, g := range annotate.CredibilityScale {
		opts = append(opts, credOption(g.Grade))
	}
	in.credMeaning = widget.NewLabel("")
	in.credMeaning.Wrapping = fyne.TextWrapWord
	in.credMeaning.Importance = widget.LowImportance
	in.cred = widget.NewSelect(opts, func(s string) {
		in.credMeaning.SetText(credMeaning(s))
		if in.updating {
			return
		}
		g := annotate.Credibility(0)
		if s != credNone && s != "" {
			g = annotate.Credibility(s[0] - '0')
		}
		act.credibility(g)
	})
	in.cred.PlaceHolder = credNone

	in.note = widget.NewMultiLineEntry()
	in.note.SetPlaceHolder("Note (saved as you type)")
	in.note.Wrapping = fyne.TextWrapWord
	in.note.SetMinRowsVisible(3)
	in.note.OnChanged = func(string) {
		if in.updating {
			return
		}
		in.noteDirty = true
		in.noteAnn = st.AnnotationID()
		act.noteTyped()
	}

	section := func(s string) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		return container.NewVBox(widget.NewSeparator(), l)
	}
	in.body = container.NewVBox(
		in.heading, in.quote, container.NewHBox(in.highlight, in.del),
		section("Codes  (keys 1–9)"), in.codes, in.codeEntry,
		section("Stance"), in.stances, in.target, in.stance,
		section("Information credibility"), in.cred, in.credMeaning,
		section("Note"), in.note,
	)
	in.root = container.NewVScroll(container.NewPadded(in.body))
	return in
}

func credMeaning(opt string) string {
	for _, g := range annotate.CredibilityScale {
		if credOption(g.Grade) == opt {
			return g.Meaning
		}
	}
	return "Pick 1 (confirmed) to 6 (cannot be judged); the list shows each grade's meaning."
}

func matchingCodes(idx *annotate.Index, q string) []string {
	q = strings.ToLower(strings.TrimSpace(q))
	var out []string
	for _, c := range idx.CodeTree() {
		if q == "" || strings.Contains(strings.ToLower(c.Name), q) {
			out = append(out, c.Name)
		}
	}
	return out
}

func (in *inspector) refresh(idx *annotate.Index) {
	act := in.act
	a := findAnnotation(idx, in.st.AnnotationID())
	_, _, hasSel := act.selection()
	switch {
	case a != nil:
		setText(in.heading, "Annotation")
		setText(in.quote, annotate.QuoteShort(a.Selector.Exact, 280))
		in.highlight.Hide()
		in.del.Show()
	case hasSel:
		setText(in.heading, "Selected passage (not yet annotated)")
		s, e, _ := act.selection()
		setText(in.quote, annotate.QuoteShort(idx.Text(in.st.SourceID()).Slice(s, e), 280))
		in.highlight.Show()
		in.del.Hide()
	default:
		setText(in.heading, "Nothing selected")
		setText(in.quote, "Select a passage in the document, or click a highlight, to tag it here.")
		in.highlight.Hide()
		in.del.Hide()
	}
	enabled := a != nil || hasSel

	in.refreshCodes(idx, a, enabled)
	if in.claims != nil {
		in.claims.refreshInspector(idx, a, enabled)
	}
	in.codeEntry.SetOptions(matchingCodes(idx, in.codeEntry.Text))

	// Stances already marked, each removable.
	in.stances.Objects = nil
	if a != nil {
		for _, m := range a.Stances {
			m := m
			rm := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { act.dropStance(m.Target) })
			rm.Importance = widget.LowImportance
			in.stances.Add(container.NewBorder(nil, nil, nil, rm, widget.NewLabel(idx.StanceText(m))))
		}
	}
	in.stances.Refresh()
	var tnames []string
	for _, t := range idx.P.Targets {
		tnames = append(tnames, t.Name)
	}
	in.target.SetOptions(tnames)
	in.syncStanceRadio()

	in.updating = true
	if a != nil {
		in.cred.SetSelected(credOption(a.Credibility))
	} else {
		in.cred.SetSelected(credNone)
	}
	in.credMeaning.SetText(credMeaning(in.cred.Selected))
	if !in.noteDirty {
		note := ""
		if a != nil {
			note = a.Note
		}
		if in.note.Text != note {
			in.note.SetText(note)
		}
		in.noteAnn = in.st.AnnotationID()
	}
	in.updating = false

	for _, o := range []fyne.Disableable{in.cred, in.stance, in.target, in.note} {
		if enabled {
			o.Enable()
		} else {
			o.Disable()
		}
	}
	// Rows were added and labels rewrapped: lay the column out again. Its
	// widgets refreshed themselves above; refreshing the containers would
	// redraw every one of them again (each check box re-colours its icon),
	// which cost more than the rest of a tag together.
	if m := in.root.Content.MinSize(); m != in.laidOut {
		in.laidOut = m
		in.root.Refresh()
	} else {
		in.body.Layout.Layout(in.body.Objects, in.body.Size())
	}
}

type codeRow struct {
	id    string
	check *widget.Check
	use   *widget.Label
}

// refreshCodes shows one checkbox per code with its key and colour. The
// rows are rebuilt only when the codebook changed: a large codebook must
// not slow down every keystroke's redraw.
func (in *inspector) refreshCodes(idx *annotate.Index, a *annotate.Annotation, enabled bool) {
	codes := idx.CodeTree()
	var sig strings.Builder
	for _, c := range codes {
		fmt.Fprintf(&sig, "%s|%s|%s|%s\n", c.ID, c.Name, c.Color, c.Parent)
	}
	if sig.String() != in.codeSig || len(in.codeRows) != len(codes) {
		in.codeSig = sig.String()
		in.codeRows = in.codeRows[:0]
		in.codes.Objects = nil
		// The key column is as wide as a digit in every row. (In a
		// monospaced label it was: but that style alone loaded another
		// face of every fallback font, the emoji font's 4 MB included.)
		keyCell := widget.NewLabel("9").MinSize()
		for i, c := range codes {
			id := c.ID
			key := ""
			if i < 9 {
				key = fmt.Sprintf("%d", i+1)
			}
			keyLbl := container.New(layout.NewGridWrapLayout(keyCell), widget.NewLabelWithStyle(key, fyne.TextAlignCenter, fyne.TextStyle{}))
			sw := canvas.NewRectangle(parseColor(c.Color))
			sw.CornerRadius = 3
			sw.SetMinSize(fyne.NewSize(14, 14))
			chk := widget.NewCheck(c.Name, func(bool) {
				if !in.updating {
					in.act.toggleCode(id)
				}
			})
			indent := canvas.NewRectangle(color.Transparent)
			indent.SetMinSize(fyne.NewSize(float32(idx.CodeDepth(c.ID))*16, 1))
			use := widget.NewLabel("")
			use.Importance = widget.LowImportance
			in.codeRows = append(in.codeRows, codeRow{id: id, check: chk, use: use})
			in.codes.Add(container.NewBorder(nil, nil, container.NewHBox(keyLbl, indent, container.NewCenter(sw)), use, chk))
		}
		if len(codes) == 0 {
			l := widget.NewLabel("No codes yet: type one below.")
			l.Importance = widget.LowImportance
			in.codes.Add(l)
		}
		in.codes.Refresh()
	}
	in.updating = true
	defer func() { in.updating = false }()
	reading := in.st.reading()
	for _, r := range in.codeRows {
		on := a != nil && a.HasCode(r.id)
		if r.check.Checked != on {
			r.check.SetChecked(on)
		}
		u := "…"
		if !reading {
			u = fmt.Sprint(idx.CodeUsage(r.id))
		}
		if r.use.Text != u {
			r.use.SetText(u)
		}
		if enabled == r.check.Disabled() {
			if enabled {
				r.check.Enable()
			} else {
				r.check.Disable()
			}
		}
	}
}

// syncStanceRadio shows the stance toward the typed target.
func (in *inspector) syncStanceRadio() {
	idx := in.st.Index()
	a := in.st.Annotation()
	sel := ""
	if a != nil {
		if t, ok := idx.TargetByName(in.target.Text); ok {
			if s, ok := a.StanceToward(t.ID); ok {
				sel = s.Label()
			}
		}
	}
	in.updating = true
	in.stance.SetSelected(sel)
	in.updating = false
}

// scheduleNoteSave saves the note once typing pauses, so one pause is one
// undo step rather than one per key.
func (w *Workspace) scheduleNoteSave() {
	if w.noteTimer != nil {
		w.noteTimer.Stop()
	}
	w.noteTimer = time.AfterFunc(700*time.Millisecond, func() { fyne.Do(w.flushNote) })
}

// flushNote saves a note still being typed.
func (w *Workspace) flushNote() {
	in := w.inspector
	if in == nil || !in.noteDirty {
		return
	}
	if w.noteTimer != nil {
		w.noteTimer.Stop()
	}
	in.noteDirty = false
	text := in.note.Text
	idx := w.index()
	if in.noteAnn != "" && in.noteAnn != w.annID {
		if a := findAnnotation(idx, in.noteAnn); a != nil && a.Note != text {
			b := *a
			b.Note, b.Modified = text, time.Now().UTC()
			w.do(annotate.Change{Label: "Edit note on " + annotate.QuoteShort(a.Selector.Exact, 30), PutAnnotations: []annotate.Annotation{b}})
		}
		return
	}
	if a := findAnnotation(idx, w.annID); a != nil && a.Note == text {
		return
	}
	if w.annID == "" && text == "" {
		return
	}
	w.tag.editAnnotation("Edit note on %s", annotate.Change{}, func(a *annotate.Annotation) { a.Note = text })
}
