package app

import (
	"fmt"
	"image"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// processStart is when the app package was initialised, close enough to
// process start for "launch to usable window".
var processStart = time.Now()

// timingOn makes the window log how long opening a project and each
// action took (GLOSS_TIMING=1), for scripts/measure-window.sh.
var timingOn = os.Getenv("GLOSS_TIMING") != ""

// timed logs what took since start, measured on the UI thread up to the
// end of the panels' refresh; Fyne paints the frame right after.
func timed(what string, start time.Time) { timedAt(what, start, time.Now()) }

// timedAt logs what took from start to end.
func timedAt(what string, start, end time.Time) {
	if timingOn {
		fmt.Fprintf(os.Stderr, "timing: %s %.1f ms\n", what, float64(end.Sub(start).Microseconds())/1000)
	}
}

// watchUI logs (GLOSS_TIMING=1) every time the UI goroutine took more than
// 100 ms to take up a queued call: the window was frozen that long, drawing
// nothing and taking no input. Actions log their own time too; this also
// catches work no action owns (a background task's redraw, a long layout).
func watchUI() {
	if !timingOn {
		return
	}
	go func() {
		for {
			time.Sleep(50 * time.Millisecond)
			start := time.Now()
			done := make(chan time.Duration, 1)
			// Timed where it runs: the watcher may itself wait for a
			// processor after the UI goroutine has taken the call.
			fyne.Do(func() { done <- time.Since(start) })
			if d := <-done; d > 100*time.Millisecond {
				// When it began, so a stall can be told from the launch.
				from := start.Sub(processStart)
				fmt.Fprintf(os.Stderr, "timing: UI goroutine busy from %.0f ms: %.1f ms\n", float64(from.Microseconds())/1000, float64(d.Microseconds())/1000)
			}
		}
	}()
}

// paintHook is a one-pixel, transparent object that calls fn once, on the
// UI goroutine right after the frame, the first time it is painted, with
// when it was painted. Fyne has no after-paint callback; a raster's image
// is asked for while the frame is painted. fn may run a frame later than
// that one: Fyne's loop may draw again before it takes queued calls.
func paintHook(fn func(painted time.Time)) fyne.CanvasObject {
	var once sync.Once
	r := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() {
			at := time.Now()
			fyne.Do(func() { fn(at) })
		})
		return image.NewNRGBA(image.Rect(0, 0, 1, 1)) // transparent
	})
	r.Resize(fyne.NewSize(1, 1))
	return container.NewWithoutLayout(r)
}
