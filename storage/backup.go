package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BackupDir is where a project's backups live: a folder next to it, so the
// project's own folder is not cluttered with copies.
func BackupDir(path string) string { return path + "-backups" }

const backupStamp = "20060102T150405.000Z"

// Backup writes a hot copy of the project (a consistent read transaction,
// so it runs while the project is in use) and prunes old copies.
func (s *Store) Backup() (string, error) {
	dir := BackupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup of %s: %v", s.path, err)
	}
	name := strings.TrimSuffix(filepath.Base(s.path), Extension) + "." + time.Now().UTC().Format(backupStamp) + Extension
	dst := filepath.Join(dir, name)
	if err := s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(dst, 0o600) }); err != nil {
		return "", fmt.Errorf("backup of %s to %s: %v", s.path, dst, err)
	}
	return dst, s.prune()
}

// Backups lists the project's backups, newest first.
func (s *Store) Backups() ([]string, error) {
	entries, err := os.ReadDir(BackupDir(s.path))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), Extension) {
			out = append(out, filepath.Join(BackupDir(s.path), e.Name()))
		}
	}
	// Names embed a sortable UTC stamp.
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out, nil
}

func (s *Store) prune() error {
	list, err := s.Backups()
	if err != nil {
		return err
	}
	for _, old := range list[min(len(list), s.opt.KeepBackups):] {
		if err := os.Remove(old); err != nil {
			return err
		}
	}
	return nil
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
