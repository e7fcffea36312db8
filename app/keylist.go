package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// keyList is a widget.List that passes the tagging keys (1–9, H) and
// Delete to the workspace: a click on a row gives the list the keyboard
// focus, and the analyst must still be able to tag what it shows.
type keyList struct {
	widget.List
	onRune func(rune) bool
	onKey  func(*fyne.KeyEvent) bool
}

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedRune is part of fyne.Focusable.
func (l *keyList) TypedRune(r rune) {
	if l.onRune != nil && l.onRune(r) {
		return
	}
	l.List.TypedRune(r)
}

// TypedKey is part of fyne.Focusable.
func (l *keyList) TypedKey(e *fyne.KeyEvent) {
	if l.onKey != nil && l.onKey(e) {
		return
	}
	l.List.TypedKey(e)
}
