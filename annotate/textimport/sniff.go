package textimport

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ---------- language ----------

var englishStop = map[string]bool{
	"the": true, "and": true, "of": true, "to": true, "in": true, "a": true, "is": true,
	"that": true, "for": true, "it": true, "on": true, "with": true, "as": true, "was": true,
	"said": true, "by": true, "are": true, "be": true, "has": true, "have": true, "from": true,
	"at": true, "this": true, "not": true, "an": true, "its": true, "will": true, "he": true,
	"she": true, "they": true, "were": true, "which": true, "been": true, "would": true,
}

const languageSample = 512 << 10

// SniffLanguage suggests a BCP 47 tag from the script mix. A Chinese
// character carries roughly a word, an English word about five letters, so
// Han characters are weighted against Latin letters before comparing.
// Simplified and traditional are told apart by characters that exist in
// only one of the two forms. It returns "" when the text is too short or no
// language clearly dominates.
func SniffLanguage(text string) string {
	// Half a megabyte is ample evidence; book-length imports need not be
	// counted to the end.
	if len(text) > languageSample {
		text = text[:languageSample]
	}
	var han, latin, kana, hangul, simp, trad int
	t := cjk()
	for _, r := range text {
		switch {
		case r < 0x80:
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				latin++
			}
		case unicode.Is(unicode.Han, r):
			han++
			if t.simpOnly[r] {
				simp++
			} else if t.tradOnly[r] {
				trad++
			}
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Latin, r) && unicode.IsLetter(r):
			latin++
		}
	}
	hanW := float64(han) * 3
	latinW := float64(latin)
	if hanW+latinW < 20 {
		return ""
	}
	if kana*5 > han || hangul*5 > han+latin {
		return "" // Japanese or Korean: not a language Gloss suggests yet
	}
	switch {
	case hanW >= 1.5*latinW:
		switch {
		case simp == 0 && trad == 0:
			return ""
		case trad > simp*2:
			return "zh-Hant"
		case simp >= trad:
			return "zh-Hans"
		}
		return "" // mixed scripts in comparable amounts
	case latinW >= 1.5*hanW:
		if englishShare(text) >= 0.12 {
			return "en"
		}
	}
	return ""
}

// englishShare is the fraction of Latin words that are common English
// function words; it separates English from other Latin-script languages.
func englishShare(text string) float64 {
	words, stop := 0, 0
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) || r > 0x24F }) {
		words++
		if englishStop[strings.ToLower(w)] {
			stop++
		}
		if words >= 5000 {
			break
		}
	}
	if words == 0 {
		return 0
	}
	return float64(stop) / float64(words)
}

// ---------- dates ----------

// Publication metadata is stated at the top (headline, dateline, byline) or
// the bottom (sign-off, credit) of a document, so the date and outlet
// sniffers read only those ends of a long text. This bounds their cost on
// book-length imports and keeps dates deep in the body from competing.
const (
	metaHead = 24 << 10
	metaTail = 8 << 10
)

func metaWindow(text string) string {
	if len(text) <= metaHead+metaTail {
		return text
	}
	head := text[:metaHead]
	if i := strings.LastIndexByte(head, '\n'); i > 0 {
		head = head[:i]
	}
	tail := text[len(text)-metaTail:]
	if i := strings.IndexByte(tail, '\n'); i >= 0 {
		tail = tail[i+1:]
	}
	return head + "\n\n" + tail
}

const monthRe = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`

var (
	isoRe        = regexp.MustCompile(`(?:^|[^\d])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$)`)
	cjkDateRe    = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]`)
	mdyRe        = regexp.MustCompile(`(?i)\b` + monthRe + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	dmyRe        = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+` + monthRe + `,?\s+(\d{4})\b`)
	slashRe      = regexp.MustCompile(`(?:^|[^\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?:[^\d/]|$)`)
	dotDMYRe     = regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[^\d.]|$)`)
	yearRe       = regexp.MustCompile(`(?:^|[^\d])((?:19|20)\d\d)(?:[^\d]|$)`)
	mdNoYearRe   = regexp.MustCompile(`(?i)\b` + monthRe + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?`)
	dmNoYearRe   = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+` + monthRe + `\b(?:,?\s+\d{4})?`)
	cjkMDRe      = regexp.MustCompile(`(年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]`)
	weekdayMDRe  = regexp.MustCompile(`(?i)\b(mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b[\s,]*\(?\s*` + monthRe + `\s+(\d{1,2})(?:st|nd|rd|th)?\)?(?:,?\s+(\d{4}))?`)
	cjkWeekdayRe = regexp.MustCompile(`(年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]\s*[（(]?\s*(?:星期|周|週|礼拜|禮拜)([一二三四五六日天])`)

	publishedLabelRe = regexp.MustCompile(`(?i)(?:\b(?:published|publication date|posted|date|dated|released|first published|pub date|issued)|发布时间|发布日期|发表时间|发表日期|發佈時間|發布時間|發表時間|發表日期|出版日期|日期|时间|時間)\s*(?:on|at)?\s*[:：]?\s*$`)
	updatedLabelRe   = regexp.MustCompile(`(?i)(?:\b(?:updated|last updated|modified)|更新时间|更新時間|更新)\s*(?:on|at)?\s*[:：]?\s*$`)
)

