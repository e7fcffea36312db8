package coverage

import (
	"testing"
	"time"

	"gloss/annotate"
	"gloss/annotate/suggest"
)

func link(id string, st annotate.LinkStatus, ss, se, os, oe int) annotate.Link {
	return annotate.Link{ID: id, Status: st,
		From: annotate.Anchor{SourceID: "sum", Selector: annotate.Selector{Start: ss, End: se}},
		To:   []annotate.Anchor{{SourceID: "org", Selector: annotate.Selector{Start: os, End: oe}}}}
}

func TestSuggestChangeReplacesOnlyUnreviewedSuggestionsAndIsStable(t *testing.T) {
	sum := annotate.NewText("One. Two. Three. Four.")
	org := annotate.NewText("Alpha beta gamma delta epsilon zeta eta theta.")
	res := []suggest.Suggestion{
		{Summary: suggest.Span{Start: 0, End: 4}, Candidates: []suggest.Candidate{{Span: suggest.Span{Start: 0, End: 5}, Score: 0.9}}},
		{Summary: suggest.Span{Start: 5, End: 9}, Candidates: []suggest.Candidate{{Span: suggest.Span{Start: 6, End: 10}, Score: 0.8}, {Span: suggest.Span{Start: 11, End: 16}, Score: 0.5}}},
		{Summary: suggest.Span{Start: 10, End: 16}, Candidates: []suggest.Candidate{{Span: suggest.Span{Start: 17, End: 22}, Score: 0.7}}},
		{Summary: suggest.Span{Start: 17, End: 22}, Candidates: []suggest.Candidate{{Span: suggest.Span{Start: 23, End: 30}, Score: 0.6}}},
	}
	links := []annotate.Link{
		link("old", annotate.Suggested, 0, 4, 30, 35),    // replaced: points elsewhere
		link("no", annotate.Rejected, 5, 9, 6, 10),       // the best candidate of sentence 2 was turned down
		link("yes", annotate.Confirmed, 10, 16, 40, 45),  // sentence 3 already has evidence
		link("same", annotate.Suggested, 17, 22, 23, 30), // kept: same passage
		{ID: "other", Status: annotate.Suggested, From: annotate.Anchor{SourceID: "elsewhere"}},
	}
	pair := PairLinks(links, "sum", "org")
	if len(pair) != 4 {
		t.Fatalf("pair links %d", len(pair))
	}
	now := time.Date(2026, 5, 6, 0, 0, 0, 0, time.UTC)
	c, n := SuggestChange(pair, "sum", "org", sum, org, res, now)
	if n != 2 || len(c.PutLinks) != 2 || len(c.DelLinks) != 1 || c.DelLinks[0] != "old" {
		t.Fatalf("n=%d change %+v", n, c)
	}
	if got := c.PutLinks[1].To[0].Selector; got.Start != 11 || got.End != 16 {
		t.Fatalf("sentence 2 takes its best candidate that was not rejected: %+v", got)
	}
	for _, k := range c.PutLinks {
		if k.Status != annotate.Suggested || !k.Created.Equal(now) || k.From.SourceID != "sum" {
			t.Fatalf("link %+v", k)
		}
	}
	// Run again on the result: nothing more to do.
	var after []annotate.Link
	for _, k := range pair {
		if k.ID != "old" {
			after = append(after, k)
		}
	}
	after = append(after, c.PutLinks...)
	if c2, n2 := SuggestChange(after, "sum", "org", sum, org, res, now); !c2.Empty() || n2 != 0 {
		t.Fatalf("second run changed %+v", c2)
	}
	if !Rejecter(pair, "org")(suggest.Span{Start: 5, End: 9}, suggest.Span{Start: 0, End: 20}) {
		t.Fatal("a candidate containing a rejected passage must be rejected")
	}
}
