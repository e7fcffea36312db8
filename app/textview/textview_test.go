package textview

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/clipperhouse/uax29/v2/graphemes"
)

// graphemeStarts returns the code point offsets of grapheme boundaries in s,
// computed by an independent UAX #29 implementation.
func graphemeStarts(s string) map[int]bool {
	b := map[int]bool{}
	it := graphemes.FromString(s)
	for it.Next() {
		b[utf8.RuneCountInString(s[:it.Start()])] = true
	}
	b[utf8.RuneCountInString(s)] = true
	return b
}

// Where Fyne itself draws the boundary before code point k of a single
// unwrapped line: the shaped width of the prefix.
func drawnX(tv *TextView, rs []rune, k int) float32 {
	return tv.pad() + fyne.MeasureText(string(rs[:k]), tv.lay.m.size, fyne.TextStyle{}).Width
}

func TestDragSelectsCodePoints(t *testing.T) {
	cases := []struct{ name, text string }{
		{"english", "The spokesman said the Chinese side firmly opposes smuggling."},
		{"chinese", "中国政府一贯反对任何形式的偷渡活动，并坚决依法打击。"},
		{"mixed", "美国国土安全部长马约卡斯(Alejandro Mayorkas)表示，情况“可能正在改变”。"},
		{"outside BMP", "古字𠀀𠀁与表情😀👍🏽和家庭👨‍👩‍👧在𝐀𝐁里。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tv, _ := newView(t, c.text, 1400, 200)
			rs := []rune(c.text)
			if n := len(tv.doc.paras[0].lay.lines); n != 1 {
				t.Fatalf("expected one line, got %d", n)
			}
			gb := graphemeStarts(c.text)
			var bounds []int
			for k := 0; k <= len(rs); k++ {
				if gb[k] {
					bounds = append(bounds, k)
				}
			}
			y := tv.pad() + tv.lay.m.lineH/2
			// Drag between every pair of boundaries a few apart, aiming a
			// third of a glyph inside, where Fyne draws the glyphs.
			for ai := 0; ai+1 < len(bounds); ai += 2 {
				for bi := ai + 1; bi < len(bounds); bi += 3 {
					a, b := bounds[ai], bounds[bi]
					xa := drawnX(tv, rs, a) + (drawnX(tv, rs, bounds[ai+1])-drawnX(tv, rs, a))/3
					xb := drawnX(tv, rs, b) - (drawnX(tv, rs, b)-drawnX(tv, rs, bounds[bi-1]))/3
					dragSel(tv, fyne.NewPos(xa, y), fyne.NewPos(xb, y))
					s, e := tv.Selection()
					if s != a || e != b {
						t.Fatalf("drag %.1f→%.1f: selection [%d,%d) %q, want [%d,%d) %q",
							xa, xb, s, e, string(rs[s:e]), a, b, string(rs[a:b]))
					}
					// And backwards.
					dragSel(tv, fyne.NewPos(xb, y), fyne.NewPos(xa, y))
					if s2, e2 := tv.Selection(); s2 != a || e2 != b {
						t.Fatalf("backward drag: [%d,%d), want [%d,%d)", s2, e2, a, b)
					}
				}
			}
			// A drag that ends inside any glyph never splits a grapheme.
			for x := tv.pad(); x < drawnX(tv, rs, len(rs)); x += 1.7 {
				dragSel(tv, fyne.NewPos(tv.pad(), y), fyne.NewPos(x, y))
				if _, e := tv.Selection(); !gb[e] {
					t.Fatalf("selection end %d at x=%.1f splits a grapheme", e, x)
				}
			}
		})
	}
}

