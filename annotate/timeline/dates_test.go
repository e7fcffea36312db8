package timeline

import (
	"reflect"
	"strings"
	"testing"
)

func labels(ds []Date) string {
	var out []string
	for _, d := range ds {
		s := d.Text + "=" + d.Label()
		if d.Relative {
			s += "*"
		}
		out = append(out, s)
	}
	return strings.Join(out, " | ")
}

func TestDates(t *testing.T) {
	cases := []struct{ text, pub, want string }{
		{"会谈于2024年5月18日举行", "", "2024年5月18日=2024-05-18"},
		{"会议于5月18日在日内瓦举行", "2024-06-01", "5月18日=2024-05-18*"},
		// A day later in the year than publication is last year's.
		{"12月3日", "2024-02-01", "12月3日=2023-12-03*"},
		{"二〇二三年十月", "", "二〇二三年十月=2023-10"},
		{"2023财年,记录了事件", "", "2023财年=FY2023"},
		{"in fiscal 2023 and FY2022 and fiscal year 2021", "", "fiscal 2023=FY2023 | FY2022=FY2022 | fiscal year 2021=FY2021"},
		{"She spoke on May 18, 2024 and on 3 June 2024.", "", "May 18, 2024=2024-05-18 | 3 June 2024=2024-06-03"},
		{"the minister said on Tuesday", "2024-07-03", "on Tuesday=2024-07-02*"},
		{"said on Monday", "2025-01-27", "on Monday=2025-01-27*"},
		{"arrived yesterday", "2006-04-05", "yesterday=2006-04-04*"},
		{"ramped up in December", "2025-01-28", "in December=2024-12*"},
		{"In 2023, officials", "", "In 2023=2023"},
		{"in calendar 2023 and CY2022", "", "calendar 2023=2023 | CY2022=2022"},
		{"since August 2022", "", "August 2022=2022-08"},
		{"去年12月,边界", "2024-04-06", "去年12月=2023-12*"},
		{"他在2月份会晤", "2024-04-06", "2月份=2024-02*"},
		{"posted 04/06/2024 and 18/05/2024", "", "04/06/2024=2024-04-06 | 18/05/2024=2024-05-18"},
		// A date naming its year may be from 1800 to 2200; one whose year
		// is out of range is none, never its day in the published year. A
		// bare year is one from 1900 to 2099 ("fell by 2150 percent").
		{"the act of May 6, 1882, in 1850 and by 2150", "2024-03-01", "May 6, 1882=1882-05-06"},
		{"on March 3, 2250 and 1700年3月3日 and 2024年13月", "2024-03-01", ""},
		{"date 2025-01-28 spokeswoman", "", "2025-01-28=2025-01-28"},
		// Without a published date, relative dates are left out.
		{"on Tuesday, 5月18日", "", ""},
		// Not dates: a count of years, a number, an invalid day.
		{"三年来, 2000 people, 2月30日", "2024-05-01", ""},
		{"May I ask", "2024-05-01", ""},
	}
	for _, c := range cases {
		if got := labels(Dates(c.text, c.pub)); got != c.want {
			t.Errorf("Dates(%q, %q)\n got %s\nwant %s", c.text, c.pub, got, c.want)
		}
	}
}

func TestSpansAreCodePoints(t *testing.T) {
	text := "报道说,2月18日在维也纳"
	ds := Dates(text, "2024-04-06")
	if len(ds) != 1 {
		t.Fatal(labels(ds))
	}
	if got := string([]rune(text)[ds[0].Start:ds[0].End]); got != "2月18日" {
		t.Errorf("span %d–%d is %q", ds[0].Start, ds[0].End, got)
	}
}

func TestFiscalSpan(t *testing.T) {
	d := Dates("2023财年", "")[0]
	if d.From.Format("2006-01-02") != "2022-10-01" || d.To.Format("2006-01-02") != "2023-09-30" {
		t.Errorf("FY2023 = %v–%v", d.From, d.To)
	}
	y := Dates("In 2023", "")[0]
	if !d.Overlaps(y) {
		t.Error("FY2023 and calendar 2023 should overlap")
	}
}

// The windowed search finds what a search of the whole text finds, on
// texts dense with anchors (windows merge) and sparse ones (windows apart).
func TestDatesWindowedEqualsWhole(t *testing.T) {
	parts := []string{"Talks on May 18, 2024 went well. ", "In fiscal 2023 crossings rose; ", "in December they fell. ",
		"会谈于2024年5月18日举行。", "2023财年记录了事件。", "去年12月,人数创下新高。", "He left on Tuesday. ",
		"18 June 2023, 06/18/2023 and 2023-06-18. ", "Numbers such as 2019-2020 and 1/2 mean nothing. ",
		strings.Repeat("Nothing dated here at all, just words. ", 5), "星期三以来,今天和昨天。", "this week and last month. "}
	for seed := range 200 {
		var b strings.Builder
		for k := range 30 {
			b.WriteString(parts[(seed*7+k*k*13+k*seed)%len(parts)])
		}
		text := b.String()
		got, want := Dates(text, "2024-07-03"), dates(text, "2024-07-03", false)
		if len(want) == 0 {
			t.Fatalf("seed %d: no dates found in %q", seed, text)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: windowed\n%v\nwhole text\n%v", seed, got, want)
		}
	}
}
