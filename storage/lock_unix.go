//go:build unix

package storage

import (
	"os"
	"syscall"
)

// tryLock takes the lock bbolt takes (flock, exclusive) without waiting,
// so Restore never replaces a file another Gloss process has open.
func tryLock(f *os.File) (held bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == syscall.EWOULDBLOCK {
		return true, nil
	}
	return false, err
}
