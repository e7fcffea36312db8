package export

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteFileReplacesOnlyWhenComplete(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "good"); return err }); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("disk full")
	})
	if err == nil {
		t.Fatal("the failure was lost")
	}
	if b, _ := os.ReadFile(path); string(b) != "good" {
		t.Fatalf("a failed export replaced the file: %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v", info.Mode().Perm())
	}
}

func TestStaleTemporariesRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	os.WriteFile(path, []byte("old"), 0o644)
	old := time.Now().Add(-2 * StaleAge)
	mk := func(name string, mod time.Time) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("partial"), 0o600)
		os.Chtimes(p, mod, mod)
		return p
	}
	killed := mk(".report.html"+tempMark+"123", old)
	legacy := mk(".report.html.987654", old)
	running := mk(".other.pdf"+tempMark+"55", time.Now()) // another export, still running
	mine := mk(".notes.txt.123", old)                     // not ours: no such export next to it
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{killed, legacy} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was left", filepath.Base(p))
		}
	}
	for _, p := range []string{running, mine} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed", filepath.Base(p))
		}
	}
}
