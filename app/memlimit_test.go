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
	a := raiseMemoryLimit()
	b := raiseMemoryLimit()
	if got := debug.SetMemoryLimit(-1); got != 100<<20+workMemory {
		t.Fatalf("limit during work %d, want %d (raised once, however many tasks)", got, 100<<20+workMemory)
	}
	a()
	a() // a second call must not end b's raise
	if got := debug.SetMemoryLimit(-1); got != 100<<20+workMemory {
		t.Fatalf("limit after the first task ended %d, want it still raised", got)
	}
	b()
	if got := debug.SetMemoryLimit(-1); got != 100<<20 {
		t.Fatalf("limit after the work %d, want the old 100 MiB back", got)
	}

	// With no limit set there is nothing to raise, and nothing is set.
	debug.SetMemoryLimit(math.MaxInt64)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { raiseMemoryLimit()() })
	}
	wg.Wait()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("no limit was set, now %d", got)
	}
}
