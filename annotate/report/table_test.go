package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gloss/annotate"
)

func tableProject(t *testing.T) *annotate.Project {
	p := &annotate.Project{Codes: []annotate.Code{{ID: "p", Name: "Cooperation", Color: "#7fc97f"}, {ID: "c", Name: "Flights", Parent: "p", Color: "#80b1d3"}},
		Targets: []annotate.Target{{ID: "t", Name: "United States"}}}
	s := newSource("s1", "=HYPERLINK(\"http://evil\",\"x\")", "中美合作遣返非法移民。\"引号\",逗号\n换行。=1+1 @SUM(A1) -2+3 +cmd", annotate.Simplified)
	s.Outlet, s.Reliability, s.StateAffiliated, s.Published = "人民日报", "B", true, "2024-04-06"
	p.Sources = []annotate.Source{s, newSource("s2", "Empty", "No annotations here.", annotate.English)}
	annotateQuote(t, p, "s1", "中美合作遣返", []string{"c"}, []annotate.StanceMark{{Target: "t", Stance: annotate.Favor}}, 2, "+note")
	annotateQuote(t, p, "s1", "\"引号\",逗号\n换行", nil, nil, 0, "")
	annotateQuote(t, p, "s1", "=1+1", nil, nil, 0, "@me")
	annotateQuote(t, p, "s1", "-2+3", nil, nil, 0, "")
	return p
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tableProject(t), Options{}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 BOM: % x", b[:3])
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Error("rows do not end in CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want header + 4", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	r1 := rows[1]
	check := func(row []string, name, want string) {
		t.Helper()
		if got := row[col[name]]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check(r1, "Quote", "中美合作遣返")
	check(r1, "Outlet", "人民日报")
	check(r1, "Title", "'=HYPERLINK(\"http://evil\",\"x\")")
	check(r1, "Codes", "Cooperation / Flights")
	check(r1, "Stances", "United States: favor")
	check(r1, "Credibility", "2 — Probably true")
	check(r1, "Reliability", "B — Usually reliable")
	check(r1, "Flags", "State-affiliated")
	check(r1, "Note", "'+note")
	check(r1, "Start", "0")
	check(r1, "End", "6")
	check(rows[2], "Quote", "\"引号\",逗号\n换行")
	check(rows[3], "Quote", "'=1+1")
	check(rows[3], "Note", "'@me")
	check(rows[4], "Quote", "'-2+3")
	check(rows[4], "Codes", "")
}

func TestCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, &annotate.Project{}, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\r\n"); got != 1 {
		t.Fatalf("empty project: %d lines, want just the header", got)
	}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tableProject(t), Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Annotations")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "Source ID" {
		t.Fatalf("rows = %d, header %v", len(rows), rows[0])
	}
	if rows[1][8] != "中美合作遣返" || rows[1][2] != "人民日报" || rows[2][8] != "\"引号\",逗号\n换行" {
		t.Errorf("Chinese did not round-trip: %q %q %q", rows[1][8], rows[1][2], rows[2][8])
	}
	// Stored as text, not a formula.
	if fm, _ := f.GetCellFormula("Annotations", "I4"); fm != "" || rows[3][8] != "=1+1" {
		t.Errorf("I4 formula %q value %q", fm, rows[3][8])
	}
	if v, _ := f.GetCellType("Annotations", "J2"); v != excelize.CellTypeUnset && v != excelize.CellTypeNumber {
		t.Errorf("Start stored as %v", v)
	}
	panes, err := f.GetPanes("Annotations")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	st, _ := f.GetCellStyle("Annotations", "A1")
	if s, err := f.GetStyle(st); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header not bold")
	}
	if w, _ := f.GetColWidth("Annotations", "I"); w < 40 {
		t.Errorf("quote column width %v", w)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		found = found || dn.Name == "_xlnm._FilterDatabase" && strings.Contains(dn.RefersTo, "$A$1:$R$5")
	}
	if !found {
		t.Errorf("no autofilter over A1:R5: %+v", f.GetDefinedName())
	}
	// An empty project still opens.
	buf.Reset()
	if err := WriteXLSX(&buf, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := excelize.OpenReader(&buf); err != nil {
		t.Fatal(err)
	}
}
