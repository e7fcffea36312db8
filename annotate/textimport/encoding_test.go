package textimport

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// wantUndecodable asserts err refuses name at byte offset off.
func wantUndecodable(t *testing.T, err error, name string, off int) {
	t.Helper()
	var ie *Error
	if !errors.As(err, &ie) || !ie.Undecodable || ie.File != name || ie.Offset != off {
		t.Fatalf("err = %v (%+v), want %s refused as undecodable at byte %d", err, ie, name, off)
	}
}

// A UTF-8 file with one Windows-1252 byte is refused where that byte is,
// never read as Windows-1252 ("China’s" must not become "Chinaâ€™s").
func TestUTF8WithOneBadByteIsRefused(t *testing.T) {
	head := "China’s envoy said the talks were “useful”. "
	data := []byte(head + "The minister\x92s reply came later.")
	_, err := Decode("wire.txt", data)
	wantUndecodable(t, err, "wire.txt", len(head)+len("The minister"))

	r, err := DecodeWith("wire.txt", data, Options{Encoding: "windows-1252"})
	if err != nil {
		t.Fatal(err)
	}
	// Forcing is the analyst's call, and the label says it was forced
	// (and that the closing quote's 0x9D, undefined there, was replaced).
	if !strings.HasPrefix(r.Text, "Chinaâ€™s") || r.Encoding != "Windows-1252 (forced, 1 undecodable sequence replaced)" || r.Replaced != 1 {
		t.Errorf("forced 1252: %q as %q", r.Text[:12], r.Encoding)
	}
	r, err = DecodeWith("wire.txt", data, Options{Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "minister\uFFFDs") || r.Replaced != 1 || r.Encoding != "UTF-8 (forced, 1 undecodable sequence replaced)" {
		t.Errorf("forced UTF-8: %q as %q (%d)", r.Text, r.Encoding, r.Replaced)
	}
}

// Half UTF-8, half GBK: neither reading is clean, so it is refused at the
// first GBK byte rather than half turned into U+FFFD or mojibake.
func TestMixedUTF8AndGBKIsRefused(t *testing.T) {
	first := hansSentences + "\n"
	data := append([]byte(first), mustEncode(t, simplifiedchinese.GBK, hansSentences)...)
	_, err := Decode("mixed.txt", data)
	wantUndecodable(t, err, "mixed.txt", len(first))

	// Mostly GBK with one UTF-8 line: the GB18030 reading would garble it.
	data = append(mustEncode(t, simplifiedchinese.GBK, strings.Repeat(hansSentences+"\n", 3)), "双方同意\n"...)
	if r, err := Decode("mostly-gbk.txt", data); err == nil {
		t.Errorf("mostly GBK with a UTF-8 line was read as %s: %q", r.Encoding, r.Text[len(r.Text)-20:])
	}
	if r, err := DecodeWith("mostly-gbk.txt", data, Options{Encoding: "gb18030"}); err != nil || r.Encoding != "GB18030 (forced)" {
		t.Errorf("forced GB18030: %v %q", err, r.Encoding)
	}
}

func TestBadUnicodeWithBOMIsRefused(t *testing.T) {
	// A lone high surrogate in UTF-16LE.
	le := mustEncode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), "Talks ")
	data := append(append(le, 0x00, 0xD8), mustEncode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), " resumed.")...)
	_, err := Decode("le.txt", data)
	wantUndecodable(t, err, "le.txt", len(le))

	// An odd trailing byte.
	_, err = Decode("odd.txt", append(append([]byte{}, le...), 'x'))
	wantUndecodable(t, err, "odd.txt", len(le))

	// UTF-8 BOM, then an invalid byte: the offset counts the BOM.
	_, err = Decode("bom.txt", []byte("\xEF\xBB\xBFabc\xFFdef"))
	wantUndecodable(t, err, "bom.txt", 6)
}

