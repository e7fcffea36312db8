//go:build !linux

package storage

// dropMapped is a no-op where it is not implemented: a long walk's
// resident memory then grows with the part of the file it read.
func dropMapped(base, size uintptr) {}
