package textview

import (
	"fmt"
	"image/color"
	"math/rand"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"gloss/annotate/lexicon"
)

// Sentences written for these tests (not from the corpus), in the style of
// the sources: Chinese with English names and numbers, and English.
var ownZh = []string{
	"外交部发言人周一表示，双方将继续在执法领域开展务实合作。",
	"报道称，今年以来经由南部边境入境的人数明显增加，引起各方关注。",
	"官员说：“我们已经就遣返程序进行了多轮技术性磋商。”",
	"据国土安全部（DHS）统计，2023财年共遣返约2,400人。",
	"分析人士认为，这一安排能否落实仍有待观察。",
	"双方同意建立定期沟通机制，并交换相关人员的身份核查信息。",
	"该声明还批评部分政客借移民问题抹黑中国。",
	"根据美国移民与海关执法局（ICE）的数据，包机于上周六抵达。",
}

var ownEn = []string{
	"The ministry said cooperation on law enforcement would continue.",
	"Officials described the talks as technical and constructive.",
	"A charter flight carrying 116 people landed on Saturday, according to ICE.",
	"Analysts cautioned that the arrangement had yet to be tested.",
}

// bigText builds about 2 MB of mixed text in about 10,000 paragraphs.
func bigText() string {
	rng := rand.New(rand.NewSource(1))
	var b strings.Builder
	for b.Len() < 2<<20 {
		n := 0
		for n < 200 {
			var s string
			if rng.Intn(14) == 0 {
				s = ownEn[rng.Intn(len(ownEn))] + " "
			} else {
				s = ownZh[rng.Intn(len(ownZh))]
			}
			b.WriteString(s)
			n += len(s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestBigTextShape(t *testing.T) {
	s := bigText()
	n, paras := utf8.RuneCountInString(s), strings.Count(s, "\n")
	if len(s) < 2<<20 || n < 600_000 || n > 900_000 || paras < 8_000 || paras > 14_000 {
		t.Fatalf("fixture: %d bytes, %d code points, %d paragraphs", len(s), n, paras)
	}
}

func TestVirtualisedAndScrollTo(t *testing.T) {
	text := bigText()
	tv, win := newView(t, text, 800, 600)
	if n := tv.lay.nLaidOut; n == 0 || n > 60 {
		t.Fatalf("first frame laid out %d paragraphs", n)
	}
	// Jump deep into the document.
	target := tv.doc.paras[7000].start + 20
	tv.ScrollTo(target)
	pi := tv.doc.paraAt(target)
	var y float32 = -1
	for _, pp := range tv.placed {
		if pp.para == pi {
			pl := tv.doc.paras[pi].lay
			y = pp.y + float32(pl.lineOf(target-tv.doc.paras[pi].start))*tv.lay.m.lineH
		}
	}
	if y < 0 || y > 600-tv.lay.m.lineH {
		t.Fatalf("ScrollTo: target line at y=%.1f, not in view", y)
	}
	if !tv.flash.active {
		t.Fatal("ScrollTo did not flash")
	}
	if n := tv.lay.nLaidOut; n > 150 {
		t.Fatalf("ScrollTo laid out %d paragraphs", n)
	}
	// The flash is drawn over the target line.
	img := win.Canvas().Capture()
	scale := float32(img.Bounds().Dx()) / win.Canvas().Size().Width
	got := img.At(int((tv.pad()+1)*scale), int((y+1)*scale))
	if sameColor(got, tv.palette().bg, 8) {
		t.Fatalf("no flash drawn at the target: %v", got)
	}
	// Wheel scrolling moves the text by exactly the scrolled amount.
	para0, y0 := tv.placed[1].para, tv.placed[1].y
	tv.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -7)})
	for _, pp := range tv.placed {
		if pp.para == para0 && pp.y != y0-7 {
			t.Fatalf("scrolled 7px, paragraph moved from %.2f to %.2f", y0, pp.y)
		}
	}
	// Scroll to the very end: the last paragraph ends at the bottom.
	tv.scrollBy(1e9)
	last := tv.placed[len(tv.placed)-1]
	if last.para != len(tv.doc.paras)-1 {
		t.Fatalf("end: last placed paragraph %d of %d", last.para, len(tv.doc.paras))
	}
	bottom := last.y + tv.doc.paras[last.para].lay.height
	if bottom < 600-tv.pad()-1 || bottom > 600 {
		t.Fatalf("end: last paragraph bottom at %.1f", bottom)
	}
	// And back to the top with Home.
	tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	if tv.topPara != 0 || tv.topOff != 0 || tv.placed[0].y != tv.pad() {
		t.Fatalf("home: %d %.1f", tv.topPara, tv.topOff)
	}
}

func TestScrollBarDrag(t *testing.T) {
	tv, _ := newView(t, bigText(), 800, 600)
	sb := tv.scroll
	total, view, _, h := sb.metrics()
	if h == 0 || total < 100*view {
		t.Fatalf("scroll bar metrics: total %.0f view %.0f thumb %.0f", total, view, h)
	}
	// Drag the thumb half way down.
	sb.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, float32(view-h)/2)})
	sb.DragEnd()
	frac := tv.scrollY() / (total - view)
	if frac < 0.45 || frac > 0.55 {
		t.Fatalf("thumb half way: scrolled to %.2f of the document", frac)
	}
	if tv.topPara < len(tv.doc.paras)/3 || tv.topPara > 2*len(tv.doc.paras)/3 {
		t.Fatalf("top paragraph %d of %d", tv.topPara, len(tv.doc.paras))
	}
}

