package storage

import "syscall"

// dropMapped tells the kernel this process no longer needs the pages of the
// file mapping at [base, base+size): they leave its resident set but stay
// in the page cache, and a later read maps them again. Reads go through
// the mapping and writes do not (bbolt writes with pwrite), so nothing is
// lost; a failure only means the pages stay.
func dropMapped(base, size uintptr) {
	if base != 0 && size > 0 {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, base, size, syscall.MADV_DONTNEED)
	}
}
