package annotate

// MaxContext bounds how far UniqueQuote lengthens a prefix or suffix. A
// passage whose surroundings repeat for longer than this (a text pasted
// twice) is still told apart by its position selector; the bound keeps a
// degenerate text (one character repeated) from making export quadratic.
const MaxContext = 4096

// UniqueQuote returns sel with its prefix and suffix lengthened, beyond
// ContextLen when needed, until the quote selector alone (exact text with
// prefix immediately before and suffix immediately after) matches only the
// passage at sel's position, as the W3C model allows contexts of any
// length. Both sides grow by the same amount, the least that excludes every
// other occurrence; at a text's start or end a side stops growing and the
// other one does the work. sel must match t (Check).
func (t *Text) UniqueQuote(sel Selector) Selector {
	n := sel.End - sel.Start
	k := ContextLen
	for _, h := range t.Find(sel.Exact) {
		if h == sel.Start {
			continue
		}
		// The context length at which h stops matching: the first
		// position, going outward, where its prefix or suffix differs
		// from sel's or runs out.
		need := t.sharedContext(sel.Start, h, n) + 1
		k = max(k, min(need, MaxContext))
		if k == MaxContext {
			break // no other occurrence can ask for more
		}
	}
	out := sel
	out.Prefix = string(t.runes[max(0, sel.Start-k):sel.Start])
	out.Suffix = string(t.runes[sel.End:min(len(t.runes), sel.End+k)])
	return out
}

// sharedContext is the largest L such that the L code points before and
// after occurrence h equal those around the passage at start (length n);
// a side that runs out of text for the passage but not for h cannot tell
// them apart, so it counts as shared. Stops at MaxContext.
func (t *Text) sharedContext(start, h, n int) int {
	r := t.runes
	end, hend := start+n, h+n
	prefixOpen, suffixOpen := true, true // this side still matches
	for L := 0; L < MaxContext; L++ {
		// Prefix: code point L+1 back from the passage.
		if prefixOpen {
			a, b := start-L-1, h-L-1
			switch {
			case a < 0: // the passage's prefix cannot grow: this side never excludes h
			case b < 0 || r[a] != r[b]:
				prefixOpen = false
			}
		}
		if suffixOpen {
			a, b := end+L, hend+L
			switch {
			case a >= len(r):
			case b >= len(r) || r[a] != r[b]:
				suffixOpen = false
			}
		}
		if !prefixOpen || !suffixOpen {
			return L
		}
		if start-L-1 < 0 && end+L >= len(r) {
			return MaxContext // whole text on both sides shared: cannot happen for h != start
		}
	}
	return MaxContext
}

// QuoteMatches returns the code-point offsets where exact occurs with
// prefix immediately before it and suffix immediately after it: where a
// conforming client would place a TextQuoteSelector.
func (t *Text) QuoteMatches(exact, prefix, suffix string) []int {
	pr, sr, n := []rune(prefix), []rune(suffix), len([]rune(exact))
	var out []int
	for _, h := range t.Find(exact) {
		if h < len(pr) || h+n+len(sr) > len(t.runes) {
			continue
		}
		if string(t.runes[h-len(pr):h]) == prefix && string(t.runes[h+n:h+n+len(sr)]) == suffix {
			out = append(out, h)
		}
	}
	return out
}
