package cli

import (
	"crypto/sha256"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// Read commands on a damaged project: exit 1 with a message naming the file
// and the way back, never a panic or exit 2, and not a byte changed. Then the
// way back: backup --list, restore, salvage.
func TestReadCommandsOnDamagedProject(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.gloss")
	if _, errOut, code := gloss(t, "demo", "--db", good); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string]func([]byte) []byte{
		"empty":     func(b []byte) []byte { return nil },
		"truncated": func(b []byte) []byte { return b[:len(b)/2] },
		"headers":   func(b []byte) []byte { flipAt(b, 16, 64); flipAt(b, 4096+16, 64); return b },
		"garbage": func(b []byte) []byte {
			r := rand.New(rand.NewSource(3))
			n := min(65536, len(b)/2)
			r.Read(b[len(b)/2-n/2 : len(b)/2+n/2])
			return b
		},
	}
	for name, damage := range variants {
		t.Run(name, func(t *testing.T) {
			d := t.TempDir()
			db := filepath.Join(d, "p.gloss")
			if err := os.WriteFile(db, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, errOut, code := gloss(t, "backup", "--db", db); code != 0 {
				t.Fatalf("backup: %s %s", out, errOut)
			}
			if err := os.WriteFile(db, damage(append([]byte(nil), raw...)), 0o600); err != nil {
				t.Fatal(err)
			}
			before := fileSum(t, db)
			for _, args := range [][]string{
				{"list", "--db", db},
				{"check", "--db", db},
				{"export", "--db", db, "--format", "html", "--out", filepath.Join(d, "r.html")},
				{"annotations", "--db", db},
				{"codes", "--db", db},
				{"link", "list", "--db", db},
			} {
				_, errOut, code := gloss(t, args...)
				if code != 1 || !strings.Contains(errOut, db) {
					t.Errorf("%s: exit %d, %q", args[0], code, errOut)
				}
				if name != "empty" && !strings.Contains(errOut, "gloss restore --db "+db) {
					t.Errorf("%s: no way back offered: %q", args[0], errOut)
				}
				if fileSum(t, db) != before {
					t.Fatalf("%s changed the file", args[0])
				}
			}
			if _, err := os.Stat(filepath.Join(d, "r.html")); err == nil {
				t.Error("an export of a damaged project was written")
			}

			out, errOut, code := gloss(t, "backup", "--db", db, "--list", "--json")
			var list []struct {
				Path        string
				OK          bool
				Annotations int
			}
			if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || !list[0].OK || list[0].Annotations == 0 {
				t.Fatalf("backup --list: %d %s %s", code, out, errOut)
			}
			out, errOut, code = gloss(t, "restore", "--db", db)
			if code != 0 || !strings.Contains(out, ".damaged-") {
				t.Fatalf("restore: %d %s %s", code, out, errOut)
			}
			if out, errOut, code := gloss(t, "check", "--db", db); code != 0 {
				t.Fatalf("check after restore: %s %s", out, errOut)
			}
			matches, _ := filepath.Glob(db + ".damaged-*")
			if len(matches) != 1 || fileSum(t, matches[0]) != before {
				t.Fatalf("the damaged file was not kept: %v", matches)
			}
			salvaged := filepath.Join(d, "salvaged.gloss")
			out, errOut, code = gloss(t, "salvage", "--db", matches[0], "--out", salvaged)
			if name == "empty" {
				if code != 1 || !strings.Contains(errOut, matches[0]) {
					t.Fatalf("salvage of an empty file: %d %s %s", code, out, errOut)
				}
				return
			}
			if code != 0 || !strings.Contains(out, "wrote "+salvaged) {
				t.Fatalf("salvage: %d %s %s", code, out, errOut)
			}
			if _, errOut, code := gloss(t, "list", "--db", salvaged); code != 0 {
				t.Fatalf("list of the salvaged project: %s", errOut)
			}
		})
	}
}

func flipAt(b []byte, off, n int) {
	for i := off; i < off+n && i < len(b); i++ {
		b[i] ^= 0x5A
	}
}

// Two read commands at once: the shared lock lets both in.
func TestReadCommandsRunSideBySide(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	if _, errOut, code := gloss(t, "demo", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	before := fileSum(t, db)
	st, err := openRead(db) // held open, as by a long export
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, errOut, code := gloss(t, "export", "--db", db, "--format", "md", "--out", filepath.Join(dir, "r.md")); code != 0 {
		t.Fatalf("export beside a reader: %s", errOut)
	}
	if _, errOut, code := gloss(t, "annotate", "--db", db, "--source", "x", "--quote", "y"); code != 1 || !strings.Contains(errOut, "is open in another Gloss process (a window or a command)") {
		t.Fatalf("a write beside a reader: %d %s", code, errOut)
	}
	if fileSum(t, db) != before {
		t.Fatal("reads changed the file")
	}
}
