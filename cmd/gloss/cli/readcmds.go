package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"gloss/annotate"
)

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

func cmdCodes(e *env, args []string) error {
	fs, db := newFlags(e, "codes")
	st, _, err := start(fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	// The codebook and the usage counts from the index keys: no source or
	// annotation is decoded, so time and memory do not grow with them.
	p, err := st.Codebook()
	if err != nil {
		return err
	}
	if n := len(p.Unreadable); n > 0 {
		fmt.Fprintf(e.errOut, "warning: %s: %d records could not be read and are left out (gloss check lists them)\n", *db, n)
	}
	usage, err := st.CodeUsage()
	if err != nil {
		return err
	}
	x := annotate.NewIndex(p)
	return e.emit(map[string]any{"codes": p.Codes, "targets": p.Targets}, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCOLOUR\tUSED\tCODE")
		for _, c := range p.Codes {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", c.ID, c.Color, usage[c.ID], x.CodePath(c.ID))
		}
		tw.Flush()
		fmt.Fprintln(w)
		for _, t := range p.Targets {
			fmt.Fprintf(w, "target %s\t%s\n", t.ID, t.Name)
		}
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
	// Counted from the keys: decoding every source only to count them
	// would add to the check's time and memory.
	nsrc, err := st.SourceCount()
	if err != nil {
		problems = append(problems, err)
	}
	if err := e.emit(map[string]any{"ok": len(problems) == 0, "problems": errStrings(problems), "sources": nsrc}, func(w io.Writer) {
		for _, p := range problems {
			fmt.Fprintln(w, "problem:", p)
		}
		if len(problems) == 0 {
			fmt.Fprintf(w, "%s: ok (%d sources)\n", *db, nsrc)
		}
	}); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %d problem(s)", *db, len(problems))
	}
	return nil
}
