// Package figures builds the figures table: every number the sources state,
// with its unit, what it counts (from the surrounding words, English or
// Chinese), its period and its passage; figures counting the same thing
// are grouped and groups whose values disagree beyond rounding are flagged
// as conflicts. Analyst overrides (merge, split, preferred, not a figure)
// are plain data the caller stores.
package figures

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"gloss/annotate"
	"gloss/annotate/lexicon"
	"gloss/annotate/numerals"
	"gloss/annotate/overlap"
	"gloss/annotate/suggest"
	"gloss/annotate/timeline"
)

// Figure is one number in one source.
type Figure struct {
	// ID is SourceID:start-end; overrides name figures by it.
	ID       string            `json:"id"`
	SourceID string            `json:"sourceId"`
	Language annotate.Language `json:"language,omitempty"`
	Number   numerals.Number   `json:"number"` // spans are code points into the source
	// Unit is the normalised unit: "people", "events", "percent", "times",
	// "USD", "CNY", or the counted noun itself ("ships", "flights").
	Unit string `json:"unit"`
	// Counts is what the number counts, as written ("Chinese citizens",
	// "此类过境事件").
	Counts string `json:"counts,omitempty"`
	// Period is the time the figure covers ("2023", "FY2023"); HasPeriod
	// is false when the text gives none.
	Period    timeline.Date `json:"period"`
	HasPeriod bool          `json:"hasPeriod"`
	// Passage is the sentence holding the figure: one click opens it.
	Passage suggest.Span `json:"passage"`

	// subject is what the figure is about (its clause), read once by
	// Extract; Groups compares figures by it, so figures decoded from JSON
	// group by unit and period only after Extract has read them again.
	subject bag
	subjKey uint64 // a hash of the clause's text: equal clauses, one subject
}

// Display is the figure as a table cell shows it: "more than 37,000 people".
func (f Figure) Display() string {
	s := f.Number.Display()
	if f.Unit != "" && f.Unit != "percent" && f.Unit != "times" {
		s += " " + f.Unit
	}
	return s
}

// PeriodLabel is "2023", "FY2023", "2024-05", or "" when unknown.
func (f Figure) PeriodLabel() string {
	if !f.HasPeriod {
		return ""
	}
	return f.Period.Label()
}

func figureID(src string, n numerals.Number) string {
	return fmt.Sprintf("%s:%d-%d", src, n.Start, n.End)
}

// Extract returns the figures of one source's text, in order. Numbers that
// are dates (years, days), clock times, zero, or labels (图3, No. 5) are
// not figures.
func Extract(src annotate.Source, text string) []Figure { return Read(src, text).Figures }

// Facts are what one source's text states: its dates (resolved against
// the source's published date), its sentences and its figures. Reading
// them is the cost of every judgment section, so a report reads them once
// per text and hands them to the figures table, the timeline and the
// summary checks.
type Facts struct {
	Dates     []timeline.Date
	Sentences []suggest.Span
	Figures   []Figure
}

// Read reads the facts of one source's text.
func Read(src annotate.Source, text string) Facts {
	dates := timeline.Dates(text, src.Published)
	sents := suggest.Sentences(text)
	return Facts{Dates: dates, Sentences: sents, Figures: extract(src, text, dates, sents)}
}

func extract(src annotate.Source, text string, dates []timeline.Date, sents []suggest.Span) []Figure {
	r := []rune(text)
	var out []Figure
	for _, n := range numerals.Scan(text) {
		if n.Value == 0 || inDate(dates, n) || clock(r, n) || label(r, n) || bareYear(r, n) {
			continue
		}
		f := Figure{ID: figureID(src.ID, n), SourceID: src.ID, Language: src.Language, Number: n}
		si := sort.Search(len(sents), func(i int) bool { return sents[i].End > n.NumStart })
		if si < len(sents) && sents[si].Start <= n.NumStart {
			f.Passage = sents[si]
		} else {
			f.Passage = suggest.Span{Start: n.Start, End: n.End, Text: n.Text}
		}
		f.Unit, f.Counts = unitOf(r, n)
		clause := clauseAround(r, f.Passage, n)
		subj := string(r[clause[0]:clause[1]])
		// 此类 "such", "these": what is counted was named in the sentence before.
		if anaphoric(subj) && si > 0 && si < len(sents) {
			subj = sents[si-1].Text + " " + subj
		}
		f.subject, f.subjKey = compact(overlap.Words(subj)), stemHash(subj)
		f.Period, f.HasPeriod = periodOf(r, dates, f.Passage, clause, n)
		out = append(out, f)
	}
	return out
}

