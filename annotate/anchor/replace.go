package anchor

import (
	"fmt"
	"time"

	"gloss/annotate"
)

// Item is where one annotation or link end landed.
type Item struct {
	ID string `json:"id"` // annotation or link ID
	// Side is "from" or "to" for a link end (Index: which "to"); empty
	// for an annotation.
	Side     string               `json:"side,omitempty"`
	Index    int                  `json:"index,omitempty"`
	State    annotate.AnchorState `json:"anchor"`
	Start    int                  `json:"start"`
	End      int                  `json:"end"`
	Score    float64              `json:"score,omitempty"` // fuzzy only
	Quote    string               `json:"quote"`
	OldQuote string               `json:"oldQuote,omitempty"` // when the quote changed
}

// Report says what re-anchoring did to each annotation and link end.
type Report struct {
	Annotations []Item                       `json:"annotations"`
	Links       []Item                       `json:"links"`
	Counts      map[annotate.AnchorState]int `json:"counts"`
}

// NeedsReview counts the fuzzy and orphaned items.
func (r Report) NeedsReview() int {
	return r.Counts[annotate.AnchorFuzzy] + r.Counts[annotate.AnchorOrphan]
}

// Summary is one line of counts, e.g. "12 exact, 3 shifted, 1 fuzzy, 0 orphan".
func (r Report) Summary() string {
	return fmt.Sprintf("%d exact, %d shifted, %d fuzzy, %d orphan",
		r.Counts[annotate.AnchorExact], r.Counts[annotate.AnchorShifted], r.Counts[annotate.AnchorFuzzy], r.Counts[annotate.AnchorOrphan])
}

// ReplaceText builds the one change that gives src the text newText in
// place of oldText: the new text, the old one kept as a version, and every
// annotation and link end on src re-anchored (orphans keep their old
// selector). anns and links may hold records of other sources; only those
// on src are touched, and only those whose selector or state changed are
// put. Undoing the change restores the old text and positions. The
// version's Reason is "replaced"; a caller that knows better (an edit, a
// file name) sets ch.PutVersions[0].Reason.
func ReplaceText(src annotate.Source, oldText, newText string, anns []annotate.Annotation, links []annotate.Link, now time.Time) (annotate.Change, Report) {
	rep := Report{Annotations: []Item{}, Links: []Item{}, Counts: map[annotate.AnchorState]int{}}
	for _, s := range annotate.AnchorStates {
		rep.Counts[s] = 0
	}
	ch := annotate.Change{
		Label:    "Replace text",
		SetTexts: []annotate.SourceText{{SourceID: src.ID, Text: newText}},
		PutVersions: []annotate.TextVersion{{
			ID:          annotate.NewID(annotate.VersionPrefix),
			SourceID:    src.ID,
			Text:        oldText,
			ContentHash: annotate.HashText(oldText),
			Length:      annotate.NewText(oldText).Len(),
			Replaced:    now,
			Reason:      "replaced",
		}},
	}
	// Every selector on src, in the order the loops below take them, is
	// re-anchored in one batch (on all cores for a long text).
	var sels []annotate.Selector
	for _, a := range anns {
		if a.SourceID == src.ID {
			sels = append(sels, a.Selector)
		}
	}
	for _, k := range links {
		if k.From.SourceID == src.ID {
			sels = append(sels, k.From.Selector)
		}
		for _, e := range k.To {
			if e.SourceID == src.ID {
				sels = append(sels, e.Selector)
			}
		}
	}
	results := NewMapper(oldText, newText).ReanchorAll(sels)
	// move takes the next result; the loops below call it in that order.
	move := func(was annotate.AnchorState, wasScore float64) (annotate.Selector, annotate.AnchorState, float64) {
		r := results[0]
		results = results[1:]
		// A fuzzy anchor the analyst has not confirmed stays up for
		// review even where the new text leaves it untouched.
		if was == annotate.AnchorFuzzy && (r.State == annotate.AnchorExact || r.State == annotate.AnchorShifted) {
			return r.Selector, annotate.AnchorFuzzy, wasScore
		}
		return r.Selector, r.State, r.Score
	}
	item := func(id string, old, sel annotate.Selector, st annotate.AnchorState, score float64) Item {
		it := Item{ID: id, State: st, Start: sel.Start, End: sel.End, Quote: sel.Exact}
		if st == annotate.AnchorFuzzy {
			it.Score = score
		}
		if old.Exact != sel.Exact {
			it.OldQuote = old.Exact
		}
		rep.Counts[st]++
		return it
	}
	for _, a := range anns {
		if a.SourceID != src.ID {
			continue
		}
		old := a.Selector
		sel, st, score := move(a.Anchor.Norm(), a.Score)
		rep.Annotations = append(rep.Annotations, item(a.ID, old, sel, st, score))
		was := a
		a.Selector, a.Anchor, a.Score = stored(sel, st, score)
		if a.Selector != was.Selector || a.Anchor != was.Anchor || a.Score != was.Score {
			ch.PutAnnotations = append(ch.PutAnnotations, a)
		}
	}
	for _, k := range links {
		touched := false
		end := func(e *annotate.Anchor, side string, idx int) {
			if e.SourceID != src.ID {
				return
			}
			old := e.Selector
			sel, st, score := move(e.State.Norm(), e.Score)
			it := item(k.ID, old, sel, st, score)
			it.Side, it.Index = side, idx
			rep.Links = append(rep.Links, it)
			was := *e
			e.Selector, e.State, e.Score = stored(sel, st, score)
			if *e != was {
				touched = true
			}
		}
		k.To = append([]annotate.Anchor(nil), k.To...)
		end(&k.From, "from", 0)
		for i := range k.To {
			end(&k.To[i], "to", i)
		}
		if touched {
			ch.PutLinks = append(ch.PutLinks, k)
		}
	}
	return ch, rep
}

// stored is how a result is kept on a record: exact as the zero value (so
// an untouched record stays byte-for-byte what it was) and a score only
// for fuzzy anchors. Modified times are left alone: re-anchoring is not
// the analyst's edit.
func stored(sel annotate.Selector, st annotate.AnchorState, score float64) (annotate.Selector, annotate.AnchorState, float64) {
	switch st {
	case annotate.AnchorExact:
		return sel, "", 0
	case annotate.AnchorFuzzy:
		return sel, st, score
	}
	return sel, st, 0
}

// MapOffset maps code point offset off of oldText to newText, e.g. to keep
// a reader's place when the text they were reading changed. Offsets in the
// unchanged start or end of the text map without a diff; elsewhere through
// the diff (into changed text: interpolated).
func MapOffset(oldText, newText string, off int) int {
	a, b := []rune(oldText), []rune(newText)
	off = max(0, min(off, len(a)))
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	if off < p {
		return off // the code point at off is before the first change
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	if off >= len(a)-s {
		return off + len(b) - len(a)
	}
	// Only the diff: a Mapper would also index both texts for searches.
	of, nf := foldString(oldText), foldString(newText)
	pm := posMap{segs: diffRunes(of, nf), oldN: len(of), newN: len(nf)}
	pos, _ := pm.mapPos(off)
	return pos
}
