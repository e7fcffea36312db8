// Package session is the one adapter between the project store and the
// widgets: it applies every user action as one durable change, keeps an
// in-memory copy of the project for the panels to read, holds the undo and
// redo stacks, and tells listeners when anything changed. It does not
// import Fyne, so its logic is tested without a display.
package session

import (
	"errors"
	"slices"
	"sync"

	"gloss/annotate"
)

// Store is what a session needs of a project file; storage.Store and the
// in-memory annotate.MemStore (used by tests) both satisfy it.
type Store interface {
	// Commit applies a change durably through annotate.Apply and returns
	// what was written (Done) and how to undo it.
	Commit(annotate.Change) (annotate.Applied, error)
	Snapshot() (*annotate.Project, error)
	Backup() (string, error)
	Path() string
	Close() error
}

// Session is an open project.
type Session struct {
	mu sync.Mutex
	// writeMu orders a commit and its index update against Show's read of
	// a source, so a record read before a change is never put after it.
	writeMu   sync.Mutex
	stepMu    sync.Mutex // held by an undo or redo while it is saved
	store     Store
	index     *annotate.Index
	undo      []annotate.Change
	redo      []annotate.Change
	listeners []listener
	nextID    int // of the next listener
	// Author is recorded on new annotations.
	Author string
	// Background, when set, starts the background read of a lazily
	// opened project (LoadRest) instead of a plain goroutine; the window
	// runs it at a priority that yields to drawing.
	Background func(func())

	// While a lazily opened project's annotations are read in the
	// background, every change made meanwhile is logged, to be replayed
	// on the full index (see Open).
	loading bool
	reading bool // LoadRest has started the background read
	// textsPending: the index's sources have no texts yet but those
	// shown (a large project opened from its outline; ReadTexts).
	textsPending bool
	logging      bool // the read has begun: changes are logged for it
	log          []annotate.Change
	shown        map[string]bool // sources whose annotations are read already
	recent       []string        // of those, the least recently shown first (paged)
	loadErr      error
	// read is closed once the background read has ended (see AllRead).
	read chan struct{}
}

// Lazy is what a project file offers so that a session can show it before
// every annotation is read: the project without annotations, and one
// source's annotations. storage.Store has it.
type Lazy interface {
	Head() (*annotate.Project, error)
	Annotations(sourceID string) ([]annotate.Annotation, error)
}

// Open is New for a large project: with a Lazy store it reads the project
// without its annotations, returns at once, and reads every annotation in
// the background; Show reads the annotations of a source about to be
// shown. When the background read ends, loaded is called (from another
// goroutine) with its error, after the session's index holds the whole
// project. Any other store is read whole, as New does, and loaded is
// not called.
//
// Changes made while loading are logged and replayed on the full index
// once it is read: a change's Done holds whole records, so replaying one
// that the read already saw rewrites the same records, and the last
// change to touch a record decides it either way.
func Open(st Store, loaded func(error)) (*Session, error) {
	s, err := Prepare(st)
	if err != nil {
		return nil, err
	}
	s.LoadRest(loaded)
	return s, nil
}

// Prepare is the first half of Open: it reads what the window shows first
// (a Lazy store's project without annotations; any other store whole) and
// returns without starting the background read, so a caller can open a
// project while the window is still being built and start the read once
// the window is up (LoadRest).
func Prepare(st Store) (*Session, error) {
	lz, ok := st.(Lazy)
	if !ok {
		return New(st)
	}
	p, pending, err := outline(st)
	if err != nil {
		return nil, err
	}
	if p == nil {
		if p, err = lz.Head(); err != nil {
			return nil, err
		}
	}
	return &Session{store: st, index: annotate.NewIndex(p), loading: true, shown: map[string]bool{}, read: make(chan struct{}),
		textsPending: pending}, nil
}

// LoadRest starts the background read of every annotation of a session
// from Prepare (see Open); it does nothing for a session read whole, or
// when the read has started already.
func (s *Session) LoadRest(loaded func(error)) {
	s.mu.Lock()
	start := s.partialLocked()
	s.reading = true
	s.mu.Unlock()
	if start {
		if s.Background != nil {
			s.Background(func() { s.loadAll(loaded) })
		} else {
			go s.loadAll(loaded)
		}
	}
}

// Loader is what a project file offers so that a session can read every
// annotation without a whole snapshot in memory at once: annotations
// source by source, and the text versions with the texts a head leaves
// out (the review list shows a passage's old quote from them).
// storage.Store has it.
type Loader interface {
	LoadAnnotations(held func(sourceID string) string, fn func(sourceID string, anns []annotate.Annotation) error) ([]string, error)
	Versions() ([]annotate.TextVersion, error)
}

