package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
)

// This file reads a bbolt file's pages with plain, bounds-checked reads
// (no mmap), so no damage can fault, panic or hang it. Open walks the tree
// with it before bbolt touches the file (bbolt trusts every page it is given:
// a bad page id faults in the mmap, a cycle recurses forever); Check reports
// what it finds; Salvage collects the records of pages whose tree is broken.
// The layout is bbolt's on-disk format (internal/common in bbolt v1.5).

const (
	pageHeaderSize = 16
	pageElemSize   = 16 // branch and leaf elements are both 16 bytes
	branchFlag     = 0x01
	leafFlag       = 0x02
	metaFlag       = 0x04
	freelistFlag   = 0x10
	bucketLeafFlag = 0x01
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	noFreelist     = ^uint64(0)
	maxTreeDepth   = 64
	// minBoltFile: two meta pages of the smallest page size bbolt reads.
	minBoltFile = 2 * 1024
)

var le = binary.LittleEndian

// ErrDamaged marks a project file whose structure is broken; the message
// says what is wrong. errors.Is(err, ErrDamaged) lets the GUI offer restore
// and salvage.
var ErrDamaged = errors.New("is damaged")

// ErrNotProject marks a file that is not a Gloss project at all.
var ErrNotProject = errors.New("is not a Gloss project")

type boltMeta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	hwm      uint64 // pages in use: every page id is below it
	txid     uint64
}

// parseMeta reads a meta page (buf starts at the page header).
func parseMeta(buf []byte) (m boltMeta, magic bool, err error) {
	if len(buf) < pageHeaderSize+64 {
		return m, false, errors.New("too short")
	}
	b := buf[pageHeaderSize:]
	if le.Uint32(b[0:]) != boltMagic {
		return m, false, errors.New("no bbolt magic number")
	}
	if v := le.Uint32(b[4:]); v != boltVersion {
		return m, true, fmt.Errorf("bbolt format version %d", v)
	}
	h := fnv.New64a()
	h.Write(b[:56])
	if h.Sum64() != le.Uint64(b[56:]) {
		return m, true, errors.New("checksum mismatch")
	}
	m = boltMeta{pageSize: le.Uint32(b[8:]), root: le.Uint64(b[16:]), freelist: le.Uint64(b[32:]), hwm: le.Uint64(b[40:]), txid: le.Uint64(b[48:])}
	return m, true, nil
}

// pageFile is a bbolt file read page by page.
type pageFile struct {
	path     string
	r        io.ReaderAt
	size     int64
	ps       uint64
	meta     boltMeta
	metaBad  []string // a damaged meta page bbolt can live without
	metaSeen bool     // some page carried the bbolt magic number
	// data is the whole file when it was read at once (see readAll):
	// pages are then slices of it, not one read and copy each.
	data []byte
}

// wholeFileLimit: files up to this size are read in one go for a walk,
// which measured several times faster than a read per page.
const wholeFileLimit = 256 << 20

// readAll loads the file into memory when it is small enough.
func (pf *pageFile) readAll() {
	if pf.size > wholeFileLimit {
		return
	}
	buf := make([]byte, pf.size)
	if n, err := pf.r.ReadAt(buf, 0); err == nil || (err == io.EOF && int64(n) == pf.size) {
		pf.data = buf
	}
}

func damaged(path, format string, args ...any) error {
	return fmt.Errorf("%s %w (%s)", path, ErrDamaged, fmt.Sprintf(format, args...))
}

