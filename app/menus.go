package app

import (
	"fmt"
	"image/color"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/assets"
)

func ctrl(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func ctrlShift(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
}

func item(label string, sc fyne.Shortcut, fn func()) *fyne.MenuItem {
	it := fyne.NewMenuItem(label, fn)
	it.Shortcut = sc
	return it
}

func (w *Workspace) buildMenus() {
	w.recentMenu = fyne.NewMenu("Open recent")
	recent := fyne.NewMenuItem("Open recent", nil)
	recent.ChildMenu = w.recentMenu
	w.refreshRecentMenu()

	quit := fyne.NewMenuItem("Quit", func() { w.flushNote(); w.app.Quit() })
	quit.IsQuit = true
	file := fyne.NewMenu("File",
		item("New project…", ctrl(fyne.KeyN), w.newProjectDialog),
		item("Open…", ctrl(fyne.KeyO), w.openDialog),
		recent,
		fyne.NewMenuItem("Open demo project", w.openDemo),
		fyne.NewMenuItemSeparator(),
		item("Import sources…", ctrl(fyne.KeyI), w.importDialog),
		fyne.NewMenuItem("Import folder…", w.importFolderDialog),
		fyne.NewMenuItem("Merge project…", w.mergeDialog),
		item("Export…", ctrl(fyne.KeyE), w.exportDialog),
		fyne.NewMenuItemSeparator(),
		item("Back up now", ctrlShift(fyne.KeyB), w.backup),
		fyne.NewMenuItemSeparator(),
		quit,
	)

	w.undoItem = item("Undo", &fyne.ShortcutUndo{}, func() {
		if !w.forwardToEntry(&fyne.ShortcutUndo{}) {
			w.undo()
		}
	})
	w.redoItem = item("Redo", ctrlShift(fyne.KeyZ), func() {
		if !w.forwardToEntry(&fyne.ShortcutRedo{}) {
			w.redo()
		}
	})
	edit := fyne.NewMenu("Edit",
		w.undoItem, w.redoItem,
		fyne.NewMenuItemSeparator(),
		item("Copy", &fyne.ShortcutCopy{}, w.copySelection),
		item("Find in source…", ctrl(fyne.KeyF), w.showFind),
		item("Find in all sources…", ctrlShift(fyne.KeyF), func() { w.projectSearch("") }),
		fyne.NewMenuItemSeparator(),
		item("Codebook and targets…", ctrl(fyne.KeyK), w.codebookDialog),
		item("Source details…", ctrl(fyne.KeyD), func() { w.sourceDetails(w.srcID) }),
		fyne.NewMenuItem("Delete annotation", func() { w.deleteAnnotation(w.annID) }),
	)

	w.viewItems = map[string]*fyne.MenuItem{}
	toggle := func(key, label string, flag *bool) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, nil)
		it.Checked = *flag
		it.Action = func() {
			*flag = !*flag
			it.Checked = *flag
			w.layoutBody()
			w.mainMenu.Refresh()
		}
		w.viewItems[key] = it
		return it
	}
	themeItem := func(label, v string) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, nil)
		it.Action = func() { w.applyTheme(v); w.mainMenu.Refresh() }
		w.viewItems["theme-"+v] = it
		return it
	}
	themeMenu := fyne.NewMenuItem("Theme", nil)
	themeMenu.ChildMenu = fyne.NewMenu("Theme", themeItem("System", "system"), themeItem("Light", "light"), themeItem("Dark", "dark"))
	view := fyne.NewMenu("View",
		item("Zoom in", ctrl(fyne.KeyEqual), func() { w.zoom(1.1) }),
		item("Zoom out", ctrl(fyne.KeyMinus), func() { w.zoom(1 / 1.1) }),
		item("Actual size", ctrl(fyne.Key0), func() { w.zoom(0) }),
		fyne.NewMenuItemSeparator(),
		toggle("sources", "Sources panel", &w.showSources),
		toggle("inspector", "Inspector", &w.showInspector),
		toggle("list", "Annotations list", &w.showList),
		fyne.NewMenuItemSeparator(),
		themeMenu,
	)
	help := fyne.NewMenu("Help",
		item("Keyboard shortcuts", &desktop.CustomShortcut{KeyName: fyne.KeyF1}, w.showShortcuts),
		fyne.NewMenuItem("About Gloss", w.showAbout),
	)
	menus := []*fyne.Menu{file, edit, view, w.sourceMenu()}
	// Analysis: each view adds its items here.
	analysis := fyne.NewMenu("Analysis",
		fyne.NewMenuItem("Compare coders…", w.compareCodersDialog),
		fyne.NewMenuItem("Claims…", func() { w.claimDesk().showClaims() }),
		fyne.NewMenuItem("Figures…", w.figuresWindow),
		fyne.NewMenuItem("Timeline…", w.timelineWindow),
	)
	if m := w.summaryMenu(); m != nil {
		menus = append(menus, m)
	}
	menus = append(menus, analysis, help)
	w.claimDesk() // adds the inspector's Claims section, which the A key uses
	w.mainMenu = fyne.NewMainMenu(menus...)
	w.Window.SetMainMenu(w.mainMenu)
	w.markTheme()
}

