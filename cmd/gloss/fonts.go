package main

import "github.com/go-text/typesetting/fontscan"

// warmFonts builds go-text's index of the system fonts, which Fyne builds
// on the UI goroutine the first time it measures text: a scan of the font
// folders, then loading one face to check the index (a 15 MB CJK face
// where Noto CJK is installed), 120–250 ms before the window can be drawn.
// The index is built once per process behind a sync.Once and is read-only
// afterwards, so building it here, while the window is being created,
// leaves Fyne only a copy of it. Same cache folder as Fyne's (""), so
// the cache file is shared.
//
// The faces themselves are not loaded here, though Fyne loads them on the
// UI goroutine too (150-250 ms of a first frame): that means measuring
// text, and Fyne's text shaper is one value not safe for concurrent use.
// A launch that did it here while the window built its widgets died with
// an index out of range; waiting for it before building them made the
// launch slower (1.38 s to the drawn frame against 1.29 s, 5 each).
func warmFonts() { _, _ = fontscan.SystemFonts(quiet{}, "") }

// quiet drops go-text's log lines, as Fyne's own font map does.
type quiet struct{}

func (quiet) Printf(string, ...any) {}
