package cli

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gloss/annotate/refiqda"
	"gloss/internal/benchproj"
	"gloss/storage"
)

// projectJSON is everything a project holds, for before/after comparisons.
func projectJSON(t *testing.T, path string) string {
	t.Helper()
	raw, err := json.Marshal(snapshot(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// dropLastText copies a .qdpx without the text file of the last source in
// project.qde, so an import fails on that source, after the others.
func dropLastText(t *testing.T, in, out string) {
	t.Helper()
	zr, err := zip.OpenReader(in)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var qde string
	for _, f := range zr.File {
		if f.Name == "project.qde" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			qde = string(b)
		}
	}
	paths := regexp.MustCompile(`plainTextPath="internal://([^"]+)"`).FindAllStringSubmatch(qde, -1)
	if len(paths) < 2 {
		t.Fatalf("%d sources in the archive; want several", len(paths))
	}
	drop := "Sources/" + paths[len(paths)-1][1]
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == drop {
			continue
		}
		rc, _ := f.Open()
		w, _ := zw.Create(f.Name)
		io.Copy(w, rc)
		rc.Close()
	}
	zw.Close()
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// An archive imported in parts (one per source here) gives the project a
// whole import gives; one that fails on its last source, after the other
// parts were written, leaves the project as it was.
func TestImportArchiveInPartsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	demo := filepath.Join(dir, "demo.gloss")
	mustGloss(t, "demo", "--db", demo)
	qdpx := filepath.Join(dir, "demo.qdpx")
	mustGloss(t, "export", "--db", demo, "--format", "qdpx", "--out", qdpx)

	whole := filepath.Join(dir, "whole.gloss")
	mustGloss(t, "import", "--db", whole, qdpx)
	defer func(n int) { archivePartBytes = n }(archivePartBytes)
	archivePartBytes = 1
	parts := filepath.Join(dir, "parts.gloss")
	mustGloss(t, "import", "--db", parts, qdpx)
	for _, cmd := range [][]string{{"list", "--json"}, {"annotations", "--json"}, {"codes", "--json"}, {"link", "list", "--json"}, {"claim", "list", "--json"}} {
		a := mustGloss(t, append(cmd, "--db", whole)...)
		b := mustGloss(t, append(cmd, "--db", parts)...)
		if a != b {
			t.Fatalf("%s differs between a whole and a part-by-part import:\n%s\n---\n%s", cmd, a, b)
		}
	}
	if out, errOut, code := gloss(t, "check", "--db", parts); code != 0 {
		t.Fatal(out, errOut)
	}

	// Into a project with a source of its own: the failure takes every
	// part back out.
	bad := filepath.Join(dir, "bad.qdpx")
	dropLastText(t, qdpx, bad)
	db := filepath.Join(dir, "p.gloss")
	mustGloss(t, "import", "--db", db, write(t, dir, "note.txt", []byte("A source of this project's own.\n")))
	before := projectJSON(t, db)
	_, errOut, code := gloss(t, "import", "--db", db, bad)
	if code == 0 || !strings.Contains(errOut, "refused: "+bad) || !strings.Contains(errOut, "the archive has no entry") {
		t.Fatalf("the broken archive: exit %d: %s", code, errOut)
	}
	if got := projectJSON(t, db); got != before {
		t.Fatalf("a failed import left another project:\n%s\nwant\n%s", got, before)
	}
	st, err := storage.Open(db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is left pending: a new import can begin.
	imp, err := st.BeginImport("next")
	if err != nil {
		t.Fatal(err)
	}
	imp.Abort()
	st.Close()
}

// A merge of an archive, streamed in parts, reports what the whole merge
// (its dry run) says it would do, and does it.
func TestMergeArchiveInPartsReportsAsWhole(t *testing.T) {
	dir := t.TempDir()
	demo := filepath.Join(dir, "demo.gloss")
	mustGloss(t, "demo", "--db", demo)
	qdpx := filepath.Join(dir, "demo.qdpx")
	mustGloss(t, "export", "--db", demo, "--format", "qdpx", "--out", qdpx)
	defer func(n int) { archivePartBytes = n }(archivePartBytes)
	archivePartBytes = 1
	for _, into := range []string{"fresh", "itself"} {
		db := filepath.Join(dir, into+".gloss")
		if into == "itself" {
			mustGloss(t, "demo", "--db", db)
		} else {
			mustGloss(t, "import", "--db", db, write(t, dir, "note.txt", []byte("A source of this project's own.\n")))
		}
		dry := mustGloss(t, "merge", "--db", db, "--dry-run", "--json", qdpx)
		done := mustGloss(t, "merge", "--db", db, "--json", qdpx)
		if strings.Replace(dry, `"dryRun": true`, `"dryRun": false`, 1) != done {
			t.Fatalf("merge into %s: the streamed merge reports\n%s\nthe whole one\n%s", into, done, dry)
		}
		again := mustGloss(t, "merge", "--db", db, "--dry-run", "--json", qdpx)
		var r struct {
			Added struct{ Sources, Annotations, Links, Claims int }
		}
		if err := json.Unmarshal([]byte(again), &r); err != nil || r.Added.Sources+r.Added.Annotations+r.Added.Links+r.Added.Claims != 0 {
			t.Fatalf("merge into %s: a second merge would still add %s (%v)", into, again, err)
		}
	}
}

// BenchmarkImportArchive imports a .qdpx of N sources (20 annotations
// each, as genproj makes them) into a new project, the whole of `gloss
// import`'s work: read, merge, apply in parts. Linear import keeps
// ns/source flat from 200 to 2,000 sources; B/op is allocation, not the
// peak (the peak at 10,000 sources is measured with /usr/bin/time).
func BenchmarkImportArchive(b *testing.B) {
	for _, n := range []int{200, 2000} {
		b.Run(fmt.Sprintf("sources=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			qdpx := filepath.Join(dir, "p.qdpx")
			var buf bytes.Buffer
			if err := refiqda.WriteQDPX(&buf, benchproj.Generate(n, 20, 1), refiqda.Options{}); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(qdpx, buf.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				st, err := storage.Open(filepath.Join(dir, fmt.Sprintf("i%d.gloss", i)), storage.Options{Create: true})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				ai, err := importArchive(st, qdpx, "Import", func(string) {})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				st.Close()
				if ai.report.Added.Sources != n {
					b.Fatalf("%d sources added, want %d", ai.report.Added.Sources, n)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/source")
		})
	}
}

// A part that cannot be applied stops the read, and its error is the one
// reported; a read error after good parts is reported as it is.
func TestPipePartsStopsOnFirstError(t *testing.T) {
	applyErr, readErr := fmt.Errorf("part 2 refused"), fmt.Errorf("text missing")
	emitted, applied := 0, 0
	err := pipeParts(func(emit func(refiqda.Part) error) error {
		for range 10 {
			if err := emit(refiqda.Part{}); err != nil {
				return err
			}
			emitted++
		}
		return nil
	}, func(refiqda.Part) error {
		if applied++; applied == 2 {
			return applyErr
		}
		return nil
	})
	if err != applyErr || applied != 2 || emitted > 3 {
		t.Fatalf("%v after %d emitted, %d applied; want the apply's error, the read stopped", err, emitted, applied)
	}
	applied = 0
	err = pipeParts(func(emit func(refiqda.Part) error) error {
		emit(refiqda.Part{})
		emit(refiqda.Part{})
		return readErr
	}, func(refiqda.Part) error { applied++; return nil })
	if err != readErr || applied != 2 {
		t.Fatalf("%v after %d applied; want the read's error after both parts", err, applied)
	}
}
