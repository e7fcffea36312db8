package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// A closed busy dialog must stop its bar: a running bar repaints the whole
// window every frame, dialog or no dialog.
func TestBusyDialogStopsItsBar(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("busy")
	w.Resize(fyne.NewSize(600, 400))
	b := showBusy("Saving", "Saving the import…", w)
	if !b.bar.Running() {
		t.Fatal("the bar should run while the dialog is shown")
	}
	if len(w.Canvas().Overlays().List()) == 0 {
		t.Fatal("the dialog is not shown")
	}
	// Fyne's test driver runs no animations: the ticks are given here.
	t0 := b.bar.start
	before := b.bar.place()
	b.bar.advance(t0.Add(busyTick / 2))
	if b.bar.place() != before {
		t.Error("the bar moved within one step")
	}
	b.bar.advance(t0.Add(3 * busyTick))
	if b.bar.place() == before {
		t.Error("the bar did not move")
	}
	b.Hide()
	if b.bar.Running() {
		t.Error("the bar still runs after its dialog closed")
	}
	at := b.bar.place()
	b.bar.advance(t0.Add(7 * busyTick))
	if b.bar.place() != at {
		t.Error("the bar still moves after its dialog closed")
	}
	if len(w.Canvas().Overlays().List()) != 0 {
		t.Error("the dialog is still shown")
	}
}
