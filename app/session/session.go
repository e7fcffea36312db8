// Package session is the one adapter between the project store and the
// widgets: it applies every user action as one durable change, keeps an
// in-memory copy of the project for the panels to read, holds the undo and
// redo stacks, and tells listeners when anything changed. It does not
// import Fyne, so its logic is tested without a display.
package session

import (
	"errors"
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
	mu        sync.Mutex
	store     Store
	index     *annotate.Index
	undo      []annotate.Change
	redo      []annotate.Change
	listeners []func(annotate.Change)
	// Author is recorded on new annotations.
	Author string
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

// OnChange registers fn to be called after every applied change (including
// undo and redo) with the change that was applied.
func (s *Session) OnChange(fn func(annotate.Change)) {
	s.mu.Lock()
	s.listeners = append(s.listeners, fn)
	s.mu.Unlock()
}

// Do applies one user action durably and makes it undoable.
func (s *Session) Do(c annotate.Change) error {
	if c.Empty() {
		return nil
	}
	r, err := s.apply(c)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.undo = append(s.undo, r.Undo)
	s.redo = nil
	s.mu.Unlock()
	s.notify(r.Done)
	return nil
}

// ErrNothing is returned by Undo and Redo when their stack is empty.
var ErrNothing = errors.New("nothing to undo or redo")

// Undo reverts the last action and returns its label.
func (s *Session) Undo() (string, error) { return s.step(&s.undo, &s.redo) }

// Redo re-applies the last undone action and returns its label.
func (s *Session) Redo() (string, error) { return s.step(&s.redo, &s.undo) }

func (s *Session) step(from, to *[]annotate.Change) (string, error) {
	s.mu.Lock()
	if len(*from) == 0 {
		s.mu.Unlock()
		return "", ErrNothing
	}
	c := (*from)[len(*from)-1]
	s.mu.Unlock()
	r, err := s.apply(c)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	*from = (*from)[:len(*from)-1]
	*to = append(*to, r.Undo)
	s.mu.Unlock()
	s.notify(r.Done)
	return c.Label, nil
}

// UndoLabel and RedoLabel name what Undo and Redo would do, or "".
func (s *Session) UndoLabel() string { return s.top(&s.undo) }

// RedoLabel names what Redo would do, or "".
func (s *Session) RedoLabel() string { return s.top(&s.redo) }

func (s *Session) top(st *[]annotate.Change) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(*st) == 0 {
		return ""
	}
	if l := (*st)[len(*st)-1].Label; l != "" {
		return l
	}
	return "change"
}

// apply commits c and mirrors what the store actually wrote (with its
// timestamps, hashes and import times), never what was asked for.
func (s *Session) apply(c annotate.Change) (annotate.Applied, error) {
	r, err := s.store.Commit(c)
	if err != nil {
		return annotate.Applied{}, err
	}
	s.mu.Lock()
	// The new index shares what the change left alone, so an Index
	// handed out earlier stays consistent and a change costs its size.
	s.index = s.index.With(r.Done)
	s.mu.Unlock()
	return r, nil
}

func (s *Session) notify(c annotate.Change) {
	s.mu.Lock()
	ls := append([]func(annotate.Change){}, s.listeners...)
	s.mu.Unlock()
	for _, fn := range ls {
		fn(c)
	}
}

// Backup writes a backup of the project now.
func (s *Session) Backup() (string, error) { return s.store.Backup() }

// Close closes the store.
func (s *Session) Close() error { return s.store.Close() }