// bindKeys registers the menus' shortcuts on the canvas: outside macOS Fyne
// only displays them in the menu.
func (w *Workspace) bindKeys() {
	c := w.Window.Canvas()
	var walk func(items []*fyne.MenuItem)
	walk = func(items []*fyne.MenuItem) {
		for _, it := range items {
			it := it
			if it.ChildMenu != nil {
				walk(it.ChildMenu.Items)
			}
			if it.Shortcut == nil || it.Action == nil {
				continue
			}
			if _, ok := it.Shortcut.(*fyne.ShortcutCopy); ok {
				continue // the text view and entries copy themselves
			}
			w.bind(it.Shortcut, it.Action)
		}
	}
	for _, m := range w.mainMenu.Items {
		walk(m.Items)
	}
	// Ctrl+Y redoes too, as on Windows.
	w.bind(&fyne.ShortcutRedo{}, func() {
		if !w.forwardToEntry(&fyne.ShortcutRedo{}) {
			w.redo()
		}
	})
	// Number keys and H tag the selection even when the view lost focus to a
	// list click.
	c.SetOnTypedRune(func(r rune) { w.tag.typedRune(r) })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyF1 {
			w.showShortcuts()
			return
		}
		if e.Name != fyne.KeyEscape {
			return
		}
		switch {
		case w.codebook != nil:
			w.codebook.dlg.Hide()
		case w.text.find.root.Visible():
			w.text.find.hide()
		}
	})
}

// bind runs fn for a shortcut typed anywhere in the window.
func (w *Workspace) bind(sc fyne.Shortcut, fn func()) {
	if w.shortcuts == nil {
		w.shortcuts = map[string]func(){}
	}
	w.shortcuts[sc.ShortcutName()] = fn
	w.Window.Canvas().AddShortcut(sc, func(fyne.Shortcut) { fn() })
}

// runShortcut runs a bound shortcut; the document view hands over the
// shortcuts it does not use itself.
func (w *Workspace) runShortcut(sc fyne.Shortcut) bool {
	if fn := w.shortcuts[sc.ShortcutName()]; fn != nil {
		fn()
		return true
	}
	return false
}

func (w *Workspace) refreshUndoMenu() {
	if w.undoItem == nil || w.sess == nil {
		return
	}
	u, r := w.sess.UndoLabel(), w.sess.RedoLabel()
	w.undoItem.Label, w.undoItem.Disabled = "Undo", u == ""
	if u != "" {
		w.undoItem.Label = "Undo " + u
	}
	w.redoItem.Label, w.redoItem.Disabled = "Redo", r == ""
	if r != "" {
		w.redoItem.Label = "Redo " + r
	}
	w.mainMenu.Refresh()
}

func (w *Workspace) refreshRecentMenu() {
	if w.recentMenu == nil {
		return
	}
	w.recentMenu.Items = nil
	for _, p := range w.recent() {
		p := p
		w.recentMenu.Items = append(w.recentMenu.Items, fyne.NewMenuItem(p, func() { w.openPath(p, false) }))
	}
	if len(w.recentMenu.Items) == 0 {
		none := fyne.NewMenuItem("No recent projects", nil)
		none.Disabled = true
		w.recentMenu.Items = append(w.recentMenu.Items, none)
	}
	if w.mainMenu != nil {
		w.mainMenu.Refresh()
	}
}

// forwardToEntry gives an editing shortcut to the focused text entry: the
// desktop driver runs main-menu shortcuts before the focused widget sees
// them, and Ctrl+C or Ctrl+Z in the note field must act on the note.
func (w *Workspace) forwardToEntry(sc fyne.Shortcut) bool {
	f := w.Window.Canvas().Focused()
	if f == nil || f == fyne.Focusable(w.text.tv) {
		return false
	}
	if s, ok := f.(fyne.Shortcutable); ok {
		s.TypedShortcut(sc)
		return true
	}
	return false
}

func (w *Workspace) copySelection() {
	if w.forwardToEntry(&fyne.ShortcutCopy{Clipboard: w.app.Clipboard()}) {
		return
	}
	if t := w.text.tv.SelectedText(); t != "" {
		w.app.Clipboard().SetContent(t)
		w.lastMsg = "Copied " + annotate.QuoteShort(t, 30)
		w.refreshStatus()
	}
}

