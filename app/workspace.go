// Package app is Gloss's main window: the sources list, the document, the
// inspector, the annotations list, and the menus and dialogs around them.
// Every change goes through a session.Session, so it is durable at once and
// undoable. The package never imports Fyne's real driver (cmd/gloss does),
// so it is tested with fyne.io/fyne/v2/test and annotate.MemStore.
package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/app/session"
)

// Config is what the command line hands the window.
type Config struct {
	// Open opens or creates (create=true) a project file; storage.Open in production.
	Open func(path string, create bool) (session.Store, error)
	// Demo returns the path of the demo project, creating it on first use.
	Demo func() (string, error)
	// Path is the project to open; "" = the last project from preferences
	// (key "recent"), else Demo().
	Path string
	// Background reads the first project behind a progress screen, so a
	// large project never keeps the window from appearing (the real app);
	// tests open it at once.
	Background bool
	// Recovery is offered on the screen of a project that cannot be
	// opened; nil hides it. storage provides it in production.
	Recovery *Recovery
	// OpenOther reads another project read-only, for File ▸ Merge project…
	// (app cannot import storage); cli.ReadOtherProject in production.
	OpenOther func(path string) (*annotate.Project, error)

	pre *prefetched // see Prefetch
}

var watchOnce sync.Once

// AppID is Gloss's application ID; Fyne keys preferences and storage on it.
const AppID = "org.glossapp.gloss"

// prefRecent is the preferences key of the recent-projects list, newest first.
const prefRecent = "recent"

const maxRecent = 10

// Workspace is one main window with the project open in it.
type Workspace struct {
	// Window is the main window.
	Window fyne.Window

	// State is what the panels share: session, source, annotation, selection.
	*State
	tag *tagger // the edits the tagging keys and the inspector make

	app  fyne.App
	cfg  Config
	path string // as opened, for the title and the recent list

	lastMsg string // last action, for the status bar

	// figuresOpened, if set, is given each figures view before it
	// computes (tests wait on its computed hook).
	figuresOpened func(*figuresView)
	// timelineOpened and codersOpened, the same for each timeline and
	// coders view.
	timelineOpened func(*timelineView)
	codersOpened   func(*codersView)
	saveErr        error

	text      *docPane
	sources   *sourcesPanel
	inspector *inspector
	annots    *annotationsPanel
	search    *searchPanel
	review    *reviewPanel
	status    *widget.Label
	bottom    *panelTabs

	showSources, showInspector, showList bool
	outer, inner, centre                 *container.Split
	body, frame                          *fyne.Container
	banner                               *fyne.Container // what the user must know about the project
	bannerFor                            string          // the records it names, so redraws skip it

	undoItem, redoItem *fyne.MenuItem
	recentMenu         *fyne.Menu
	mainMenu           *fyne.MainMenu
	viewItems          map[string]*fyne.MenuItem

	noteTimer *time.Timer
	codebook  *codebook
	shortcuts map[string]func()

	afterImport func()           // tests wait on the background import with it
	afterOpen   func()           // and on a background open
	readAll     atomic.Bool      // set once the reading after the first frame is done and redrawn (tests wait on it)
	drawnOnce   bool             // the first project's frame was timed (GLOSS_TIMING)
	trimStop    chan struct{}    // ends trimWhenIdle and repageWhenDone when the window closes
	repageSeen  bool             // maybeRepage found the whole-project work over at its last call
	repaged     func()           // tests wait on maybeRepage with it
	paintWait   *time.Timer      // afterFirstPaint's fallback for a window not painted
	begun       *session.Session // beginReading ran for it
	async       bool             // open the first project in the background
	large       sync.WaitGroup   // large changes saving in the background (inBackground)
	largeUI     time.Duration    // what the last one's end took on the UI goroutine
}

// NewWindow builds the main window and opens the configured project, without
// running the app: cmd/gloss shows it with the real driver, tests drive it
// with fyne.io/fyne/v2/test, so this package never links OpenGL.
func NewWindow(a fyne.App, cfg Config) *Workspace { return newWorkspace(a, nil, cfg) }

// newWorkspace builds the workspace in win, or in a new window when win is
// nil.
func newWorkspace(a fyne.App, win fyne.Window, cfg Config) *Workspace {
	if cfg.Background {
		watchOnce.Do(watchUI)
	}
	w := buildWorkspace(&Workspace{app: a, Window: win, cfg: cfg, showSources: true, showInspector: true, showList: true, async: cfg.Background})
	if cfg.Background {
		w.trimStop = make(chan struct{})
		go trimWhenIdle(w.trimStop)
		go w.repageWhenDone(w.trimStop)
	}
	return w
}

