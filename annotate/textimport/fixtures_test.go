package textimport

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// Fixture sentences written for these tests (not corpus text).
const (
	hansSentences = "今天上午，两国代表在会议上讨论了边境合作问题。\n" +
		"发言人说，双方同意加强信息交流，并将继续保持沟通。\n" +
		"这次会谈是近年来最重要的一次对话。"
	hantSentences = "今天上午，兩國代表在會議上討論了邊境合作問題。\n" +
		"發言人說，雙方同意加強資訊交流，並將繼續保持溝通。\n" +
		"這次會談是近年來最重要的一次對話。"
)

func mustEncode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode fixture: %v", err)
	}
	return b
}

func mustDecode(t *testing.T, name string, data []byte) Result {
	t.Helper()
	r, err := Decode(name, data)
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	return r
}

func TestLegacyChineseEncodings(t *testing.T) {
	cases := []struct {
		name, text, wantEnc, wantLang string
		enc                           encoding.Encoding
	}{
		{"gbk.txt", hansSentences, "GB18030", "zh-Hans", simplifiedchinese.GBK},
		{"gb18030.txt", hansSentences + "\n𠀀字也能编码。", "GB18030", "zh-Hans", simplifiedchinese.GB18030},
		{"big5.txt", hantSentences, "Big5", "zh-Hant", traditionalchinese.Big5},
		// One short line each: the guess must not need a long text.
		{"short-gbk.txt", "中国政府发表声明", "GB18030", "", simplifiedchinese.GBK},
		{"short-big5.txt", "政府發表聲明", "Big5", "", traditionalchinese.Big5},
		// Mixed with English, as bilingual notes are.
		{"mixed-big5.txt", "Reuters reported on Monday that 雙方將繼續合作 and talks continue.", "Big5", "", traditionalchinese.Big5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustDecode(t, c.name, mustEncode(t, c.enc, c.text))
			if r.Encoding != c.wantEnc {
				t.Errorf("Encoding = %q, want %q", r.Encoding, c.wantEnc)
			}
			if r.Text != c.text {
				t.Errorf("Text = %q, want %q", r.Text, c.text)
			}
			if c.wantLang != "" && r.Language != c.wantLang {
				t.Errorf("Language = %q, want %q", r.Language, c.wantLang)
			}
		})
	}
}

func TestDamagedUTF8(t *testing.T) {
	data := []byte(hansSentences + "\nThe end.")
	// Cut the middle byte out of a three-byte character, as a bad copy
	// does: the file is refused at that character, never patched.
	i := len("今天上午，两国代表在会议上")
	data = append(data[:i+1:i+1], data[i+2:]...)
	_, err := Decode("cut.txt", data)
	var ie *Error
	if !errors.As(err, &ie) || !ie.Undecodable || ie.Offset != i || !strings.Contains(err.Error(), "byte offset 39") {
		t.Fatalf("err = %v (%+v), want undecodable at byte %d", err, ie, i)
	}
	// Forced, it reads with each bad byte shown and counted.
	r, err := DecodeWith("cut.txt", data, Options{Encoding: "UTF8"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Encoding != "UTF-8 (forced, 2 undecodable sequences replaced)" || r.Replaced != 2 {
		t.Errorf("Encoding = %q, Replaced = %d", r.Encoding, r.Replaced)
	}
	if !strings.HasPrefix(r.Text, "今天上午，两国代表在会议上\uFFFD\uFFFD论了") || !strings.HasSuffix(r.Text, "The end.") {
		t.Errorf("Text = %q", r.Text)
	}
}

func TestWindows1252Fallback(t *testing.T) {
	cases := map[string]string{
		"The caf\xe9 owner said the na\xefve plan would fail.":       "The café owner said the naïve plan would fail.",
		"It\x92s the council\x92s decision, \x93final\x94 they say.": "It’s the council’s decision, “final” they say.",
		"R\xe9sum\xe9 attached.":                                     "Résumé attached.",
	}
	for in, want := range cases {
		r := mustDecode(t, "latin.txt", []byte(in))
		if r.Encoding != "Windows-1252" || r.Text != want {
			t.Errorf("got %q as %s, want %q", r.Text, r.Encoding, want)
		}
	}
}

func TestUnicodeBOMs(t *testing.T) {
	text := "Talks resumed.\n会谈恢复。"
	cases := []struct {
		name, want string
		data       []byte
	}{
		{"utf8bom.txt", "UTF-8 (BOM)", append([]byte{0xEF, 0xBB, 0xBF}, text...)},
		{"le.txt", "UTF-16LE", mustEncode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), text)},
		{"be.txt", "UTF-16BE", mustEncode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), text)},
		{"le-nobom.txt", "UTF-16LE (no BOM)", mustEncode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), text)},
	}
	for _, c := range cases {
		r := mustDecode(t, c.name, c.data)
		if r.Encoding != c.want {
			t.Errorf("%s: Encoding = %q, want %q", c.name, r.Encoding, c.want)
		}
		if r.Text != text {
			t.Errorf("%s: Text = %q (BOM must be stripped)", c.name, r.Text)
		}
	}
}

