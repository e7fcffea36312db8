package annotate

import (
	"fmt"
	"slices"
	"testing"
)

// AppendLarge and GrowLarge must give what append and slices.Grow give,
// at every size around the piece length, appended one by one or in bulk.
func TestAppendLargeIsAppend(t *testing.T) {
	rec := func(i int) Annotation {
		return Annotation{ID: fmt.Sprint("a", i), Codes: []string{fmt.Sprint("c", i%7)}}
	}
	for _, n := range []int{0, 1, copyPiece - 1, copyPiece, copyPiece + 1, 3*copyPiece + 17} {
		var one, want []Annotation
		for i := range n {
			one = AppendLarge(one, rec(i))
			want = append(want, rec(i))
		}
		if !slices.EqualFunc(one, want, sameAnn) {
			t.Fatalf("%d appended one by one: differs from append", n)
		}
		for _, head := range []int{0, 5, copyPiece + 3} {
			base := make([]Annotation, head)
			for i := range base {
				base[i] = rec(-i)
			}
			got := AppendLarge(slices.Clip(slices.Clone(base)), want...)
			if !slices.EqualFunc(got, append(slices.Clone(base), want...), sameAnn) {
				t.Fatalf("%d appended at once after %d: differs from append", n, head)
			}
			g := GrowLarge(slices.Clone(base), n)
			if len(g) != head || cap(g)-len(g) < n || !slices.EqualFunc(g, base, sameAnn) {
				t.Fatalf("GrowLarge(%d records, %d): len %d cap %d", head, n, len(g), cap(g))
			}
		}
	}
}

// Appending within capacity writes into the same array, as append does,
// so callers that reslice (s[:first]) keep working.
func TestAppendLargeKeepsArrayWithinCapacity(t *testing.T) {
	s := make([]int, 2, 10)
	u := AppendLarge(s, 7, 8)
	if &u[0] != &s[0] || s[:4][3] != 8 {
		t.Fatal("appending within capacity moved the slice")
	}
	big := make([]int, copyPiece+1, 3*copyPiece)
	v := AppendLarge(big, make([]int, copyPiece+5)...)
	if &v[0] != &big[0] || len(v) != 2*copyPiece+6 {
		t.Fatal("a large append within capacity moved the slice")
	}
}

func sameAnn(a, b Annotation) bool { return a.ID == b.ID && slices.Equal(a.Codes, b.Codes) }
