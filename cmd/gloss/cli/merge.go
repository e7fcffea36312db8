package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gloss/annotate"
	"gloss/annotate/ingest"
	"gloss/storage"
)

// cmdMerge brings another project (.gloss, or a REFI-QDA .qdpx) into this
// one as one undoable change, by the rules of annotate.Merge.
func cmdMerge(e *env, args []string) error {
	fs, db := newFlags(e, "merge")
	dry := fs.Bool("dry-run", false, "report what a merge would do without changing the project")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one project to merge in (a .gloss or .qdpx file)")
	}
	if *db == "" {
		return usagef("--db FILE is required")
	}
	type out struct {
		DryRun bool `json:"dryRun"`
		annotate.MergeReport
	}
	if ingest.IsProjectFile(pos[0]) && !*dry {
		// Streamed in parts, as import does: a large archive never whole
		// in memory, still one all-or-nothing change.
		st, err := openDB(*db, false)
		if err != nil {
			return err
		}
		defer st.Close()
		ai, err := importArchive(st, pos[0], "Merge "+filepath.Base(pos[0]), func(string) {})
		if err != nil {
			return fmt.Errorf("merging %w", err)
		}
		return e.emit(out{false, ai.report}, func(w io.Writer) { printMerge(w, ai.report, false) })
	}
	theirs, err := ReadOtherProject(pos[0])
	if err != nil {
		return err
	}
	if same, _ := sameFile(*db, pos[0]); same {
		return fmt.Errorf("%s: cannot merge a project into itself", pos[0])
	}
	st, err := openDB(*db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	mine, err := st.Snapshot()
	if err != nil {
		return err
	}
	c, r := annotate.Merge(annotate.NewIndex(mine), theirs, filepath.Base(pos[0]))
	if !*dry && !c.Empty() {
		if _, err := st.Commit(c); err != nil {
			return fmt.Errorf("merging %s: %w", pos[0], err)
		}
	}
	return e.emit(out{*dry, r}, func(w io.Writer) { printMerge(w, r, *dry) })
}

// ReadOtherProject reads a project to merge: a .gloss file read-only (a
// shared lock, nothing written) or a .qdpx archive.
func ReadOtherProject(path string) (*annotate.Project, error) {
	if ingest.IsProjectFile(path) {
		res := ingest.Files([]string{path}, nil, ingest.Options{})
		if len(res.Problems) > 0 {
			return nil, res.Problems[0]
		}
		if len(res.Projects) == 0 {
			return nil, fmt.Errorf("%s: no project in the archive", path)
		}
		return res.Projects[0].Project, nil
	}
	st, err := storage.Open(path, storage.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Snapshot()
}

func sameFile(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(ia, ib), nil
}

func printMerge(w io.Writer, r annotate.MergeReport, dry bool) {
	verb := "merged"
	if dry {
		verb = "would merge (dry run)"
	}
	counts := func(c annotate.MergeCounts) string {
		return fmt.Sprintf("%d sources, %d codes, %d targets, %d annotations, %d links, %d claims", c.Sources, c.Codes, c.Targets, c.Annotations, c.Links, c.Claims)
	}
	fmt.Fprintf(w, "%s: added %s\n", verb, counts(r.Added))
	fmt.Fprintf(w, "updated: %s\n", counts(r.Updated))
	fmt.Fprintf(w, "already here (skipped): %s\n", counts(r.Same))
	for _, c := range r.Conflicts {
		fmt.Fprintf(w, "conflict: annotation %s %q in %q changed on both sides; kept the version from %s, the other is kept as a conflict\n", c.AnnotationID, c.Quote, c.Source, c.Kept)
	}
	for _, d := range r.Disagreements {
		fmt.Fprintf(w, "differs: %s\n", d)
	}
	if len(r.Reanchored)+len(r.Orphaned) > 0 {
		fmt.Fprintf(w, "re-anchored on a different text: %d; orphaned (kept, needs review): %d (%s)\n", len(r.Reanchored), len(r.Orphaned), strings.Join(r.Orphaned, ", "))
	}
}