func buildWorkspace(w *Workspace) *Workspace {
	if w.State == nil {
		w.State = &State{}
		w.State.readRest = w.loadRest
	}
	a := w.app
	// Run made the window and set the theme before the window ran:
	// setting it again now would drop the fonts it loaded.
	if w.Window == nil {
		w.Window = a.NewWindow("Gloss")
		w.Window.Resize(windowSize)
		w.applyTheme(a.Preferences().StringWithFallback("theme", "system"))
	}
	w.buildUI()
	w.buildMenus()
	w.bindKeys()
	w.Window.SetOnDropped(w.dropped)
	w.Window.SetOnClosed(func() {
		if w.trimStop != nil {
			close(w.trimStop)
		}
		if w.paintWait != nil {
			w.paintWait.Stop()
		}
		w.flushNote()
		if w.sess != nil {
			_ = w.sess.Close()
			w.sess = nil // a background read that ends later finds no session
		}
	})
	w.openInitial()
	return w
}

// initialPath is the project a new window opens: the one asked for, else
// the most recent; "" when there is neither.
func initialPath(a fyne.App, cfg *Config) string {
	if cfg.Path != "" {
		return cfg.Path
	}
	if rec := a.Preferences().StringList(prefRecent); len(rec) > 0 {
		return rec[0]
	}
	return ""
}

// prefetched is the first project, opened while the window is built.
type prefetched struct {
	path string
	done chan struct{}
	st   session.Store
	sess *session.Session
	err  error
}

// Prefetch starts opening the project a window made with cfg will show
// first, so reading it overlaps Fyne's start (building the window takes
// a few hundred milliseconds on the UI thread, which reading a large
// project's head need not wait for). Call it before NewWindow with the
// same cfg; only a window that opens in the background uses it. The
// background read of every annotation starts once the window shows the
// project, not before, so it does not compete with the window's start.
func Prefetch(a fyne.App, cfg *Config) {
	path := initialPath(a, cfg)
	if path == "" || !cfg.Background || cfg.Open == nil {
		return
	}
	pf := &prefetched{path: path, done: make(chan struct{})}
	cfg.pre = pf
	go func() {
		defer close(pf.done)
		w := &Workspace{cfg: *cfg}
		pf.st, pf.err = w.openStore(path, false)
		timed("file opened since launch", processStart)
		if pf.err != nil {
			return
		}
		pf.sess, pf.err = session.Prepare(pf.st)
		if pf.err != nil {
			_ = pf.st.Close()
		}
	}()
}

func (w *Workspace) openInitial() {
	path := initialPath(w.app, &w.cfg)
	if path == "" && w.cfg.Demo != nil {
		p, err := w.cfg.Demo()
		if err != nil {
			w.showWelcome("", fmt.Errorf("could not create the demo project: %w", err))
			return
		}
		path = p
	}
	if path == "" {
		w.showWelcome("", nil)
		return
	}
	if w.async {
		w.Window.SetContent(container.NewCenter(widget.NewLabel("Opening " + filepath.Base(path) + "…")))
		w.openPath(path, false)
		return
	}
	st, err := w.openStore(path, false)
	if err != nil {
		w.showWelcome(path, err)
		return
	}
	w.install(st, path)
}

func (w *Workspace) openStore(path string, create bool) (st session.Store, err error) {
	if w.cfg.Open == nil {
		return nil, errors.New("no project store is configured")
	}
	// A broken file must never take the window down with it.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: %v", path, r)
		}
	}()
	return w.cfg.Open(path, create)
}

// install makes st the open project, closing the previous one.
func (w *Workspace) install(st session.Store, path string) {
	sess, err := w.openSession(st)
	if err != nil {
		_ = st.Close()
		w.openFailed(path, err)
		return
	}
	w.installSession(sess, path)
}

// openSession opens a project so that the window shows it before every
// annotation is read (a project file); installSession starts that read.
func (w *Workspace) openSession(st session.Store) (*session.Session, error) {
	return session.Prepare(st)
}

