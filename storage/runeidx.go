package storage

import (
	"encoding/binary"
	"unicode/utf8"

	"gloss/annotate"
)

// runeStride is the spacing, in code points, of the byte-offset checkpoints
// kept for each text, so that checking a selector deep in a long source
// walks at most this many code points instead of the whole prefix.
const runeStride = 1024

var bRuneIdx = []byte("rune_index")

// buildRuneIndex records the byte offset of every runeStride-th code point.
func buildRuneIndex(text string) []byte {
	out := make([]byte, 0, 4*(len(text)/runeStride+1))
	n := 0
	for i := range text {
		if n%runeStride == 0 {
			out = binary.LittleEndian.AppendUint32(out, uint32(i))
		}
		n++
	}
	return out
}

// checkIndexed checks sel against text using the checkpoint index.
func checkIndexed(text string, idx []byte, sel annotate.Selector) error {
	k := sel.Start / runeStride
	if sel.Start < 0 || len(idx) < 4*(k+1) {
		return annotate.CheckIn(text, sel)
	}
	off := int(binary.LittleEndian.Uint32(idx[4*k:]))
	if off > len(text) || !utf8.RuneStart(text[min(off, len(text)-1)]) {
		return annotate.CheckIn(text, sel) // a damaged index must not reject good data
	}
	base := k * runeStride
	shifted := sel
	shifted.Start -= base
	shifted.End -= base
	if err := annotate.CheckIn(text[off:], shifted); err != nil {
		// Re-run on the whole text so the message carries true positions.
		return annotate.CheckIn(text, sel)
	}
	return nil
}
