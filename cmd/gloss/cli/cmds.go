package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	"gloss/annotate/ingest"
	"gloss/annotate/textimport"
)

func formatNames() []string { return export.Names() }

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
	have, err := st.Sources()
	if err != nil {
		return err
	}
	res := ingest.Files(files, ingest.Hashes(have), opt)
	var x *annotate.Index // only merging an archive reads the project
	if len(res.Projects) > 0 {
		// Merging an archive needs the codebook and targets as well.
		p, err := st.Snapshot()
		if err != nil {
			return err
		}
		x = annotate.NewIndex(p)
	}
	ch := res.Change(x)
	if !ch.Empty() {
		if _, err := st.Apply(ch); err != nil {
			return err
		}
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
	err = e.emit(map[string]any{"imported": rows, "annotations": len(ch.PutAnnotations), "skipped": res.Skipped, "refused": errStrings(res.Problems), "files": res.Files}, func(w io.Writer) {
		for _, r := range rows {
			fmt.Fprintln(w, r.ID)
		}
	})
	if err == nil && len(res.Problems) > 0 {
		err = fmt.Errorf("%d of %d files refused", len(res.Problems), len(files))
	}
	return err
}

func errStrings(errs []error) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func cmdList(e *env, args []string) error {
	fs, db := newFlags(e, "list")
	st, _, err := start(fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	// Counts come from the index keys; sources are written as they are
	// read, so memory stays flat however many there are.
	counts, err := st.AnnotationCounts()
	if err != nil {
		return err
	}
	type row struct {
		annotate.Source
		Annotations int `json:"annotations"`
	}
	bad := func(id string, err error) {
		fmt.Fprintf(e.errOut, "gloss list: source %s cannot be read, skipped: %v\n", id, err)
	}
	if e.json {
		// The layout of an indented array, one element at a time.
		out := bufio.NewWriter(e.out)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("  ", "  ")
		n := 0
		fmt.Fprint(out, "[")
		err := st.EachSource(bad, func(s annotate.Source) error {
			buf.Reset()
			if err := enc.Encode(row{s, counts[s.ID]}); err != nil {
				return err
			}
			if n > 0 {
				fmt.Fprint(out, ",")
			}
			n++
			fmt.Fprint(out, "\n  ")
			_, err := out.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			return err
		})
		if n > 0 {
			fmt.Fprint(out, "\n")
		}
		fmt.Fprintln(out, "]")
		if ferr := out.Flush(); err == nil {
			err = ferr
		}
		return err
	}
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLANG\tKIND\tREL\tPUBLISHED\tOUTLET\tANN\tTITLE")
	err = st.EachSource(bad, func(r annotate.Source) error {
		_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.ID, dash(string(r.Language)), r.Kind, dash(string(r.Reliability)), dash(r.Published), dash(r.Outlet), counts[r.ID], r.DisplayTitle())
		return err
	})
	if ferr := tw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
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

func cmdCodes(e *env, args []string) error {
	fs, db := newFlags(e, "codes")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, p, err := readProject(e, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	x := annotate.NewIndex(p)
	return e.emit(map[string]any{"codes": p.Codes, "targets": p.Targets}, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCOLOUR\tUSED\tCODE")
		for _, c := range p.Codes {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", c.ID, c.Color, x.CodeUsage(c.ID), x.CodePath(c.ID))
		}
		tw.Flush()
		fmt.Fprintln(w)
		for _, t := range p.Targets {
			fmt.Fprintf(w, "target %s\t%s\n", t.ID, t.Name)
		}
	})
}

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

func cmdCheck(e *env, args []string) error {
	fs, db := newFlags(e, "check")
	st, _, err := start(fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	problems, err := st.Check()
	if err != nil {
		return err
	}
	srcs, _ := st.Sources()
	if err := e.emit(map[string]any{"ok": len(problems) == 0, "problems": errStrings(problems), "sources": len(srcs)}, func(w io.Writer) {
		for _, p := range problems {
			fmt.Fprintln(w, "problem:", p)
		}
		if len(problems) == 0 {
			fmt.Fprintf(w, "%s: ok (%d sources)\n", *db, len(srcs))
		}
	}); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %d problem(s)", *db, len(problems))
	}
	return nil
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