func TestResizeKeepsAnchor(t *testing.T) {
	tv, win := newView(t, bigText(), 800, 600)
	tv.ScrollTo(tv.doc.paras[500].start)
	top := tv.topPara
	win.Resize(fyne.NewSize(500, 600))
	tv.Resize(fyne.NewSize(500, 600))
	if tv.topPara != top {
		t.Fatalf("resize moved the anchor paragraph %d → %d", top, tv.topPara)
	}
	checkWrap(t, tv, "resized")
}

func TestOverlappingHighlightsBothVisible(t *testing.T) {
	text := "第一段：美国与中国就遣返问题进行磋商。Both sides met in Vienna."
	tv, win := newView(t, text, 900, 120)
	a := color.NRGBA{R: 230, G: 40, B: 40, A: 255}
	b := color.NRGBA{R: 40, G: 40, B: 230, A: 255}
	tv.SetHighlights([]Highlight{{ID: "a", Start: 4, End: 20, Color: a}, {ID: "b", Start: 10, End: 30, Color: b}})
	img := win.Canvas().Capture()
	scale := float32(img.Bounds().Dx()) / win.Canvas().Size().Width
	rs := []rune(text)
	x := (drawnX(tv, rs, 14) + drawnX(tv, rs, 15)) / 2
	p := tv.palette()
	var sawA, sawB bool
	for y := tv.pad(); y < tv.pad()+tv.lay.m.lineH; y++ {
		c := img.At(int(x*scale), int(y*scale))
		sawA = sawA || sameColor(c, blend(p.bg, bandColor(a, p)), 10)
		sawB = sawB || sameColor(c, blend(p.bg, bandColor(b, p)), 10)
	}
	if !sawA || !sawB {
		t.Fatalf("overlap region shows a=%v b=%v", sawA, sawB)
	}
	// More overlaps than bands: a neutral "more" band is drawn.
	var hs []Highlight
	for i := 0; i < 6; i++ {
		hs = append(hs, Highlight{ID: fmt.Sprint(i), Start: 10, End: 12 + i, Color: a})
	}
	tv.SetHighlights(hs)
	more := 0
	for _, o := range tv.renderer.Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.FillColor == p.more {
			more++
		}
	}
	if more == 0 {
		t.Fatal("no 'more' band for six overlapping highlights")
	}
}

// ---- benchmarks ----

func benchView(b *testing.B) (*TextView, string) {
	test.NewTempApp(b)
	lexicon.Preload() // not part of any frame
	return nil, bigText()
}

// startCPU reports CPU time per operation as well as wall time: the build
// machine is shared, and wall time there mostly measures the neighbours.
func startCPU(b *testing.B) {
	t0 := cpuTime()
	b.Cleanup(func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-t0)/float64(b.N), "cpu-ns/op")
		}
	})
	b.ResetTimer()
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkDecode is the baseline: decoding the 2 MB text to code points.
func BenchmarkDecode(b *testing.B) {
	s := bigText()
	b.SetBytes(int64(len(s)))
	startCPU(b)
	for b.Loop() {
		rs := []rune(s)
		_ = rs
	}
}

