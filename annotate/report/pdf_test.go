package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

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
	t.Cleanup(pw.file.stop)
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

// checkPDF follows the cross-reference table to every object and counts
// the pages in the page tree; it fails t on any offset that does not start
// its object. qpdf checks the file too when installed.
func checkPDF(t *testing.T, pdf []byte) (pages int) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.7\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("no PDF header or end")
	}
	i := bytes.LastIndex(pdf, []byte("startxref\n"))
	var xref int
	if _, err := fmt.Sscanf(string(pdf[i+len("startxref\n"):]), "%d", &xref); err != nil || !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref does not point at the xref table (%v)", err)
	}
	var n int
	fmt.Sscanf(string(pdf[xref+len("xref\n0 "):]), "%d", &n)
	entries := pdf[bytes.IndexByte(pdf[xref+5:], '\n')+xref+6:]
	for obj := 1; obj < n; obj++ {
		var off int
		fmt.Sscanf(string(entries[20*obj:20*obj+10]), "%d", &off)
		if want := fmt.Sprintf("%d 0 obj\n", obj); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", obj, pdf[off:min(off+20, len(pdf))])
		}
	}
	pages = bytes.Count(pdf, []byte("/Type /Page /Parent"))
	root := regexp.MustCompile(`2 0 obj\n<< /Type /Pages /Count (\d+) `).FindSubmatch(pdf)
	if root == nil || string(root[1]) != strconv.Itoa(pages) {
		t.Errorf("page tree root %q, %d pages", root, pages)
	}
	if _, err := exec.LookPath("qpdf"); err == nil {
		in := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(in, pdf, 0o644)
		if out, err := exec.Command("qpdf", "--check", in).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check: %v\n%s", err, out)
		}
	}
	return pages
}

func TestPDFStructure(t *testing.T) {
	needFont(t)
	var buf bytes.Buffer
	// More pages than one node of the page tree holds.
	if err := WritePDF(&buf, genProject(60, 240), Options{Generated: t0}); err != nil {
		t.Fatal(err)
	}
	pages := checkPDF(t, buf.Bytes())
	if pages <= leafPages {
		t.Errorf("only %d pages", pages)
	}
	if _, err := exec.LookPath("pdfinfo"); err == nil {
		in := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(in, buf.Bytes(), 0o644)
		out, err := exec.Command("pdfinfo", in).CombinedOutput()
		if err != nil || !regexp.MustCompile(`Pages:\s+`+strconv.Itoa(pages)+`\n`).Match(out) {
			t.Errorf("pdfinfo (%v):\n%s", err, out)
		}
	}
	// The same report is the same file.
	var again bytes.Buffer
	if err := WritePDF(&again, genProject(60, 240), Options{Generated: t0}); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("a second export differs (%v)", err)
	}
}

// Chinese and English come back from pdftotext in the order written, so
// the embedded fonts' ToUnicode maps and the reading order are right.
func TestPDFTextInOrder(t *testing.T) {
	needFont(t)
	text := "第一段：中美合作遣返非法移民。\nThe second paragraph is English, café and naïve.\n第三段，美国国土安全部表示双方正在讨论。\nFourth: “quoted” — done."
	p := &annotate.Project{Sources: []annotate.Source{newSource("s", "混合 Mixed", text, annotate.Simplified)}}
	annotateQuote(t, p, "s", "English, café", nil, nil, 0, "")
	var buf bytes.Buffer
	if err := WritePDF(&buf, p, Options{Generated: t0}); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes())
	// Digits aside: passage markers are numbers set into the text.
	noDigits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return -1
			}
			return r
		}, squash(s))
	}
	got := noDigits(pdfText(t, buf.Bytes()))
	at := 0
	for _, line := range strings.Split(text, "\n") {
		i := strings.Index(got[at:], noDigits(line))
		if i < 0 {
			t.Fatalf("after byte %d the PDF text lacks %q:\n%s", at, noDigits(line), got)
		}
		at += i + len(noDigits(line))
	}
}

