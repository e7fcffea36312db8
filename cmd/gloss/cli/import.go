package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"gloss/annotate"
	"gloss/annotate/ingest"
	"gloss/annotate/refiqda"
	"gloss/annotate/textimport"
	"gloss/storage"
)

func cmdImport(e *env, args []string) error {
	fs, db := newFlags(e, "import")
	kind := fs.String("kind", "", "original, translation, summary or commentary (default original)")
	lang := fs.String("lang", "", "language, e.g. en, zh-Hans, zh-Hant (default: sniffed)")
	title := fs.String("title", "", "title (default: from the file)")
	originals := fs.String("originals", "", "comma-separated IDs of the sources a summary or translation rests on")
	encName := fs.String("encoding", "", "force the text encoding of every file: "+strings.Join(textimport.EncodingNames(), ", ")+" (default: detected; undecodable bytes become U+FFFD and are counted)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no files to import")
	}
	if *encName != "" {
		if *encName, err = textimport.LookupEncoding(*encName); err != nil {
			return usagef("--encoding: %v", err)
		}
	}
	st, err := openDB(*db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	opt := ingest.Options{Kind: annotate.Kind(*kind), Language: annotate.Language(*lang), Title: *title, Encoding: *encName}
	if *originals != "" {
		opt.Originals = strings.Split(*originals, ",")
	}
	// Archives are streamed into the project part by part (see
	// importArchive); other files are read whole and added in one change.
	var archives, plain []string
	for _, f := range files {
		if ingest.IsProjectFile(f) {
			archives = append(archives, f)
		} else {
			plain = append(plain, f)
		}
	}
	var res ingest.Result
	var ch annotate.Change
	if len(plain) > 0 {
		have, err := st.Sources()
		if err != nil {
			return err
		}
		res = ingest.Files(plain, ingest.Hashes(have), opt)
		ch = res.Change(nil)
		if !ch.Empty() {
			if _, err := st.Apply(ch); err != nil {
				return err
			}
		}
	}
	nAnn := len(ch.PutAnnotations)
	for _, path := range archives {
		fr := ingest.FileResult{File: path, Format: "qdpx", Status: ingest.StatusImported}
		ai, err := importArchive(st, path, "Import "+filepath.Base(path), func(msg string) { res.Notes = append(res.Notes, path+": "+msg) })
		if err != nil {
			res.Problems = append(res.Problems, err)
			fr.Status = ingest.StatusRefused
		} else {
			ch.PutSources = append(ch.PutSources, ai.sources...)
			nAnn += ai.report.Added.Annotations + ai.report.Updated.Annotations // what the merged change put, as before
		}
		res.Files = append(res.Files, fr)
	}
	undecodable := false
	for _, p := range res.Problems {
		fmt.Fprintln(e.errOut, "refused:", p)
		var ie *textimport.Error
		undecodable = undecodable || errors.As(p, &ie) && ie.Undecodable
	}
	if undecodable {
		fmt.Fprintln(e.errOut, "hint: --encoding NAME reads a file in a named encoding ("+strings.Join(textimport.EncodingNames(), ", ")+")")
	}
	// Which encoding each text was read in, so a wrong guess is seen.
	fileOf := map[string]ingest.FileResult{}
	for _, f := range res.Files {
		if f.Encoding != "" && f.Status == ingest.StatusImported {
			fileOf[f.SourceID] = f
			fmt.Fprintf(e.errOut, "read: %s as %s (%s)\n", f.File, f.Encoding, f.Format)
		}
	}
	for _, s := range res.Skipped {
		fmt.Fprintln(e.errOut, "skipped:", s)
	}
	for _, s := range res.Notes {
		fmt.Fprintln(e.errOut, "note:", s)
	}
	type row struct {
		ID, File, Title, Language, Published, Outlet string
		Encoding                                     string `json:",omitempty"`
		Replaced                                     int    `json:",omitempty"`
	}
	var rows []row
	for _, s := range ch.PutSources {
		f := fileOf[s.ID]
		rows = append(rows, row{s.ID, s.FileName, s.Title, string(s.Language), s.Published, s.Outlet, f.Encoding, f.Replaced})
	}
	err = e.emit(map[string]any{"imported": rows, "annotations": nAnn, "skipped": res.Skipped, "refused": errStrings(res.Problems), "files": res.Files}, func(w io.Writer) {
		for _, r := range rows {
			fmt.Fprintln(w, r.ID)
		}
	})
	if err == nil && len(res.Problems) > 0 {
		err = fmt.Errorf("%d of %d files refused", len(res.Problems), len(files))
	}
	return err
}