// readPageFile validates the meta pages and the file length. A file too short
// to hold the two meta pages is "empty or truncated", one without bbolt's
// magic number is not a project, and anything else wrong is ErrDamaged.
func readPageFile(path string, r io.ReaderAt, size int64) (*pageFile, error) {
	pf := &pageFile{path: path, r: r, size: size}
	if size < minBoltFile {
		return nil, fmt.Errorf("%s %w (empty or truncated: %d bytes)", path, ErrNotProject, size)
	}
	read := func(off int64) []byte {
		buf := make([]byte, 4096)
		n, _ := r.ReadAt(buf, off)
		return buf[:n]
	}
	var metas []boltMeta
	var bad []string
	m0, magic0, err0 := parseMeta(read(0))
	pf.metaSeen = magic0
	if err0 == nil {
		metas = append(metas, m0)
	} else {
		bad = append(bad, "header page 0: "+err0.Error())
	}
	// Page 1 sits one page in; without a good page 0 the page size is
	// unknown, so try every size bbolt can write, as bbolt does.
	var err1 error = errors.New("no bbolt header at any page size")
	for i := 0; i <= 14; i++ {
		off := int64(1024) << i
		if err0 == nil && off != int64(m0.pageSize) {
			continue
		}
		if off >= size-pageHeaderSize-64 {
			break
		}
		m1, magic1, err := parseMeta(read(off))
		pf.metaSeen = pf.metaSeen || magic1
		if err == nil && int64(m1.pageSize) == off {
			metas = append(metas, m1)
			err1 = nil
			break
		}
		if magic1 {
			err1 = err
		}
	}
	if err1 != nil {
		bad = append(bad, "header page 1: "+err1.Error())
	}
	if len(metas) == 0 {
		if pf.metaSeen {
			return nil, damaged(path, "both header pages are corrupt")
		}
		// No header at all: another kind of file, or a project whose
		// headers were overwritten. Its backups tell which.
		if _, err := os.Stat(BackupDir(path)); err == nil {
			return nil, damaged(path, "no readable header page; its backups are in %s", BackupDir(path))
		}
		return nil, fmt.Errorf("%s %w (not a bbolt database)", path, ErrNotProject)
	}
	pf.meta = metas[0]
	if len(metas) == 2 && metas[1].txid > metas[0].txid {
		pf.meta = metas[1]
	}
	pf.metaBad = bad
	m := pf.meta
	ps := uint64(m.pageSize)
	pf.ps = ps
	switch {
	case ps < 512 || ps > 1<<24 || ps&(ps-1) != 0:
		return nil, damaged(path, "page size %d", ps)
	case m.hwm < 3:
		return nil, damaged(path, "%d pages recorded, at least 3 needed", m.hwm)
	case m.hwm > uint64(size)/ps:
		// bbolt grows the file before writing pages into it, so a file
		// shorter than its pages has lost some.
		return nil, damaged(path, "truncated: %d bytes, but its pages reach %d bytes", size, m.hwm*ps)
	case m.root < 2 || m.root >= m.hwm:
		return nil, damaged(path, "root page %d is outside the file", m.root)
	case m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.hwm):
		return nil, damaged(path, "free-page list %d is outside the file", m.freelist)
	}
	return pf, nil
}

// page reads page id with its overflow pages.
func (pf *pageFile) page(id uint64) ([]byte, error) {
	if id < 2 || id >= pf.meta.hwm {
		return nil, fmt.Errorf("page %d is outside the file (%d pages)", id, pf.meta.hwm)
	}
	var hdr [pageHeaderSize]byte
	if pf.data != nil {
		copy(hdr[:], pf.data[id*pf.ps:])
	} else if _, err := pf.r.ReadAt(hdr[:], int64(id*pf.ps)); err != nil {
		return nil, fmt.Errorf("page %d: %v", id, err)
	}
	if got := le.Uint64(hdr[0:]); got != id {
		return nil, fmt.Errorf("page %d: header says it is page %d", id, got)
	}
	n := uint64(le.Uint32(hdr[12:])) + 1
	if n > pf.meta.hwm-id {
		return nil, fmt.Errorf("page %d: %d overflow pages run past the end of the file", id, n-1)
	}
	if pf.data != nil {
		return pf.data[id*pf.ps : (id+n)*pf.ps : (id+n)*pf.ps], nil
	}
	buf := make([]byte, n*pf.ps)
	if _, err := pf.r.ReadAt(buf, int64(id*pf.ps)); err != nil {
		return nil, fmt.Errorf("page %d: %v", id, err)
	}
	return buf, nil
}