func TestLineEndingsAndNFC(t *testing.T) {
	r := mustDecode(t, "crlf.txt", []byte("one\r\ntwo\rthree\n\r\nfour"))
	if r.Text != "one\ntwo\nthree\n\nfour" {
		t.Errorf("line ends: %q", r.Text)
	}
	nfd := norm.NFD.String("Café in Zürich")
	if nfd == "Café in Zürich" {
		t.Fatal("fixture is not decomposed")
	}
	r = mustDecode(t, "nfd.txt", []byte(nfd))
	if r.Text != "Café in Zürich" || utf8.RuneCountInString(r.Text) != 14 {
		t.Errorf("NFC: %q (%d code points)", r.Text, utf8.RuneCountInString(r.Text))
	}
	if Normalize("a\r\nb\rc") != "a\nb\nc" {
		t.Error("Normalize line ends")
	}
}

// TestEmojiPositions: code-point offsets must survive every path, including
// UTF-16 surrogate pairs.
func TestEmojiPositions(t *testing.T) {
	text := "Flag 🇨🇳 and 😀 then 𠀀 MARK here"
	want := utf8.RuneCountInString(text[:strings.Index(text, "MARK")])
	for name, data := range map[string][]byte{
		"e.txt":    []byte(text),
		"e16.txt":  mustEncode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), text),
		"e16b.txt": mustEncode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), text),
		"e.md":     []byte("**" + text + "**"),
		"e.html":   []byte("<p><b>" + text + "</b></p>"),
	} {
		r := mustDecode(t, name, data)
		i := strings.Index(r.Text, "MARK")
		if i < 0 {
			t.Errorf("%s: marker lost in %q", name, r.Text)
			continue
		}
		if got := utf8.RuneCountInString(r.Text[:i]); got != want {
			t.Errorf("%s: MARK at code point %d, want %d (%q)", name, got, want, r.Text)
		}
	}
}

func TestHTML(t *testing.T) {
	page := `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Ministers meet | Example Wire</title>
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2024-04-06T09:30:00Z">
<style>body { font: 12px serif }</style><script>document.write("SCRIPT")</script></head>
<body><header><a href="/">Home</a> CHROME</header><nav><ul><li>NAVITEM</li></ul></nav>
<article><h1>Ministers   meet
in Vienna</h1>
<p>Officials said &quot;talks&quot; went &amp; will go on&nbsp;&mdash; fine.</p>
<p>Line one<br>Line two</p><noscript>NOSCRIPT</noscript>
<svg><text>SVGTEXT</text></svg><aside>ASIDE</aside><form><button>BUTTON</button></form>
<template>TEMPLATE</template><iframe src="x">IFRAME</iframe><div hidden>HIDDEN</div>
<ul><li>First point</li><li>Second <em>point</em></li></ul></article>
<footer>FOOTER</footer></body></html>`
	r := mustDecode(t, "page.html", []byte(page))
	for _, gone := range []string{"SCRIPT", "font:", "CHROME", "NAVITEM", "NOSCRIPT", "SVGTEXT", "ASIDE", "BUTTON", "TEMPLATE", "IFRAME", "HIDDEN", "FOOTER", "Example Wire |"} {
		if strings.Contains(r.Text, gone) {
			t.Errorf("%q should not be in the text:\n%s", gone, r.Text)
		}
	}
	want := "Ministers meet in Vienna\n\nOfficials said \"talks\" went & will go on\u00a0— fine.\n\nLine one\nLine two\n\nFirst point\n\nSecond point"
	if r.Text != want {
		t.Errorf("Text =\n%q\nwant\n%q", r.Text, want)
	}
	if r.Title != "Ministers meet in Vienna" || r.Outlet != "Example Wire" || r.Published != "2024-04-06" || r.Format != FormatHTML {
		t.Errorf("meta: %+v", r)
	}

	// Title falls back to <title>; the format is sniffed without extension.
	r = mustDecode(t, "saved-page", []byte("  <html><head><title>Only &amp; title</title></head><body><p>Body text here.</p></body></html>"))
	if r.Format != FormatHTML || r.Title != "Only & title" || r.Text != "Body text here." {
		t.Errorf("sniffed page: %+v", r)
	}
	r = mustDecode(t, "story.aspx", []byte("\uFEFF<!-- saved -->\n<!DOCTYPE HTML><p>x &lt; y</p>"))
	if r.Format != FormatHTML || r.Text != "x < y" {
		t.Errorf("sniffed .aspx page: %+v", r)
	}
	r = mustDecode(t, "mislabelled.html", []byte("First paragraph.\n\nSecond &amp; last."))
	if r.Format != FormatText || r.Text != "First paragraph.\n\nSecond &amp; last." {
		t.Errorf(".html without markup: %+v", r)
	}
	r = mustDecode(t, "notes.log", []byte("<b>not a page</b>"))
	if r.Format != FormatText || r.Text != "<b>not a page</b>" {
		t.Errorf("unknown extension, non-HTML: %+v", r)
	}
}

