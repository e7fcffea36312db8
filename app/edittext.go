package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/anchor"
	"gloss/annotate/ingest"
	"gloss/annotate/textimport"
	"gloss/app/textview"
)

// Fyne's Entry lays out its whole text on every change (fyne #5297): past
// editWarnBytes the editor asks first, past editMaxBytes it refuses and
// points to Replace with file…, which has no such limit.
const (
	editWarnBytes = 200 << 10
	editMaxBytes  = 1 << 20
)

// textReplacer edits or replaces a source's text (or a summary's) so that
// every annotation and link end re-anchors, in one undoable change.
type textReplacer struct {
	ed     editor
	status func(string)
	// replaced tells the Needs review list what each annotation's quote
	// was before, which the records no longer hold for a fuzzy match.
	replaced func(srcID string, r anchor.Report)
}

// replace gives source srcID the text newText; reason is kept on the old
// version. It reports false when nothing was applied.
func (tr textReplacer) replace(srcID, newText, reason string) (anchor.Report, bool) {
	// Its annotations follow the text: a source not shown (a file dropped
	// on it in the list) may not have them read yet in a large project.
	if err := tr.ed.st.hold(srcID); err != nil {
		dialog.ShowError(err, tr.ed.win)
		return anchor.Report{}, false
	}
	idx := tr.ed.st.Index()
	src := idx.Source[srcID]
	if src == nil {
		return anchor.Report{}, false
	}
	if strings.TrimSpace(newText) == "" {
		dialog.ShowError(fmt.Errorf("%s: the new text is empty; a source needs text (delete the source instead)", src.DisplayTitle()), tr.ed.win)
		return anchor.Report{}, false
	}
	if newText == src.Text {
		tr.status(src.DisplayTitle() + ": the text is unchanged")
		return anchor.Report{}, false
	}
	c, rep := anchor.ReplaceText(*src, src.Text, newText, sourceAnnotations(idx, src.ID), idx.P.Links, time.Now())
	c.Label = "Replace text of " + annotate.QuoteShort(src.DisplayTitle(), 40)
	if reason == "edited" {
		c.Label = "Edit text of " + annotate.QuoteShort(src.DisplayTitle(), 40)
	}
	if len(c.PutVersions) > 0 {
		c.PutVersions[0].Reason = reason
	}
	if !tr.ed.do(c) {
		return rep, false
	}
	if tr.replaced != nil {
		tr.replaced(srcID, rep)
	}
	tr.status(replaceStatus(src.DisplayTitle(), rep))
	return rep, true
}

// keepPlace runs show, which gives tv a new text (an edit, a replace, or
// the undo or redo of one), and scrolls back to the words that were at
// the top of the view, found through the change: SetText alone would
// leave the reader at the top of the document.
func keepPlace(tv *textview.TextView, show func()) {
	oldText, off := tv.Text(), tv.ScrollOffset()
	show()
	if off > 0 {
		tv.SetScrollOffset(anchor.MapOffset(oldText, tv.Text(), off))
	}
}

