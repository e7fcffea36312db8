// Package timeline finds the dates a text states (2024年5月18日, 5月18日,
// "May 18, 2024", "on Tuesday", fiscal 2023 / 2023财年) and turns dated
// passages and publication dates into the events of a timeline. Dates
// without a year, weekdays and "yesterday" are resolved against the
// source's published date, and say so.
package timeline

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gloss/annotate/numerals"
)

// Precision says how exactly a date is known.
type Precision string

const (
	Day        Precision = "day"
	Week       Precision = "week"
	Month      Precision = "month"
	Year       Precision = "year"
	FiscalYear Precision = "fiscal year" // US federal: October to September
)

// Date is one date expression in a text.
type Date struct {
	Start int    `json:"start"` // code points of the expression
	End   int    `json:"end"`
	Text  string `json:"text"` // as written
	// From and To are the first and last day the expression covers
	// (equal for a day), in UTC.
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Precision Precision `json:"precision"`
	// Relative: the date was resolved against the published date (a
	// weekday, "yesterday", a day or month without a year).
	Relative bool `json:"relative,omitempty"`
}

// Label writes the date at its precision: 2024-05-18, 2024-05, 2023, FY2023.
func (d Date) Label() string {
	switch d.Precision {
	case Day:
		return d.From.Format("2006-01-02")
	case Week:
		return "week of " + d.From.Format("2006-01-02")
	case Month:
		return d.From.Format("2006-01")
	case FiscalYear:
		return "FY" + strconv.Itoa(d.To.Year())
	}
	return strconv.Itoa(d.From.Year())
}

// Overlaps reports whether two dates share a day.
func (d Date) Overlaps(o Date) bool { return !d.To.Before(o.From) && !o.To.Before(d.From) }

// ParsePublished reads a source's published date (YYYY-MM-DD, YYYY-MM or
// YYYY) as a Date; ok is false when it is empty or malformed.
func ParsePublished(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	for _, f := range []struct {
		layout string
		p      Precision
	}{{"2006-01-02", Day}, {"2006-01", Month}, {"2006", Year}} {
		if len(s) == len(f.layout) {
			if t, err := time.Parse(f.layout, s); err == nil {
				return span(t, f.p), true
			}
		}
	}
	return Date{}, false
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// span makes the Date covering t at precision p.
func span(t time.Time, p Precision) Date {
	y, m, d := t.Date()
	switch p {
	case Week:
		return Date{From: t, To: t.AddDate(0, 0, 6), Precision: p}
	case Month:
		return Date{From: day(y, int(m), 1), To: day(y, int(m)+1, 0), Precision: p}
	case Year:
		return Date{From: day(y, 1, 1), To: day(y, 12, 31), Precision: p}
	case FiscalYear:
		return Date{From: day(y-1, 10, 1), To: day(y, 9, 30), Precision: p}
	}
	return Date{From: day(y, int(m), d), To: day(y, int(m), d), Precision: Day}
}

var monthNames = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
	"apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"日": time.Sunday, "天": time.Sunday, "一": time.Monday, "二": time.Tuesday, "三": time.Wednesday,
	"四": time.Thursday, "五": time.Friday, "六": time.Saturday,
}

