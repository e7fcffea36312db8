package textimport

import (
	"errors"
	"strings"
	"testing"
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
		r, err := Decode(name, data)
		if err != nil {
			var ie *Error
			if !errors.As(err, &ie) || ie.File != name {
				t.Fatalf("error %v does not name %q", err, name)
			}
			return
		}
		if !utf8.ValidString(r.Text) || strings.Contains(r.Text, "\r") || r.Text == "" {
			t.Fatalf("bad text %q", r.Text)
		}
		if r.Published != "" && len(r.Published) != 10 {
			t.Fatalf("bad date %q", r.Published)
		}
	})
}