// replaceStatus is the status line after a replace: every anchor state's
// count, and how many wait in Needs review.
func replaceStatus(title string, rep anchor.Report) string {
	// Report.Counts mixes annotations and link ends; the analyst counts
	// them apart.
	counts := func(items []anchor.Item) string {
		n := map[annotate.AnchorState]int{}
		for _, it := range items {
			n[it.State.Norm()]++
		}
		var parts []string
		for _, s := range annotate.AnchorStates {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
		return strings.Join(parts, ", ")
	}
	msg := "New text for " + annotate.QuoteShort(title, 40) + ": " + counts(rep.Annotations)
	if len(rep.Links) > 0 {
		msg += "; link ends " + counts(rep.Links)
	}
	if n := rep.NeedsReview(); n > 0 {
		msg += fmt.Sprintf(" — %d in Needs review", n)
	}
	return msg
}

// editDialog is Source ▸ Edit text…: a plain editor on the whole text.
func (tr textReplacer) editDialog(srcID string) {
	src := tr.ed.st.Index().Source[srcID]
	if src == nil {
		dialog.ShowInformation("Edit text", "Choose a source on the left first.", tr.ed.win)
		return
	}
	n := len(src.Text)
	switch {
	case n > editMaxBytes:
		dialog.ShowInformation("Edit text", fmt.Sprintf("%s is %d KB, too long for the window's editor.\n"+
			"Edit it in a text editor and use Source ▸ Replace with file…: the annotations re-anchor the same way.",
			src.DisplayTitle(), n>>10), tr.ed.win)
	case n > editWarnBytes:
		dialog.ShowConfirm("Edit text", fmt.Sprintf("%s is %d KB; the editor may be slow on a text this long.\n"+
			"Source ▸ Replace with file… is faster for large edits. Edit here anyway?", src.DisplayTitle(), n>>10),
			func(ok bool) {
				if ok {
					tr.openEditor(src)
				}
			}, tr.ed.win)
	default:
		tr.openEditor(src)
	}
}

// openEditor shows the editor; tests reach its entry and Save through the
// returned value.
func (tr textReplacer) openEditor(src *annotate.Source) *textEditDialog {
	d := &textEditDialog{entry: widget.NewMultiLineEntry()}
	d.entry.Wrapping = fyne.TextWrapWord
	d.entry.SetText(src.Text)
	id, title := src.ID, src.DisplayTitle()
	what := "annotation"
	if src.Kind == annotate.KindSummary {
		what = "annotation and link"
	}
	hint := wrapLabel("Saving keeps the current text as a version. Every " + what + " re-anchors: " +
		"those that cannot be placed with certainty go to Needs review. Edit ▸ Undo brings this text back.")
	hint.Importance = widget.LowImportance
	d.save = func() bool {
		_, ok := tr.replace(id, textimport.Normalize(d.entry.Text), "edited")
		return ok
	}
	d.dlg = dialog.NewCustomConfirm("Edit text — "+annotate.QuoteShort(title, 50), "Save", "Cancel",
		container.NewBorder(nil, hint, nil, nil, d.entry), func(ok bool) {
			if ok {
				d.save()
			}
		}, tr.ed.win)
	d.dlg.Resize(fitSize(tr.ed.win, 900, 700))
	d.dlg.Show()
	tr.ed.win.Canvas().Focus(d.entry)
	return d
}

type textEditDialog struct {
	entry *widget.Entry
	dlg   *dialog.ConfirmDialog
	save  func() bool
}

// fileDialog is Source ▸ Replace with file….
func (tr textReplacer) fileDialog(srcID string) {
	src := tr.ed.st.Index().Source[srcID]
	if src == nil {
		dialog.ShowInformation("Replace with file", "Choose a source on the left first.", tr.ed.win)
		return
	}
	onErr := func(err error) { dialog.ShowError(err, tr.ed.win) }
	showFileDialog(tr.ed.win, openFileDialog(tr.ed.win, []string{".txt", ".md", ".markdown", ".html", ".htm", ".text"}, onErr,
		func(path string) { tr.replaceWithFile(srcID, path) }))
}

// replaceWithFile reads path through the import's decoding and
// normalisation (so offsets count as in an imported source) and replaces.
func (tr textReplacer) replaceWithFile(srcID, path string) (anchor.Report, bool) {
	if ingest.IsProjectFile(path) {
		dialog.ShowError(fmt.Errorf("%s is a project archive, not a text; use File ▸ Merge project… to bring it in", filepath.Base(path)), tr.ed.win)
		return anchor.Report{}, false
	}
	newSrc, _, err := ingest.Read(path, ingest.Options{})
	if err != nil {
		dialog.ShowError(err, tr.ed.win)
		return anchor.Report{}, false
	}
	return tr.replace(srcID, newSrc.Text, "replaced by "+filepath.Base(path))
}

// dropOnSource asks before a dropped file replaces a source's text.
func (tr textReplacer) dropOnSource(srcID string, uris []fyne.URI) {
	src := tr.ed.st.Index().Source[srcID]
	if src == nil {
		return
	}
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			if st, err := os.Stat(u.Path()); err == nil && !st.IsDir() {
				paths = append(paths, u.Path())
			}
		}
	}
	if len(paths) != 1 {
		dialog.ShowError(errors.New("drop one file on a source to replace its text (drop several on the list's empty space to import them)"), tr.ed.win)
		return
	}
	p := paths[0]
	dialog.ShowConfirm("Replace text?", fmt.Sprintf("Replace the text of %q with %s?\n\n"+
		"The current text is kept as a version, annotations re-anchor, and Edit ▸ Undo takes it back.",
		src.DisplayTitle(), filepath.Base(p)), func(ok bool) {
		if ok {
			tr.replaceWithFile(srcID, p)
		}
	}, tr.ed.win)
}

// replacer first saves a note still being typed: the replace re-puts the
// annotations it moves, and must carry the note with them.
func (w *Workspace) replacer() textReplacer {
	w.flushNote()
	return textReplacer{ed: w.editor(), status: w.setStatus, replaced: w.review.remember}
}

// sourceMenu holds what changes the shown source's text.
func (w *Workspace) sourceMenu() *fyne.Menu {
	return fyne.NewMenu("Source",
		fyne.NewMenuItem("Edit text…", func() { w.replacer().editDialog(w.srcID) }),
		fyne.NewMenuItem("Replace with file…", func() { w.replacer().fileDialog(w.srcID) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Needs review", w.showReview),
	)
}

// showReview brings the Needs review list forward.
func (w *Workspace) showReview() {
	if !w.showList {
		w.showList = true
		w.layoutBody()
	}
	w.bottom.bringForward(w.review.root)
}

// dropped handles files dropped on the window: on a source's row in the
// sources list they replace its text (after asking), anywhere else they
// are imported.
func (w *Workspace) dropped(pos fyne.Position, uris []fyne.URI) {
	if id := w.sources.rowAt(pos); id != "" && w.sess != nil {
		w.replacer().dropOnSource(id, uris)
		return
	}
	w.importURIs(uris)
}

// rowAt is the source whose row is at pos (window coordinates), or "".
func (p *sourcesPanel) rowAt(pos fyne.Position) string {
	d := fyne.CurrentApp().Driver()
	inside := func(o fyne.CanvasObject) bool {
		at := d.AbsolutePositionForObject(o)
		sz := o.Size()
		return pos.X >= at.X && pos.Y >= at.Y && pos.X < at.X+sz.Width && pos.Y < at.Y+sz.Height
	}
	// Rows the list keeps in reserve after scrolling report stale places,
	// so a row counts only inside the list's own bounds.
	if !p.list.Visible() || !inside(p.list) {
		return ""
	}
	for _, r := range p.made {
		if r.id != "" && r.Visible() && inside(r) {
			return r.id
		}
	}
	return ""
}
