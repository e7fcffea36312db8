package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketCounts counts the keys of every top-level bucket.
func bucketCounts(tx *bolt.Tx) map[string]int {
	out := map[string]int{}
	_ = tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		out[string(name)] = countKeys(b)
		return nil
	})
	return out
}

// trimFile cuts a closed bbolt file that no other process can have open
// (compact's copy) down to the pages its meta pages use: bbolt grows a
// file up to 16 MiB ahead of them.
func trimFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	head := make([]byte, pageHeaderSize+64)
	if _, err := f.ReadAt(head, 0); err != nil {
		return err
	}
	m0, _, err := parseMeta(head)
	if err != nil {
		return fmt.Errorf("%s: first meta page: %v", path, err)
	}
	end := m0.hwm * uint64(m0.pageSize)
	if _, err := f.ReadAt(head, int64(m0.pageSize)); err == nil {
		if m1, _, err := parseMeta(head); err == nil {
			end = max(end, m1.hwm*uint64(m1.pageSize))
		}
	}
	if end == 0 || end >= uint64(info.Size()) {
		return nil
	}
	if err := f.Truncate(int64(end)); err != nil {
		return err
	}
	return f.Sync()
}

// CompactReport says what Compact did.
type CompactReport struct {
	Before int64  `json:"before"` // bytes
	After  int64  `json:"after"`
	Kept   string `json:"kept"` // where the original now is
}

// Compact rewrites the project into a fresh file with full pages (bbolt's
// compaction), checks the copy, and swaps it in; the original is kept in
// the backups folder, under a backup's name, so it is listed and can be
// restored. A project whose structure is damaged is refused: salvage it.
func Compact(path string) (CompactReport, error) {
	var r CompactReport
	s, err := Open(path, Options{})
	if err != nil {
		return r, err
	}
	opened := true
	defer func() {
		if opened {
			s.Close()
		}
	}()
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		if err == nil {
			err = problems[0]
		}
		return r, fmt.Errorf("%s: not compacted, the project has problems (%v); run gloss check, or gloss salvage", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return r, err
	}
	r.Before = info.Size()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".compact-"+fmt.Sprint(time.Now().UnixNano()))
	defer os.Remove(tmp) // a no-op once renamed into place
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second, PageSize: newPageSize})
	if err != nil {
		return r, fmt.Errorf("%s: compacting: %v", path, err)
	}
	// Committed every 8 MB: bbolt keeps a transaction's pages and nodes in
	// the heap until it commits (at 64 MB, 400 MB of heap at 10,000
	// sources; at 8 MB, 5.7-6.1 s against 7.3-7.9 s too).
	if err := bolt.Compact(dst, s.db, 8<<20); err != nil {
		dst.Close()
		return r, fmt.Errorf("%s: compacting: %v", path, err)
	}
	if err := dst.Close(); err != nil {
		return r, fmt.Errorf("%s: compacting: %v", path, err)
	}
	if err := trimFile(tmp); err != nil {
		return r, fmt.Errorf("%s: compacting: %v", path, err)
	}
	// The copy must hold the same project before it replaces the original:
	// it passes Check, and every bucket holds as many records. (Counted,
	// not read whole: a large project's snapshot took a gigabyte.)
	var want map[string]int
	if err := s.view(func(tx *bolt.Tx) error { want = bucketCounts(tx); return nil }); err != nil {
		return r, err
	}
	c, err := Open(tmp, Options{ReadOnly: true})
	if err != nil {
		return r, fmt.Errorf("%s: the compacted copy does not open (%v); the project is unchanged", path, err)
	}
	var got map[string]int
	err = c.view(func(tx *bolt.Tx) error { got = bucketCounts(tx); return nil })
	problems, cerr := c.Check()
	c.Close()
	if err != nil || cerr != nil || len(problems) > 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		return r, fmt.Errorf("%s: the compacted copy differs from the project (%v %v %v; records %v, the project %v); the project is unchanged", path, err, cerr, problems, got, want)
	}
	if ci, err := os.Stat(tmp); err == nil {
		r.After = ci.Size()
	}
	dir := BackupDir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return r, err
	}
	r.Kept = filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), Extension)+"."+time.Now().UTC().Format(backupStamp)+Extension)
	// Windows cannot rename an open file: close first.
	s.Close()
	opened = false
	if err := os.Rename(path, r.Kept); err != nil {
		return r, fmt.Errorf("%s: keeping the original: %v; the project is unchanged", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		// Put the original back rather than leave no project.
		if back := os.Rename(r.Kept, path); back != nil {
			return r, fmt.Errorf("%s: swapping in the compacted copy failed (%v) and the original is at %s", path, err, r.Kept)
		}
		return r, fmt.Errorf("%s: swapping in the compacted copy: %v; the project is unchanged", path, err)
	}
	return r, nil
}
