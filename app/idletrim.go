package app

import (
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// The window's heap grows between collections up to the soft limit (256
// MiB at 10,000 sources, about 90 MiB over what is live), and the pages a
// collection frees stay mapped until the heap needs them again: after 20
// tags and undos a 10,000-source window held 290 MiB of its own memory
// with 166 MB live, and kept holding it while the analyst read. While the
// window is idle, trimWhenIdle collects and hands those pages back, a
// step at a time as settle does, so no allocation of the UI goroutine
// pays for handing them back.
// idleCheck is how often the allocation rate is read (a variable for
// tests).
var idleCheck = time.Second

const (
	idleAlloc = 1 << 20 // at most this much allocated per check counts as idle
	idleTicks = 2       // checks in a row before trimming
	// trimMin is how much must be reclaimable for a trim to be worth its
	// collection (a mark of everything live, 150-250 ms of a core at
	// 10,000 sources).
	trimMin = 32 << 20
)

// trimWhenIdle trims (see trim) once the window has been idle for
// idleTicks checks, and again only after it was busy in between. It
// returns when stop is closed.
func trimWhenIdle(stop <-chan struct{}) { watchIdle(stop, allocated, trimIfWorth) }

// watchIdle calls onIdle once the allocation count has grown by at most
// idleAlloc per idleCheck for idleTicks checks in a row, and again only
// after a busier check.
func watchIdle(stop <-chan struct{}, allocated func() uint64, onIdle func()) {
	last, quiet, done := allocated(), 0, false
	eachTick(stop, idleCheck, func() {
		a := allocated()
		busy := a-last > idleAlloc
		last = a
		if busy {
			quiet, done = 0, false
			return
		}
		if quiet++; quiet < idleTicks || done {
			return
		}
		done = true
		onIdle()
	})
}

// eachTick calls fn every d until stop is closed.
func eachTick(stop <-chan struct{}, d time.Duration, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			fn()
		}
	}
}

// trimIfWorth trims in the background when enough can be handed back.
func trimIfWorth() {
	if reclaimable() < trimMin {
		return
	}
	trimSoon()
}

// trimSoon trims in the background, worth it or not by reclaimable's
// estimate: for work that has just let go of much (maybeRepage), which
// the estimate, counting what the last collection found live, misses.
func trimSoon() {
	trimming.Add(1)
	goBackground(func() {
		defer trimming.Done()
		trim()
	})
}

// viewClosed trims, in the real window, once an analysis window has
// closed and let its data go: no collection since has seen it go, so the
// idle trim's estimate (reclaimable) would miss it.
func (w *Workspace) viewClosed() {
	if w.cfg.Background {
		trimSoon()
	}
}

// trimming counts the trims running (tests wait for them).
var trimming sync.WaitGroup

// trim collects, then lowers the soft limit a step at a time to what the
// heap holds after the collection, so the runtime hands the free pages
// back on this goroutine, then puts the limit back (stepDown, as settle
// does). Background work that starts meanwhile (raiseMemoryLimit) ends
// the trim; the limit is then that work's.
func trim() {
	heavy.Lock()
	if heavy.raised {
		heavy.Unlock()
		return // a task runs or settles; settle hands pages back after it
	}
	base := debug.SetMemoryLimit(-1)
	heavy.base, heavy.raised = base, true
	heavy.Unlock()
	runtime.GC()
	// What stays: everything held but the free pages, plus a step.
	stepDown(heldMemory()-freeMemory()+settleStep, base)
}

// allocated is how much the heap has allocated since the process began.
func allocated() uint64 { return readMetrics("/gc/heap/allocs:bytes")[0] }

// reclaimable is what a collection and a trim could hand back: the
// heap's free pages, and what its objects take over what was live at the
// last collection (garbage made since).
func reclaimable() int64 {
	v := readMetrics("/memory/classes/heap/free:bytes", "/memory/classes/heap/objects:bytes", "/gc/heap/live:bytes")
	free, objects, live := int64(v[0]), int64(v[1]), int64(v[2])
	return free + max(0, objects-live)
}

// freeMemory is what the heap holds free and has not handed back.
func freeMemory() int64 { return int64(readMetrics("/memory/classes/heap/free:bytes")[0]) }
