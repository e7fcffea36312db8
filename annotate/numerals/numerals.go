// Package numerals finds the quantities written in English or Chinese text,
// with their code-point spans: Arabic numerals (24,000; 2.4 million; 24000),
// Chinese numerals (两万四千, 二〇二三, 2.4万), English number words
// (twenty-four thousand), orders of magnitude (tens of thousands, 数万) and
// the qualifiers that bound them (more than, 多, 近, about, 左右).
//
// The figures table, the timeline and the summary check share it; the link
// engine (annotate/suggest) reads numbers as match keys without positions.
package numerals

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"gloss/annotate/lexicon"
)

// Approx says how a number bounds the quantity it writes.
type Approx string

const (
	Exact    Approx = ""          // as written, to its rounding
	More     Approx = "more"      // more than, over, 多, 余, 逾, 超过
	AtLeast  Approx = "atLeast"   // at least, 以上, or more
	Less     Approx = "less"      // fewer than, under, 不到, 不足
	AtMost   Approx = "atMost"    // up to, at most, 以下
	About    Approx = "about"     // about, around, 约, 左右
	Nearly   Approx = "nearly"    // nearly, almost, 近, 将近
	OrderOf  Approx = "magnitude" // tens of thousands, 数万
	Multiple Approx = "times"     // ten times, 五倍: a ratio, not a count
	Percent  Approx = "percent"   // 50 percent, 25%
)

// Number is one quantity in a text.
type Number struct {
	// Start, End: code points of the whole expression, qualifiers
	// included ("more than 37,000", "24000多").
	Start int `json:"start"`
	End   int `json:"end"`
	// NumStart, NumEnd: code points of the numeral itself.
	NumStart int     `json:"numStart"`
	NumEnd   int     `json:"numEnd"`
	Text     string  `json:"text"` // the whole expression as written
	Value    float64 `json:"value"`
	Approx   Approx  `json:"approx,omitempty"`
	// Step is the rounding the writing implies: 37,000 → 1,000; 2.4万 →
	// 1,000; 37 → 1; tens of thousands → the magnitude itself.
	Step float64 `json:"step"`
	// Han: the numeral sits in Chinese text (its unit and context are
	// Chinese); Digits: written in Arabic digits.
	Han    bool `json:"han,omitempty"`
	Digits bool `json:"digits,omitempty"`
}

// Bounds is the interval of values the expression is consistent with.
func (n Number) Bounds() (lo, hi float64) {
	v, s := n.Value, n.Step
	if s <= 0 {
		s = 1
	}
	switch n.Approx {
	case More:
		return v, v + math.Max(s, v*0.1)
	case AtLeast:
		return v, v + math.Max(s, v*0.1)
	case Less:
		return math.Max(0, v-math.Max(s, v*0.1)), v
	case AtMost:
		return 0, v
	case About:
		return v - math.Max(s/2, v*0.1), v + math.Max(s/2, v*0.1)
	case Nearly:
		return v - math.Max(s, v*0.1), v
	case OrderOf:
		return v, v * 10
	}
	return v - s/2, v + s/2
}

// Agrees reports whether two quantities can be the same number: their
// bounds overlap (a number written 37,000 and one written 36,800 agree;
// "more than 37,000" and "24,000多" do not).
func Agrees(a, b Number) bool {
	alo, ahi := a.Bounds()
	blo, bhi := b.Bounds()
	const eps = 1e-9
	return alo <= bhi+eps && blo <= ahi+eps
}

// Display writes the quantity back in words a report can show
// ("more than 37,000", "tens of thousands").
func (n Number) Display() string {
	v := strconv.FormatFloat(n.Value, 'f', -1, 64)
	if n.Value >= 1000 && n.Value == math.Trunc(n.Value) {
		v = groupThousands(int64(n.Value))
	}
	switch n.Approx {
	case More:
		return "more than " + v
	case AtLeast:
		return "at least " + v
	case Less:
		return "fewer than " + v
	case AtMost:
		return "up to " + v
	case About:
		return "about " + v
	case Nearly:
		return "nearly " + v
	case OrderOf:
		return "order of " + v
	case Multiple:
		return v + " times"
	case Percent:
		return v + "%"
	}
	return v
}

