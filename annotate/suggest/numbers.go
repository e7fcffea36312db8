package suggest

import (
	"gloss/annotate/numerals"
	"strconv"
	"strings"
	"unicode"

	"gloss/annotate/lexicon"
)

// Number and date evidence is written as keys both languages share:
//
//	n:24000   a quantity (24,000 = 24000 = 2.4万 = 两万四千; 五倍 = five times)
//	n:~10000  an order of magnitude (数万 = tens of thousands)
//	y:2023    a year;  fy:2023 a fiscal year (2023财年 = fiscal year 2023)
//	m:4       a month; d:4-6 a day (4月6日 = April 6)
//	q:more    "more than" and kin (多/逾/超过 = more than/over); q:near (近/约 = nearly/about)
//
// qualifierWeight: "more than" agrees with 多 but says little by itself.
const qualifierWeight = 0.5

func numKey(v float64) string { return "n:" + strconv.FormatFloat(v, 'f', -1, 64) }

var months = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}

var smallNums = map[string]float64{
	"zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"dozen": 12, "one": 1,
}

var scales = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

var multiples = map[string]float64{
	"twice": 2, "double": 2, "doubled": 2, "doubling": 2, "triple": 3, "tripled": 3, "tripling": 3,
	"quadruple": 4, "quadrupled": 4, "twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5,
	"sixfold": 6, "sevenfold": 7, "eightfold": 8, "ninefold": 9, "tenfold": 10, "half": 0.5,
}

var moreWords = toSet("more over above exceeding exceeded exceed exceeds upwards beyond least excess topped surpassed")
var nearWords = toSet("nearly almost about around approximately roughly some close estimated")

// englishNumbers adds the number, date and quantifier keys of Latin text.
func englishNumbers(toks []token, add func(key string, w float64)) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w := t.word
		if m, ok := months[strings.TrimSuffix(w, ".")]; ok && isMonthUse(toks, i) {
			add("m:"+strconv.Itoa(m), 1)
			if d, ok := dayNumber(toks, i+1); ok {
				add("d:"+strconv.Itoa(m)+"-"+strconv.Itoa(d), 1)
			} else if d, ok := dayNumber(toks, i-1); ok {
				add("d:"+strconv.Itoa(m)+"-"+strconv.Itoa(d), 1)
			}
			continue
		}
		if v, ok := multiples[w]; ok {
			add(numKey(v), 1)
			continue
		}
		if strings.HasSuffix(w, "fold") {
			if v, ok := smallNums[strings.TrimSuffix(strings.TrimSuffix(w, "fold"), "-")]; ok {
				add(numKey(v), 1)
				continue
			}
		}
		// Orders of magnitude: "tens of thousands", "hundreds", "millions".
		if mag, ok := magnitudes[w]; ok {
			if i+2 < len(toks) && toks[i+1].word == "of" {
				if m2, ok := magnitudes[toks[i+2].word]; ok {
					add("n:~"+strconv.FormatFloat(mag*m2, 'f', -1, 64), 1)
					i += 2
					continue
				}
			}
			add("n:~"+strconv.FormatFloat(mag, 'f', -1, 64), 1)
			continue
		}
		if t.han {
			continue // Arabic numerals in Chinese text: chineseNumbers reads them with 万, 年, 多
		}
		v, n, ok := parseEnglishNumber(toks, i)
		if !ok {
			continue
		}
		// "fiscal year 2023", "fiscal 2023", "FY2023", "FY 2023"
		if isYear(v, toks[i].word) {
			add("y:"+strconv.Itoa(int(v)), 1)
			if (i >= 1 && (toks[i-1].word == "fiscal" || toks[i-1].word == "fy")) ||
				(i >= 2 && toks[i-2].word == "fiscal" && toks[i-1].word == "year") {
				add("fy:"+strconv.Itoa(int(v)), 1)
			}
		}
		add(numKey(v), 1)
		for k := i - 1; k >= 0 && k >= i-3; k-- {
			if moreWords[toks[k].word] {
				add("q:more", qualifierWeight)
			}
			if nearWords[toks[k].word] {
				add("q:near", qualifierWeight)
			}
		}
		i += n - 1
	}
	for _, t := range toks {
		if strings.HasPrefix(t.word, "fy") && len(t.word) == 6 {
			if y, err := strconv.Atoi(t.word[2:]); err == nil && y >= 1900 && y <= 2100 {
				add("fy:"+strconv.Itoa(y), 1)
				add("y:"+strconv.Itoa(y), 1)
				add(numKey(float64(y)), 1)
			}
		}
	}
}

