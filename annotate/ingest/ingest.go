// Package ingest turns files into new sources for a project: it reads each
// file with textimport, applies the sniffed metadata as suggestions, skips
// files already in the project, and goes on past bad files so that one
// broken file never costs the rest of a batch. The GUI and CLI share it.
package ingest

import (
	"fmt"
	"path/filepath"
	"strings"

	"gloss/annotate"
	"gloss/annotate/textimport"
)

// Options are the analyst's choices for a batch; empty fields take what
// the file itself suggests.
type Options struct {
	Kind      annotate.Kind
	Language  annotate.Language
	Title     string
	Originals []string
	// Progress, when set, is told after each file.
	Progress func(done, total int, file string)
}

// Result of one batch.
type Result struct {
	Sources  []annotate.Source // new sources, ready for one annotate.Change
	Skipped  []string          // "file: already in the project as ID"
	Problems []error           // one per refused file, each naming it
}

// Files reads paths. existing maps content hashes of sources already in
// the project to their IDs, so re-importing a file is reported, not doubled.
func Files(paths []string, existing map[string]string, opt Options) Result {
	var res Result
	seen := map[string]string{}
	for k, v := range existing {
		seen[k] = v
	}
	for i, p := range paths {
		src, err := File(p, opt)
		switch {
		case err != nil:
			res.Problems = append(res.Problems, err)
		case seen[src.ContentHash] != "":
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: already in the project as %s", p, seen[src.ContentHash]))
		default:
			seen[src.ContentHash] = src.ID
			res.Sources = append(res.Sources, src)
		}
		if opt.Progress != nil {
			opt.Progress(i+1, len(paths), p)
		}
	}
	return res
}

// File reads one file into a new source (not yet saved).
func File(path string, opt Options) (annotate.Source, error) {
	r, err := textimport.ReadFile(path)
	if err != nil {
		return annotate.Source{}, err
	}
	if strings.TrimSpace(r.Text) == "" {
		return annotate.Source{}, &textimport.Error{File: path, Reason: "has no readable text"}
	}
	src := annotate.Source{
		ID:        annotate.NewID(annotate.SourcePrefix),
		Title:     r.Title,
		Outlet:    r.Outlet,
		Published: r.Published,
		Language:  annotate.Language(r.Language),
		Kind:      annotate.KindOriginal,
		FileName:  filepath.Base(path),
		Text:      r.Text,
		Originals: opt.Originals,
	}
	if annotate.ValidateDate(src.Published) != nil {
		src.Published = "" // a sniffed date is only a suggestion; never block an import on it
	}
	if opt.Kind != "" {
		src.Kind = opt.Kind
	}
	if opt.Language != "" {
		src.Language = opt.Language
	}
	if opt.Title != "" {
		src.Title = opt.Title
	}
	src.ContentHash = annotate.HashText(src.Text)
	if err := annotate.ValidateSource(src); err != nil {
		return annotate.Source{}, fmt.Errorf("%s: %w", path, err)
	}
	return src, nil
}

// Hashes maps the content hash of each source to its ID.
func Hashes(sources []annotate.Source) map[string]string {
	m := make(map[string]string, len(sources))
	for _, s := range sources {
		m[s.ContentHash] = s.ID
	}
	return m
}
