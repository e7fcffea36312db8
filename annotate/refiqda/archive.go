package refiqda

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// Archive limits. Archives come from other people: sizes in zip headers
// can lie, so bytes are counted as they are inflated.
const (
	DefaultMaxBytes   = 500 << 20 // total inflated bytes read from one archive
	DefaultMaxRatio   = 500       // inflated/compressed, per entry, once past ratioFloor
	DefaultMaxEntries = 100000
	ratioFloor        = 1 << 20 // small entries may compress very well (e.g. blank lines)
)

// archive reads entries of a .qdpx under the limits.
type archive struct {
	files     map[string]*zip.File // by cleaned name
	lower     map[string]string    // lower-case name -> name, for case-insensitive lookup
	remaining int64
	limit     int64
	maxRatio  int64
	inflater  io.ReadCloser // reused by read
}

func openArchive(r io.ReaderAt, size int64, opt ReadOptions) (*archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a REFI-QDA project (.qdpx is a zip archive): %w", err)
	}
	if len(zr.File) > opt.MaxEntries {
		return nil, fmt.Errorf("the archive has %d entries, more than the limit of %d", len(zr.File), opt.MaxEntries)
	}
	a := &archive{files: map[string]*zip.File{}, lower: map[string]string{}, remaining: opt.MaxBytes, limit: opt.MaxBytes, maxRatio: opt.MaxRatio}
	for _, f := range zr.File {
		if err := checkEntryName(f.Name); err != nil {
			return nil, fmt.Errorf("archive entry %q: %w; refusing the whole archive", f.Name, err)
		}
		if strings.HasSuffix(f.Name, "/") {
			continue // directory entry
		}
		if a.files[f.Name] != nil {
			return nil, fmt.Errorf("archive entry %q appears twice; refusing an ambiguous archive", f.Name)
		}
		a.files[f.Name] = f
		a.lower[strings.ToLower(f.Name)] = f.Name
	}
	return a, nil
}

// checkEntryName refuses names that would escape the archive if anyone
// ever extracted it (zip-slip), or that different systems read differently.
func checkEntryName(name string) error {
	switch {
	case name == "":
		return errors.New("the name is empty")
	case !utf8.ValidString(name):
		return errors.New("the name is not valid UTF-8")
	case strings.ContainsRune(name, 0):
		return errors.New("the name contains a NUL byte")
	case strings.Contains(name, `\`):
		return errors.New("the name contains a backslash, which Windows reads as a folder separator")
	case strings.HasPrefix(name, "/"):
		return errors.New("the path is absolute")
	case len(name) >= 2 && name[1] == ':':
		return errors.New("the path starts with a drive letter")
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return errors.New("the path climbs out of the archive with ..")
		}
	}
	if c := path.Clean(name); c != strings.TrimSuffix(name, "/") && c+"/" != name {
		return fmt.Errorf("the path is not in clean form (%q)", c)
	}
	return nil
}

// find looks an entry up by exact name, then case-insensitively (archives
// written on Windows sometimes differ in case).
func (a *archive) find(name string) *zip.File {
	if f := a.files[name]; f != nil {
		return f
	}
	return a.files[a.lower[strings.ToLower(name)]]
}

// read inflates an entry whole (see inflate). It reuses the archive's one
// inflater: a new one is 40 KB of tables and window, and an archive has an
// entry per source.
func (a *archive) read(f *zip.File) ([]byte, error) {
	// The directory's size is a hint only (it can lie): bounded by the
	// budget, it saves growing the buffer by doubling.
	hint := 512
	if n := f.UncompressedSize64; n < uint64(a.remaining) && n < 64<<20 {
		hint = int(n) + 1
	}
	var out []byte
	if err := a.inflate(f, true, func(r io.Reader) error {
		var err error
		out, err = readAll(r, hint)
		return err
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// readAll is io.ReadAll into a buffer of size hint to begin with. Made,
// not grown: growing a byte slice (bytes.Buffer, io.ReadAll) clears the
// new room in one step the scheduler cannot come into, and for tens of MB
// of fresh pages that was 160 ms in which the collector, waiting on this
// goroutine, froze the window; make clears a large array in preemptible
// pieces. An entry larger than its hint grows as append grows it.
func readAll(r io.Reader, hint int) ([]byte, error) {
	b := make([]byte, 0, hint)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// inflate hands fn a reader of an entry's inflated bytes, counting them
// against the archive's budget and the entry's inflation ratio. The ratio
// compares against compressed bytes actually consumed so far (the raw
// stream is read through a counter), so a bomb is stopped after about
// ratioFloor bytes, not after the budget. The size and checksum are
// checked once fn has read it all, and a damaged entry is an error even
// when fn succeeded. shared uses the archive's one inflater, for an entry
// read whole; an entry streamed while others are read needs its own.
func (a *archive) inflate(f *zip.File, shared bool, fn func(io.Reader) error) error {
	raw, err := f.OpenRaw()
	if err != nil {
		return fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	packed := &countingReader{r: raw}
	var rd io.Reader
	switch f.Method {
	case zip.Store:
		rd = packed
	case zip.Deflate:
		switch {
		case !shared:
			fr := flate.NewReader(packed)
			defer fr.Close()
			rd = fr
		case a.inflater == nil:
			a.inflater = flate.NewReader(packed)
			rd = a.inflater
		default:
			if err := a.inflater.(flate.Resetter).Reset(packed, nil); err != nil {
				return fmt.Errorf("archive entry %q: %w", f.Name, err)
			}
			rd = a.inflater
		}
	default:
		return fmt.Errorf("archive entry %q: compression method %d is not supported (only stored and deflated)", f.Name, f.Method)
	}
	lr := &limitedEntry{a: a, f: f, rd: rd, packed: packed, crc: crc32.NewIEEE()}
	ferr := fn(lr)
	if lr.err != nil { // a limit, not the XML it cut short
		return lr.err
	}
	if ferr != nil {
		return ferr
	}
	// Whatever fn left unread (after the root element) still counts.
	if _, err := io.Copy(io.Discard, lr); err != nil {
		return err
	}
	if uint64(lr.n) != f.UncompressedSize64 || lr.crc.Sum32() != f.CRC32 {
		return fmt.Errorf("archive entry %q is damaged: its size or checksum does not match the archive's directory", f.Name)
	}
	a.remaining -= lr.n
	return nil
}

// limitedEntry counts inflated bytes against the archive's limits.
type limitedEntry struct {
	a      *archive
	f      *zip.File
	rd     io.Reader
	packed *countingReader
	crc    hash.Hash32
	n      int64
	err    error
}

func (l *limitedEntry) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	k, err := l.rd.Read(p)
	l.n += int64(k)
	l.crc.Write(p[:k])
	switch {
	case l.n > l.a.remaining:
		l.err = fmt.Errorf("archive entry %q: the archive inflates to more than the limit of %s; refusing it (a zip bomb?)", l.f.Name, human(l.a.limit))
	case l.n > ratioFloor && l.a.maxRatio > 0 && l.n > l.a.maxRatio*max(l.packed.n, 1):
		l.err = fmt.Errorf("archive entry %q: inflates more than %d times its compressed size; refusing it (a zip bomb?)", l.f.Name, l.a.maxRatio)
	}
	if l.err != nil {
		return 0, l.err
	}
	if err != nil && err != io.EOF {
		l.err = fmt.Errorf("archive entry %q: %w", l.f.Name, err)
		return k, l.err
	}
	return k, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

func human(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
