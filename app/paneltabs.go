package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// panelTabs are the list panels' tabs (annotations, search results, needs
// review): an AppTabs that holds only the titles, over a stack of the
// panels. AppTabs.Refresh also refreshes every tab's content, so giving a
// tab its count ("Annotations (20280)") redrew the whole annotation list,
// its filters and the other panels: 9–13 ms on the UI goroutine after
// every query of a 10,000-source project. Here a new title refreshes the
// bar alone.
type panelTabs struct {
	bar      *container.AppTabs
	contents []fyne.CanvasObject
	root     *fyne.Container
}

func newPanelTabs(titles []string, contents ...fyne.CanvasObject) *panelTabs {
	t := &panelTabs{contents: contents}
	items := make([]*container.TabItem, len(titles))
	for i, title := range titles {
		// Each tab needs an object of its own to show and hide.
		items[i] = container.NewTabItem(title, canvas.NewRectangle(color.Transparent))
	}
	t.bar = container.NewAppTabs(items...)
	body := container.NewStack(contents...)
	t.root = container.New(barOver{}, t.bar, body)
	t.bar.OnSelected = func(*container.TabItem) { t.showSelected() }
	t.showSelected()
	return t
}

// showSelected shows the selected tab's panel and hides the others.
func (t *panelTabs) showSelected() {
	sel := t.bar.SelectedIndex()
	for i, c := range t.contents {
		if i == sel {
			c.Show()
		} else {
			c.Hide()
		}
	}
}

// title is the title of panel's tab ("" for a panel not in the tabs).
func (t *panelTabs) title(panel fyne.CanvasObject) string {
	if i := t.index(panel); i >= 0 {
		return t.bar.Items[i].Text
	}
	return ""
}

// setTitle retitles panel's tab, refreshing the bar only when it changed.
func (t *panelTabs) setTitle(panel fyne.CanvasObject, title string) {
	if i := t.index(panel); i >= 0 && t.bar.Items[i].Text != title {
		t.bar.Items[i].Text = title
		t.bar.Refresh()
	}
}

// bringForward selects panel's tab.
func (t *panelTabs) bringForward(panel fyne.CanvasObject) {
	if i := t.index(panel); i >= 0 {
		t.bar.SelectIndex(i)
	}
}

// index is the tab showing panel, or -1.
func (t *panelTabs) index(panel fyne.CanvasObject) int {
	for i, c := range t.contents {
		if c == panel {
			return i
		}
	}
	return -1
}

// selected is the panel in front.
func (t *panelTabs) selected() fyne.CanvasObject { return t.contents[t.bar.SelectedIndex()] }

// barOver lays the tab bar (objects[0], at its least height, which
// includes the padding below it) over the panels (objects[1]), where
// AppTabs put its content.
type barOver struct{}

func (barOver) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := objs[0].MinSize().Height
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, h))
	objs[1].Resize(fyne.NewSize(size.Width, size.Height-h))
}

func (barOver) MinSize(objs []fyne.CanvasObject) fyne.Size {
	bar, body := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(bar.Width, body.Width), bar.Height+body.Height)
}
