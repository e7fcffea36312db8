package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// windowSize is the main window's size when it opens.
var windowSize = fyne.NewSize(1366, 768)

// Run shows the main window and runs the app until it is closed (the real
// driver; tests build the window with NewWindow). The window is made
// empty and shown first, and the workspace is built into it on the UI
// goroutine once the fonts the panels measure are loaded: creating the GL
// window (about 250 ms under llvmpipe) and loading the fonts (about 150
// ms, the Chinese fallback's tables included) then overlap, where building
// the workspace first made them follow each other.
func Run(a fyne.App, cfg Config) {
	if cfg.Background {
		watchOnce.Do(watchUI) // from launch, as when the workspace came first
	}
	win := a.NewWindow("Gloss")
	win.Resize(windowSize)
	// The theme the fonts come from, and the empty frame's background.
	setTheme(a, a.Preferences().StringWithFallback("theme", "system"))
	go func() {
		warmText()
		fyne.Do(func() { newWorkspace(a, win, cfg) })
	}()
	win.ShowAndRun()
}

// warmSample has what the first frame draws: Latin text, the symbols
// Fyne's own font lacks and the Chinese of a source, which come from the
// system's fallback fonts (Fyne takes a fallback for one rune in the
// regular weight whatever the style, so bold Chinese shares the regular
// face and costs no more memory).
const warmSample = "Gloss Aa 0–9 · — … “” 中文資料"

// warmText loads the faces the panels use by measuring text in each style.
// It runs before anything in the window measures text (the window is empty
// until newWorkspace), so Fyne's font caches are never filled from two
// goroutines at once.
func warmText() {
	for _, st := range []fyne.TextStyle{{}, {Bold: true}} {
		fyne.MeasureText(warmSample, theme.TextSize(), st)
	}
}
