package app

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"gloss/assets"
)

// AppID is Gloss's application ID; Fyne keys preferences and storage on it.
const AppID = "org.glossapp.gloss"

// Run creates the Fyne application and the main window and runs it until
// the window is closed. It is the only code that needs the real driver,
// so everything else is tested with fyne.io/fyne/v2/test.
func Run(cfg Config) {
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("gloss.png", assets.IconPNG))
	ws := newWorkspace(a, cfg, true)
	ws.Window.ShowAndRun()
}
