package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

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
		out := bufio.NewWriterSize(e.out, 64<<10)
		var buf []byte
		n := 0
		out.WriteString("[")
		err := st.EachSource(bad, func(s annotate.Source) error {
			if n > 0 {
				out.WriteString(",")
			}
			n++
			var err error
			if buf, err = appendListRow(buf[:0], &s, counts[s.ID]); err != nil {
				return err
			}
			_, err = out.Write(buf)
			return err
		})
		if n > 0 {
			out.WriteString("\n")
		}
		out.WriteString("]\n")
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

// appendListRow appends one element of list's JSON array: the source's
// fields and its annotation count, laid out as an encoding/json Encoder
// with SetIndent("  ", "  ") and no HTML escaping lays out the struct
// {annotate.Source; Annotations int}, preceded by "\n  ". Written by hand
// because reflection and re-indenting were a third of list's time at
// 10,000 sources; TestListRowMatchesEncoder holds it to the encoder.
func appendListRow(b []byte, s *annotate.Source, annotations int) ([]byte, error) {
	const ind = "\n    "
	field := func(name string) {
		b = append(b, ind...)
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `": `...)
	}
	str := func(name, v string, omitEmpty bool) {
		if omitEmpty && v == "" {
			return
		}
		field(name)
		b = appendJSONString(b, v)
		b = append(b, ',')
	}
	b = append(b, "\n  {"...)
	str("id", s.ID, false)
	str("title", s.Title, true)
	str("outlet", s.Outlet, true)
	str("author", s.Author, true)
	str("url", s.URL, true)
	str("published", s.Published, true)
	str("language", string(s.Language), true)
	str("kind", string(s.Kind), false)
	str("contentHash", s.ContentHash, false)
	field("length")
	b = strconv.AppendInt(b, int64(s.Length), 10)
	b = append(b, ',')
	field("importedAt")
	t, err := s.ImportedAt.MarshalJSON()
	if err != nil {
		return b, fmt.Errorf("json: error calling MarshalJSON for type time.Time: %w", err)
	}
	b = append(b, t...)
	b = append(b, ',')
	str("fileName", s.FileName, true)
	str("reliability", string(s.Reliability), true)
	str("reliabilityNote", s.ReliabilityNote, true)
	if s.StateAffiliated {
		field("stateAffiliated")
		b = append(b, "true,"...)
	}
	if s.MachineTranslated {
		field("machineTranslated")
		b = append(b, "true,"...)
	}
	str("note", s.Note, true)
	for _, nested := range []struct {
		name string
		v    any
		n    int
	}{{"originals", s.Originals, len(s.Originals)}, {"figureMarks", s.FigureMarks, len(s.FigureMarks)}} {
		if nested.n == 0 {
			continue
		}
		// Rare and nested: the encoder itself, at this depth.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("    ", "  ")
		if err := enc.Encode(nested.v); err != nil {
			return b, err
		}
		field(nested.name)
		b = append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
		b = append(b, ',')
	}
	field("annotations")
	b = strconv.AppendInt(b, int64(annotations), 10)
	return append(b, "\n  }"...), nil
}

// appendJSONString appends s quoted as encoding/json quotes it without
// HTML escaping; strings with anything to escape go to the encoder.
func appendJSONString(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' {
			return appendJSONStringSlow(b, s)
		}
		ascii = ascii && c < utf8.RuneSelf
	}
	if !ascii && (!utf8.ValidString(s) || strings.ContainsAny(s, "\u2028\u2029")) {
		return appendJSONStringSlow(b, s)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSONStringSlow(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}
