package textimport

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// mixedText builds about size bytes of alternating English and Chinese
// paragraphs (fixture sentences, not corpus text), with CRLF line ends and
// a dateline, so the benchmark exercises normalisation and every sniffer.
func mixedText(size int) []byte {
	en := "The delegation met officials on Tuesday to discuss border cooperation, and both sides agreed to keep talking.\r\n\r\n"
	var b strings.Builder
	b.WriteString("Talks resume\r\n\r\nPublished: March 12, 2024\r\n\r\n")
	for i := 0; b.Len() < size; i++ {
		b.WriteString(en)
		b.WriteString(strings.ReplaceAll(hansSentences, "\n", "\r\n"))
		b.WriteString("\r\n\r\n")
	}
	b.WriteString("Example Wire\r\n")
	return []byte(b.String())
}

func BenchmarkImport2MBMixed(b *testing.B) {
	data := mixedText(2 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Decode("mixed.txt", data)
		if err != nil {
			b.Fatal(err)
		}
		if r.Published != "2024-03-12" || r.Title != "Talks resume" || strings.Contains(r.Text, "\r") {
			b.Fatalf("unexpected result: %q %q", r.Published, r.Title)
		}
	}
}

// TestMixedTextIsMixed keeps the benchmark honest about its input.
func TestMixedTextIsMixed(t *testing.T) {
	data := mixedText(2 << 20)
	if len(data) < 2<<20 || !utf8.Valid(data) {
		t.Fatalf("generated %d bytes", len(data))
	}
	r, err := Decode("mixed.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Language != "zh-Hans" && r.Language != "" {
		t.Errorf("Language = %q", r.Language)
	}
}

// nestedQuotes is size bytes of Markdown blockquotes nested one level
// deeper per line ("> > > ... text"), the shape that once cost quadratic
// time, plus one line of about size/2 levels.
func nestedQuotes(size int) []byte {
	var b strings.Builder
	b.WriteString(strings.Repeat("> ", size/4) + "deepest quote\n")
	for depth := 1; b.Len() < size; depth++ {
		b.WriteString(strings.Repeat("> ", depth%200) + "level text\n")
	}
	return []byte(b.String())
}

func benchmarkNestedQuotes(b *testing.B, size int) {
	data := nestedQuotes(size)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := Decode("quotes.md", data)
		if err != nil {
			b.Fatal(err)
		}
		if !strings.HasPrefix(r.Text, "deepest quote\n") {
			b.Fatalf("quote markers kept: %.40q", r.Text)
		}
	}
}

func BenchmarkNestedQuotes100KB(b *testing.B) { benchmarkNestedQuotes(b, 100<<10) }
func BenchmarkNestedQuotes200KB(b *testing.B) { benchmarkNestedQuotes(b, 200<<10) }

// Legacy encodings are decoded strictly (every replacement located), and a
// damaged UTF-8 file is tried in each legacy encoding before it is
// refused: both stay linear.
func benchmarkLegacy(b *testing.B, size int, damaged bool) {
	text := strings.ReplaceAll(string(mixedText(size)), "\r\n", "\n")
	data := []byte(text)
	if damaged {
		data[len(data)/2] = 0xFF
	} else {
		var err error
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := Decode("legacy.txt", data)
		if damaged != (err != nil) || !damaged && r.Encoding != "GB18030" {
			b.Fatalf("%v %q", err, r.Encoding)
		}
	}
}

func BenchmarkGB18030_1MB(b *testing.B)     { benchmarkLegacy(b, 1<<20, false) }
func BenchmarkGB18030_2MB(b *testing.B)     { benchmarkLegacy(b, 2<<20, false) }
func BenchmarkDamagedUTF8_1MB(b *testing.B) { benchmarkLegacy(b, 1<<20, true) }
func BenchmarkDamagedUTF8_2MB(b *testing.B) { benchmarkLegacy(b, 2<<20, true) }
