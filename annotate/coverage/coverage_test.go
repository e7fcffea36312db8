package coverage

import (
	"math"
	"strings"
	"testing"

	"gloss/annotate"
)

func sel(t *testing.T, text, quote string) annotate.Selector {
	t.Helper()
	tx := annotate.NewText(text)
	hits := tx.Find(quote)
	if len(hits) != 1 {
		t.Fatalf("quote %q found %d times", quote, len(hits))
	}
	s, err := tx.Select(hits[0], hits[0]+len([]rune(quote)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestComputeStatesAndShares(t *testing.T) {
	sum := annotate.Source{ID: "sum", Kind: annotate.KindSummary, Originals: []string{"orig"},
		Text: "Talks are under way. China long refused. Crossings hit a record."}
	orig := annotate.Source{ID: "orig", Kind: annotate.KindOriginal,
		Text: "😀美国正在与中国进行高层讨论。中国长期以来一直不配合。边境人数创下新高。"}
	link := func(id string, st annotate.LinkStatus, from, to string) annotate.Link {
		return annotate.Link{ID: id, Status: st,
			From: annotate.Anchor{SourceID: "sum", Selector: sel(t, sum.Text, from)},
			To:   []annotate.Anchor{{SourceID: "orig", Selector: sel(t, orig.Text, to)}}}
	}
	links := []annotate.Link{
		link("l1", annotate.Confirmed, "Talks are under way.", "美国正在与中国进行高层讨论"),
		link("l2", annotate.Suggested, "China long refused.", "中国长期以来"),
		link("l3", annotate.Rejected, "Crossings hit a record.", "边境人数创下新高"),
		// A suggestion on a confirmed sentence must not demote it.
		link("l4", annotate.Suggested, "Talks", "中国长期以来"),
		// A link to another source says nothing about this original.
		{ID: "l5", Status: annotate.Confirmed, From: annotate.Anchor{SourceID: "sum", Selector: sel(t, sum.Text, "Crossings")},
			To: []annotate.Anchor{{SourceID: "other", Selector: annotate.Selector{Start: 0, End: 3}}}},
	}
	r := Compute(sum, orig, links)
	if len(r.Sentences) != 3 {
		t.Fatalf("got %d sentences: %+v", len(r.Sentences), r.Sentences)
	}
	want := []State{Linked, Suggested, Unsupported}
	for i, w := range want {
		if r.Sentences[i].State != w {
			t.Errorf("sentence %d (%q): state %s, want %s", i, r.Sentences[i].Text, r.Sentences[i].State, w)
		}
	}
	if ev := r.Sentences[0].Evidence; len(ev) != 1 || ev[0].Selector.Exact != "美国正在与中国进行高层讨论" || ev[0].Selector.Start != 1 {
		t.Errorf("evidence of sentence 0 = %+v", ev)
	}
	if len(r.Sentences[0].Suggestions) != 1 {
		t.Errorf("sentence 0 should keep its suggestion too: %+v", r.Sentences[0].Suggestions)
	}
	if len(r.Unsupported) != 1 || r.Unsupported[0] != 2 {
		t.Errorf("Unsupported = %v, want [2]", r.Unsupported)
	}
	if math.Abs(r.SentenceShare-1.0/3) > 1e-9 {
		t.Errorf("SentenceShare = %v, want 1/3", r.SentenceShare)
	}
	// 13 cited code points of 37 non-space code points (emoji counts as one).
	total := len([]rune(strings.ReplaceAll(orig.Text, " ", "")))
	if r.OriginalCited != 13 || r.OriginalChars != total {
		t.Errorf("cited %d of %d, want 13 of %d", r.OriginalCited, r.OriginalChars, total)
	}
	if math.Abs(r.OriginalShare-13.0/float64(total)) > 1e-9 {
		t.Errorf("OriginalShare = %v", r.OriginalShare)
	}
	if math.Abs(r.OriginalSentenceShare-1.0/3) > 1e-9 {
		t.Errorf("OriginalSentenceShare = %v, want 1/3", r.OriginalSentenceShare)
	}
}

func TestComputeEmptyAndStale(t *testing.T) {
	r := Compute(annotate.Source{ID: "s"}, annotate.Source{ID: "o"}, nil)
	if len(r.Sentences) != 0 || r.SentenceShare != 0 || r.OriginalShare != 0 {
		t.Fatalf("empty: %+v", r)
	}
	// A selector past the end of the original must not panic and cites nothing beyond the text.
	sum := annotate.Source{ID: "s", Text: "One sentence."}
	orig := annotate.Source{ID: "o", Text: "短文。"}
	r = Compute(sum, orig, []annotate.Link{{ID: "l", Status: annotate.Confirmed,
		From: annotate.Anchor{SourceID: "s", Selector: annotate.Selector{Start: 0, End: 3}},
		To:   []annotate.Anchor{{SourceID: "o", Selector: annotate.Selector{Start: 1, End: 99}}}}})
	if r.OriginalCited != 2 || r.Sentences[0].State != Linked {
		t.Fatalf("stale: cited %d, state %s", r.OriginalCited, r.Sentences[0].State)
	}
}
