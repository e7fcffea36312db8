package refiqda

import (
	"strings"
	"unicode/utf8"

	"gloss/annotate"
	"gloss/annotate/anchor"
)

// clipped reports whether a selection name is a shortened quote (Gloss
// writes at most 60 code points and an ellipsis) and returns its prefix.
func clipped(name string) (string, bool) {
	for _, e := range []string{"…", "..."} {
		if p, ok := strings.CutSuffix(name, e); ok {
			return p, true
		}
	}
	return name, false
}

// squash folds runs of white space, which tools rewrite in names.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// quoteMatches reports whether a selection's text agrees with the quote its
// name carries (whole, or the prefix of a clipped one).
func quoteMatches(exact, name string) bool {
	e, n := squash(exact), squash(name)
	if p, ok := clipped(n); ok {
		return strings.HasPrefix(e, strings.TrimSpace(p))
	}
	return e == n
}

// quotesText reports whether a selection's name is a quote of the text at
// all; other names ("Link passage", a code's name) say nothing of position.
func quotesText(tx *annotate.Text, name string) bool {
	p, _ := clipped(name)
	return len(tx.Find(strings.TrimSpace(p))) > 0
}

// placeByQuote finds the passage a selection's name quotes when its
// positions disagree: first the raw positions read as positions in the
// normalised text (line breaks counted once), then the quote itself near
// the mapped start. The length comes from the positions when the name is
// clipped. It never guesses between equally near places.
func placeByQuote(tx *annotate.Text, rawStart, rawEnd, mapped int, name string) (annotate.Selector, bool) {
	if rawEnd <= tx.Len() {
		if sel, err := tx.Select(rawStart, rawEnd); err == nil && quoteMatches(sel.Exact, name) {
			return sel, true
		}
	}
	prefix, isClipped := clipped(strings.TrimSpace(name))
	if !isClipped {
		// The whole quote is known: the re-anchoring engine places it.
		got, state, _ := anchor.Resolve(tx, annotate.Selector{Start: mapped, End: mapped + utf8.RuneCountInString(name), Exact: name})
		if state != annotate.AnchorOrphan && state != annotate.AnchorFuzzy {
			return got, true
		}
		return annotate.Selector{}, false
	}
	n := rawEnd - rawStart
	best, bestDist, tie := -1, 0, false
	for _, at := range tx.Find(prefix) {
		d := at - mapped
		if d < 0 {
			d = -d
		}
		switch {
		case best < 0 || d < bestDist:
			best, bestDist, tie = at, d, false
		case d == bestDist:
			tie = true
		}
	}
	if best < 0 || tie || best+n > tx.Len() {
		return annotate.Selector{}, false
	}
	sel, err := tx.Select(best, best+n)
	return sel, err == nil && quoteMatches(sel.Exact, name)
}
