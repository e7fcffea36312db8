package linkview

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/ingest"
	"gloss/app/session"
)

// NewSummary opens a plain multi-line editor to write (or paste, or import
// from a file) an English summary of originalID. Saving creates a source of
// kind summary tied to the original and opens the link view on it.
func NewSummary(parent fyne.Window, sess *session.Session, originalID string) {
	o := sess.Index().Source[originalID]
	if o == nil {
		dialog.ShowError(fmt.Errorf("no source with id %q in this project", originalID), parent)
		return
	}
	w := fyne.CurrentApp().NewWindow("New summary of " + o.DisplayTitle())
	var ed *summaryEditor
	ed = newSummaryEditor(sess, originalID, w, func(id string) {
		w.Close()
		Show(parent, sess, id)
	})
	w.SetContent(ed.content)
	// Nothing typed is lost by a stray close: ask first.
	w.SetCloseIntercept(func() {
		if ed.saved || strings.TrimSpace(ed.text.Text) == "" {
			w.Close()
			return
		}
		dialog.ShowConfirm("Discard this summary?", "The summary has not been saved. Close the editor and discard it?",
			func(ok bool) {
				if ok {
					w.Close()
				}
			}, w)
	})
	w.Resize(fyne.NewSize(760, 560))
	w.Show()
}

// summaryEditor is the content of the NewSummary window, separate from the
// window so tests can drive it.
type summaryEditor struct {
	sess       *session.Session
	originalID string
	win        fyne.Window // for the file dialog; may be nil in tests
	onSaved    func(id string)

	title     *widget.Entry
	text      *widget.Entry
	status    *widget.Label
	importBtn *widget.Button
	saveBtn   *widget.Button
	content   fyne.CanvasObject

	imported annotate.Source // metadata of an imported file, if any
	saved    bool
}

func newSummaryEditor(sess *session.Session, originalID string, win fyne.Window, onSaved func(string)) *summaryEditor {
	ed := &summaryEditor{sess: sess, originalID: originalID, win: win, onSaved: onSaved}
	o := sess.Index().Source[originalID]
	ed.title = widget.NewEntry()
	ed.title.SetPlaceHolder("Title")
	if o != nil {
		ed.title.SetText("Summary of " + o.DisplayTitle())
	}
	ed.text = widget.NewMultiLineEntry()
	ed.text.Wrapping = fyne.TextWrapWord
	ed.text.SetPlaceHolder("Write the English summary here, or paste it (Ctrl+V). One idea per sentence: each sentence will be linked to its evidence.")
	ed.status = widget.NewLabel("")
	ed.status.Wrapping = fyne.TextWrapWord
	ed.importBtn = widget.NewButton("Import file…", ed.chooseFile)
	ed.saveBtn = widget.NewButton("Save and link", func() { ed.save() })
	ed.saveBtn.Importance = widget.HighImportance
	head := widget.NewLabel("English summary of: " + func() string {
		if o == nil {
			return originalID
		}
		return o.DisplayTitle()
	}())
	head.TextStyle.Bold = true
	head.Truncation = fyne.TextTruncateEllipsis
	top := container.NewVBox(head, container.NewBorder(nil, nil, widget.NewLabel("Title"), nil, ed.title))
	bottom := container.NewVBox(ed.status, container.NewHBox(ed.importBtn, layout.NewSpacer(), ed.saveBtn))
	ed.content = container.NewBorder(top, bottom, nil, nil, ed.text)
	return ed
}

func (ed *summaryEditor) chooseFile() {
	if ed.win == nil {
		return
	}
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			ed.status.SetText("Could not open the file: " + err.Error())
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		ed.importFile(path)
	}, ed.win)
}

// importFile loads a summary file into the editor through ingest, so it is
// decoded and normalised like any other import; the analyst can still edit
// it before saving.
func (ed *summaryEditor) importFile(path string) bool {
	src, err := ingest.File(path, ingest.Options{Kind: annotate.KindSummary, Originals: []string{ed.originalID}})
	if err != nil {
		ed.status.SetText("Could not import: " + err.Error())
		return false
	}
	ed.imported = src
	ed.text.SetText(src.Text)
	if src.Title != "" {
		ed.title.SetText(src.Title)
	}
	msg := fmt.Sprintf("Imported %s (%d characters). Check it, then save.", src.FileName, utf8.RuneCountInString(src.Text))
	if src.Language != "" && src.Language != annotate.English {
		msg += fmt.Sprintf(" Note: the file reads as %s; summaries are saved as English.", src.Language.Name())
	}
	ed.status.SetText(msg)
	return true
}

// save stores the summary as a new source and reports its ID.
func (ed *summaryEditor) save() (string, bool) {
	if ed.saved {
		return "", false
	}
	text := strings.ReplaceAll(ed.text.Text, "\r\n", "\n")
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r", "\n"))
	if text == "" {
		ed.status.SetText("The summary is empty: write, paste or import it first.")
		return "", false
	}
	if ed.sess.Index().Source[ed.originalID] == nil {
		ed.status.SetText(fmt.Sprintf("The original (%s) is no longer in the project.", ed.originalID))
		return "", false
	}
	now := time.Now().UTC()
	src := annotate.Source{
		ID:          annotate.NewID(annotate.SourcePrefix),
		Title:       strings.TrimSpace(ed.title.Text),
		Outlet:      ed.imported.Outlet,
		Published:   ed.imported.Published,
		FileName:    ed.imported.FileName,
		Language:    annotate.English,
		Kind:        annotate.KindSummary,
		Originals:   []string{ed.originalID},
		Text:        text,
		ContentHash: annotate.HashText(text),
		Length:      utf8.RuneCountInString(text),
		ImportedAt:  now,
	}
	if err := ed.sess.Do(annotate.Change{Label: "New summary", PutSources: []annotate.Source{src}}); err != nil {
		ed.status.SetText("Could not save the summary: " + err.Error())
		return "", false
	}
	ed.saved = true
	ed.saveBtn.Disable()
	if ed.onSaved != nil {
		ed.onSaved(src.ID)
	}
	return src.ID, true
}
