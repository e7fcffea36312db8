// Package coverage measures how far a summary rests on its original: for
// each summary sentence, whether a confirmed link ties it to passages of the
// original, only suggestions do, or nothing does; and how much of the
// original the confirmed evidence cites. The GUI's coverage panel and the
// report exporters share it so both show the same figures.
package coverage

import (
	"sort"
	"unicode"

	"gloss/annotate"
	"gloss/annotate/suggest"
)

// State is how well one summary sentence is supported.
type State string

const (
	// Linked: at least one confirmed link from the sentence to the original.
	Linked State = "linked"
	// Suggested: only suggested (unreviewed) links; nothing confirmed.
	Suggested State = "suggested"
	// Unsupported: no confirmed or suggested link (rejected links do not count).
	Unsupported State = "unsupported"
)

// Sentence is one summary sentence with its support.
type Sentence struct {
	suggest.Span // code points in the summary, end exclusive
	State        State
	// Evidence are the passages of the original cited by confirmed links,
	// in text order, duplicates removed.
	Evidence []annotate.Anchor
	// Suggestions are the passages of the original proposed by suggested
	// links, in text order, duplicates removed.
	Suggestions []annotate.Anchor
	// Links are the IDs of the confirmed and suggested links counted here.
	Links []string
}

// Report is the coverage of one summary against one original.
type Report struct {
	SummaryID, OriginalID string
	Sentences             []Sentence
	Linked, Suggested     int   // sentences in each state
	Unsupported           []int // indexes into Sentences of unsupported sentences
	// SentenceShare is Linked / len(Sentences): the share of summary
	// sentences with confirmed evidence (0 when the summary is empty).
	SentenceShare float64
	// OriginalShare is the share of the original's non-whitespace code points
	// that lie inside at least one confirmed evidence passage. Whitespace is
	// left out of both counts so blank lines between paragraphs do not dilute it.
	OriginalShare float64
	// OriginalCited and OriginalChars are the two counts behind OriginalShare.
	OriginalCited, OriginalChars int
	// OriginalSentenceShare is the share of the original's sentences that
	// contain at least one code point of confirmed evidence.
	OriginalSentenceShare float64
}

// Compute works out the coverage of summary by original from links. Only
// links from the summary with at least one passage in the original count;
// their other passages are ignored. A link counts for every summary sentence
// its From passage overlaps (an empty From counts for the sentence holding
// its position). Both sources need their Text.
func Compute(summary, original annotate.Source, links []annotate.Link) Report {
	r := Report{SummaryID: summary.ID, OriginalID: original.ID}
	spans := suggest.Sentences(summary.Text)
	r.Sentences = make([]Sentence, len(spans))
	for i, sp := range spans {
		r.Sentences[i] = Sentence{Span: sp, State: Unsupported}
	}
	origRunes := []rune(original.Text)
	n := len(origRunes)
	var cited []interval
	for _, k := range links {
		if k.From.SourceID != summary.ID || (k.Status != annotate.Confirmed && k.Status != annotate.Suggested) {
			continue
		}
		var to []annotate.Anchor
		for _, a := range k.To {
			// Clamp to the text: a stale selector must not index past it.
			s, e := max(0, min(a.Selector.Start, n)), max(0, min(a.Selector.End, n))
			if a.SourceID == original.ID && s < e {
				to = append(to, a)
			}
		}
		if len(to) == 0 {
			continue
		}
		for i := range r.Sentences {
			sn := &r.Sentences[i]
			if !touches(k.From.Selector, sn.Start, sn.End) {
				continue
			}
			sn.Links = append(sn.Links, k.ID)
			if k.Status == annotate.Confirmed {
				sn.State = Linked
				sn.Evidence = append(sn.Evidence, to...)
			} else {
				if sn.State != Linked {
					sn.State = Suggested
				}
				sn.Suggestions = append(sn.Suggestions, to...)
			}
		}
		if k.Status == annotate.Confirmed {
			for _, a := range to {
				cited = append(cited, interval{max(0, a.Selector.Start), min(a.Selector.End, n)})
			}
		}
	}
	for i := range r.Sentences {
		sn := &r.Sentences[i]
		sn.Evidence = dedupe(sn.Evidence)
		sn.Suggestions = dedupe(sn.Suggestions)
		switch sn.State {
		case Linked:
			r.Linked++
		case Suggested:
			r.Suggested++
		default:
			r.Unsupported = append(r.Unsupported, i)
		}
	}
	if len(r.Sentences) > 0 {
		r.SentenceShare = float64(r.Linked) / float64(len(r.Sentences))
	}
	cited = union(cited)
	for i, c := range origRunes {
		if unicode.IsSpace(c) {
			continue
		}
		r.OriginalChars++
		if inAny(cited, i) {
			r.OriginalCited++
		}
	}
	if r.OriginalChars > 0 {
		r.OriginalShare = float64(r.OriginalCited) / float64(r.OriginalChars)
	}
	if osp := suggest.Sentences(original.Text); len(osp) > 0 {
		hit := 0
		for _, s := range osp {
			for _, c := range cited {
				if c.s < s.End && s.Start < c.e {
					hit++
					break
				}
			}
		}
		r.OriginalSentenceShare = float64(hit) / float64(len(osp))
	}
	return r
}

// touches reports whether selector sel lies (at least partly) in [start, end).
func touches(sel annotate.Selector, start, end int) bool {
	if sel.End <= sel.Start {
		return sel.Start >= start && sel.Start < end
	}
	return sel.Start < end && start < sel.End
}

type interval struct{ s, e int }

// union merges intervals into sorted, disjoint ones.
func union(in []interval) []interval {
	sort.Slice(in, func(i, j int) bool { return in[i].s < in[j].s })
	var out []interval
	for _, v := range in {
		if v.s >= v.e {
			continue
		}
		if len(out) > 0 && v.s <= out[len(out)-1].e {
			out[len(out)-1].e = max(out[len(out)-1].e, v.e)
			continue
		}
		out = append(out, v)
	}
	return out
}

// inAny reports whether i lies in one of the sorted disjoint intervals.
func inAny(iv []interval, i int) bool {
	k := sort.Search(len(iv), func(k int) bool { return iv[k].e > i })
	return k < len(iv) && iv[k].s <= i
}

func dedupe(as []annotate.Anchor) []annotate.Anchor {
	if len(as) < 2 {
		return as
	}
	sort.SliceStable(as, func(i, j int) bool {
		if as[i].Selector.Start != as[j].Selector.Start {
			return as[i].Selector.Start < as[j].Selector.Start
		}
		return as[i].Selector.End < as[j].Selector.End
	})
	out := as[:1]
	for _, a := range as[1:] {
		l := out[len(out)-1]
		if a.SourceID == l.SourceID && a.Selector.Start == l.Selector.Start && a.Selector.End == l.Selector.End {
			continue
		}
		out = append(out, a)
	}
	return out
}
