package storage

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Restore puts a backup in the place of a (damaged) project in one step.
// backupPath "" takes the newest backup that verifies. The project file, if
// there is one, is moved aside as FILE.damaged-<time> and never deleted; the
// backup is copied (it stays a backup) under a temporary name, synced,
// verified and renamed into place. A project open in another Gloss process
// is refused.
func Restore(projectPath, backupPath string) (movedAside string, err error) {
	var b BackupInfo
	if backupPath == "" {
		if b, err = newestGood(projectPath); err != nil {
			return "", err
		}
	} else if b = inspectBackup(backupPath); !b.OK {
		return "", fmt.Errorf("%s cannot be restored: %s", backupPath, b.Problem)
	}
	if info, err := os.Stat(projectPath); err == nil && info.IsDir() {
		return "", fmt.Errorf("%s is a folder, not a Gloss project", projectPath)
	}
	if err := notOpenElsewhere(projectPath); err != nil {
		return "", err
	}
	dir := filepath.Dir(projectPath)
	removePartials(dir, time.Hour)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(projectPath)+partialMark+"*")
	if err != nil {
		return "", fmt.Errorf("restoring %s: %v", projectPath, err)
	}
	fail := func(err error) (string, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("restoring %s from %s: %v (nothing was changed)", projectPath, b.Path, err)
	}
	src, err := os.Open(b.Path)
	if err != nil {
		return fail(err)
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if got := inspectBackup(tmp.Name()); !got.OK || got.Sources != b.Sources || got.Annotations != b.Annotations {
		return fail(fmt.Errorf("the copy does not verify (%s)", got.Problem))
	}
	if _, err := os.Stat(projectPath); err == nil {
		movedAside = asideName(projectPath)
		if err := os.Rename(projectPath, movedAside); err != nil {
			return fail(fmt.Errorf("moving the damaged file aside: %v", err))
		}
	}
	if err := os.Rename(tmp.Name(), projectPath); err != nil {
		os.Remove(tmp.Name())
		return movedAside, fmt.Errorf("restoring %s: %v (the damaged file is kept as %s)", projectPath, err, movedAside)
	}
	syncDir(dir)
	return movedAside, nil
}

// asideName is FILE.damaged-<UTC time>, made unique.
func asideName(path string) string {
	base := path + ".damaged-" + time.Now().UTC().Format("20060102T150405Z")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); os.IsNotExist(err) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// notOpenElsewhere fails when another process holds the project's lock.
func notOpenElsewhere(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		// Unreadable or read-only: moving it aside still works.
		if strings.Contains(err.Error(), "permission") {
			return nil
		}
		return fmt.Errorf("%s: %v", path, err)
	}
	defer f.Close() // closing releases the lock
	held, err := tryLock(f)
	if held {
		return fmt.Errorf("%s %w; close it there first", path, ErrLocked)
	}
	return nil
}