func TestDragAcrossLinesAndShiftClick(t *testing.T) {
	text := "First paragraph of English text.\n第二段中文文字。\nThird one."
	tv, _ := newView(t, text, 600, 300)
	var got [][2]int
	tv.OnSelectionChanged = func(s, e int) { got = append(got, [2]int{s, e}) }
	pad, lh := tv.pad(), tv.lay.m.lineH
	p1 := tv.placed[1].y + lh/2
	p2 := tv.placed[2].y + lh/2
	dragSel(tv, fyne.NewPos(pad+1, pad+lh/2), fyne.NewPos(pad+1, p2))
	if s, e := tv.Selection(); s != 0 || e != tv.doc.paras[2].start {
		t.Fatalf("multi-paragraph drag: [%d,%d), want [0,%d)", s, e, tv.doc.paras[2].start)
	}
	if len(got) == 0 || got[len(got)-1] != [2]int{0, tv.doc.paras[2].start} {
		t.Fatalf("OnSelectionChanged not reported: %v", got)
	}
	// Click in paragraph 2, shift-click at the end of paragraph 3.
	click(tv, fyne.NewPos(pad+1, p1), 0)
	click(tv, fyne.NewPos(500, p2), fyne.KeyModifierShift)
	if s, e := tv.Selection(); s != tv.doc.paras[1].start || e != len([]rune(text)) {
		t.Fatalf("shift-click: [%d,%d), want [%d,%d)", s, e, tv.doc.paras[1].start, len([]rune(text)))
	}
	if got := tv.SelectedText(); got != "第二段中文文字。\nThird one." {
		t.Fatalf("selected text %q", got)
	}
}

func TestDoubleAndTripleClick(t *testing.T) {
	text := "Analysts compare sources.\n美国国土安全部长表示，中美正在进行高层讨论。"
	tv, _ := newView(t, text, 800, 200)
	pad, lh := tv.pad(), tv.lay.m.lineH
	rs := []rune(text)
	// Double-click inside "compare".
	x := drawnX(tv, rs, 10) + 2
	click(tv, fyne.NewPos(x, pad+lh/2), 0)
	clickAgain(tv, fyne.NewPos(x, pad+lh/2), 0)
	if got := tv.SelectedText(); got != "compare" {
		t.Fatalf("double-click selected %q, want compare", got)
	}
	// Chinese: a dictionary word, not one character.
	p2 := []rune(strings.Split(text, "\n")[1])
	y2 := tv.placed[1].y + lh/2
	k := strings.Index(string(p2), "讨论")
	k = utf8.RuneCountInString(string(p2)[:k])
	xk := pad + fyne.MeasureText(string(p2[:k+1]), tv.lay.m.size, fyne.TextStyle{}).Width + 3 // on 论
	click(tv, fyne.NewPos(xk, y2), 0)
	clickAgain(tv, fyne.NewPos(xk, y2), 0)
	if got := tv.SelectedText(); got != "讨论" {
		t.Fatalf("double-click on 论 selected %q, want the word 讨论", got)
	}
	// A custom segmenter is used for words.
	tv.WordBoundary = func(text []rune, i int) (int, int) { return 0, 2 }
	x2 := pad + fyne.MeasureText(string(p2[:1]), tv.lay.m.size, fyne.TextStyle{}).Width + 2
	click(tv, fyne.NewPos(x2, y2), 0)
	clickAgain(tv, fyne.NewPos(x2, y2), 0)
	if got := tv.SelectedText(); got != "美国" {
		t.Fatalf("double-click with WordBoundary selected %q, want 美国", got)
	}
	clickAgain(tv, fyne.NewPos(x2, y2), 0)
	if got := tv.SelectedText(); got != string(p2) {
		t.Fatalf("triple-click selected %q, want the paragraph", got)
	}
}

func TestCopyAndSelectAll(t *testing.T) {
	text := "Line one 一\r\nLine two 😀"
	tv, _ := newView(t, text, 400, 200)
	tv.TypedShortcut(&fyne.ShortcutSelectAll{})
	if s, e := tv.Selection(); s != 0 || e != utf8.RuneCountInString(text) {
		t.Fatalf("select all: [%d,%d)", s, e)
	}
	cb := fyne.CurrentApp().Clipboard()
	tv.TypedShortcut(&fyne.ShortcutCopy{Clipboard: cb})
	if cb.Content() != text {
		t.Fatalf("copied %q", cb.Content())
	}
	tv.SetSelection(9, 10)
	tv.TypedShortcut(&fyne.ShortcutCopy{Clipboard: cb})
	if cb.Content() != "一" {
		t.Fatalf("copied %q, want 一", cb.Content())
	}
}

