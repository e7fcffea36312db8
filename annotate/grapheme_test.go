package annotate

import (
	"errors"
	"testing"
)

func TestCheckGraphemes(t *testing.T) {
	// a b c d 🇨 🇳 e: the flag is code points 4–6.
	flag := "abcd🇨🇳e"
	// Two flags in a row pair up from the left: 🇨🇳|🇺🇸 at 0–2, 2–4.
	flags := "🇨🇳🇺🇸"
	// Family emoji: man ZWJ woman ZWJ girl, 5 code points at 1–6.
	zwj := "x👨\u200d👩\u200d👧y"
	// "e" + combining acute (not NFC-composable here: the test wants a cluster of two).
	comb := "cafe\u0301!"
	cases := []struct {
		text       string
		start, end int
		bad        int // offending position, -1 for none
		lo, hi     int
		msg        string
	}{
		{flag, 0, 4, -1, 0, 0, ""},
		{flag, 4, 6, -1, 0, 0, ""},
		{flag, 5, 7, 5, 4, 6, "position 5 splits the grapheme cluster 🇨🇳 (4–6); use 4 or 6"},
		{flag, 0, 5, 5, 4, 6, ""},
		{flags, 2, 4, -1, 0, 0, ""},
		{flags, 1, 4, 1, 0, 2, ""},
		{flags, 0, 3, 3, 2, 4, ""},
		{zwj, 1, 6, -1, 0, 0, ""},
		{zwj, 0, 3, 3, 1, 6, ""},
		{zwj, 2, 7, 2, 1, 6, ""},
		{comb, 0, 4, 4, 3, 5, ""},
		{comb, 0, 5, -1, 0, 0, ""},
		{"中文😀", 2, 3, -1, 0, 0, ""},
	}
	for _, c := range cases {
		err := CheckGraphemes(c.text, c.start, c.end)
		if c.bad < 0 {
			if err != nil {
				t.Errorf("%q %d–%d: %v", c.text, c.start, c.end, err)
			}
			continue
		}
		var ge *GraphemeSplitError
		if !errors.As(err, &ge) {
			t.Errorf("%q %d–%d: error %v, want a split at %d", c.text, c.start, c.end, err, c.bad)
			continue
		}
		if ge.Pos != c.bad || ge.Lo != c.lo || ge.Hi != c.hi {
			t.Errorf("%q %d–%d: split at %d (%d–%d), want %d (%d–%d)", c.text, c.start, c.end, ge.Pos, ge.Lo, ge.Hi, c.bad, c.lo, c.hi)
		}
		if c.msg != "" && err.Error() != c.msg {
			t.Errorf("message %q, want %q", err, c.msg)
		}
		s, e := SnapToGraphemes(c.text, c.start, c.end)
		if CheckGraphemes(c.text, s, e) != nil || s > c.start || e < c.end {
			t.Errorf("%q %d–%d snapped to %d–%d", c.text, c.start, c.end, s, e)
		}
	}
}

func BenchmarkCheckGraphemes(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		text := ""
		for len([]rune(text)) < n {
			text += "Officials said 🇨🇳 and 🇺🇸 agreed. 外交部发言人表示。👨\u200d👩\u200d👧\n"
		}
		end := len([]rune(text)) - 1
		b.Run(map[int]string{10000: "cp=10k", 100000: "cp=100k"}[n], func(b *testing.B) {
			for range b.N {
				CheckGraphemes(text, end-10, end)
			}
		})
	}
}