var monthNum = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

func parseMonth(s string) int { return monthNum[strings.ToLower(s)[:3]] }

// validDate returns "YYYY-MM-DD" or "" for impossible dates (Feb 30,
// month 13) and years outside what a news archive holds.
func validDate(y, m, d int) string {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return ""
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return ""
	}
	return t.Format("2006-01-02")
}

type dateCand struct {
	date  string
	start int // byte offset in the folded text
	score int
	count int
}

// foldDigits turns full-width digits into ASCII, byte length aside: the
// folded text is only used to find dates, never for positions returned.
func foldDigits(s string) string {
	if !strings.ContainsAny(s, "０１２３４５６７８９") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
}

// SniffDate suggests a publication date ("YYYY-MM-DD") or "". Dates with an
// explicit label ("Published:", "date", 发布时间) win; then a sign-off or
// dateline naming an outlet ("(China Daily April 5, 2006)"); then dates near
// the start or end of the text; then other full dates, the more often
// repeated the better. A weekday with a month and day but no year
// ("on Monday (May 13)") is resolved against the years the text mentions.
// Ambiguous numeric dates (04/06/2024) count only when the text confirms the
// month and day elsewhere (4月6日, "April 6").
func SniffDate(text string) string {
	text = foldDigits(metaWindow(text))
	lines := lineStarts(text)
	nonEmpty := nonEmptyLines(text, lines)
	md := monthDayMentions(text)

	cands := map[string]*dateCand{}
	add := func(date string, start, end int) {
		if date == "" {
			return
		}
		score := positionScore(text, lines, nonEmpty, start, end)
		c := cands[date]
		if c == nil {
			cands[date] = &dateCand{date: date, start: start, score: score, count: 1}
			return
		}
		c.count++
		if score > c.score {
			c.score = score
		}
	}

	for _, m := range isoRe.FindAllStringSubmatchIndex(text, -1) {
		y, mo, d := atoi(text, m, 1), atoi(text, m, 2), atoi(text, m, 3)
		add(validDate(y, mo, d), m[2], m[7])
	}
	for _, m := range cjkDateRe.FindAllStringSubmatchIndex(text, -1) {
		add(validDate(atoi(text, m, 1), atoi(text, m, 2), atoi(text, m, 3)), m[0], m[1])
	}
	for _, m := range mdyRe.FindAllStringSubmatchIndex(text, -1) {
		add(validDate(atoi(text, m, 3), parseMonth(text[m[2]:m[3]]), atoi(text, m, 2)), m[0], m[1])
	}
	for _, m := range dmyRe.FindAllStringSubmatchIndex(text, -1) {
		add(validDate(atoi(text, m, 3), parseMonth(text[m[4]:m[5]]), atoi(text, m, 1)), m[0], m[1])
	}
	for _, m := range dotDMYRe.FindAllStringSubmatchIndex(text, -1) {
		add(validDate(atoi(text, m, 3), atoi(text, m, 2), atoi(text, m, 1)), m[2], m[7])
	}
	for _, m := range slashRe.FindAllStringSubmatchIndex(text, -1) {
		a, b, y := atoi(text, m, 1), atoi(text, m, 2), atoi(text, m, 3)
		switch {
		case a > 12:
			add(validDate(y, b, a), m[2], m[7])
		case b > 12 || a == b:
			add(validDate(y, a, b), m[2], m[7])
		case md[[2]int{a, b}] && !md[[2]int{b, a}]:
			add(validDate(y, a, b), m[2], m[7])
		case md[[2]int{b, a}] && !md[[2]int{a, b}]:
			add(validDate(y, b, a), m[2], m[7])
		}
	}

	if len(cands) == 0 {
		// Only weekday-anchored month-days are specific enough to resolve
		// without a stated year.
		if d := weekdayDate(text); d != "" {
			return d
		}
		return ""
	}
	list := make([]*dateCand, 0, len(cands))
	for _, c := range cands {
		bonus := c.count - 1
		if bonus > 10 {
			bonus = 10
		}
		c.score += bonus
		if mo, d := monthDayOf(c.date); md[[2]int{mo, d}] {
			c.score += 15
		}
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return list[i].start < list[j].start
	})
	return list[0].date
}

