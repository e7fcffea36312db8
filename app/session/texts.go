package session

import "gloss/annotate"

// Outliner is what a project file offers so that a session can open a
// large project without its texts (21.5 MB at 10,000 sources, a tenth of a
// second of copying before the window's first frame) and read them
// after: storage.Store has it.
type Outliner interface {
	SourceCount() (int, error)
	// Catalog is the project without texts and annotations.
	Catalog() (*annotate.Project, error)
	Text(sourceID string) (string, error)
	EachText(fn func(sourceID, text string) error) error
}

// LargeProject is how many sources make a project large: Prepare opens it
// without its texts, and a window reads it paged (ReadTotals). A variable
// for tests.
var LargeProject = 1000

// outline reads st's outline when st is an Outliner with LargeProject
// sources or more; otherwise p is nil and the caller reads the head.
func outline(st Store) (p *annotate.Project, pending bool, err error) {
	ol, ok := st.(Outliner)
	if !ok {
		return nil, false, nil
	}
	if n, err := ol.SourceCount(); err != nil || n < LargeProject {
		return nil, false, err
	}
	if p, err = ol.Catalog(); err != nil {
		return nil, false, err
	}
	return p, true, nil
}

// TextsPending reports whether the index's sources have no texts yet, but
// those shown (ReadTexts reads them).
func (s *Session) TextsPending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.textsPending
}

// pendingText reads a source's text if the index has it not (writeMu
// held), for Show to install with its annotations.
func (s *Session) pendingText(sourceID string) (map[string]string, error) {
	s.mu.Lock()
	pending := s.textsPending
	src := s.index.Source[sourceID]
	s.mu.Unlock()
	if !pending || src == nil || src.Text != "" {
		return nil, nil
	}
	t, err := s.store.(Outliner).Text(sourceID)
	if err != nil {
		return nil, err
	}
	return map[string]string{sourceID: t}, nil
}

// ReadTexts gives every source of a session opened without its texts
// (Prepare, for a large project) its text, in one read with every commit
// held off, so a text changed since is never put back. It does nothing
// once they are read; the read of every annotation begins with it. Until
// it ends, only the sources shown (Show) have their texts: work that
// reads others' waits for it (the window's waitTexts).
func (s *Session) ReadTexts() error {
	if !s.TextsPending() {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if !s.TextsPending() {
		return nil // read meanwhile
	}
	texts := map[string]string{}
	if err := s.store.(Outliner).EachText(func(id, text string) error {
		texts[id] = text
		return nil
	}); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index = s.index.WithTexts(texts)
	s.textsPending = false
	return nil
}
