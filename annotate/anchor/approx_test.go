package anchor

import (
	"math/rand"
	"testing"
)

// dpDistance is the textbook Levenshtein table, the reference the
// bit-parallel editDistance and bestPrefix are checked against.
func dpDistance(x, y []rune) [][]int {
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
		}
	}
	return d
}

func TestBitParallelDistanceMatchesTable(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	// Few distinct code points make many matches; ASCII, CJK, a code
	// point outside the BMP and NUL cover both halves of patMasks.
	alphabets := [][]rune{
		[]rune("ab"),
		[]rune("abc 的是不了"),
		[]rune("\x00a\U0001F600中文字"),
	}
	for it := 0; it < 3000; it++ {
		alpha := alphabets[it%len(alphabets)]
		x := randRunes(rng, alpha, rng.Intn(80))
		y := randRunes(rng, alpha, rng.Intn(80))
		d := dpDistance(x, y)
		if got, want := editDistance(x, y), d[len(x)][len(y)]; got != want {
			t.Fatalf("editDistance(%q, %q) = %d, want %d", string(x), string(y), got, want)
		}
		// bestPrefix: the prefix of y closest to all of x, ties to the
		// length nearest len(x).
		wl, we := 0, d[len(x)][0]
		for j := 1; j <= len(y); j++ {
			if e := d[len(x)][j]; e < we || (e == we && abs(j-len(x)) < abs(wl-len(x))) {
				wl, we = j, e
			}
		}
		if l, e := bestPrefix(x, y); l != wl || e != we {
			t.Fatalf("bestPrefix(%q, %q) = %d, %d; want %d, %d", string(x), string(y), l, e, wl, we)
		}
	}
}

// ReanchorAll shares a long text's selectors out among clones of the
// Mapper; each must land exactly where Reanchor alone puts it.
func TestReanchorAllMatchesReanchor(t *testing.T) {
	c := benchSetup(nil, 200<<10)
	all := NewMapper(c.old, c.new)
	if !all.shareable() {
		t.Fatal("a 200 KB text's Mapper should be built for sharing")
	}
	got := all.ReanchorAll(c.sels)
	one := NewMapper(c.old, c.new)
	for i, s := range c.sels {
		if want := one.Reanchor(s); got[i] != want {
			t.Fatalf("selector %d: ReanchorAll gave %+v, Reanchor %+v", i, got[i], want)
		}
	}
}
