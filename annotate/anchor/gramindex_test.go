package anchor

import (
	"math/rand"
	"testing"
)

// The 3-gram index finds exactly what a scan finds.
func TestGramIndexFind(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	text := []rune(synthetic(rng, 60, false) + synthetic(rng, 60, true))
	g := newGramIndex(text)
	scan := side(string(text), text) // no index: strings.Index
	for i := 0; i < 300; i++ {
		s := rng.Intn(len(text) - 40)
		q := text[s : s+3+rng.Intn(30)]
		if i%10 == 0 {
			q = append(append([]rune{}, q...), 'ẍ') // absent
		}
		got, want := g.findN(q, 5000), scan.findN(q, 5000)
		if len(got) != len(want) {
			t.Fatalf("%q: index finds %d, scan %d", string(q), len(got), len(want))
		}
		for k := range got {
			if got[k] != want[k] {
				t.Fatalf("%q: index %v, scan %v", string(q), got, want)
			}
		}
	}
}

// regions never misses a match: every approximate match of a pattern a
// whole-text search finds lies inside one of the regions.
func TestRegionsCoverEveryMatch(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for _, zh := range []bool{false, true} {
		text := []rune(synthetic(rng, 150, zh))
		m := side(string(text), text)
		s := newSearcher(text)
		tried := 0
		for i := 0; i < 400; i++ {
			n := 12 + rng.Intn(53)
			at := rng.Intn(len(text) - n)
			pat := append([]rune{}, text[at:at+n]...)
			// Edit the pattern a little (substitutions, insertions and
			// deletions) so matches are approximate and shifted.
			for e := rng.Intn(5); e > 0; e-- {
				p := rng.Intn(len(pat))
				switch rng.Intn(3) {
				case 0:
					pat[p] = text[rng.Intn(len(text))]
				case 1:
					pat = append(pat[:p], pat[p+1:]...)
				default:
					pat = append(pat[:p], append([]rune{text[rng.Intn(len(text))]}, pat[p:]...)...)
				}
			}
			D := rng.Intn(len(pat)/6 + 1)
			regs, ok := m.regions(pat, D)
			if !ok {
				continue
			}
			tried++
			for _, me := range s.search(pat, D, 0, len(text)) {
				// The substring the match is: aligned back from its end.
				l, errs := bestPrefix(reversed(pat), reversed(text[max(0, me.end-len(pat)-D):me.end]))
				if errs > D {
					t.Fatalf("no alignment within %d edits ends at %d", D, me.end)
				}
				lo := me.end - l
				covered := false
				for _, r := range regs {
					if r[0] <= lo && me.end <= r[1] {
						covered = true
					}
				}
				if !covered {
					t.Fatalf("zh=%v: match ending at %d (%d edits) of %q, D=%d, is in no region %v", zh, me.end, me.errs, string(pat), D, regs)
				}
			}
		}
		if tried < 50 {
			t.Fatalf("zh=%v: the filter was used only %d times", zh, tried)
		}
	}
}

// The counting filter, used where the pieces are too short (a quarter of
// the pattern edited), must also keep every match.
func TestCountRegionsCoverEveryMatch(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, zh := range []bool{false, true} {
		text := []rune(synthetic(rng, 150, zh))
		m := side(string(text), text)
		s := newSearcher(text)
		tried, narrowed := 0, 0
		for i := 0; i < 400; i++ {
			n := 12 + rng.Intn(53)
			at := rng.Intn(len(text) - n)
			pat := append([]rune{}, text[at:at+n]...)
			for e := rng.Intn(n/4 + 1); e > 0; e-- {
				p := rng.Intn(len(pat))
				switch rng.Intn(3) {
				case 0:
					pat[p] = text[rng.Intn(len(text))]
				case 1:
					pat = append(pat[:p], pat[p+1:]...)
				default:
					pat = append(pat[:p], append([]rune{text[rng.Intn(len(text))]}, pat[p:]...)...)
				}
			}
			D := len(pat) / 4
			if rng.Intn(2) == 0 {
				D = rng.Intn(len(pat)/4 + 1)
			}
			regs, ok := m.countRegions(pat, D)
			if !ok {
				continue
			}
			tried++
			span := 0
			for _, r := range regs {
				span += r[1] - r[0]
			}
			if span < len(text)/4 {
				narrowed++
			}
			for _, me := range s.search(pat, D, 0, len(text)) {
				l, errs := bestPrefix(reversed(pat), reversed(text[max(0, me.end-len(pat)-D):me.end]))
				if errs > D {
					t.Fatalf("no alignment within %d edits ends at %d", D, me.end)
				}
				lo := me.end - l
				covered := false
				for _, r := range regs {
					if r[0] <= lo && me.end <= r[1] {
						covered = true
					}
				}
				if !covered {
					t.Fatalf("zh=%v: match ending at %d (%d edits) of %q, D=%d, is in no region %v", zh, me.end, me.errs, string(pat), D, regs)
				}
			}
		}
		if tried < 50 || narrowed < 25 {
			t.Fatalf("zh=%v: the filter was used %d times, narrowed the text %d times", zh, tried, narrowed)
		}
	}
}