// A U+FFFD the file itself encodes is text: it is not a decoding error.
func TestGenuineReplacementCharacterIsText(t *testing.T) {
	text := "Garbled upstream: \uFFFD\uFFFD, then 会谈恢复。"
	for _, c := range []struct {
		name string
		data []byte
		enc  string
	}{
		{"utf8.txt", []byte(text), "UTF-8"},
		{"le.txt", mustEncode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), text), "UTF-16LE"},
		{"gb.txt", mustEncode(t, simplifiedchinese.GB18030, text+hansSentences), "GB18030"},
	} {
		r, err := Decode(c.name, c.data)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if r.Encoding != c.enc || r.Replaced != 0 || !strings.HasPrefix(r.Text, text) {
			t.Errorf("%s: %q as %s (%d replaced)", c.name, r.Text, r.Encoding, r.Replaced)
		}
	}
}

func TestForcedEncodings(t *testing.T) {
	text := "Talks resumed. 会谈恢复。"
	latin := "Café talks resumed."
	cases := []struct {
		name, text string
		data       []byte
	}{
		{"utf-8", text, []byte("\xEF\xBB\xBF" + text)},
		{"gb18030", text, mustEncode(t, simplifiedchinese.GB18030, text)},
		{"gbk", text, mustEncode(t, simplifiedchinese.GBK, text)},
		{"big5", "Talks resumed. 會談恢復。", mustEncode(t, traditionalchinese.Big5, "Talks resumed. 會談恢復。")},
		{"utf-16le", text, mustEncode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), text)},
		{"utf-16be", text, mustEncode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), text)},
		{"windows-1252", latin, mustEncode(t, charmap.Windows1252, latin)},
	}
	if len(cases) != len(EncodingNames()) {
		t.Fatalf("test covers %d of %v", len(cases), EncodingNames())
	}
	for _, c := range cases {
		r, err := DecodeWith("f.txt", c.data, Options{Encoding: strings.ToUpper(c.name)})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if r.Text != c.text || !strings.HasSuffix(r.Encoding, " (forced)") || r.Replaced != 0 {
			t.Errorf("%s: %q as %q", c.name, r.Text, r.Encoding)
		}
	}
	// Bytes the forced encoding cannot decode are counted, never hidden.
	r, err := DecodeWith("f.txt", []byte("ab\xFFcd"), Options{Encoding: "big5"})
	if err != nil || r.Replaced != 1 || r.Text != "ab\uFFFDcd" || r.Encoding != "Big5 (forced, 1 undecodable sequence replaced)" {
		t.Errorf("forced Big5 on bad bytes: %q %q %d %v", r.Text, r.Encoding, r.Replaced, err)
	}
}

func TestLookupEncoding(t *testing.T) {
	for in, want := range map[string]string{"UTF8": "utf-8", "utf_16LE": "utf-16le", "CP1252": "windows-1252", "GBK": "gbk", "Big5": "big5", "GB-18030": "gb18030"} {
		if got, err := LookupEncoding(in); err != nil || got != want {
			t.Errorf("LookupEncoding(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := LookupEncoding("ebcdic")
	if err == nil || !strings.Contains(err.Error(), "utf-8, gb18030") {
		t.Errorf("unknown encoding: %v", err)
	}
	_, err = DecodeWith("f.txt", []byte("x"), Options{Encoding: "ebcdic"})
	var ie *Error
	if !errors.As(err, &ie) || ie.File != "f.txt" {
		t.Errorf("unknown forced encoding: %v", err)
	}
}

// A declared charset the bytes contradict is not trusted: the page below
// says GBK but is Big5.
func TestDeclaredCharsetContradicted(t *testing.T) {
	page := mustEncode(t, traditionalchinese.Big5, `<html><head><meta charset="gbk"></head><body><p>`+hantSentences+`</p></body></html>`)
	r, err := Decode("page.html", page)
	if err != nil {
		t.Fatal(err)
	}
	if r.Encoding != "Big5" || !strings.HasPrefix(r.Text, "今天上午，兩國代表") || strings.Contains(r.Text, "\uFFFD") {
		t.Errorf("read as %s: %q", r.Encoding, r.Text)
	}
}
