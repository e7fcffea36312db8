package annotate

import (
	"runtime"
	"slices"
)

// A slice that grows to hundreds of thousands of records (an import's
// annotations, a merge's or an apply's list of them) must not be grown by
// append alone. When append outgrows its capacity it copies the whole
// slice in one step that cannot be preempted; for records holding
// pointers, during a collection, that step applies a write barrier to
// every pointer and takes hundreds of milliseconds for 10^5 annotations.
// Meanwhile the collector, waiting to scan this goroutine's stack, holds
// the other processor, and on a two-core machine the window's goroutine
// gets neither: measured as 120–390 ms freezes of the window during a
// 10,000-source import and merge. AppendLarge does the same as append
// but copies in pieces of at most copyPiece records, each a short step
// the scheduler can come between (copyPieces).

// copyPiece is how many records one uninterruptible copy moves: 4096
// annotations are about 1 MB, well under a millisecond to copy.
const copyPiece = 4096

// AppendLarge returns append(s, vs...), growing and copying a large slice
// piece by piece (see above). Like append, the result may share s's array.
func AppendLarge[T any](s []T, vs ...T) []T {
	n := len(s)
	if n+len(vs) <= cap(s) && len(vs) <= copyPiece {
		return append(s, vs...)
	}
	s = GrowLarge(s, len(vs))
	s = s[:n+len(vs)]
	copyPieces(s[n:], vs)
	return s
}

// GrowLarge is slices.Grow for a slice that may be large: it returns s
// with room for at least more further records, copying it in pieces when
// it must move.
func GrowLarge[T any](s []T, more int) []T {
	need := len(s) + more
	if need <= cap(s) {
		return s
	}
	if need <= copyPiece {
		return slices.Grow(s, more)
	}
	// make clears a large array where it can be preempted. A quarter
	// more than needed, as the runtime grows large slices: the copies stay
	// linear in the final length without doubling the peak.
	t := make([]T, len(s), max(need, cap(s)+cap(s)/4))
	copyPieces(t, s)
	return t
}

// copyPieces copies src into dst (of the same length) copyPiece records
// at a time, yielding between pieces. The yield is what lets the
// collector in: a loop spends nearly all its time inside the runtime's
// copy, where a preemption signal is refused, and the loop itself makes
// no call that would notice a preemption request.
func copyPieces[T any](dst, src []T) {
	for i := 0; i < len(src); i += copyPiece {
		if i > 0 {
			runtime.Gosched()
		}
		j := min(i+copyPiece, len(src))
		copy(dst[i:j], src[i:j])
	}
}
