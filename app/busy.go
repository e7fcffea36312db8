package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// busy is a dialog with an endless progress bar, for work whose length is
// not known (opening, saving, reading a project).
type busy struct {
	d   *dialog.CustomDialog
	bar *widget.ProgressBarInfinite
}

// showBusy shows a busy dialog titled title saying what.
func showBusy(title, what string, win fyne.Window) *busy {
	b := &busy{bar: widget.NewProgressBarInfinite()}
	b.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(widget.NewLabel(what), b.bar), win)
	b.d.Show()
	return b
}

// Hide closes the dialog and stops its bar. Fyne stops a bar's animation
// only when the bar itself is hidden, not its dialog: a closed dialog's
// bar went on ticking, and every tick repaints the whole window. Under a
// software GL driver (llvmpipe) that kept more than a core busy in an idle
// window, and starved an export of CPU.
func (b *busy) Hide() {
	b.bar.Stop()
	b.d.Hide()
}