func TestKeysReachHost(t *testing.T) {
	tv, _ := newView(t, "text", 300, 100)
	var runes []rune
	var keys []fyne.KeyName
	tv.OnRune = func(r rune) bool { runes = append(runes, r); return true }
	tv.OnKey = func(e *fyne.KeyEvent) bool { keys = append(keys, e.Name); return true }
	test.Type(tv, "1h")
	tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF2})
	tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown}) // used by the view
	if string(runes) != "1h" || len(keys) != 1 || keys[0] != fyne.KeyF2 {
		t.Fatalf("runes %q keys %v", string(runes), keys)
	}
	var sc []string
	tv.OnShortcut = func(s fyne.Shortcut) bool { sc = append(sc, s.ShortcutName()); return true }
	tv.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierControl})
	if len(sc) != 1 {
		t.Fatalf("unhandled shortcut not passed on: %v", sc)
	}
}

func TestZoomKeys(t *testing.T) {
	tv, _ := newView(t, strings.Repeat("Zoom changes the text size. ", 40), 500, 300)
	h0 := tv.lay.m.lineH
	lines0 := len(tv.doc.paras[0].lay.lines)
	ctrl := func(k fyne.KeyName) {
		tv.TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl})
	}
	ctrl(fyne.KeyEqual)
	ctrl(fyne.KeyEqual)
	if tv.Zoom() <= 1.2 || tv.lay.m.lineH <= h0 {
		t.Fatalf("zoom in: zoom %.2f line height %.1f (was %.1f)", tv.Zoom(), tv.lay.m.lineH, h0)
	}
	if n := len(tv.doc.paras[0].lay.lines); n <= lines0 {
		t.Fatalf("zoomed text should wrap into more lines: %d vs %d", n, lines0)
	}
	ctrl(fyne.KeyMinus)
	ctrl(fyne.KeyMinus)
	ctrl(fyne.KeyMinus)
	if tv.Zoom() >= 1 {
		t.Fatalf("zoom out: %.2f", tv.Zoom())
	}
	ctrl(fyne.Key0)
	if tv.Zoom() != 1 || tv.lay.m.lineH != h0 {
		t.Fatalf("reset zoom: %.2f %.1f", tv.Zoom(), tv.lay.m.lineH)
	}
	tv.SetZoom(100)
	if tv.Zoom() != MaxZoom {
		t.Fatalf("zoom not clamped: %v", tv.Zoom())
	}
}

// checkWrap verifies the wrapping rules on every laid-out paragraph.
func checkWrap(t *testing.T, tv *TextView, label string) {
	t.Helper()
	d := &tv.doc
	for pi := range d.paras {
		para := d.paras[pi]
		rs := d.text[para.start:para.end]
		pl := tv.lay.layout(d, pi)
		gb := graphemeStarts(string(rs))
		for li, ln := range pl.lines {
			if li > 0 {
				if !gb[ln.start] {
					t.Fatalf("%s: paragraph %d line %d starts inside a grapheme at %d", label, pi, li, ln.start)
				}
				if ln.start < len(rs) && strings.ContainsRune("，。、」）！？：；,.!?)", rs[ln.start]) {
					t.Fatalf("%s: paragraph %d line %d starts with %q: %q", label, pi, li, rs[ln.start], string(rs[ln.start:ln.end]))
				}
				prev := rs[ln.start-1]
				if strings.ContainsRune("（「“(", prev) {
					t.Fatalf("%s: paragraph %d line %d ends with opening %q", label, pi, li-1, prev)
				}
				// Latin words are not split: a break between two letters
				// needs a word too long for the line.
				if unicode.IsLetter(prev) && prev < 0x2E80 && ln.start < len(rs) && unicode.IsLetter(rs[ln.start]) && rs[ln.start] < 0x2E80 {
					w := pl.lines[li-1].width
					if w < tv.lay.width*0.8 {
						t.Fatalf("%s: paragraph %d splits a word at %d: %q|%q", label, pi, ln.start,
							string(rs[max(0, ln.start-10):ln.start]), string(rs[ln.start:min(len(rs), ln.start+10)]))
					}
				}
			}
			if ln.width > tv.lay.width+0.5 && ln.visEnd-ln.start > 1 {
				t.Fatalf("%s: paragraph %d line %d is %.1f wide, column %.1f", label, pi, li, ln.width, tv.lay.width)
			}
		}
		if last := pl.lines[len(pl.lines)-1]; last.end != len(rs) {
			t.Fatalf("%s: paragraph %d lines end at %d of %d", label, pi, last.end, len(rs))
		}
	}
}

