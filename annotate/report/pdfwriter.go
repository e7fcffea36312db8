package report

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf16"
)

// pdfCanvas is what the layout draws with: pages, text runs, filled
// rectangles and rules, in points from the page's top-left corner.
type pdfCanvas interface {
	addPage()
	// text draws gs (all of font fam) from x on the baseline.
	text(x, baseline float64, fam fontID, size float64, fg rgb, gs []glyph)
	fillRect(x, top, w, h float64, c rgb)
	line(x1, y1, x2, y2, width float64, c rgb)
}

// pdfFile writes a PDF as it goes: each page's content stream is
// compressed and written when the next page starts, so memory holds one
// page, the object offsets for the cross-reference table, and the fonts'
// record of the glyphs used. Object numbers of the catalogue, page tree
// root, resources and fonts are reserved up front; the fonts and the page
// tree are written at the end. Pages are compressed on a second goroutine
// while the next is laid out (deflate is a third of the work), and written
// in order by the first.
type pdfFile struct {
	w       *bufio.Writer
	n       int64   // bytes written
	offsets []int64 // by object number - 1
	err     error

	fonts    [3]*ttFont
	fontObjs [3]fontObjs
	rootObj  int
	info     int

	leaves   []pageLeaf
	nPages   int
	inPage   bool
	content  []byte
	zbuf     bytes.Buffer
	zw       *zlib.Writer
	jobs     chan *pageJob // to the compressor
	done     chan *pageJob // compressed, in page order
	inFlight int           // pages sent and not yet written
	free     []*pageJob
	fill     rgb
	stroke   rgb
	lineW    float64
	curFont  fontID
	curSize  float64
	hasFill  bool
	hasStrk  bool
	hasLineW bool
}

// pageLeaf is a node of the page tree holding up to leafPages pages, so
// viewers need not search one array of tens of thousands of pages.
type pageLeaf struct {
	obj  int
	kids []int
}

const leafPages = 128

type fontObjs struct{ type0, cid, desc, file, toUnicode int }

// pageJob is one page's content on its way to the file.
type pageJob struct {
	content []byte
	out     bytes.Buffer
	err     error
}

// compress deflates each page it is sent, in order, until jobs is closed.
func compress(jobs <-chan *pageJob, done chan<- *pageJob) {
	var zw *zlib.Writer
	for j := range jobs {
		j.out.Reset()
		if zw == nil {
			zw, _ = zlib.NewWriterLevel(&j.out, zlib.DefaultCompression)
		} else {
			zw.Reset(&j.out)
		}
		zw.Write(j.content)
		j.err = zw.Close()
		done <- j
	}
}

const (
	objCatalog   = 1
	objPages     = 2
	objResources = 3
)

// newPDFFile starts the file: header, catalogue, resources and info, with
// the font objects reserved.
func newPDFFile(w io.Writer, fonts [3]*ttFont, title string, created time.Time) *pdfFile {
	p := &pdfFile{fonts: fonts}
	p.w = bufio.NewWriterSize(writerFunc(func(b []byte) (int, error) {
		n, err := w.Write(b)
		p.n += int64(n)
		return n, err
	}), 64<<10)
	p.zw, _ = zlib.NewWriterLevel(&p.zbuf, zlib.DefaultCompression)
	// Two pages at most are in flight, so done never blocks the compressor.
	p.jobs, p.done = make(chan *pageJob, 2), make(chan *pageJob, 2)
	go compress(p.jobs, p.done)
	p.offsets = make([]int64, objResources)
	var res bytes.Buffer
	res.WriteString("<< /ProcSet [/PDF /Text] /Font <<")
	for i, f := range fonts {
		if f == nil {
			continue
		}
		p.fontObjs[i] = fontObjs{p.newObj(), p.newObj(), p.newObj(), p.newObj(), p.newObj()}
		fmt.Fprintf(&res, " /F%d %d 0 R", i, p.fontObjs[i].type0)
	}
	res.WriteString(" >> >>")
	p.info = p.newObj()

	p.raw("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	p.object(objCatalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", objPages))
	p.object(objResources, res.String())
	p.object(p.info, "<< /Title "+pdfString(title)+" /Creator (Gloss) /Producer (Gloss) /CreationDate (D:"+
		created.UTC().Format("20060102150405")+"+00'00') >>")
	return p
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// pdfString is s as a PDF text string (UTF-16BE with a byte-order mark).
func pdfString(s string) string {
	b := []byte("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		b = fmt.Appendf(b, "%04X", u)
	}
	return string(append(b, '>'))
}

