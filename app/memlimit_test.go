package app

import (
	"math"
	"runtime/debug"
	"sync"
	"testing"
)

func TestRaiseMemoryLimitNestsAndRestores(t *testing.T) {
	old := debug.SetMemoryLimit(100 << 20)
	defer debug.SetMemoryLimit(old)
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	a := raiseMemoryLimit(reportMemory)
	if got := limit(); got != 100<<20+reportMemory {
		t.Fatalf("limit during an export %d, want %d", got, 100<<20+reportMemory)
	}
	b := raiseMemoryLimit(importMemory)
	if got := limit(); got != 100<<20+importMemory {
		t.Fatalf("limit with a save running too %d, want the larger raise %d", got, 100<<20+importMemory)
	}
	b()
	b() // a second call must not end a's raise
	if got := limit(); got != 100<<20+reportMemory {
		t.Fatalf("limit after the save ended %d, want the export's %d", got, 100<<20+reportMemory)
	}
	a()
	if got := limit(); got != 100<<20 {
		t.Fatalf("limit after the work %d, want the old 100 MiB back", got)
	}

	// With no limit set there is nothing to raise, and nothing is set.
	debug.SetMemoryLimit(math.MaxInt64)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { raiseMemoryLimit(reportMemory)() })
	}
	wg.Wait()
	if got := limit(); got != math.MaxInt64 {
		t.Fatalf("no limit was set, now %d", got)
	}
}
