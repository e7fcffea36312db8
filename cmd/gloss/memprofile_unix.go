//go:build unix

package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
)

// heapProfileOnSignal writes the live heap to path on every SIGUSR1, for
// measuring the window (scripts/measure-window.sh, GLOSS_MEMPROFILE).
func heapProfileOnSignal(path string) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for range sig {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			// What the Go runtime holds of the resident set, and how much
			// of the heap was garbage waiting for the collector.
			const mib = 1 << 20
			fmt.Fprintf(os.Stderr, "memory: heap before collecting %d MiB, live %d MiB; runtime holds %d MiB (heap %d, of it returned to the OS %d; stacks %d; other %d)\n",
				before.HeapAlloc/mib, m.HeapAlloc/mib, (m.Sys-m.HeapReleased)/mib, m.HeapSys/mib, m.HeapReleased/mib, m.StackSys/mib,
				(m.Sys-m.HeapSys-m.StackSys)/mib)
			if f, err := os.Create(path); err == nil {
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}()
}
