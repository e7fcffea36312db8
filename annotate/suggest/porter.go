package suggest

import "strings"

// porter implements the original Porter stemming algorithm on a lower-case
// ASCII word.
func porter(word string) string {
	b := []byte(word)
	if len(b) <= 2 {
		return word
	}
	isCons := func(b []byte, i int) bool {
		switch b[i] {
		case 'a', 'e', 'i', 'o', 'u':
			return false
		case 'y':
			return i == 0 || !isConsAt(b, i-1)
		}
		return true
	}
	// measure: the number of VC sequences in b[:n].
	measure := func(b []byte) int {
		m, i, n := 0, 0, len(b)
		for i < n && isCons(b, i) {
			i++
		}
		for i < n {
			for i < n && !isCons(b, i) {
				i++
			}
			if i >= n {
				break
			}
			for i < n && isCons(b, i) {
				i++
			}
			m++
		}
		return m
	}
	hasVowel := func(b []byte) bool {
		for i := range b {
			if !isCons(b, i) {
				return true
			}
		}
		return false
	}
	doubleCons := func(b []byte) bool {
		n := len(b)
		return n >= 2 && b[n-1] == b[n-2] && isCons(b, n-1)
	}
	cvc := func(b []byte) bool {
		n := len(b)
		if n < 3 || !isCons(b, n-3) || isCons(b, n-2) || !isCons(b, n-1) {
			return false
		}
		c := b[n-1]
		return c != 'w' && c != 'x' && c != 'y'
	}
	ends := func(b []byte, s string) bool { return strings.HasSuffix(string(b), s) }
	stemOf := func(b []byte, s string) []byte { return b[:len(b)-len(s)] }
	replace := func(b []byte, s, r string, cond func([]byte) bool) ([]byte, bool) {
		if !ends(b, s) {
			return b, false
		}
		st := stemOf(b, s)
		if cond != nil && !cond(st) {
			return b, true
		}
		return append(append([]byte(nil), st...), r...), true
	}
	m0 := func(st []byte) bool { return measure(st) > 0 }
	m1 := func(st []byte) bool { return measure(st) > 1 }

	// Step 1a
	switch {
	case ends(b, "sses"):
		b = b[:len(b)-2]
	case ends(b, "ies"):
		b = b[:len(b)-2]
	case ends(b, "ss"):
	case ends(b, "s"):
		b = b[:len(b)-1]
	}
	// Step 1b
	if ends(b, "eed") {
		if m0(stemOf(b, "eed")) {
			b = b[:len(b)-1]
		}
	} else {
		cut := false
		for _, s := range []string{"ed", "ing"} {
			if ends(b, s) && hasVowel(stemOf(b, s)) {
				b = append([]byte(nil), stemOf(b, s)...)
				cut = true
				break
			}
		}
		if cut {
			switch {
			case ends(b, "at"), ends(b, "bl"), ends(b, "iz"):
				b = append(b, 'e')
			case doubleCons(b) && !ends(b, "l") && !ends(b, "s") && !ends(b, "z"):
				b = b[:len(b)-1]
			case measure(b) == 1 && cvc(b):
				b = append(b, 'e')
			}
		}
	}
	// Step 1c
	if ends(b, "y") && hasVowel(stemOf(b, "y")) {
		b = append(append([]byte(nil), stemOf(b, "y")...), 'i')
	}
	// Step 2
	for _, p := range [][2]string{
		{"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
		{"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
		{"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
		{"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"}, {"logi", "log"},
	} {
		var hit bool
		if b, hit = replace(b, p[0], p[1], m0); hit {
			break
		}
	}
	// Step 3
	for _, p := range [][2]string{
		{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""},
	} {
		var hit bool
		if b, hit = replace(b, p[0], p[1], m0); hit {
			break
		}
	}
	// Step 4
	for _, s := range []string{
		"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
		"ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
	} {
		if !ends(b, s) {
			continue
		}
		st := stemOf(b, s)
		if s == "ion" && !(len(st) > 0 && (st[len(st)-1] == 's' || st[len(st)-1] == 't')) {
			break
		}
		if m1(st) {
			b = append([]byte(nil), st...)
		}
		break
	}
	// Step 5a
	if ends(b, "e") {
		st := stemOf(b, "e")
		if m := measure(st); m > 1 || m == 1 && !cvc(st) {
			b = append([]byte(nil), st...)
		}
	}
	// Step 5b
	if measure(b) > 1 && doubleCons(b) && ends(b, "l") {
		b = b[:len(b)-1]
	}
	return string(b)
}

func isConsAt(b []byte, i int) bool {
	switch b[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		return i == 0 || !isConsAt(b, i-1)
	}
	return true
}
