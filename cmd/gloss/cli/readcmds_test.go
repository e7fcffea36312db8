package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"

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
