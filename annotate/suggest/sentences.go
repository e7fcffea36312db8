// Package suggest proposes, for each sentence of an English summary, the
// sentences of a (usually Chinese) original that it most likely rests on. It
// works offline from evidence both texts share: numbers and dates normalised
// across scripts, names, and dictionary glosses (annotate/lexicon).
//
// All positions are Unicode code points into the text given.
package suggest

import (
	"strings"
	"unicode"
)

// Span is a stretch of text: code points [Start, End) and the text itself.
type Span struct {
	Start, End int
	Text       string
}

// Sentences splits text into sentences (and headings: a line break always
// ends one). Chinese ends at 。！？ and ASCII ! ?; English at a full stop
// that is not part of an abbreviation (Mr., Dr., U.S., No. 5), an initial
// (John F. Kennedy), a decimal (2.4) or an ellipsis that the sentence runs
// on from. Closing quotes and brackets after the end mark stay with their
// sentence, and marks inside brackets do not end it. Spans are trimmed of
// surrounding white space; stretches of only punctuation are dropped.
func Sentences(text string) []Span {
	r := []rune(text)
	var out []Span
	start, depth := 0, 0
	emit := func(end int) {
		s, e := start, end
		for s < e && unicode.IsSpace(r[s]) {
			s++
		}
		for e > s && unicode.IsSpace(r[e-1]) {
			e--
		}
		start, depth = end, 0
		for _, c := range r[s:e] {
			if !unicode.IsPunct(c) && !unicode.IsSpace(c) {
				out = append(out, Span{Start: s, End: e, Text: string(r[s:e])})
				return
			}
		}
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch c {
		case '\n', '\r', '\u2028', '\u2029', '\v', '\f':
			emit(i)
			continue
		case '(', '（', '[', '［', '【', '《', '〈', '{', '｛':
			// Only a bracket closed on the same line shields its marks.
			if closes(r, i) {
				depth++
			}
			continue
		case ')', '）', ']', '］', '】', '》', '〉', '}', '｝':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 {
			continue
		}
		end := -1
		switch c {
		case '。', '！', '？', '!', '?', '｡', '︒', '﹗', '﹖', '‼', '⁇', '⁈', '⁉':
			end = i + 1
		case '.', '…':
			if endsSentence(r, i) {
				end = i + 1
			}
		}
		if end < 0 {
			continue
		}
		// Runs of end marks ("?!", "。。", "...") and the closing quotes and
		// brackets after them belong to this sentence.
		for end < len(r) && (isEndMark(r[end]) || isCloser(r[end])) {
			end++
		}
		emit(end)
		i = end - 1
	}
	emit(len(r))
	return out
}

func isEndMark(c rune) bool {
	return strings.ContainsRune("。！？!?.…｡", c)
}

func isCloser(c rune) bool {
	return strings.ContainsRune(`"'”’」』）)]］】》〉»›`, c)
}

// abbrevs never end a sentence (titles and the like: a name follows).
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sr": true, "jr": true,
	"st": true, "gen": true, "col": true, "lt": true, "sgt": true, "capt": true, "cmdr": true,
	"gov": true, "sen": true, "rep": true, "rev": true, "hon": true, "pres": true, "messrs": true,
	"mme": true, "mlle": true, "fr": true, "adm": true, "maj": true, "supt": true, "insp": true,
}

// abbrevs end a sentence only when what follows plainly starts a new one.
var abbrevs = map[string]bool{
	"no": true, "nos": true, "vol": true, "vols": true, "pp": true, "p": true, "fig": true, "figs": true,
	"art": true, "sec": true, "ch": true, "para": true, "ed": true, "eds": true, "approx": true,
	"est": true, "etc": true, "vs": true, "v": true, "cf": true, "al": true, "inc": true, "ltd": true,
	"co": true, "corp": true, "bros": true, "dept": true, "univ": true, "assn": true, "ave": true,
	"blvd": true, "rd": true, "mt": true, "ft": true, "jan": true, "feb": true, "mar": true, "apr": true,
	"jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true,
	"dec": true, "mon": true, "tue": true, "tues": true, "wed": true, "thu": true, "thurs": true,
	"fri": true, "sat": true, "sun": true, "min": true, "max": true, "govt": true, "intl": true,
}