func (p *pdfFile) raw(s string) {
	if p.err == nil {
		_, p.err = p.w.WriteString(s)
	}
}

func (p *pdfFile) rawBytes(b []byte) {
	if p.err == nil {
		_, p.err = p.w.Write(b)
	}
}

func (p *pdfFile) newObj() int {
	p.offsets = append(p.offsets, 0)
	return len(p.offsets)
}

func (p *pdfFile) begin(id int) {
	p.offsets[id-1] = p.n + int64(p.w.Buffered())
	p.raw(strconv.Itoa(id) + " 0 obj\n")
}

func (p *pdfFile) object(id int, body string) {
	p.begin(id)
	p.raw(body)
	p.raw("\nendobj\n")
}

// stream writes data Flate-compressed as object id, with extra entries in
// its dictionary.
func (p *pdfFile) stream(id int, extra string, data []byte) {
	p.zbuf.Reset()
	p.zw.Reset(&p.zbuf)
	p.zw.Write(data)
	if err := p.zw.Close(); err != nil && p.err == nil {
		p.err = err
	}
	p.compressed(id, extra, p.zbuf.Bytes())
}

// compressed writes z, already deflated, as stream object id.
func (p *pdfFile) compressed(id int, extra string, z []byte) {
	p.begin(id)
	p.raw("<< /Length " + strconv.Itoa(len(z)) + " /Filter /FlateDecode " + extra + " >>\nstream\n")
	p.rawBytes(z)
	p.raw("\nendstream\nendobj\n")
}

func (p *pdfFile) addPage() {
	p.endPage()
	p.inPage = true
	p.content = p.content[:0]
	p.hasFill, p.hasStrk, p.hasLineW = false, false, false
	p.curFont, p.curSize = famNone, 0
}

// endPage sends the page being drawn, if any, to be compressed, and
// writes the one sent before it.
func (p *pdfFile) endPage() {
	if !p.inPage {
		return
	}
	p.inPage = false
	var j *pageJob
	if n := len(p.free); n > 0 {
		j, p.free = p.free[n-1], p.free[:n-1]
	} else {
		j = &pageJob{}
	}
	j.content, p.content = p.content, j.content[:0]
	p.jobs <- j
	p.inFlight++
	if p.inFlight > 1 {
		p.writePage()
	}
}

// writePage writes the oldest page sent to the compressor.
func (p *pdfFile) writePage() {
	j := <-p.done
	p.inFlight--
	p.free = append(p.free, j)
	if j.err != nil && p.err == nil {
		p.err = j.err
	}
	c := p.newObj()
	p.compressed(c, "", j.out.Bytes())
	if len(p.leaves) == 0 || len(p.leaves[len(p.leaves)-1].kids) == leafPages {
		p.leaves = append(p.leaves, pageLeaf{obj: p.newObj(), kids: make([]int, 0, leafPages)})
	}
	leaf := &p.leaves[len(p.leaves)-1]
	pg := p.newObj()
	leaf.kids = append(leaf.kids, pg)
	p.nPages++
	p.object(pg, "<< /Type /Page /Parent "+strconv.Itoa(leaf.obj)+" 0 R /Contents "+strconv.Itoa(c)+" 0 R >>")
}

// stop ends the compressor; close does, and an export that fails must.
func (p *pdfFile) stop() {
	if p.jobs != nil {
		close(p.jobs)
		p.jobs = nil
	}
}

// num appends v to the content with at most two decimals.
func (p *pdfFile) num(v float64) {
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0 // no "-0"
	}
	p.content = strconv.AppendFloat(p.content, v, 'f', -1, 64)
	p.content = append(p.content, ' ')
}