// header reads a page's header: its type and how many pages it spans.
func (pf *pageFile) header(id uint64) (flags uint16, span uint64, err error) {
	if id < 2 || id >= pf.meta.hwm {
		return 0, 0, fmt.Errorf("page %d is outside the file (%d pages)", id, pf.meta.hwm)
	}
	var hdr [pageHeaderSize]byte
	if pf.data != nil {
		copy(hdr[:], pf.data[id*pf.ps:])
	} else if _, err := pf.r.ReadAt(hdr[:], int64(id*pf.ps)); err != nil {
		return 0, 0, fmt.Errorf("page %d: %v", id, err)
	}
	if got := le.Uint64(hdr[0:]); got != id {
		return 0, 0, fmt.Errorf("page %d: header says it is page %d", id, got)
	}
	n := uint64(le.Uint32(hdr[12:])) + 1
	if n > pf.meta.hwm-id {
		return 0, 0, fmt.Errorf("page %d: %d overflow pages run past the end of the file", id, n-1)
	}
	return le.Uint16(hdr[8:]), n, nil
}

// freelist returns the free page ids recorded in the file.
func (pf *pageFile) freelist() ([]uint64, error) {
	if pf.meta.freelist == noFreelist {
		return nil, nil
	}
	buf, err := pf.page(pf.meta.freelist)
	if err != nil {
		return nil, fmt.Errorf("free-page list: %v", err)
	}
	if le.Uint16(buf[8:])&freelistFlag == 0 {
		return nil, fmt.Errorf("free-page list: page %d has type %#x", pf.meta.freelist, le.Uint16(buf[8:]))
	}
	count, off := uint64(le.Uint16(buf[10:])), uint64(pageHeaderSize)
	if count == 0xFFFF {
		count, off = le.Uint64(buf[pageHeaderSize:]), pageHeaderSize+8
	}
	if count > (uint64(len(buf))-off)/8 {
		return nil, fmt.Errorf("free-page list: %d entries do not fit in its pages", count)
	}
	ids := make([]uint64, count)
	for i := range ids {
		ids[i] = le.Uint64(buf[off+uint64(i)*8:])
		if ids[i] < 2 || ids[i] >= pf.meta.hwm {
			return nil, fmt.Errorf("free-page list: page %d is outside the file", ids[i])
		}
	}
	return ids, nil
}

// leafElem is one key/value of a leaf page.
type leafElem struct {
	flags uint32
	key   []byte
	value []byte
}

// leafElems parses a leaf page (or an inline bucket's page).
func leafElems(buf []byte) ([]leafElem, error) { return leafElemsInto(nil, buf) }

// leafElemsInto is leafElems appending to out[:0]: a walk reuses one slice
// per tree depth (a slice per page was most of a backup's garbage, 130 MB
// at 10,000 sources).
func leafElemsInto(out []leafElem, buf []byte) ([]leafElem, error) {
	out = out[:0]
	if len(buf) < pageHeaderSize {
		return nil, errors.New("page shorter than its header")
	}
	count := uint64(le.Uint16(buf[10:]))
	if pageHeaderSize+count*pageElemSize > uint64(len(buf)) {
		return nil, fmt.Errorf("%d elements do not fit in the page", count)
	}
	out = slices.Grow(out, int(count))
	for i := uint64(0); i < count; i++ {
		off := pageHeaderSize + i*pageElemSize
		e := buf[off:]
		pos, ks, vs := uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		start := off + pos
		if start+ks+vs > uint64(len(buf)) {
			return out, fmt.Errorf("element %d runs past the page", i)
		}
		k := buf[start : start+ks]
		if len(out) > 0 && bytes.Compare(out[len(out)-1].key, k) >= 0 {
			return out, fmt.Errorf("element %d: keys out of order", i)
		}
		out = append(out, leafElem{flags: le.Uint32(e[0:]), key: k, value: buf[start+ks : start+ks+vs]})
	}
	return out, nil
}

type branchElem struct {
	key   []byte
	child uint64
}

