package app

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// How much the soft heap limit is raised while long background work runs.
// The window's limit (cmd/gloss) is sized for the project it holds; the
// work keeps more live on top. Under the plain limit the collector ran
// without pause and the scavenger handed pages back and forth (madvise
// alone 12 % of CPU).
const (
	// A report export of 10,000 sources (or the figures or timeline
	// view) keeps about 150 MB live: under the plain limit the export
	// took 72–76 s instead of 17 s and the window froze 165–188 times.
	reportMemory = 256 << 20
	// Reading, planning and saving an import or a merge of a
	// 10,000-source archive holds the whole archive (about 250 MB more).
	// Saving it with reportMemory took 19.5 s and froze the window 7
	// times (peak 818 MB resident); with this, 7 s and twice (923 MB).
	importMemory = 512 << 20
)

// InBackground runs work (long, off the UI goroutine) on a thread that
// yields to the window, and waits for it; for storage.Options.Around, so
// the open backup of a large project does not take a core from the
// analyst's first actions. It does not raise the soft heap limit: the
// backup reads the project where bbolt maps it and keeps little live.
// (When it walked a copy of the whole file in the heap, it needed
// reportMemory of room, and the window peaked at 750 MB resident.)
func InBackground(work func()) {
	done := make(chan struct{})
	goBackground(func() {
		defer close(done)
		work()
	})
	<-done
}

var heavy struct {
	sync.Mutex
	extra  []int64 // one per background task running
	base   int64   // the limit before the first of them
	raised bool    // base is set: the limit is raised or settling
}

// raiseMemoryLimit lifts a soft heap limit, if one is set, by extra for
// as long as background work runs (by the largest extra while several
// run); the returned func (call it once; later calls do nothing) ends
// this task's share.
func raiseMemoryLimit(extra int64) (restore func()) {
	heavy.Lock()
	defer heavy.Unlock()
	if !heavy.raised {
		heavy.base = debug.SetMemoryLimit(-1)
		heavy.raised = true
	}
	heavy.extra = append(heavy.extra, extra)
	setLimit()
	var once sync.Once
	return func() {
		once.Do(func() {
			heavy.Lock()
			if i := slices.Index(heavy.extra, extra); i >= 0 {
				heavy.extra = slices.Delete(heavy.extra, i, i+1)
			}
			last := len(heavy.extra) == 0 && heavy.base != math.MaxInt64
			if len(heavy.extra) == 0 && !last {
				heavy.raised = false // there was no limit to raise
			}
			if last {
				settling.Add(1)
			} else {
				setLimit()
			}
			heavy.Unlock()
			if last {
				go func() {
					defer settling.Done()
					settle()
				}()
			}
		})
	}
}

// settling counts the settles running (tests wait for them).
var settling sync.WaitGroup

// settle brings the limit back to its base after the last background task
// has ended, on a goroutine of its own, so the task's result is not held
// up. First it collects there: lowering the limit with the heap above it
// made the next allocations (the UI goroutine's) pay for the collection,
// 0.3 s. Then it lowers the limit a step at a time, because the pages the
// work freed (hundreds of MB after an import) are still held, and every
// allocation made while the runtime holds more than the limit hands back
// the excess first: at once, that was 100–120 ms of madvise on whichever
// goroutine allocated next, often the UI's; handing all of it back here
// (debug.FreeOSMemory) froze the window as long, as the runtime cannot
// preempt that. A step leaves little for any one allocation to hand back.
func settle() {
	// The panels redraw for the work's result just now (after a 10k
	// import, 150–300 ms on the UI goroutine); a collection started
	// with them took a core from them.
	settleDelay()
	if raisedAgain() {
		return
	}
	runtime.GC()
	heavy.Lock()
	base := heavy.base
	heavy.Unlock()
	stepDown(base, base)
}

// stepDown lowers the limit a step at a time to floor, then sets it to
// base and ends the raise. After each step an allocation here makes the
// runtime hand back what it holds over the limit, on this goroutine
// rather than in the UI's next allocation. A task that raises the limit
// meanwhile ends it; that task settles the limit when it ends.
func stepDown(floor, base int64) {
	limit := heldMemory()
	for {
		heavy.Lock()
		if len(heavy.extra) > 0 {
			heavy.Unlock()
			return // as in raisedAgain
		}
		// Down by a step at least each time, so a live heap above the
		// floor cannot keep it stepping.
		limit = max(floor, min(limit, heldMemory())-settleStep)
		debug.SetMemoryLimit(limit)
		heavy.Unlock()
		// A large allocation takes a span from the heap, and taking one
		// over the limit hands back the excess first.
		b := make([]byte, 64<<10)
		prod.Store(&b)
		prod.Store(nil)
		if limit == floor {
			heavy.Lock()
			if len(heavy.extra) == 0 {
				debug.SetMemoryLimit(base)
				heavy.raised = false
			}
			heavy.Unlock()
			return
		}
		settlePause()
	}
}

// raisedAgain reports whether a task raised the limit again while it
// settled; that task settles it when it ends.
func raisedAgain() bool {
	heavy.Lock()
	defer heavy.Unlock()
	return len(heavy.extra) > 0
}

// settleStep is how far one step lowers the limit. Handing back 32 MiB
// took 80–100 ms under the VM measured (madvise of its pages).
const settleStep = 8 << 20

// prod holds the allocation that makes the runtime hand back pages, so
// it is made on the heap (settles may overlap, hence atomic).
var prod atomic.Pointer[[]byte]

// settleDelay and settlePause are the waits before settling and between
// steps (variables for a test).
var (
	settleDelay = func() { time.Sleep(time.Second) }
	settlePause = func() { time.Sleep(10 * time.Millisecond) }
)

// heldMemory is what the soft limit counts: memory the runtime has mapped
// and not handed back.
func heldMemory() int64 {
	v := readMetrics("/memory/classes/total:bytes", "/memory/classes/heap/released:bytes")
	return int64(v[0] - v[1])
}

// readMetrics reads runtime metrics of the uint64 kind, by name.
func readMetrics(names ...string) []uint64 {
	m := make([]metrics.Sample, len(names))
	for i, n := range names {
		m[i].Name = n
	}
	metrics.Read(m)
	out := make([]uint64, len(m))
	for i := range m {
		out[i] = m[i].Value.Uint64()
	}
	return out
}

// setLimit sets base plus the largest extra running; heavy is locked.
func setLimit() {
	if heavy.base == math.MaxInt64 {
		return // no limit to raise
	}
	var most int64
	for _, e := range heavy.extra {
		most = max(most, e)
	}
	debug.SetMemoryLimit(heavy.base + most)
}
