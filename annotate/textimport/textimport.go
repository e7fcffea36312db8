// Package textimport turns the bytes of an imported file into the
// normalised text Gloss annotates, plus metadata suggestions sniffed from
// the text (title, outlet, publication date, language).
//
// It is pure Go: no Fyne, no bbolt. Positions in Gloss are code points, so
// the text produced here is the reference every later offset counts in;
// Normalize must therefore be applied exactly once, here.
package textimport

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxFileSize is the largest file ReadFile and Decode accept.
const MaxFileSize = 50 << 20 // 50 MB

// Formats reported in Result.Format.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
)

// Result is an imported file: its readable text and metadata suggestions.
// The suggestions are only suggestions; the analyst confirms them.
type Result struct {
	Text     string // newline-normalised (CRLF/CR -> LF) and NFC-normalised
	Format   string // "text", "markdown", "html"
	Encoding string // e.g. "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "GB18030", "Big5", "GBK (declared)", "Big5 (forced)"
	// Replaced counts the undecodable sequences shown as U+FFFD; only a
	// forced encoding ever replaces (and Encoding then says so).
	Replaced  int
	Title     string // suggestion, or ""
	Outlet    string // suggestion where the text names itself, or ""
	Published string // suggestion, "YYYY-MM-DD" or ""
	Language  string // BCP 47 suggestion: "en", "zh-Hans", "zh-Hant", or ""
}

// Error is a refused import. It always names the file.
type Error struct {
	File, Reason string
	// Undecodable is set when the bytes are not valid in any encoding the
	// evidence points to; Offset is then the byte offset of the first bad
	// sequence, and naming an encoding (Options.Encoding) imports it anyway.
	Undecodable bool
	Offset      int
}

// Options change how a file is read.
type Options struct {
	// Encoding, when set, is a name from EncodingNames (or an alias
	// LookupEncoding accepts) used instead of the guess; bytes it cannot
	// decode become U+FFFD and are counted in Result.Replaced.
	Encoding string
}

func (e *Error) Error() string { return e.File + ": " + e.Reason }

func refuse(file, format string, args ...any) error {
	return &Error{File: file, Reason: fmt.Sprintf(format, args...)}
}

// ReadFile imports the file at path. Files over MaxFileSize are refused by
// stat before any byte is read, so a mistaken pick of a video costs nothing.
func ReadFile(path string) (Result, error) { return ReadFileWith(path, Options{}) }

