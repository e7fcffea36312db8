package textview

import "unicode"

// defaultWordBoundary is used for double-click until a dictionary segmenter
// is plugged in through TextView.WordBoundary: a run of letters and digits
// (with inner apostrophes and digit separators) or, for Chinese, a single
// character, since there are no spaces to find words by.
func defaultWordBoundary(text []rune, i int) (start, end int) {
	if i < 0 || i >= len(text) {
		i = clampInt(i, 0, len(text))
		return i, i
	}
	if unicode.Is(unicode.Han, text[i]) || !isWordRune(text[i]) {
		return i, i + 1
	}
	start, end = i, i+1
	for start > 0 && (isWordRune(text[start-1]) && !unicode.Is(unicode.Han, text[start-1]) || joins(text, start-1)) {
		start--
	}
	for end < len(text) && (isWordRune(text[end]) && !unicode.Is(unicode.Han, text[end]) || joins(text, end)) {
		end++
	}
	return start, end
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// joins reports punctuation inside a word: an apostrophe between letters or
// a point or comma between digits.
func joins(text []rune, i int) bool {
	if i <= 0 || i >= len(text)-1 {
		return false
	}
	a, b := text[i-1], text[i+1]
	switch text[i] {
	case '\'', '’':
		return unicode.IsLetter(a) && unicode.IsLetter(b)
	case '.', ',':
		return unicode.IsDigit(a) && unicode.IsDigit(b)
	}
	return false
}
