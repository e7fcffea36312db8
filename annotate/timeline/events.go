package timeline

import (
	"sort"

	"gloss/annotate"
	"gloss/annotate/suggest"
)

// Kind tells a date stated in a text from a source's publication date.
type Kind string

const (
	Stated    Kind = "stated"
	Published Kind = "published"
)

// Event is one point or span on the timeline.
type Event struct {
	SourceID    string               `json:"sourceId"`
	Source      string               `json:"source"` // display title
	Reliability annotate.Reliability `json:"reliability,omitempty"`
	Kind        Kind                 `json:"kind"`
	Date        Date                 `json:"date"`
	// Passage is the sentence holding the date (code points into the
	// source), what one click opens; empty for a publication date.
	Passage suggest.Span `json:"passage"`
}

// Label is the event's date at its precision.
func (e Event) Label() string { return e.Date.Label() }

// SourceEvents returns the events of one source: its publication date and
// every date its text states, each with its sentence. Summaries are left
// to the caller: their dates repeat their originals'.
func SourceEvents(src annotate.Source, text string) []Event {
	dates := Dates(text, src.Published)
	var sents []suggest.Span
	if len(dates) > 0 {
		sents = suggest.Sentences(text)
	}
	return EventsOf(src, dates, sents)
}

// EventsOf is SourceEvents from a text's dates and sentences already read
// (a report reads them once for every section).
func EventsOf(src annotate.Source, dates []Date, sents []suggest.Span) []Event {
	var out []Event
	if d, ok := ParsePublished(src.Published); ok {
		out = append(out, Event{SourceID: src.ID, Source: src.DisplayTitle(), Reliability: src.Reliability, Kind: Published, Date: d})
	}
	k := 0
	for _, d := range dates {
		for k < len(sents) && sents[k].End <= d.Start {
			k++
		}
		e := Event{SourceID: src.ID, Source: src.DisplayTitle(), Reliability: src.Reliability, Kind: Stated, Date: d}
		if k < len(sents) && sents[k].Start <= d.Start {
			e.Passage = sents[k]
		} else {
			e.Passage = suggest.Span{Start: d.Start, End: d.End, Text: d.Text}
		}
		out = append(out, e)
	}
	return out
}

// Build returns the events of every source with a text, in time order
// (by first day, then the narrower span first, then source and position).
// text returns a source's text ("" or false when it has none).
func Build(sources []annotate.Source, text func(id string) (string, bool)) []Event {
	var out []Event
	for _, s := range sources {
		t, ok := text(s.ID)
		if !ok {
			t = ""
		}
		out = append(out, SourceEvents(s, t)...)
	}
	Sort(out)
	return out
}

// Sort orders events by time.
func Sort(ev []Event) {
	sort.SliceStable(ev, func(i, j int) bool {
		a, b := ev[i].Date, ev[j].Date
		if !a.From.Equal(b.From) {
			return a.From.Before(b.From)
		}
		if !a.To.Equal(b.To) {
			return a.To.Before(b.To)
		}
		if ev[i].SourceID != ev[j].SourceID {
			return ev[i].SourceID < ev[j].SourceID
		}
		return a.Start < b.Start
	})
}

// Within keeps the stated events whose date lies inside one of the given
// annotations' passages (same source): the timeline filtered by claim,
// code or target is Within(events, the annotations that match).
// Publication dates are kept for the sources those annotations are in.
func Within(ev []Event, anns []annotate.Annotation) []Event {
	bySrc := map[string][]annotate.Selector{}
	for _, a := range anns {
		bySrc[a.SourceID] = append(bySrc[a.SourceID], a.Selector)
	}
	var out []Event
	for _, e := range ev {
		sels, ok := bySrc[e.SourceID]
		if !ok {
			continue
		}
		if e.Kind == Published {
			out = append(out, e)
			continue
		}
		for _, s := range sels {
			if e.Date.Start < s.End && s.Start < e.Date.End {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// Filter selects annotations for Within. Empty fields match everything;
// set fields must all match.
type Filter struct {
	Claim  *annotate.Claim // annotations attached to it as evidence
	Code   string          // Code.ID
	Target string          // Target.ID: annotations with a stance toward it
}

// Annotations returns the annotations of p the filter selects.
func (f Filter) Annotations(p *annotate.Project) []annotate.Annotation {
	var cited map[string]bool
	if f.Claim != nil {
		cited = map[string]bool{}
		for _, e := range f.Claim.Evidence {
			cited[e.AnnotationID] = true
		}
	}
	var out []annotate.Annotation
	for _, a := range p.Annotations {
		if cited != nil && !cited[a.ID] {
			continue
		}
		if f.Code != "" && !a.HasCode(f.Code) {
			continue
		}
		if f.Target != "" {
			if _, ok := a.StanceToward(f.Target); !ok {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}