// loadRest reads every annotation of sess in the background; when they
// arrive, every panel is redrawn.
func (w *Workspace) loadRest(sess *session.Session) {
	sess.Background = goBackground
	sess.LoadRest(func(err error) {
		fyne.Do(func() {
			if w.sess != sess {
				return // another project was opened meanwhile
			}
			if err != nil {
				w.showError(fmt.Errorf("could not read every annotation of %s: %w", filepath.Base(sess.Path()), err))
				return
			}
			w.lastMsg = "Read every annotation"
			w.refresh()
			timed("every annotation read since launch", processStart)
			w.readAll.Store(true)
		})
	})
}

// beginReading starts what a window reads after its first frame of sess:
// every annotation in the background (loadRest), or, for a large project,
// its counts (session.ReadTotals) while every annotation is read only when
// work over the whole project needs it (State.allRead). It runs once per
// session.
func (w *Workspace) beginReading(sess *session.Session) {
	if w.begun == sess {
		return
	}
	w.begun = sess
	// A large project opens paged: its window reads the sources it shows
	// and the project's counts, not every annotation. Holding the 200,000
	// annotations of 10,000 sources took 80 MB of a window's 160 MB live
	// heap.
	if len(sess.Index().P.Sources) < session.LargeProject {
		w.loadRest(sess)
		return
	}
	goBackground(func() {
		// The texts first: until then only the sources shown have theirs.
		err := sess.ReadTexts()
		paged := false
		if err == nil {
			paged, err = sess.ReadTotals()
		}
		fyne.Do(func() {
			if w.sess != sess {
				return
			}
			if err != nil || !paged {
				// Read whole instead: that read reports what is wrong.
				w.loadRest(sess)
				return
			}
			// The counts changed, not the sources: the sources list,
			// the costliest to redraw, stays.
			w.refreshPanels(false)
			timed("project's counts read since launch", processStart)
		})
		if err != nil || !paged {
			return
		}
		// Damaged annotation records are named in the banner, as the
		// read of every annotation would.
		n, err := sess.FindUnreadable()
		if w.cfg.Background {
			// The launch's reading is over: hand back now the pages its
			// garbage took (30-60 MB at 10,000 sources), not after the
			// idle trim's two quiet seconds.
			trimSoon()
		}
		fyne.Do(func() {
			if w.sess != sess {
				return
			}
			if err != nil {
				w.showError(fmt.Errorf("could not check the annotations of %s: %w", filepath.Base(sess.Path()), err))
			} else if n > 0 {
				w.refreshPanels(false) // the banner names them
			}
			timed("every annotation checked since launch", processStart)
			w.readAll.Store(true)
		})
	})
}

// closePrefetched closes a prefetched project nobody will show.
func closePrefetched(pf *prefetched) {
	<-pf.done
	if pf.sess != nil {
		_ = pf.sess.Close()
	}
}

// openFailed reports a project that could not be opened: in a dialog over
// the open project, or on the welcome screen when there is none.
func (w *Workspace) openFailed(path string, err error) {
	if !strings.Contains(err.Error(), path) { // storage's errors already name the file
		err = fmt.Errorf("%s: %w", path, err)
	}
	if w.sess == nil {
		w.showWelcome(path, err)
		return
	}
	if ways := w.recovery().buttons(path); len(ways) > 0 {
		body := container.NewVBox(wrapLabel(err.Error()), container.NewHBox(ways...))
		d := dialog.NewCustom("The project could not be opened", "Close", body, w.Window)
		d.Resize(fitSize(w.Window, 560, 240))
		d.Show()
		return
	}
	w.showError(err)
}

// installSession shows an opened session in the window.
func (w *Workspace) installSession(sess *session.Session, path string) {
	w.flushNote()
	if w.sess != nil {
		_ = w.sess.Close()
	}
	w.sess = sess
	if sess.Author == "" {
		sess.Author = userName()
	}
	w.path = path
	w.srcID, w.annID, w.selStart, w.selEnd = "", "", 0, 0
	w.text.show(sess.Index(), "")
	w.saveErr = nil
	w.lastMsg = "Opened " + filepath.Base(path)
	sess.OnChange(func(c annotate.Change) {
		if w.sess == sess {
			w.refreshAfter(c)
		}
	})
	w.addRecent(path)
	w.Window.SetTitle(projectTitle(path) + " — Gloss")
	w.layoutBody()
	idx := sess.Index()
	if srcs := w.sources.sorted(idx); len(srcs) > 0 {
		w.selectSource(srcs[0].ID)
	} else {
		w.refresh()
	}
	timed("shown "+filepath.Base(path)+" since launch", processStart)
	w.afterFirstPaint(sess, path)
}

