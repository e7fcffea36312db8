package linkview

import (
	"time"

	"gloss/annotate"
	"gloss/annotate/suggest"
)

// This file holds the pure logic behind the view: which links belong to the
// pair of sources, which suggestions the analyst already turned down, and
// the change one Suggest run makes. None of it touches a widget.

// pairLinks returns the links from the summary with at least one passage in
// the original: the ones this view shows and edits.
func pairLinks(p *annotate.Project, summaryID, originalID string) []annotate.Link {
	var out []annotate.Link
	for _, k := range p.Links {
		if k.From.SourceID != summaryID {
			continue
		}
		for _, a := range k.To {
			if a.SourceID == originalID {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// toOriginal returns the link's passages in the original.
func toOriginal(k annotate.Link, originalID string) []annotate.Anchor {
	var out []annotate.Anchor
	for _, a := range k.To {
		if a.SourceID == originalID {
			out = append(out, a)
		}
	}
	return out
}

// touches reports whether the link's summary passage lies (at least partly)
// in [start, end); an empty passage counts where it stands, as coverage does.
func touches(sel annotate.Selector, start, end int) bool {
	if sel.End <= sel.Start {
		return sel.Start >= start && sel.Start < end
	}
	return sel.Start < end && start < sel.End
}

// rejectedFor reports whether the analyst turned down, for the summary
// sentence [ss, se), a passage lying inside [cs, ce). A rejected sentence is
// thus not offered again on its own nor inside a two-sentence candidate.
func rejectedFor(links []annotate.Link, originalID string, ss, se, cs, ce int) bool {
	for _, k := range links {
		if k.Status != annotate.Rejected || !touches(k.From.Selector, ss, se) {
			continue
		}
		for _, a := range toOriginal(k, originalID) {
			if a.Selector.Start >= cs && a.Selector.End <= ce {
				return true
			}
		}
	}
	return false
}

// hasStatus reports whether a link of the given status ties the summary
// sentence [ss, se) to the original.
func hasStatus(links []annotate.Link, originalID string, st annotate.LinkStatus, ss, se int) bool {
	for _, k := range links {
		if k.Status == st && touches(k.From.Selector, ss, se) && len(toOriginal(k, originalID)) > 0 {
			return true
		}
	}
	return false
}

// sameTarget reports whether the link points at exactly [s, e) of the
// original and nothing else there.
func sameTarget(k annotate.Link, originalID string, s, e int) bool {
	to := toOriginal(k, originalID)
	return len(to) == 1 && to[0].Selector.Start == s && to[0].Selector.End == e
}

// suggestChange builds the one change a Suggest run makes: for each summary
// sentence without confirmed evidence, its best candidate that was not
// rejected becomes a suggested link. An older suggestion for the sentence
// pointing elsewhere is replaced (it was never reviewed); one pointing at
// the same passage is kept. It returns the change and how many sentences got
// a new suggestion.
func suggestChange(links []annotate.Link, summaryID, originalID string, sum, orig *annotate.Text, res []suggest.Suggestion, now time.Time) (annotate.Change, int) {
	c := annotate.Change{Label: "Suggest links"}
	added := 0
	for _, sg := range res {
		ss, se := sg.Summary.Start, sg.Summary.End
		if hasStatus(links, originalID, annotate.Confirmed, ss, se) {
			continue
		}
		var best *suggest.Candidate
		for i := range sg.Candidates {
			cd := &sg.Candidates[i]
			// The engine was told about rejections when the run started;
			// check again in case the analyst rejected one meanwhile.
			if !rejectedFor(links, originalID, ss, se, cd.Start, cd.End) {
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
			if k.Status != annotate.Suggested || !touches(k.From.Selector, ss, se) || len(toOriginal(k, originalID)) == 0 {
				continue
			}
			if sameTarget(k, originalID, best.Start, best.End) {
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
		c.DelLinks = append(c.DelLinks, stale...)
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
