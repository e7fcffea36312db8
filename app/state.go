package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"gloss/annotate"
	"gloss/app/session"
)

// State is what the window is looking at: the open session, the source in
// the document, the annotation in the inspector and the document's
// selection. Panels get the State and the few actions they use, never the
// whole Workspace; they learn about changes by listening to it.
type State struct {
	sess     *session.Session
	srcID    string // source shown in the document
	annID    string // annotation shown in the inspector
	selStart int    // current selection in the document (code points)
	selEnd   int

	onAnnotation []func(id string)
	// readRest starts reading every annotation of a paged session (the
	// workspace's loadRest); allRead calls it.
	readRest func(*session.Session)
}

// Session is the open project, or nil.
func (s *State) Session() *session.Session { return s.sess }

// noProject is the index of no project: one, so that with no project
// open Index keeps returning the same index (againstIndex, which plans
// again whenever the index changes, planned without end once the window
// was closed).
var noProject = annotate.NewIndex(&annotate.Project{})

// Index is the open project's index; an empty one when none is open.
func (s *State) Index() *annotate.Index {
	if s.sess == nil {
		return noProject
	}
	return s.sess.Index()
}

// SourceID is the source shown in the document, or "".
func (s *State) SourceID() string { return s.srcID }

// AnnotationID is the annotation shown in the inspector, or "".
func (s *State) AnnotationID() string { return s.annID }

// Annotation is the annotation shown in the inspector, or nil.
func (s *State) Annotation() *annotate.Annotation { return findAnnotation(s.Index(), s.annID) }

// OnAnnotation registers fn to run when another annotation is shown.
func (s *State) OnAnnotation(fn func(id string)) { s.onAnnotation = append(s.onAnnotation, fn) }

// setAnnotation shows annotation id and tells the listeners.
func (s *State) setAnnotation(id string) {
	s.annID = id
	for _, fn := range s.onAnnotation {
		fn(id)
	}
}

// editor is what a dialog that edits the project needs: the state to read,
// the window to put its questions on, and do to apply a change (do shows
// its own errors).
type editor struct {
	st  *State
	win fyne.Window
	do  func(annotate.Change) bool
	// doLarge saves a change that may take seconds off the UI goroutine.
	doLarge func(c annotate.Change, then func(ok bool))
}

func (w *Workspace) editor() editor {
	return editor{st: w.State, win: w.Window, do: w.do, doLarge: w.doLarge}
}

// deleteCode and deleteTarget ask first when the code or target is in use.
func (w *Workspace) deleteCode(id string)   { w.editor().deleteCode(id) }
func (w *Workspace) deleteTarget(id string) { w.editor().deleteTarget(id) }

// reading reports whether the open project's counts are not known yet:
// its annotations are still being read, and it is not paged (a paged
// project's index has the counts of the whole project from the file,
// annotate.Index.WithTotals). Until they are, counts over the index miss
// the sources not shown yet, and the panels show none rather than a short
// one.
func (s *State) reading() bool {
	return s.sess != nil && s.sess.Loading() && !s.sess.Index().HasTotals()
}

// partial reports whether the open project's index holds only some
// sources' annotations (being read, or paged): a list over every source
// would be short. (AllRead closes only after the redraw that follows the
// read, which must already show every row.)
func (s *State) partial() bool { return s.sess != nil && s.sess.Loading() }

// allRead is closed once every annotation of the open project is in its
// index; for a paged project it starts the read of them (readRest).
func (s *State) allRead() <-chan struct{} {
	sess := s.sess
	ch := sess.AllRead()
	if !closed(ch) && s.readRest != nil {
		s.readRest(sess)
	}
	return ch
}

// hold makes sure the index holds a source's annotations (a paged or
// still loading project reads them now), before a change built from them.
func (s *State) hold(srcID string) error {
	if s.sess == nil {
		return nil
	}
	return s.sess.Show(srcID)
}

// waitTexts is waitAllRead for the texts of a large project, which the
// window reads just after its first frame (session.ReadTexts): work that
// reads sources other than the one shown (the side-by-side summary view)
// calls it first.
func (s *State) waitTexts(win fyne.Window, again func()) bool {
	sess := s.sess
	if sess == nil || !sess.TextsPending() {
		return false
	}
	s.waitBusy(win, "Reading the texts", "Waiting until every source's text is read…", sess.ReadTexts, again)
	return true
}

// waitBusy shows a progress dialog on win while wait runs off the UI
// goroutine, then runs again on it if the same project is still open (or
// shows wait's error).
func (s *State) waitBusy(win fyne.Window, title, msg string, wait func() error, again func()) {
	sess := s.sess
	prog := showBusy(title, msg, win)
	go func() {
		err := wait()
		fyne.Do(func() {
			prog.Hide()
			if s.sess != sess {
				return
			}
			if err != nil {
				dialog.ShowError(err, win)
				return
			}
			again()
		})
	}()
}

// readingNote stands for a count over the whole project while reading.
const readingNote = "reading every annotation…"

// waitAllRead reports whether the open project's annotations are still
// being read; if so, again runs on the UI goroutine once they are (if the
// project is still open), with a progress dialog meanwhile. Work over
// every annotation calls it first: built before the read ends, a change
// would miss the annotations of sources not shown yet (deleting a code
// would leave them carrying it, and the save would be refused), a count
// shown to confirm it would be short, and a view over the project
// (figures, timeline, claims, coders) would show part of it.
func (s *State) waitAllRead(win fyne.Window, again func()) bool {
	sess := s.sess
	if sess == nil || closed(s.allRead()) {
		return false
	}
	s.waitBusy(win, "Reading every annotation", "Waiting until every annotation of the project is read…",
		func() error { <-sess.AllRead(); return nil }, again)
	return true
}