func (w *Workspace) showFind() {
	if w.srcID == "" {
		w.projectSearch("")
		return
	}
	w.text.find.show()
}

func (w *Workspace) zoom(f float32) {
	if f == 0 {
		w.text.tv.SetZoom(1)
		return
	}
	w.text.tv.SetZoom(w.text.tv.Zoom() * f)
}

func (w *Workspace) backup() {
	if w.sess == nil {
		return
	}
	path, err := w.sess.Backup()
	if err != nil {
		w.showError(fmt.Errorf("backup failed: %w", err))
		return
	}
	w.lastMsg = "Backed up to " + path
	w.refreshStatus()
	dialog.ShowInformation("Backed up", "The project was copied to\n"+path, w.Window)
}

// variantTheme forces the light or dark variant of the default theme.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// unblurred is a theme without the blur behind modal dialogs; they keep
// the dimmed backdrop (the theme's shadow colour). The blur copies and
// filters the whole frame on every redraw: under a software GL driver
// (llvmpipe) with an export running, the progress dialog's redraws held
// the UI goroutine 18 s in 22 s (longest 2.5 s), 7 s (longest 0.4 s)
// without it.
type unblurred struct{ fyne.Theme }

func (t unblurred) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameModalBlurRadius {
		return 0
	}
	return t.Theme.Size(n)
}

func (w *Workspace) applyTheme(v string) {
	setTheme(w.app, v)
	w.markTheme()
}

// setTheme makes v ("light", "dark", else the system's) the app's theme
// and remembers it.
func setTheme(a fyne.App, v string) {
	th := theme.DefaultTheme()
	switch v {
	case "light":
		th = variantTheme{th, theme.VariantLight}
	case "dark":
		th = variantTheme{th, theme.VariantDark}
	default:
		v = "system"
	}
	a.Settings().SetTheme(unblurred{th})
	// Written only when it changes: every write at launch raced Fyne's
	// own watcher of the file, which then read it empty ("Preferences
	// load error: EOF").
	if a.Preferences().StringWithFallback("theme", "system") != v {
		a.Preferences().SetString("theme", v)
	}
}

func (w *Workspace) markTheme() {
	cur := w.app.Preferences().StringWithFallback("theme", "system")
	for _, v := range []string{"system", "light", "dark"} {
		if it := w.viewItems["theme-"+v]; it != nil {
			it.Checked = v == cur
		}
	}
}

var shortcutHelp = [][2]string{
	{"1 – 9", "Tag the selection with code 1–9 (press again to remove)"},
	{"H", "Highlight the selection without a code"},
	{"A", "Attach the annotation or selection to the claim picked in the inspector"},
	{"Delete", "Delete the annotation shown in the inspector"},
	{"Ctrl+Z", "Undo"},
	{"Ctrl+Shift+Z, Ctrl+Y", "Redo"},
	{"Ctrl+C", "Copy the selected text"},
	{"Ctrl+F", "Find in this source"},
	{"Ctrl+Shift+F", "Search all sources"},
	{"Ctrl+K", "Codebook and stance targets"},
	{"Ctrl+D", "Source details"},
	{"Ctrl+I", "Import sources"},
	{"Ctrl+E", "Export"},
	{"Ctrl+N / Ctrl+O", "New / open project"},
	{"Ctrl+Shift+B", "Back up now"},
	{"Ctrl+Shift+N", "New summary of the current source"},
	{"Ctrl+Shift+L", "Summary and original side by side"},
	{"F1", "This list"},
	{"Ctrl + / Ctrl − / Ctrl+0", "Zoom the text in, out, back"},
	{"Double / triple click", "Select a word (Chinese words too) / a paragraph"},
	{"Shift+click", "Extend the selection"},
}

func (w *Workspace) showShortcuts() {
	grid := container.New(layout.NewFormLayout())
	for _, r := range shortcutHelp {
		grid.Add(widget.NewLabelWithStyle(r[0], fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(r[1]))
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVScroll(grid), w.Window)
	d.Resize(fitSize(w.Window, 680, 720))
	d.Show()
}

func (w *Workspace) showAbout() {
	path := w.path
	if path == "" {
		path = "(none)"
	}
	msg := fmt.Sprintf("Gloss %s (build %s)\n\nAnnotate and compare English and Chinese news sources.\n\nProject: %s",
		assets.Version, assets.Build, filepath.Clean(path))
	dialog.ShowInformation("About Gloss", msg, w.Window)
}
