package storage

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// FuzzOpen writes arbitrary bytes to a file and opens it as a project, read
// only and for writing, reads it whole and as a large project's window
// does, checks it, backs it up, verifies it
// as a backup and salvages it: none of
// it may panic or hang, and every error names the file. Seeds (in
// testdata/fuzz/FuzzOpen) are small damaged projects; GLOSS_FUZZ_SEEDS=1 go
// test -run TestWriteFuzzSeeds ./storage writes them again.
func FuzzOpen(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 4096))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "p.gloss")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, opt := range []Options{{ReadOnly: true, Timeout: 100 * time.Millisecond}, {Timeout: 100 * time.Millisecond}} {
			s, err := Open(path, opt)
			if err != nil {
				if !strings.Contains(err.Error(), path) {
					t.Fatalf("error does not name the file: %v", err)
				}
				continue
			}
			if _, err := s.Snapshot(); err != nil && !strings.Contains(err.Error(), path) {
				t.Fatalf("snapshot error does not name the file: %v", err)
			}
			// What a window reads of a large project: its outline, its
			// counts, its damaged annotations and its texts.
			cat, err := s.Catalog()
			if err != nil && !strings.Contains(err.Error(), path) {
				t.Fatalf("catalog error does not name the file: %v", err)
			}
			// And a code's annotations across it, by reference and then
			// read.
			var codes []string
			if cat != nil {
				for _, c := range cat.Codes {
					codes = append(codes, c.ID)
				}
			}
			refs, err := s.AnnotationRefs(codes)
			if err != nil && !strings.Contains(err.Error(), path) {
				t.Fatalf("references error does not name the file: %v", err)
			}
			var ids []string
			for _, r := range refs {
				ids = append(ids, r.ID)
			}
			if err := s.AnnotationsByID(ids, func(annotate.Annotation) error { return nil }); err != nil && !strings.Contains(err.Error(), path) {
				t.Fatalf("records error does not name the file: %v", err)
			}
			if _, err := s.Totals(); err != nil && !strings.Contains(err.Error(), path) {
				t.Fatalf("totals error does not name the file: %v", err)
			}
			if _, err := s.UnreadableAnnotations(); err != nil && !strings.Contains(err.Error(), path) {
				t.Fatalf("scan error does not name the file: %v", err)
			}
			if err := s.EachText(func(string, string) error { return nil }); err != nil && !strings.Contains(err.Error(), path) {
				t.Fatalf("texts error does not name the file: %v", err)
			}
			s.Check()
			if !opt.ReadOnly {
				// A backup walks the file through its mapping; it refuses
				// a damaged one, or verifies the copy.
				if _, err := s.Backup(); err != nil && !strings.Contains(err.Error(), "p.gloss") {
					t.Fatalf("backup error names no file: %v", err)
				}
			}
			s.Close()
		}
		// A backup's verification (the whole page walk, then bbolt's
		// check) of whatever the file holds.
		if bi := inspectBackup(path); !bi.OK && bi.Problem == "" {
			t.Fatalf("backup %s refused without a reason", path)
		}
		if _, err := Salvage(path, filepath.Join(dir, "out.gloss")); err != nil && !strings.Contains(err.Error(), "p.gloss") && !strings.Contains(err.Error(), "out.gloss") {
			t.Fatalf("salvage error names no file: %v", err)
		}
	})
}

// smallProject builds a project with 1 KB pages, so seeds stay small.
func smallProject(t *testing.T) []byte {
	path := filepath.Join(t.TempDir(), "small.gloss")
	db, err := bolt.Open(path, 0o600, &bolt.Options{PageSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(db, path, latest); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, code, tgt := seed(t, s)
	var ch annotate.Change
	for i := 0; i < 6; i++ {
		a := annotation(t, src, i*3, i*3+4, code.ID)
		a.Stances = []annotate.StanceMark{{Target: tgt.ID, Stance: annotate.Against}}
		ch.PutAnnotations = append(ch.PutAnnotations, a)
	}
	if _, err := s.Apply(ch); err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := readPageFile(path, bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return b[:pf.meta.hwm*pf.ps] // without the unused page at the end
}

func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("GLOSS_FUZZ_SEEDS") == "" {
		t.Skip("set GLOSS_FUZZ_SEEDS=1 to rewrite testdata/fuzz/FuzzOpen")
	}
	good := smallProject(t)
	ps := 1024
	cp := func() []byte { return append([]byte(nil), good...) }
	seeds := map[string][]byte{
		"healthy":     cp(),
		"truncated-1": cp()[:len(good)-1],
		"half":        cp()[:len(good)/2],
		"2k":          cp()[:2048],
	}
	b := cp()
	flip(b, 16, 40)
	seeds["meta0"] = b
	b = cp()
	flip(b, int64(ps)+16, 40)
	seeds["meta1"] = b
	b = cp()
	for id := 3; id*ps < len(b); id += 3 {
		flip(b, int64(id*ps), 24)
	}
	seeds["data-headers"] = b
	b = cp()
	// An annotation record (schema 7: binary; 9: V2) whose ID length runs
	// on. (The flags take two bytes: the magic, flags, length, then "a…".)
	for i := 0; i+4 < len(b); i++ {
		if b[i] == annCodecV2 && b[i+2] < 0x80 && b[i+4] == 'a' && b[i+3] > 1 && b[i+3] < 40 {
			b[i+3] = 0xff
			break
		}
	}
	seeds["bad-record"] = b
	dir := filepath.Join("testdata", "fuzz", "FuzzOpen")
	os.MkdirAll(dir, 0o755)
	for name, data := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		// Prefixed by the schema, so seeds of older schemas stay.
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d-%s", latest, name)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
