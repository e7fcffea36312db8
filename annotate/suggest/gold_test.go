package suggest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/internal/testshared"
)

type goldFile struct {
	About    string `json:"about"`
	Original string `json:"original"`
	Links    []struct {
		Summary  string   `json:"summary"`
		Evidence []string `json:"evidence"`
	} `json:"links"`
}

// runeSpans returns the code-point spans of every occurrence of sub in s.
func runeSpans(s, sub string) [][2]int {
	var out [][2]int
	for off := 0; ; {
		i := strings.Index(s[off:], sub)
		if i < 0 {
			return out
		}
		start := len([]rune(s[:off+i]))
		out = append(out, [2]int{start, start + len([]rune(sub))})
		off += i + len(sub)
	}
}

func overlaps(a Span, b [2]int) bool { return a.Start < b[1] && b[0] < a.End }

// TestGold measures suggestions against analysts' links: every gold file in
// ../shared/gold (002-summary-links.dev.json, and any held-out set dropped
// beside it in the same format). Each file says: a suggestion is right when
// the passage it points to overlaps one of the evidence strings.
//
//	P@1: share of summary sentences whose first candidate overlaps evidence.
//	R@3: share of evidence strings overlapped by one of the first three
//	     candidates (micro-averaged over all evidence strings; a sentence
//	     with two evidence strings needs both found).
func TestGold(t *testing.T) {
	dir := testshared.Path(t)
	files, _ := filepath.Glob(filepath.Join(dir, "gold", "*.json"))
	if len(files) == 0 {
		t.Skipf("no gold files in %s", filepath.Join(dir, "gold"))
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) { goldFileTest(t, dir, f) })
	}
}

func goldFileTest(t *testing.T, dir, path string) {
	name := filepath.Base(path)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var g goldFile
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(g.Links) == 0 {
		t.Skipf("%s: no links", name)
	}
	orig, err := os.ReadFile(filepath.Join(dir, "corpus", g.Original))
	if err != nil {
		t.Skipf("corpus file %s absent: %v", g.Original, err)
	}
	original := string(orig)
	var sums []string
	for _, l := range g.Links {
		sums = append(sums, l.Summary)
	}
	summary := strings.Join(sums, " ")
	got := Suggest(summary, original, Options{Max: 5})
	// Each gold sentence's place in the joined summary; if the splitter cuts
	// a gold sentence differently, it is judged by the suggestion that
	// covers most of it (and the difference is reported).
	if len(got) != len(g.Links) {
		t.Errorf("Sentences split the summary into %d sentences, gold has %d", len(got), len(g.Links))
	}
	byLink := make([]Suggestion, len(g.Links))
	off := 0
	for i, sm := range sums {
		n := len([]rune(sm))
		best := -1
		for _, sg := range got {
			ov := min(off+n, sg.Summary.End) - max(off, sg.Summary.Start)
			if ov > best {
				best, byLink[i] = ov, sg
			}
		}
		off += n + 1
	}
	hit1, evFound, evTotal, hit3 := 0, 0, 0, 0
	for i, l := range g.Links {
		var ev [][][2]int
		for _, e := range l.Evidence {
			sp := runeSpans(original, e)
			if len(sp) == 0 {
				t.Fatalf("link %d: evidence %q not found in %s", i, e, g.Original)
			}
			ev = append(ev, sp)
		}
		right := func(c Candidate) bool {
			for _, e := range ev {
				for _, sp := range e {
					if overlaps(c.Span, sp) {
						return true
					}
				}
			}
			return false
		}
		cs := byLink[i].Candidates
		if byLink[i].Summary.Text != l.Summary {
			t.Errorf("summary sentence %d = %q, want %q", i, byLink[i].Summary.Text, l.Summary)
		}
		mark := "MISS"
		if len(cs) > 0 && right(cs[0]) {
			hit1++
			mark = "ok"
		}
		any3 := false
		for _, e := range ev {
			evTotal++
			found := false
			for k := 0; k < len(cs) && k < 3; k++ {
				for _, sp := range e {
					if overlaps(cs[k].Span, sp) {
						found = true
					}
				}
			}
			if found {
				evFound++
				any3 = true
			}
		}
		if any3 {
			hit3++
		}
		t.Logf("[%s] %s", mark, l.Summary)
		for k := 0; k < len(cs) && k < 3; k++ {
			t.Logf("    %d. %.3f %s", k+1, cs[k].Score, clip(cs[k].Text, 60))
		}
	}
	n := float64(len(g.Links))
	p1 := float64(hit1) / n
	r3 := float64(evFound) / float64(evTotal)
	msg := fmt.Sprintf("gold %s: P@1 = %.3f (%d/%d), R@3 = %.3f (%d/%d evidence strings; %d/%d sentences with some evidence in top 3)",
		name, p1, hit1, len(g.Links), r3, evFound, evTotal, hit3, len(g.Links))
	t.Log(msg)
	if testing.Verbose() {
		fmt.Println(msg)
	}
	if p1 < 0.8 || r3 < 0.9 {
		t.Errorf("below the floor (P@1 ≥ 0.8, R@3 ≥ 0.9): %s", msg)
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
