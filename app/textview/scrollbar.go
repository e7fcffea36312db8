package textview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

const (
	scrollBarWidth = 12
	minThumb       = 24
)

// scrollBar is the view's own vertical scroll bar: the view scrolls by
// paragraph anchor rather than by a content size, so container.Scroll does
// not fit. Its length is the estimated document height.
type scrollBar struct {
	widget.BaseWidget
	tv      *TextView
	thumb   *canvas.Rectangle
	hovered bool
	dragY   float64 // scroll position at drag start plus accumulated drag
	drag    bool
}

func newScrollBar(tv *TextView) *scrollBar {
	s := &scrollBar{tv: tv, thumb: &canvas.Rectangle{CornerRadius: 3}}
	s.ExtendBaseWidget(s)
	return s
}

func (s *scrollBar) CreateRenderer() fyne.WidgetRenderer {
	return &scrollBarRenderer{s: s}
}

type scrollBarRenderer struct{ s *scrollBar }

func (r *scrollBarRenderer) Destroy()                     {}
func (r *scrollBarRenderer) Layout(fyne.Size)             { r.s.place() }
func (r *scrollBarRenderer) MinSize() fyne.Size           { return fyne.NewSize(scrollBarWidth, minThumb) }
func (r *scrollBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.s.thumb} }
func (r *scrollBarRenderer) Refresh()                     { r.s.place(); canvas.Refresh(r.s.thumb) }

// metrics returns total document height, view height and thumb geometry.
func (s *scrollBar) metrics() (total, view, thumbY, thumbH float64) {
	tv := s.tv
	view = float64(tv.Size().Height)
	total = tv.lay.idx.total() + 2*float64(tv.pad())
	if total <= view || view <= 0 {
		return total, view, 0, 0
	}
	thumbH = max(view*view/total, minThumb)
	thumbY = tv.scrollY() / (total - view) * (view - thumbH)
	thumbY = min(max(thumbY, 0), view-thumbH)
	return
}

func (s *scrollBar) place() {
	_, _, y, h := s.metrics()
	w := float32(4)
	if s.hovered || s.drag {
		w = scrollBarWidth - 2
	}
	th := s.tv.Theme()
	v := variant()
	s.thumb.FillColor = th.Color(theme.ColorNameScrollBar, v)
	if h == 0 {
		s.thumb.Hide()
		return
	}
	s.thumb.Show()
	s.thumb.Move(fyne.NewPos(scrollBarWidth-w-1, float32(y)))
	s.thumb.Resize(fyne.NewSize(w, float32(h)))
}

// Dragged moves the thumb with the mouse.
func (s *scrollBar) Dragged(e *fyne.DragEvent) {
	total, view, _, h := s.metrics()
	if h == 0 {
		return
	}
	if !s.drag {
		s.drag = true
		s.dragY = s.tv.scrollY()
	}
	s.dragY += float64(e.Dragged.DY) * (total - view) / (view - h)
	s.dragY = min(max(s.dragY, 0), total-view)
	s.tv.setScrollY(s.dragY)
}

// DragEnd is part of fyne.Draggable.
func (s *scrollBar) DragEnd() { s.drag = false; s.Refresh() }

// Tapped pages up or down towards the click.
func (s *scrollBar) Tapped(e *fyne.PointEvent) {
	_, view, y, _ := s.metrics()
	page := float32(view) - 2*s.tv.lineHeight
	if float64(e.Position.Y) < y {
		page = -page
	}
	s.tv.scrollBy(page)
}

// MouseIn widens the thumb.
func (s *scrollBar) MouseIn(*desktop.MouseEvent) { s.hovered = true; s.Refresh() }

// MouseMoved is part of desktop.Hoverable.
func (s *scrollBar) MouseMoved(*desktop.MouseEvent) {}

// MouseOut is part of desktop.Hoverable.
func (s *scrollBar) MouseOut() { s.hovered = false; s.Refresh() }
