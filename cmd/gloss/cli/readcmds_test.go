package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"gloss/annotate"
	"gloss/internal/benchproj"
	"gloss/storage"
)

// TestCodesFromIndex: gloss codes, which reads only the codebook and the
// index, prints what it printed when it read the whole project and
// counted usage in an annotate.Index: nested codes' paths, an unused
// code's 0, every target, in text and in JSON.
func TestCodesFromIndex(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.gloss")
	st, err := storage.Open(db, storage.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	p := benchproj.Generate(40, 6, 5)
	c := benchproj.Change(p)
	c.PutCodes = append(c.PutCodes, annotate.Code{ID: "czzunused", Name: "Unused", Parent: p.Codes[0].ID, Color: "#123456"})
	if _, err := st.Commit(c); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot()
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	// What the command printed before, from the whole project.
	x := annotate.NewIndex(snap)
	var want bytes.Buffer
	tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCOLOUR\tUSED\tCODE")
	nested, unused := false, false
	for _, k := range snap.Codes {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", k.ID, k.Color, x.CodeUsage(k.ID), x.CodePath(k.ID))
		nested = nested || strings.Contains(x.CodePath(k.ID), " / ") && x.CodeUsage(k.ID) > 0
		unused = unused || x.CodeUsage(k.ID) == 0
	}
	tw.Flush()
	fmt.Fprintln(&want)
	for _, g := range snap.Targets {
		fmt.Fprintf(&want, "target %s\t%s\n", g.ID, g.Name)
	}
	if !nested || !unused || len(snap.Targets) == 0 {
		t.Fatalf("the project lacks a used nested code, an unused code or a target")
	}
	out, errOut, code := gloss(t, "codes", "--db", db)
	if code != 0 || out != want.String() {
		t.Fatalf("codes: exit %d, %s\ngot:\n%s\nwant:\n%s", code, errOut, out, want.String())
	}
	wantJSON, _ := json.MarshalIndent(map[string]any{"codes": snap.Codes, "targets": snap.Targets}, "", "  ")
	out, errOut, code = gloss(t, "codes", "--db", db, "--json")
	if code != 0 || strings.TrimSpace(out) != string(wantJSON) {
		t.Fatalf("codes --json: exit %d, %s\ngot:\n%s\nwant:\n%s", code, errOut, out, wantJSON)
	}
}

// listRowByEncoder is list's JSON element as encoding/json writes it.
func listRowByEncoder(t *testing.T, s annotate.Source, n int) string {
	t.Helper()
	type row struct {
		annotate.Source
		Annotations int `json:"annotations"`
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	if err := enc.Encode(row{s, n}); err != nil {
		t.Fatal(err)
	}
	return "\n  " + strings.TrimSuffix(buf.String(), "\n")
}

// fillAll sets every field of v, nested ones too, to something not empty,
// so a field added to annotate.Source shows up in the encoder's output.
func fillAll(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(42)
	case reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fillAll(v.Index(0), s)
		fillAll(v.Index(1), "二")
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 4, 5, 6, 7, 89, time.FixedZone("x", 3600))))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i), s)
			}
		}
	}
}

// TestListRowMatchesEncoder holds list --json's hand-written rows to what
// encoding/json wrote: every field set (a new field in annotate.Source
// fails here until the row writes it), every field empty, and strings
// that need escaping.
func TestListRowMatchesEncoder(t *testing.T) {
	var all annotate.Source
	fillAll(reflect.ValueOf(&all).Elem(), "a<b>&c")
	all.Text = "" // not listed (json:"-")
	sources := []annotate.Source{all, {}, {ID: "s1", ImportedAt: time.Date(1999, 1, 2, 3, 4, 5, 0, time.UTC)}}
	for _, str := range []string{"plain", "中美合作 😀", "quote \" and \\ slash", "tab\tnew\nline\r\b\f\x01\x1f", "<&>", "line\u2028sep\u2029",
		"bad \xff utf8", "", "é", "\x7f"} {
		s := all
		s.Title, s.Note, s.URL, s.ID = str, str, str, str
		s.Originals = []string{str}
		sources = append(sources, s)
	}
	for i, s := range sources {
		got, err := appendListRow(nil, &s, i)
		if err != nil {
			t.Fatal(err)
		}
		if want := listRowByEncoder(t, s, i); string(got) != want {
			t.Errorf("source %d:\ngot:  %q\nwant: %q", i, got, want)
		}
	}
	bad := annotate.Source{ImportedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := appendListRow(nil, &bad, 0); err == nil {
		t.Error("a time the encoder refuses was written")
	}
}
