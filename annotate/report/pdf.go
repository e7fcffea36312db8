package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"gloss/annotate"
	"gloss/annotate/coverage"
)

// Page geometry in points (A4).
const (
	pageW, pageH   = 595.28, 841.89
	marginX        = 50.0
	marginTop      = 62.0
	marginBottom   = 56.0
	contentW       = pageW - 2*marginX
	bodySize       = 10.5
	smallSize      = 8.5
	markerSize     = 7
	lineFactor     = 1.65 // line height / font size: room for highlights that do not touch
	headerFontSize = 8.0
)

// WritePDF writes the report as PDF, embedding the glyphs the text uses
// from a CJK TrueType font and a Latin one (see Options.FontPath and FONTS.md).
func WritePDF(w io.Writer, p *annotate.Project, opt Options) error {
	return StreamPDF(w, readerOf(p), opt)
}

// StreamPDF writes the PDF report of what r reads. Sources are read and
// laid out one at a time, and each page is written to w as soon as it is
// full (see pdfFile); only the fonts' glyph use is kept to the end. A
// failure part way leaves part of a file behind.
func StreamPDF(w io.Writer, r annotate.Reader, opt Options) error {
	pw, err := newPDFWriter(w, r, opt)
	if err != nil {
		return err
	}
	defer pw.file.stop()
	pw.write()
	if pw.err != nil {
		return fmt.Errorf("pdf export: %w", pw.err)
	}
	if err := pw.file.close(); err != nil {
		return fmt.Errorf("pdf export: %w", err)
	}
	return nil
}

// newPDFWriter reads the fonts and the report's outline, then starts the
// file on w; nothing is written when either fails.
func newPDFWriter(w io.Writer, r annotate.Reader, opt Options) (*pdfWriter, error) {
	fs, err := loadFonts(opt.FontPath, opt.LatinFontPath)
	if err != nil {
		return nil, err
	}
	d, err := prepare(r, opt, false)
	if err != nil {
		return nil, fmt.Errorf("pdf export: %w", err)
	}
	pw := &pdfWriter{d: d, fonts: fs}
	pw.file = newPDFFile(w, fs.fonts, d.Title, d.Generated)
	pw.c = pw.file
	return pw, nil
}

type rgb = [3]uint8

var (
	black    = rgb{29, 29, 31}
	grey     = rgb{110, 110, 110}
	white    = rgb{255, 255, 255}
	dark     = rgb{68, 68, 68}
	rule     = rgb{200, 200, 200}
	okGreen  = rgb{23, 98, 42}
	warnAmb  = rgb{109, 82, 0}
	badRed   = rgb{138, 17, 17}
	linkBlue = rgb{20, 70, 160}
)

// style is how a run of glyphs is drawn.
type style struct {
	size  float64
	fg    rgb
	bg    rgb
	hasBG bool
	glue  bool // no line break right after (markers stick to their passage)
	bold  bool
	tab   bool // a raised marker tab rather than running text
}

type glyph struct {
	r   rune
	st  *style
	fam fontID // font chosen for r
	gid uint16 // r's glyph in that font
}

type pdfWriter struct {
	c        pdfCanvas
	file     *pdfFile
	d        *doc
	y        float64
	page     int
	header   string // source title in the running header
	fonts    *fontSet
	err      error
	hasPages bool
	lineHook func([]glyph) // tests watch the lines laid out
	lineBuf  []glyph       // flow's line, kept to save allocations
}

func (pw *pdfWriter) fail(err error) {
	if err != nil && pw.err == nil {
		pw.err = err
	}
}

// width of g at its size.
func (pw *pdfWriter) width(g glyph) float64 {
	return pw.fonts.width(g) * g.st.size
}

func (pw *pdfWriter) newPage() {
	pw.c.addPage()
	pw.page++
	pw.hasPages = true
	// Running header and footer.
	hs := plain(headerFontSize, grey)
	pw.drawRuns(pw.fit(pw.glyphs(pw.d.Title, hs), contentW*0.45), marginX, 36)
	if pw.header != "" {
		h := pw.fit(pw.glyphs(pw.header, hs), contentW*0.5)
		pw.drawRuns(h, pageW-marginX-pw.runWidth(h), 36)
	}
	pw.c.line(marginX, 42, pageW-marginX, 42, 0.5, rule)
	num := pw.glyphs("Page "+strconv.Itoa(pw.page), hs)
	pw.drawRuns(num, pageW-marginX-pw.runWidth(num), pageH-30)
	pw.y = marginTop
}

