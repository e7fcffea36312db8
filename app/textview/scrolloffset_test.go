package textview

import (
	"fmt"
	"strings"
	"testing"
)

// scrollText is long enough to scroll: wrapped English and Chinese
// paragraphs, numbered so a test can tell them apart.
func scrollText() string {
	var b strings.Builder
	for i := 0; i < 120; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, "Paragraph %d. The ministry said the talks on repatriation flights would continue next week, officials confirmed.\n", i)
		} else {
			fmt.Fprintf(&b, "第%d段。外交部发言人表示，两国将继续就遣返航班问题进行合作，双方同意进一步核实身份。\n", i)
		}
	}
	return b.String()
}

// topLine returns the [start, end) of the line drawn at the top of the view.
func topLine(tv *TextView) (int, int) {
	d := &tv.doc
	pi := tv.topPara
	pl := tv.lay.layout(d, pi)
	li := min(int(tv.topOff/tv.lay.m.lineH+0.5), len(pl.lines)-1)
	return d.paras[pi].start + pl.lines[li].start, d.paras[pi].start + pl.lines[li].end
}

func TestScrollOffsetRoundTrip(t *testing.T) {
	tv, _ := newView(t, scrollText(), 320, 240)
	if got := tv.ScrollOffset(); got != 0 {
		t.Fatalf("ScrollOffset at the top = %d, want 0", got)
	}
	for _, dy := range []float32{37, 410, 1333, 2900} {
		tv.SetScrollOffset(0)
		tv.scrollBy(dy)
		off := tv.ScrollOffset()
		if off <= 0 {
			t.Fatalf("after scrolling %v px ScrollOffset = %d", dy, off)
		}
		// The offset is a line start, and giving it back shows that line
		// at the top with no more than half a line of difference.
		y0 := tv.scrollY()
		tv.SetScrollOffset(off)
		if s, _ := topLine(tv); s != off {
			t.Fatalf("SetScrollOffset(%d) put the line starting at %d on top", off, s)
		}
		if d := tv.scrollY() - y0; d > float64(tv.lay.m.lineH)/2+0.5 || d < -float64(tv.lay.m.lineH)/2-0.5 {
			t.Fatalf("round trip moved the view %v px", d)
		}
		if got := tv.ScrollOffset(); got != off {
			t.Fatalf("ScrollOffset after SetScrollOffset(%d) = %d", off, got)
		}
	}
	// An offset inside a line scrolls to the start of that line.
	mid := strings.Index(scrollText(), "Paragraph 40.") + 30
	tv.SetScrollOffset(mid)
	if s, e := topLine(tv); mid < s || mid >= e {
		t.Fatalf("SetScrollOffset(%d): top line is %d–%d", mid, s, e)
	}
	// The end of the text cannot be at the top: the view stays filled.
	tv.SetScrollOffset(tv.Len())
	if off := tv.ScrollOffset(); off <= 0 || off >= tv.Len() {
		t.Fatalf("at the end ScrollOffset = %d of %d", off, tv.Len())
	}
	if tv.placed[len(tv.placed)-1].para != len(tv.doc.paras)-1 {
		t.Fatal("scrolled to the end, the last paragraph is not drawn")
	}
}

// The use it is made for: SetText resets the scroll, and the offset,
// moved by the length of an edit above it, brings the reader back to the
// same words.
func TestScrollOffsetSurvivesSetText(t *testing.T) {
	text := scrollText()
	tv, _ := newView(t, text, 320, 240)
	tv.SetScrollOffset(strings.Index(text, "第51段"))
	off := tv.ScrollOffset()
	want := string([]rune(text)[off : off+12])

	ins := "An editor's note added on top.\n"
	tv.SetText(ins + text)
	if tv.ScrollOffset() != 0 {
		t.Fatal("SetText kept the scroll position; the host restores it")
	}
	tv.SetScrollOffset(off + len([]rune(ins)))
	got := tv.ScrollOffset()
	if s := string([]rune(tv.Text())[got : got+12]); s != want {
		t.Fatalf("after the edit the top line starts %q, want %q", s, want)
	}
}

func TestScrollOffsetEmptyAndUnsized(t *testing.T) {
	tv := New()
	tv.SetScrollOffset(5) // no size, no text: no panic
	if tv.ScrollOffset() != 0 {
		t.Fatal("empty view has a scroll offset")
	}
	tv.SetText(scrollText())
	tv.SetScrollOffset(500) // not yet sized: laid out when it is
	tv2, _ := newView(t, "", 200, 100)
	tv2.SetScrollOffset(-3)
	if tv2.ScrollOffset() != 0 {
		t.Fatal("empty view has a scroll offset")
	}
}
