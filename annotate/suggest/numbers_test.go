package suggest

import (
	"gloss/annotate/numerals"
	"sort"
	"strings"
	"testing"
)

// numKeys returns the number, date and quantifier keys of a text.
func numKeys(s string) []string {
	b, _ := featurise(nil, []rune(s), glossCache{}, nil, nil, nil)
	var out []string
	for k := range b {
		for _, p := range []string{"n:", "y:", "fy:", "m:", "d:", "q:"} {
			if strings.HasPrefix(k, p) {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func has(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

func TestNumbersAcrossScripts(t *testing.T) {
	// Each row: texts that must all yield the key.
	rows := []struct {
		key   string
		texts []string
	}{
		{"n:24000", []string{"24,000 crossings", "24000 crossings", "twenty-four thousand people", "记录了24000多起", "增加了2.4万人", "两万四千人", "２４０００人"}},
		{"n:2400000", []string{"2.4 million", "240万人"}},
		{"n:5", []string{"five times as many", "a fivefold rise", "增长了五倍多"}},
		{"n:2", []string{"twice as many", "两国都同意"}},
		{"n:15", []string{"fifteen officials", "十五名官员"}},
		{"n:120000000", []string{"120 million", "一亿两千万"}},
		{"d:4-6", []string{"On April 6, NBC reported", "on 6 April", "April 6th", "4月6日独家报道", "四月六日"}},
		{"m:2", []string{"in February", "in Feb. 2024", "在2月份", "二月"}},
		{"m:12", []string{"last December", "去年12月"}},
		{"fy:2023", []string{"In fiscal year 2023,", "fiscal 2023", "FY2023", "FY 2023", "2023财年"}},
		{"y:2023", []string{"in 2023", "2023年", "二〇二三年"}},
		{"q:more", []string{"more than 24,000", "over 2,000", "24000多起", "超过两万人", "逾2000人"}},
		{"q:near", []string{"nearly 300", "about 40 people", "近300人", "约40人", "40人左右"}},
		{"n:~10000", []string{"tens of thousands of migrants", "飙升至数万人"}},
		{"n:~1000000", []string{"millions", "几百万"}},
	}
	for _, r := range rows {
		for _, s := range r.texts {
			if k := numKeys(s); !has(k, r.key) {
				t.Errorf("%q: keys %v lack %s", s, k, r.key)
			}
		}
	}
}

func TestNumbersNotWords(t *testing.T) {
	// Numeral characters inside ordinary words, and months that are verbs,
	// are not numbers.
	for _, s := range []string{"中国一直不配合", "这十分重要", "万一失败", "统一思想", "百姓", "One reader replied", "They may go", "Troops march on"} {
		if k := numKeys(s); len(k) > 0 {
			t.Errorf("%q: unexpected number keys %v", s, k)
		}
	}
	// Clock times and days without a month carry no date.
	if k := numKeys("14:08:23 postreply"); has(k, "d:14-8") {
		t.Errorf("clock time read as date: %v", k)
	}
}

func TestParseCN(t *testing.T) {
	for in, want := range map[string]float64{
		"24000": 24000, "2.4万": 24000, "两万四千": 24000, "十": 10, "十五": 15, "二十": 20,
		"一百零五": 105, "三千": 3000, "一亿两千万": 120000000, "二〇二三": 2023, "5": 5, "1,200": 1200,
	} {
		got, ok := numerals.ParseChinese(in)
		if !ok || got != want {
			t.Errorf("ParseChinese(%s) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"万", "亿万"} {
		if _, ok := numerals.ParseChinese(in); ok {
			t.Errorf("ParseChinese(%s) ok, want not a number", in)
		}
	}
}

func TestStem(t *testing.T) {
	for _, set := range [][]string{
		{"deport", "deports", "deported", "deporting", "deportation"},
		{"administration", "administrative", "administrator"},
		{"cooperate", "cooperation", "cooperating"},
		{"nation", "nations", "national", "nationals"},
		{"immigration", "immigrants", "immigrate"},
		{"talk", "talks", "talked", "talking"},
	} {
		want := stem(set[0])
		for _, w := range set[1:] {
			if got := stem(w); got != want {
				t.Errorf("stem(%s) = %s, stem(%s) = %s", w, got, set[0], want)
			}
		}
	}
	if stem("u.s") != "u.s" {
		t.Errorf("stem(u.s) = %s", stem("u.s"))
	}
}
