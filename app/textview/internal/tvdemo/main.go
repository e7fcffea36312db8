// Command tvdemo shows every .txt file of a folder in a TextView, in a grid,
// with a few highlights, for looking at wrap, Chinese rendering and
// highlight alignment by eye:
//
//	go run ./app/textview/internal/tvdemo /path/to/corpus [dark] [zoom]
package main

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/app/textview"
)

var colours = []color.Color{
	color.NRGBA{R: 255, G: 196, B: 0, A: 255},
	color.NRGBA{R: 0, G: 150, B: 255, A: 255},
	color.NRGBA{R: 230, G: 60, B: 90, A: 255},
	color.NRGBA{R: 40, G: 190, B: 100, A: 255},
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tvdemo FOLDER [dark] [zoom]")
		os.Exit(2)
	}
	dir := os.Args[1]
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "tvdemo: no .txt files in %s\n", dir)
		os.Exit(1)
	}
	sort.Strings(files)
	a := app.NewWithID("org.gloss.tvdemo")
	if len(os.Args) > 2 && os.Args[2] == "dark" {
		a.Settings().SetTheme(&forced{Theme: theme.DefaultTheme(), v: theme.VariantDark})
	} else {
		a.Settings().SetTheme(&forced{Theme: theme.DefaultTheme(), v: theme.VariantLight})
	}
	zoom := float32(1)
	if len(os.Args) > 3 {
		if z, err := strconv.ParseFloat(os.Args[3], 32); err == nil {
			zoom = float32(z)
		}
	}
	w := a.NewWindow("Gloss textview demo")
	status := widget.NewLabel("")
	var cells []fyne.CanvasObject
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(os.Stderr, "tvdemo: %v\n", err)
			continue
		}
		tv := textview.New()
		tv.SetText(string(b))
		tv.SetZoom(zoom)
		tv.SetHighlights(demoHighlights(string(b), i))
		tv.SetFocused(fmt.Sprintf("f%d-1", i))
		name := filepath.Base(f)
		tv.OnSelectionChanged = func(s, e int) {
			status.SetText(fmt.Sprintf("%s: selection [%d, %d) %q", name, s, e, clip(tv.SelectedText())))
		}
		tv.OnHighlightTapped = func(id string) {
			tv.SetFocused(id)
			status.SetText(name + ": tapped " + id)
		}
		hs := demoHighlights(string(b), i)
		next := 0
		tv.OnRune = func(r rune) bool {
			switch r {
			case 'n': // jump to the next highlight, as from an annotation list
				if len(hs) == 0 {
					return false
				}
				h := hs[next%len(hs)]
				next++
				tv.SetFocused(h.ID)
				tv.ScrollToRange(h.Start, h.End)
				status.SetText(name + ": jumped to " + h.ID)
			case 'e': // jump to the end
				tv.ScrollTo(tv.Len())
			default:
				status.SetText(fmt.Sprintf("%s: key %q", name, r))
			}
			return true
		}
		cells = append(cells, container.NewBorder(widget.NewLabel(name), nil, nil, nil, tv))
	}
	grid := container.NewGridWithColumns(3, cells...)
	w.SetContent(container.NewBorder(nil, status, nil, nil, grid))
	w.Resize(fyne.NewSize(1366, 740))
	w.ShowAndRun()
}

// demoHighlights marks a few words of each text, two of them overlapping.
func demoHighlights(text string, n int) []textview.Highlight {
	rs := []rune(text)
	var hs []textview.Highlight
	// Skip the title and blank lines: start in the body.
	start := strings.Index(text, "\n")
	if start < 0 {
		start = 0
	}
	base := len([]rune(text[:start])) + 10
	spans := [][2]int{{base, base + 24}, {base + 16, base + 40}, {base + 120, base + 135}, {base + 300, base + 360}}
	for i, sp := range spans {
		if sp[1] > len(rs) {
			break
		}
		hs = append(hs, textview.Highlight{
			ID: fmt.Sprintf("f%d-%d", n, i), Start: sp[0], End: sp[1], Color: colours[i%len(colours)],
			Tooltip: fmt.Sprintf("Code: demo-%d\nStance: neutral toward US", i),
		})
	}
	return hs
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// forced pins the theme variant so screenshots can show light or dark.
type forced struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (f *forced) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return f.Theme.Color(n, f.v)
}