func (pw *pdfWriter) runWidth(gs []glyph) float64 {
	w := 0.0
	for _, g := range gs {
		w += pw.width(g)
	}
	return w
}

// fit clips gs with an ellipsis to width.
func (pw *pdfWriter) fit(gs []glyph, width float64) []glyph {
	if pw.runWidth(gs) <= width || len(gs) == 0 {
		return gs
	}
	ell := pw.glyphs("…", gs[0].st)
	for len(gs) > 0 && pw.runWidth(gs)+pw.runWidth(ell) > width {
		gs = gs[:len(gs)-1]
	}
	return append(gs[:len(gs):len(gs)], ell...)
}

// drawRuns draws glyphs on one baseline, one text call per font and style.
func (pw *pdfWriter) drawRuns(line []glyph, x, baseline float64) {
	for i := 0; i < len(line); {
		j := i
		w := 0.0
		for ; j < len(line) && line[j].st == line[i].st && line[j].fam == line[i].fam; j++ {
			w += pw.width(line[j])
		}
		st := line[i].st
		pw.c.text(x, baseline, line[i].fam, st.size, st.fg, line[i:j])
		x += w
		i = j
	}
}

// need starts a new page unless h more points fit on this one.
func (pw *pdfWriter) need(h float64) {
	if !pw.hasPages || pw.y+h > pageH-marginBottom {
		pw.newPage()
	}
}

