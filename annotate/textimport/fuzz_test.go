package textimport

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecode: any bytes under any name either import as valid UTF-8 with no
// CR, or are refused with an *Error naming the file. Never a panic.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "hello\r\n", "\xef\xbb\xbf# T\n\n*x*", "\xff\xfeh\x00i\x00", "<html><p>a&amp;b</p>",
		"中文\xd6\xd0", "[a](b) `c` **d", "Published: May 5, 2024", "\x00\x01", "(Xinhua) --", "04/06/2024 4月6日"} {
		f.Add("f.txt", []byte(s))
		f.Add("f.md", []byte(s))
		f.Add("f.html", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		checkDecode(t, name, data, "")
	})
}

// FuzzDecodeWith adds a forced encoding (any string: unknown names must be
// refused cleanly) to FuzzDecode's bytes and names.
func FuzzDecodeWith(f *testing.F) {
	for _, c := range []struct{ name, body, enc string }{
		{"a.txt", "China\xe2\x80\x99s \x92", "utf-8"},
		{"b.md", strings.Repeat("> ", 50) + "[[x](u)](v) `a` *b _c* d_", ""},
		{"c.html", strings.Repeat("<div>", 600) + "deep" + strings.Repeat("</div>", 600), ""},
		{"d.txt", "\xd6\xd0\xce\xc4", "gbk"},
		{"e.txt", "\xa4\xa4\xa4\xe5", "big5"},
		{"f.txt", "\xff\xfeT\x00\x00\xd8", "utf-16le"},
		{"g.txt", "\xfe\xff\x00T", "UTF-16BE"},
		{"h.txt", "caf\xe9 \x81", "windows-1252"},
		{"i.txt", "\x84\x31\xa4\x37 ok", "gb18030"},
		{"j.txt", "plain", "klingon"},
		{"k.html", "<meta charset=big5><p>\xa4\xa4</p>", ""},
	} {
		f.Add(c.name, []byte(c.body), c.enc)
	}
	f.Fuzz(checkDecode)
}

// genuineReplacement are the ways a file can itself hold U+FFFD: in UTF-8,
// GB18030, UTF-16 either way, or as an HTML character reference.
var genuineReplacement = [][]byte{[]byte("\uFFFD"), {0x84, 0x31, 0xA4, 0x37}, {0xFD, 0xFF}, {0xFF, 0xFD}, []byte("&#")}

func checkDecode(t *testing.T, name string, data []byte, enc string) {
	start := time.Now()
	r, err := DecodeWith(name, data, Options{Encoding: enc})
	// Generous for a loaded machine; a quadratic path on a fuzz-sized
	// input (up to about 1 MB) takes far longer.
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("%d bytes took %v", len(data), d)
	}
	if err != nil {
		var ie *Error
		if !errors.As(err, &ie) || ie.File != name {
			t.Fatalf("error %v does not name %q", err, name)
		}
		if ie.Undecodable && (ie.Offset < 0 || ie.Offset >= len(data)) {
			t.Fatalf("offset %d outside %d bytes", ie.Offset, len(data))
		}
		return
	}
	if !utf8.ValidString(r.Text) || strings.Contains(r.Text, "\r") || r.Text == "" || r.Encoding == "" {
		t.Fatalf("bad text %q (%s)", r.Text, r.Encoding)
	}
	if r.Published != "" && len(r.Published) != 10 {
		t.Fatalf("bad date %q", r.Published)
	}
	if enc == "" && r.Replaced != 0 {
		t.Fatalf("replaced %d without a forced encoding", r.Replaced)
	}
	if r.Replaced > 0 && !strings.Contains(r.Encoding, "replaced") {
		t.Fatalf("replacements not named in %q", r.Encoding)
	}
	if enc == "" && strings.Contains(r.Text+r.Title, "\uFFFD") {
		for _, g := range genuineReplacement {
			if bytes.Contains(data, g) {
				return
			}
		}
		t.Fatalf("U+FFFD introduced silently reading %q as %s", data, r.Encoding)
	}
}