// The subset keeps every glyph drawn (and the parts of composite glyphs)
// exactly, and empties the rest.
func TestPDFFontSubset(t *testing.T) {
	needFont(t)
	fs, err := loadFonts("", "")
	if err != nil {
		t.Fatal(err)
	}
	var drawn []glyph
	st := plain(bodySize, black)
	for _, r := range "Aé中文?" {
		fam, rr, gid := fs.pick(r, false)
		g := glyph{rr, st, fam, gid}
		fs.fonts[fam].use(gid, rr)
		drawn = append(drawn, g)
	}
	var b1, b2 sfnt.Buffer
	for fam, f := range fs.fonts {
		if f == nil {
			continue
		}
		sub, err := sfnt.Parse(f.subset())
		if err != nil {
			t.Fatalf("font %d: the subset does not parse: %v", fam, err)
		}
		if sub.NumGlyphs() != f.numGlyphs {
			t.Errorf("font %d: %d glyphs, want %d", fam, sub.NumGlyphs(), f.numGlyphs)
		}
		used := 0
		for _, g := range drawn {
			if g.fam != fontID(fam) {
				continue
			}
			used++
			want, err1 := f.sf.LoadGlyph(&b1, sfnt.GlyphIndex(g.gid), 1000, nil)
			got, err2 := sub.LoadGlyph(&b2, sfnt.GlyphIndex(g.gid), 1000, nil)
			if err1 != nil || err2 != nil || len(want) == 0 || fmt.Sprint(want) != fmt.Sprint(got) {
				t.Errorf("font %d: glyph %d (%q) differs in the subset (%v, %v)", fam, g.gid, g.r, err1, err2)
			}
		}
		// A glyph nobody drew is empty.
		other, _ := f.sf.GlyphIndex(&b1, 'Z')
		if other == 0 {
			other, _ = f.sf.GlyphIndex(&b1, '国')
		}
		if segs, err := sub.LoadGlyph(&b2, other, 1000, nil); other != 0 && (err != nil || len(segs) != 0) {
			t.Errorf("font %d: unused glyph %d kept (%d segments, %v)", fam, other, len(segs), err)
		}
		if len(f.usedGlyphs()) > used {
			t.Errorf("font %d: %d glyphs used, %d drawn", fam, len(f.usedGlyphs()), used)
		}
		// Parts of composite glyphs (accented letters) are kept whole too.
		for _, g := range drawn {
			if g.fam != fontID(fam) {
				continue
			}
			for _, c := range f.components(int(g.gid)) {
				want, _ := f.sf.LoadGlyph(&b1, sfnt.GlyphIndex(c), 1000, nil)
				got, _ := sub.LoadGlyph(&b2, sfnt.GlyphIndex(c), 1000, nil)
				if fmt.Sprint(want) != fmt.Sprint(got) {
					t.Errorf("font %d: component %d of glyph %d differs in the subset", fam, c, g.gid)
				}
			}
		}
	}
}

func TestPDFToUnicode(t *testing.T) {
	f := &ttFont{uni: make([]rune, 70000)}
	f.use(3, 'A')
	f.use(3, 'B') // the first character drawn with a glyph names it
	f.use(0x1234, '中')
	f.use(0xFFF0, 0x1F600)
	f.use(7, '\t')
	cm := string(f.toUnicode(f.usedGlyphs()))
	for _, want := range []string{"4 beginbfchar", "<0003> <0041>", "<0007> <0020>", "<1234> <4E2D>", "<FFF0> <D83DDE00>"} {
		if !strings.Contains(cm, want) {
			t.Errorf("ToUnicode lacks %q:\n%s", want, cm)
		}
	}
}

// A damaged font file fails with its name, never a panic.
func TestPDFBadFont(t *testing.T) {
	path := findFont(LatinFontPaths)
	if path == "" {
		t.Skip("no Latin TrueType font")
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 11, 13, 100, 400, len(good) / 2} {
		if _, err := parseTTF(good[:n], "cut.ttf"); err == nil || !strings.Contains(err.Error(), "cut.ttf") {
			t.Errorf("cut at %d bytes: %v", n, err)
		}
	}
	f, err := parseTTF(good, path)
	if err != nil {
		t.Fatal(err)
	}
	// loca pointing backwards.
	bad := append([]byte(nil), good...)
	loca := f.tables["loca"]
	off := len(good) - len(good[bytes.Index(good, loca):])
	for i := 8; i < 16 && off+i < len(bad); i++ {
		bad[off+i] = 0xFF
	}
	if _, err := parseTTF(bad, "bad.ttf"); err == nil || !strings.Contains(err.Error(), "bad.ttf") {
		t.Errorf("bad loca: %v", err)
	}
	// Random damage anywhere: an error or a font whose subset can be built.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		b := append([]byte(nil), good...)
		for range 20 {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
		f, err := parseTTF(b, "x.ttf")
		if err != nil {
			continue
		}
		for g := range min(f.numGlyphs, 50) {
			f.use(uint16(g*7%f.numGlyphs), 'x')
		}
		f.subset()
	}
}

// errAfter fails every write after n bytes.
type errAfter struct{ n int }

func (w *errAfter) Write(b []byte) (int, error) {
	if w.n -= len(b); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(b), nil
}

func TestPDFWriteError(t *testing.T) {
	needFont(t)
	err := WritePDF(&errAfter{n: 200 << 10}, genProject(200, 400), Options{Generated: t0})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("got %v", err)
	}
}
