package report

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate"
)

// needFont skips when no usable CJK TrueType font is installed.
func needFont(t *testing.T) {
	t.Helper()
	if _, path, err := loadFont(""); err != nil {
		t.Skipf("no PDF font (%s): %v", path, err)
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	// Crop away the running header and footer (all in points at -r 72).
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-r", "72", "-x", "0", "-y", "46", "-W", "596", "-H", "748", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// squash drops whitespace, which pdftotext inserts at line ends.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func TestPDFCorpusChinese(t *testing.T) {
	needFont(t)
	p := corpusProject(t)
	var buf bytes.Buffer
	if err := WritePDF(&buf, p, Options{Title: "China–US repatriation", Generated: t0}); err != nil {
		t.Fatal(err)
	}
	if dst := os.Getenv("GLOSS_REPORT_PDF"); dst != "" {
		if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := squash(pdfText(t, buf.Bytes()))
	var zh string
	for _, s := range p.Sources {
		if s.Language == annotate.Simplified {
			zh = s.Text
		}
	}
	// Every line of 002 comes back in order (whitespace aside, and digits,
	// since the passage markers are numbers set into the text, and hyphens,
	// which pdftotext drops at line ends).
	noDigits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == '-' {
				return -1
			}
			return r
		}, s)
	}
	gotND := noDigits(got)
	for _, line := range strings.Split(zh, "\n") {
		if l := noDigits(squash(line)); l != "" && !strings.Contains(gotND, l) {
			t.Errorf("PDF text lacks the line %q", l)
			break
		}
	}
	for _, want := range []string{"美国正在与中国进行高层讨论", "D—Notusuallyreliable", "UNSUPPORTED", "Codebook"} {
		if !strings.Contains(got, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}

func TestPDFWrapsChinese(t *testing.T) {
	needFont(t)
	text := strings.Repeat("中美合作遣返非法移民，双方同意。", 40) + "\n" + strings.Repeat("word ", 200) + "\nhttps://example.com/" + strings.Repeat("x", 300)
	p := &annotate.Project{Sources: []annotate.Source{newSource("s", "标题", text, annotate.Simplified), newSource("e", "", "", annotate.English)}}
	annotateQuote(t, p, "s", "双方同意", nil, nil, 0, "")
	pw, err := newPDFWriter(io.Discard, readerOf(p), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]glyph
	pw.newPage()
	pw.lineHook = func(l []glyph) { lines = append(lines, append([]glyph(nil), l...)) }
	st := plain(bodySize, black)
	pw.flow(pw.glyphs(text, st), marginX, contentW, bodySize)
	if pw.err != nil {
		t.Fatal(pw.err)
	}
	if len(lines) < 10 {
		t.Fatalf("only %d lines", len(lines))
	}
	var rejoined strings.Builder
	for i, l := range lines {
		w := 0.0
		for _, g := range l {
			w += pw.width(g)
		}
		if w > contentW+0.01 {
			t.Errorf("line %d is %.1fpt wide, more than %.1f", i, w, contentW)
		}
		if len(l) > 0 && strings.ContainsRune(noLineStart, l[0].r) {
			t.Errorf("line %d starts with closing punctuation %q", i, l[0].r)
		}
		for _, g := range l {
			rejoined.WriteRune(g.r)
		}
	}
	if squash(rejoined.String()) != squash(text) {
		t.Error("wrapping lost or reordered text")
	}
	// Latin words are not split.
	for i, l := range lines {
		s := string(runesOf(l))
		if strings.HasPrefix(strings.TrimSpace(s), "ord") {
			t.Errorf("line %d splits a word: %q", i, s)
		}
	}
}

func runesOf(l []glyph) []rune {
	r := make([]rune, len(l))
	for i, g := range l {
		r[i] = g.r
	}
	return r
}

func TestPDFFontErrors(t *testing.T) {
	dir := t.TempDir()
	otf := filepath.Join(dir, "noto.otf")
	os.WriteFile(otf, append([]byte("OTTO"), make([]byte, 64)...), 0o644)
	var buf bytes.Buffer
	err := WritePDF(&buf, &annotate.Project{}, Options{FontPath: otf})
	if err == nil || !strings.Contains(err.Error(), "CFF") || !strings.Contains(err.Error(), "fonts-droid-fallback") {
		t.Errorf("OTF font: %v", err)
	}
	err = WritePDF(&buf, &annotate.Project{}, Options{FontPath: filepath.Join(dir, "missing.ttf")})
	if err == nil || !strings.Contains(err.Error(), "missing.ttf") {
		t.Errorf("missing font: %v", err)
	}
}

func TestPDFEmptyAndBare(t *testing.T) {
	needFont(t)
	for name, p := range map[string]*annotate.Project{
		"nil":   nil,
		"empty": {},
		"bare": {Sources: []annotate.Source{newSource("s", "", "", annotate.LangUnknown), newSource("t", "😀 emoji", "😀 text\r\n\twith\x00 controls", annotate.English)},
			Codes: []annotate.Code{{ID: "c", Name: "Code", Color: "bad"}}},
	} {
		var buf bytes.Buffer
		if err := WritePDF(&buf, p, Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Errorf("%s: not a PDF", name)
		}
	}
}