func TestHTMLMetaCharset(t *testing.T) {
	body := "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>声明</title></head><body><p>" + hansSentences + "</p></body></html>"
	r := mustDecode(t, "gb.htm", mustEncode(t, simplifiedchinese.GBK, body))
	if r.Encoding != "GBK (declared)" {
		t.Errorf("Encoding = %q", r.Encoding)
	}
	if !strings.Contains(r.Text, "发言人说，双方同意加强信息交流") || r.Title != "声明" {
		t.Errorf("Text = %q, Title = %q", r.Text, r.Title)
	}
	big5 := "<html><head><meta charset=\"big5\"></head><body><p>" + hantSentences + "</p></body></html>"
	r = mustDecode(t, "b5.html", mustEncode(t, traditionalchinese.Big5, big5))
	if r.Encoding != "Big5 (declared)" || r.Language != "zh-Hant" {
		t.Errorf("Big5 page: %s %s", r.Encoding, r.Language)
	}
}

func TestMarkdown(t *testing.T) {
	src := "---\ntitle: Front matter title\ndate: 2023-11-15\nsource: Example Weekly\n---\n" +
		"# Border *talks* resume\n\n" +
		"Officials **agreed** on _new_ steps; see [the statement](https://example.org/s \"s\") and ![a map](map.png).\n" +
		"Use `go test ./...` to check. 2 * 3 * 4 stays, snake_case_name stays, \\*literal\\* stays.\n\n" +
		"> Quoted ~~old~~ text\n\n" +
		"- first item\n* second item\n1. numbered item\n\n" +
		"```\ncode **kept** as is\n```\n\n" +
		"Subhead\n-------\n\n" +
		"[ref]: https://example.org\n" +
		"***\n" +
		"Last line with <https://example.org/x>."
	r := mustDecode(t, "notes.md", []byte(src))
	want := "Border talks resume\n\n" +
		"Officials agreed on new steps; see the statement and a map.\n" +
		"Use go test ./... to check. 2 * 3 * 4 stays, snake_case_name stays, *literal* stays.\n\n" +
		"Quoted old text\n\n" +
		"first item\nsecond item\n1. numbered item\n\n" +
		"code **kept** as is\n\n" +
		"Subhead\n\n" +
		"Last line with https://example.org/x."
	if r.Text != want {
		t.Errorf("Text =\n%s\n--- want\n%s", r.Text, want)
	}
	if r.Title != "Front matter title" || r.Published != "2023-11-15" || r.Outlet != "Example Weekly" || r.Format != FormatMarkdown {
		t.Errorf("meta: %+v", r)
	}
	r = mustDecode(t, "plain.markdown", []byte("Intro line\n\n# The Real Title #\n\nBody."))
	if r.Title != "The Real Title" {
		t.Errorf("Title = %q", r.Title)
	}
}

func TestRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := filepath.Join(dir, "huge.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Truncate(big, MaxFileSize+1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	cases := []struct {
		path, reason string
	}{
		{write("empty.txt", nil), "empty"},
		{write("blank.txt", []byte(" \n\t\r\n")), "no text"},
		{write("bin.txt", []byte("\x01\x02binary\x00stuff")), "binary"},
		{write("report.docx", []byte("PK\x03\x04\x14\x00\x06\x00")), "Office document"},
		{write("scan.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")), "PDF"},
		{write("ctrl.dat", []byte(strings.Repeat("\x01\x02\x03\x04abc", 50))), "binary"},
		{write("junk.txt", []byte{0x81, 0xFF, 0xFE, 0x80, 0x81, 0xFF, 0x9F, 0x80, 0xFF, 0xFF, 0x81, 0x80}), "encoding"},
		{write("empty.html", []byte("<html><head><script>x()</script></head><body><nav>menu</nav></body></html>")), "no readable text"},
		{big, "too large to import (50.0 MB, 52428801 bytes; the limit is 50 MB)"},
		{filepath.Join(dir, "missing.txt"), "cannot open"},
		{dir, "folder"},
	}
	for _, c := range cases {
		_, err := ReadFile(c.path)
		var ie *Error
		if !errors.As(err, &ie) {
			t.Errorf("%s: error %v is not *Error", c.path, err)
			continue
		}
		if ie.File != c.path || !strings.HasPrefix(err.Error(), c.path+": ") {
			t.Errorf("%s: error %q does not name the file", c.path, err)
		}
		if !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: error %q does not say %q", c.path, err, c.reason)
		}
	}
	// Decode enforces the limit too, for callers that already hold bytes.
	if _, err := Decode("mem.txt", make([]byte, MaxFileSize+1)); err == nil || !strings.Contains(err.Error(), "mem.txt") {
		t.Errorf("Decode over limit: %v", err)
	}
}