var magnitudes = map[string]float64{"tens": 10, "dozens": 10, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}

func isYear(v float64, w string) bool {
	return v >= 1900 && v <= 2100 && v == float64(int(v)) && len(w) == 4
}

// isMonthUse tells the month "May" or "March" from the verb or noun: a bare
// month name counts when capitalised and not first in the sentence, or next
// to a number.
func isMonthUse(toks []token, i int) bool {
	w := strings.TrimSuffix(toks[i].word, ".")
	if !unicode.IsUpper([]rune(toks[i].orig)[0]) {
		return false
	}
	_, d1 := dayNumber(toks, i+1)
	_, d2 := dayNumber(toks, i-1)
	if d1 || d2 {
		return true
	}
	if w == "may" || w == "march" || len(w) <= 4 {
		return i > 0 && i+1 < len(toks) && isDigits(toks[i+1].word)
	}
	return true
}

func dayNumber(toks []token, i int) (int, bool) {
	if i < 0 || i >= len(toks) {
		return 0, false
	}
	w := toks[i].word
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		w = strings.TrimSuffix(w, suf)
	}
	if !isDigits(w) || len(w) > 2 {
		return 0, false
	}
	d, _ := strconv.Atoi(w)
	return d, d >= 1 && d <= 31
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseEnglishNumber reads a quantity starting at toks[i]: "24,000",
// "2.4 million", "twenty-four thousand", "a dozen" is left out (too weak).
// It returns the value and how many tokens it used.
func parseEnglishNumber(toks []token, i int) (float64, int, bool) {
	w := toks[i].word
	if v, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", ""), 64); err == nil && isNumeral(w) {
		n := 1
		if i+1 < len(toks) {
			if s, ok := scales[toks[i+1].word]; ok {
				v *= s
				n++
			}
		}
		return v, n, true
	}
	if _, ok := smallNums[w]; !ok {
		if _, ok := scales[w]; !ok {
			return 0, 0, false
		}
	}
	total, cur := 0.0, 0.0
	n := 0
	for k := i; k < len(toks); k++ {
		tw := toks[k].word
		if v, ok := smallNums[tw]; ok {
			cur += v
		} else if s, ok := scales[tw]; ok {
			if cur == 0 {
				cur = 1
			}
			if s == 100 {
				cur *= s
			} else {
				total += cur * s
				cur = 0
			}
		} else if tw == "and" && k > i && k+1 < len(toks) {
			if _, ok := smallNums[toks[k+1].word]; !ok {
				break
			}
		} else {
			break
		}
		n++
	}
	v := total + cur
	if n == 1 && w == "one" {
		return 0, 0, false // "one of", "one reader": not a quantity worth matching
	}
	return v, n, n > 0
}

func isNumeral(w string) bool {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return false
	}
	for _, c := range w {
		if !(c >= '0' && c <= '9' || c == ',' || c == '.') {
			return false
		}
	}
	return true
}

// Chinese numerals.
func isCNNum(r []rune, i int) bool {
	c := r[i]
	if c >= '0' && c <= '9' || c >= '０' && c <= '９' {
		return true
	}
	if c == '.' || c == ',' {
		return i > 0 && i+1 < len(r) && isASCIIDigit(r[i-1]) && isASCIIDigit(r[i+1])
	}
	return numerals.IsChineseNumeral(c)
}

func isASCIIDigit(c rune) bool { return c >= '0' && c <= '9' || c >= '０' && c <= '９' }

