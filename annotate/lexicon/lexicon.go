// Package lexicon segments Chinese text into words and glosses Chinese words
// in English, using CC-CEDICT (see LICENSE-CC-CEDICT.txt). It is pure Go; the
// dictionary is embedded compressed and decoded on first use only, so a
// program that never calls into the package pays nothing at run time.
//
// All positions are indexes into a []rune, i.e. Unicode code points.
package lexicon

//go:generate go run ./internal/gen -out cedict.txt.gz

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed cedict.txt.gz
var cedictGz []byte

// maxWord caps dictionary look-ups; longer CC-CEDICT entries are idioms and
// set phrases that a double-click should not select whole anyway.
const maxWord = 8

type entry struct {
	glosses  string // "/"-separated, split on demand to keep loading quick
	readings string // "/"-separated plain pinyin, e.g. "liu" or "wang xiao hong"
}

type dict struct {
	words   *wordTable // simplified and traditional headwords → entries
	entries []entry
	// syllables holds every single-character reading, for telling
	// romanised Chinese names from other capitalised words.
	syllables map[string]struct{}
	// pre and suf give, for the first (last) two characters of any word,
	// the longest word that starts (ends) with them, so segmentation skips
	// look-ups that cannot succeed. They are hashed tables, not maps, for a
	// quick load: a collision only lets a useless look-up through.
	pre, suf []uint8
	// charWords counts the headwords each BMP character occurs in: a
	// stand-in for character frequency, to break segmentation ties (出 is in
	// far more words than 驱, so 驱逐|出 beats 驱|逐出).
	charWords []int32
	err       error
}

var (
	loadOnce sync.Once
	loaded   *dict
)

func get() *dict {
	loadOnce.Do(func() { loaded = load(cedictGz) })
	return loaded
}

// Err reports whether the embedded dictionary failed to decode; when it did,
// segmentation degrades to one word per Han character and Glosses is empty.
func Err() error { return get().err }

func load(gz []byte) *dict {
	d := &dict{
		words:     newWordTable("", 0),
		entries:   make([]entry, 0, 125000),
		syllables: make(map[string]struct{}, 512),
		pre:       make([]uint8, pairSlots),
		suf:       make([]uint8, pairSlots),
		charWords: make([]int32, 0x10000),
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		d.err = err
		return d
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		d.err = err
		return d
	}
	// One string for the whole file: every field below is a substring of it,
	// and a headword is found by where it lies in it.
	all := string(raw)
	d.words = newWordTable(all, wordsHint)
	for pos := 0; pos < len(all); {
		lineAt, end, next := pos, len(all), len(all)
		if k := strings.IndexByte(all[pos:], '\n'); k >= 0 {
			end, next = pos+k, pos+k+1
		}
		line := all[lineAt:end]
		pos = next
		var f [4]string
		var at [4]int // where each field starts in all
		n, p := 0, 0
		for n < 3 {
			k := strings.IndexByte(line[p:], '\t')
			if k < 0 {
				break
			}
			f[n], at[n] = line[p:p+k], lineAt+p
			p += k + 1
			n++
		}
		if n != 3 || f[0] == "" {
			continue
		}
		f[3] = line[p:]
		simp, trad, pin, gl := f[0], f[1], f[2], f[3]
		idx, ok := d.words.get(simp)
		if !ok {
			idx = int32(len(d.entries))
			d.entries = append(d.entries, entry{})
			d.words.put(at[0], len(simp), idx)
		}
		if trad != "" {
			d.words.put(at[1], len(trad), idx) // a headword already there keeps its entry
		}
		e := &d.entries[idx]
		e.glosses = join(e.glosses, gl)
		if pin != "" && !contains(split(e.readings), pin) {
			e.readings = join(e.readings, pin)
			if utf8.RuneCountInString(simp) == 1 {
				d.syllables[strings.ToLower(pin)] = struct{}{}
			}
		}
	}
	d.words.each(d.index)
	return d
}

// wordsHint is about how many headwords (simplified and traditional) the
// dictionary has, so its table is sized once.
const wordsHint = 200000

