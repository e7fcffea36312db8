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
	"golang.org/x/text/transform"
)

// scoreSample caps how much of a decoded file the encoding guess scores:
// enough for a confident guess, bounded so a 50 MB file costs little more.
const scoreSample = 256 << 10

// forcedEncodings are the encodings an analyst can name to override the
// guess (gloss import --encoding, the import dialog).
var forcedEncodings = []struct {
	name, label string
	enc         encoding.Encoding // nil: UTF-8
}{
	{"utf-8", "UTF-8", nil},
	{"gb18030", "GB18030", simplifiedchinese.GB18030},
	{"gbk", "GBK", simplifiedchinese.GBK},
	{"big5", "Big5", traditionalchinese.Big5},
	{"utf-16le", "UTF-16LE", xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM)},
	{"utf-16be", "UTF-16BE", xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)},
	{"windows-1252", "Windows-1252", charmap.Windows1252},
}

// EncodingNames lists the encodings that can be forced, by canonical name.
func EncodingNames() []string {
	out := make([]string, len(forcedEncodings))
	for i, e := range forcedEncodings {
		out[i] = e.name
	}
	return out
}

// LookupEncoding returns the canonical name of an encoding an analyst
// typed ("UTF8", "cp1252", "GBK"), or an error listing the choices.
func LookupEncoding(name string) (string, error) {
	key := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(name)))
	switch key {
	case "cp1252":
		key = "windows1252"
	case "cp936":
		key = "gbk"
	case "big5hkscs", "cp950":
		key = "big5"
	}
	for _, e := range forcedEncodings {
		if strings.ReplaceAll(e.name, "-", "") == key {
			return e.name, nil
		}
	}
	return "", fmt.Errorf("unknown encoding %q (choose one of %s)", name, strings.Join(EncodingNames(), ", "))
}

// undecodable refuses a file whose bytes are not valid in the encoding its
// evidence points to, naming where the first bad sequence is.
func undecodable(name string, offset int, format string, args ...any) error {
	return &Error{File: name, Undecodable: true, Offset: offset,
		Reason: fmt.Sprintf(format, args...) + fmt.Sprintf(": undecodable bytes at byte offset %d; name the file's encoding to import it anyway", offset)}
}

// decodeBytes turns data into a Go string and names the encoding it used.
// declared is a charset label the document itself states (HTML <meta>), used
// only when the bytes are not UTF-8; forced is a name from EncodingNames
// that overrides every guess. Without forced, text that is not cleanly
// valid in the encoding the evidence points to is refused, never patched
// with replacement characters; with it, the count of replacements is
// returned and named in the label.
func decodeBytes(name string, data []byte, declared, forced string) (string, string, int, error) {
	if kind := binaryKind(data); kind != "" {
		return "", "", 0, refuse(name, "is %s, not text; Gloss imports plain text, Markdown and HTML (save or export it as text first)", kind)
	}
	if forced != "" {
		return decodeForced(name, data, forced)
	}
	s, label, err := decodeAuto(name, data, declared)
	return s, label, 0, err
}

func decodeForced(name string, data []byte, forced string) (string, string, int, error) {
	canon, err := LookupEncoding(forced)
	if err != nil {
		return "", "", 0, refuse(name, "%v", err)
	}
	var s, label string
	var bad int
	for _, fe := range forcedEncodings {
		if fe.name != canon {
			continue
		}
		label = fe.label
		switch canon {
		case "utf-8":
			s, bad = decodeUTF8Lossy(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}))
		case "utf-16le":
			s, _, bad = decodeChecked(bytes.TrimPrefix(data, []byte{0xFF, 0xFE}), fe.enc, false)
		case "utf-16be":
			s, _, bad = decodeChecked(bytes.TrimPrefix(data, []byte{0xFE, 0xFF}), fe.enc, false)
		default:
			s, _, bad = decodeChecked(data, fe.enc, false)
		}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", "", 0, refuse(name, "looks like a binary file, not text (NUL characters after decoding as %s)", label)
	}
	if bad > 0 {
		return s, fmt.Sprintf("%s (forced, %s replaced)", label, plural(bad, "undecodable sequence")), bad, nil
	}
	return s, label + " (forced)", 0, nil
}