// afterFirstPaint starts the background read of a lazily opened
// project's annotations once the window has painted the project, and logs
// (GLOSS_TIMING) when the first project was drawn ("shown" is logged
// before Fyne lays out and paints the frame). Started with the panels'
// refresh, the read's decoding and the collections it caused took
// processors from the first paint of a 10,000-source project: shown to
// drawn 318–421 ms, against 169–331 ms when it starts after the frame (5
// launches each); every annotation is read about 0.2 s later. A window
// that is not painted (minimised) starts it after a second. Tests, without
// the real window's background work, start it at once.
func (w *Workspace) afterFirstPaint(sess *session.Session, path string) {
	if !w.cfg.Background {
		w.beginReading(sess)
		return
	}
	// Called by the paint and by the timer: beginReading starts once.
	start := func() {
		fyne.Do(func() {
			if w.sess == sess {
				w.beginReading(sess)
			}
		})
	}
	if w.paintWait != nil {
		w.paintWait.Stop()
	}
	w.paintWait = time.AfterFunc(time.Second, start)
	first := timingOn && !w.drawnOnce
	w.drawnOnce = true
	// Gone with the next layoutBody; it is only for this frame.
	w.body.Add(paintHook(func(painted time.Time) {
		if first {
			// Painted: the frame's objects were drawn (the swap to the
			// screen follows); drawn: the UI goroutine took the call
			// after it, sometimes a frame later.
			timedAt("painted "+filepath.Base(path)+" since launch", processStart, painted)
			timed("drawn "+filepath.Base(path)+" since launch", processStart)
		}
		start()
	}))
}

// userName is recorded as the author of new annotations.
func userName() string {
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := strings.TrimSpace(os.Getenv(k)); v != "" {
			return v
		}
	}
	return ""
}

