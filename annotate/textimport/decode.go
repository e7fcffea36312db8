package textimport

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// scoreSample caps how much of a file the encoding guess looks at: enough
// for a confident guess, bounded so a 50 MB file is not decoded four times.
const scoreSample = 256 << 10

// decodeBytes turns data into a Go string and names the encoding it used.
// declared is a charset label the document itself states (HTML <meta>), used
// only when the bytes are not UTF-8.
func decodeBytes(name string, data []byte, declared string) (string, string, error) {
	// Byte-order marks are the only certain evidence; UTF-32 first because
	// its LE mark begins with the UTF-16 LE mark.
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}):
		return decodeWith(name, data, utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM), "UTF-32LE")
	case bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return decodeWith(name, data, utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM), "UTF-32BE")
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		body := data[3:]
		if bytes.IndexByte(body, 0) >= 0 {
			return "", "", refuse(name, "looks like a binary file, not text (contains NUL bytes)")
		}
		if !utf8.Valid(body) {
			s := strings.ToValidUTF8(string(body), "\uFFFD")
			return s, fmt.Sprintf("UTF-8 (BOM, %s replaced)", plural(countInvalidUTF8(body), "invalid byte")), nil
		}
		return string(body), "UTF-8 (BOM)", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeWith(name, data, xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), "UTF-16LE")
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeWith(name, data, xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), "UTF-16BE")
	}

	if kind := binaryKind(data); kind != "" {
		return "", "", refuse(name, "is %s, not text; Gloss imports plain text, Markdown and HTML (save or export it as text first)", kind)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// Without a BOM, NULs mean binary unless the file is plainly UTF-16
		// (every other byte NUL in mostly-ASCII text).
		if order, ok := looksUTF16(data); ok {
			if order == xunicode.LittleEndian {
				return decodeWith(name, data, xunicode.UTF16(order, xunicode.IgnoreBOM), "UTF-16LE (no BOM)")
			}
			return decodeWith(name, data, xunicode.UTF16(order, xunicode.IgnoreBOM), "UTF-16BE (no BOM)")
		}
		return "", "", refuse(name, "looks like a binary file, not text (contains NUL bytes)")
	}

	if utf8.Valid(data) {
		return string(data), "UTF-8", nil
	}

	if declared != "" {
		if enc, err := htmlindex.Get(declared); err == nil && enc != xunicode.UTF8 {
			label := encodingLabel(enc, declared)
			if isGBFamily(enc) {
				// GB2312 and GBK labels are routinely wrong about which
				// subset was used; GB18030 decodes all of them.
				enc = simplifiedchinese.GB18030
			}
			s, err := enc.NewDecoder().Bytes(data)
			if err == nil {
				return string(s), label + " (declared)", nil
			}
		}
	}
	return guessEncoding(name, data)
}

// binaryKind names common document and media formats by their magic
// numbers, so the refusal can tell the analyst what to do.
func binaryKind(data []byte) string {
	magic := []struct {
		prefix, kind string
	}{
		{"%PDF-", "a PDF document"},
		{"PK\x03\x04", "a ZIP archive or Office document (.docx, .xlsx, .epub)"},
		{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "a legacy Office document (.doc, .xls)"},
		{"{\\rtf", "an RTF document"},
		{"\x89PNG\r\n\x1a\n", "a PNG image"},
		{"\xFF\xD8\xFF", "a JPEG image"},
		{"GIF87a", "a GIF image"},
		{"GIF89a", "a GIF image"},
		{"\x1F\x8B", "a gzip archive"},
		{"\x7FELF", "a program"},
	}
	for _, m := range magic {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return m.kind
		}
	}
	return ""
}

func isGBFamily(enc encoding.Encoding) bool {
	return enc == simplifiedchinese.GBK || enc == simplifiedchinese.GB18030 || enc == simplifiedchinese.HZGB2312
}

func encodingLabel(enc encoding.Encoding, fallback string) string {
	switch enc {
	case simplifiedchinese.GBK:
		return "GBK"
	case simplifiedchinese.GB18030:
		return "GB18030"
	case traditionalchinese.Big5:
		return "Big5"
	case charmap.Windows1252:
		return "Windows-1252"
	}
	if n, err := htmlindex.Name(enc); err == nil {
		return strings.ToUpper(n)
	}
	return strings.ToUpper(fallback)
}

func decodeWith(name string, data []byte, enc encoding.Encoding, label string) (string, string, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", refuse(name, "cannot decode as %s: %v", label, err)
	}
	if bytes.IndexByte(out, 0) >= 0 {
		return "", "", refuse(name, "looks like a binary file, not text (NUL characters after decoding as %s)", label)
	}
	s := string(out)
	if n := strings.Count(s, "\uFFFD"); n > 0 && n*50 > utf8.RuneCountInString(s) {
		return "", "", refuse(name, "is not valid %s text (%d undecodable sequences)", label, n)
	}
	return s, label, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func countInvalidUTF8(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			n++
		}
		b = b[size:]
	}
	return n
}