func (s *Session) loadAll(loaded func(error)) {
	var x *annotate.Index
	// The texts first (a large project opens without them); a failure
	// ends the read as a failed read of the annotations does.
	err := s.ReadTexts()
	if err == nil {
		// Changes committed from here on are replayed on what the read
		// gives; those before are in the file it reads, and in the head
		// it starts from (at), so a paged session's log is dropped here.
		s.writeMu.Lock()
		s.mu.Lock()
		at := s.index
		s.log = nil
		s.logging = true
		s.mu.Unlock()
		s.writeMu.Unlock()
		x, err = s.readAll(at)
	}
	s.mu.Lock()
	if err == nil {
		for _, c := range s.log {
			x = x.With(c)
		}
		s.index = x
	}
	s.loadErr = err
	s.loading, s.logging, s.log, s.shown, s.recent = false, false, nil, nil, nil
	read := s.read // this read's; Repage makes the next read's
	s.mu.Unlock()
	if loaded != nil {
		loaded(err)
	}
	// After loaded: work that waited for the read (AllRead) follows the
	// window's redraw with every annotation, never runs alongside it.
	close(read)
}

// closedRead is AllRead's channel for a session read whole.
var closedRead = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// AllRead is closed once every annotation is in the index: at once for a
// session read whole, when the background read ends (even if it failed,
// which the window reports) for one from Prepare. Work over the whole project
// (planning a merge, deleting a code from every annotation) waits for it:
// until then the index holds only the sources shown so far.
func (s *Session) AllRead() <-chan struct{} {
	if s == nil {
		return closedRead
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.read == nil {
		return closedRead
	}
	return s.read
}

// readAll indexes the whole project: with a Loader, the head the session
// holds (with every change since, which the log replays anyway) plus every
// annotation read source by source; otherwise a snapshot.
func (s *Session) readAll(at *annotate.Index) (*annotate.Index, error) {
	ld, ok := s.store.(Loader)
	if !ok {
		p, err := s.store.Snapshot()
		if err != nil {
			return nil, err
		}
		return annotate.NewIndex(p), nil
	}
	head := at.P
	// The head's texts: quotes kept in them share their memory. An index
	// is replaced, never changed, so at's sources stay as they are.
	held := func(id string) string {
		if src := at.Source[id]; src != nil {
			return src.Text
		}
		return ""
	}
	var bad []string
	x, err := annotate.NewIndexFrom(head, func(add func(string, []annotate.Annotation) error) error {
		var err error
		bad, err = ld.LoadAnnotations(held, add)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		// Those a paged session named already (FindUnreadable) once.
		x = x.WithUnreadable(bad)
	}
	// x.P is the index's own copy of the head: its versions can be replaced.
	if x.P.Versions, err = ld.Versions(); err != nil {
		return nil, err
	}
	return x, nil
}

// Loading reports whether annotations are still being read.
func (s *Session) Loading() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loading
}

// Show makes sure the index holds a source's annotations while the project
// is still loading; afterwards it does nothing.
func (s *Session) Show(sourceID string) error {
	s.mu.Lock()
	if !s.loading || s.shown[sourceID] {
		s.touch(sourceID)
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	anns, err := s.store.(Lazy).Annotations(sourceID)
	if err != nil {
		return err
	}
	text, err := s.pendingText(sourceID)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loading && !s.shown[sourceID] {
		// Read after every change so far was committed, so these records
		// are current; later changes are applied after them.
		s.shown[sourceID] = true
		if text != nil {
			s.index = s.index.WithTexts(text)
		}
		s.index = s.index.WithSource(anns)
		s.touch(sourceID)
		s.letGo()
	}
	return nil
}

// New reads the whole project once; later changes are mirrored in memory.
func New(st Store) (*Session, error) {
	p, err := st.Snapshot()
	if err != nil {
		return nil, err
	}
	return &Session{store: st, index: annotate.NewIndex(p)}, nil
}

// Path is the project file, or "" for an in-memory project.
func (s *Session) Path() string { return s.store.Path() }

// Index is the current project. Treat it as read-only; it is replaced (not
// modified) after each change, so a panel may keep using one it holds.
func (s *Session) Index() *annotate.Index {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.index
}

// listener is a function OnChange registered.
type listener struct {
	id int
	fn func(annotate.Change)
}

// OnChange registers fn to be called after every applied change (including
// undo and redo) with the change that was applied, until the returned stop
// is called: a view over the session calls it when its window closes, or
// fn, and all it holds, would stay for as long as the session.
func (s *Session) OnChange(fn func(annotate.Change)) (stop func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	id := s.nextID
	s.listeners = append(s.listeners, listener{id, fn})
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.listeners = slices.DeleteFunc(s.listeners, func(l listener) bool { return l.id == id })
	}
}

// Listening is how many listeners follow the session: a view that closed
// must have stopped (tests of the views).
func (s *Session) Listening() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.listeners)
}

// Do applies one user action durably and makes it undoable.
func (s *Session) Do(c annotate.Change) error {
	done, err := s.Apply(c)
	if err == nil && !done.Empty() {
		s.notify(done)
	}
	return err
}

