package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestPaintHookFiresOnceWhenPainted: the launch timing's "drawn" mark
// fires when a frame is painted, not when it is put in the window, and
// once however many frames follow.
func TestPaintHookFiresOnceWhenPainted(t *testing.T) {
	a := test.NewTempApp(t)
	n := 0
	w := a.NewWindow("")
	t.Cleanup(w.Close)
	w.SetContent(container.NewStack(widget.NewLabel("text"), paintHook(func() { n++ })))
	w.Resize(fyne.NewSize(120, 80))
	if n != 0 {
		t.Fatalf("fired %d times before any frame was painted", n)
	}
	w.Canvas().Capture()
	w.Canvas().Capture()
	if n != 1 {
		t.Fatalf("fired %d times over two frames, want 1", n)
	}
}