func (d *dict) index(w string) {
	var rs [maxWord + 1]rune
	n := 0
	for _, r := range w {
		if r < 0x10000 {
			d.charWords[r]++
		}
	}
	for _, r := range w {
		if n > maxWord {
			return
		}
		rs[n] = r
		n++
	}
	if n < 2 || n > maxWord {
		return
	}
	p, s := pairSlot(rs[0], rs[1]), pairSlot(rs[n-2], rs[n-1])
	if uint8(n) > d.pre[p] {
		d.pre[p] = uint8(n)
	}
	if uint8(n) > d.suf[s] {
		d.suf[s] = uint8(n)
	}
}

const pairSlots = 1 << 20

func pairSlot(a, b rune) uint32 {
	h := uint32(a)*0x9E3779B1 ^ uint32(b)*0x85EBCA77
	return (h ^ h>>15) & (pairSlots - 1)
}

func (d *dict) chars(r rune) int32 {
	if r < 0x10000 {
		return d.charWords[r]
	}
	return 0
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "/" + b
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "/")
}

// IsWord reports whether s is a dictionary headword (simplified or traditional).
func IsWord(s string) bool {
	_, ok := get().words.get(s)
	return ok
}

// Glosses returns short English glosses for a Chinese word, simplified or
// traditional, or nil when it is not in the dictionary. The slice is a copy.
func Glosses(word string) []string {
	d := get()
	i, ok := d.words.get(word)
	if !ok {
		return nil
	}
	return split(d.entries[i].glosses)
}

// Readings returns the toneless, lower-case pinyin readings of a single Han
// character ("长" → ["chang", "zhang"]) or of a proper name the dictionary
// lists ("北京" → ["bei jing"]). Nil if unknown.
func Readings(word string) []string {
	d := get()
	i, ok := d.words.get(word)
	if !ok {
		return nil
	}
	var out []string
	for _, r := range split(d.entries[i].readings) {
		if r = strings.ToLower(r); !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// NameChar reports whether the character has a proper-name reading in the
// dictionary (a surname such as 王 or 刘, or a place abbreviation), so a lone
// romanised syllable like "Wang" may stand for it.
func NameChar(r rune) bool {
	d := get()
	i, ok := d.words.get(string(r))
	if !ok {
		return false
	}
	for _, p := range split(d.entries[i].readings) {
		if p != "" && unicode.IsUpper([]rune(p)[0]) {
			return true
		}
	}
	return false
}

// IsSyllable reports whether s (lower case, no tone) is a Mandarin syllable
// that some character in the dictionary is read as, e.g. "xiao" but not "xia0".
func IsSyllable(s string) bool {
	d := get()
	_, ok := d.syllables[s]
	return ok
}

// IsHan reports whether r is a Chinese character (including 〇).
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) || r == '〇' }

func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && !IsHan(r)
}

// WordAt returns the word containing text[i] as [start, end): for Chinese the
// dictionary segmentation of the surrounding Han run, for Latin and other
// alphabetic scripts the run of letters and digits (with inner apostrophes,
// and decimal points or thousands commas between digits), and otherwise the
// single rune. Out-of-range i gives (i, i) clamped to the text.
func WordAt(text []rune, i int) (start, end int) {
	if i < 0 || i >= len(text) {
		if i < 0 {
			i = 0
		}
		if i > len(text) {
			i = len(text)
		}
		return i, i
	}
	r := text[i]
	switch {
	case IsHan(r):
		s, e := i, i+1
		for s > 0 && IsHan(text[s-1]) {
			s--
		}
		for e < len(text) && IsHan(text[e]) {
			e++
		}
		// Bound the work on a pathologically long run; words are ≤ maxWord,
		// so a window this wide segments the middle the same way.
		const window = 64
		if i-s > window {
			s = i - window
		}
		if e-i > window {
			e = i + window
		}
		for _, w := range segmentHan(text, s, e) {
			if w[0] <= i && i < w[1] {
				return w[0], w[1]
			}
		}
		return i, i + 1
	case isWordRune(r) || joinsWord(text, i):
		s, e := i, i+1
		for s > 0 && (isWordRune(text[s-1]) || joinsWord(text, s-1)) {
			s--
		}
		for e < len(text) && (isWordRune(text[e]) || joinsWord(text, e)) {
			e++
		}
		return s, e
	}
	return i, i + 1
}

