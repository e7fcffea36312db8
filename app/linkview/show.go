package linkview

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/app/session"
)

// Show opens the side-by-side view for a summary source in a new window:
// its first original on the other side, with a picker when it has several.
func Show(parent fyne.Window, sess *session.Session, summaryID string) {
	x := sess.Index()
	s := x.Source[summaryID]
	if s == nil {
		dialog.ShowError(fmt.Errorf("no source with id %q in this project", summaryID), parent)
		return
	}
	var ids, names []string
	for _, o := range s.Originals {
		if src := x.Source[o]; src != nil {
			ids = append(ids, o)
			names = append(names, fmt.Sprintf("%s (%s)", src.DisplayTitle(), o))
		}
	}
	if len(ids) == 0 {
		dialog.ShowInformation("No original to link to",
			fmt.Sprintf("“%s” is not tied to an original in this project. Set the original it summarises in its source properties, then open the links again.", s.DisplayTitle()),
			parent)
		return
	}
	w := fyne.CurrentApp().NewWindow("Links · " + s.DisplayTitle())
	v := NewView(sess, summaryID, ids[0])
	holder := container.NewStack(v.Content())
	top := fyne.CanvasObject(nil)
	if len(ids) > 1 {
		pick := widget.NewSelect(names, nil)
		pick.SetSelectedIndex(0)
		pick.OnChanged = func(string) {
			i := pick.SelectedIndex()
			if i < 0 || ids[i] == v.originalID {
				return
			}
			v.close()
			v = NewView(sess, summaryID, ids[i])
			holder.Objects = []fyne.CanvasObject{v.Content()}
			holder.Refresh()
		}
		top = container.NewBorder(nil, nil, widget.NewLabel("Original:"), nil, pick)
	}
	w.SetContent(container.NewBorder(top, nil, nil, nil, holder))
	// Ctrl+L also works while a button or the list has the keyboard focus.
	w.Canvas().AddShortcut(linkShortcut, func(fyne.Shortcut) { v.linkSelection() })
	w.SetOnClosed(func() { v.close() })
	w.Resize(fyne.NewSize(1366, 768))
	w.Show()
}
