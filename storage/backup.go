package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// BackupDir is where a project's backups live: a folder next to it, so the
// project's own folder is not cluttered with copies.
func BackupDir(path string) string { return path + "-backups" }

const backupStamp = "20060102T150405.000Z"

// partialMark is in the name of a backup being written; such a file is never
// listed as a backup and is removed when it was left by a killed run.
const partialMark = ".partial-"

// BackupInfo describes one backup, as `gloss backup --list` and the
// window's restore dialog show it.
type BackupInfo struct {
	Path        string    `json:"path"`
	Time        time.Time `json:"time"`
	Size        int64     `json:"size"`
	Sources     int       `json:"sources"`
	Annotations int       `json:"annotations"`
	// OK: the copy opens and its structure is sound, so it can be restored.
	OK bool `json:"ok"`
	// Problem says why it is not OK, or (with OK) what it carries over,
	// such as records that were already unreadable.
	Problem string `json:"problem,omitempty"`
}

// Backup writes a verified hot copy of the project (from one read
// transaction, so it runs while the project is in use) and prunes old
// copies. The copy is written under a temporary name, synced, reopened and
// checked (structure, and the same numbers of sources and annotations),
// and only then renamed into place: a backup that is listed is a good one.
// A project whose structure is damaged is not backed up, so damage never
// pushes good backups out.
func (s *Store) Backup() (string, error) {
	s.backing.Lock()
	defer s.backing.Unlock()
	dir := BackupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup of %s: %v", s.path, err)
	}
	removePartials(dir, time.Hour)
	name := strings.TrimSuffix(filepath.Base(s.path), Extension) + "." + time.Now().UTC().Format(backupStamp) + Extension
	dst := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, "."+name+partialMark+"*")
	if err != nil {
		return "", fmt.Errorf("backup of %s: %v", s.path, err)
	}
	fail := func(err error) (string, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("backup of %s: %v (earlier backups are kept)", s.path, err)
	}
	var want counts
	if err := s.view(func(tx *bolt.Tx) error {
		// The page walk, counting and the copy read every page through
		// the file mapping; they need not stay in the window's resident
		// set, during the backup or after it.
		base, size := s.db.Info().Data, uintptr(tx.Size())
		stop := keepMapSmall(base, size)
		defer stop()
		// The quick check, inside the transaction that is copied, through
		// its mapping: a copy of the whole file was that much more heap
		// (97 MB at 10,000 sources, in the window just after it opened).
		hard, soft, err := inspectMapped(s.path, tx, base)
		if err != nil {
			return err
		}
		if problems := append(hard, soft...); len(problems) > 0 {
			return fmt.Errorf("the project is damaged (%s), so it is not backed up", strings.Join(problems, "; "))
		}
		want = countTx(tx)
		_, err = tx.WriteTo(tmp)
		return err
	}); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	got := inspectBackup(tmp.Name())
	switch {
	case !got.OK:
		return fail(fmt.Errorf("the copy does not verify: %s", got.Problem))
	case got.Sources != want.sources || got.Annotations != want.annotations:
		return fail(fmt.Errorf("the copy holds %d sources and %d annotations, the project %d and %d", got.Sources, got.Annotations, want.sources, want.annotations))
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fail(err)
	}
	syncDir(dir)
	keep := []string{dst}
	if got.Problem != "" {
		// This copy carries unreadable records: the newest one that
		// does not must survive the pruning.
		if b, err := newestGood(s.path); err == nil && b.Problem == "" {
			keep = append(keep, b.Path)
		}
	}
	return dst, s.prune(keep...)
}

// Backups lists the project's backups, newest first.
func (s *Store) Backups() ([]string, error) { return backupFiles(s.path) }

func backupFiles(project string) ([]string, error) {
	dir := BackupDir(project)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("backups of %s: %v", project, err)
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, Extension) && !strings.HasPrefix(n, ".") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	// Names embed a sortable UTC stamp.
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out, nil
}

