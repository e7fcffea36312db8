package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/fontscan"
)

// warmFonts builds go-text's index of the system fonts, which Fyne builds
// on the UI goroutine the first time it measures text: a scan of the font
// folders, then loading one face to check the index (a 15 MB CJK face
// where Noto CJK is installed), 120–250 ms before the window can be drawn.
// The index is built once per process behind a sync.Once and is read-only
// afterwards, so building it here, while the window is being created,
// leaves Fyne only a copy of it. Same cache folder as Fyne's (""), so
// the cache file is shared.
func warmFonts() { _, _ = fontscan.SystemFonts(quiet{}, "") }

// warmFaces loads the faces the window's first frame measures and draws
// with, while the window is being created: the theme's fonts for the
// styles the panels show first, and the system's CJK face. Fyne loads each on
// the UI goroutine the first time it meets the style or the script; a
// trace of a launch showed 150–250 ms of the first frame spent there
// (parsing, and reading the CJK face's 15 MB of tables from disk).
//
// Fyne keeps the loaded faces process-wide: the theme fonts per style, and
// every system face in one font map behind a lock. The per-style lists of
// fallback faces are not locked, though, and grow when a rune needs a new
// face, so the styles are warmed with ASCII only (their theme font has
// every glyph, so their lists do not grow), and the CJK face through a
// font resource of our own, whose list nobody else touches; it asks the
// font map for the same family (sans-serif) and aspect as the styles do,
// so the face it loads is the one they find.
func warmFaces(d fyne.Driver) {
	size := theme.TextSize()
	// The styles the first frame uses; each style's faces cost 6–8 MB of
	// heap (Fyne parses the theme, emoji and symbol fonts per style), so
	// one the first frame does not use (italic) is not warmed.
	for _, st := range []fyne.TextStyle{{}, {Bold: true}, {Monospace: true}} {
		d.RenderedTextSize("Gloss", size, st, nil)
	}
	own := fyne.NewStaticResource(fontscan.SansSerif, theme.DefaultTextFont().Content())
	d.RenderedTextSize("中文漢字", size, fyne.TextStyle{}, own)
}

// quiet drops go-text's log lines, as Fyne's own font map does.
type quiet struct{}

func (quiet) Printf(string, ...any) {}
