package export

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempMark is in the name of every export being written, so one left by a
// killed run is recognised (and only such files are ever removed).
const tempMark = ".gloss-export-"

// StaleAge is how old a leftover temporary must be before an export removes
// it: far longer than any export runs, so a running one is never touched.
const StaleAge = time.Hour

// WriteFile writes an export to path through a temporary file next to it,
// synced and renamed over path only when complete: a failed or killed
// export never leaves a half-written file where a good one was. It first
// removes temporaries that killed exports left in the same folder.
func WriteFile(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	RemoveStale(dir, StaleAge)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+tempMark+"*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	ok = true
	return nil
}

// RemoveStale removes export temporaries in dir older than age and returns
// their names. Besides ours it recognises those of earlier versions
// (".NAME.<digits>" next to an existing NAME).
func RemoveStale(dir string, age time.Duration) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasPrefix(n, ".") || !(strings.Contains(n, tempMark) || isLegacyTemp(dir, n)) {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < age {
			continue
		}
		if os.Remove(filepath.Join(dir, n)) == nil {
			removed = append(removed, n)
		}
	}
	return removed
}

// isLegacyTemp: ".report.html.123456789", the temporaries of os.CreateTemp
// with the pattern ".NAME.*" that exports used before.
func isLegacyTemp(dir, name string) bool {
	i := strings.LastIndexByte(name, '.')
	if i <= 1 || i == len(name)-1 {
		return false
	}
	for _, r := range name[i+1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	base := name[1:i]
	info, err := os.Stat(filepath.Join(dir, base))
	if err != nil || info.IsDir() {
		return false
	}
	_, err = Lookup(filepath.Ext(base)) // only next to an export of ours
	return err == nil
}
