package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
)

// searchPanel lists the hits of a project-wide search. The search runs in a
// goroutine: the window stays live, hits appear in batches as they are
// found, and a new search or Cancel stops the one running.
type searchPanel struct {
	st     *State
	order  func(*annotate.Index) []*annotate.Source
	entry  *widget.Entry
	count  *widget.Label
	cancel *widget.Button
	list   *keyList
	root   fyne.CanvasObject

	// Touched only on the UI goroutine.
	hits    []annotate.SearchHit
	stale   bool               // hits are the last search's (see run)
	stop    context.CancelFunc // the running search's, or nil
	gen     int                // bumped per search: late batches of an older one are dropped
	done    bool
	capped  bool
	failure error
	idle    chan struct{} // closed when the last search's goroutine has posted everything

	// search and post are the session's search and fyne.Do; tests replace
	// them to hold a search mid-way and to play the UI goroutine.
	search func(ctx context.Context, q string, fn func(annotate.SearchHit) bool) error
	post   func(func())
}

// maxHits keeps a search for "the" in a large project from flooding the list.
const maxHits = 2000

// searchTick bounds how long the first hits wait to be shown; later ones
// wait up to searchLater. Each batch costs the UI goroutine a refresh of
// the list's rows and a repaint (30–60 ms with a software renderer): ten
// batches of a 2,000-hit search, taken between frames, kept a queued call
// waiting 100–250 ms, while hits beyond the first screenful only move the
// scroll bar. A search that ends within searchTick is one batch: handing
// its first 200 hits over at once cost the last ones a repaint's wait
// (2,000 hits of 10,000 sources: 45–104 ms to shown, 30 ms of search).
const (
	searchTick  = 50 * time.Millisecond
	searchLater = 400 * time.Millisecond
)

// newSearchPanel lists hits; when a search ends they are put in the given
// order of sources (the source list's); show opens a hit in the document.
func newSearchPanel(st *State, order func(*annotate.Index) []*annotate.Source, show func(src string, start, end int)) *searchPanel {
	p := &searchPanel{st: st, order: order, entry: widget.NewEntry(), count: widget.NewLabel(""), post: fyne.Do}
	p.search = func(ctx context.Context, q string, fn func(annotate.SearchHit) bool) error {
		if st.Session() == nil {
			return nil
		}
		return st.Session().Search(ctx, q, fn)
	}
	p.entry.SetPlaceHolder("Search every source (English or Chinese), Enter")
	p.entry.OnSubmitted = func(string) { p.run() }
	p.list = newKeyList(
		func() int { return len(p.hits) },
		func() fyne.CanvasObject {
			r := newAnnotationRow()
			r.swatch.Hide()
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(p.hits) {
				return
			}
			r := o.(*annotationRow)
			h := p.hits[i]
			r.quote.SetText(h.Context)
			title := h.SourceID
			if s := st.Index().Source[h.SourceID]; s != nil {
				title = s.DisplayTitle()
			}
			r.meta.SetText(fmt.Sprintf("%s — at %d", title, h.Start))
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		if i < len(p.hits) {
			h := p.hits[i]
			show(h.SourceID, h.Start, h.End)
		}
	}
	btn := widget.NewButtonWithIcon("Search", theme.SearchIcon(), p.run)
	p.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), p.stopSearch)
	p.cancel.Disable()
	p.root = container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(p.count, p.cancel, btn), p.entry), nil, nil, nil, p.list)
	return p
}

