// Package export lists every format a project can be written as, so the
// CLI's --format and the GUI's File ▸ Export offer the same choices.
package export

import (
	"fmt"
	"io"
	"strings"

	"gloss/annotate"
	"gloss/annotate/refiqda"
	"gloss/annotate/report"
	"gloss/annotate/webanno"
)

// Options carry what some formats need.
type Options struct {
	Title  string // report title
	Author string // who exports (REFI-QDA user, JSON-LD creator)
	// Workers caps the goroutines a report reads texts with (0: one per
	// core); see report.Options.
	Workers int
}

// Format is one way to write a project.
type Format struct {
	Name  string // as typed after --format
	Ext   string // file extension, with the dot
	Label string // for menus
	// Write streams what r reads to w. A failed write may leave part of
	// the output behind: write to a temporary file (WriteFile).
	Write func(w io.Writer, r annotate.Reader, opt Options) error
}

// WriteProject writes an in-memory project (the demo, tests).
func (f Format) WriteProject(w io.Writer, p *annotate.Project, opt Options) error {
	if p == nil {
		p = &annotate.Project{}
	}
	return f.Write(w, annotate.ProjectReader(p), opt)
}

// reportWith is a Format's Write for one of report's writers, which take
// the title and the number of text readers from Options.
func reportWith(stream func(io.Writer, annotate.Reader, report.Options) error) func(io.Writer, annotate.Reader, Options) error {
	return func(w io.Writer, r annotate.Reader, o Options) error {
		return stream(w, r, report.Options{Title: o.Title, Workers: o.Workers})
	}
}

// Formats in menu order.
var Formats = []Format{
	{"html", ".html", "HTML report", reportWith(report.StreamHTML)},
	{"pdf", ".pdf", "PDF report", reportWith(report.StreamPDF)},
	{"md", ".md", "Markdown report", reportWith(report.StreamMarkdown)},
	{"csv", ".csv", "CSV table (one row per annotation)", reportWith(report.StreamCSV)},
	{"xlsx", ".xlsx", "Excel workbook", reportWith(report.StreamXLSX)},
	{"jsonld", ".jsonld", "W3C Web Annotation JSON-LD", func(w io.Writer, r annotate.Reader, o Options) error {
		return webanno.WriteReader(w, r, webanno.Options{Creator: o.Author, Links: true})
	}},
	{"qdpx", ".qdpx", "REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder)", func(w io.Writer, r annotate.Reader, o Options) error {
		return refiqda.WriteQDPXReader(w, r, refiqda.Options{User: o.Author})
	}},
	{"qdc", ".qdc", "REFI-QDA codebook", func(w io.Writer, r annotate.Reader, _ Options) error {
		// The codebook alone: no text or annotation is read.
		codes, err := r.Codes()
		if err != nil {
			return err
		}
		return refiqda.WriteQDC(w, &annotate.Project{Name: r.Name(), Codes: codes})
	}},
}

// Lookup finds a format by name or extension, case-insensitively.
func Lookup(name string) (Format, error) {
	n := strings.ToLower(strings.TrimPrefix(name, "."))
	for _, f := range Formats {
		if f.Name == n || f.Ext == "."+n {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("format %q is not one of %s", name, strings.Join(Names(), ", "))
}

// Names lists the format names.
func Names() []string {
	out := make([]string, len(Formats))
	for i, f := range Formats {
		out[i] = f.Name
	}
	return out
}