func groupThousands(v int64) string {
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Scan returns every quantity in text, in order.
func Scan(text string) []Number {
	r := []rune(text)
	var out []Number
	for i := 0; i < len(r); {
		var n Number
		var ok bool
		switch {
		case isDigit(r[i]) || isCNNumeral(r[i]):
			n, ok = scanNumeral(r, i)
		case unicode.IsLetter(r[i]) && (i == 0 || !unicode.IsLetter(r[i-1])):
			n, ok = scanWords(r, i)
		}
		if !ok {
			i++
			continue
		}
		n.Text = string(r[n.Start:n.End])
		out = append(out, n)
		i = max(n.End, n.NumEnd, i+1)
	}
	return out
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' || c >= '０' && c <= '９' }

var cnDigit = map[rune]float64{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '兩': 2, '三': 3, '四': 4, '五': 5, '六': 6,
	'七': 7, '八': 8, '九': 9, '壹': 1, '贰': 2, '貳': 2, '叁': 3, '參': 3, '肆': 4, '伍': 5,
	'陆': 6, '陸': 6, '柒': 7, '捌': 8, '玖': 9,
}

var cnUnit = map[rune]float64{
	'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000, '万': 1e4, '萬': 1e4, '亿': 1e8, '億': 1e8,
}

// IsChineseNumeral reports whether c is a Chinese digit or unit.
func IsChineseNumeral(c rune) bool { return isCNNumeral(c) }

func isCNNumeral(c rune) bool {
	_, d := cnDigit[c]
	_, u := cnUnit[c]
	return d || u
}

// scanNumeral reads a run of digits and/or Chinese numerals at i.
func scanNumeral(r []rune, i int) (Number, bool) {
	// Inside a run already turned down (COVID-19's 9): nothing new starts here.
	if i > 0 && (isDigit(r[i-1]) || isCNNumeral(r[i-1])) {
		return Number{}, false
	}
	// A digit glued to letters is a code or a name (21-C, A380, 4G), not a quantity.
	if i > 0 && (unicode.IsLetter(r[i-1]) && !lexicon.IsHan(r[i-1])) && isDigit(r[i]) {
		return Number{}, false
	}
	j := i
	for j < len(r) {
		c := r[j]
		if isDigit(c) || isCNNumeral(c) {
			j++
			continue
		}
		// 24,000 and 2.4: a separator between digits.
		if (c == ',' || c == '.' || c == '，') && j+1 < len(r) && isDigit(r[j+1]) && j > i && isDigit(r[j-1]) {
			if c == ',' && !(j+3 < len(r)+0 && isGroup(r, j+1)) {
				break
			}
			if c == '，' {
				break
			}
			j++
			continue
		}
		break
	}
	if j < len(r) && isDigit(r[i]) && unicode.IsLetter(r[j]) && !lexicon.IsHan(r[j]) && !isEnglishSuffix(r, j) {
		return Number{}, false // 3D, 5G, 2nd is handled as a suffix
	}
	// COVID-19, F-35: a name with a number in it.
	if isDigit(r[i]) && i > 1 && r[i-1] == '-' && unicode.IsLetter(r[i-2]) && !lexicon.IsHan(r[i-2]) {
		return Number{}, false
	}
	if j+1 < len(r) && r[j] == '-' {
		if w, _ := wordAt(r, j+1); len([]rune(w)) == 1 {
			return Number{}, false // 21-C, 737-M: a name or a code
		}
	}
	// 前一年, 上个月, 当天: relative time, not a quantity.
	if i > 0 && j < len(r) && strings.ContainsRune("前后後上下同当當每", r[i-1]) && strings.ContainsRune("年月天日", r[j]) && !isDigit(r[i]) {
		return Number{}, false
	}
	run := r[i:j]
	han := (i > 0 && lexicon.IsHan(r[i-1])) || (j < len(r) && lexicon.IsHan(r[j])) || !isDigit(r[i])
	n := Number{Start: i, End: j, NumStart: i, NumEnd: j, Han: han, Digits: isDigit(r[i])}
	if u, units := UnitsOnly(run); units {
		// 数万, 几百, 上千: an order of magnitude; other bare units are words.
		if i > 0 && strings.ContainsRune("数數几幾上", r[i-1]) {
			n.Start, n.Value, n.Approx, n.Step = i-1, u, OrderOf, u
			return qualifyCN(r, n), true
		}
		if string(run) != "十" {
			return Number{}, false
		}
	}
	v, ok := ParseChinese(string(run))
	if !ok {
		return Number{}, false
	}
	if !n.Digits && !CountsAsNumber(r, i, j) {
		return Number{}, false
	}
	n.Value = v
	n.Step = step(run, v)
	// English scale words after digits: "2.4 million", "37 thousand".
	if n.Digits && !han {
		k := skipSpace(r, j)
		w, e := wordAt(r, k)
		if s, ok := scales[strings.ToLower(w)]; ok {
			n.Value *= s
			n.Step *= s
			n.End, n.NumEnd = e, e
		}
	}
	if han {
		return qualifyCN(r, n), true
	}
	return qualifyEN(r, n), true
}

func isGroup(r []rune, k int) bool {
	// Exactly three digits after a thousands comma.
	for d := 0; d < 3; d++ {
		if k+d >= len(r) || !isDigit(r[k+d]) {
			return false
		}
	}
	return k+3 >= len(r) || !isDigit(r[k+3])
}

func isEnglishSuffix(r []rune, j int) bool {
	w, _ := wordAt(r, j)
	switch strings.ToLower(w) {
	case "st", "nd", "rd", "th", "s", "m", "bn", "k", "pm", "am":
		return true
	}
	return false
}

// step is the rounding unit a numeral's writing implies: the place of its
// last significant digit (37,000 → 1,000; 2.4万 → 1,000; 24000 → 1,000).
func step(run []rune, v float64) float64 {
	digits := 0
	dec := -1
	for _, c := range run {
		switch {
		case c == '.':
			dec = 0
		case isDigit(c):
			digits++
			if dec >= 0 {
				dec++
			}
		}
	}
	if dec > 0 {
		// 2.4万: one decimal of a 万 scale → 1,000.
		return math.Pow(10, -float64(dec)) * scaleOf(run)
	}
	if v == 0 || v != math.Trunc(v) {
		return 1
	}
	s := 1.0
	for x := int64(v); x%10 == 0 && x != 0; x /= 10 {
		s *= 10
	}
	return s
}

func scaleOf(run []rune) float64 {
	s := 1.0
	for _, c := range run {
		if u, ok := cnUnit[c]; ok && u >= 1e4 {
			s *= u
		}
	}
	return s
}

// UnitsOnly reports whether run is Chinese units only (万, 千万) and their
// product: "数万" is an order of magnitude, not a number.
func UnitsOnly(run []rune) (float64, bool) {
	u := 1.0
	for _, c := range run {
		v, ok := cnUnit[c]
		if !ok {
			return 0, false
		}
		u *= v
	}
	return u, len(run) > 0
}

// ParseChinese reads a run of Chinese and/or Arabic numerals: "24000",
// "24,000", "2.4万", "两万四千", "二〇二三", "十五". ok is false when the run
// is not a well-formed number (units only, or empty).
func ParseChinese(s string) (float64, bool) {
	run := []rune(strings.ReplaceAll(s, ",", ""))
	if len(run) == 0 {
		return 0, false
	}
	positional := true
	for _, c := range run {
		if _, u := cnUnit[c]; u {
			positional = false
		}
	}
	if positional {
		var b strings.Builder
		for _, c := range run {
			switch {
			case c >= '0' && c <= '9', c == '.':
				b.WriteRune(c)
			case c >= '０' && c <= '９':
				b.WriteRune('0' + c - '０')
			default:
				d, ok := cnDigit[c]
				if !ok {
					return 0, false
				}
				b.WriteRune('0' + rune(d))
			}
		}
		v, err := strconv.ParseFloat(b.String(), 64)
		return v, err == nil
	}
	total, section, cur := 0.0, 0.0, 0.0
	seen := false
	for k := 0; k < len(run); k++ {
		c := run[k]
		if isDigit(c) {
			e := k
			for e < len(run) && (isDigit(run[e]) || run[e] == '.') {
				e++
			}
			v, ok := ParseChinese(string(run[k:e]))
			if !ok {
				return 0, false
			}
			cur, seen = v, true
			k = e - 1
			continue
		}
		if d, ok := cnDigit[c]; ok {
			cur, seen = d, true
			continue
		}
		u, ok := cnUnit[c]
		if !ok {
			return 0, false
		}
		if u >= 1e4 {
			section += cur
			if section == 0 && total == 0 && !seen {
				return 0, false
			}
			if u == 1e8 {
				total = (total + section) * u
			} else {
				total += section * u
			}
			section, cur = 0, 0
			continue
		}
		if cur == 0 {
			if k > 0 && !seen {
				return 0, false
			}
			cur = 1 // 十五 = 15
		}
		section += cur * u
		cur = 0
		seen = true
	}
	if !seen {
		return 0, false
	}
	return total + section + cur, true
}

// CountsAsNumber reports whether the numeral run r[i:j] is a number rather
// than part of an ordinary word (一直 "always", 十分 "very", 统一 "unify",
// 万一 "in case"): a Chinese numeral counts unless a dictionary word whose
// first sense has no number overlaps its edge.
func CountsAsNumber(r []rune, i, j int) bool {
	if j < len(r) && strings.ContainsRune("月年日号號倍%％", r[j]) {
		return true
	}
	if j-i == 1 && (r[i] == '一' || r[i] == '壹') && !(j < len(r) && measure(r[j])) {
		return false
	}
	for a := max(0, i-2); a <= i; a++ {
		for b := j; b <= min(len(r), j+2); b++ {
			if b-a < 2 || (a == i && b == j) || (a < i && b > j) {
				continue
			}
			w := string(r[a:b])
			if lexicon.IsWord(w) && !glossHasNumber(w) {
				return false
			}
		}
	}
	return true
}

func measure(c rune) bool {
	return strings.ContainsRune("个個名人起次例位家项項件条條架艘辆輛元块塊倍岁歲天", c)
}

var numberWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("zero one two three four five six seven eight nine ten eleven twelve hundred thousand million billion both twice double first second third fourth fifth half dozen") {
		numberWords[w] = true
	}
}

func glossHasNumber(w string) bool {
	gs := lexicon.Glosses(w)
	if len(gs) == 0 {
		return true
	}
	for _, f := range strings.FieldsFunc(strings.ToLower(gs[0]), func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
		if numberWords[f] || isDigit([]rune(f)[0]) {
			return true
		}
	}
	return false
}

func skipSpace(r []rune, k int) int {
	for k < len(r) && (r[k] == ' ' || r[k] == '\u00a0') {
		k++
	}
	return k
}

// wordAt returns the Latin word starting at k (letters, inner hyphens
// excluded) and where it ends.
func wordAt(r []rune, k int) (string, int) {
	e := k
	for e < len(r) && unicode.IsLetter(r[e]) && !lexicon.IsHan(r[e]) {
		e++
	}
	return string(r[k:e]), e
}

// prevWord returns the Latin word ending just before k (skipping spaces)
// and where it starts.
func prevWord(r []rune, k int) (string, int) {
	e := k
	for e > 0 && (r[e-1] == ' ' || r[e-1] == '\u00a0') {
		e--
	}
	s := e
	for s > 0 && unicode.IsLetter(r[s-1]) && !lexicon.IsHan(r[s-1]) {
		s--
	}
	return strings.ToLower(string(r[s:e])), s
}

var scales = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mn": 1e6, "bn": 1e9}

// Qualifiers before an English number, longest first.
var enBefore = []struct {
	words []string
	a     Approx
}{
	{[]string{"more", "than"}, More}, {[]string{"greater", "than"}, More}, {[]string{"in", "excess", "of"}, More},
	{[]string{"upwards", "of"}, More}, {[]string{"at", "least"}, AtLeast}, {[]string{"no", "fewer", "than"}, AtLeast},
	{[]string{"fewer", "than"}, Less}, {[]string{"less", "than"}, Less}, {[]string{"up", "to"}, AtMost},
	{[]string{"at", "most"}, AtMost}, {[]string{"close", "to"}, Nearly}, {[]string{"nearly"}, Nearly},
	{[]string{"almost"}, Nearly}, {[]string{"about"}, About}, {[]string{"around"}, About},
	{[]string{"approximately"}, About}, {[]string{"roughly"}, About}, {[]string{"some"}, About},
	{[]string{"an", "estimated"}, About}, {[]string{"estimated"}, About}, {[]string{"over"}, More},
	{[]string{"above"}, More}, {[]string{"exceeding"}, More}, {[]string{"under"}, Less}, {[]string{"below"}, Less},
}

func qualifyEN(r []rune, n Number) Number {
	// Before: match the qualifier words backwards.
	for _, q := range enBefore {
		k := n.Start
		ok := true
		for w := len(q.words) - 1; w >= 0; w-- {
			pw, s := prevWord(r, k)
			if pw != q.words[w] {
				ok = false
				break
			}
			k = s
		}
		if ok {
			n.Start, n.Approx = k, q.a
			break
		}
	}
	// After: "%", "percent", "times", "or more", "plus".
	k := skipSpace(r, n.End)
	if k < len(r) && (r[k] == '%' || r[k] == '％') {
		n.End, n.Approx = k+1, Percent
		return n
	}
	if k < len(r) && r[k] == '-' {
		k++
	}
	w, e := wordAt(r, k)
	switch strings.ToLower(w) {
	case "percent", "per":
		if strings.ToLower(w) == "per" {
			if w2, e2 := wordAt(r, skipSpace(r, e)); strings.ToLower(w2) == "cent" {
				e = e2
			} else {
				break
			}
		}
		n.End, n.Approx = e, Percent
	case "times", "fold":
		n.End, n.Approx = e, Multiple
	case "or":
		if w2, e2 := wordAt(r, skipSpace(r, e)); strings.ToLower(w2) == "more" && n.Approx == Exact {
			n.End, n.Approx = e2, AtLeast
		}
	case "plus":
		if n.Approx == Exact {
			n.End, n.Approx = e, AtLeast
		}
	}
	if k < len(r) && r[k] == '+' && n.Approx == Exact {
		n.End, n.Approx = k+1, AtLeast
	}
	return n
}

func hasPrefixAt(r []rune, k int, s string) bool {
	p := []rune(s)
	if k < 0 || k+len(p) > len(r) {
		return false
	}
	return string(r[k:k+len(p)]) == s
}

func qualifyCN(r []rune, n Number) Number {
	for _, p := range []struct {
		s string
		a Approx
	}{{"超过", More}, {"超過", More}, {"多于", More}, {"多於", More}, {"高于", More}, {"逾", More}, {"超", More},
		{"至少", AtLeast}, {"不少于", AtLeast}, {"不到", Less}, {"不足", Less}, {"少于", Less}, {"将近", Nearly},
		{"將近", Nearly}, {"接近", Nearly}, {"近", Nearly}, {"大约", About}, {"大約", About}, {"约", About}, {"約", About},
		{"差不多", Nearly}, {"上万", OrderOf}} {
		if n.Approx == OrderOf {
			break
		}
		k := n.Start - len([]rune(p.s))
		if hasPrefixAt(r, k, p.s) {
			n.Start, n.Approx = k, p.a
			break
		}
	}
	j := n.End
	switch {
	case j < len(r) && strings.ContainsRune("多余餘", r[j]) && n.Approx != OrderOf:
		// 2000多 is 2000–3000, 24000多 24000–25000: the step stays the
		// last significant place.
		n.End, n.Approx = j+1, More
	case hasPrefixAt(r, j, "以上"):
		n.End, n.Approx = j+2, AtLeast
	case hasPrefixAt(r, j, "以下"):
		n.End, n.Approx = j+2, AtMost
	case j < len(r) && (r[j] == '%' || r[j] == '％'):
		n.End, n.Approx = j+1, Percent
	case j < len(r) && r[j] == '倍':
		n.End, n.Approx = j+1, Multiple
		if j+1 < len(r) && r[j+1] == '多' {
			n.End++
		}
	}
	if hasPrefixAt(r, n.NumStart, "百分之") {
		n.Approx = Percent
	}
	// 左右 ("or so") may follow a measure word: 4000人左右.
	for k := n.End; k <= n.End+2 && k < len(r); k++ {
		if hasPrefixAt(r, k, "左右") {
			n.Approx = About
			break
		}
	}
	return n
}

var smallNums = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"dozen": 12,
}

