package lexicon

import (
	"runtime"
	"strings"
	"testing"
)

func words(s string) []string {
	r := []rune(s)
	var out []string
	for _, w := range Segment(r) {
		out = append(out, string(r[w[0]:w[1]]))
	}
	return out
}

func TestLoads(t *testing.T) {
	if err := Err(); err != nil {
		t.Fatalf("embedded dictionary: %v", err)
	}
	for _, w := range []string{"中国", "中國", "大使馆", "大使館", "驱逐", "移民"} {
		if !IsWord(w) {
			t.Errorf("IsWord(%q) = false", w)
		}
	}
	if IsWord("驻美国大") {
		t.Error("IsWord(驻美国大) = true")
	}
}

func TestSegmentChinese(t *testing.T) {
	cases := map[string]string{
		"中国驻美国大使馆":    "中国|驻|美国|大使馆",
		"中國駐美國大使館":    "中國|駐|美國|大使館", // traditional
		"研究生命起源":      "研究|生命|起源",
		"结婚的和尚未结婚的":   "结婚|的|和|尚未|结婚|的",
		"非法移民是一个国际问题": "非法|移民|是|一个|国际|问题",
		"公安部部长在维也纳会晤": "公安部|部长|在|维也纳|会晤",
		"你好,世界。":      "你好|,|世界|。",
		"我用iPhone拍照":  "我|用|iPhone|拍照",
		"遭驱逐出美国":      "遭|驱逐|出|美国",
	}
	for in, want := range cases {
		if got := strings.Join(words(in), "|"); got != want {
			t.Errorf("Segment(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestWordAt(t *testing.T) {
	type tc struct {
		text       string
		i          int
		start, end int
	}
	cases := []tc{
		{"中国驻美国大使馆", 6, 5, 8},        // 馆 → 大使馆
		{"中国驻美国大使馆", 2, 2, 3},        // 驻 alone
		{"中国驻美国大使馆", 0, 0, 2},        // 中 → 中国
		{"say hello world", 6, 4, 9}, // Latin word
		{"say hello world", 3, 3, 4}, // the space itself
		{"it's 24,000 or 2.4.", 1, 0, 4},
		{"it's 24,000 or 2.4.", 7, 5, 11},
		{"it's 24,000 or 2.4.", 16, 15, 18},
		{"😀中国😀abc", 0, 0, 1}, // emoji outside the BMP is one code point
		{"😀中国😀abc", 2, 1, 3},
		{"😀中国😀abc", 3, 3, 4},
		{"😀中国😀abc", 5, 4, 7},
		{"𠀀𠀁", 1, 1, 2}, // CJK Extension B, not in the dictionary: single characters
		{"Café au lait", 2, 0, 4},
	}
	for _, c := range cases {
		s, e := WordAt([]rune(c.text), c.i)
		if s != c.start || e != c.end {
			t.Errorf("WordAt(%q, %d) = %d,%d (%q), want %d,%d", c.text, c.i, s, e, string([]rune(c.text)[s:e]), c.start, c.end)
		}
	}
	// Out of range never panics.
	if s, e := WordAt([]rune("ab"), 5); s != 2 || e != 2 {
		t.Errorf("WordAt out of range = %d,%d", s, e)
	}
	if s, e := WordAt(nil, 0); s != 0 || e != 0 {
		t.Errorf("WordAt(nil) = %d,%d", s, e)
	}
}

func TestWordAtLongRun(t *testing.T) {
	// A long run without punctuation is segmented in a window, not whole.
	r := []rune(strings.Repeat("中国人民", 50000))
	s, e := WordAt(r, 100001)
	if e <= s || e-s > maxWord || s > 100001 || e <= 100001 {
		t.Fatalf("WordAt on long run = %d,%d", s, e)
	}
}

func TestGlossesAndReadings(t *testing.T) {
	g := Glosses("驱逐")
	if !contains(g, "to deport") {
		t.Errorf("Glosses(驱逐) = %q, want it to include \"to deport\"", g)
	}
	if g := Glosses("大使館"); !contains(g, "embassy") {
		t.Errorf("Glosses(大使館) = %q", g)
	}
	if g := Glosses("不是一个词吧"); g != nil {
		t.Errorf("Glosses(non-word) = %q", g)
	}
	if r := Readings("王"); !contains(r, "wang") {
		t.Errorf("Readings(王) = %q", r)
	}
	if r := Readings("长"); !contains(r, "chang") || !contains(r, "zhang") {
		t.Errorf("Readings(长) = %q", r)
	}
}

func BenchmarkSegment(b *testing.B) {
	get()
	text := []rune(strings.Repeat("美国正在与中国进行高层讨论,旨在增加遭驱逐出美国的中国公民人数。", 100))
	b.ResetTimer()
	for b.Loop() {
		Segment(text)
	}
}

func TestNames(t *testing.T) {
	if r := Readings("北京"); !contains(r, "bei jing") {
		t.Errorf("Readings(北京) = %q", r)
	}
	if !NameChar('王') || !NameChar('刘') {
		t.Error("NameChar(王/刘) = false")
	}
	if NameChar('的') {
		t.Error("NameChar(的) = true")
	}
	for _, s := range []string{"wang", "xiao", "hong", "peng", "yu", "lv", "zhuang"} {
		if !IsSyllable(s) {
			t.Errorf("IsSyllable(%q) = false", s)
		}
	}
	for _, s := range []string{"xia0", "vienna", "str", ""} {
		if IsSyllable(s) {
			t.Errorf("IsSyllable(%q) = true", s)
		}
	}
}

// BenchmarkLoad is the one-off cost of the first call into the package;
// MB-held is what the loaded dictionary keeps in the heap (a window showing
// Chinese holds it).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if d := load(cedictGz); d.err != nil {
			b.Fatal(d.err)
		}
	}
	b.StopTimer()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	d := load(cedictGz)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(d)
	b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/(1<<20), "MB-held")
}
