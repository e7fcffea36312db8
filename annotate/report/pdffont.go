package report

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// ttFont is a TrueType font as the PDF writer needs it: advance widths for
// layout, and the tables to build the subset embedded at the end. Glyphs
// keep their numbers in the subset (glyphs not drawn are left empty), so a
// page's text can be written before the set of glyphs used is known.
type ttFont struct {
	path      string
	psName    string
	data      []byte
	tables    map[string][]byte
	sf        *sfnt.Font
	upem      int
	numGlyphs int
	nHMetrics int
	loca      []uint32 // numGlyphs+1 offsets into glyf
	hmtx      []byte
	// uni holds, per glyph drawn, the character it was drawn for (for the
	// ToUnicode map that makes text copyable); 0 marks glyphs not drawn.
	uni []rune
}

// parseTTF reads the tables of a TrueType font, checking what the subset
// and the widths rely on so a bad file fails here, naming path.
func parseTTF(data []byte, path string) (*ttFont, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("pdf font %s: %s", path, fmt.Sprintf(format, a...))
	}
	if len(data) < 12 {
		return nil, bad("not a font file (too short)")
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, bad("table directory is truncated")
	}
	f := &ttFont{path: path, data: data, tables: map[string][]byte{}}
	for i := range n {
		e := data[12+16*i:]
		tag := string(e[:4])
		off, ln := int64(binary.BigEndian.Uint32(e[8:])), int64(binary.BigEndian.Uint32(e[12:]))
		if off+ln > int64(len(data)) {
			return nil, bad("table %q lies past the end of the file", tag)
		}
		f.tables[tag] = data[off : off+ln]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf"} {
		if f.tables[t] == nil {
			return nil, bad("has no %q table", strings.TrimSpace(t))
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, bad("head, hhea or maxp table is truncated")
	}
	f.upem = int(binary.BigEndian.Uint16(head[18:]))
	if f.upem < 16 {
		return nil, bad("units per em %d is not valid", f.upem)
	}
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	f.nHMetrics = int(binary.BigEndian.Uint16(hhea[34:]))
	if f.numGlyphs == 0 || f.nHMetrics == 0 || f.nHMetrics > f.numGlyphs {
		return nil, bad("has %d glyphs and %d horizontal metrics", f.numGlyphs, f.nHMetrics)
	}
	f.hmtx = f.tables["hmtx"]
	if len(f.hmtx) < 4*f.nHMetrics+2*(f.numGlyphs-f.nHMetrics) {
		return nil, bad("hmtx table is truncated")
	}
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	f.loca = make([]uint32, f.numGlyphs+1)
	long := binary.BigEndian.Uint16(head[50:]) == 1
	for i := range f.loca {
		switch {
		case long && len(loca) >= 4*(i+1):
			f.loca[i] = binary.BigEndian.Uint32(loca[4*i:])
		case !long && len(loca) >= 2*(i+1):
			f.loca[i] = 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
		default:
			return nil, bad("loca table is truncated")
		}
		if f.loca[i] > uint32(len(glyf)) || i > 0 && f.loca[i] < f.loca[i-1] {
			return nil, bad("loca table points outside the glyf table (glyph %d)", i)
		}
	}
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, bad("%v", err)
	}
	f.sf = sf
	var buf sfnt.Buffer
	if name, err := sf.Name(&buf, sfnt.NameIDPostScript); err == nil {
		f.psName = strings.Map(func(r rune) rune {
			if r > ' ' && r < 127 && !strings.ContainsRune("()<>[]{}/%#", r) {
				return r
			}
			return -1
		}, name)
	}
	if f.psName == "" {
		f.psName = "Font"
	}
	f.uni = make([]rune, f.numGlyphs)
	return f, nil
}

// advance is glyph g's advance in thousandths of an em, rounded down as
// gopdf did (so pages lay out as before) and as written in the W array.
func (f *ttFont) advance(g uint16) int {
	i := min(int(g), f.nHMetrics-1)
	return int(binary.BigEndian.Uint16(f.hmtx[4*i:])) * 1000 / f.upem
}

