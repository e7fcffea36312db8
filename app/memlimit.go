package app

import (
	"math"
	"runtime"
	"runtime/debug"
	"sync"
)

// workMemory is how much the soft heap limit is raised while long
// background work runs (an export, an import, a merge). The window's
// limit (cmd/gloss) is sized for the project it holds; a report export of
// 10,000 sources keeps about 150 MB more live on top. Under the plain
// limit the collector ran without pause and the scavenger handed pages
// back and forth (madvise alone 12 % of CPU): the export took 72–76 s
// instead of 17 s and the window froze 165–188 times.
const workMemory = 256 << 20

var heavy struct {
	sync.Mutex
	n    int   // background tasks running
	base int64 // the limit before the first of them
}

// raiseMemoryLimit lifts a soft heap limit, if one is set, by workMemory
// for as long as background work runs; the returned func (call it once)
// puts the limit back when the last such work ends.
func raiseMemoryLimit() (restore func()) {
	heavy.Lock()
	defer heavy.Unlock()
	if heavy.n == 0 {
		heavy.base = debug.SetMemoryLimit(-1)
		if heavy.base != math.MaxInt64 {
			debug.SetMemoryLimit(heavy.base + workMemory)
		}
	}
	heavy.n++
	var once sync.Once
	return func() {
		once.Do(func() {
			heavy.Lock()
			defer heavy.Unlock()
			heavy.n--
			if heavy.n == 0 && heavy.base != math.MaxInt64 {
				// Collected here, on the worker's goroutine: lowering
				// the limit with the heap above it made the next
				// allocations (the UI goroutine's, showing "Export
				// finished") pay for the collection, 0.3 s.
				runtime.GC()
				debug.SetMemoryLimit(heavy.base)
			}
		})
	}
}