// run starts a search for the entry's text, stopping the one running.
//
// The last search's hits stay on screen until this one hands over its
// first (or searchTick passes): clearing them at once cost a repaint
// before the hits could be shown, and a rare word's hits, found in a few
// milliseconds, waited 30-100 ms for that frame of a software renderer.
func (p *searchPanel) run() {
	p.stopSearch()
	p.gen++
	gen := p.gen
	p.done, p.capped, p.failure = false, false, nil
	p.stale = true
	q := p.entry.Text
	if _, err := annotate.ParseQuery(q); err != nil {
		p.begin()
		p.done = true
		if len([]rune(q)) > annotate.MaxQueryRunes {
			p.failure = err
		}
		p.showCount()
		p.list.Refresh()
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	p.stop = stop
	p.idle = make(chan struct{})
	go p.collect(ctx, gen, q, p.idle, time.Now())
}

// begin replaces the last search's hits with this one's (none yet), on
// its first hand-over.
func (p *searchPanel) begin() {
	if !p.stale {
		return
	}
	p.stale = false
	p.hits = nil
	p.list.UnselectAll()
	if !p.done && p.stop != nil {
		p.cancel.Enable()
	}
}

// collect runs on its own goroutine and hands hits to the UI in batches:
// the first once searchTick has passed, so early hits show even if the
// rest of the search takes long; later ones at most every searchLater,
// and the rest when the search ends.
func (p *searchPanel) collect(ctx context.Context, gen int, q string, idle chan struct{}, start time.Time) {
	defer close(idle) // this search's: p.idle may already be a newer one's
	var mu sync.Mutex
	var batch []annotate.SearchHit
	var posted time.Time // when the last batch was handed over
	begun := false       // something was handed over (see run)
	flush := func(final func()) {
		mu.Lock()
		if final == nil && !posted.IsZero() && time.Since(posted) < searchLater {
			mu.Unlock()
			return // the first hits are showing; these wait for the next
		}
		b := batch
		batch = nil
		if len(b) > 0 {
			posted = time.Now()
		}
		first := !begun
		begun = true
		mu.Unlock()
		if len(b) == 0 && final == nil && !first {
			return
		}
		p.post(func() {
			if p.gen != gen {
				return // cancelled, or a newer search replaced this one
			}
			p.begin()
			p.hits = append(p.hits, b...)
			if final != nil {
				final()
			}
			p.showCount()
			p.list.Refresh()
		})
	}
	tick := time.NewTicker(searchTick)
	stopTick := make(chan struct{})
	ticking := make(chan struct{})
	go func() {
		defer close(ticking)
		for {
			select {
			case <-tick.C:
				flush(nil)
			case <-stopTick:
				return
			}
		}
	}()
	n, capped := 0, false
	err := p.search(ctx, q, func(h annotate.SearchHit) bool {
		if n == maxHits {
			capped = true
			return false
		}
		n++
		mu.Lock()
		batch = append(batch, h)
		mu.Unlock()
		return ctx.Err() == nil
	})
	tick.Stop()
	close(stopTick)
	<-ticking // so the last batch is posted after every earlier one
	flush(func() {
		p.finish(capped, err)
		timed(fmt.Sprintf("search %q, %d hits, shown", q, n), start)
	})
}

// finish ends a search on the UI goroutine: the hits are put in the
// source list's order, keeping the selected hit selected.
func (p *searchPanel) finish(capped bool, err error) {
	p.done, p.capped = true, capped
	if errors.Is(err, context.Canceled) {
		err = nil // Cancel says so in the count
	}
	p.failure = err
	if p.stop != nil {
		p.stop()
		p.stop = nil
	}
	p.cancel.Disable()
	if p.order == nil || len(p.hits) < 2 {
		return
	}
	rank := map[string]int{}
	for i, s := range p.order(p.st.Index()) {
		rank[s.ID] = i
	}
	sort.SliceStable(p.hits, func(i, j int) bool {
		return rank[p.hits[i].SourceID] < rank[p.hits[j].SourceID]
	})
}

// stopSearch cancels the running search; the hits found so far stay.
func (p *searchPanel) stopSearch() {
	if p.stop == nil {
		return
	}
	p.stop()
	p.stop = nil
	p.gen++ // its last batch is not waited for
	p.done = true
	if p.stale { // nothing of it was shown: the hits are the last search's
		p.begin()
		p.list.Refresh()
	}
	p.cancel.Disable()
	p.showCount()
	p.count.SetText(p.count.Text + " (cancelled)")
}

func (p *searchPanel) showCount() {
	msg := plural(len(p.hits), "hit")
	switch {
	case p.failure != nil:
		msg = p.failure.Error()
	case p.capped:
		msg = fmt.Sprintf("first %d hits", maxHits)
	case !p.done:
		msg += ", searching…"
	}
	p.count.SetText(msg)
}

// projectSearch runs a project-wide search and shows its results.
func (w *Workspace) projectSearch(q string) {
	if !w.showList {
		w.showList = true
		w.layoutBody()
	}
	w.bottom.bringForward(w.search.root)
	// Focus first: once the search runs, its results arrive from another
	// goroutine, and nothing here should touch the panel after that.
	w.Window.Canvas().Focus(w.search.entry)
	if q != "" {
		w.search.entry.SetText(q)
		w.search.run()
	}
}