// use records that g was drawn for r.
func (f *ttFont) use(g uint16, r rune) {
	if int(g) < len(f.uni) && f.uni[g] == 0 {
		if r == '\t' {
			r = ' '
		}
		f.uni[g] = r
	}
}

func (f *ttFont) glyph(g int) []byte {
	return f.tables["glyf"][f.loca[g]:f.loca[g+1]]
}

// components lists the glyphs a composite glyph is built from.
func (f *ttFont) components(g int) []int {
	b := f.glyph(g)
	if len(b) < 10 || int16(binary.BigEndian.Uint16(b)) >= 0 {
		return nil
	}
	var out []int
	for p := 10; p+4 <= len(b); {
		flags := binary.BigEndian.Uint16(b[p:])
		out = append(out, int(binary.BigEndian.Uint16(b[p+2:])))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return out
}

// usedGlyphs are the glyphs drawn, ascending.
func (f *ttFont) usedGlyphs() []int {
	var out []int
	for g, r := range f.uni {
		if r != 0 {
			out = append(out, g)
		}
	}
	return out
}

// tag is the six-letter subset prefix of the font's PDF name, derived
// from the glyphs used so the same report gives the same file.
func (f *ttFont) tag() string {
	h := fnv.New64a()
	h.Write([]byte(f.psName))
	for _, g := range f.usedGlyphs() {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	v := h.Sum64()
	var b [6]byte
	for i := range b {
		b[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(b[:])
}

// subset builds a TrueType file holding the glyphs drawn (and the glyphs
// composites are made of) under their original numbers; every other glyph
// is empty. Layout tables (GSUB, GPOS, kern) are left out and the cmap is
// empty: the PDF names glyphs directly.
func (f *ttFont) subset() []byte {
	keep := make([]bool, f.numGlyphs)
	keep[0] = true // .notdef
	stack := f.usedGlyphs()
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		keep[g] = true
		for _, c := range f.components(g) {
			if c < f.numGlyphs && !keep[c] {
				keep[c] = true
				stack = append(stack, c)
			}
		}
	}
	var glyf bytes.Buffer
	loca := make([]byte, 4*(f.numGlyphs+1))
	for g := range f.numGlyphs {
		binary.BigEndian.PutUint32(loca[4*g:], uint32(glyf.Len()))
		if keep[g] {
			glyf.Write(f.glyph(g))
			for glyf.Len()%4 != 0 {
				glyf.WriteByte(0)
			}
		}
	}
	binary.BigEndian.PutUint32(loca[4*f.numGlyphs:], uint32(glyf.Len()))

	// Metrics of the empty glyphs are zeroed too: the PDF gives the widths
	// (/W), and zeros compress to almost nothing.
	hmtx := append([]byte(nil), f.hmtx...)
	for g := range f.numGlyphs {
		if keep[g] {
			continue
		}
		if g < f.nHMetrics {
			clear(hmtx[4*g : 4*g+4])
		} else {
			clear(hmtx[4*f.nHMetrics+2*(g-f.nHMetrics):][:2])
		}
	}

	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // long loca offsets
	tabs := map[string][]byte{"head": head, "hhea": f.tables["hhea"], "maxp": f.tables["maxp"],
		"hmtx": hmtx, "loca": loca, "glyf": glyf.Bytes()}
	for _, t := range []string{"cvt ", "fpgm", "prep", "OS/2", "name"} {
		if b := f.tables[t]; b != nil {
			tabs[t] = b
		}
	}
	// The PDF names glyphs by number, but font parsers (Go's sfnt among
	// them) insist on a cmap: one Windows Unicode subtable mapping nothing.
	tabs["cmap"] = []byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12,
		0, 4, 0, 24, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 1, 0, 0}
	if post := f.tables["post"]; len(post) >= 32 {
		// Version 3: no glyph names, which are of no use in a PDF.
		p := append([]byte(nil), post[:32]...)
		binary.BigEndian.PutUint32(p, 0x00030000)
		tabs["post"] = p
	}
	tags := make([]string, 0, len(tabs))
	for t := range tabs {
		tags = append(tags, t)
	}
	sort.Strings(tags)

	n := len(tags)
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	var out bytes.Buffer
	hdr := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(hdr, 0x00010000)
	binary.BigEndian.PutUint16(hdr[4:], uint16(n))
	binary.BigEndian.PutUint16(hdr[6:], uint16(16<<es))
	binary.BigEndian.PutUint16(hdr[8:], uint16(es))
	binary.BigEndian.PutUint16(hdr[10:], uint16(16*n-16<<es))
	off := len(hdr)
	headOff := 0
	for i, t := range tags {
		b := tabs[t]
		e := hdr[12+16*i:]
		copy(e, t)
		binary.BigEndian.PutUint32(e[4:], checksum(b))
		binary.BigEndian.PutUint32(e[8:], uint32(off))
		binary.BigEndian.PutUint32(e[12:], uint32(len(b)))
		if t == "head" {
			headOff = off
		}
		off += (len(b) + 3) &^ 3
	}
	out.Write(hdr)
	for _, t := range tags {
		b := tabs[t]
		out.Write(b)
		out.Write(make([]byte, (4-len(b)%4)%4))
	}
	font := out.Bytes()
	binary.BigEndian.PutUint32(font[headOff+8:], 0xB1B0AFBA-checksum(font))
	return font
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}

// scaled is a font-unit value in thousandths of an em.
func (f *ttFont) scaled(v int16) int { return int(v) * 1000 / f.upem }

// writeObjects writes the font's five PDF objects (Type0 font, CID font,
// descriptor, font file, ToUnicode map) under the numbers reserved in ids.
func (f *ttFont) writeObjects(p *pdfFile, ids fontObjs) {
	used := f.usedGlyphs()
	name := f.tag() + "+" + f.psName
	p.object(ids.type0, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		name, ids.cid, ids.toUnicode))

	var w strings.Builder
	w.WriteString("[")
	for i := 0; i < len(used); {
		j := i + 1
		for j < len(used) && used[j] == used[j-1]+1 {
			j++
		}
		fmt.Fprintf(&w, "%d [", used[i])
		for k := i; k < j; k++ {
			if k > i {
				w.WriteByte(' ')
			}
			fmt.Fprint(&w, f.advance(uint16(used[k])))
		}
		w.WriteString("] ")
		i = j
	}
	w.WriteString("]")
	p.object(ids.cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R "+
		"/DW %d /W %s /CIDToGIDMap /Identity >>", name, ids.desc, f.advance(0), w.String()))

	head, hhea := f.tables["head"], f.tables["hhea"]
	i16 := func(b []byte, o int) int16 { return int16(binary.BigEndian.Uint16(b[o:])) }
	ascent, descent := f.scaled(i16(hhea, 4)), f.scaled(i16(hhea, 6))
	capH := ascent
	if os2 := f.tables["OS/2"]; len(os2) >= 90 && binary.BigEndian.Uint16(os2) >= 2 {
		capH = f.scaled(i16(os2, 88))
	}
	p.object(ids.desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%d %d %d %d] "+
		"/ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>",
		name, f.scaled(i16(head, 36)), f.scaled(i16(head, 38)), f.scaled(i16(head, 40)), f.scaled(i16(head, 42)),
		ascent, descent, capH, ids.file))

	sub := f.subset()
	p.stream(ids.file, fmt.Sprintf("/Length1 %d", len(sub)), sub)
	p.stream(ids.toUnicode, "", f.toUnicode(used))
}

// toUnicode is the CMap from glyph numbers to the characters drawn.
func (f *ttFont) toUnicode(used []int) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(used); i += 100 {
		chunk := used[i:min(i+100, len(used))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&b, "<%04X> <", g)
			r := f.uni[g]
			if r > 0xFFFF {
				r -= 0x10000
				fmt.Fprintf(&b, "%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			} else {
				fmt.Fprintf(&b, "%04X", r)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