func atoi(s string, m []int, group int) int {
	n, _ := strconv.Atoi(s[m[2*group]:m[2*group+1]])
	return n
}

func monthDayOf(date string) (int, int) {
	m, _ := strconv.Atoi(date[5:7])
	d, _ := strconv.Atoi(date[8:10])
	return m, d
}

// positionScore rates where a date sits: after a label, inside an outlet
// sign-off or dateline, near the start or end, or in the body.
func positionScore(text string, lines []int, nonEmpty []int, start, end int) int {
	li := lineIndex(lines, start)
	lineStart := lines[li]
	lineEnd := len(text)
	if li+1 < len(lines) {
		lineEnd = lines[li+1] - 1
	}
	before := text[lineStart:start]
	if len(before) > 60 {
		before = before[len(before)-60:]
		for !utf8.RuneStart(before[0]) {
			before = before[1:]
		}
	}
	if publishedLabelRe.MatchString(before) {
		return 100
	}
	if updatedLabelRe.MatchString(before) {
		return 60
	}
	line := text[lineStart:lineEnd]
	if utf8.RuneCountInString(line) <= 100 {
		if o := outletAtStart(strings.TrimLeft(before, " \t(（—-")); o != "" {
			return 80
		}
	}
	pos := sort.SearchInts(nonEmpty, li)
	switch {
	case pos < 3:
		return 40
	case pos >= len(nonEmpty)-3:
		return 30
	}
	return 10
}

// monthDayMentions collects month-day pairs the text states, with or
// without a year; they confirm ambiguous numeric dates.
func monthDayMentions(text string) map[[2]int]bool {
	md := map[[2]int]bool{}
	for _, m := range mdNoYearRe.FindAllStringSubmatchIndex(text, -1) {
		md[[2]int{parseMonth(text[m[2]:m[3]]), atoi(text, m, 2)}] = true
	}
	for _, m := range dmNoYearRe.FindAllStringSubmatchIndex(text, -1) {
		md[[2]int{parseMonth(text[m[4]:m[5]]), atoi(text, m, 1)}] = true
	}
	for _, m := range cjkMDRe.FindAllStringSubmatchIndex(text, -1) {
		md[[2]int{atoi(text, m, 2), atoi(text, m, 3)}] = true
	}
	return md
}

var weekdays = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}
var cjkWeekdays = map[string]time.Weekday{"一": time.Monday, "二": time.Tuesday, "三": time.Wednesday,
	"四": time.Thursday, "五": time.Friday, "六": time.Saturday, "日": time.Sunday, "天": time.Sunday}

// weekdayDate resolves "Monday (May 13)" to the first year, from the latest
// year the text mentions up to three after it, on which that day falls on
// that weekday. Within four consecutive years a given day-of-month falls on
// a given weekday at most once, so the answer is unique when it exists.
func weekdayDate(text string) string {
	maxYear := 0
	for _, m := range yearRe.FindAllStringSubmatchIndex(text, -1) {
		if y := atoi(text, m, 1); y > maxYear {
			maxYear = y
		}
	}
	if maxYear == 0 {
		return ""
	}
	resolve := func(wd time.Weekday, mo, d int) string {
		for y := maxYear; y <= maxYear+3; y++ {
			if s := validDate(y, mo, d); s != "" {
				t, _ := time.Parse("2006-01-02", s)
				if t.Weekday() == wd {
					return s
				}
			}
		}
		return ""
	}
	for _, m := range weekdayMDRe.FindAllStringSubmatchIndex(text, -1) {
		if m[8] >= 0 {
			continue // has a year: already a full date
		}
		wd := weekdays[strings.ToLower(text[m[2]:m[2]+3])]
		if s := resolve(wd, parseMonth(text[m[4]:m[5]]), atoi(text, m, 3)); s != "" {
			return s
		}
	}
	for _, m := range cjkWeekdayRe.FindAllStringSubmatchIndex(text, -1) {
		if m[2] >= 0 {
			continue
		}
		if s := resolve(cjkWeekdays[text[m[8]:m[9]]], atoi(text, m, 2), atoi(text, m, 3)); s != "" {
			return s
		}
	}
	return ""
}

