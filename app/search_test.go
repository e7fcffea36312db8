package app

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/app/session"
)

// wait blocks until the last search started has handed over all it found
// (under the test driver, fyne.Do runs at once on the search's goroutine).
func (p *searchPanel) wait() {
	if p.idle != nil {
		<-p.idle
	}
}

// uiQueue plays the UI goroutine: the search's goroutine posts to it and
// the test runs what was posted, on its own goroutine, when it chooses.
type uiQueue chan func()

func (q uiQueue) post(f func()) { q <- f }

// pumpUntil runs posted functions until cond holds.
func (q uiQueue) pumpUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case f := <-q:
			f()
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestSearchPanelStreamsAndCancels: starting a search returns at once; hits
// found so far show while the search is still running, the UI goroutine
// stays free (the test types into the entry meanwhile), Cancel stops the
// search through its context and keeps the hits, and a new search
// replaces a running one whose late hits are dropped.
func TestSearchPanelStreamsAndCancels(t *testing.T) {
	test.NewTempApp(t)
	p := newSearchPanel(&State{}, nil, func(string, int, int) {})
	ui := make(uiQueue, 1000)
	p.post = ui.post
	release := make(chan struct{})
	cancelled := make(chan string, 4)
	p.search = func(ctx context.Context, q string, fn func(annotate.SearchHit) bool) error {
		for i := 0; i < 3; i++ {
			fn(annotate.SearchHit{SourceID: q, Start: i, End: i + 1, Context: q})
		}
		select { // a long search: it ends only when released or cancelled
		case <-release:
			fn(annotate.SearchHit{SourceID: q, Start: 9, End: 10})
			return nil
		case <-ctx.Done():
			cancelled <- q
			return ctx.Err()
		}
	}
	p.entry.SetText("first")
	start := time.Now()
	p.run()
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("starting a search took %v on the UI goroutine", d)
	}
	ui.pumpUntil(t, "the first hits", func() bool { return len(p.hits) == 3 })
	if !strings.Contains(p.count.Text, "searching") || p.cancel.Disabled() {
		t.Fatalf("while running: count %q, cancel disabled %v", p.count.Text, p.cancel.Disabled())
	}
	p.entry.SetText("second") // the UI goroutine is free while the search runs
	test.Tap(p.cancel)
	select {
	case q := <-cancelled:
		if q != "first" {
			t.Fatalf("cancelled %q", q)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Cancel did not stop the search")
	}
	p.wait()
	for len(ui) > 0 {
		(<-ui)()
	}
	if len(p.hits) != 3 || !strings.Contains(p.count.Text, "cancelled") || !p.cancel.Disabled() {
		t.Fatalf("after cancel: %d hits, count %q", len(p.hits), p.count.Text)
	}

	// A new search replaces a running one.
	p.run() // "second"
	ui.pumpUntil(t, "the second search's hits", func() bool { return len(p.hits) == 3 && p.hits[0].SourceID == "second" })
	p.entry.SetText("third")
	p.entry.OnSubmitted("third")
	if q := <-cancelled; q != "second" {
		t.Fatalf("a new search cancelled %q", q)
	}
	close(release) // "third" finishes
	ui.pumpUntil(t, "the third search to finish", func() bool { return p.done })
	p.wait()
	for len(ui) > 0 {
		(<-ui)()
	}
	if len(p.hits) != 4 || p.count.Text != "4 hits" {
		t.Fatalf("third search: %d hits, count %q", len(p.hits), p.count.Text)
	}
	for _, h := range p.hits {
		if h.SourceID != "third" {
			t.Fatalf("a hit of an earlier search leaked in: %+v", h)
		}
	}
}