func branchElems(buf []byte) ([]branchElem, error) {
	count := uint64(le.Uint16(buf[10:]))
	if count == 0 {
		return nil, errors.New("branch page without children")
	}
	if pageHeaderSize+count*pageElemSize > uint64(len(buf)) {
		return nil, fmt.Errorf("%d elements do not fit in the page", count)
	}
	out := make([]branchElem, 0, count)
	for i := uint64(0); i < count; i++ {
		off := pageHeaderSize + i*pageElemSize
		e := buf[off:]
		pos, ks := uint64(le.Uint32(e[0:])), uint64(le.Uint32(e[4:]))
		if off+pos+ks > uint64(len(buf)) {
			return out, fmt.Errorf("element %d runs past the page", i)
		}
		k := buf[off+pos : off+pos+ks]
		if len(out) > 0 && bytes.Compare(out[len(out)-1].key, k) >= 0 {
			return out, fmt.Errorf("element %d: keys out of order", i)
		}
		out = append(out, branchElem{key: k, child: le.Uint64(e[8:])})
	}
	return out, nil
}

// walker visits every page reachable from the root, once, noting problems
// and handing each record (a leaf element that is not a bucket) to onRecord
// with the names of the buckets it sits in.
type walker struct {
	pf       *pageFile
	seen     []bool // by page id, overflow pages included
	problems []string
	// soft are problems bbolt itself lives with: one torn header page
	// (it falls back to the other) and pages lost by an interrupted write.
	soft     []string
	onRecord func(path []string, key, value []byte)
	pages    int
	// page is the page (with its overflow, span pages) holding the record
	// onRecord is given; an inline bucket's records are in their parent's.
	page, span uint64
	// quick checks only the header of a leaf page of records (see
	// inspectQuick); branch pages and leaves holding buckets are read whole.
	quick bool
	// elems are the parsed elements of the leaf being walked at each
	// depth, reused from page to page.
	elems [][]leafElem
}

const maxProblems = 50

func (w *walker) problem(format string, args ...any) {
	if len(w.problems) < maxProblems {
		w.problems = append(w.problems, fmt.Sprintf(format, args...))
	}
}

func (w *walker) node(path []string, id uint64, depth int) {
	if depth > maxTreeDepth {
		w.problem("page %d: tree deeper than %d levels", id, maxTreeDepth)
		return
	}
	if id < uint64(len(w.seen)) && w.seen[id] {
		w.problem("page %d is used twice", id)
		return
	}
	if w.quick && w.onRecord == nil && len(path) == 1 && path[0] != string(bLegacyAnns) {
		// A leaf of a record bucket holds no bucket and no page id: bbolt
		// cannot be led astray by it, only read garbage from it (which a
		// decode refuses), or fault (which a read recovers from).
		flags, span, err := w.pf.header(id)
		if err != nil {
			w.problem("%s: %v", bucketName(path), err)
			return
		}
		if flags == leafFlag {
			w.pages++
			for i := id; i < id+span; i++ {
				w.seen[i] = true
			}
			return
		}
	}
	buf, err := w.pf.page(id)
	if err != nil {
		w.problem("%s: %v", bucketName(path), err)
		return
	}
	w.pages++
	for i := id; i < id+uint64(len(buf))/w.pf.ps; i++ {
		w.seen[i] = true
	}
	// Exact flags, as bbolt tests them: it takes any page that is not
	// exactly a leaf for a branch.
	switch flags := le.Uint16(buf[8:]); flags {
	case branchFlag:
		elems, err := branchElems(buf)
		if err != nil {
			w.problem("%s: page %d: %v", bucketName(path), id, err)
		}
		for _, e := range elems {
			w.node(path, e.child, depth+1)
		}
	case leafFlag:
		w.leaf(path, buf, id, fmt.Sprintf("page %d", id), depth)
	default:
		w.problem("%s: page %d has type %#x where a branch or leaf was expected", bucketName(path), id, flags)
	}
}