var magnitudes = map[string]float64{"tens": 10, "dozens": 10, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}

// scanWords reads English number words at i: "twenty-four thousand",
// "tens of thousands", "hundreds", "a dozen" is left out (too weak).
func scanWords(r []rune, i int) (Number, bool) {
	w, e := wordAt(r, i)
	lw := strings.ToLower(w)
	if m, ok := magnitudes[lw]; ok {
		n := Number{Start: i, NumStart: i, End: e, NumEnd: e, Value: m, Approx: OrderOf, Step: m}
		// "tens of thousands", "hundreds of millions"
		if w2, e2 := wordAt(r, skipSpace(r, e)); strings.ToLower(w2) == "of" {
			if w3, e3 := wordAt(r, skipSpace(r, e2)); magnitudes[strings.ToLower(w3)] > 0 {
				n.Value *= magnitudes[strings.ToLower(w3)]
				n.Step = n.Value
				n.End, n.NumEnd = e3, e3
			}
		}
		// "tens", "hundreds" alone must count something: "hundreds of people".
		if n.End == e && (m < 1e3) {
			if w2, _ := wordAt(r, skipSpace(r, e)); strings.ToLower(w2) != "of" {
				return Number{}, false
			}
		}
		return qualifyEN(r, n), true
	}
	if _, ok := smallNums[lw]; !ok {
		return Number{}, false
	}
	total, cur := 0.0, 0.0
	end := i
	k := i
	words := 0
	for k < len(r) {
		w, e := wordAt(r, k)
		lw := strings.ToLower(w)
		if v, ok := smallNums[lw]; ok {
			cur += v
		} else if s, ok := scales[lw]; ok && lw != "mn" && lw != "bn" {
			if cur == 0 {
				cur = 1
			}
			if s == 100 {
				cur *= s
			} else {
				total += cur * s
				cur = 0
			}
		} else if lw == "and" && words > 0 {
			if w2, _ := wordAt(r, skipSpace(r, e)); smallNums[strings.ToLower(w2)] == 0 {
				break
			}
		} else {
			break
		}
		words++
		end = e
		// "twenty-four", "twenty four"
		if e < len(r) && r[e] == '-' && e+1 < len(r) && unicode.IsLetter(r[e+1]) {
			k = e + 1
		} else {
			k = skipSpace(r, e)
		}
	}
	if words == 0 || (words == 1 && (lw == "one" || lw == "zero")) {
		return Number{}, false // "one of", "one reader": no quantity worth a figure
	}
	v := total + cur
	n := Number{Start: i, NumStart: i, End: end, NumEnd: end, Value: v, Step: step([]rune(strconv.FormatFloat(v, 'f', -1, 64)), v)}
	return qualifyEN(r, n), true
}
