// Command gloss is the Gloss desktop app and its headless command line.
//
//	gloss                  open the last project, or the demo on first start
//	gloss PROJECT.gloss    open that project (file managers call it this way)
//	gloss import|list|annotate|export|check|link ... --db FILE
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"gloss/app"
	"gloss/app/session"
	"gloss/assets"
	"gloss/cmd/gloss/cli"
	"gloss/cmd/gloss/internal/winconsole"
	"gloss/storage"
)

func main() {
	args := os.Args[1:]
	if !cli.OpensWindow(args, isFile) {
		winconsole.Attach()
		os.Exit(cli.Run(args, os.Stdout, os.Stderr))
	}
	if msg := noDisplay(runtime.GOOS, os.Getenv); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
	softMemoryLimit(os.Getenv)
	stopMeasuring := startMeasuring(os.Getenv)
	if path := os.Getenv("GLOSS_MEMPROFILE"); path != "" {
		heapProfileOnSignal(path)
	}
	cfg := app.Config{Open: open, Demo: demoPath, Background: true, Recovery: recovery(), OpenOther: cli.ReadOtherProject}
	if len(args) > 0 {
		cfg.Path = args[0]
	}
	code := runWindow(cfg, os.Stderr)
	stopMeasuring()
	os.Exit(code)
}

// startMeasuring starts what the environment asks for measuring the
// window (scripts/measure-window.sh): GLOSS_CPUPROFILE=FILE, a CPU
// profile; GLOSS_TRACE=FILE, an execution trace. The returned func writes
// them out; so does a SIGTERM or interrupt, which is how the script ends
// the window.
func startMeasuring(getenv func(string) string) (stop func()) {
	var stops []func()
	if path := getenv("GLOSS_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			stops = append(stops, pprof.StopCPUProfile)
		}
	}
	if path := getenv("GLOSS_TRACE"); path != "" {
		// For the window's stalls (go tool trace).
		if f, err := os.Create(path); err == nil && trace.Start(f) == nil {
			stops = append(stops, trace.Stop)
		}
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			for _, s := range stops {
				s()
			}
		})
	}
	if len(stops) > 0 {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
		go func() {
			<-sig
			stop()
			os.Exit(1)
		}()
	}
	return stop
}

// windowMemoryLimit is the heap size the window's garbage collector aims
// to stay under. Reading a large project makes a lot of short-lived
// garbage (decoding, the background backup's check); with Go's default
// pacing the heap doubles over what is live, so a 10,000-source project
// sat at 0.7–1.1 GiB resident while holding about 160 MiB. The limit is
// soft: when more is live, Go uses more rather than fail.
const windowMemoryLimit = 256 << 20

// softMemoryLimit sets windowMemoryLimit unless GOMEMLIMIT says otherwise.
func softMemoryLimit(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(windowMemoryLimit)
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// noDisplay is the one-line reason the window cannot start, or "". Only on
// Linux and the BSDs is a missing display knowable up front; elsewhere the
// recover in runWindow catches a driver that fails.
func noDisplay(goos string, getenv func(string) string) string {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
	default:
		return ""
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return "gloss: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); the command line works without one: gloss help"
}

// runWindow shows the main window until it is closed and returns the exit
// code. The graphics driver panics when it cannot start (no display, no
// OpenGL); that is reported in one line instead of a stack trace.
func runWindow(cfg app.Config, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "gloss: the window could not start: %v\n", r)
			code = 1
		}
	}()
	go warmFonts()
	a := fyneapp.NewWithID(app.AppID)
	a.SetIcon(fyne.NewStaticResource("gloss-256.png", assets.IconPNG))
	app.Prefetch(a, &cfg)
	app.Run(a, cfg)
	return 0
}

// open is the one place the GUI reaches storage: a project opened in the
// window gets a hot backup, and waits at most a second for another Gloss.
func open(path string, create bool) (session.Store, error) {
	return storage.Open(path, storage.Options{Create: create, Backup: true, Around: app.InBackground})
}

// recovery hands the window storage's ways back from a damaged project.
func recovery() *app.Recovery {
	return &app.Recovery{
		Backups: func(project string) ([]app.BackupInfo, error) {
			list, err := storage.ListBackups(project)
			out := make([]app.BackupInfo, len(list))
			for i, b := range list {
				out[i] = app.BackupInfo{Path: b.Path, Time: b.Time, Sources: b.Sources, Annotations: b.Annotations, OK: b.OK, Problem: b.Problem}
			}
			return out, err
		},
		Restore: storage.Restore,
		Salvage: func(project, dst string) (app.SalvageInfo, error) {
			r, err := storage.Salvage(project, dst)
			return app.SalvageInfo{To: r.To, Kept: r.Kept, Lost: r.Lost, Problems: r.Problems}, err
		},
	}
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
