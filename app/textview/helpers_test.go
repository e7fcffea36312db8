package textview

import (
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"gloss/internal/testshared"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func corpusExists() bool {
	_, file, _, _ := runtime.Caller(0)
	_, err := os.Stat(filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus"))
	return err == nil
}

func readCorpus(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testshared.Path(t, "corpus"), name))
	if err != nil {
		t.Skipf("corpus file %s: %v", name, err)
	}
	return string(b)
}

// newView shows a TextView with text in a test window of the given size.
func newView(t testing.TB, text string, w, h float32) (*TextView, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	tv := New()
	tv.tipDelay = 0
	tv.noAnim = true
	tv.SetText(text)
	win := test.NewTempWindow(t, tv)
	win.SetPadded(false)
	win.Resize(fyne.NewSize(w, h))
	tv.Resize(fyne.NewSize(w, h))
	tv.Refresh()
	return tv, win
}

// dragSel emulates the desktop driver: press, move, release.
func dragSel(tv *TextView, from, to fyne.Position) {
	tv.clicks = clickState{} // a new gesture, not a double-click
	tv.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary})
	tv.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X, to.Y-from.Y)})
	tv.DragEnd()
	tv.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: to}, Button: desktop.MouseButtonPrimary})
}

// click is a single click (earlier clicks long ago).
func click(tv *TextView, at fyne.Position, mod fyne.KeyModifier) {
	tv.clicks = clickState{}
	clickAgain(tv, at, mod)
}

// clickAgain clicks without waiting: it may make a double or triple click.
func clickAgain(tv *TextView, at fyne.Position, mod fyne.KeyModifier) {
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at}, Button: desktop.MouseButtonPrimary, Modifier: mod}
	tv.MouseDown(ev)
	tv.MouseUp(ev)
	tv.Tapped(&ev.PointEvent)
}

func sameColor(a, b color.Color, tol int) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	d := func(x, y uint32) int {
		v := int(x>>8) - int(y>>8)
		if v < 0 {
			return -v
		}
		return v
	}
	return d(r1, r2) <= tol && d(g1, g2) <= tol && d(b1, b2) <= tol
}