// ListBackups lists and verifies every backup of the project at
// projectPath, newest first. It works when the project itself is missing
// or damaged; it never writes.
func ListBackups(projectPath string) ([]BackupInfo, error) {
	files, err := backupFiles(projectPath)
	if err != nil {
		return nil, err
	}
	out := make([]BackupInfo, 0, len(files))
	for _, f := range files {
		out = append(out, inspectBackup(f))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// newestGood returns the newest backup that verifies, preferring one that
// carries no unreadable records over a newer one that does.
func newestGood(projectPath string) (BackupInfo, error) {
	list, err := ListBackups(projectPath)
	if err != nil {
		return BackupInfo{}, err
	}
	for _, b := range list {
		if b.OK && b.Problem == "" {
			return b, nil
		}
	}
	for _, b := range list {
		if b.OK {
			return b, nil
		}
	}
	if len(list) == 0 {
		return BackupInfo{}, fmt.Errorf("%s has no backups (they would be in %s)", projectPath, BackupDir(projectPath))
	}
	return BackupInfo{}, fmt.Errorf("none of the %d backups of %s can be read (newest: %s)", len(list), projectPath, list[0].Problem)
}

// backupTime reads the stamp in a backup's name; a file named otherwise
// (copied in by hand) is dated by its modification time.
func backupTime(path string, info os.FileInfo) time.Time {
	base := strings.TrimSuffix(filepath.Base(path), Extension)
	if len(base) >= len(backupStamp) {
		if t, err := time.Parse(backupStamp, base[len(base)-len(backupStamp):]); err == nil {
			return t
		}
	}
	if info != nil {
		return info.ModTime().UTC()
	}
	return time.Time{}
}

type counts struct{ sources, annotations int }

// countTx counts sources and annotations without decoding them, in either
// annotation layout (flat since schema 4, per source before).
func countTx(tx *bolt.Tx) counts {
	var c counts
	if b := tx.Bucket(bSources); b != nil {
		c.sources = countKeys(b)
	}
	if b := tx.Bucket(bAnns); b != nil {
		c.annotations = countKeys(b)
	} else if b := tx.Bucket(bLegacyAnns); b != nil {
		_ = b.ForEachBucket(func(k []byte) error {
			c.annotations += countKeys(b.Bucket(k))
			return nil
		})
	}
	return c
}

func countKeys(b *bolt.Bucket) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}

// inspectBackup opens a backup read-only and verifies it.
func inspectBackup(path string) BackupInfo {
	bi := BackupInfo{Path: path}
	info, err := os.Stat(path)
	if err != nil {
		bi.Problem = err.Error()
		return bi
	}
	bi.Size = info.Size()
	bi.Time = backupTime(path, info)
	db, err := openBolt(path, true, time.Second, true)
	if err != nil {
		bi.Problem = strings.TrimPrefix(err.Error(), path+" ")
		return bi
	}
	defer db.Close()
	var bad int
	err = viewDB(db, path, func(tx *bolt.Tx) error {
		if err := isGloss(tx, path, false); err != nil {
			return err
		}
		// Safe now: openBolt found every page well formed.
		// bbolt's check and the counts read every page of the copy; it
		// need not stay resident (in the window that made the backup).
		defer keepMapSmall(db.Info().Data, uintptr(tx.Size()))()
		var first error
		for err := range tx.Check() { // drained: the checker blocks on each send
			if first == nil {
				first = fmt.Errorf("bbolt check: %v", err)
			}
		}
		if first != nil {
			return first
		}
		c := countTx(tx)
		bi.Sources, bi.Annotations = c.sources, c.annotations
		bad = countUndecodable(tx)
		return nil
	})
	if err != nil {
		bi.Problem = strings.TrimPrefix(err.Error(), path+" ")
		return bi
	}
	bi.OK = true
	if bad > 0 {
		bi.Problem = fmt.Sprintf("%d records could not be read already when it was made", bad)
	}
	return bi
}

// countUndecodable counts values of the record buckets that are not JSON.
func countUndecodable(tx *bolt.Tx) int {
	n := 0
	var scratch annotate.Annotation // one for all: each on the heap was 28 MB at 200,000
	for _, name := range jsonBuckets {
		b := tx.Bucket(name)
		if b == nil {
			continue
		}
		_ = b.ForEach(func(k, v []byte) error {
			if v != nil && !recordValidInto(v, &scratch) {
				n++
			}
			return nil
		})
	}
	return n
}

// jsonBuckets hold one JSON record per key.
var jsonBuckets = [][]byte{bSources, bAnns, bCodes, bTargets, bLinks, bClaims, bVersions}

// prune keeps the newest KeepBackups backups plus the newest of each of
// the last seven days, and always those in keep (the backup just written).
func (s *Store) prune(keep ...string) error {
	list, err := s.Backups()
	if err != nil {
		return err
	}
	kept := map[string]bool{}
	for _, k := range keep {
		kept[k] = true
	}
	days := map[string]bool{}
	now := time.Now()
	for i, p := range list {
		if i < s.opt.KeepBackups {
			kept[p] = true
		}
		t := backupTime(p, nil)
		if t.IsZero() || now.Sub(t) > 7*24*time.Hour {
			continue
		}
		if d := t.Local().Format("2006-01-02"); !days[d] {
			days[d] = true
			kept[p] = true
		}
	}
	var errs []error
	for _, p := range list {
		if !kept[p] {
			if err := os.Remove(p); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// removePartials deletes temporaries of backups and restores that were
// interrupted (killed, full disk) at least age ago.
func removePartials(dir string, age time.Duration) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") || !strings.Contains(e.Name(), partialMark) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) >= age {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// syncDir makes a rename durable; where a folder cannot be synced (Windows)
// the rename is already durable enough.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// backupIfStale backs up unless the newest backup is younger than age, so
// reopening a project many times in a row (scripts, quick restarts) does not
// rotate the useful backups away.
func (s *Store) backupIfStale(age time.Duration) (string, error) {
	list, _ := s.Backups()
	if len(list) > 0 {
		if info, err := os.Stat(list[0]); err == nil && time.Since(info.ModTime()) < age {
			return "", nil
		}
	}
	return s.Backup()
}
