package anchor

import "unicode/utf8"

// fold maps a code point to the form it is compared in. It is one code
// point to one code point on purpose: positions in the folded text are
// positions in the real text, so a match found on folded text is a
// selector on the real one. Only comparison uses it; nothing folded is
// ever stored.
func fold(r rune) rune {
	switch {
	case r < 0x80:
		return r
	case r >= 0x3100 && r < 0xFE00: // CJK ideographs and kana (but ・ U+30FB): the common case after ASCII
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII: ，！（）Ａ１ …
		r -= 0xFEE0
		if r == '\'' || r == '`' {
			return '\''
		}
		return r
	}
	switch r {
	case 0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x202F: // ideographic and other spaces
		return ' '
	case 0x3001, 0xFF64: // 、 ､: the enumeration comma reads as a comma
		return ','
	case 0x3002, 0xFF61: // 。 ｡
		return '.'
	case 0x201C, 0x201D, 0x201E, 0x201F, 0x300C, 0x300D, 0x300E, 0x300F, 0x301D, 0x301E, 0x00AB, 0x00BB:
		return '"' // “ ” „ ‟ 「 」 『 』 〝 〞 « »
	case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032:
		return '\'' // ‘ ’ ‚ ‛ ′
	case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63:
		return '-' // hyphens, dashes, minus
	case 0x3010, 0x3014, 0x3016: // 【 〔 〖
		return '['
	case 0x3011, 0x3015, 0x3017:
		return ']'
	case 0x3008, 0x300A: // 〈 《
		return '<'
	case 0x3009, 0x300B:
		return '>'
	case 0x30FB, 0x00B7: // ・ ·
		return 0x00B7
	}
	return r
}

// foldRunes returns the folded copy of rs.
func foldRunes(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		out[i] = fold(r)
	}
	return out
}

// foldString folds s into code points.
func foldString(s string) []rune {
	// Counted first: a megabyte of Chinese is a third as many code points
	// as bytes, and an allocation of len(s) runes would be zeroed in full.
	out := make([]rune, utf8.RuneCountInString(s))
	i := 0
	for _, r := range s {
		out[i] = fold(r)
		i++
	}
	return out
}
