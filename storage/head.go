package storage

import "gloss/annotate"

// Head reads the project without its annotations, in one transaction:
// sources with their texts, codes, targets, links, claims and versions
// (without their texts). It is what a window needs before its first frame;
// the session reads one source's annotations when it is shown (Annotations)
// and all of them in the background (Snapshot).
func (s *Store) Head() (*annotate.Project, error) {
	return s.readParts(projectParts{sourceTexts: true})
}
