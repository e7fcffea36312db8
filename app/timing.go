package app

import (
	"fmt"
	"os"
	"time"
)

// processStart is when the app package was initialised, close enough to
// process start for "launch to usable window".
var processStart = time.Now()

// timingOn makes the window log how long opening a project and each
// action took (GLOSS_TIMING=1), for scripts/measure-window.sh.
var timingOn = os.Getenv("GLOSS_TIMING") != ""

// timed logs what took since start, measured on the UI thread up to the
// end of the panels' refresh; Fyne paints the frame right after.
func timed(what string, start time.Time) {
	if timingOn {
		fmt.Fprintf(os.Stderr, "timing: %s %.1f ms\n", what, float64(time.Since(start).Microseconds())/1000)
	}
}
