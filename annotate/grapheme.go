package annotate

import (
	"fmt"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"
)

// GraphemeSplitError says a selection boundary falls inside a grapheme
// cluster (half of a flag, the middle of a ZWJ emoji, a letter without its
// combining accent). The W3C model says selections SHOULD NOT do that.
type GraphemeSplitError struct {
	Pos     int    // the offending position, in code points
	Cluster string // the cluster it splits
	Lo, Hi  int    // the cluster's boundaries, the nearest valid positions
}

func (e *GraphemeSplitError) Error() string {
	return fmt.Sprintf("position %d splits the grapheme cluster %s (%d–%d); use %d or %d", e.Pos, e.Cluster, e.Lo, e.Hi, e.Lo, e.Hi)
}

// CheckGraphemes reports whether start and end (code points) both fall on
// grapheme cluster boundaries of text; if not, the error is a
// *GraphemeSplitError naming the nearest valid boundaries. Positions outside
// the text are left to Select and Check to report. It walks the text only up
// to end, since cluster boundaries depend on what precedes (flags pair up
// from the start of a run).
func CheckGraphemes(text string, start, end int) error {
	it := graphemes.FromString(text)
	pos := 0
	for it.Next() {
		c := it.Value()
		lo, hi := pos, pos+utf8.RuneCountInString(c)
		pos = hi
		if lo >= end {
			break
		}
		for _, p := range []int{start, end} {
			if lo < p && p < hi {
				return &GraphemeSplitError{Pos: p, Cluster: c, Lo: lo, Hi: hi}
			}
		}
	}
	return nil
}

// SnapToGraphemes widens [start, end) to whole grapheme clusters: start
// moves back and end moves forward to the nearest boundary, so a selection
// made by dragging never keeps half a character.
func SnapToGraphemes(text string, start, end int) (int, int) {
	it := graphemes.FromString(text)
	pos := 0
	for it.Next() {
		lo, hi := pos, pos+utf8.RuneCountInString(it.Value())
		pos = hi
		if lo >= end {
			break
		}
		if lo < start && start < hi {
			start = lo
		}
		if lo < end && end < hi {
			end = hi
		}
	}
	return start, end
}