// looksUTF16 recognises BOM-less UTF-16 by where the NUL bytes fall.
func looksUTF16(data []byte) (xunicode.Endianness, bool) {
	n := len(data)
	if n%2 != 0 || n < 4 {
		return xunicode.BigEndian, false
	}
	if n > 8192 {
		n = 8192
	}
	var evenNul, oddNul int
	for i := 0; i < n; i++ {
		if data[i] == 0 {
			if i%2 == 0 {
				evenNul++
			} else {
				oddNul++
			}
		}
	}
	pairs := n / 2
	switch {
	case oddNul*10 >= pairs*3 && evenNul*20 < pairs:
		return xunicode.LittleEndian, true
	case evenNul*10 >= pairs*3 && oddNul*20 < pairs:
		return xunicode.BigEndian, true
	}
	return xunicode.BigEndian, false
}

type candidate struct {
	label string
	enc   encoding.Encoding // nil: lossy UTF-8
}

// guessEncoding decodes with each plausible legacy encoding and keeps the
// one whose output reads most like real text: frequent and common Chinese
// characters score, replacement characters, controls and rare or unrelated
// symbols cost. Wrong CJK decodings are usually "valid" but full of rare
// characters, so validity alone cannot decide.
func guessEncoding(name string, data []byte) (string, string, error) {
	sample := data
	if len(sample) > scoreSample {
		sample = sample[:scoreSample]
	}
	cands := []candidate{
		{"UTF-8", nil},
		{"GB18030", simplifiedchinese.GB18030},
		{"Big5", traditionalchinese.Big5},
		{"Windows-1252", charmap.Windows1252},
	}
	best, bestScore := -1, 0.0
	var bestStats textStats
	for i, c := range cands {
		s := decodeLossy(sample, c.enc)
		st := scoreText(s)
		if best < 0 || st.score > bestScore {
			best, bestScore, bestStats = i, st.score, st
		}
	}
	if bestStats.nonASCII > 0 && bestStats.bad*20 > bestStats.nonASCII {
		return "", "", refuse(name, "cannot tell the character encoding: it is not UTF-8, GB18030, Big5 or Windows-1252 text (or it is a binary file)")
	}
	c := cands[best]
	s := decodeLossy(data, c.enc)
	if c.enc == nil {
		return s, fmt.Sprintf("UTF-8 (%s replaced)", plural(countInvalidUTF8(data), "invalid byte")), nil
	}
	return s, c.label, nil
}

func decodeLossy(data []byte, enc encoding.Encoding) string {
	if enc == nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	// x/text decoders substitute U+FFFD for invalid input rather than fail.
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return strings.Repeat("\uFFFD", len(data))
	}
	return string(out)
}

type textStats struct {
	score         float64
	nonASCII, bad int
}

func scoreText(s string) textStats {
	t := cjk()
	var st textStats
	prevASCIILetter := false
	rs := []rune(s)
	for i, r := range rs {
		if r < 0x80 {
			prevASCIILetter = r < 0x7f && unicode.IsLetter(r)
			if r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
				st.bad++
				st.score -= 6
			}
			continue
		}
		st.nonASCII++
		switch {
		case r == utf8.RuneError || (r >= 0x80 && r < 0xA0):
			st.bad++
			st.score -= 6
		case r >= 0xE000 && r <= 0xF8FF, !unicode.IsPrint(r) && !unicode.IsSpace(r):
			st.score -= 4
		case t.top[r]:
			st.score += 4
		case t.common[r]:
			st.score += 2
		case unicode.Is(unicode.Han, r):
			st.score -= 1
		case (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF01 && r <= 0xFF5E) || (r >= 0x2010 && r <= 0x2027) || r == 0xB7:
			st.score += 1.5
		case r >= 0xC0 && r <= 0x24F && unicode.IsLetter(r):
			// Accented Latin letters belong next to ASCII letters; runs of
			// them are what CJK bytes look like through Windows-1252.
			nextASCII := i+1 < len(rs) && rs[i+1] < 0x7f && unicode.IsLetter(rs[i+1])
			if prevASCIILetter || nextASCII {
				st.score += 1.5
			} else {
				st.score -= 1
			}
		case r == 0xA0 || r == 0xA9 || r == 0xAE || r == 0x20AC || r == 0xB0:
			st.score += 0.5
		default:
			st.score -= 1
		}
		prevASCIILetter = false
	}
	return st
}