func TestWrapRules(t *testing.T) {
	own := "他说：“我们一直在合作，实际接收我们确定没有资格留在美国的人。”报道说，这一情况变得尤为重要！（图3）" +
		"Emoji 👨‍👩‍👧‍👦 families and flags 🇨🇳🇺🇸 and e\u0301 combining marks, 𠀀𠀁𠀂𠀃 outside the BMP, " +
		"and a very long token https://example.org/a/very/long/path/without/any/spaces/at/all/that/must/be/broken/somewhere/ok"
	texts := map[string]string{"own": strings.Repeat(own+"\n", 3)}
	if corpusExists() {
		for _, f := range []string{"000_e4b40ca108dca221.txt", "002_6003477fc6787941.txt", "004_82ae95fbb479be6d.txt"} {
			texts[f] = readCorpus(t, f)
		}
	}
	for name, text := range texts {
		for _, w := range []float32{120, 173, 260, 411, 650, 997} {
			tv, _ := newView(t, text, w, 400)
			checkWrap(t, tv, fmt.Sprintf("%s@%v", name, w))
		}
	}
}

func TestEmergencyBreakKeepsPunctuation(t *testing.T) {
	// A run without break opportunities, forced to break.
	text := strings.Repeat("x", 30) + "，" + strings.Repeat("y", 30)
	tv, _ := newView(t, text, 200, 300)
	checkWrap(t, tv, "emergency")
	if n := len(tv.doc.paras[0].lay.lines); n < 2 {
		t.Fatalf("long token not broken: %d lines", n)
	}
}

// pixel returns the colour at a point of the rendered window.
func pixel(img image.Image, x, y float32) color.Color {
	return img.At(int(x+0.5), int(y+0.5))
}

func TestHighlightsLandOnGlyphs(t *testing.T) {
	text := "美国国土安全部长马约卡斯(Mayorkas)表示，中国正在改变。"
	tv, win := newView(t, text, 900, 120)
	rs := []rune(text)
	red := color.NRGBA{R: 255, A: 255}
	blue := color.NRGBA{B: 255, A: 255}
	// "马约卡斯" and "Mayorkas)表示" overlap on nothing; "卡斯(Mayorkas" overlaps both.
	tv.SetHighlights([]Highlight{
		{ID: "a", Start: 8, End: 12, Color: red},
		{ID: "b", Start: 10, End: 22, Color: blue},
	})
	img := win.Canvas().Capture()
	scale := float32(img.Bounds().Dx()) / win.Canvas().Size().Width
	pad, lh := tv.pad(), tv.lay.m.lineH
	top := pad + 0.5
	bottom := pad + lh - 1
	p := tv.palette()
	redBand := blend(p.bg, bandColor(red, p))
	blueBand := blend(p.bg, bandColor(blue, p))
	at := func(k int, y float32) color.Color {
		// Halfway across glyph k, in the top or bottom band.
		x := (drawnX(tv, rs, k) + drawnX(tv, rs, k+1)) / 2
		// Sample the background beside the ink: scan a few pixels.
		return pixel(img, x*scale, y*scale)
	}
	for k := 0; k < len(rs); k++ {
		wantTop, wantBottom := color.Color(p.bg), color.Color(p.bg)
		switch {
		case k >= 8 && k < 10:
			wantTop, wantBottom = redBand, redBand
		case k >= 10 && k < 12:
			wantTop, wantBottom = redBand, blueBand // stacked: red above, blue below
		case k >= 12 && k < 22:
			wantTop, wantBottom = blueBand, blueBand
		}
		if got := at(k, top); !sameColor(got, wantTop, 12) {
			t.Errorf("glyph %d %q top: %v, want %v", k, rs[k], got, wantTop)
		}
		if got := at(k, bottom); !sameColor(got, wantBottom, 12) {
			t.Errorf("glyph %d %q bottom: %v, want %v", k, rs[k], got, wantBottom)
		}
	}
	// The band edges sit on the glyph boundaries where Fyne draws them.
	edge := drawnX(tv, rs, 8)
	if got := pixel(img, (edge-1.5)*scale, top*scale); !sameColor(got, p.bg, 12) {
		t.Errorf("band starts before glyph 8: %v", got)
	}
	if got := pixel(img, (edge+1.5)*scale, top*scale); !sameColor(got, redBand, 12) {
		t.Errorf("band does not start at glyph 8: %v", got)
	}
}

