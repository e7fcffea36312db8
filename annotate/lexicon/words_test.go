package lexicon

import (
	"fmt"
	"strings"
	"testing"
)

// The table finds every key it was given, as a string or as bytes, keeps
// the first entry of a key put twice, survives growing from its smallest
// size, and finds nothing else.
func TestWordTable(t *testing.T) {
	var b strings.Builder
	var offs []int
	for i := 0; i < 5000; i++ {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "词%d\t", i)
	}
	text := b.String()
	tb := newWordTable(text, 0)
	key := func(i int) string { return text[offs[i] : strings.IndexByte(text[offs[i]:], '\t')+offs[i]] }
	for i := range offs {
		if !tb.put(offs[i], len(key(i)), int32(i)) {
			t.Fatalf("key %d not added", i)
		}
	}
	if tb.put(offs[7], len(key(7)), 99) {
		t.Fatal("a key put twice was added again")
	}
	if len(tb.off) <= 1024 {
		t.Fatalf("the table did not grow: %d slots for %d keys", len(tb.off), tb.used)
	}
	for i := range offs {
		e, ok := tb.get(key(i))
		eb, okb := tb.getBytes([]byte(key(i)))
		if !ok || !okb || e != int32(i) || eb != int32(i) {
			t.Fatalf("key %q: %d %v / %d %v, want %d", key(i), e, ok, eb, okb, i)
		}
	}
	for _, w := range []string{"词", "词5000", "词12x", "", "x"} {
		if _, ok := tb.get(w); ok {
			t.Fatalf("found %q, which was never put", w)
		}
	}
	n := 0
	tb.each(func(string) { n++ })
	if n != len(offs) {
		t.Fatalf("each saw %d keys, want %d", n, len(offs))
	}
}

// Every headword of the dictionary, simplified and traditional, is found,
// with the entry of its first line.
func TestEveryHeadwordIsFound(t *testing.T) {
	d := get()
	n := 0
	for _, line := range strings.Split(d.words.text, "\n") {
		f := strings.SplitN(line, "\t", 4)
		if len(f) != 4 || f[0] == "" {
			continue
		}
		e, ok := d.words.get(f[0])
		if !ok || !strings.Contains(d.entries[e].glosses, f[3]) {
			t.Fatalf("headword %q: entry %d %v does not hold %q", f[0], e, ok, f[3])
		}
		if f[1] != "" {
			if _, ok := d.words.get(f[1]); !ok {
				t.Fatalf("traditional headword %q not found", f[1])
			}
		}
		n++
	}
	if n < 100000 {
		t.Fatalf("only %d dictionary lines read", n)
	}
}