// BenchmarkFirstFrame: a new view, SetText of 2 MB, size, one frame built.
func BenchmarkFirstFrame(b *testing.B) {
	_, s := benchView(b)
	b.SetBytes(int64(len(s)))
	startCPU(b)
	for b.Loop() {
		tv := New()
		tv.SetText(s)
		tv.Resize(fyne.NewSize(1000, 700)) // lays out and builds the frame
		if len(tv.placed) == 0 {
			b.Fatal("nothing drawn")
		}
	}
}

// BenchmarkResize: re-layout of the visible text on a width change.
func BenchmarkResize(b *testing.B) {
	_, s := benchView(b)
	tv := New()
	tv.SetText(s)
	tv.Resize(fyne.NewSize(1000, 700))
	tv.ScrollTo(len(tv.doc.text) / 2)
	w := float32(1000)
	startCPU(b)
	for b.Loop() {
		w = 1900 - w // alternate 1000 and 900
		tv.Resize(fyne.NewSize(w, 700))
	}
}

// BenchmarkScroll: one wheel step of three lines through laid-out text.
func BenchmarkScroll(b *testing.B) {
	_, s := benchView(b)
	tv := New()
	tv.SetText(s)
	tv.Resize(fyne.NewSize(1000, 700))
	startCPU(b)
	for b.Loop() {
		tv.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -3*tv.lineHeight)})
	}
}

func manyHighlights(n, span, docLen int) []Highlight {
	rng := rand.New(rand.NewSource(2))
	cols := []color.Color{color.NRGBA{255, 200, 0, 255}, color.NRGBA{0, 160, 255, 255}, color.NRGBA{230, 60, 60, 255}, color.NRGBA{60, 200, 90, 255}}
	hs := make([]Highlight, n)
	for i := range hs {
		s := rng.Intn(min(span, docLen-60))
		hs[i] = Highlight{ID: fmt.Sprint("h", i), Start: s, End: s + 2 + rng.Intn(40), Color: cols[i%4], Tooltip: "code"}
	}
	return hs
}

// BenchmarkFrame5000Highlights: one frame with 5,000 highlights, spread over
// the document or all packed into the first screens (worst case).
func BenchmarkFrame5000Highlights(b *testing.B) {
	for _, c := range []struct {
		name string
		span int
	}{{"spread", 1 << 30}, {"dense", 20000}} {
		b.Run(c.name, func(b *testing.B) {
			_, s := benchView(b)
			tv := New()
			tv.SetText(s)
			tv.Resize(fyne.NewSize(1000, 700))
			tv.SetHighlights(manyHighlights(5000, c.span, tv.Len()))
			tv.SetFocused("h7")
			tv.SetSelection(100, 400)
			startCPU(b)
			for b.Loop() {
				tv.Refresh()
			}
		})
	}
}

func TestParagraphWithoutBreaksIsChunked(t *testing.T) {
	s := strings.ReplaceAll(bigText(), "\n", "")
	tv, _ := newView(t, s, 800, 600)
	if n := tv.lay.nLaidOut; n > 5 {
		t.Fatalf("laid out %d chunks for the first frame", n)
	}
	if len(tv.doc.paras) < 100 {
		t.Fatalf("a 2 MB paragraph was not chunked: %d", len(tv.doc.paras))
	}
	for i, p := range tv.doc.paras[:len(tv.doc.paras)-1] {
		if !p.cont || p.end != tv.doc.paras[i+1].start || p.end-p.start > maxChunk {
			t.Fatalf("chunk %d: %+v", i, p)
		}
	}
	// Triple-click selects the whole paragraph, not a chunk.
	at := fyne.NewPos(tv.pad()+20, tv.pad()+tv.lay.m.lineH/2)
	click(tv, at, 0)
	clickAgain(tv, at, 0)
	clickAgain(tv, at, 0)
	if st, e := tv.Selection(); st != 0 || e != tv.Len() {
		t.Fatalf("triple-click in a chunked paragraph: [%d,%d) of %d", st, e, tv.Len())
	}
	if tv.SelectedText() != s {
		t.Fatal("selected text differs from the source")
	}
}
