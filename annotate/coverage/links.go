package coverage

import (
	"time"

	"gloss/annotate"
	"gloss/annotate/suggest"
)

// The rules for the links between one summary and one original: which
// links belong to the pair, which suggestions the analyst already turned
// down, and the change one suggestion run makes. The window's link view and
// `gloss link suggest --save` both use them, so both save the same links.

// PairLinks returns the links from the summary with at least one passage in
// the original.
func PairLinks(links []annotate.Link, summaryID, originalID string) []annotate.Link {
	var out []annotate.Link
	for _, k := range links {
		if k.From.SourceID == summaryID && len(ToOriginal(k, originalID)) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// ToOriginal returns the link's passages in the original.
func ToOriginal(k annotate.Link, originalID string) []annotate.Anchor {
	var out []annotate.Anchor
	for _, a := range k.To {
		if a.SourceID == originalID {
			out = append(out, a)
		}
	}
	return out
}

// Touches reports whether sel lies (at least partly) in [start, end); an
// empty passage counts where it stands.
func Touches(sel annotate.Selector, start, end int) bool { return touches(sel, start, end) }

// RejectedFor reports whether the analyst turned down, for the summary
// sentence [ss, se), a passage lying inside [cs, ce). A rejected sentence is
// thus not offered again on its own nor inside a two-sentence candidate.
func RejectedFor(links []annotate.Link, originalID string, ss, se, cs, ce int) bool {
	for _, k := range links {
		if k.Status != annotate.Rejected || !touches(k.From.Selector, ss, se) {
			continue
		}
		for _, a := range ToOriginal(k, originalID) {
			if a.Selector.Start >= cs && a.Selector.End <= ce {
				return true
			}
		}
	}
	return false
}

// Rejecter is RejectedFor in the form the suggestion engine takes.
func Rejecter(links []annotate.Link, originalID string) func(s, c suggest.Span) bool {
	return func(s, c suggest.Span) bool { return RejectedFor(links, originalID, s.Start, s.End, c.Start, c.End) }
}

// HasStatus reports whether a link of the given status ties the summary
// sentence [ss, se) to the original.
func HasStatus(links []annotate.Link, originalID string, st annotate.LinkStatus, ss, se int) bool {
	for _, k := range links {
		if k.Status == st && touches(k.From.Selector, ss, se) && len(ToOriginal(k, originalID)) > 0 {
			return true
		}
	}
	return false
}

// SameTarget reports whether the link points at exactly [s, e) of the
// original and nothing else there.
func SameTarget(k annotate.Link, originalID string, s, e int) bool {
	to := ToOriginal(k, originalID)
	return len(to) == 1 && to[0].Selector.Start == s && to[0].Selector.End == e
}

// SuggestChange builds the one change a suggestion run makes: for each
// summary sentence without confirmed evidence, its best candidate that was
// not rejected becomes a suggested link. An older suggestion for the
// sentence pointing elsewhere is replaced (it was never reviewed); one
// pointing at the same passage is kept, so running it again adds nothing.
// links are the pair's links (PairLinks). It returns the change and how
// many sentences got a new suggestion.
func SuggestChange(links []annotate.Link, summaryID, originalID string, sum, orig *annotate.Text, res []suggest.Suggestion, now time.Time) (annotate.Change, int) {
	c := annotate.Change{Label: "Suggest links"}
	added := 0
	gone := map[string]bool{} // a stale link may touch two sentences
	for _, sg := range res {
		ss, se := sg.Summary.Start, sg.Summary.End
		if HasStatus(links, originalID, annotate.Confirmed, ss, se) {
			continue
		}
		var best *suggest.Candidate
		for i := range sg.Candidates {
			cd := &sg.Candidates[i]
			// The engine may have run without the latest rejections.
			if !RejectedFor(links, originalID, ss, se, cd.Start, cd.End) {
				best = cd
				break
			}
		}
		if best == nil {
			continue
		}
		keep := false
		var stale []string
		for _, k := range links {
			if k.Status != annotate.Suggested || !touches(k.From.Selector, ss, se) || len(ToOriginal(k, originalID)) == 0 {
				continue
			}
			if SameTarget(k, originalID, best.Start, best.End) {
				keep = true
			} else {
				stale = append(stale, k.ID)
			}
		}
		if keep {
			continue
		}
		from, err1 := sum.Select(ss, se)
		to, err2 := orig.Select(best.Start, best.End)
		if err1 != nil || err2 != nil {
			continue // the engine's spans come from these very texts; never expected
		}
		for _, id := range stale {
			if !gone[id] {
				gone[id] = true
				c.DelLinks = append(c.DelLinks, id)
			}
		}
		c.PutLinks = append(c.PutLinks, annotate.Link{
			ID:       annotate.NewID(annotate.LinkPrefix),
			From:     annotate.Anchor{SourceID: summaryID, Selector: from},
			To:       []annotate.Anchor{{SourceID: originalID, Selector: to}},
			Status:   annotate.Suggested,
			Score:    best.Score,
			Created:  now,
			Modified: now,
		})
		added++
	}
	return c, added
}
