package report

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

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

// tableRows yields one row per annotation, in report order, reading one
// source at a time. Sources without annotations yield no rows.
func tableRows(d *doc, fn func(row []string) error) error {
	return d.each(func(sd *srcDoc) error {
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
		return nil
	})
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
	return StreamCSV(w, readerOf(p), opt)
}

// StreamCSV writes the CSV table of what r reads, row by row.
func StreamCSV(w io.Writer, r annotate.Reader, opt Options) error {
	d, err := prepare(r, opt, true)
	if err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(tableHeader); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	err = tableRows(d, func(row []string) error {
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
	return StreamXLSX(w, readerOf(p), opt)
}

// StreamXLSX writes the workbook of what r reads. The sheet is written to
// the zip stream row by row (inline strings, no shared-string table), and
// the parts that need the row count (the autofilter's range) come after
// it, so nothing but one source's rows is held.
func StreamXLSX(w io.Writer, r annotate.Reader, opt Options) error {
	d, err := prepare(r, opt, true)
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	zw := zip.NewWriter(w)
	part := func(name, body string) error {
		f, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(f, body)
		}
		return err
	}
	for _, p := range [][2]string{
		{"[Content_Types].xml", xlsxContentTypes},
		{"_rels/.rels", xlsxRootRels},
		{"xl/_rels/workbook.xml.rels", xlsxWorkbookRels},
		{"xl/styles.xml", xlsxStyles},
	} {
		if err := part(p[0], p[1]); err != nil {
			return fmt.Errorf("xlsx export: %w", err)
		}
	}
	f, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	sw := &sheetWriter{w: bufio.NewWriterSize(f, 64<<10)}
	sw.s(xml.Header + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>`)
	for i, wd := range colWidths {
		sw.s(fmt.Sprintf(`<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, wd))
	}
	sw.s(`</cols><sheetData>`)
	n := 1
	sw.row(n, tableHeader, func(int) int { return xfBold })
	err = tableRows(d, func(row []string) error {
		n++
		sw.row(n, row, func(i int) int {
			if i == 8 || i == 14 { // quote and note wrap
				return xfWrap
			}
			return xfTop
		})
		return sw.err
	})
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	last := fmt.Sprintf("%s%d", colName(len(tableHeader)-1), max(n, 2))
	sw.s(`</sheetData><autoFilter ref="A1:` + last + `"/></worksheet>`)
	if sw.err == nil {
		sw.err = sw.w.Flush()
	}
	if sw.err != nil {
		return fmt.Errorf("xlsx export: %w", sw.err)
	}
	abs := "$A$1:$" + colName(len(tableHeader)-1) + "$" + strconv.Itoa(max(n, 2))
	if err := part("xl/workbook.xml", xml.Header+`<workbook xmlns="`+nsMain+`" xmlns:r="`+nsRel+`">`+
		`<bookViews><workbookView/></bookViews><sheets><sheet name="Annotations" sheetId="1" r:id="rId1"/></sheets>`+
		`<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Annotations!`+abs+`</definedName></definedNames></workbook>`); err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	return nil
}

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	// Cell formats, in the order of cellXfs in xlsxStyles.
	xfBold = 1 // header: bold on grey
	xfWrap = 2 // top-aligned, wrapped
	xfTop  = 3 // top-aligned
)

const xlsxContentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
	`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
	`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`

const xlsxRootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

const xlsxWorkbookRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`

const xlsxStyles = xml.Header + `<styleSheet xmlns="` + nsMain + `">` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// colName is a column's letters; the table has fewer than 27 columns.
func colName(i int) string { return string(rune('A' + i)) }

// sheetWriter writes sheet XML, keeping the first error.
type sheetWriter struct {
	w   *bufio.Writer
	err error
}

func (sw *sheetWriter) s(v string) {
	if sw.err == nil {
		_, sw.err = sw.w.WriteString(v)
	}
}

// row writes one row: numeric columns as numbers, the rest as inline
// strings (never formulas), each cell in the format style(column) gives.
func (sw *sheetWriter) row(n int, cells []string, style func(int) int) {
	rn := strconv.Itoa(n)
	sw.s(`<row r="` + rn + `">`)
	for i, v := range cells {
		ref := colName(i) + rn
		xf := strconv.Itoa(style(i))
		if numeric(i) && n > 1 {
			if num, err := strconv.Atoi(v); err == nil {
				sw.s(`<c r="` + ref + `" s="` + xf + `"><v>` + strconv.Itoa(num) + `</v></c>`)
				continue
			}
		}
		if v == "" {
			sw.s(`<c r="` + ref + `" s="` + xf + `"/>`)
			continue
		}
		sw.s(`<c r="` + ref + `" s="` + xf + `" t="inlineStr"><is><t xml:space="preserve">`)
		if sw.err == nil {
			sw.err = xml.EscapeText(sw.w, []byte(xlsxText(v)))
		}
		sw.s(`</t></is></c>`)
	}
	sw.s(`</row>`)
}