// blend composes straight-alpha src over opaque dst.
func blend(dst, src color.Color) color.Color {
	d := color.NRGBAModel.Convert(dst).(color.NRGBA)
	s := color.NRGBAModel.Convert(src).(color.NRGBA)
	a := float64(s.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(float64(x)*(1-a) + float64(y)*a + 0.5) }
	return color.NRGBA{mix(d.R, s.R), mix(d.G, s.G), mix(d.B, s.B), 255}
}

func TestFocusedOutlineAndTooltipAndTap(t *testing.T) {
	text := "Officials said talks were under way. 官员说会谈正在进行。"
	tv, _ := newView(t, text, 700, 150)
	tv.SetHighlights([]Highlight{
		{ID: "h1", Start: 0, End: 9, Tooltip: "CODE: claim\nstance: supportive"},
		{ID: "h2", Start: 5, End: 20, Tooltip: "CODE: process"},
		{ID: "h3", Start: 37, End: 42, Tooltip: "CODE: 中文"},
	})
	rs := []rune(text)
	y := tv.pad() + tv.lay.m.lineH/2
	mid := func(k int) float32 { return (drawnX(tv, rs, k) + drawnX(tv, rs, k+1)) / 2 }

	var tapped []string
	tv.OnHighlightTapped = func(id string) { tapped = append(tapped, id); tv.SetFocused(id) }
	click(tv, fyne.NewPos(mid(6), y), 0)    // h1 and h2: the shorter first
	click(tv, fyne.NewPos(mid(6), y+1), 0)  // then cycles
	click(tv, fyne.NewPos(mid(39), y), 0)   // Chinese
	click(tv, fyne.NewPos(mid(30), y-1), 0) // no highlight
	if strings.Join(tapped, ",") != "h1,h2,h3" {
		t.Fatalf("tapped %v", tapped)
	}
	// A drag selecting text is not a tap.
	tapped = nil
	dragSel(tv, fyne.NewPos(mid(1), y), fyne.NewPos(mid(4), y))
	tv.Tapped(&fyne.PointEvent{Position: fyne.NewPos(mid(4), y)})
	if len(tapped) != 0 {
		t.Fatalf("drag reported as tap: %v", tapped)
	}

	// Outline of the focused highlight h3 spans its glyphs.
	tv.SetSelection(0, 0)
	tv.SetFocused("h3")
	var outline *fyne.Position
	var outlineW float32
	for _, o := range tv.renderer.Objects() {
		if rect, ok := o.(*canvas.Rectangle); ok && rect.StrokeWidth > 0 && rect.FillColor == color.Transparent {
			p := rect.Position()
			outline, outlineW = &p, rect.Size().Width
		}
	}
	if outline == nil {
		t.Fatal("no outline for the focused highlight")
	}
	if d := outline.X + 2 - drawnX(tv, rs, 37); d < -1.5 || d > 1.5 {
		t.Errorf("outline starts at %.1f, glyph at %.1f", outline.X+2, drawnX(tv, rs, 37))
	}
	if d := outline.X + outlineW - 2 - drawnX(tv, rs, 42); d < -1.5 || d > 1.5 {
		t.Errorf("outline ends at %.1f, glyph at %.1f", outline.X+outlineW-2, drawnX(tv, rs, 42))
	}

	// Hover shows the tooltips of both highlights under the mouse.
	tv.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(mid(7), y)}})
	texts := visibleTexts(tv)
	if !strings.Contains(texts, "stance: supportive") || !strings.Contains(texts, "CODE: process") {
		t.Fatalf("tooltip not shown: %q", texts)
	}
	tv.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(mid(30), y)}})
	if strings.Contains(visibleTexts(tv), "CODE") {
		t.Fatal("tooltip stays off the highlight")
	}
	tv.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(mid(38), y)}})
	if !strings.Contains(visibleTexts(tv), "CODE: 中文") {
		t.Fatal("tooltip for Chinese highlight not shown")
	}
	tv.MouseOut()
	if strings.Contains(visibleTexts(tv), "CODE") {
		t.Fatal("tooltip stays after mouse out")
	}
}