func projectTitle(path string) string {
	if path == "" {
		return "Untitled"
	}
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// showWelcome replaces the window's content with the choices a user has
// when no project is open: the app never exits because a file is bad.
func (w *Workspace) showWelcome(path string, err error) {
	msg := "Open a project, create a new one, or explore the demo project."
	ways := w.recovery().buttons(path)
	if err != nil {
		msg = "The project could not be opened:\n" + err.Error() + "\n\n" + msg
		if len(ways) == 0 {
			w.showError(err)
		}
	}
	lbl := widget.NewLabel(msg)
	lbl.Wrapping = fyne.TextWrapWord
	lbl.Alignment = fyne.TextAlignCenter
	title := widget.NewLabelWithStyle("Gloss", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	buttons := container.NewHBox(
		widget.NewButtonWithIcon("Open project…", theme.FolderOpenIcon(), w.openDialog),
		widget.NewButtonWithIcon("New project…", theme.DocumentCreateIcon(), w.newProjectDialog),
		widget.NewButtonWithIcon("Open demo project", theme.HelpIcon(), w.openDemo),
	)
	box := container.NewVBox(title, container.NewGridWrap(fyne.NewSize(520, 120), lbl), container.NewCenter(buttons))
	if err != nil && len(ways) > 0 {
		hint := widget.NewLabelWithStyle("If the file is damaged, put a backup back or copy out what can still be read:", fyne.TextAlignCenter, fyne.TextStyle{})
		box.Add(widget.NewSeparator())
		box.Add(hint)
		box.Add(container.NewCenter(container.NewHBox(ways...)))
	}
	if rec := w.recent(); len(rec) > 0 {
		box.Add(widget.NewLabelWithStyle("Recent projects", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
		for i, p := range rec {
			if i == 5 {
				break
			}
			p := p
			b := widget.NewButton(p, func() { w.openPath(p, false) })
			b.Importance = widget.LowImportance
			box.Add(b)
		}
	}
	w.Window.SetContent(container.NewCenter(box))
}

func (w *Workspace) openDemo() {
	if w.cfg.Demo == nil {
		w.showError(errors.New("this build has no demo project"))
		return
	}
	p, err := w.cfg.Demo()
	if err != nil {
		w.showError(fmt.Errorf("demo project: %w", err))
		return
	}
	w.openPath(p, false)
}

// openPath opens a project in the background, showing progress, and
// installs it on the UI goroutine.
// then runs after a successful open.
func (w *Workspace) openPath(path string, create bool, then ...func()) {
	if w.sess != nil && path == w.path && !create {
		return
	}
	pf := w.cfg.pre
	w.cfg.pre = nil // used once, by the first open
	if pf != nil && pf.path == path && !create && closed(pf.done) {
		// Read while the window was being made: shown in this frame,
		// without a frame of progress first.
		timed("project read since launch", processStart)
		w.opened(path, pf.sess, pf.err, nil, then)
		return
	}
	prog := showBusy("Opening project", filepath.Base(path), w.Window)
	go func() {
		var sess *session.Session
		var err error
		if pf != nil && pf.path == path && !create {
			<-pf.done
			sess, err = pf.sess, pf.err
		} else {
			if pf != nil {
				go closePrefetched(pf) // another project was asked for first
			}
			var st session.Store
			st, err = w.openStore(path, create)
			timed("file opened since launch", processStart)
			if err == nil {
				if sess, err = session.Prepare(st); err != nil {
					_ = st.Close()
				}
			}
		}
		timed("project read since launch", processStart)
		fyne.Do(func() { w.opened(path, sess, err, prog, then) })
	}()
}

// opened shows a project openPath has opened (or why it could not), on
// the UI goroutine.
func (w *Workspace) opened(path string, sess *session.Session, err error, prog *busy, then []func()) {
	if w.afterOpen != nil {
		defer w.afterOpen()
	}
	if prog != nil {
		prog.Hide()
	}
	if err != nil {
		w.openFailed(path, err)
		return
	}
	w.installSession(sess, path)
	for _, fn := range then {
		fn()
	}
}

// closed reports whether ch is closed, without waiting.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func (w *Workspace) recent() []string {
	return w.app.Preferences().StringList(prefRecent)
}

func (w *Workspace) addRecent(path string) {
	if path == "" {
		return
	}
	list := []string{path}
	for _, p := range w.recent() {
		if p != path && p != "" && len(list) < maxRecent {
			list = append(list, p)
		}
	}
	w.app.Preferences().SetStringList(prefRecent, list)
	w.refreshRecentMenu()
}

// do applies one user action; errors are shown, never fatal.
func (w *Workspace) do(c annotate.Change) bool {
	if w.sess == nil {
		return false
	}
	defer timed("do "+c.Label, time.Now())
	if err := w.sess.Do(c); err != nil {
		w.saveErr = err
		w.showError(err)
		w.refreshStatus()
		return false
	}
	w.saveErr = nil
	w.lastMsg = c.Label
	w.refreshStatus()
	return true
}

// doLarge is do for a change that may take seconds to save (an import,
// a merge): it is saved and indexed off the UI goroutine behind a progress
// dialog, so the window never freezes on it, and the panels are redrawn on
// the UI goroutine once it is done; then follows with whether it was saved.
// A window opened in the foreground (tests) saves at once, as do does.
func (w *Workspace) doLarge(c annotate.Change, then func(ok bool)) {
	if !w.async || w.sess == nil {
		then(w.do(c))
		return
	}
	w.inBackground("Saving", c.Label, "do "+c.Label, func(s *session.Session) (string, annotate.Change, error) {
		done, err := s.Apply(c)
		return c.Label, done, err
	}, func(_ string, err error, closed bool) {
		switch {
		case closed:
			then(false) // the project was closed meanwhile; the change is in its file
		case err != nil:
			w.saveErr = err
			w.showError(err)
			w.refreshStatus()
			then(false)
		default:
			w.saveErr = nil
			w.lastMsg = c.Label
			w.refreshStatus()
			then(true)
		}
	})
}

// inBackground saves a large change (save: an import, a merge, or one
// undone) off the UI goroutine behind a progress dialog, so the window
// never freezes on it; then, on the UI goroutine, tells the panels what
// was written and calls then with save's label and error, or with closed
// set if the project was closed meanwhile (the change is in its file).
func (w *Workspace) inBackground(title, what, timing string, save func(*session.Session) (string, annotate.Change, error),
	then func(label string, err error, closed bool)) {
	sess := w.sess
	prog := showBusy(title, what, w.Window)
	start := time.Now()
	w.large.Add(1)
	goBackground(func() {
		defer w.large.Done()
		restore := raiseMemoryLimit(importMemory)
		label, done, err := save(sess)
		fyne.Do(func() {
			// The limit comes down once the panels have let go of the
			// change, and off the UI goroutine: lowered under what the
			// change still held live, the collector ran without pause
			// and the panels' refresh paid for it (0.5 s).
			defer func() { go restore() }()
			prog.Hide()
			if w.sess != sess {
				then(label, err, true)
				return
			}
			ui := time.Now()
			sess.Notify(done)
			then(label, err, false)
			w.largeUI = time.Since(ui)
			timed(timing, start)
			timed("  of which on the UI goroutine", ui)
		})
	})
}

func (w *Workspace) undo() { w.step(true) }

func (w *Workspace) redo() { w.step(false) }

// largeStep is the size (records) from which an undo or redo is saved in
// the background: undoing an import of 10,000 sources took 8.5 s on the
// UI goroutine; a tag is a record or two.
const largeStep = 2000

// step undoes (or redoes) the last action. A note still being typed is
// saved first: it is an edit the user made, and the step must not drop it.
// A large one is saved in the background, as doLarge saves the change.
func (w *Workspace) step(undo bool) {
	if w.sess == nil {
		return
	}
	w.flushNote()
	s := w.sess
	name, title, size, run, quiet := "redo", "Redoing", s.RedoSize, s.Redo, (*session.Session).RedoQuiet
	if undo {
		name, title, size, run, quiet = "undo", "Undoing", s.UndoSize, s.Undo, (*session.Session).UndoQuiet
	}
	if w.async && size() >= largeStep {
		w.inBackground(title, title+" the last action…", name+" (in the background)", quiet,
			func(label string, err error, closed bool) {
				if !closed {
					w.stepped(undo, label, err)
				}
			})
		return
	}
	defer timed(name, time.Now())
	label, err := run()
	w.stepped(undo, label, err)
}

// stepped says in the status bar what an undo or redo did.
func (w *Workspace) stepped(undo bool, label string, err error) {
	switch {
	case errors.Is(err, session.ErrNothing) && undo:
		w.lastMsg = "Nothing to undo"
	case errors.Is(err, session.ErrNothing):
		w.lastMsg = "Nothing to redo"
	case errors.Is(err, session.ErrBusy):
		w.lastMsg = "Still saving the last undo or redo"
	case err != nil:
		w.showError(err)
	case undo:
		w.lastMsg = "Undone: " + label
	default:
		w.lastMsg = "Redone: " + label
	}
	w.refreshStatus()
}

// waitLarge waits for the large changes saving in the background.
func (w *Workspace) waitLarge() { w.large.Wait() }

func (w *Workspace) showError(err error) {
	if err == nil {
		return
	}
	dialog.ShowError(err, w.Window)
}

func (w *Workspace) index() *annotate.Index { return w.Index() }

// status shows a message in the status bar.
func (w *Workspace) setStatus(msg string) {
	w.lastMsg = msg
	w.refreshStatus()
}

// buildUI creates the panels once; layoutBody arranges them.
func (w *Workspace) buildUI() {
	w.tag = &tagger{State: w.State, do: w.do, showError: w.showError, status: w.setStatus,
		shown: func(id string) {
			w.text.tv.SetFocused(id)
			w.inspector.refresh(w.index())
		},
		resync: func() { w.inspector.syncStanceRadio() }}
	w.status = widget.NewLabel("")
	w.status.Truncation = fyne.TextTruncateEllipsis
	w.sources = newSourcesPanel(w.State, sourceActions{show: w.selectSource, typedRune: w.tag.typedRune, importDlg: w.importDialog})
	w.text = newDocPane(w.State, docActions{details: w.sourceDetails, selected: w.selectionChanged, focus: w.focusAnnotation,
		remove: w.deleteAnnotation, typedRune: w.tag.typedRune, shortcut: w.runShortcut, help: w.showShortcuts,
		search: w.projectSearch, prefs: w.app.Preferences(), canvas: w.Window.Canvas()})
	w.inspector = newInspector(w.State, inspectorActions{selection: w.tag.trimmedSelection, highlight: w.tag.highlightSelection,
		remove: w.deleteAnnotation, addCode: w.tag.addCodeByName, toggleCode: w.tag.toggleCode, setStance: w.tag.setStance,
		dropStance: w.tag.removeStance, credibility: w.tag.setCredibility, noteTyped: w.scheduleNoteSave})
	order := func(idx *annotate.Index) []*annotate.Source { return w.sources.sorted(idx) }
	w.annots = newAnnotationsPanel(w.State, annotationActions{order: order, focus: w.focusAnnotation,
		remove: w.deleteAnnotation, typedRune: w.tag.typedRune, counted: w.annotationCount})
	w.search = newSearchPanel(w.State, order, w.showPassage)
	w.review = newReviewPanel(w.State, reviewActions{ed: w.editor(), order: order, focus: w.focusAnnotation,
		selection: w.tag.trimmedSelection, remove: w.deleteAnnotation, counted: w.reviewCount, show: w.showPassage})
	w.bottom = newPanelTabs([]string{"Annotations", "Search results", "Needs review"},
		w.annots.root, w.search.root, w.review.root)
	w.outer = container.NewHSplit(w.sources.root, widget.NewLabel(""))
	w.outer.Offset = 0.2
	w.centre = container.NewVSplit(w.text.root, w.bottom.root)
	w.centre.Offset = 0.68
	w.inner = container.NewHSplit(w.centre, w.inspector.root)
	w.inner.Offset = 0.72
	w.body = container.NewStack()
	statusBar := container.NewBorder(widget.NewSeparator(), nil, nil, nil, w.status)
	w.banner = container.NewVBox()
	w.banner.Hide()
	w.frame = container.NewBorder(w.banner, statusBar, nil, nil, w.body)
}

// annotationCount shows how many annotations the list holds on its tab
// (n < 0: not known yet, while every annotation is being read).
func (w *Workspace) annotationCount(n int) {
	title := fmt.Sprintf("Annotations (%d)", n)
	if n < 0 {
		title = "Annotations (…)"
	}
	if w.bottom != nil {
		w.bottom.setTitle(w.annots.root, title)
	}
}

// showPassage shows a passage of a source in the document, selected.
func (w *Workspace) showPassage(src string, start, end int) {
	w.selectSource(src)
	w.text.tv.SetSelection(start, end)
	w.text.tv.ScrollToRange(start, end)
}

// layoutBody arranges the panels the user has chosen to show.
func (w *Workspace) layoutBody() {
	// The body's refresh below reaches every split in the chain, and a
	// split's refresh takes its new halves and refreshes them: refreshing
	// each split here as well refreshed the document and the lists four
	// times, the inspector three (every button's icon decoded again each
	// time: 50–70 ms of a launch).
	var centre fyne.CanvasObject = w.text.root
	if w.showList {
		w.centre.Leading, w.centre.Trailing = w.text.root, w.bottom.root
		centre = w.centre
	}
	right := centre
	if w.showInspector {
		w.inner.Leading, w.inner.Trailing = centre, w.inspector.root
		right = w.inner
	}
	all := right
	if w.showSources {
		w.outer.Leading, w.outer.Trailing = w.sources.root, right
		all = w.outer
	}
	w.body.Objects = []fyne.CanvasObject{all}
	w.body.Refresh()
	if w.Window.Content() != w.frame {
		w.Window.SetContent(w.frame)
	}
}

// refreshAfter redraws after a change; the sources list only when the
// change touched sources, as it is the costliest list to redraw.
func (w *Workspace) refreshAfter(c annotate.Change) {
	for _, t := range c.SetTexts {
		if t.SourceID == w.srcID { // an edit, a replace, or its undo
			keepPlace(w.text.tv, func() { w.text.show(w.index(), w.srcID) })
			w.selStart, w.selEnd = 0, 0 // offsets into the old text
			break
		}
	}
	w.refreshPanels(len(c.PutSources) > 0 || len(c.DelSources) > 0 || len(c.SetTexts) > 0)
}

// refresh redraws every panel from the session's current index.
func (w *Workspace) refresh() { w.refreshPanels(true) }

func (w *Workspace) refreshPanels(sources bool) {
	idx := w.index()
	if w.srcID != "" && !idx.HasSource(w.srcID) {
		w.srcID = ""
		w.text.show(idx, "")
	}
	if w.annID != "" && !annotationExists(idx, w.annID) {
		w.annID = ""
	}
	if sources {
		w.sources.refresh(idx)
	}
	w.text.refreshHighlights(idx)
	w.inspector.refresh(idx)
	w.annots.refresh(idx)
	w.review.refresh(idx)
	if w.codebook != nil {
		w.codebook.refresh(idx)
	}
	w.refreshStatus()
	w.refreshBanner()
}

// refreshBanner warns, above everything, when records of the project could
// not be read: the window shows the rest, and the user should know what is
// missing and how to get it back.
func (w *Workspace) refreshBanner() {
	var bad []string
	if w.sess != nil {
		bad = w.index().P.Unreadable
	}
	key := w.path + "\x00" + strings.Join(bad, "\x00")
	if key == w.bannerFor {
		return
	}
	w.bannerFor = key
	if len(bad) == 0 {
		w.banner.Objects = nil
		w.banner.Hide()
		return
	}
	msg := fmt.Sprintf("⚠ %s could not be read and %s not shown: %s", plural(len(bad), "record"), map[bool]string{true: "is", false: "are"}[len(bad) == 1], listSome(bad, 3))
	lbl := widget.NewLabel(msg)
	lbl.Importance = widget.WarningImportance
	lbl.Truncation = fyne.TextTruncateEllipsis
	details := widget.NewButton("Details", func() {
		dialog.ShowCustom("Unreadable records", "Close", container.NewVScroll(wrapLabel(
			"These records are damaged in the file and were skipped; everything else opened normally:\n• "+strings.Join(bad, "\n• ")+
				"\n\nSalvage copies every readable record into a new project, or restore the file from a backup.")), w.Window)
	})
	right := container.NewHBox(details)
	if w.cfg.Recovery != nil && w.cfg.Recovery.Salvage != nil && w.path != "" {
		path := w.path
		right.Add(widget.NewButton("Salvage…", func() { w.recovery().salvageDialog(path) }))
	}
	w.banner.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, nil, right, lbl), widget.NewSeparator()}
	w.banner.Show()
	w.banner.Refresh()
}

// listSome names the first n items and counts the rest.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}

func annotationExists(idx *annotate.Index, id string) bool {
	return findAnnotation(idx, id) != nil
}

func findAnnotation(idx *annotate.Index, id string) *annotate.Annotation { return idx.Annotation(id) }

// sourceAnnotations copies out a source's annotations, for use cases that
// take records by value.
func sourceAnnotations(idx *annotate.Index, id string) []annotate.Annotation {
	list := idx.Annotations(id)
	out := make([]annotate.Annotation, len(list))
	for i, a := range list {
		out[i] = *a
	}
	return out
}

func (w *Workspace) refreshStatus() {
	if w.status == nil {
		return
	}
	idx := w.index()
	n := len(idx.Annotations(w.srcID))
	parts := []string{
		plural(len(idx.P.Sources), "source"),
		plural(idx.AnnotationCount(), "annotation") + fmt.Sprintf(" (%d here)", n),
		plural(len(idx.P.Codes), "code"),
	}
	if w.reading() {
		parts[1] = fmt.Sprintf("reading annotations… (%d here)", n)
	}
	save := "All changes saved"
	switch {
	case w.sess == nil:
		save = "No project open"
	case w.saveErr != nil:
		save = "NOT SAVED: " + w.saveErr.Error()
	case w.sess.Path() == "":
		save = "In memory only (not saved to a file)"
	}
	s := strings.Join(parts, " · ") + "  —  " + save
	if w.lastMsg != "" {
		s += "  —  " + w.lastMsg
	}
	w.status.SetText(s)
	w.refreshUndoMenu()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// selectSource shows a source in the document.
func (w *Workspace) selectSource(id string) {
	w.flushNote()
	if w.sess != nil {
		if err := w.sess.Show(id); err != nil {
			w.showError(err)
		}
	}
	idx := w.index()
	if id != w.srcID {
		w.srcID = id
		w.annID = ""
		w.selStart, w.selEnd = 0, 0
		w.text.show(idx, id)
	}
	w.sources.markSelected(id)
	w.refresh()
}

// focusAnnotation shows an annotation in the document and the inspector.
func (w *Workspace) focusAnnotation(id string, scroll bool) {
	idx := w.index()
	a := findAnnotation(idx, id)
	if a == nil {
		return
	}
	if a.SourceID != w.srcID {
		w.selectSource(a.SourceID)
	}
	w.flushNote()
	w.setAnnotation(id)
	w.text.tv.SetFocused(id)
	if scroll {
		w.text.tv.ScrollToRange(a.Selector.Start, a.Selector.End)
	}
	w.inspector.refresh(idx)
}