func lineStarts(text string) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func lineIndex(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
}

func nonEmptyLines(text string, starts []int) []int {
	var out []int
	for i, s := range starts {
		e := len(text)
		if i+1 < len(starts) {
			e = starts[i+1]
		}
		if strings.TrimSpace(text[s:e]) != "" {
			out = append(out, i)
		}
	}
	return out
}

// ---------- outlets ----------

type outletAlias struct{ alias, name string }

var outletAliases = func() []outletAlias {
	var out []outletAlias
	for _, o := range outlets {
		for _, a := range o[1:] {
			out = append(out, outletAlias{a, o[0]})
		}
	}
	// Longest first, so "NBC News" wins over "NBC".
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].alias) > len(out[j].alias) })
	return out
}()

// outletAtStart returns the outlet whose alias s begins with, requiring a
// word boundary after Latin aliases ("AP" must not match "APEC").
func outletAtStart(s string) string {
	for _, a := range outletAliases {
		if strings.HasPrefix(s, a.alias) {
			rest := s[len(a.alias):]
			if r, _ := utf8.DecodeRuneInString(rest); rest != "" && isASCIIWordRune(lastRune(a.alias)) && isASCIIWordRune(r) {
				continue
			}
			return a.name
		}
	}
	return ""
}

func outletExact(s string) string {
	for _, a := range outletAliases {
		if s == a.alias {
			return a.name
		}
	}
	return ""
}

func lastRune(s string) rune { r, _ := utf8.DecodeLastRuneInString(s); return r }

func isASCIIWordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'')
}

var (
	sourceLabelRe = regexp.MustCompile(`(?i)^(?:source|sources|copyright|©|\(c\)|本文来源|本文來源|来源|來源|稿源|出处|出處)\s*[:：]?\s*(?:©|\(c\))?\s*(?:\d{4}\s*)?`)
	cjkDatelineRe = regexp.MustCompile(`^.{0,12}?\d{1,2}\s*月\s*\d{1,2}\s*日\s*电`)
	datelineTail  = regexp.MustCompile(`^\s*(?:--|—|–|-|:|：)`)
	// After the outlet's name a sign-off holds only a date or plain words
	// ("April 5, 2006", "reporter"), not a sentence.
	creditTailRe = regexp.MustCompile(`^[\s\w.,:\-年月日号]*$`)
)

// SniffOutlet suggests the outlet a text names as its own, or "". Only
// self-references count: a byline or credit line that is just the outlet's
// name, a sign-off or dateline like "(China Daily April 5, 2006)" or
// "BEIJING, Jan 5 (Xinhua) --", "Source: Reuters", "新华社北京4月5日电".
// Outlets the text merely cites ("told NBC News", "(Xinhua/photographer)"
// photo credits, "美国全国广播公司(NBC)") are ignored.
func SniffOutlet(text string) string {
	text = metaWindow(text)
	best, bestScore := "", 0
	consider := func(name string, score int) {
		if name != "" && score > bestScore {
			best, bestScore = name, score
		}
	}
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || utf8.RuneCountInString(line) > 400 {
			continue
		}
		// A line that is only the outlet's name: byline or end credit.
		trimmed := strings.Trim(line, " \t.,;:|—–-_*·•()（）[]")
		consider(outletExact(trimmed), 90)

		// "Source: X", "© 2024 X".
		if loc := sourceLabelRe.FindStringIndex(line); loc != nil && loc[1] > 0 {
			consider(outletAtStart(strings.TrimSpace(line[loc[1]:])), 80)
		}
		// Chinese wire dateline: 新华社北京4月5日电.
		if name := outletAtStart(line); name != "" && utf8.RuneCountInString(line) > 4 {
			for _, a := range outletAliases {
				if a.name == name && strings.HasPrefix(line, a.alias) {
					if cjkDatelineRe.MatchString(line[len(a.alias):]) {
						consider(name, 85)
					}
					break
				}
			}
		}
		// "By Jane Doe, Reuters" / "Jane Doe | Global Times" bylines.
		if utf8.RuneCountInString(line) <= 100 && (strings.HasPrefix(line, "By ") || strings.HasPrefix(line, "BY ")) {
			for _, sep := range []string{",", "|", "/", " - ", " for "} {
				if i := strings.LastIndex(line, sep); i > 0 {
					consider(outletExact(strings.Trim(line[i+len(sep):], " .")), 70)
				}
			}
		}
		// Parentheticals: sign-offs and datelines.
		for i := 0; i < len(line); {
			j := strings.IndexAny(line[i:], "(（")
			if j < 0 {
				break
			}
			open := i + j
			_, w := utf8.DecodeRuneInString(line[open:])
			inner := line[open+w:]
			closeRel := strings.IndexAny(inner, ")）")
			if closeRel < 0 {
				break
			}
			content := inner[:closeRel]
			_, cw := utf8.DecodeRuneInString(inner[closeRel:])
			after := inner[closeRel+cw:]
			i = open + w + closeRel + cw
			name := outletAtStart(strings.TrimSpace(content))
			if name == "" {
				continue
			}
			rest := strings.TrimSpace(content)
			for _, a := range outletAliases {
				if a.name == name && strings.HasPrefix(rest, a.alias) {
					rest = rest[len(a.alias):]
					break
				}
			}
			// "(Xinhua/Sun Fanyue)" is a photo credit; "(NBC)官网" glosses
			// an abbreviation. Neither is the text speaking of itself.
			if strings.HasPrefix(strings.TrimSpace(rest), "/") {
				continue
			}
			if !creditTailRe.MatchString(rest) {
				continue
			}
			before := strings.TrimSpace(line[:open])
			switch {
			case before == "" && strings.TrimSpace(after) == "":
				consider(name, 85) // whole-line sign-off
			case datelineTail.MatchString(after) && before != "" && utf8.RuneCountInString(before) <= 60:
				consider(name, 85) // "BEIJING, Jan 5 (Xinhua) --"
			case strings.TrimSpace(after) == "" && rest != "" && strings.TrimSpace(rest) != "":
				consider(name, 60) // "...text. (China Daily April 5, 2006)" at a paragraph's end
			}
		}
	}
	return best
}

