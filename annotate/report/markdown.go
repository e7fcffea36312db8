package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"gloss/annotate"
	"gloss/annotate/coverage"
)

// WriteMarkdown writes the report as CommonMark (with GFM tables) for
// pasting into other documents. Highlighted passages are **bold** and
// preceded by their number in brackets; all project text is escaped so it
// cannot turn into links, HTML or formatting.
func WriteMarkdown(w io.Writer, p *annotate.Project, opt Options) error {
	return StreamMarkdown(w, readerOf(p), opt)
}

// StreamMarkdown writes the Markdown report of what r reads, one source at
// a time.
func StreamMarkdown(w io.Writer, r annotate.Reader, opt Options) error {
	d, err := prepare(r, opt, false)
	if err != nil {
		return fmt.Errorf("markdown report: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	m := &mdWriter{w: bw}
	m.f("# %s\n\n", mdEsc(d.Title))
	m.f("Generated %s · %d sources · %d annotations\n\n", d.Generated.Format("2006-01-02 15:04 MST"), len(d.Sources), d.NAnn)
	if len(d.Sources) == 0 {
		m.f("This report has no sources.\n\n")
	}
	m.analysis(d.A)
	if err := d.each(func(sd *srcDoc) error {
		s := sd.Src
		m.f("## %d. %s\n\n", sd.Num, mdEsc(sd.Title))
		field := func(k, v string) {
			if v != "" {
				m.f("- **%s:** %s\n", k, mdEsc(v))
			}
		}
		field("Outlet", s.Outlet)
		field("Author", s.Author)
		field("Published", s.Published)
		field("Language", langName(s.Language))
		field("Kind", string(s.Kind))
		field("Reliability", sd.Rel)
		if s.ReliabilityNote != "" {
			field("Reliability note", s.ReliabilityNote)
		}
		field("Flags", strings.Join(sd.Flags, ", "))
		field("URL", s.URL)
		field("File", s.FileName)
		field("ID", s.ID)
		field("Note", s.Note)
		m.f("\n### Text\n\n")
		if sd.Missing != "" {
			m.f("_%s_\n\n", mdEsc(sd.Missing))
		}
		m.text(sd)
		if len(sd.Rows) == 0 {
			m.f("_No annotations on this source._\n\n")
		} else {
			m.f("### Annotations\n\n| # | Quote | Codes | Stance | Credibility | Note |\n|--:|---|---|---|---|---|\n")
			for _, r := range sd.Rows {
				codes := make([]string, len(r.Codes))
				for i, c := range r.Codes {
					codes[i] = c.Path
				}
				quote := r.Quote
				if r.Problem != "" {
					quote += " (" + r.Problem + ")"
				}
				note := noteBy(r.A.Note, r.A.Author)
				m.f("| %d | %s | %s | %s | %s | %s |\n", r.N, cell(quote), cell(strings.Join(codes, "; ")),
					cell(strings.Join(r.Stances, "; ")), cell(r.Cred), cell(note))
			}
			m.f("\n")
		}
		for _, c := range sd.Coverage {
			r := c.R
			m.f("### Evidence from %s\n\n", mdEsc(c.Original.Title))
			m.f("%s of summary sentences have confirmed evidence (%d of %d; %d suggested only; %d unsupported). "+
				"%s of the original’s text is cited (%d of %d characters, not counting spaces; %s of its sentences).\n\n",
				pct(r.SentenceShare), r.Linked, len(r.Sentences), r.Suggested, len(r.Unsupported),
				pct(r.OriginalShare), r.OriginalCited, r.OriginalChars, pct(r.OriginalSentenceShare))
			for i, sn := range r.Sentences {
				m.f("%d. **%s** %s\n", i+1, stateWord(sn.State), mdEsc(oneLine(sn.Text)))
				for _, a := range sn.Evidence {
					m.f("    - %s (%d–%d)\n", mdEsc(oneLine(a.Selector.Exact)), a.Selector.Start, a.Selector.End)
				}
				if sn.State != coverage.Linked {
					for _, a := range sn.Suggestions {
						m.f("    - suggested: %s (%d–%d)\n", mdEsc(oneLine(a.Selector.Exact)), a.Selector.Start, a.Selector.End)
					}
				}
			}
			m.f("\n")
		}
		return m.err
	}); err != nil {
		return fmt.Errorf("markdown report: %w", err)
	}
	m.f("## Codebook\n\n")
	if len(d.Codes) == 0 {
		m.f("_No codes._\n\n")
	}
	for _, c := range d.Codes {
		line := strings.Repeat("  ", c.Depth) + "- **" + mdEsc(c.Code.Name) + "**"
		if rgb, ok := parseColor(c.Code.Color); ok {
			line += " `" + hex(rgb) + "`"
		}
		line += " (" + strconv.Itoa(c.Count) + ")"
		if c.Code.Description != "" {
			line += " — " + mdEsc(oneLine(c.Code.Description))
		}
		m.f("%s\n", line)
	}
	if len(d.Targets) > 0 {
		m.f("\n### Stance targets\n\n")
		for _, t := range d.Targets {
			m.f("- %s\n", mdEsc(t.Name))
		}
	}
	m.f("\n")
	if m.err != nil {
		return fmt.Errorf("markdown report: %w", m.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("markdown report: %w", err)
	}
	return nil
}

type mdWriter struct {
	w   *bufio.Writer
	err error
}

func (m *mdWriter) f(format string, a ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, a...)
	}
}

func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" }

func stateWord(s coverage.State) string {
	switch s {
	case coverage.Linked:
		return "Linked:"
	case coverage.Suggested:
		return "Suggested only:"
	}
	return "Unsupported:"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cell escapes text for a GFM table cell, which must stay on one line.
func cell(s string) string {
	if s == "" {
		return "—"
	}
	return mdEsc(oneLine(s))
}

// text writes a source's text, one Markdown paragraph per line, with each
// highlighted run in bold and each passage's number before it.
func (m *mdWriter) text(sd *srcDoc) {
	var line, hl strings.Builder
	lineStart, hlStart := true, false
	// Adjacent highlighted runs are joined: "**a****b**" does not parse.
	flushHL := func() {
		if hl.Len() > 0 {
			line.WriteString(bold(hl.String(), hlStart))
			hl.Reset()
		}
	}
	flush := func() {
		flushHL()
		if l := strings.TrimRight(line.String(), " \t"); l != "" {
			m.f("%s\n\n", l)
		}
		line.Reset()
		lineStart = true
	}
	for _, sg := range sd.Segments {
		if len(sg.Markers) > 0 {
			flushHL()
			for _, n := range sg.Markers {
				line.WriteString("\\[" + strconv.Itoa(n) + "\\]")
			}
			lineStart = false
		}
		for i, part := range strings.Split(sg.Text, "\n") {
			if i > 0 {
				flush()
			}
			if lineStart {
				part = strings.TrimLeft(part, " \t")
			}
			if part == "" {
				continue
			}
			if len(sg.Rows) == 0 {
				flushHL()
				line.WriteString(mdEscAt(part, lineStart))
			} else {
				if hl.Len() == 0 {
					hlStart = lineStart
				}
				hl.WriteString(part)
			}
			lineStart = false
		}
	}
	flush()
}

// bold wraps s in ** but keeps leading and trailing spaces and punctuation
// outside: CommonMark only closes ** after punctuation when whitespace or
// punctuation follows, which Chinese text rarely has.
func bold(s string, lineStart bool) string {
	r := []rune(s)
	i, j := 0, len(r)
	edge := func(c rune) bool { return unicode.IsSpace(c) || unicode.IsPunct(c) || unicode.IsSymbol(c) }
	for i < j && edge(r[i]) {
		i++
	}
	for j > i && edge(r[j-1]) {
		j--
	}
	if i == j {
		return mdEscAt(s, lineStart)
	}
	return mdEscAt(string(r[:i]), lineStart) + "**" + mdEscAt(string(r[i:j]), lineStart && i == 0) + "**" + mdEsc(string(r[j:]))
}

func mdEsc(s string) string { return mdEscAt(s, false) }

// mdEscAt backslash-escapes the characters that could make text into
// Markdown markup; at the start of a line also those that open a block.
func mdEscAt(s string, lineStart bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, c := range s {
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '#', '$', '^':
			b.WriteByte('\\')
		case '-', '+', '=', '!', '.', ')', ':':
			if lineStart && i == 0 {
				b.WriteByte('\\')
			}
		}
		if lineStart && i > 0 && (c == '.' || c == ')') && allDigits(s[:i]) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// noteBy joins a note and its author as "note — author".
func noteBy(note, author string) string {
	switch {
	case author == "":
		return note
	case strings.TrimSpace(note) == "":
		return author
	}
	return note + " — " + author
}