// archivePartBytes is about how much text (and annotations, by estimate)
// one transaction of an archive import writes: bbolt holds a
// transaction's pages in memory until it commits.
var archivePartBytes = 4 << 20

// importMemoryLimit is the soft heap limit during an archive import (see
// importArchive): at 10,000 sources it held the peak resident set to
// 247 MiB, against 282 MiB without (GOMEMLIMIT=150MiB: 209 MiB, 10 % slower).
const importMemoryLimit = 192 << 20

// softMemoryLimit sets Go's soft heap limit for one long command and
// returns what puts the previous limit back. A limit already set (by
// GOMEMLIMIT) is kept: the user's word wins.
func softMemoryLimit(limit int64) (restore func()) {
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

// archiveImport is the outcome of importArchive.
type archiveImport struct {
	sources []annotate.Source // added, without their texts
	report  annotate.MergeReport
	undo    annotate.Change
}

// importArchive merges a .qdpx archive into the project by the rules of
// annotate.Merge, streamed: the archive is read part by part
// (refiqda.StreamQDPX), each part merged against what the project holds
// then and applied in a transaction of its own (storage.Import), so
// memory holds a part, the project's catalogue and the IDs, not the whole
// archive. It is all or nothing: on any error every part already written
// is taken out again. The returned undo takes the whole import back.
func importArchive(st *storage.Store, path, label string, warn func(string)) (*archiveImport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	base, err := st.Catalog()
	if err != nil {
		return nil, err
	}
	counts, err := st.AnnotationCounts()
	if err != nil {
		return nil, err
	}
	imp, err := st.BeginImport(label)
	if err != nil {
		return nil, err
	}
	// The live heap of a large import is about 100 MB (IDs, notes, one
	// part); the collector's default lets the heap reach twice that before
	// it runs. A soft limit keeps the peak near the live size, at some
	// CPU; a limit the user set (GOMEMLIMIT) is kept.
	defer softMemoryLimit(importMemoryLimit)()
	m := &archiveMerge{st: st, base: base, hadAnns: len(counts) > 0, imp: imp, origin: filepath.Base(path), seen: map[string]bool{}}
	err = pipeParts(func(emit func(refiqda.Part) error) error {
		return refiqda.StreamQDPX(f, info.Size(), refiqda.ReadOptions{Warn: warn}, archivePartBytes, emit)
	}, m.part)
	if err == nil {
		m.out.undo, err = imp.Finish()
	}
	if err != nil {
		if aerr := imp.Abort(); aerr != nil {
			return nil, fmt.Errorf("%s: %w; and what was imported could not all be taken out again (the next open retries): %v", path, err, aerr)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m.out, nil
}

// pipeParts runs read, which emits parts, with apply taking each part on
// another goroutine, so the next part is read while one is written (a
// quarter of an import's time is writing). One part waits at most; the
// first error stops both, and read's comes first (apply's is what made
// read stop, when emit returned it).
func pipeParts(read func(emit func(refiqda.Part) error) error, apply func(refiqda.Part) error) error {
	parts := make(chan refiqda.Part)
	failed := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		var err error
		for p := range parts {
			if err == nil {
				if err = apply(p); err != nil {
					close(failed)
				}
			}
		}
		done <- err
	}()
	rerr := read(func(p refiqda.Part) error {
		select { // a send can win a select over a failure already seen
		case <-failed:
			return errApplyFailed
		default:
		}
		select {
		case parts <- p:
			return nil
		case <-failed:
			return errApplyFailed
		}
	})
	close(parts)
	aerr := <-done
	if aerr != nil {
		return aerr
	}
	return rerr
}

// errApplyFailed stops a read whose parts can no longer be applied; the
// apply's own error is the one reported.
var errApplyFailed = errors.New("a part could not be applied")

// archiveMerge merges an archive's parts one at a time.
type archiveMerge struct {
	st      *storage.Store
	base    *annotate.Project // the project's catalogue (no texts, no annotations), kept up to date
	hadAnns bool              // the project had annotations: an archive's may share their IDs
	imp     *storage.Import
	origin  string
	parts   int
	out     archiveImport
	seen    map[string]bool // disagreements reported
}

func (m *archiveMerge) part(part refiqda.Part) error {
	q := *m.base
	// What Merge reads of the project beyond the catalogue: the texts of
	// the sources an archive source matches with another text (it
	// re-anchors on them), and annotations that share an ID.
	byID := make(map[string]int, len(q.Sources))
	byHash := make(map[string]int, len(q.Sources))
	for i, s := range q.Sources {
		byID[s.ID] = i
		byHash[s.ContentHash] = i
	}
	copied := false
	for _, s := range part.Sources {
		i, ok := byID[s.ID]
		if !ok {
			i, ok = byHash[s.ContentHash]
		}
		if !ok || s.Text == "" || q.Sources[i].ContentHash == s.ContentHash {
			continue
		}
		if !copied {
			q.Sources, copied = append([]annotate.Source(nil), q.Sources...), true
		}
		text, err := m.st.Text(q.Sources[i].ID)
		if err != nil {
			return err
		}
		q.Sources[i].Text = text
	}
	if m.hadAnns {
		ids := make([]string, len(part.Annotations))
		for i, a := range part.Annotations {
			ids[i] = a.ID
		}
		mine, err := m.st.AnnotationsIn(ids)
		if err != nil {
			return err
		}
		q.Annotations = mine
	}
	c, r := annotate.Merge(annotate.NewIndex(&q), part.Project, m.origin)
	if !c.Empty() {
		done, err := m.imp.Commit(c)
		if err != nil {
			return err
		}
		m.mirror(done.Done)
	}
	m.count(part, r)
	for _, s := range c.PutSources {
		s.Text = ""
		m.out.sources = append(m.out.sources, s)
	}
	m.parts++
	return nil
}

// count adds a part's merge report to the whole one. Every part carries
// the codebook, and the last one repeats the sources its links point
// into: those are counted once.
func (m *archiveMerge) count(part refiqda.Part, r annotate.MergeReport) {
	if m.parts > 0 {
		r.Same.Codes, r.Same.Targets = 0, 0
	}
	r.Same.Sources -= part.Again
	t := &m.out.report
	for _, p := range [][2]*annotate.MergeCounts{{&t.Added, &r.Added}, {&t.Updated, &r.Updated}, {&t.Same, &r.Same}} {
		a, b := p[0], p[1]
		a.Sources += b.Sources
		a.Codes += b.Codes
		a.Targets += b.Targets
		a.Annotations += b.Annotations
		a.Links += b.Links
		a.Claims += b.Claims
		a.Versions += b.Versions
	}
	t.Conflicts = append(t.Conflicts, r.Conflicts...)
	for _, d := range r.Disagreements {
		if !m.seen[d] {
			m.seen[d] = true
			t.Disagreements = append(t.Disagreements, d)
		}
	}
	t.Reanchored = append(t.Reanchored, r.Reanchored...)
	t.Orphaned = append(t.Orphaned, r.Orphaned...)
}

// mirror brings the catalogue up to date with what a part wrote: the
// change as Project.Mirror applies it, without the texts and annotations
// the catalogue does not hold.
func (m *archiveMerge) mirror(d annotate.Change) {
	d.PutAnnotations, d.DelAnnotations, d.SetTexts = nil, nil, nil
	d.PutSources = slices.Clone(d.PutSources)
	for i := range d.PutSources {
		d.PutSources[i].Text = ""
	}
	d.PutVersions = slices.Clone(d.PutVersions)
	for i := range d.PutVersions {
		d.PutVersions[i].Text = ""
	}
	m.base.Mirror(d)
}