// ---------- title for plain text ----------

var kickerRe = regexp.MustCompile(`^[\p{Lu}\d\s\p{Z}/|&·•:,.\-–—]+$`)

// sniffPlainTitle suggests the first line as a title only when it looks
// like a headline: short, not ending like a sentence, and set off by a
// blank line or followed by a date/byline line. An all-caps section
// kicker ("CHINA / SOCIETY") before it is skipped.
func sniffPlainTitle(text string) string {
	if len(text) > 4096 {
		text = text[:4096]
	}
	lines := strings.Split(text, "\n")
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i < len(lines) {
		first := strings.TrimSpace(lines[i])
		if utf8.RuneCountInString(first) <= 40 && kickerRe.MatchString(first) && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			i++
		}
	}
	if i >= len(lines) {
		return ""
	}
	cand := strings.TrimSpace(lines[i])
	n := utf8.RuneCountInString(cand)
	if n < 4 || n > 200 {
		return ""
	}
	switch lastRune(cand) {
	case '.', '。', ',', '，', ';', '；', ':', '：', '、':
		return ""
	}
	if hasCJK(cand) && n > 80 {
		return ""
	}
	// A dateline, byline or bare outlet name on top is not the headline.
	if isDateOrBylineLine(cand) || outletExact(cand) != "" || strings.Contains(cand, "://") {
		return ""
	}
	if i+1 >= len(lines) {
		return "" // a one-line file is the text, not its title
	}
	next := strings.TrimSpace(lines[i+1])
	switch {
	case next == "":
		return cand
	case isDateOrBylineLine(next):
		return cand
	case utf8.RuneCountInString(next) <= 60 && SniffDate(next) != "":
		return cand // "2025年01月05日 10:30 来源：…" under a headline
	}
	return ""
}

func isDateOrBylineLine(s string) bool {
	if utf8.RuneCountInString(s) > 100 {
		return false
	}
	l := strings.ToLower(s)
	for _, p := range []string{"published", "posted", "updated", "by ", "date", "source", "发布", "发表", "來源", "来源", "作者", "記者", "记者"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func hasCJK(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// isoDate reads the date part of an ISO 8601 timestamp or any date form
// SniffDate knows, as metadata attributes use.
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		if y, err1 := strconv.Atoi(s[0:4]); err1 == nil && (s[4] == '-' || s[4] == '/') {
			m, err2 := strconv.Atoi(s[5:7])
			d, err3 := strconv.Atoi(s[8:10])
			if err2 == nil && err3 == nil {
				return validDate(y, m, d)
			}
		}
	}
	return SniffDate(s)
}
