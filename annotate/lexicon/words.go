package lexicon

import "hash/maphash"

// wordTable maps headwords to entries. The headwords are parts of the
// dictionary's text, so a slot holds only where its key lies there: an
// open-addressing table of 10-byte slots instead of a map with a string
// header per key (the map was 11 MB of the loaded dictionary's 26 MB).
type wordTable struct {
	text  string   // the dictionary text the keys are parts of
	off   []uint32 // key offset in text + 1; 0 marks an empty slot
	n     []uint16 // key length in bytes
	entry []int32
	used  int
	seed  maphash.Seed
}

func newWordTable(text string, hint int) *wordTable {
	size := 1024
	for size*3 < hint*4 { // at most three quarters full
		size *= 2
	}
	t := &wordTable{text: text, seed: maphash.MakeSeed()}
	t.alloc(size)
	return t
}

func (t *wordTable) alloc(size int) {
	t.off, t.n, t.entry = make([]uint32, size), make([]uint16, size), make([]int32, size)
}

func (t *wordTable) key(i int) string {
	o := int(t.off[i]) - 1
	return t.text[o : o+int(t.n[i])]
}

// find returns the entry of key, hashed as h.
func (t *wordTable) find(h uint64, match func(string) bool) (int32, bool) {
	mask := uint64(len(t.off) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		if t.off[i] == 0 {
			return 0, false
		}
		if match(t.key(int(i))) {
			return t.entry[i], true
		}
	}
}

// get returns the entry of word.
func (t *wordTable) get(word string) (int32, bool) {
	return t.find(maphash.String(t.seed, word), func(k string) bool { return k == word })
}

// getBytes is get for a word held as bytes, without making a string.
func (t *wordTable) getBytes(word []byte) (int32, bool) {
	return t.find(maphash.Bytes(t.seed, word), func(k string) bool { return k == string(word) })
}

// put adds the key text[off:off+n] for entry e unless it is there; it
// reports whether it added it. Keys longer than 65,535 bytes are not kept.
func (t *wordTable) put(off, n int, e int32) bool {
	if n == 0 || n > 0xFFFF || uint64(off)+1 > 0xFFFFFFFF {
		return false
	}
	if (t.used+1)*4 > len(t.off)*3 {
		t.grow()
	}
	k := t.text[off : off+n]
	mask := uint64(len(t.off) - 1)
	for i := maphash.String(t.seed, k) & mask; ; i = (i + 1) & mask {
		if t.off[i] == 0 {
			t.off[i], t.n[i], t.entry[i] = uint32(off)+1, uint16(n), e
			t.used++
			return true
		}
		if t.key(int(i)) == k {
			return false
		}
	}
}

func (t *wordTable) grow() {
	off, n, entry := t.off, t.n, t.entry
	t.alloc(2 * len(off))
	t.used = 0
	for i := range off {
		if off[i] != 0 {
			t.put(int(off[i])-1, int(n[i]), entry[i])
		}
	}
}

// each calls fn with every key.
func (t *wordTable) each(fn func(string)) {
	for i := range t.off {
		if t.off[i] != 0 {
			fn(t.key(i))
		}
	}
}
