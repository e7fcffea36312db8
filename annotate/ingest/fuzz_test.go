package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gloss/annotate"
	"gloss/annotate/textimport"
)

// FuzzRead: any bytes saved under any file name either become one valid
// source with a report of how it was read, or are refused with an error
// naming the file. Never a panic, never invalid UTF-8, never a U+FFFD the
// file did not hold unless an encoding was forced and the count says so.
func FuzzRead(f *testing.F) {
	for _, c := range []struct{ name, body, enc string }{
		{"a.txt", "Talks resumed.", ""},
		{"b.md", "# T\n\n> > quote [link](u) *x*", ""},
		{"c.html", "<html><body><p>a&amp;b</p></body></html>", ""},
		{"d.txt", "\xd6\xd0\xb9\xfa\xd5\xfe\xb8\xae", ""},
		{"e.txt", "caf\xe9 \x93quoted\x94", ""},
		{"f.txt", "China\xe2\x80\x99s \x92", "utf-8"},
		{"g.txt", "\xff\xfeT\x00a\x00", "utf-16le"},
		{"h.qdpx", "PK\x03\x04", ""},
		{"noext", "<!doctype html><p>x", "big5"},
		{"i.txt", "\xef\xbb\xbf\xff", "gbk"},
	} {
		f.Add(c.name, []byte(c.body), c.enc)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, name string, data []byte, enc string) {
		base := filepath.Base(name)
		if base == "." || base == "/" || base == ".." || strings.ContainsAny(base, "\x00/\\") || len(base) > 100 || IsProjectFile(base) {
			return // not a file name the OS can hold, or an archive (fuzzed elsewhere)
		}
		p := filepath.Join(dir, base)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return
		}
		defer os.Remove(p)
		src, fr, err := Read(p, Options{Encoding: enc})
		if err != nil {
			var ie *textimport.Error
			if !strings.Contains(err.Error(), p) && !(errors.As(err, &ie) && ie.File == p) {
				t.Fatalf("error %q does not name %s", err, p)
			}
			if fr.Status != StatusRefused || fr.Encoding != "" {
				t.Fatalf("refused file reported %+v", fr)
			}
			return
		}
		if fr.Status != StatusImported || fr.SourceID != src.ID || fr.Encoding == "" || fr.File != p {
			t.Fatalf("report %+v for source %s", fr, src.ID)
		}
		if !utf8.ValidString(src.Text) || strings.TrimSpace(src.Text) == "" {
			t.Fatalf("text %q", src.Text)
		}
		if err := annotate.ValidateSource(src); err != nil {
			t.Fatalf("invalid source: %v", err)
		}
		if enc == "" && (fr.Replaced != 0 || strings.Contains(fr.Encoding, "replaced")) {
			t.Fatalf("replacement without a forced encoding: %+v", fr)
		}
		if fr.Replaced > 0 && !strings.Contains(src.Text, "\uFFFD") && !strings.Contains(fr.Encoding, "replaced") {
			t.Fatalf("replacements not reported: %+v", fr)
		}
	})
}
