package app

import (
	"runtime"
	"sync/atomic"
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

// The idle watch fires once the allocation count has stood still for
// idleTicks checks, not while it grows, and once per idle spell.
func TestWatchIdle(t *testing.T) {
	old := idleCheck
	idleCheck = 5 * time.Millisecond
	t.Cleanup(func() { idleCheck = old })
	var count, fired atomic.Int64
	var busy atomic.Bool
	// While busy, every read finds more allocated than idle allows,
	// however the goroutines are scheduled.
	read := func() uint64 {
		if busy.Load() {
			count.Add(idleAlloc + 1)
		}
		return uint64(count.Load())
	}
	busy.Store(true) // from the start
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchIdle(stop, read, func() { fired.Add(1) })
	}()
	defer func() { close(stop); <-done }()
	busyFor := func(d time.Duration) {
		busy.Store(true)
		time.Sleep(d)
		busy.Store(false)
	}
	waitFired := func(n int64) {
		t.Helper()
		for end := time.Now().Add(5 * time.Second); fired.Load() < n; {
			if time.Now().After(end) {
				t.Fatalf("fired %d times, want %d", fired.Load(), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	busyFor(100 * time.Millisecond)
	if n := fired.Load(); n != 0 {
		t.Fatalf("fired %d times while allocating", n)
	}
	waitFired(1)
	time.Sleep(20 * idleCheck) // idle on: no second trim
	if n := fired.Load(); n != 1 {
		t.Fatalf("fired %d times in one idle spell", n)
	}
	busyFor(50 * time.Millisecond)
	waitFired(2)
}