func visibleTexts(tv *TextView) string {
	var b strings.Builder
	for _, o := range tv.renderer.Objects() {
		if t, ok := o.(*canvas.Text); ok {
			b.WriteString(t.Text)
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestThemeColours(t *testing.T) {
	tv, _ := newView(t, "Colours follow the theme.", 400, 100)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := theme.DefaultTheme()
		test.ApplyTheme(t, &variantTheme{Theme: th, v: v})
		tv.Refresh()
		want := th.Color(theme.ColorNameForeground, v)
		found := false
		for _, o := range tv.renderer.Objects() {
			if txt, ok := o.(*canvas.Text); ok && txt.Text == "Colours follow the theme." {
				found = true
				if !sameColor(txt.Color, want, 0) {
					t.Errorf("variant %d: text colour %v, want %v", v, txt.Color, want)
				}
			}
		}
		if !found {
			t.Fatal("text not drawn")
		}
	}
}

type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t *variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// sizedTheme changes the text size, as a user's theme or scale would.
type sizedTheme struct {
	fyne.Theme
	text float32
}

func (t *sizedTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return t.text
	}
	return t.Theme.Size(n)
}

func TestThemeChangeRelayouts(t *testing.T) {
	tv, _ := newView(t, strings.Repeat("Theme changes re-layout the text 文字. ", 30), 500, 300)
	lines0, h0 := len(tv.doc.paras[0].lay.lines), tv.lay.m.lineH
	test.ApplyTheme(t, &sizedTheme{Theme: theme.DefaultTheme(), text: 20})
	tv.Refresh()
	if tv.lay.m.lineH <= h0 || len(tv.doc.paras[0].lay.lines) <= lines0 {
		t.Fatalf("after a larger theme text size: line height %.1f (was %.1f), lines %d (was %d)",
			tv.lay.m.lineH, h0, len(tv.doc.paras[0].lay.lines), lines0)
	}
	checkWrap(t, tv, "theme 20")
}

func TestContextMenuCopy(t *testing.T) {
	tv, win := newView(t, "Copy me 复制我", 400, 200)
	tv.SetSelection(8, 11)
	tv.TappedSecondary(&fyne.PointEvent{Position: fyne.NewPos(20, 20), AbsolutePosition: fyne.NewPos(20, 20)})
	ov := win.Canvas().Overlays().Top()
	if ov == nil {
		t.Fatal("no context menu")
	}
	if !strings.Contains(test.RenderToMarkup(win.Canvas()), "Copy") {
		t.Fatal("menu has no Copy item")
	}
}

func TestShiftArrowsAdjustSelection(t *testing.T) {
	text := "ab👍🏽cd\n第二行文字"
	tv, _ := newView(t, text, 400, 200)
	tv.SetSelection(1, 2)
	tv.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	right := func() { tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight}) }
	right() // over the whole emoji with its skin tone
	if s, e := tv.Selection(); s != 1 || e != 4 {
		t.Fatalf("shift+right over emoji: [%d,%d)", s, e)
	}
	right()
	right()
	right() // across the paragraph break
	if s, e := tv.Selection(); s != 1 || e != 7 {
		t.Fatalf("shift+right to next paragraph: [%d,%d)", s, e)
	}
	tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) // stays in last line: no move
	tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if _, e := tv.Selection(); e > 6 {
		t.Fatalf("shift+up: end %d", e)
	}
	tv.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	var keys []fyne.KeyName
	tv.OnKey = func(e *fyne.KeyEvent) bool { keys = append(keys, e.Name); return true }
	tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if len(keys) != 1 {
		t.Fatalf("plain arrow not passed to host: %v", keys)
	}
}