// isCJK reports characters between which a line may break.
func isCJK(r rune) bool {
	if r < 0x1100 { // below Hangul Jamo, the first of these blocks
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
}

// noLineStart are closing marks that must not begin a line (kinsoku).
const noLineStart = "，。、；：？！）」』】》〉〕﹞”’…‥·ー〜,.;:?!)]}%»›"

// noLineEnd are opening marks that must not end a line.
const noLineEnd = "（「『【《〈〔﹝“‘([{«‹"

// kinsoku marks which runes are in noLineStart (bit 0) and noLineEnd
// (bit 1): canBreak asks for every pair of glyphs.
var kinsoku = func() map[rune]uint8 {
	m := map[rune]uint8{}
	for _, r := range noLineStart {
		m[r] |= 1
	}
	for _, r := range noLineEnd {
		m[r] |= 2
	}
	return m
}()

// canBreak says whether a line may break between a and b.
func canBreak(a, b glyph) bool {
	switch {
	case a.st.glue:
		return false
	case kinsoku[b.r]&1 != 0, kinsoku[a.r]&2 != 0:
		return false
	case a.r == ' ' || a.r == '\t':
		return b.r != ' ' && b.r != '\t'
	case b.r == ' ' || b.r == '\t':
		return false
	case isCJK(a.r) || isCJK(b.r):
		return true
	case a.r == '-' || a.r == '/' || a.r == '—':
		return true
	}
	return false
}

// flow lays out glyphs from x0 over width, breaking lines by canBreak,
// drawing highlight backgrounds before text, and paging as needed.
func (pw *pdfWriter) flow(gs []glyph, x0, width, size float64) {
	lineH := size * lineFactor
	for _, para := range splitLines(gs) {
		if len(para) == 0 {
			pw.y += lineH * 0.5
			continue
		}
		line := pw.lineBuf[:0]
		lineW := 0.0
		emit := func() {
			// Trailing spaces take no room at the end of a line.
			for len(line) > 0 && (line[len(line)-1].r == ' ' || line[len(line)-1].r == '\t') {
				line = line[:len(line)-1]
			}
			pw.need(lineH)
			if pw.lineHook != nil {
				pw.lineHook(line)
			}
			pw.drawLine(line, x0, lineH)
			pw.y += lineH
			line, lineW = line[:0], 0
		}
		// Units: runs that must not be broken, taken in turn.
		for start, end := 0, 1; start < len(para); start, end = end, end+1 {
			for end < len(para) && !canBreak(para[end-1], para[end]) {
				end++
			}
			u := para[start:end]
			uw := 0.0
			for _, g := range u {
				uw += pw.width(g)
			}
			if lineW+uw > width && len(line) > 0 {
				emit()
			}
			if len(line) == 0 {
				for len(u) > 0 && (u[0].r == ' ' || u[0].r == '\t') {
					uw -= pw.width(u[0])
					u = u[1:]
				}
			}
			if uw > width {
				// Longer than a line (a URL, say): break it anywhere.
				for _, g := range u {
					gw := pw.width(g)
					if lineW+gw > width && len(line) > 0 {
						emit()
					}
					line = append(line, g)
					lineW += gw
				}
				continue
			}
			line = append(line, u...)
			lineW += uw
		}
		if len(line) > 0 {
			emit()
		}
		pw.lineBuf = line[:0] // reused: lines are drawn, not kept
	}
}

// splitLines cuts at newlines.
func splitLines(gs []glyph) [][]glyph {
	var out [][]glyph
	start := 0
	for i, g := range gs {
		if g.r == '\n' {
			out = append(out, gs[start:i])
			start = i + 1
		}
	}
	return append(out, gs[start:])
}

func (pw *pdfWriter) drawLine(line []glyph, x0, lineH float64) {
	// Backgrounds first, so text is drawn over them.
	x := x0
	for i := 0; i < len(line); {
		j, w := i, 0.0
		for ; j < len(line) && line[j].st == line[i].st; j++ {
			w += pw.width(line[j])
		}
		if st := line[i].st; st.hasBG {
			top, h := pw.y+lineH*0.08, lineH*0.84
			if st.tab { // markers: a small tab, raised
				top, h = pw.y+lineH*0.1, lineH*0.5
			}
			pw.c.fillRect(x, top, w, h, st.bg)
		}
		x += w
		i = j
	}
	// Then text, each style run on its own baseline (markers sit raised).
	x = x0
	for i := 0; i < len(line); {
		j := i
		for j < len(line) && line[j].st == line[i].st {
			j++
		}
		st := line[i].st
		base := pw.y + lineH/2 + st.size*0.36
		if st.tab {
			base = pw.y + lineH*0.35 + st.size*0.36
		}
		pw.drawRuns(line[i:j], x, base)
		x += pw.runWidth(line[i:j])
		i = j
	}
}

// glyphs turns a string into glyphs of one style, each with the font that
// has it, dropping carriage returns and control characters.
func (pw *pdfWriter) glyphs(s string, st *style) []glyph {
	return pw.appendGlyphs(make([]glyph, 0, len(s)), s, st)
}

// appendGlyphs appends the glyphs of s to out.
func (pw *pdfWriter) appendGlyphs(out []glyph, s string, st *style) []glyph {
	for _, r := range s {
		switch {
		case r == '\r':
			continue
		case r == '\n' || r == '\t':
		case unicode.IsControl(r) || r == 0xFEFF || unicode.Is(unicode.Variation_Selector, r) || r == 0x200D:
			continue
		}
		fam, rr, gid := pw.fonts.pick(r, st.bold)
		out = append(out, glyph{rr, st, fam, gid})
	}
	return out
}

func (pw *pdfWriter) para(s string, st *style, x0, width float64) {
	pw.flow(pw.glyphs(s, st), x0, width, st.size)
}

func (pw *pdfWriter) gap(h float64) { pw.y += h }

func plain(size float64, fg rgb) *style { return &style{size: size, fg: fg} }

func (pw *pdfWriter) write() {
	d := pw.d
	title := &style{size: 20, fg: black, bold: true}
	body := plain(bodySize, black)
	small := plain(smallSize, grey)
	pw.newPage()
	pw.para(d.Title, title, marginX, contentW)
	pw.para(fmt.Sprintf("Generated %s · %d sources · %d annotations", d.Generated.Format("2006-01-02 15:04 MST"), len(d.Sources), d.NAnn), small, marginX, contentW)
	pw.gap(8)
	if len(d.Sources) == 0 {
		pw.para("This report has no sources.", body, marginX, contentW)
	} else {
		pw.heading("Contents", 11)
	}
	for _, sd := range d.Sources {
		gs := pw.glyphs(fmt.Sprintf("%d. ", sd.Num), plain(bodySize, grey))
		gs = append(gs, pw.glyphs(oneLine(sd.Title), body)...)
		gs = append(gs, pw.glyphs(fmt.Sprintf("   %s · %d annotations", sd.Rel, sd.NRows), plain(smallSize, grey))...)
		pw.flow(gs, marginX, contentW, bodySize)
	}
	pw.analysis(d.A)
	pw.fail(d.each(func(sd *srcDoc) error {
		pw.header = fmt.Sprintf("%d. %s", sd.Num, sd.Title)
		pw.source(sd)
		if pw.err == nil && pw.file != nil {
			return pw.file.err // a failed write stops the export
		}
		return pw.err
	}))
	pw.header = "Codebook"
	pw.newPage()
	pw.codebook()
}

func (pw *pdfWriter) heading(s string, size float64) {
	st := &style{size: size, fg: black, bold: true}
	pw.need(size * lineFactor * 2)
	pw.para(s, st, marginX, contentW)
	pw.c.line(marginX, pw.y, pageW-marginX, pw.y, size/14, dark)
	pw.gap(size * 0.6)
}

func (pw *pdfWriter) field(k, v string) {
	if v == "" {
		return
	}
	key := plain(smallSize+0.5, grey)
	val := plain(smallSize+0.5, black)
	gs := append(pw.glyphs(k+":  ", key), pw.glyphs(oneLine(v), val)...)
	pw.flow(gs, marginX, contentW, smallSize+0.5)
}

func (pw *pdfWriter) source(sd *srcDoc) {
	s := sd.Src
	pw.newPage()
	pw.heading(fmt.Sprintf("%d  %s", sd.Num, sd.Title), 15)
	pw.field("Outlet", s.Outlet)
	pw.field("Author", s.Author)
	pw.field("Published", s.Published)
	pw.field("Language", langName(s.Language))
	pw.field("Kind", string(s.Kind))
	rel := sd.Rel
	if s.ReliabilityNote != "" {
		rel += " — " + s.ReliabilityNote
	}
	pw.field("Reliability", rel)
	pw.field("Flags", strings.Join(sd.Flags, ", "))
	pw.field("URL", s.URL)
	pw.field("File", s.FileName)
	pw.field("ID", s.ID)
	pw.field("Note", s.Note)
	pw.gap(8)

	if sd.Missing != "" {
		pw.para(sd.Missing, plain(bodySize, badRed), marginX, contentW)
	}
	// The text with highlights and markers.
	body := plain(bodySize, black)
	styles := map[rgb]*style{}
	marker := &style{size: markerSize, fg: white, bg: dark, hasBG: true, glue: true, tab: true}
	n := 0
	for _, sg := range sd.Segments {
		n += len(sg.Text) + 6*len(sg.Markers)
	}
	gs := make([]glyph, 0, n)
	thin := &style{size: 1.5, fg: black, glue: true}
	for _, sg := range sd.Segments {
		for _, n := range sg.Markers {
			gs = pw.appendGlyphs(gs, " "+strconv.Itoa(n)+" ", marker)
			gs = pw.appendGlyphs(gs, " ", thin)
		}
		st := body
		if len(sg.Rows) > 0 {
			if styles[sg.Color] == nil {
				styles[sg.Color] = &style{size: bodySize, fg: black, bg: sg.Color, hasBG: true}
			}
			st = styles[sg.Color]
		}
		gs = pw.appendGlyphs(gs, sg.Text, st)
	}
	pw.flow(gs, marginX, contentW, bodySize)
	pw.gap(10)

	if len(sd.Rows) == 0 {
		pw.para("No annotations on this source.", plain(smallSize+0.5, grey), marginX, contentW)
	} else {
		pw.heading("Annotations", 11)
		for _, r := range sd.Rows {
			pw.annotation(r)
		}
	}
	for _, c := range sd.Coverage {
		pw.coverage(c)
	}
}

func (pw *pdfWriter) swatch(x float64, c rgb, size float64) {
	pw.c.fillRect(x, pw.y+size*0.35, size*0.9, size*0.9, c)
}

func (pw *pdfWriter) annotation(r *annRow) {
	const indent = 26.0
	size := smallSize + 1
	pw.need(size * lineFactor * 2)
	num := plain(size, grey)
	top := pw.y
	pw.flow(pw.glyphs(strconv.Itoa(r.N), num), marginX, indent-4, size)
	pw.y = top
	pw.swatch(marginX+indent, r.Color, size)
	quote := &style{size: size, fg: black}
	pw.flow(pw.glyphs(r.Quote, quote), marginX+indent+size+3, contentW-indent-size-3, size)
	var parts []string
	codes := make([]string, len(r.Codes))
	for i, c := range r.Codes {
		codes[i] = c.Path
	}
	if len(codes) > 0 {
		parts = append(parts, "Codes: "+strings.Join(codes, "; "))
	}
	if len(r.Stances) > 0 {
		parts = append(parts, "Stance: "+strings.Join(r.Stances, "; "))
	}
	cred := r.Cred
	if cred == "" {
		cred = "not rated"
	}
	parts = append(parts, "Credibility: "+cred, fmt.Sprintf("%d–%d", r.Start, r.End))
	if r.Problem != "" {
		parts = append(parts, r.Problem)
	}
	pw.para(strings.Join(parts, "  ·  "), plain(smallSize, grey), marginX+indent, contentW-indent)
	if r.A.Note != "" || r.A.Author != "" {
		pw.para("Note: "+noteBy(r.A.Note, r.A.Author), plain(smallSize, dark), marginX+indent, contentW-indent)
	}
	pw.gap(5)
}

func (pw *pdfWriter) coverage(c *covDoc) {
	r := c.R
	pw.gap(6)
	pw.heading("Evidence from "+c.Original.Title, 11)
	pw.para(fmt.Sprintf("%s of summary sentences have confirmed evidence (%d of %d; %d suggested only; %d unsupported). "+
		"%s of the original’s text is cited (%d of %d characters, not counting spaces; %s of its sentences).",
		pct(r.SentenceShare), r.Linked, len(r.Sentences), r.Suggested, len(r.Unsupported),
		pct(r.OriginalShare), r.OriginalCited, r.OriginalChars, pct(r.OriginalSentenceShare)), plain(smallSize+1, black), marginX, contentW)
	pw.gap(4)
	size := smallSize + 1
	for i, sn := range r.Sentences {
		label, col := "UNSUPPORTED", badRed
		switch sn.State {
		case coverage.Linked:
			label, col = "LINKED", okGreen
		case coverage.Suggested:
			label, col = "SUGGESTED ONLY", warnAmb
		}
		pw.need(size * lineFactor * 2)
		gs := pw.glyphs(fmt.Sprintf("%d. ", i+1), plain(size, grey))
		gs = append(gs, pw.glyphs(label+"  ", plain(size-1.5, col))...)
		gs = append(gs, pw.glyphs(oneLine(sn.Text), plain(size, black))...)
		pw.flow(gs, marginX, contentW, size)
		for _, a := range sn.Evidence {
			pw.para(fmt.Sprintf("→ %s  (%d–%d)", oneLine(a.Selector.Exact), a.Selector.Start, a.Selector.End), plain(size, linkBlue), marginX+18, contentW-18)
		}
		if sn.State != coverage.Linked {
			for _, a := range sn.Suggestions {
				pw.para(fmt.Sprintf("→ suggested: %s  (%d–%d)", oneLine(a.Selector.Exact), a.Selector.Start, a.Selector.End), plain(size, warnAmb), marginX+18, contentW-18)
			}
		}
		pw.gap(3)
	}
}

func (pw *pdfWriter) codebook() {
	pw.heading("Codebook", 15)
	size := smallSize + 1.5
	if len(pw.d.Codes) == 0 {
		pw.para("No codes.", plain(size, grey), marginX, contentW)
	}
	for _, c := range pw.d.Codes {
		x := marginX + float64(c.Depth)*16
		pw.need(size * lineFactor)
		col, ok := parseColor(c.Code.Color)
		if !ok {
			col, _ = parseColor(noCodeColor)
		}
		pw.swatch(x, col, size)
		line := fmt.Sprintf("%s  (%d)", c.Code.Name, c.Count)
		if c.Code.Description != "" {
			line += " — " + c.Code.Description
		}
		pw.para(line, plain(size, black), x+size+4, contentW-(x-marginX)-size-4)
	}
	nc, _ := parseColor(noCodeColor)
	pw.gap(4)
	pw.swatch(marginX, nc, size)
	pw.para("Passage without a code. Overlapping passages are layered, so overlaps print darker.", plain(size, grey), marginX+size+4, contentW-size-4)
	if len(pw.d.Targets) > 0 {
		pw.gap(8)
		pw.heading("Stance targets", 11)
		for _, t := range pw.d.Targets {
			pw.para("• "+t.Name, plain(size, black), marginX, contentW)
		}
	}
	pw.gap(8)
	pw.heading("Scales", 11)
	half := contentW / 2
	pw.need(size * lineFactor * 7)
	pw.para("Source reliability", &style{size: size, fg: grey, bold: true}, marginX, half)
	pw.y -= size * lineFactor
	pw.para("Information credibility", &style{size: size, fg: grey, bold: true}, marginX+half, half)
	for i, g := range annotate.ReliabilityScale {
		cg := annotate.CredibilityScale[i]
		top := pw.y
		pw.para(string(g.Grade)+"  "+g.Label, plain(size, black), marginX, half-8)
		left := pw.y
		pw.y = top
		pw.para(strconv.Itoa(int(cg.Grade))+"  "+cg.Label, plain(size, black), marginX+half, half)
		pw.y = max(pw.y, left)
	}
}
