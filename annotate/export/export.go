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
}

// Format is one way to write a project.
type Format struct {
	Name  string // as typed after --format
	Ext   string // file extension, with the dot
	Label string // for menus
	Write func(w io.Writer, p *annotate.Project, opt Options) error
}

// Formats in menu order.
var Formats = []Format{
	{"html", ".html", "HTML report", func(w io.Writer, p *annotate.Project, o Options) error {
		return report.WriteHTML(w, p, report.Options{Title: o.Title})
	}},
	{"pdf", ".pdf", "PDF report", func(w io.Writer, p *annotate.Project, o Options) error {
		return report.WritePDF(w, p, report.Options{Title: o.Title})
	}},
	{"md", ".md", "Markdown report", func(w io.Writer, p *annotate.Project, o Options) error {
		return report.WriteMarkdown(w, p, report.Options{Title: o.Title})
	}},
	{"csv", ".csv", "CSV table (one row per annotation)", func(w io.Writer, p *annotate.Project, o Options) error {
		return report.WriteCSV(w, p, report.Options{Title: o.Title})
	}},
	{"xlsx", ".xlsx", "Excel workbook", func(w io.Writer, p *annotate.Project, o Options) error {
		return report.WriteXLSX(w, p, report.Options{Title: o.Title})
	}},
	{"jsonld", ".jsonld", "W3C Web Annotation JSON-LD", func(w io.Writer, p *annotate.Project, o Options) error {
		return webanno.Write(w, p, webanno.Options{Creator: o.Author, Links: true})
	}},
	{"qdpx", ".qdpx", "REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder)", func(w io.Writer, p *annotate.Project, o Options) error {
		return refiqda.WriteQDPX(w, p, refiqda.Options{User: o.Author})
	}},
	{"qdc", ".qdc", "REFI-QDA codebook", func(w io.Writer, p *annotate.Project, _ Options) error {
		return refiqda.WriteQDC(w, p)
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
