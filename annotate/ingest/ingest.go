// Package ingest turns files into new sources for a project: it reads each
// file with textimport, applies the sniffed metadata as suggestions, skips
// files already in the project, and goes on past bad files so that one
// broken file never costs the rest of a batch. The GUI and CLI share it.
package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gloss/annotate"
	"gloss/annotate/refiqda"
	"gloss/annotate/textimport"
)

// Options are the analyst's choices for a batch; empty fields take what
// the file itself suggests.
type Options struct {
	Kind      annotate.Kind
	Language  annotate.Language
	Title     string
	Originals []string
	// Encoding, when set, forces the text encoding of every text file
	// (a name textimport.LookupEncoding accepts) instead of the guess.
	Encoding string
	// Progress, when set, is told after each file.
	Progress func(done, total int, file string)
}

// Result of one batch.
type Result struct {
	Sources  []annotate.Source // new sources, ready for one annotate.Change
	Projects []Project         // REFI-QDA projects read from .qdpx files
	Skipped  []string          // "file: already in the project as ID"
	Notes    []string          // what an archive held that Gloss cannot keep
	Problems []error           // one per refused file, each naming it
	Files    []FileResult      // how each file was read, in the order given
}

// Statuses in FileResult.
const (
	StatusImported = "imported"
	StatusSkipped  = "skipped"
	StatusRefused  = "refused"
)

// FileResult is how one file of a batch was read, for the analyst to see
// which encoding each text was decoded with.
type FileResult struct {
	File     string
	Status   string // StatusImported, StatusSkipped or StatusRefused
	SourceID string // the new source, or for a duplicate the existing one
	Format   string // "text", "markdown", "html", or "qdpx" for an archive
	Encoding string // e.g. "UTF-8", "GB18030", "Big5 (forced)"; "" for archives and refused files
	Replaced int    // undecodable sequences shown as U+FFFD (only when forced)
}

// Project is a whole project read from an interchange file.
type Project struct {
	File    string
	Project *annotate.Project
}

// Change is the one change that adds the batch to the project indexed by
// x (which may be nil when the batch holds no archive): the new sources, and each archive merged (codes and stance targets
// shared by name with what the project, or an earlier archive, has).
func (r Result) Change(x *annotate.Index) annotate.Change {
	c := annotate.Change{Label: "Import", PutSources: r.Sources}
	if len(r.Projects) == 0 {
		return c
	}
	if x == nil {
		x = annotate.NewIndex(&annotate.Project{})
	}
	x = x.With(c)
	for _, q := range r.Projects {
		m := annotate.MergeChange(x, q.Project)
		x = x.With(m)
		c.Append(m)
	}
	return c
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
		if IsProjectFile(p) {
			fr := FileResult{File: p, Format: "qdpx", Status: StatusImported}
			q, err := readQDPX(p, func(msg string) { res.Notes = append(res.Notes, p+": "+msg) })
			if err != nil {
				res.Problems = append(res.Problems, err)
				fr.Status = StatusRefused
			} else {
				res.Projects = append(res.Projects, Project{File: p, Project: q})
			}
			res.Files = append(res.Files, fr)
			if opt.Progress != nil {
				opt.Progress(i+1, len(paths), p)
			}
			continue
		}
		src, fr, err := Read(p, opt)
		switch {
		case err != nil:
			res.Problems = append(res.Problems, err)
		case seen[src.ContentHash] != "":
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: already in the project as %s", p, seen[src.ContentHash]))
			fr.Status, fr.SourceID = StatusSkipped, seen[src.ContentHash]
		default:
			seen[src.ContentHash] = src.ID
			res.Sources = append(res.Sources, src)
		}
		res.Files = append(res.Files, fr)
		if opt.Progress != nil {
			opt.Progress(i+1, len(paths), p)
		}
	}
	return res
}

// File reads one file into a new source (not yet saved).
func File(path string, opt Options) (annotate.Source, error) {
	src, _, err := Read(path, opt)
	return src, err
}

// Read is File that also says how the file was read. A refused file's
// FileResult has StatusRefused and no encoding.
func Read(path string, opt Options) (annotate.Source, FileResult, error) {
	fr := FileResult{File: path, Status: StatusRefused}
	r, err := textimport.ReadFileWith(path, textimport.Options{Encoding: opt.Encoding})
	if err != nil {
		return annotate.Source{}, fr, err
	}
	if strings.TrimSpace(r.Text) == "" {
		return annotate.Source{}, fr, &textimport.Error{File: path, Reason: "has no readable text"}
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
		return annotate.Source{}, fr, fmt.Errorf("%s: %w", path, err)
	}
	fr = FileResult{File: path, Status: StatusImported, SourceID: src.ID, Format: r.Format, Encoding: r.Encoding, Replaced: r.Replaced}
	return src, fr, nil
}

// IsProjectFile reports whether path is a REFI-QDA project (.qdpx), which
// is merged whole rather than read as one text.
func IsProjectFile(path string) bool { return strings.EqualFold(filepath.Ext(path), ".qdpx") }

func readQDPX(path string, warn func(string)) (*annotate.Project, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	q, err := refiqda.ReadQDPX(f, info.Size(), refiqda.ReadOptions{Warn: warn})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return q, nil
}

// Hashes maps the content hash of each source to its ID.
func Hashes(sources []annotate.Source) map[string]string {
	m := make(map[string]string, len(sources))
	for _, s := range sources {
		m[s.ContentHash] = s.ID
	}
	return m
}
