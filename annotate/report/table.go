package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"gloss/annotate"
)

// tableHeader names the columns of the CSV and XLSX exports.
var tableHeader = []string{"Source ID", "Title", "Outlet", "Published", "Language", "Reliability", "Flags",
	"Annotation ID", "Quote", "Start", "End", "Codes", "Stances", "Credibility", "Note", "Author", "Created", "Modified"}

// colWidths are XLSX column widths in characters, in tableHeader order.
var colWidths = []float64{16, 30, 18, 11, 9, 24, 20, 16, 60, 8, 8, 30, 26, 26, 40, 14, 20, 20}

// numeric marks the columns holding numbers (Start, End) that XLSX stores as numbers.
func numeric(col int) bool { return col == 9 || col == 10 }

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// tableRows yields one row per annotation, in report order. Sources without
// annotations yield no rows.
func tableRows(d *doc, fn func(row []string) error) error {
	for _, sd := range d.Sources {
		s := sd.Src
		for _, r := range sd.Rows {
			codes := make([]string, len(r.Codes))
			for i, c := range r.Codes {
				codes[i] = c.Path
			}
			if err := fn([]string{s.ID, s.Title, s.Outlet, s.Published, string(s.Language), relCell(s.Reliability),
				strings.Join(sd.Flags, "; "), r.A.ID, r.Quote, strconv.Itoa(r.Start), strconv.Itoa(r.End),
				strings.Join(codes, "; "), strings.Join(r.Stances, "; "), r.Cred, r.A.Note, r.A.Author,
				stamp(r.A.Created), stamp(r.A.Modified)}); err != nil {
				return err
			}
		}
	}
	return nil
}

func relCell(r annotate.Reliability) string {
	if r == "" {
		return ""
	}
	return relText(r)
}

// defuse stops a spreadsheet from running project text as a formula: a cell
// starting with = + - @ (or a tab or carriage return, which some
// spreadsheets skip before looking) gets a leading apostrophe (OWASP advice).
func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteCSV writes one row per annotation as UTF-8 with a byte-order mark
// (so Excel reads the Chinese), CRLF line ends and RFC 4180 quoting.
func WriteCSV(w io.Writer, p *annotate.Project, opt Options) error {
	d := build(p, opt)
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(tableHeader); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	err := tableRows(d, func(row []string) error {
		for i := range row {
			if !numeric(i) {
				row[i] = defuse(row[i])
			}
		}
		return cw.Write(row)
	})
	if err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	return nil
}

// xlsxCellMax is Excel's limit on characters in one cell.
const xlsxCellMax = 32767

// xlsxText makes s storable: XML forbids most control characters, and
// Excel refuses cells longer than xlsxCellMax.
func xlsxText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
	// Excel counts UTF-16 units; count runes twice over to stay safe for astral ones.
	if len(s) > xlsxCellMax/2 {
		n := 0
		for i, r := range s {
			n++
			if r > 0xFFFF {
				n++
			}
			if n > xlsxCellMax-1 {
				return s[:i] + "…"
			}
		}
	}
	return s
}

// WriteXLSX writes the same table as WriteCSV as an Excel workbook with a
// bold, frozen header row, an autofilter and set column widths. Cells are
// stored as text, never as formulas, so no apostrophe is needed.
func WriteXLSX(w io.Writer, p *annotate.Project, opt Options) error {
	d := build(p, opt)
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Annotations"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#EDEDED"}}})
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	top, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	for i, wd := range colWidths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("xlsx export: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	head := make([]any, len(tableHeader))
	for i, h := range tableHeader {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	n := 1
	err = tableRows(d, func(row []string) error {
		n++
		cells := make([]any, len(row))
		for i, v := range row {
			switch {
			case numeric(i):
				num, _ := strconv.Atoi(v)
				cells[i] = excelize.Cell{StyleID: top, Value: num}
			case i == 8 || i == 14: // quote and note wrap
				cells[i] = excelize.Cell{StyleID: wrap, Value: xlsxText(v)}
			default:
				cells[i] = excelize.Cell{StyleID: top, Value: xlsxText(v)}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	last, _ := excelize.CoordinatesToCellName(len(tableHeader), max(n, 2))
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	return nil
}