// TestSearchPanelSession searches a real session (in memory), orders hits
// like the source list, and opens a hit at its code-point position.
func TestSearchPanelSession(t *testing.T) {
	test.NewTempApp(t)
	sess, err := session.New(&annotate.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	a := annotate.Source{ID: "s1", Kind: annotate.KindOriginal, Title: "A", Text: "中美合作遣返。遣返"}
	b := annotate.Source{ID: "s2", Kind: annotate.KindOriginal, Title: "B", Text: "😀遣返 ＵＳ"}
	if err := sess.Do(annotate.Change{Label: "Import", PutSources: []annotate.Source{a, b}}); err != nil {
		t.Fatal(err)
	}
	st := &State{sess: sess}
	order := func(idx *annotate.Index) []*annotate.Source {
		return []*annotate.Source{idx.Source["s2"], idx.Source["s1"]}
	}
	var shown []int
	p := newSearchPanel(st, order, func(src string, s, e int) { shown = []int{s, e} })
	p.entry.SetText("遣返")
	p.run()
	p.wait()
	if len(p.hits) != 3 || p.hits[0].SourceID != "s2" || p.count.Text != "3 hits" {
		t.Fatalf("hits %+v, count %q", p.hits, p.count.Text)
	}
	p.list.Select(0)
	if len(shown) != 2 || shown[0] != 1 || shown[1] != 3 {
		t.Fatalf("opened %v, want the code points 1–3", shown)
	}
	p.entry.SetText("us")
	p.run()
	p.wait()
	if len(p.hits) != 1 || p.hits[0].Start != 4 {
		t.Fatalf("full-width ＵＳ for us: %+v", p.hits)
	}
	p.entry.SetText("   ")
	p.run()
	if len(p.hits) != 0 || p.count.Text != "0 hits" {
		t.Fatalf("blank query: %d hits, %q", len(p.hits), p.count.Text)
	}
}

// TestSearchPanelRapidSearches: searches started faster than they finish
// each stop the one before; only the last one's hits are shown, and no
// goroutine closes another's channel.
func TestSearchPanelRapidSearches(t *testing.T) {
	test.NewTempApp(t)
	sess, err := session.New(&annotate.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	var c annotate.Change
	c.Label = "Import"
	for i := 0; i < 50; i++ {
		c.PutSources = append(c.PutSources, annotate.Source{ID: fmt.Sprintf("s%03d", i), Kind: annotate.KindOriginal, Text: "遣返 charter 遣返"})
	}
	if err := sess.Do(c); err != nil {
		t.Fatal(err)
	}
	p := newSearchPanel(&State{sess: sess}, nil, func(string, int, int) {})
	ui := make(uiQueue, 10000)
	p.post = ui.post
	var idles []chan struct{}
	for i := 0; i < 20; i++ {
		p.entry.SetText([]string{"遣返", "charter"}[i%2])
		p.run()
		idles = append(idles, p.idle)
	}
	for _, ch := range idles {
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("a search never finished")
		}
	}
	for len(ui) > 0 {
		(<-ui)()
	}
	if !p.done || len(p.hits) != 50 || p.hits[0].End-p.hits[0].Start != len("charter") {
		t.Fatalf("last search (charter): done %v, %d hits", p.done, len(p.hits))
	}
}

// countingPanel is a search panel whose hand-overs to the UI goroutine go
// to a queue the test runs, and are counted.
func countingPanel(t *testing.T, queue int) (*searchPanel, uiQueue, *atomic.Int32) {
	test.NewTempApp(t)
	p := newSearchPanel(&State{}, nil, func(string, int, int) {})
	ui := make(uiQueue, queue)
	posts := new(atomic.Int32)
	p.post = func(f func()) { posts.Add(1); ui.post(f) }
	return p, ui, posts
}

// TestSearchPanelBatchesSparingly: a search that finds hits steadily for
// a while hands the first ones over at once and the rest in a few
// batches, not one per searchTick: each batch costs the UI
// goroutine a list refresh and a repaint.
func TestSearchPanelBatchesSparingly(t *testing.T) {
	p, ui, posts := countingPanel(t, 1000)
	const n, steps = maxHits, 20
	p.search = func(ctx context.Context, q string, fn func(annotate.SearchHit) bool) error {
		// 2,000 hits over about 20 × 30 ms = 600 ms.
		for i := 0; i < n; i++ {
			if i%(n/steps) == 0 {
				time.Sleep(30 * time.Millisecond)
			}
			if !fn(annotate.SearchHit{SourceID: "s", Start: i, End: i + 1}) {
				break
			}
		}
		return nil
	}
	p.entry.SetText("x")
	start := time.Now()
	p.run()
	var first time.Duration
	ui.pumpUntil(t, "the search to finish", func() bool {
		if len(p.hits) > 0 && first == 0 {
			first = time.Since(start)
		}
		return p.done
	})
	p.wait()
	for len(ui) > 0 {
		(<-ui)()
	}
	if len(p.hits) != n {
		t.Fatalf("%d hits shown, want %d", len(p.hits), n)
	}
	if first > 300*time.Millisecond {
		t.Errorf("the first hits showed after %v", first)
	}
	// The first batch, one per searchLater of the rest (600 ms), the end.
	if got := posts.Load(); got > 5 {
		t.Errorf("%d batches handed to the UI goroutine for one search, want at most 5", got)
	}
}

// TestSearchPanelShowsQuickHitsInOneStep: a search that ends before
// searchTick replaces the last search's hits in one hand-over, with no
// empty list (and no repaint) in between; one cancelled before it showed
// anything clears them.
func TestSearchPanelShowsQuickHitsInOneStep(t *testing.T) {
	p, ui, posts := countingPanel(t, 100)
	hold := make(chan struct{})
	p.search = func(ctx context.Context, q string, fn func(annotate.SearchHit) bool) error {
		if q == "slow" {
			select {
			case <-hold:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		n := 3
		if q == "many" {
			n = maxHits
		}
		for i := 0; i < n; i++ {
			fn(annotate.SearchHit{SourceID: q, Start: i, End: i + 1})
		}
		return nil
	}
	search := func(q string) {
		p.entry.SetText(q)
		p.run()
	}
	search("first")
	ui.pumpUntil(t, "the first search", func() bool { return p.done })
	p.wait()
	posts.Store(0)
	search("second")
	if len(p.hits) != 3 || p.hits[0].SourceID != "first" {
		t.Fatalf("the last hits were cleared before the new ones came: %+v", p.hits)
	}
	ui.pumpUntil(t, "the second search", func() bool { return p.done })
	p.wait()
	if n := posts.Load(); n != 1 {
		t.Errorf("%d hand-overs for a search that ended at once, want 1", n)
	}
	if len(p.hits) != 3 || p.hits[0].SourceID != "second" || p.count.Text != "3 hits" {
		t.Fatalf("after the second search: %+v, count %q", p.hits, p.count.Text)
	}
	// As many hits as a search shows, found at once, are one hand-over
	// too: no repaint of the first ones delays the rest.
	posts.Store(0)
	search("many")
	ui.pumpUntil(t, "the search for many", func() bool { return p.done })
	p.wait()
	if n := posts.Load(); n != 1 || len(p.hits) != maxHits {
		t.Errorf("%d hand-overs for %d hits found at once, want 1", n, len(p.hits))
	}
	// A slow search shows "searching" (and Cancel) after searchTick; one
	// cancelled before that leaves no hits of the last search behind.
	search("slow")
	ui.pumpUntil(t, "the slow search to begin", func() bool { return !p.cancel.Disabled() })
	if len(p.hits) != 0 || !strings.Contains(p.count.Text, "searching") {
		t.Fatalf("a running search with nothing found yet: %d hits, count %q", len(p.hits), p.count.Text)
	}
	test.Tap(p.cancel)
	search("slow")
	p.stopSearch()
	if len(p.hits) != 0 || !strings.Contains(p.count.Text, "0 hits") {
		t.Fatalf("cancelled before showing anything: %d hits, count %q", len(p.hits), p.count.Text)
	}
	close(hold)
}