func TestParagraphSplitting(t *testing.T) {
	var d document
	d.set("a\r\nb\rc\nd\u2029e\u0085f\n\n")
	var got []string
	for _, p := range d.paras {
		got = append(got, string(d.text[p.start:p.end]))
	}
	if strings.Join(got, "|") != "a|b|c|d|e|f||" {
		t.Fatalf("paragraphs %q", got)
	}
	if d.paras[1].start != 3 || d.paraAt(2) != 0 || d.paraAt(3) != 1 {
		t.Fatalf("offsets: %+v, paraAt(2)=%d", d.paras[:2], d.paraAt(2))
	}
	d.set("中文abc\n")
	if d.paras[0].wide != 2 {
		t.Fatalf("wide count %d", d.paras[0].wide)
	}
}

func TestEmptyAndTinyViewsDoNotPanic(t *testing.T) {
	test.NewTempApp(t)
	tv := New()
	at := fyne.NewPos(5, 5)
	for i := 0; i < 3; i++ {
		clickAgain(tv, at, 0)
	}
	tv.ScrollTo(10)
	tv.ScrollToRange(-5, 99)
	tv.TypedShortcut(&fyne.ShortcutSelectAll{})
	tv.TypedShortcut(&fyne.ShortcutCopy{Clipboard: fyne.CurrentApp().Clipboard()})
	tv.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	tv.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -50)})
	win := test.NewTempWindow(t, tv)
	for _, sz := range []fyne.Size{{Width: 0, Height: 0}, {Width: 3, Height: 3}, {Width: 30, Height: 500}} {
		win.Resize(sz)
		tv.Resize(sz)
		tv.SetText("窄窄的视图 narrow view 👨‍👩‍👧 " + strings.Repeat("长", 50))
		tv.SetHighlights([]Highlight{{ID: "x", Start: -3, End: 1000}, {ID: "y", Start: 5, End: 2}})
		dragSel(tv, fyne.NewPos(-10, -10), fyne.NewPos(100, 900))
		for i := 0; i < 3; i++ {
			clickAgain(tv, at, 0)
		}
		tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
		tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
		tv.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at}})
		tv.ScrollTo(tv.Len())
	}
	if tv.hl.hs[0].End != tv.Len() || tv.hl.hs[1].Start != 2 {
		t.Fatalf("highlights not clamped/normalised: %+v", tv.hl.hs)
	}
}

func TestDoubleClickDragExtendsByWords(t *testing.T) {
	text := "中美正在进行高层讨论 and analysts compare sources"
	tv, _ := newView(t, text, 900, 100)
	rs := []rune(text)
	y := tv.pad() + tv.lay.m.lineH/2
	mid := func(k int) float32 { return (drawnX(tv, rs, k) + drawnX(tv, rs, k+1)) / 2 }
	// Double-click on 行 (word 进行), then drag into "analysts".
	click(tv, fyne.NewPos(mid(5), y), 0)
	tv.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(mid(5), y)}, Button: desktop.MouseButtonPrimary})
	tv.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(mid(17), y)}})
	tv.DragEnd()
	if got := tv.SelectedText(); got != "进行高层讨论 and analysts" {
		t.Fatalf("double-click drag selected %q", got)
	}
	// And backwards into 中美.
	tv.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(mid(1), y)}})
	if got := tv.SelectedText(); got != "中美正在进行" {
		t.Fatalf("backward double-click drag selected %q", got)
	}
}