func inDate(dates []timeline.Date, n numerals.Number) bool {
	for _, d := range dates {
		if n.NumStart < d.End && d.Start < n.NumEnd {
			return true
		}
	}
	return false
}

// clock: 12:51, 14:08:23.
func clock(r []rune, n numerals.Number) bool {
	return (n.NumEnd < len(r) && r[n.NumEnd] == ':') || (n.NumStart > 0 && r[n.NumStart-1] == ':')
}

// label: 图3, 第5, No. 5, #5, page 12 — a name, not a quantity.
func label(r []rune, n numerals.Number) bool {
	if n.NumStart > 0 && strings.ContainsRune("图圖第#№", r[n.NumStart-1]) {
		return true
	}
	// 80后, 90前: a generation, not a quantity.
	if n.Digits && n.NumEnd-n.NumStart == 2 && n.NumEnd < len(r) && strings.ContainsRune("前后後", r[n.NumEnd]) {
		return true
	}
	w := strings.ToLower(prevWord(r, n.Start))
	switch w {
	case "no", "no.", "page", "p", "pp", "chapter", "section", "article", "room", "flight", "route", "figure", "fig":
		return true
	}
	return false
}

// bareYear: a four-digit 1900–2100 integer written without separators in
// English ("the 2024 election") is a year the date reader did not claim.
func bareYear(r []rune, n numerals.Number) bool {
	if !n.Digits || n.Approx != numerals.Exact || n.Value < 1900 || n.Value > 2100 || n.NumEnd-n.NumStart != 4 {
		return false
	}
	if n.NumEnd < len(r) && lexicon.IsHan(r[n.NumEnd]) {
		return r[n.NumEnd] == '年'
	}
	return true
}

func prevWord(r []rune, k int) string {
	e := k
	for e > 0 && r[e-1] == ' ' {
		e--
	}
	s := e
	for s > 0 && (unicode.IsLetter(r[s-1]) || r[s-1] == '.') && !lexicon.IsHan(r[s-1]) {
		s--
	}
	return string(r[s:e])
}

// clauseAround is the stretch of the sentence between the punctuation
// around the number: what the figure is about is said there.
func clauseAround(r []rune, sent suggest.Span, n numerals.Number) [2]int {
	s, e := n.Start, n.End
	lo, hi := sent.Start, sent.End
	if hi <= lo {
		lo, hi = 0, len(r)
	}
	for s > lo && !clauseBreak(r, s-1) {
		s--
	}
	for e < hi && !clauseBreak(r, e) {
		e++
	}
	return [2]int{s, e}
}

func clauseBreak(r []rune, i int) bool {
	switch r[i] {
	case ',':
		// 24,000 keeps its comma.
		return !(i > 0 && i+1 < len(r) && unicode.IsDigit(r[i-1]) && unicode.IsDigit(r[i+1]))
	case '，', ';', '；', '。', '！', '？', '!', '?', ':', '：', '\n', '(', ')', '（', '）':
		return true
	}
	return false
}

