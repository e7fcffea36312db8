//go:build unix

package suggest

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time. The build machine is shared,
// so wall-clock ns/op varies with load; CPU time per op is reported beside it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