// starters are capitalised words that begin a new sentence after an
// abbreviation that could also end one ("… in the U.S. The talks …").
var starters = map[string]bool{
	"the": true, "a": true, "an": true, "he": true, "she": true, "it": true, "they": true,
	"we": true, "i": true, "this": true, "that": true, "these": true, "those": true, "there": true,
	"but": true, "and": true, "in": true, "on": true, "at": true, "for": true, "as": true,
	"his": true, "her": true, "its": true, "their": true, "our": true, "if": true, "when": true,
	"while": true, "after": true, "before": true, "since": true, "however": true, "meanwhile": true,
	"yet": true, "so": true, "some": true, "many": true, "most": true, "one": true, "officials": true,
}

// endsSentence decides whether the full stop or ellipsis at r[i] ends a
// sentence.
func endsSentence(r []rune, i int) bool {
	// What follows: the end mark must be followed (after any closers) by
	// white space or the end of the text.
	j := i + 1
	for j < len(r) && (r[j] == '.' || r[j] == '…') {
		j++
	}
	k := j
	for k < len(r) && isCloser(r[k]) {
		k++
	}
	if k < len(r) && !unicode.IsSpace(r[k]) {
		if i > 0 && unicode.IsDigit(r[i-1]) && unicode.IsDigit(r[k]) {
			return false // decimal 2.4
		}
		// "U.S." mid-token, "e.g.", a URL or file name: not an end; but a
		// Chinese character straight after a full stop is a new sentence.
		return unicode.Is(unicode.Han, r[k])
	}
	next := nextWord(r, k)
	if next == "" {
		return true // end of text
	}
	nextRune := []rune(next)[0]
	lowerNext := unicode.IsLower(nextRune)
	ellipsis := r[i] == '…' || j-i >= 3 || (i >= 2 && r[i-1] == '.' && r[i-2] == '.')
	if ellipsis {
		return !lowerNext
	}
	if lowerNext {
		return false // "approx. five", "the U.S. government"
	}
	// The word before the stop.
	b := i
	for b > 0 && (unicode.IsLetter(r[b-1]) || r[b-1] == '.') {
		b--
	}
	word := string(r[b:i])
	lw := strings.ToLower(word)
	switch {
	case word == "":
		return true
	case titles[lw]:
		return false
	case len([]rune(word)) == 1 && unicode.IsUpper([]rune(word)[0]):
		// An initial ("John F. Kennedy"), unless a plain sentence starter follows.
		return starters[strings.ToLower(next)]
	case strings.Contains(word, "."):
		// Dotted abbreviation: U.S., U.K., e.g., a.m.
		return starters[strings.ToLower(next)]
	case lw == "no" || lw == "nos" || lw == "p" || lw == "pp" || lw == "art" || lw == "sec" || lw == "vol":
		return !unicode.IsDigit(nextRune)
	case abbrevs[lw]:
		if unicode.IsDigit(nextRune) {
			return false // "Jan. 5", "Fig. 3"
		}
		return starters[strings.ToLower(next)]
	}
	return true
}

// nextWord returns the word starting at the first non-space, non-opening
// rune at or after k.
func nextWord(r []rune, k int) string {
	for k < len(r) && (unicode.IsSpace(r[k]) || strings.ContainsRune(`"'“‘(「『（[`, r[k])) {
		k++
	}
	e := k
	for e < len(r) && (unicode.IsLetter(r[e]) || unicode.IsDigit(r[e])) {
		e++
	}
	if e == k && k < len(r) {
		e = k + 1
	}
	return string(r[k:e])
}

// closes reports whether the opening bracket at r[i] is closed before the
// end of the line (looking a bounded distance ahead).
func closes(r []rune, i int) bool {
	n := 0
	for j := i + 1; j < len(r) && j < i+1000; j++ {
		switch r[j] {
		case '\n', '\r', '\u2028', '\u2029':
			return false
		case '(', '（', '[', '［', '【', '《', '〈', '{', '｛':
			n++
		case ')', '）', ']', '］', '】', '》', '〉', '}', '｝':
			if n == 0 {
				return true
			}
			n--
		}
	}
	return false
}
