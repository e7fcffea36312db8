//go:build !unix && !windows

package storage

import "os"

// tryLock: no file locks here, as for bbolt.
func tryLock(*os.File) (bool, error) { return false, nil }