const (
	enMonth = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`
	cnNum   = `([0-9０-９]{1,4}|[〇零一二三四五六七八九十]{1,4})`
	cnYear  = `([0-9０-９]{4}|[〇零一二三四五六七八九]{4})`
	// enYear is a year written in digits, 1800 to 2299 (validYear keeps
	// 1800 to 2200), in a date that names it: "May 9, 1882" must not read
	// as May 9 of the published year.
	enYear = `((?:1[89]|2[0-2])[0-9]{2})`
)

// Patterns, most specific first; a later pattern never takes text an
// earlier one matched.
var patterns = []struct {
	re *regexp.Regexp
	fn func(m []string, pub *Date) (Date, bool)
}{
	{regexp.MustCompile(cnYear + `年` + cnNum + `月` + cnNum + `[日号號]`), func(m []string, _ *Date) (Date, bool) {
		return ymd(cn(m[1]), cn(m[2]), cn(m[3]))
	}},
	{regexp.MustCompile(cnYear + `[财財]年`), func(m []string, _ *Date) (Date, bool) { return fiscal(cn(m[1])) }},
	{regexp.MustCompile(`(?i)\b(?:fiscal(?: year)?|FY) ?` + enYear + `\b`), func(m []string, _ *Date) (Date, bool) { return fiscal(atoi(m[1])) }},
	{regexp.MustCompile(`(?i)\b(?:calendar(?: year)?|CY) ?` + enYear + `\b`), func(m []string, _ *Date) (Date, bool) { return yearOf(atoi(m[1])) }},
	{regexp.MustCompile(cnYear + `年` + cnNum + `月`), func(m []string, _ *Date) (Date, bool) { return ym(cn(m[1]), cn(m[2])) }},
	{regexp.MustCompile(cnYear + `年`), func(m []string, _ *Date) (Date, bool) { return yearOf(cn(m[1])) }},
	{regexp.MustCompile(`(去年|今年|前年)` + cnNum + `月(?:份)?`), func(m []string, pub *Date) (Date, bool) {
		if pub == nil {
			return Date{}, false
		}
		y := pub.From.Year() + map[string]int{"去年": -1, "今年": 0, "前年": -2}[m[1]]
		d, ok := ym(y, cn(m[2]))
		d.Relative = true
		return d, ok
	}},
	{regexp.MustCompile(cnNum + `月` + cnNum + `[日号號]`), func(m []string, pub *Date) (Date, bool) {
		return noYear(pub, cn(m[1]), cn(m[2]))
	}},
	{regexp.MustCompile(cnNum + `月份?`), func(m []string, pub *Date) (Date, bool) { return noYear(pub, cn(m[1]), 0) }},
	{regexp.MustCompile(`(去年|今年|前年)`), func(m []string, pub *Date) (Date, bool) {
		if pub == nil {
			return Date{}, false
		}
		d, ok := yearOf(pub.From.Year() + map[string]int{"去年": -1, "今年": 0, "前年": -2}[m[1]])
		d.Relative = true
		return d, ok
	}},
	{regexp.MustCompile(`(昨天|昨日|今天|今日|前天)`), func(m []string, pub *Date) (Date, bool) {
		return relDay(pub, map[string]int{"昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "前天": -2}[m[1]])
	}},
	{regexp.MustCompile(`(?:星期|礼拜|禮拜|周|週)([一二三四五六日天])`), func(m []string, pub *Date) (Date, bool) {
		return weekday(pub, weekdays[m[1]])
	}},
	{regexp.MustCompile(`\b` + enYear + `-([01][0-9])-([0-3][0-9])\b`), func(m []string, _ *Date) (Date, bool) {
		return ymd(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}},
	{regexp.MustCompile(`\b([0-9]{1,2})/([0-9]{1,2})/` + enYear + `\b`), func(m []string, _ *Date) (Date, bool) {
		a, b := atoi(m[1]), atoi(m[2])
		if a > 12 { // 18/05/2024: day first
			a, b = b, a
		}
		return ymd(atoi(m[3]), a, b) // otherwise month first, as US sites write
	}},
	{regexp.MustCompile(`\b` + enMonth + ` ([0-9]{1,2})(?:st|nd|rd|th)?,? ` + enYear + `\b`), func(m []string, _ *Date) (Date, bool) {
		return ymd(atoi(m[3]), month(m[1]), atoi(m[2]))
	}},
	{regexp.MustCompile(`\b([0-9]{1,2}) ` + enMonth + `,? ` + enYear + `\b`), func(m []string, _ *Date) (Date, bool) {
		return ymd(atoi(m[3]), month(m[2]), atoi(m[1]))
	}},
	{regexp.MustCompile(`\b` + enMonth + `,? ` + enYear + `\b`), func(m []string, _ *Date) (Date, bool) {
		return ym(atoi(m[2]), month(m[1]))
	}},
	{regexp.MustCompile(`\b` + enMonth + ` ([0-9]{1,2})(?:st|nd|rd|th)?\b`), func(m []string, pub *Date) (Date, bool) {
		return noYear(pub, month(m[1]), atoi(m[2]))
	}},
	// A bare year only in 1900-2099: "fell by 2150 percent" is no date.
	{regexp.MustCompile(`\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Uu]ntil|[Bb]y|[Dd]uring|[Ll]ate|[Ee]arly|[Mm]id-?|[Oo]f|[Bb]efore|[Aa]fter|[Tt]hrough) ((?:19|20)[0-9]{2})\b`), func(m []string, _ *Date) (Date, bool) {
		return yearOf(atoi(m[1]))
	}},
	{regexp.MustCompile(`\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Uu]ntil|[Bb]y|[Dd]uring|[Ll]ate|[Ee]arly|[Mm]id-?|[Ll]ast|[Tt]his|[Nn]ext) (January|February|March|April|June|July|August|September|October|November|December|May)\b`), func(m []string, pub *Date) (Date, bool) {
		return noYear(pub, month(m[1]), 0)
	}},
	{regexp.MustCompile(`\b(?:on |late |early |last )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`), func(m []string, pub *Date) (Date, bool) {
		return weekday(pub, weekdays[strings.ToLower(m[1])])
	}},
	{regexp.MustCompile(`\b([Yy]esterday|[Tt]oday)\b`), func(m []string, pub *Date) (Date, bool) {
		return relDay(pub, map[string]int{"yesterday": -1, "today": 0}[strings.ToLower(m[1])])
	}},
	{regexp.MustCompile(`\b([Ll]ast|[Tt]his) (year|month|week)\b`), func(m []string, pub *Date) (Date, bool) {
		if pub == nil || (pub.Precision != Day && m[2] == "week") || (pub.Precision == Year && m[2] == "month") {
			return Date{}, false
		}
		back := 0
		if strings.ToLower(m[1]) == "last" {
			back = 1
		}
		var d Date
		switch m[2] {
		case "year":
			d = span(pub.From.AddDate(-back, 0, 0), Year)
		case "month":
			d = span(day(pub.From.Year(), int(pub.From.Month())-back, 1), Month)
		default:
			// The Monday of the week, a week back for "last week".
			t := pub.From.AddDate(0, 0, -7*back)
			t = t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
			d = span(t, Week)
		}
		d.Relative = true
		return d, true
	}},
}

// anchors lists, per pattern (same order), strings of which every match
// holds one, case for case, and at most how many code points before that
// string the match can start (lead). Most texts hold few kinds of date, so
// a pattern none of whose anchors occur is not run at all, and the others
// are tried only at the few places a match could start: running every
// regexp over every whole text was the cost. No anchors: run over the
// whole text (the case-insensitive patterns, rare enough).
var anchors = []struct {
	in   []string
	lead int
}{
	{[]string{"年"}, 4},
	{[]string{"年"}, 5}, // 2023财年
	{nil, 0},
	{nil, 0},
	{[]string{"年"}, 4},
	{[]string{"年"}, 4},
	{[]string{"年"}, 1},
	{[]string{"月"}, 4},
	{[]string{"月"}, 4},
	{[]string{"年"}, 1},
	{[]string{"天", "日"}, 1},
	{[]string{"星期", "礼拜", "禮拜", "周", "週"}, 0},
	{[]string{"-"}, 7},
	{[]string{"/"}, 5},
	{months, 0},
	{months, 3},
	{months, 0},
	{months, 0},
	{[]string{"19", "20"}, 10},
	{months, 7},
	{[]string{"day"}, 12},
	{[]string{"day"}, 6},
	{[]string{"year", "month", "week"}, 5},
}

// statesYear marks the patterns whose match writes its year out.
var statesYear = func() []bool {
	out := make([]bool, len(patterns))
	for i, p := range patterns {
		src := p.re.String()
		out[i] = strings.Contains(src, enYear) || strings.Contains(src, cnYear)
	}
	return out
}()

// anchored are the patterns tied to the start of the text they are run on.
var anchored = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		out[i] = regexp.MustCompile(`^(?:` + p.re.String() + `)`)
	}
	return out
}()

// needs lists strings one of which a text must hold for the patterns
// without anchors to be tried.
var needs = map[int][]string{
	2: {"fiscal", "FY", "Fiscal", "fy"},
	3: {"calendar", "Calendar", "CY"},
}

// months: every English month pattern's match starts with one of these.
var months = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// maxMatch bounds a match's length in bytes on either side of its anchor
// (the longest, 二〇二三年十二月三十一日, is 48 bytes).
const maxMatch = 80

// Dates returns the dates stated in text, in order. published (YYYY-MM-DD,
// YYYY-MM or YYYY, may be empty) resolves dates without a year, weekdays
// and "yesterday"; without it those are left out.
func Dates(text, published string) []Date { return dates(text, published, true) }

// dates is Dates; windowed false runs every pattern over the whole text
// (the tests check that both give the same dates).
func dates(text, published string, windowed bool) []Date {
	var pub *Date
	if d, ok := ParsePublished(published); ok {
		pub = &d
	}
	// Byte offsets from the regexps become code points.
	runeAt := make([]int32, len(text)+1)
	n := int32(0)
	for i := range text {
		runeAt[i] = n
		n++
	}
	for i := len(text); i >= 0; i-- {
		if i == len(text) {
			runeAt[i] = n
		} else if i > 0 && runeAt[i] == 0 {
			runeAt[i] = runeAt[i+1]
		}
	}
	taken := make([]bool, len(text)+1)
	var out []Date
	for pi, p := range patterns {
		var locs [][]int
		if an := anchors[pi]; an.in != nil {
			if !holdsAny(text, an.in) {
				continue
			}
			if windowed {
				locs = findNear(pi, text)
			} else {
				locs = p.re.FindAllStringSubmatchIndex(text, -1)
			}
		} else {
			if !holdsAny(text, needs[pi]) {
				continue
			}
			locs = p.re.FindAllStringSubmatchIndex(text, -1)
		}
		for _, loc := range locs {
			s, e := loc[0], loc[1]
			if anyTaken(taken, s, e) || glued(text, s, e) {
				continue
			}
			m := make([]string, len(loc)/2)
			for k := range m {
				if loc[2*k] >= 0 {
					m[k] = text[loc[2*k]:loc[2*k+1]]
				}
			}
			d, ok := p.fn(m, pub)
			if !ok {
				if statesYear[pi] {
					// A date with a year out of range (or a day that
					// does not exist): a shorter pattern inside it would
					// put it in another year ("March 3, 1700" read as
					// March 3 of the published year).
					for k := s; k < e; k++ {
						taken[k] = true
					}
				}
				continue
			}
			for k := s; k < e; k++ {
				taken[k] = true
			}
			// A copy: a slice of text would hold the whole text for as long
			// as the date is kept (a report keeps every event's).
			d.Start, d.End, d.Text = int(runeAt[s]), int(runeAt[e]), strings.Clone(text[s:e])
			out = append(out, d)
		}
	}
	sortDates(out)
	return out
}

// findNear is patterns[pi].re.FindAllStringSubmatchIndex(text, -1),
// trying the pattern only where a match could start: up to lead code
// points before each of its anchors. Taken left to right, skipping starts
// inside the last match, the matches there are the ones a scan of the
// whole text finds, since that scan too takes the leftmost start and
// every match starts at one of these places. A leading \b is checked here
// (the anchored pattern sees no text before its start); a match reaching
// the end of the stretch it was tried on may be cut short, and then the
// whole text is searched after all.
func findNear(pi int, text string) [][]int {
	an := anchors[pi]
	var starts []int
	for _, a := range an.in {
		for off := 0; ; {
			i := strings.Index(text[off:], a)
			if i < 0 {
				break
			}
			i += off
			p := i
			for k := 0; ; k++ {
				starts = append(starts, p)
				if k == an.lead || p == 0 {
					break
				}
				_, w := utf8.DecodeLastRuneInString(text[:p])
				p -= w
			}
			off = i + len(a)
		}
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	wordStart := strings.HasPrefix(patterns[pi].re.String(), `\b`)
	var out [][]int
	cursor := 0
	for _, p := range starts {
		if p < cursor || (wordStart && p > 0 && isWordByte(text[p-1])) {
			continue
		}
		end := runeStart(text, p+2*maxMatch)
		loc := anchored[pi].FindStringSubmatchIndex(text[p:end])
		if loc == nil {
			continue
		}
		if loc[1] == end-p && end < len(text) {
			return patterns[pi].re.FindAllStringSubmatchIndex(text, -1)
		}
		for k := range loc {
			if loc[k] >= 0 {
				loc[k] += p
			}
		}
		out = append(out, loc)
		cursor = loc[1]
	}
	return out
}

// isWordByte: what regexp's \b counts as a word character (ASCII only).
func isWordByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// runeStart clamps i into text and moves it back to a rune's first byte.
func runeStart(text string, i int) int {
	if i <= 0 {
		return 0
	}
	if i >= len(text) {
		return len(text)
	}
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	return i
}

func holdsAny(text string, subs []string) bool {
	if len(subs) == 0 {
		return true
	}
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// glued rejects matches inside a longer number or word (12024年, 0312月).
func glued(text string, s, e int) bool {
	if s > 0 {
		c := text[s-1]
		if c >= '0' && c <= '9' {
			return true
		}
	}
	if e < len(text) {
		c := text[e]
		if c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

func anyTaken(taken []bool, s, e int) bool {
	for k := s; k < e; k++ {
		if taken[k] {
			return true
		}
	}
	return false
}

func sortDates(ds []Date) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Start < ds[j-1].Start; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

func atoi(s string) int { v, _ := strconv.Atoi(s); return v }

// cn reads Arabic (also full-width) or Chinese numerals; -1 if neither.
func cn(s string) int {
	v, ok := numerals.ParseChinese(s)
	if !ok || v != float64(int(v)) {
		return -1
	}
	return int(v)
}

func month(s string) int { return monthNames[strings.TrimSuffix(strings.ToLower(s), ".")] }

func validYear(y int) bool { return y >= 1800 && y <= 2200 }

func ymd(y, m, d int) (Date, bool) {
	if !validYear(y) || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	t := day(y, m, d)
	if t.Day() != d { // 2月30日
		return Date{}, false
	}
	return span(t, Day), true
}

func ym(y, m int) (Date, bool) {
	if !validYear(y) || m < 1 || m > 12 {
		return Date{}, false
	}
	return span(day(y, m, 1), Month), true
}

func yearOf(y int) (Date, bool) {
	if !validYear(y) {
		return Date{}, false
	}
	return span(day(y, 1, 1), Year), true
}

func fiscal(y int) (Date, bool) {
	if !validYear(y) {
		return Date{}, false
	}
	return span(day(y, 1, 1), FiscalYear), true
}

// noYear resolves a month (and day, if d > 0) without a year: the latest
// such date not more than a week after the published date (news reports
// the recent past; a week's slack covers "talks on May 18" announced ahead).
func noYear(pub *Date, m, d int) (Date, bool) {
	if pub == nil || m < 1 || m > 12 || (pub.Precision == Year) {
		return Date{}, false
	}
	y := pub.From.Year()
	limit := pub.To.AddDate(0, 0, 7)
	for k := 0; k < 2; k++ {
		var dt Date
		var ok bool
		if d > 0 {
			dt, ok = ymd(y-k, m, d)
		} else {
			dt, ok = ym(y-k, m)
		}
		if !ok {
			return Date{}, false
		}
		if !dt.From.After(limit) {
			dt.Relative = true
			return dt, true
		}
	}
	return Date{}, false
}

func relDay(pub *Date, delta int) (Date, bool) {
	if pub == nil || pub.Precision != Day {
		return Date{}, false
	}
	d := span(pub.From.AddDate(0, 0, delta), Day)
	d.Relative = true
	return d, true
}

// weekday resolves "on Tuesday" to the latest such day on or before the
// published date: news tells what happened, and "Monday" in a Monday
// paper is that day.
func weekday(pub *Date, w time.Weekday) (Date, bool) {
	if pub == nil || pub.Precision != Day {
		return Date{}, false
	}
	back := (int(pub.From.Weekday()) - int(w) + 7) % 7
	d := span(pub.From.AddDate(0, 0, -back), Day)
	d.Relative = true
	return d, true
}