func decodeAuto(name string, data []byte, declared string) (string, string, error) {
	// Byte-order marks are the only certain evidence; UTF-32 first because
	// its LE mark begins with the UTF-16 LE mark.
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}):
		return decodeStrict(name, data, 4, utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "UTF-32LE")
	case bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return decodeStrict(name, data, 4, utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "UTF-32BE")
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		body := data[3:]
		if bytes.IndexByte(body, 0) >= 0 {
			return "", "", refuse(name, "looks like a binary file, not text (contains NUL bytes)")
		}
		if off := firstInvalidUTF8(body); off >= 0 {
			return "", "", undecodable(name, off+3, "is not valid UTF-8 text (it starts with a UTF-8 byte-order mark)")
		}
		return string(body), "UTF-8 (BOM)", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeStrict(name, data, 2, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), "UTF-16LE")
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeStrict(name, data, 2, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), "UTF-16BE")
	}

	if bytes.IndexByte(data, 0) >= 0 {
		// Without a BOM, NULs mean binary unless the file is plainly UTF-16
		// (every other byte NUL in mostly-ASCII text).
		if order, ok := looksUTF16(data); ok {
			if order == xunicode.LittleEndian {
				return decodeStrict(name, data, 0, xunicode.UTF16(order, xunicode.IgnoreBOM), "UTF-16LE (no BOM)")
			}
			return decodeStrict(name, data, 0, xunicode.UTF16(order, xunicode.IgnoreBOM), "UTF-16BE (no BOM)")
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
			// A declaration the bytes contradict is ignored: the guess
			// below either finds a clean reading or refuses.
			if s, off, _ := decodeChecked(data, enc, true); off < 0 {
				return s, label + " (declared)", nil
			}
		}
	}
	return guessEncoding(name, data)
}

// decodeStrict decodes the bytes after a skip-byte BOM with enc, refusing
// the file at the first sequence enc cannot decode.
func decodeStrict(name string, data []byte, skip int, enc encoding.Encoding, label string) (string, string, error) {
	s, off, _ := decodeChecked(data[skip:], enc, true)
	if off >= 0 {
		return "", "", undecodable(name, off+skip, "is not valid %s text", label)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", "", refuse(name, "looks like a binary file, not text (NUL characters after decoding as %s)", label)
	}
	return s, label, nil
}

var replacement = []byte("\uFFFD")

// decodeChecked decodes data with enc, each undecodable sequence becoming
// U+FFFD, and reports the byte offset of the first such sequence (-1 when
// there is none) and how many there were; with stop it ends at the first.
// A U+FFFD that the input itself encodes is text, not an error.
//
// x/text decoders replace silently, so a second decoder follows the first
// one chunk behind: asked for exactly the output before a replacement, it
// stops at that replacement's source offset. Both stop only between
// characters, so they stay in step even for stateful encodings.
func decodeChecked(data []byte, enc encoding.Encoding, stop bool) (string, int, int) {
	lead, trail := enc.NewDecoder(), enc.NewDecoder()
	genuine, gerr := enc.NewEncoder().Bytes(replacement)
	if gerr != nil {
		genuine = nil
	}
	var out strings.Builder
	out.Grow(len(data) + len(data)/2)
	buf := make([]byte, 32<<10)
	tmp := make([]byte, len(buf))
	first, bad := -1, 0
	for pos := 0; ; {
		nDst, nSrc, err := lead.Transform(buf, data[pos:], true)
		chunk := buf[:nDst]
		if err != nil && err != transform.ErrShortDst || nDst == 0 && nSrc == 0 && err != nil {
			// Not expected from x/text decoders; count the rest as bad
			// rather than loop.
			if first < 0 {
				first = pos
			}
			return out.String(), first, bad + 1
		}
		tpos, i := pos, 0
		for i < len(chunk) {
			k := bytes.Index(chunk[i:], replacement)
			if k < 0 {
				break
			}
			_, n, _ := trail.Transform(tmp[:k], data[tpos:pos+nSrc], true)
			tpos += n
			_, n, _ = trail.Transform(tmp[:len(replacement)], data[tpos:pos+nSrc], true)
			if genuine == nil || !bytes.Equal(data[tpos:tpos+n], genuine) {
				bad++
				if first < 0 {
					first = tpos
				}
				if stop {
					out.Write(chunk[:i+k])
					return out.String(), first, bad
				}
			}
			tpos += n
			i += k + len(replacement)
		}
		trail.Transform(tmp, data[tpos:pos+nSrc], true)
		out.Write(chunk)
		pos += nSrc
		if err == nil {
			return out.String(), first, bad
		}
	}
}

