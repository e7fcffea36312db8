//go:build windows

package storage

import (
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes the lock bbolt takes (the byte range at offset -1,
// exclusive) without waiting, so Restore never replaces a file another
// Gloss process has open.
func tryLock(f *os.File) (held bool, err error) {
	var m1 uint32 = (1 << 32) - 1
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &windows.Overlapped{Offset: m1, OffsetHigh: m1})
	if err == windows.ERROR_LOCK_VIOLATION {
		return true, nil
	}
	return false, err
}
