package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// refreshCounter is a panel that counts its refreshes.
type refreshCounter struct {
	widget.Label
	n int
}

func newRefreshCounter(s string) *refreshCounter {
	r := &refreshCounter{}
	r.Text = s
	r.ExtendBaseWidget(r)
	return r
}

func (r *refreshCounter) Refresh() { r.n++; r.Label.Refresh() }

// A tab's new count redraws the tab bar, not the panels under it: with
// AppTabs it refreshed all of them, the whole annotation list included.
func TestPanelTabsRetitleRefreshesOnlyTheBar(t *testing.T) {
	test.NewTempApp(t)
	a, b := newRefreshCounter("first panel"), newRefreshCounter("second panel")
	tabs := newPanelTabs([]string{"First", "Second"}, a, b)
	w := test.NewWindow(tabs.root)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 300))
	h := tabs.root.Size().Height

	if !a.Visible() || b.Visible() {
		t.Fatalf("the first tab's panel should be the one shown")
	}
	barH := tabs.bar.MinSize().Height
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject
	if y, top := abs(a).Y, abs(tabs.bar).Y; y-top != barH {
		t.Fatalf("panel %v below the bar's top, want just under the bar (%v)", y-top, barH)
	}
	if a.Size().Height != h-barH {
		t.Fatalf("panel %v high, want the rest (%v)", a.Size().Height, h-barH)
	}

	before := a.n + b.n
	tabs.setTitle(a, "First (20280)")
	if got := tabs.title(a); got != "First (20280)" {
		t.Fatalf("title %q", got)
	}
	if a.n+b.n != before {
		t.Fatalf("retitling a tab refreshed the panels %d times", a.n+b.n-before)
	}
	if !showsText(tabs.bar, "First (20280)") {
		t.Fatalf("the bar does not show the new title")
	}

	tabs.bringForward(b)
	if a.Visible() || !b.Visible() || tabs.selected() != b {
		t.Fatalf("the second tab did not come forward")
	}
	// A panel not in the tabs has no tab to retitle or bring forward.
	stranger := newRefreshCounter("not here")
	tabs.setTitle(stranger, "Elsewhere")
	tabs.bringForward(stranger)
	if tabs.title(stranger) != "" || tabs.title(a) != "First (20280)" || tabs.selected() != b {
		t.Fatalf("a panel not in the tabs changed them")
	}
}

// showsText reports whether a text object under o reads s.
func showsText(o fyne.CanvasObject, s string) bool {
	for _, o := range test.LaidOutObjects(o) {
		if t, ok := o.(*canvas.Text); ok && t.Text == s && t.Visible() {
			return true
		}
	}
	return false
}