func anaphoric(s string) bool {
	for _, a := range []string{"此类", "此類", "这类", "這類", "这些", "這些", "该", "該", "such ", "Such ", "these ", "These "} {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}

// periodOf picks the figure's period: a relative "the previous year" (前一年)
// before the number shifts the sentence's period back a year; otherwise
// the date stated in the same clause, else the nearest one before the
// number in the sentence, else the nearest after it.
func periodOf(r []rune, dates []timeline.Date, sent suggest.Span, clause [2]int, n numerals.Number) (timeline.Date, bool) {
	var inSent []timeline.Date
	for _, d := range dates {
		if d.Start >= sent.Start && d.End <= sent.End {
			inSent = append(inSent, d)
		}
	}
	pick := func() (timeline.Date, bool) {
		var best *timeline.Date
		for i := range inSent {
			d := &inSent[i]
			if d.Start >= clause[0] && d.End <= clause[1] {
				return *d, true
			}
		}
		for i := range inSent {
			if d := &inSent[i]; d.End <= n.Start {
				best = d
			}
		}
		if best == nil {
			for i := range inSent {
				if d := &inSent[i]; d.Start >= n.End {
					best = d
					break
				}
			}
		}
		if best == nil {
			return timeline.Date{}, false
		}
		return *best, true
	}
	if n.Approx == numerals.Multiple {
		return pick() // "ten times the previous year": the ratio is this year's
	}
	before := string(r[clause[0]:n.Start])
	for _, rel := range []string{"前一年", "上一年", "前一财年", "上一财年", "previous year", "prior year", "year before", "year earlier", "a year ago"} {
		if strings.Contains(before, rel) || strings.Contains(string(r[n.End:clause[1]]), rel) {
			// The sentence's own period, a year back.
			// The period last stated before it in the paragraph: 2023年…。
			// 比前一年的900多名… reads back across the full stop.
			para := sent.Start
			for para > 0 && r[para-1] != '\n' {
				para--
			}
			var base *timeline.Date
			for i := range dates {
				if dates[i].Start >= para && dates[i].End <= n.Start && dates[i].Precision != timeline.Day {
					base = &dates[i]
				}
			}
			if base == nil {
				return timeline.Date{}, false
			}
			d := *base
			d.From, d.To = d.From.AddDate(-1, 0, 0), d.To.AddDate(-1, 0, 0)
			d.Start, d.End, d.Text, d.Relative = n.Start, n.Start, rel, true
			return d, true
		}
	}
	return pick()
}

// Unit words. People and events are kept apart in the unit but grouped
// together: border statistics count encounters, which are people.
var enUnits = map[string]string{
	"citizens": "people", "citizen": "people", "nationals": "people", "people": "people", "persons": "people",
	"person": "people", "migrants": "people", "immigrants": "people", "individuals": "people",
	"deportees": "people", "residents": "people", "refugees": "people", "workers": "people", "students": "people",
	"tourists": "people", "passengers": "people", "travellers": "people", "travelers": "people",
	"children": "people", "adults": "people", "men": "people", "women": "people", "asylum": "people",
	"crossings": "events", "arrests": "events", "encounters": "events", "apprehensions": "events",
	"cases": "events", "incidents": "events", "events": "events", "deportations": "events",
	"removals": "events", "returns": "events", "repatriations": "events",
	"dollars": "USD", "yuan": "CNY", "rmb": "CNY", "euros": "EUR",
}

var cnUnits = []struct{ w, unit string }{
	{"美元", "USD"}, {"人民币", "CNY"}, {"元", "CNY"}, {"欧元", "EUR"},
	{"人次", "events"}, {"人", "people"}, {"名", "people"}, {"位", "people"}, {"起", "events"}, {"次", "events"},
	{"例", "events"}, {"宗", "events"}, {"件", "events"}, {"架次", "flights"}, {"架", "aircraft"}, {"艘", "ships"},
	{"辆", "vehicles"}, {"輛", "vehicles"}, {"家", "organisations"}, {"个", ""}, {"個", ""}, {"项", "items"},
}

// Chinese nouns that name people or events when no measure word does.
var cnNouns = []struct{ w, unit string }{
	{"公民", "people"}, {"移民", "people"}, {"人", "people"}, {"乘客", "people"}, {"游客", "people"},
	{"事件", "events"}, {"案件", "events"}, {"过境", "events"}, {"逮捕", "events"},
}

// unitOf reads the unit and the counted noun after the number.
func unitOf(r []rune, n numerals.Number) (unit, counts string) {
	switch n.Approx {
	case numerals.Percent:
		return "percent", ""
	case numerals.Multiple:
		return "times", ""
	}
	if n.Start > 0 && (r[n.Start-1] == '$' || (n.Start > 1 && string(r[n.Start-2:n.Start]) == "$ ")) {
		return "USD", ""
	}
	k := n.End
	if n.Han {
		// Measure word, then the noun up to the clause's end.
		for k < len(r) && (r[k] == ' ') {
			k++
		}
		e := k
		for e < len(r) && lexicon.IsHan(r[e]) && e-k < 12 {
			e++
		}
		tail := string(r[k:e])
		counts = tail
		for _, u := range cnUnits {
			if strings.HasPrefix(tail, u.w) {
				unit = u.unit
				counts = strings.TrimPrefix(tail, u.w)
				break
			}
		}
		// The noun after the measure word can say more (起…事件, 名…公民).
		for _, u := range cnNouns {
			if strings.Contains(counts, u.w) && (unit == "" || unit == "people" || unit == "events") {
				if unit == "" {
					unit = u.unit
				}
				break
			}
		}
		if i := strings.IndexAny(counts, "的了在是和"); i >= 0 && unit != "" {
			counts = counts[:i]
		}
		return unit, counts
	}
	// English: "of" after an order of magnitude, then up to four words
	// until a preposition, verb or punctuation; the last is the head noun.
	var words []string
	for len(words) < 5 {
		k = skipSpaces(r, k)
		e := k
		for e < len(r) && (unicode.IsLetter(r[e]) || r[e] == '-' || r[e] == '\'') && !lexicon.IsHan(r[e]) {
			e++
		}
		if e == k {
			break
		}
		w := string(r[k:e])
		lw := strings.ToLower(w)
		if lw == "of" && len(words) == 0 {
			k = e
			continue
		}
		if (lw == "and" || lw == "or") && len(words) > 0 {
			// "inbound and outbound passengers": go on if a word follows.
			if nk := skipSpaces(r, e); nk < len(r) && unicode.IsLetter(r[nk]) && !lexicon.IsHan(r[nk]) {
				k = e
				continue
			}
			break
		}
		if stopNoun[lw] || (len(words) > 0 && (strings.HasSuffix(lw, "ing") || strings.HasSuffix(lw, "ed"))) {
			break // a verb or participle ends the noun phrase
		}
		words = append(words, w)
		k = e
		if u, ok := enUnits[lw]; ok {
			return u, strings.Join(words, " ")
		}
	}
	if len(words) == 0 {
		return "", ""
	}
	head := strings.ToLower(words[len(words)-1])
	if personNoun(head) {
		return "people", strings.Join(words, " ")
	}
	return head, strings.Join(words, " ")
}

// personNoun guesses that a plural agent noun (smugglers, officers,
// protesters, activists, applicants, Mexicans) counts people, so that it
// meets 名 and 人 in Chinese. Things ending so (containers, numbers) are
// rarely counted in the same clause as the same subject.
func personNoun(w string) bool {
	for _, suf := range []string{"ers", "ors", "ists", "ants", "ents", "ees", "ians", "ans", "ites"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			switch w {
			case "containers", "numbers", "papers", "orders", "matters", "towers", "letters", "dollars", "meters", "metres", "liters", "litres", "kilometers", "kilometres", "events", "incidents", "percents", "plans", "loans", "scans":
				return false
			}
			return true
		}
	}
	return false
}

var stopNoun = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`at in on from to since who which that was were is are per for of with by than
		and or but as into over under after before during across who whose the a an this these those it its
		said says have has had will would could may might can be been being each every year years month months`) {
		stopNoun[w] = true
	}
}

func skipSpaces(r []rune, k int) int {
	for k < len(r) && (r[k] == ' ' || r[k] == '\u00a0') {
		k++
	}
	return k
}
