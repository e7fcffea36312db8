package app

import (
	"runtime"
	"testing"
	"time"
)

// garbage allocates n bytes in pieces, touches them and drops them, so
// the collector frees pages the heap then holds.
func garbage(n int) {
	var keep [][]byte
	for range n / (1 << 20) {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		keep = append(keep, b)
	}
	runtime.KeepAlive(keep)
}

// A trim hands back what the heap freed, in steps, and puts the limit
// back where it was.
func TestTrimHandsBackFreedMemory(t *testing.T) {
	limit := limitForTest(t, 1<<30)
	garbage(128 << 20)
	runtime.GC()
	before := heldMemory()
	if free := freeMemory(); free < 64<<20 {
		t.Skipf("the runtime holds only %d MiB free after the garbage; nothing to measure", free>>20)
	}
	steps := 0
	settlePause = func() { steps++ }
	trim()
	if got := limit(); got != 1<<30 {
		t.Fatalf("limit after the trim %d, want the old 1 GiB", got)
	}
	if after := heldMemory(); before-after < 64<<20 {
		t.Fatalf("held %d MiB before the trim and %d after: not handed back", before>>20, after>>20)
	}
	if steps < 4 {
		t.Fatalf("handed back in %d steps; at once, an allocation of the UI goroutine would pay for it", steps)
	}
}

// Background work that starts during a trim ends it: the limit is the
// work's, and comes back to the old one when the work ends.
func TestTrimYieldsToBackgroundWork(t *testing.T) {
	limit := limitForTest(t, 1<<30)
	garbage(128 << 20)
	var restore func()
	settlePause = func() {
		if restore == nil {
			restore = raiseMemoryLimit(reportMemory)
		}
	}
	trim()
	if restore == nil {
		t.Skip("the trim had nothing to step down")
	}
	if got := limit(); got != 1<<30+reportMemory {
		t.Fatalf("limit with work started during a trim %d, want the work's %d", got, 1<<30+reportMemory)
	}
	restore()
	settling.Wait()
	if got := limit(); got != 1<<30 {
		t.Fatalf("limit after the work %d, want the old 1 GiB", got)
	}
}

// trimWhenIdle trims once the process has allocated little for a while,
// not while it allocates.
func TestTrimWhenIdle(t *testing.T) {
	limitForTest(t, 1<<30)
	old := idleCheck
	idleCheck = 20 * time.Millisecond
	t.Cleanup(func() { idleCheck = old })
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { defer close(done); trimWhenIdle(stop) }()
	defer func() { close(stop); <-done; trimming.Wait() }()
	// Busy: allocating steadily, no trim may hand the garbage back.
	for range 10 {
		garbage(8 << 20)
		time.Sleep(10 * time.Millisecond)
	}
	garbage(96 << 20)
	runtime.GC()
	if freeMemory() < trimMin {
		t.Skip("nothing free to trim")
	}
	deadline := time.Now().Add(5 * time.Second)
	for freeMemory() >= trimMin {
		if time.Now().After(deadline) {
			t.Fatalf("still %d MiB free 5 s after the process went idle", freeMemory()>>20)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
