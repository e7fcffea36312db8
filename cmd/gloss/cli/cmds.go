package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gloss/annotate"
	"gloss/annotate/export"
)

func formatNames() []string { return export.Names() }

func errStrings(errs []error) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func cmdAnnotate(e *env, args []string) error {
	fs, db := newFlags(e, "annotate")
	srcID := fs.String("source", "", "source ID")
	quote := fs.String("quote", "", "exact text to highlight")
	start := fs.Int("start", -1, "start, in code points")
	end := fs.Int("end", -1, "end, in code points (exclusive)")
	var codes, stances multi
	fs.Var(&codes, "code", "code name (repeatable; created when new)")
	fs.Var(&stances, "stance", "TARGET=favor|against|neutral|mixed (repeatable; target created when new)")
	cred := fs.Int("credibility", 0, "information credibility 1–6")
	note := fs.String("note", "", "note")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *srcID == "" {
		return usagef("--source ID is required")
	}
	if (*quote == "") == (*start < 0 && *end < 0) {
		return usagef("give either --quote TEXT or --start N --end N")
	}
	st, p, err := openProject(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	x := annotate.NewIndex(p)
	pass := annotate.Passage{SourceID: *srcID, Quote: ingestNormalize(*quote), Start: *start, End: *end}
	tags := annotate.Tags{Codes: codes, Credibility: annotate.Credibility(*cred), Note: *note}
	for _, s := range stances {
		m, err := annotate.ParseStanceFilter(s)
		if err != nil {
			return usagef("--stance: %v", err)
		}
		tags.Stances = append(tags.Stances, m)
	}
	ch, a, err := x.Tag(pass, tags, author(), time.Now().UTC())
	if err != nil {
		return err
	}
	sel := a.Selector
	// Half a flag or emoji is no passage (the W3C model: SHOULD NOT).
	if err := annotate.CheckGraphemes(x.Text(*srcID).String(), sel.Start, sel.End); err != nil {
		return fmt.Errorf("selector: %v", err)
	}
	if _, err := st.Apply(ch); err != nil {
		return err
	}
	return e.emit(map[string]any{"id": a.ID, "start": sel.Start, "end": sel.End, "exact": sel.Exact}, func(w io.Writer) {
		fmt.Fprintln(w, a.ID)
	})
}

func cmdAnnotations(e *env, args []string) error {
	fs, db := newFlags(e, "annotations")
	srcID := fs.String("source", "", "only this source")
	var authors multi
	fs.Var(&authors, "author", "only annotations by this author (repeatable)")
	st, _, err := start(fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	book, err := st.Codebook()
	if err != nil {
		return err
	}
	x := annotate.NewIndex(book)
	// Streamed: one annotation in memory at a time, whatever the project's size.
	type row struct {
		annotate.Annotation
		Anchor annotate.AnchorState `json:"anchor"` // always present: exact, shifted, fuzzy or orphan
		Score  *float64             `json:"score,omitempty"`
	}
	var (
		n  int
		tw *tabwriter.Writer
	)
	// One write per record would be a system call each.
	out := bufio.NewWriter(e.out)
	if e.json {
		fmt.Fprint(out, "[")
	} else {
		tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSOURCE\tSTART\tEND\tANCHOR\tCODES\tSTANCE\tCRED\tQUOTE")
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	bad := func(id string, err error) {
		fmt.Fprintf(e.errOut, "gloss annotations: annotation %s cannot be read, skipped: %v\n", id, err)
	}
	err = st.EachAnnotation(*srcID, bad, func(a annotate.Annotation) error {
		if len(authors) > 0 && !slices.Contains(authors, a.Author) {
			return nil
		}
		if e.json {
			r := row{Annotation: a, Anchor: a.Anchor.Norm()}
			if a.Anchor == annotate.AnchorFuzzy {
				r.Score = &a.Score
			}
			if n > 0 {
				fmt.Fprint(out, ",")
			}
			fmt.Fprint(out, "\n  ")
			n++
			return enc.Encode(r)
		}
		var codes, stances []string
		for _, c := range a.Codes {
			codes = append(codes, x.CodePath(c))
		}
		for _, m := range a.Stances {
			if t := x.Target[m.Target]; t != nil {
				stances = append(stances, t.Name+"="+string(m.Stance))
			}
		}
		state := string(a.Anchor.Norm())
		if a.Anchor == annotate.AnchorFuzzy {
			state = fmt.Sprintf("fuzzy %.2f", a.Score)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.SourceID, a.Selector.Start, a.Selector.End, state,
			dash(strings.Join(codes, "; ")), dash(strings.Join(stances, "; ")), dash(credString(a.Credibility)), oneLine(a.Selector.Exact, 60))
		return nil
	})
	if e.json {
		fmt.Fprintln(out, "]")
	} else {
		tw.Flush()
	}
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	return err
}

func credString(c annotate.Credibility) string {
	if c == 0 {
		return ""
	}
	return strconv.Itoa(int(c))
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// exportMemoryLimit is the soft heap limit during an export. The reports
// (HTML, Markdown, PDF) hold their figure and timeline records until the
// end, about 150 MB live at 10,000 sources; the collector's default pacing
// let the resident set reach 303–368 MiB.
const exportMemoryLimit = 192 << 20

func cmdExport(e *env, args []string) error {
	fs, db := newFlags(e, "export")
	format := fs.String("format", "", "format: "+strings.Join(export.Names(), ", "))
	out := fs.String("out", "", "output file")
	var sources, codes, stances multi
	fs.Var(&sources, "source", "only this source (repeatable)")
	fs.Var(&codes, "code", "only annotations with this code or its sub-codes (repeatable)")
	fs.Var(&stances, "stance", "only annotations with TARGET=VALUE (repeatable)")
	var authors multi
	fs.Var(&authors, "author", "only annotations by this author (repeatable)")
	cred := fs.Int("credibility", 0, "only annotations graded 1..N (1 is best)")
	title := fs.String("title", "", "report title")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *format == "" && *out != "" {
		*format = filepath.Ext(*out)
	}
	f, err := export.Lookup(*format)
	if err != nil {
		return usagef("--format: %v", err)
	}
	if *out == "" {
		return usagef("--out PATH is required")
	}
	flt := annotate.Filter{Sources: sources, Codes: codes, MaxCredibility: annotate.Credibility(*cred), Authors: authors}
	for _, s := range stances {
		m, err := annotate.ParseStanceFilter(s)
		if err != nil {
			return usagef("--stance: %v", err)
		}
		flt.Stances = append(flt.Stances, m)
	}
	st, err := openRead(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	// The export streams from one read transaction: a source's text and
	// annotations are read as they are written, never the whole project.
	defer softMemoryLimit(exportMemoryLimit)()
	var done export.Progress
	var unreadable int
	err = st.Reader(func(r annotate.Reader) error {
		fr, err := annotate.FilterReader(r, flt)
		if err != nil {
			return err
		}
		wr, err := export.Watch(context.Background(), fr, nil)
		if err != nil {
			return err
		}
		if err := export.WriteFile(*out, func(w io.Writer) error {
			return f.Write(w, wr, export.Options{Title: *title, Author: author()})
		}); err != nil {
			return fmt.Errorf("%s: %v", *out, err)
		}
		done, unreadable = wr.Progress(), len(r.Unreadable())
		return nil
	})
	if err != nil {
		return err
	}
	if unreadable > 0 {
		fmt.Fprintf(e.errOut, "warning: %s: %d records could not be read and are left out (gloss check lists them)\n", *db, unreadable)
	}
	return e.emit(map[string]any{"out": *out, "format": f.Name, "sources": done.Total, "annotations": done.Annotations}, func(w io.Writer) {
		fmt.Fprintf(w, "wrote %s (%s: %d sources, %d annotations)\n", *out, f.Label, done.Total, done.Annotations)
	})
}

func cmdBackup(e *env, args []string) error {
	fs, db := newFlags(e, "backup")
	list := fs.Bool("list", false, "list the backups instead of writing one")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *db == "" {
		return usagef("--db FILE is required")
	}
	if *list {
		return backupList(e, *db)
	}
	// Read-only: a backup copies the project, it never writes it.
	st, err := openRead(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	path, err := st.Backup()
	if err != nil {
		return err
	}
	return e.emit(map[string]string{"backup": path}, func(w io.Writer) { fmt.Fprintln(w, path) })
}