// Apply is Do without telling the listeners: it returns what was applied,
// for Notify. A large change (an import, a merge) is applied with it off
// the UI goroutine, and the listeners, which redraw, are told on it.
func (s *Session) Apply(c annotate.Change) (annotate.Change, error) {
	if c.Empty() {
		return annotate.Change{}, nil
	}
	r, err := s.apply(c)
	if err != nil {
		return annotate.Change{}, err
	}
	s.mu.Lock()
	s.undo = append(s.undo, r.Undo)
	s.redo = nil
	s.mu.Unlock()
	return r.Done, nil
}

// Notify tells the listeners about a change Apply applied.
func (s *Session) Notify(done annotate.Change) {
	if !done.Empty() {
		s.notify(done)
	}
}

// ErrNothing is returned by Undo and Redo when their stack is empty.
var ErrNothing = errors.New("nothing to undo or redo")

// ErrBusy is returned by Undo and Redo while another undo or redo is
// being saved (a large one runs in the background).
var ErrBusy = errors.New("an undo or redo is still being saved")

// Undo reverts the last action and returns its label.
func (s *Session) Undo() (string, error) {
	label, done, err := s.step(&s.undo, &s.redo)
	if err == nil {
		s.notify(done)
	}
	return label, err
}

// Redo re-applies the last undone action and returns its label.
func (s *Session) Redo() (string, error) {
	label, done, err := s.step(&s.redo, &s.undo)
	if err == nil {
		s.notify(done)
	}
	return label, err
}

// UndoQuiet is Undo without telling the listeners: for an undo saved off
// the UI goroutine, whose caller passes done to Notify on it afterwards.
func (s *Session) UndoQuiet() (label string, done annotate.Change, err error) {
	return s.step(&s.undo, &s.redo)
}

// RedoQuiet is Redo without telling the listeners, as UndoQuiet.
func (s *Session) RedoQuiet() (label string, done annotate.Change, err error) {
	return s.step(&s.redo, &s.undo)
}

// UndoSize and RedoSize count the records Undo or Redo would write (0
// when there is nothing to do), so a caller can run a large one (an
// import undone) in the background.
func (s *Session) UndoSize() int { return s.size(&s.undo) }

// RedoSize counts the records Redo would write; see UndoSize.
func (s *Session) RedoSize() int { return s.size(&s.redo) }

func (s *Session) size(stack *[]annotate.Change) int {
	c, _ := s.peek(stack)
	return c.Records()
}

// peek gives the change on top of a stack.
func (s *Session) peek(stack *[]annotate.Change) (annotate.Change, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(*stack) == 0 {
		return annotate.Change{}, false
	}
	return (*stack)[len(*stack)-1], true
}

func (s *Session) step(from, to *[]annotate.Change) (string, annotate.Change, error) {
	// One step at a time: the change on top is applied before it is
	// popped, so a second step meanwhile would apply it twice.
	if !s.stepMu.TryLock() {
		return "", annotate.Change{}, ErrBusy
	}
	defer s.stepMu.Unlock()
	s.mu.Lock()
	if len(*from) == 0 {
		s.mu.Unlock()
		return "", annotate.Change{}, ErrNothing
	}
	c := (*from)[len(*from)-1]
	s.mu.Unlock()
	r, err := s.apply(c)
	if err != nil {
		return "", annotate.Change{}, err
	}
	s.mu.Lock()
	*from = (*from)[:len(*from)-1]
	*to = append(*to, r.Undo)
	s.mu.Unlock()
	return c.Label, r.Done, nil
}

// UndoLabel and RedoLabel name what Undo and Redo would do, or "".
func (s *Session) UndoLabel() string { return s.top(&s.undo) }

// RedoLabel names what Redo would do, or "".
func (s *Session) RedoLabel() string { return s.top(&s.redo) }

func (s *Session) top(st *[]annotate.Change) string {
	c, ok := s.peek(st)
	switch {
	case !ok:
		return ""
	case c.Label != "":
		return c.Label
	}
	return "change"
}

// apply commits c and mirrors what the store actually wrote (with its
// timestamps, hashes and import times), never what was asked for.
func (s *Session) apply(c annotate.Change) (annotate.Applied, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	r, err := s.store.Commit(c)
	if err != nil {
		return annotate.Applied{}, err
	}
	s.mu.Lock()
	// The new index shares what the change left alone, so an Index
	// handed out earlier stays consistent and a change costs its size.
	s.index = s.index.WithApplied(r)
	if s.logging {
		s.log = append(s.log, r.Done)
	}
	s.mu.Unlock()
	return r, nil
}

func (s *Session) notify(c annotate.Change) {
	s.mu.Lock()
	ls := slices.Clone(s.listeners)
	s.mu.Unlock()
	for _, l := range ls {
		l.fn(c)
	}
}

// Backup writes a backup of the project now.
func (s *Session) Backup() (string, error) { return s.store.Backup() }

// Close closes the store.
func (s *Session) Close() error { return s.store.Close() }
