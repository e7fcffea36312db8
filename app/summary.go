package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"gloss/annotate"
	"gloss/app/linkview"
)

// summaryMenu offers the bilingual link view of app/linkview.
func (w *Workspace) summaryMenu() *fyne.Menu {
	return fyne.NewMenu("Summary",
		item("New summary…", ctrlShift(fyne.KeyN), w.newSummary),
		item("Side by side…", ctrlShift(fyne.KeyL), w.sideBySide),
	)
}

func (w *Workspace) newSummary() {
	if w.sess == nil || w.waitTexts(w.Window, w.newSummary) {
		return
	}
	if w.srcID == "" {
		dialog.ShowInformation("New summary", "Choose the original source on the left first: the summary will be linked to it.", w.Window)
		return
	}
	linkview.NewSummary(w.Window, w.sess, w.srcID)
}

// sideBySide opens the current summary beside its original, or the summary
// written for the current original.
func (w *Workspace) sideBySide() {
	if w.sess == nil || w.waitTexts(w.Window, w.sideBySide) {
		return
	}
	idx := w.index()
	s := idx.Source[w.srcID]
	if s == nil {
		dialog.ShowInformation("Side by side", "Choose a summary, or the original it summarises, on the left first.", w.Window)
		return
	}
	if s.Kind == annotate.KindSummary {
		linkview.Show(w.Window, w.sess, s.ID)
		return
	}
	for _, o := range idx.P.Sources {
		if o.Kind != annotate.KindSummary {
			continue
		}
		for _, id := range o.Originals {
			if id == s.ID {
				linkview.Show(w.Window, w.sess, o.ID)
				return
			}
		}
	}
	dialog.ShowInformation("Side by side", "“"+s.DisplayTitle()+"” has no summary yet: use Summary ▸ New summary… to write one.", w.Window)
}
