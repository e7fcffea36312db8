package figures

import (
	"reflect"
	"testing"

	"gloss/internal/benchproj"
)

// Keys group as the figures they were made from do, describe those
// figures again (but for what they leave out), and a sealed table makes
// the same keys again.
func TestKeysGroupAsFigures(t *testing.T) {
	p := benchproj.Generate(40, 0, 3)
	var figs []Figure
	for _, s := range p.Sources {
		figs = append(figs, Extract(s, s.Text)...)
	}
	ov := Overrides{Ignore: []string{figs[2].ID}, Split: []string{figs[7].ID}, Merge: [][]string{{figs[11].ID, figs[30].ID}},
		Preferred: []string{figs[25].ID}}
	tab := NewKeyTable()
	half := len(figs) / 2
	keys := tab.Keys(figs[:half])
	tab.Seal()
	keys = append(keys, tab.Keys(figs[half:])...)
	again := NewKeyTable()
	if !reflect.DeepEqual(keys, again.Keys(figs)) {
		t.Fatal("a sealed table made other keys")
	}
	ptrs := make([]*Key, len(keys))
	for i := range keys {
		ptrs[i] = &keys[i]
	}
	want, got := Partition(figs, ov), PartitionKeys(ptrs, tab, ov)
	if len(want) != len(got) || len(got) < 10 {
		t.Fatalf("%d groups from keys, %d from figures", len(got), len(want))
	}
	for k := range want {
		if got[k].ID != "" {
			t.Fatalf("group %d: ID %q, want none", k, got[k].ID)
		}
		got[k].ID = want[k].ID
		if !reflect.DeepEqual(want[k], got[k]) {
			t.Fatalf("group %d differs:\n%+v\n%+v", k, want[k], got[k])
		}
	}
	text := map[string][]rune{}
	for _, s := range p.Sources {
		text[s.ID] = []rune(s.Text)
	}
	for i := range keys {
		f, g := figs[i], tab.Figure(&keys[i], text[figs[i].SourceID])
		if g.ID != f.ID || g.SourceID != f.SourceID || g.Number.Display() != f.Number.Display() || g.Number.Text != f.Number.Text ||
			g.Number.Start != f.Number.Start || g.Number.End != f.Number.End || g.Unit != f.Unit || g.Counts != f.Counts ||
			g.PeriodLabel() != f.PeriodLabel() || g.Passage != f.Passage {
			t.Fatalf("figure %d described as\n%+v\nnot\n%+v", i, g, f)
		}
	}
}