func (w *walker) leaf(path []string, buf []byte, page uint64, where string, depth int) {
	for len(w.elems) <= depth {
		w.elems = append(w.elems, nil)
	}
	elems, err := leafElemsInto(w.elems[depth], buf)
	w.elems[depth] = elems
	if err != nil {
		w.problem("%s: %s: %v", bucketName(path), where, err)
	}
	for _, e := range elems {
		if e.flags&bucketLeafFlag == 0 {
			if w.onRecord != nil {
				w.page, w.span = page, max(1, uint64(len(buf))/w.pf.ps)
				w.onRecord(path, e.key, e.value)
			}
			continue
		}
		sub := append(append([]string(nil), path...), string(e.key))
		if len(e.value) < 16 {
			w.problem("%s: bucket header is %d bytes", bucketName(sub), len(e.value))
			continue
		}
		if root := le.Uint64(e.value); root != 0 {
			w.node(sub, root, depth+1)
		} else if depth > maxTreeDepth {
			w.problem("%s: buckets nested deeper than %d levels", bucketName(sub), maxTreeDepth)
		} else if len(e.value) < 16+pageHeaderSize || le.Uint16(e.value[16+8:]) != leafFlag {
			// bbolt would take it for a branch whose every child is
			// itself, and never stop.
			w.problem("%s: its inline page is not a leaf", bucketName(sub))
		} else {
			w.leaf(sub, e.value[16:], page, "inline page", depth+1)
		}
	}
}

func bucketName(path []string) string {
	if len(path) == 0 {
		return "bucket list"
	}
	s := "bucket " + path[0]
	for _, p := range path[1:] {
		s += "/" + p
	}
	return s
}

// walk visits the whole tree and checks the free-page list against it.
// It returns every structural problem found (none for a healthy file).
func (pf *pageFile) walk(onRecord func(path []string, key, value []byte)) (w *walker, free []uint64) {
	w = &walker{pf: pf, onRecord: onRecord}
	return w, pf.walkWith(w)
}

// walkWith is walk with a walker the caller made (to read w.page in
// onRecord).
func (pf *pageFile) walkWith(w *walker) (free []uint64) {
	w.pf, w.seen = pf, make([]bool, pf.meta.hwm)
	w.soft = append(w.soft, pf.metaBad...)
	w.node(nil, pf.meta.root, 0)
	free, err := pf.freelist()
	if err != nil {
		w.problem("%v", err)
		return nil
	}
	if pf.meta.freelist != noFreelist {
		buf, _ := pf.page(pf.meta.freelist)
		for i := pf.meta.freelist; i < pf.meta.freelist+uint64(len(buf))/pf.ps; i++ {
			if w.seen[i] {
				w.problem("page %d is both in use and the free-page list", i)
			}
			w.seen[i] = true
		}
	}
	isFree := make([]bool, pf.meta.hwm)
	for _, id := range free {
		switch {
		case isFree[id]:
			w.problem("page %d is freed twice", id)
		case w.seen[id]:
			w.problem("page %d is both in use and free", id)
		}
		isFree[id] = true
	}
	lost := 0
	for id := uint64(2); id < pf.meta.hwm; id++ {
		if !w.seen[id] && !isFree[id] {
			lost++
		}
	}
	if lost > 0 {
		w.soft = append(w.soft, fmt.Sprintf("%d pages are neither in use nor free (lost by a damaged or interrupted write)", lost))
	}
	return free
}

// statPages reads only the header pages: cheap, for before the lock.
func statPages(path string) (*pageFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	pf, err := readPageFile(path, f, info.Size())
	if err != nil {
		return nil, err
	}
	// bbolt reads the free-page list when it opens a file for writing,
	// after mapping it: a panic there would leave the lock held until the
	// process ends (the mapping keeps the locked file open).
	if _, err := pf.freelist(); err != nil {
		return nil, damaged(path, "%v", err)
	}
	pf.r = nil // f closes below
	return pf, nil
}

// inspectQuick is the page walk for opening a file: every branch page is read
// and checked (a bad page id, a cycle, a page used twice), the free-page
// list too, but of a leaf page of records only the header. That is what
// keeps bbolt from faulting unrecoverably or recursing without end; what a
// leaf holds is checked by Check. Opening a large project reads a few
// percent of it rather than all of it.
func inspectQuick(path string) (hard, soft []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	pf, err := readPageFile(path, f, info.Size())
	if err != nil {
		return nil, nil, err
	}
	w := &walker{quick: true}
	pf.walkWith(w)
	return w.problems, w.soft, nil
}