// decodeUTF8Lossy is UTF-8 with each invalid byte replaced by U+FFFD, for
// an analyst who forced UTF-8 on a damaged file.
func decodeUTF8Lossy(data []byte) (string, int) {
	var b strings.Builder
	b.Grow(len(data))
	bad := 0
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			bad++
			b.WriteString("\uFFFD")
		} else {
			b.Write(data[:size])
		}
		data = data[size:]
	}
	return b.String(), bad
}

// firstInvalidUTF8 is the byte offset of the first invalid UTF-8 sequence
// in data, or -1.
func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// hasUTF8Sequence reports whether data holds a valid multi-byte UTF-8
// sequence: text that does is UTF-8 (perhaps damaged), and reading it as
// Windows-1252 would turn "’" into "â€™".
func hasUTF8Sequence(data []byte) bool {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError || size > 1 {
			return true
		}
		i += size
	}
	return false
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

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
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

// guessEncoding reads text that is not UTF-8 and carries no BOM. Each
// legacy encoding that decodes every byte cleanly is scored on how much
// its output reads like real text: frequent and common Chinese characters
// score, controls and rare or unrelated symbols cost. Wrong CJK decodings
// are usually "valid" but full of rare characters, so validity alone
// cannot decide. Windows-1252 decodes almost anything, so it is only a
// candidate for bytes with no UTF-8 sequence in them. When no candidate
// reads as text, the file is refused at its first invalid UTF-8 byte.
func guessEncoding(name string, data []byte) (string, string, error) {
	cands := []struct {
		label string
		enc   encoding.Encoding
	}{
		{"GB18030", simplifiedchinese.GB18030},
		{"Big5", traditionalchinese.Big5},
	}
	latin := !hasUTF8Sequence(data)
	if latin {
		cands = append(cands, struct {
			label string
			enc   encoding.Encoding
		}{"Windows-1252", charmap.Windows1252})
	}
	best, bestText := -1, ""
	var bestStats textStats
	for i, c := range cands {
		s, off, _ := decodeChecked(data, c.enc, true)
		if off >= 0 {
			continue
		}
		st := scoreText(runePrefix(s, scoreSample))
		if best < 0 || st.score > bestStats.score {
			best, bestText, bestStats = i, s, st
		}
	}
	if best >= 0 && bestStats.readable() && utf8ChineseRuns(data)*200 < bestStats.nonASCII {
		return bestText, cands[best].label, nil
	}
	others := "GB18030 or Big5"
	if latin {
		others = "GB18030, Big5 or Windows-1252"
	}
	return "", "", undecodable(name, firstInvalidUTF8(data), "is not valid UTF-8 text, nor does it read as %s text", others)
}

// utf8ChineseRuns counts the characters in runs of three or more valid
// UTF-8 sequences that are each a common Chinese character or CJK
// punctuation. A legacy-encoded file forms such runs only by rare
// accident; a file that is partly UTF-8 Chinese is full of them, and its
// legacy reading turns them into mojibake.
func utf8ChineseRuns(data []byte) int {
	t := cjk()
	total, run := 0, 0
	end := func() {
		if run >= 3 {
			total += run
		}
		run = 0
	}
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			end()
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if size > 1 && (t.common[r] || t.top[r] || r >= 0x3000 && r <= 0x303F || r >= 0xFF01 && r <= 0xFF5E) {
			run++
		} else {
			end()
		}
		i += size
	}
	end()
	return total
}

// runePrefix is the longest prefix of s of at most n bytes that ends on a
// character boundary.
func runePrefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

type textStats struct {
	score float64
	// nonASCII counts non-ASCII characters; bad, control characters and
	// replacements; odd, characters a wrong decoding produces (rare Han,
	// private use, unassigned or unrelated symbols, stray accents).
	nonASCII, bad, odd int
}

// readable is whether a decoding reads as text: a positive score, and few
// of the characters that mark a wrong decoding. A file that is part UTF-8,
// part GBK scores well on its GBK half but shows its other half as odd.
func (st textStats) readable() bool {
	return st.score > 0 && st.bad*20 <= st.nonASCII && st.odd*oddShare <= st.nonASCII
}

// oddShare: at most one character in oddShare may be odd.
const oddShare = 20

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
			st.odd++
		case t.top[r]:
			st.score += 4
		case t.common[r]:
			st.score += 2
		case unicode.Is(unicode.Han, r):
			st.score -= 1
			st.odd++
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
				st.odd++
			}
		case r == 0xA0 || r == 0xA9 || r == 0xAE || r == 0x20AC || r == 0xB0:
			st.score += 0.5
		default:
			st.score -= 1
			st.odd++
		}
		prevASCIILetter = false
	}
	return st
}