// joinsWord reports whether the punctuation at text[i] sits inside a word:
// an apostrophe between letters (don't, O’Brien) or a point or comma between
// digits (2.4, 24,000).
func joinsWord(text []rune, i int) bool {
	if i <= 0 || i+1 >= len(text) {
		return false
	}
	a, b := text[i-1], text[i+1]
	switch text[i] {
	case '\'', '’':
		return isWordRune(a) && isWordRune(b) && unicode.IsLetter(a) && unicode.IsLetter(b)
	case '.', ',':
		return unicode.IsDigit(a) && unicode.IsDigit(b)
	}
	return false
}

// Segment splits text into words and returns their [start, end) spans in
// order: Han runs by dictionary segmentation, letter/digit runs as in
// WordAt, any other rune on its own. White space is not a word and is
// skipped.
func Segment(text []rune) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		r := text[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case IsHan(r):
			e := i + 1
			for e < len(text) && IsHan(text[e]) {
				e++
			}
			out = append(out, segmentHan(text, i, e)...)
			i = e
		case isWordRune(r):
			e := i + 1
			for e < len(text) && (isWordRune(text[e]) || joinsWord(text, e)) {
				e++
			}
			out = append(out, [2]int{i, e})
			i = e
		default:
			out = append(out, [2]int{i, i + 1})
			i++
		}
	}
	return out
}

// segmentHan segments text[s:e] (all Han) by forward and backward maximum
// matching and keeps the reading with fewer words, then fewer single
// characters; on a tie the backward one, which resolves Chinese overlapping
// ambiguities more often.
func segmentHan(text []rune, s, e int) [][2]int {
	d := get()
	buf := make([]byte, 0, maxWord*utf8.UTFMax)
	isWord := func(a, b int) bool {
		// Cheap filters first: some word of at least this length must start
		// with the first two characters and end with the last two.
		n := uint8(b - a)
		if d.pre[pairSlot(text[a], text[a+1])] < n || d.suf[pairSlot(text[b-2], text[b-1])] < n {
			return false
		}
		buf = buf[:0]
		for _, r := range text[a:b] {
			buf = utf8.AppendRune(buf, r)
		}
		_, ok := d.words.getBytes(buf)
		return ok
	}
	var fwd [][2]int
	for i := s; i < e; {
		j := i + 1
		if i+1 < e {
			if l := int(d.pre[pairSlot(text[i], text[i+1])]); l >= 2 {
				for j = min(e, i+l); j > i+1 && !isWord(i, j); j-- {
				}
			}
		}
		fwd = append(fwd, [2]int{i, j})
		i = j
	}
	var bwd [][2]int
	for j := e; j > s; {
		i := j - 1
		if j-1 > s {
			if l := int(d.suf[pairSlot(text[j-2], text[j-1])]); l >= 2 {
				for i = max(s, j-l); i < j-1 && !isWord(i, j); i++ {
				}
			}
		}
		bwd = append(bwd, [2]int{i, j})
		j = i
	}
	for a, b := 0, len(bwd)-1; a < b; a, b = a+1, b-1 {
		bwd[a], bwd[b] = bwd[b], bwd[a]
	}
	if len(fwd) != len(bwd) {
		if len(fwd) < len(bwd) {
			return fwd
		}
		return bwd
	}
	if sf, sb := singles(fwd), singles(bwd); sf != sb {
		if sf < sb {
			return fwd
		}
		return bwd
	}
	// Same shape: prefer the reading whose single characters are the more
	// common ones (they are more likely free words than bound halves).
	if d.singleWeight(text, fwd) > d.singleWeight(text, bwd) {
		return fwd
	}
	return bwd
}

func (d *dict) singleWeight(text []rune, ws [][2]int) float64 {
	t := 0.0
	for _, w := range ws {
		if w[1]-w[0] == 1 {
			t += math.Log(1 + float64(d.chars(text[w[0]])))
		}
	}
	return t
}

func singles(ws [][2]int) int {
	n := 0
	for _, w := range ws {
		if w[1]-w[0] == 1 {
			n++
		}
	}
	return n
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Preload decodes the dictionary now rather than on first use (about 0.15 s);
// call it as `go lexicon.Preload()` at start-up so the first double-click on
// Chinese text does not wait.
func Preload() { get() }
