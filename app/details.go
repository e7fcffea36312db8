package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
)

const relNone = "Not rated"

func relOption(g annotate.Reliability) string { return g.Option() }

func relMeaning(opt string) string {
	for _, r := range annotate.ReliabilityScale {
		if relOption(r.Grade) == opt {
			return r.Meaning
		}
	}
	return "Rate how far the source itself can be trusted (Admiralty scale A–F), independently of any one claim."
}

// sourceDetails edits a source's metadata in a dialog; Save applies every
// field as one undoable change.
func (w *Workspace) sourceDetails(id string) {
	idx := w.index()
	src := idx.Source[id]
	if src == nil {
		dialog.ShowInformation("Source details", "Choose a source in the list on the left first.", w.Window)
		return
	}
	s := *src
	s.Text = ""
	title := entryWith(s.Title)
	outlet := entryWith(s.Outlet)
	author := entryWith(s.Author)
	url := entryWith(s.URL)
	date := entryWith(s.Published)
	date.SetPlaceHolder("YYYY-MM-DD, YYYY-MM or YYYY")

	var langOpts []string
	for _, l := range annotate.Languages {
		langOpts = append(langOpts, l.Name())
	}
	lang := widget.NewSelect(langOpts, nil)
	lang.PlaceHolder = "Unknown"
	if s.Language != "" {
		lang.SetSelected(s.Language.Name())
	}
	var kindOpts []string
	for _, k := range annotate.Kinds {
		kindOpts = append(kindOpts, string(k))
	}
	kind := widget.NewSelect(kindOpts, nil)
	kind.SetSelected(string(s.Kind))

	relOpts := []string{}
	for _, r := range annotate.ReliabilityScale {
		relOpts = append(relOpts, relOption(r.Grade))
	}
	relOpts = append(relOpts, relNone)
	meaning := widget.NewLabel("")
	meaning.Wrapping = fyne.TextWrapWord
	rel := widget.NewRadioGroup(relOpts, func(o string) { meaning.SetText(relMeaning(o)) })
	rel.Required = true
	rel.SetSelected(relOption(s.Reliability))
	meaning.SetText(relMeaning(rel.Selected))
	relNote := entryWith(s.ReliabilityNote)
	relNote.SetPlaceHolder("Why this grade (optional)")
	state := widget.NewCheck("State-affiliated outlet", nil)
	state.SetChecked(s.StateAffiliated)
	mt := widget.NewCheck("Machine-translated", nil)
	mt.SetChecked(s.MachineTranslated)
	note := widget.NewMultiLineEntry()
	note.SetText(s.Note)
	note.Wrapping = fyne.TextWrapWord
	note.SetMinRowsVisible(3)

	form := widget.NewForm(
		widget.NewFormItem("Title", title),
		widget.NewFormItem("Outlet", outlet),
		widget.NewFormItem("Author", author),
		widget.NewFormItem("URL", url),
		widget.NewFormItem("Published", date),
		widget.NewFormItem("Language", lang),
		widget.NewFormItem("Kind", kind),
		widget.NewFormItem("Reliability", container.NewGridWithColumns(2, rel, container.NewVBox(meaning))),
		widget.NewFormItem("", relNote),
		widget.NewFormItem("", container.NewHBox(state, mt)),
		widget.NewFormItem("Note", note),
	)
	info := widget.NewLabel(fmt.Sprintf("%d characters · imported %s from %s · %d annotations",
		s.Length, s.ImportedAt.Local().Format("2006-01-02 15:04"), orDash(s.FileName), len(idx.Annotations(id))))
	info.Importance = widget.LowImportance
	info.Wrapping = fyne.TextWrapWord
	errLbl := widget.NewLabel("")
	errLbl.Importance = widget.DangerImportance
	errLbl.Wrapping = fyne.TextWrapWord

	var d *dialog.CustomDialog
	save := widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() {
		n := s
		n.Title, n.Outlet, n.Author = strings.TrimSpace(title.Text), strings.TrimSpace(outlet.Text), strings.TrimSpace(author.Text)
		n.URL, n.Published = strings.TrimSpace(url.Text), strings.TrimSpace(date.Text)
		n.Language = ""
		for _, l := range annotate.Languages {
			if l.Name() == lang.Selected {
				n.Language = l
			}
		}
		n.Kind = annotate.Kind(kind.Selected)
		n.Reliability = ""
		for _, r := range annotate.ReliabilityScale {
			if relOption(r.Grade) == rel.Selected {
				n.Reliability = r.Grade
			}
		}
		n.ReliabilityNote, n.StateAffiliated, n.MachineTranslated = relNote.Text, state.Checked, mt.Checked
		n.Note = note.Text
		if err := annotate.ValidateSource(n); err != nil {
			errLbl.SetText(err.Error())
			return
		}
		if w.do(annotate.Change{Label: "Edit details of " + n.DisplayTitle(), PutSources: []annotate.Source{n}}) {
			d.Hide()
		}
	})
	save.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	del := widget.NewButtonWithIcon("Delete source…", theme.DeleteIcon(), func() {
		w.confirmDeleteSource(id, func() { d.Hide() })
	})
	del.Importance = widget.DangerImportance
	buttons := container.NewBorder(nil, nil, del, container.NewHBox(cancel, save))
	content := container.NewBorder(nil, container.NewVBox(errLbl, buttons), nil, nil,
		container.NewVScroll(container.NewVBox(form, info)))
	d = dialog.NewCustomWithoutButtons("Source details", content, w.Window)
	d.Resize(fitSize(w.Window, 760, 700))
	d.Show()
}

// fitSize keeps dialogs inside small laptop windows.
func fitSize(win fyne.Window, wd, ht float32) fyne.Size {
	s := win.Canvas().Size()
	if s.Width > 0 {
		wd = min(wd, s.Width-40)
	}
	if s.Height > 0 {
		ht = min(ht, s.Height-40)
	}
	return fyne.NewSize(wd, ht)
}

func entryWith(s string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(s)
	return e
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func (w *Workspace) confirmDeleteSource(id string, after func()) {
	if w.State.waitAllRead(w.Window, func() { w.confirmDeleteSource(id, after) }) {
		return
	}
	idx := w.index()
	s := idx.Source[id]
	if s == nil {
		return
	}
	c := idx.DeleteSource(id)
	c.Label = "Delete source " + s.DisplayTitle()
	msg := fmt.Sprintf("Delete “%s” with its %s and %s?\nYou can undo this with Ctrl+Z.",
		s.DisplayTitle(), plural(len(c.DelAnnotations), "annotation"), plural(len(c.DelLinks), "link"))
	cd := dialog.NewConfirm("Delete source?", msg, func(ok bool) {
		if ok && w.do(c) {
			if after != nil {
				after()
			}
		}
	}, w.Window)
	cd.SetConfirmText("Delete")
	cd.Show()
}
