package app

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// busy is a dialog with an endless progress bar, for work whose length is
// not known (opening, saving, reading a project).
type busy struct {
	d   *dialog.CustomDialog
	bar *busyBar
}

// showBusy shows a busy dialog titled title saying what.
func showBusy(title, what string, win fyne.Window) *busy {
	b := &busy{bar: newBusyBar()}
	b.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(widget.NewLabel(what), b.bar), win)
	b.d.Show()
	return b
}

// Hide closes the dialog and stops its bar.
func (b *busy) Hide() {
	b.bar.Stop()
	b.d.Hide()
}

// busyTick is how often a busyBar moves, busySteps the places it moves
// through (there and back).
const (
	busyTick  = 200 * time.Millisecond
	busySteps = 12
)

// busyBar is an endless progress bar that moves five times a second. Fyne's
// ProgressBarInfinite moves every frame, and every frame repaints the
// whole window: under a software GL driver (llvmpipe) that took a fifth
// of the CPU an import of 10,000 sources had (12.6 s in 60 s). It also
// stops with Stop, where Fyne's bar ticked on after its dialog closed
// (stopped only when the bar itself is hidden), keeping more than a core
// busy in an idle window. Its animation ticks every frame on the UI
// goroutine, as Fyne's do, but redraws only when the block moves.
type busyBar struct {
	widget.BaseWidget
	anim    *fyne.Animation
	start   time.Time
	step    int
	stopped bool
}

func newBusyBar() *busyBar {
	b := &busyBar{start: time.Now()}
	b.ExtendBaseWidget(b)
	b.anim = &fyne.Animation{Duration: time.Second, RepeatCount: fyne.AnimationRepeatForever,
		Tick: func(float32) { b.advance(time.Now()) }}
	b.anim.Start()
	return b
}

// advance puts the block where it is at now, redrawing only if it moved.
func (b *busyBar) advance(now time.Time) {
	step := int(now.Sub(b.start) / busyTick)
	if step == b.step || b.stopped {
		return
	}
	b.step = step
	b.Refresh()
}

// Running reports whether the bar still moves.
func (b *busyBar) Running() bool { return !b.stopped }

// Stop ends the movement; it may be called more than once.
func (b *busyBar) Stop() {
	if !b.stopped {
		b.stopped = true
		b.anim.Stop()
	}
}

// place is where the block is, 0 (left) to 1 (right), going there and back.
func (b *busyBar) place() float32 {
	k := b.step % (2 * (busySteps - 1))
	if k >= busySteps {
		k = 2*(busySteps-1) - k
	}
	return float32(k) / (busySteps - 1)
}

func (b *busyBar) CreateRenderer() fyne.WidgetRenderer {
	r := &busyRenderer{b: b, track: canvas.NewRectangle(color.Transparent), block: canvas.NewRectangle(color.Transparent)}
	r.colour()
	return r
}

type busyRenderer struct {
	b            *busyBar
	track, block *canvas.Rectangle
}

func (r *busyRenderer) colour() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	p := th.Color(theme.ColorNamePrimary, v)
	cr, cg, cb, _ := p.RGBA()
	r.track.FillColor = color.NRGBA{R: uint8(cr >> 8), G: uint8(cg >> 8), B: uint8(cb >> 8), A: 0x60}
	r.block.FillColor = p
	r.track.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.block.CornerRadius = r.track.CornerRadius
}

// MinSize is that of Fyne's progress bars, so dialogs keep their size.
func (r *busyRenderer) MinSize() fyne.Size {
	th := r.b.Theme()
	pad := th.Size(theme.SizeNameInnerPadding) * 2
	t := fyne.MeasureText("100%", th.Size(theme.SizeNameText), fyne.TextStyle{})
	return fyne.NewSize(t.Width+pad, t.Height+pad)
}

func (r *busyRenderer) Layout(size fyne.Size) {
	r.track.Resize(size)
	w := size.Width / 5
	r.block.Resize(fyne.NewSize(w, size.Height))
	r.block.Move(fyne.NewPos((size.Width-w)*r.b.place(), 0))
}

func (r *busyRenderer) Refresh() {
	r.colour()
	r.Layout(r.b.Size())
	r.track.Refresh()
	r.block.Refresh()
}

func (r *busyRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.block} }

func (r *busyRenderer) Destroy() { r.b.Stop() }
