// Command gloss is the Gloss desktop app and its headless command line.
//
//	gloss                  open the last project, or the demo on first start
//	gloss PROJECT.gloss    open that project (file managers call it this way)
//	gloss import|list|annotate|export|check|link ... --db FILE
package main

import (
	"os"
	"path/filepath"

	"gloss/app"
	"gloss/app/session"
	"gloss/cmd/gloss/cli"
	"gloss/cmd/gloss/internal/winconsole"
	"gloss/storage"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && cli.IsCommand(args[0]) {
		winconsole.Attach()
		os.Exit(cli.Run(args, os.Stdout, os.Stderr))
	}
	cfg := app.Config{Open: open, Demo: demoPath}
	if len(args) > 0 {
		cfg.Path = args[0]
	}
	app.Run(cfg)
}

// open is the one place the GUI reaches storage: a project opened in the
// window gets a hot backup, and waits at most a second for another Gloss.
func open(path string, create bool) (session.Store, error) {
	return storage.Open(path, storage.Options{Create: create, Backup: true})
}

// demoPath creates the demo project in the user's config folder on first use.
func demoPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "gloss")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "Demo"+storage.Extension)
	return path, cli.CreateDemo(path)
}
