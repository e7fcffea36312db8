package linkview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// rowsLayout stacks rows at the full width of the container. Unlike a VBox,
// it gives each row its width before asking its height, so wrapped labels
// (whose height depends on their width) neither overlap nor leave gaps.
type rowsLayout struct{}

func (rowsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		o.Resize(fyne.NewSize(size.Width, o.MinSize().Height))
		h := o.MinSize().Height // again, now that the width is known
		o.Resize(fyne.NewSize(size.Width, h))
		o.Move(fyne.NewPos(0, y))
		y += h + pad
	}
}

func (rowsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w, h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height
		n++
	}
	if n > 1 {
		h += pad * float32(n-1)
	}
	return fyne.NewSize(w, h)
}
