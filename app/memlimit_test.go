package app

import (
	"math"
	"runtime/debug"
	"sync"
	"testing"
)

// limitForTest sets a soft memory limit of n for the test's length, with
// settling begun at once, and returns a func that reads the limit.
func limitForTest(t *testing.T, n int64) (limit func() int64) {
	old := debug.SetMemoryLimit(n)
	oldPause, oldDelay := settlePause, settleDelay
	settleDelay = func() {}
	t.Cleanup(func() {
		debug.SetMemoryLimit(old)
		settlePause, settleDelay = oldPause, oldDelay
	})
	return func() int64 { return debug.SetMemoryLimit(-1) }
}

func TestRaiseMemoryLimitNestsAndRestores(t *testing.T) {
	limit := limitForTest(t, 100<<20)
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
	settling.Wait()
	if got := limit(); got != 100<<20+reportMemory {
		t.Fatalf("limit after the save ended %d, want the export's %d", got, 100<<20+reportMemory)
	}
	a()
	settling.Wait()
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
	settling.Wait()
	if got := limit(); got != math.MaxInt64 {
		t.Fatalf("no limit was set, now %d", got)
	}
}

// After work that left much memory held, the limit comes down in steps,
// each lower than the last, to the old limit; work starting while it
// comes down raises it from the old limit, not from a step, and settles
// it back there when it ends.
func TestMemoryLimitSettlesInSteps(t *testing.T) {
	limit := limitForTest(t, 100<<20)

	restore := raiseMemoryLimit(importMemory)
	// Live through the first steps, as an import's project is: the
	// steps must still go down.
	held := make([]byte, 300<<20)
	for i := range held {
		held[i] = 1
	}
	var steps []int64
	var nested func()
	settlePause = func() {
		steps = append(steps, limit())
		switch len(steps) {
		case 3:
			held = nil
		case 4:
			nested = raiseMemoryLimit(reportMemory)
		}
	}
	restore()
	settling.Wait()
	if len(steps) != 4 {
		t.Fatalf("%d steps before the second task began, want 4: %v", len(steps), steps)
	}
	for i := 1; i < len(steps); i++ {
		if steps[i] > steps[i-1]-settleStep {
			t.Fatalf("step %d did not go down by a step: %v", i, steps)
		}
	}
	if got := limit(); got != 100<<20+reportMemory {
		t.Fatalf("limit with a task begun while settling %d, want the old limit plus its raise %d", got, 100<<20+reportMemory)
	}
	steps = nil
	settlePause = func() { steps = append(steps, limit()) }
	nested()
	settling.Wait()
	if got := limit(); got != 100<<20 {
		t.Fatalf("limit after all the work %d, want the old 100 MiB", got)
	}
}