// chineseNumbers adds number and date keys for Chinese numerals and for
// Arabic numerals inside Chinese text (with their 年/月/日/倍/多 context).
func chineseNumbers(r []rune, add func(key string, w float64)) {
	for i := 0; i < len(r); {
		if !isCNNum(r, i) || (r[i] == '.' || r[i] == ',') {
			i++
			continue
		}
		// Arabic digits in Latin context are handled by englishNumbers.
		if isASCIIDigit(r[i]) && !nearHan(r, i) {
			for i < len(r) && isCNNum(r, i) {
				i++
			}
			continue
		}
		j := i
		for j < len(r) && isCNNum(r, j) {
			j++
		}
		run := r[i:j]
		prev := func(k int) string { return string(r[max(0, i-k):i]) }
		next := func(k int) string { return string(r[j:min(len(r), j+k)]) }
		if u, units := numerals.UnitsOnly(run); units {
			// 数万 / 几百万 / 上千: an order of magnitude (tens of thousands,
			// millions, thousands); other bare units (百姓, 万里) are no number.
			if p := prev(1); p == "数" || p == "數" || p == "几" || p == "幾" || p == "上" {
				add("n:~"+strconv.FormatFloat(u, 'f', -1, 64), 1)
				i = j
				continue
			}
			if string(run) != "十" {
				i = j
				continue
			}
		}
		v, ok := numerals.ParseChinese(string(run))
		if !ok {
			i = j
			continue
		}
		if !isASCIIDigit(r[i]) && !numerals.CountsAsNumber(r, i, j) {
			i = j
			continue
		}
		switch {
		case strings.HasPrefix(next(1), "月") && v >= 1 && v <= 12 && v == float64(int(v)):
			m := int(v)
			add("m:"+strconv.Itoa(m), 1)
			k := j + 1
			e := k
			for e < len(r) && isCNNum(r, e) {
				e++
			}
			if e > k && e < len(r) && (r[e] == '日' || r[e] == '号' || r[e] == '號') {
				if d, ok := numerals.ParseChinese(string(r[k:e])); ok && d >= 1 && d <= 31 {
					add("d:"+strconv.Itoa(m)+"-"+strconv.Itoa(int(d)), 1)
				}
				j = e + 1
			}
		case strings.HasPrefix(next(1), "日") || strings.HasPrefix(next(1), "号") || strings.HasPrefix(next(1), "點") || strings.HasPrefix(next(1), "点"):
			// a day or a clock time without a month: too weak to count
		case strings.HasPrefix(next(1), "年") || strings.HasPrefix(next(2), "财年") || strings.HasPrefix(next(2), "財年"):
			y := v
			if len(run) == 2 && isASCIIDigit(run[0]) { // "23年" in a year context
				y += 2000
			}
			if y >= 1900 && y <= 2100 {
				add("y:"+strconv.Itoa(int(y)), 1)
				add(numKey(y), 1)
				if strings.HasPrefix(next(2), "财年") || strings.HasPrefix(next(2), "財年") {
					add("fy:"+strconv.Itoa(int(y)), 1)
				}
			} else {
				add(numKey(v), 1) // "三年": a span of years
			}
		default:
			add(numKey(v), 1)
			if strings.HasPrefix(next(1), "多") || strings.HasPrefix(next(1), "余") || strings.HasPrefix(next(1), "餘") ||
				strings.HasPrefix(next(2), "以上") || strings.HasPrefix(next(2), "倍多") {
				add("q:more", qualifierWeight)
			}
			for _, p := range []string{"超过", "超過", "逾", "多于", "多於", "高于", "高於", "至少", "超"} {
				if strings.HasSuffix(prev(len([]rune(p))), p) {
					add("q:more", qualifierWeight)
					break
				}
			}
			for _, p := range []string{"近", "将近", "將近", "接近", "约", "約", "大约", "大約", "差不多"} {
				if strings.HasSuffix(prev(len([]rune(p))), p) {
					add("q:near", qualifierWeight)
					break
				}
			}
			if strings.Contains(next(4), "左右") {
				add("q:near", qualifierWeight)
			}
		}
		i = j
	}
}

func nearHan(r []rune, i int) bool {
	j := i
	for j < len(r) && isCNNum(r, j) {
		j++
	}
	return (i > 0 && lexicon.IsHan(r[i-1])) || (j < len(r) && lexicon.IsHan(r[j]))
}