func (p *pdfFile) colour(c rgb) {
	for _, v := range c {
		p.content = strconv.AppendFloat(p.content, math.Round(float64(v)/255*1000)/1000, 'f', -1, 64)
		p.content = append(p.content, ' ')
	}
}

func (p *pdfFile) setFill(c rgb) {
	if !p.hasFill || p.fill != c {
		p.colour(c)
		p.content = append(p.content, "rg\n"...)
		p.fill, p.hasFill = c, true
	}
}

const hexDigits = "0123456789ABCDEF"

func (p *pdfFile) text(x, baseline float64, fam fontID, size float64, fg rgb, gs []glyph) {
	f := p.fonts[fam]
	if f == nil || len(gs) == 0 {
		return
	}
	p.setFill(fg)
	p.content = append(p.content, "BT "...)
	if p.curFont != fam || p.curSize != size {
		p.content = append(p.content, '/', 'F', '0'+byte(fam), ' ')
		p.num(size)
		p.content = append(p.content, "Tf "...)
		p.curFont, p.curSize = fam, size
	}
	p.num(x)
	p.num(pageH - baseline)
	p.content = append(p.content, "Td <"...)
	for _, g := range gs {
		f.use(g.gid, g.r)
		p.content = append(p.content, hexDigits[g.gid>>12], hexDigits[g.gid>>8&15], hexDigits[g.gid>>4&15], hexDigits[g.gid&15])
	}
	p.content = append(p.content, "> Tj ET\n"...)
}

func (p *pdfFile) fillRect(x, top, w, h float64, c rgb) {
	p.setFill(c)
	p.num(x)
	p.num(pageH - top - h)
	p.num(w)
	p.num(h)
	p.content = append(p.content, "re f\n"...)
}

func (p *pdfFile) line(x1, y1, x2, y2, width float64, c rgb) {
	if !p.hasStrk || p.stroke != c {
		p.colour(c)
		p.content = append(p.content, "RG\n"...)
		p.stroke, p.hasStrk = c, true
	}
	if !p.hasLineW || p.lineW != width {
		p.num(width)
		p.content = append(p.content, "w\n"...)
		p.lineW, p.hasLineW = width, true
	}
	p.num(x1)
	p.num(pageH - y1)
	p.content = append(p.content, "m "...)
	p.num(x2)
	p.num(pageH - y2)
	p.content = append(p.content, "l S\n"...)
}

// close writes the last page, the fonts, the page tree, the
// cross-reference table and the trailer.
func (p *pdfFile) close() error {
	p.endPage()
	for p.inFlight > 0 {
		p.writePage()
	}
	p.stop()
	for i, f := range p.fonts {
		if f != nil {
			f.writeObjects(p, p.fontObjs[i])
		}
	}
	var b bytes.Buffer
	for _, l := range p.leaves {
		b.Reset()
		fmt.Fprintf(&b, "<< /Type /Pages /Parent %d 0 R /Count %d /Kids [", objPages, len(l.kids))
		for _, k := range l.kids {
			fmt.Fprintf(&b, "%d 0 R ", k)
		}
		b.WriteString("] >>")
		p.object(l.obj, b.String())
	}
	b.Reset()
	fmt.Fprintf(&b, "<< /Type /Pages /Count %d /MediaBox [0 0 %s %s] /Resources %d 0 R /Kids [",
		p.nPages, strconv.FormatFloat(pageW, 'f', -1, 64), strconv.FormatFloat(pageH, 'f', -1, 64), objResources)
	for _, l := range p.leaves {
		fmt.Fprintf(&b, "%d 0 R ", l.obj)
	}
	b.WriteString("] >>")
	p.object(objPages, b.String())

	xref := p.n + int64(p.w.Buffered())
	p.raw("xref\n0 " + strconv.Itoa(len(p.offsets)+1) + "\n0000000000 65535 f \n")
	for i, off := range p.offsets {
		if off == 0 && p.err == nil {
			p.err = fmt.Errorf("object %d was never written", i+1)
		}
		p.raw(fmt.Sprintf("%010d 00000 n \n", off))
	}
	p.raw(fmt.Sprintf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(p.offsets)+1, objCatalog, p.info, xref))
	if p.err == nil {
		p.err = p.w.Flush()
	}
	return p.err
}