// ReadFileWith is ReadFile with options.
func ReadFileWith(path string, opt Options) (Result, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Result{}, refuse(path, "cannot open: %v", unwrapPathErr(err))
	}
	if fi.IsDir() {
		return Result{}, refuse(path, "is a folder, not a file")
	}
	if !fi.Mode().IsRegular() {
		return Result{}, refuse(path, "is not a regular file")
	}
	if fi.Size() > MaxFileSize {
		return Result{}, tooLarge(path, fi.Size())
	}
	f, err := os.Open(path)
	if err != nil {
		return Result{}, refuse(path, "cannot open: %v", unwrapPathErr(err))
	}
	defer f.Close()
	// Read at most one byte past the limit: the file may have grown since stat.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return Result{}, refuse(path, "cannot read: %v", unwrapPathErr(err))
	}
	return DecodeWith(path, data, opt)
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func tooLarge(file string, size int64) error {
	return refuse(file, "file is too large to import (%s, %d bytes; the limit is %d MB)", humanSize(size), size, MaxFileSize>>20)
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Decode imports data that came from a file called name. The name picks the
// format by extension and appears in every error.
func Decode(name string, data []byte) (Result, error) { return DecodeWith(name, data, Options{}) }

// DecodeWith is Decode with options.
func DecodeWith(name string, data []byte, opt Options) (Result, error) {
	if len(data) == 0 {
		return Result{}, refuse(name, "file is empty")
	}
	if len(data) > MaxFileSize {
		return Result{}, tooLarge(name, int64(len(data)))
	}
	format := formatFromName(name)
	if format == "" {
		format = sniffFormat(data)
	}
	var declared string
	if format == FormatHTML {
		declared = htmlDeclaredCharset(data)
	}
	raw, enc, replaced, err := decodeBytes(name, data, declared, opt.Encoding)
	if err != nil {
		return Result{}, err
	}
	raw = Normalize(raw)
	if bad := controlRatio(raw); bad > 0.01 {
		return Result{}, refuse(name, "looks like a binary file, not text (%.0f%% control characters)", bad*100)
	}

	if format == FormatHTML && !strings.Contains(raw, "<") {
		// Named .html but holding no markup: collapsing its whitespace as
		// HTML would run every paragraph together.
		format = FormatText
	}
	res := Result{Format: format, Encoding: enc, Replaced: replaced}
	var meta docMeta
	switch format {
	case FormatHTML:
		res.Text, meta = htmlToText(raw)
	case FormatMarkdown:
		res.Text, meta = markdownToText(raw)
	default:
		res.Text = raw
		meta.title = sniffPlainTitle(raw)
	}
	if format != FormatText {
		// Extraction can create new combining sequences (an entity next to
		// a base letter), so normalise the extracted text again.
		res.Text = Normalize(res.Text)
	}
	if strings.TrimSpace(res.Text) == "" {
		if format == FormatText {
			return Result{}, refuse(name, "file contains no text (only whitespace)")
		}
		return Result{}, refuse(name, "file contains no readable text")
	}
	res.Title = Normalize(cleanLine(meta.title))
	res.Outlet = meta.outlet
	if res.Outlet == "" {
		res.Outlet = SniffOutlet(res.Text)
	}
	res.Published = meta.published
	if res.Published == "" {
		res.Published = SniffDate(res.Text)
	}
	res.Language = SniffLanguage(res.Text)
	if res.Language == "" {
		res.Language = meta.language
	}
	return res, nil
}

// docMeta is what a format's own markup says about the document; it wins
// over sniffing the text because it is explicit.
type docMeta struct {
	title, outlet, published, language string
}

func formatFromName(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text":
		return FormatText
	case ".md", ".markdown", ".mdown", ".mkd":
		return FormatMarkdown
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	}
	// No or an unknown extension (saved pages are often ".aspx" or bare):
	// sniff the content; anything that is not HTML is plain text.
	return ""
}

// sniffFormat recognises HTML by its opening, skipping any BOM and leading
// whitespace or comments; everything else is plain text.
func sniffFormat(data []byte) string {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	s := strings.TrimPrefix(string(head), "\uFEFF")
	// UTF-16 files: look at the ASCII bytes only.
	if len(data) >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)) {
		s = strings.ReplaceAll(s[2:], "\x00", "")
	}
	s = strings.ToLower(strings.TrimLeftFunc(s, unicode.IsSpace))
	for strings.HasPrefix(s, "<!--") {
		end := strings.Index(s, "-->")
		if end < 0 {
			break
		}
		s = strings.TrimLeftFunc(s[end+3:], unicode.IsSpace)
	}
	if strings.HasPrefix(s, "<?xml") && strings.Contains(s, "<html") {
		return FormatHTML
	}
	for _, p := range []string{"<!doctype html", "<html"} {
		if strings.HasPrefix(s, p) {
			return FormatHTML
		}
	}
	return FormatText
}

// Normalize makes line ends LF (CRLF and lone CR both) and the text NFC, so
// that the same visible text always has the same code points and offsets.
func Normalize(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return norm.NFC.String(s)
}

// controlRatio is the share of code points that are control characters a
// text file would not contain; a high share means a binary file that
// happened to decode.
func controlRatio(s string) float64 {
	n, bad := 0, 0
	for _, r := range s {
		n++
		if r < 0x20 && r != '\n' && r != '\t' && r != '\f' && r != '\v' && r != 0x1b {
			bad++
		} else if r == 0x7f || (r >= 0x80 && r < 0xa0) {
			bad++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(bad) / float64(n)
}

// cleanLine trims a suggestion and folds its whitespace to single spaces.
func cleanLine(s string) string {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if utf8.RuneCountInString(s) > 300 {
		return ""
	}
	return s
}
