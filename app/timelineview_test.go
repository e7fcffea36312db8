package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/annotate/claims"
	"gloss/annotate/timeline"
)

func TestTimelineOrdersEventsFiltersAndOpens(t *testing.T) {
	a := test.NewTempApp(t)
	f := figuresFixture(t)
	ws := openWorkspace(t, a, f.config())
	var opened [3]any
	v := newTimelineView(ws.State, func(src string, s, e int) { opened = [3]any{src, s, e} })
	v.root.Resize(v.root.MinSize().AddWidthHeight(800, 400))
	waitFor(t, func(done func()) { v.computed = done; v.compute() })

	var order []string
	for _, e := range v.events {
		order = append(order, e.Label()+" "+e.SourceID+" "+string(e.Kind))
	}
	want := []string{
		"2006-05-18 s-a stated", // the visit
		"2023 s-a stated", "2023 s-b stated",
		"2024-02-01 s-a published",
		"2024-03-05 s-b published",
		"2024-03-05 s-b stated", // "on Tuesday", resolved against publication
	}
	if strings.Join(order, "|") != strings.Join(want, "|") {
		t.Fatalf("events in order:\n%s\nwant:\n%s", strings.Join(order, "\n"), strings.Join(want, "\n"))
	}
	// Marks on the axis run left to right in the same order.
	var xs []float32
	for _, o := range v.axis.Objects {
		if m, ok := o.(*eventMark); ok {
			xs = append(xs, m.Position().X)
		}
	}
	if len(xs) != len(want) {
		t.Fatalf("%d marks drawn, want %d", len(xs), len(want))
	}
	for i := 1; i < len(xs); i++ {
		if xs[i] < xs[i-1] {
			t.Fatalf("mark %d at x=%v is left of mark %d at x=%v", i, xs[i], i-1, xs[i-1])
		}
	}
	// Zooming in widens the axis.
	w0 := v.wrap.MinSize().Width
	v.zoom(2)
	if w1 := v.wrap.MinSize().Width; w1 < 1.5*w0 {
		t.Fatalf("zoom in: width %v → %v", w0, w1)
	}

	// A tap on a mark opens its passage; the mark has its source's
	// reliability colour (C for the border report).
	for _, o := range v.axis.Objects {
		if m, ok := o.(*eventMark); ok && m.ev.Date.Label() == "2006-05-18" {
			r := test.TempWidgetRenderer(t, m).(*eventMarkRenderer)
			if r.bar.FillColor != reliabilityColor("C") || !strings.Contains(r.txt.Text, "Border report") {
				t.Fatalf("mark drawn %v %q", r.bar.FillColor, r.txt.Text)
			}
			test.Tap(m)
		}
	}
	if opened[0] != "s-a" || opened[1] != runeAt(t, figTextA, "The visit") {
		t.Fatalf("tap opened %v", opened)
	}

	// Filter by code: only the coded passage's date, and its source's
	// publication date.
	v.code.SetSelected("Visit")
	if len(v.events) != 2 || v.events[0].Kind != timeline.Stated || v.events[0].Date.Label() != "2006-05-18" || v.events[1].Kind != timeline.Published {
		t.Fatalf("filtered by code: %+v", v.events)
	}
	v.code.SetSelected(anyChoice)
	if len(v.events) != len(want) {
		t.Fatalf("clearing the filter shows %d events", len(v.events))
	}

	// A claim added while the window is open shows in its filter after
	// Recompute; filtering by it keeps its evidence's dates.
	c, m, err := claims.New("The visit took place in 2006", "", "2006", "tester", time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	c.PutClaims[0].Evidence = []annotate.Evidence{{AnnotationID: "a-visit", Relation: annotate.Supports}}
	if !ws.do(c) {
		t.Fatal("could not add the claim")
	}
	waitFor(t, func(done func()) { v.computed = done; v.options(); v.compute() })
	v.claim.SetSelectedIndex(1)
	if len(v.claimIDs) != 1 || v.claimIDs[0] != m.ID || len(v.events) != 2 || v.events[0].Date.Label() != "2006-05-18" {
		t.Fatalf("filtered by claim: %v %+v", v.claimIDs, v.events)
	}
}

// A project with more dated passages than the axis has room for: only the
// events in and near the scrolled view get a mark, the rest are counted in
// the summary, and scrolling brings the marks of the events it reaches.
func TestTimelineDrawsOnlyWhatIsInView(t *testing.T) {
	a := test.NewTempApp(t)
	var b strings.Builder
	for y := 1900; y < 2100; y++ {
		fmt.Fprintf(&b, "The harbour office reopened on March 3, %d. Ships came back on May 9, %d. Trade grew in %d. ", y, y, y)
	}
	f := &fixture{store: &annotate.MemStore{}, en: "s-a", zh: "s-b"}
	if _, err := f.store.Apply(annotate.Change{PutSources: []annotate.Source{
		{ID: "s-a", Title: "Harbour annals", Published: "2024-02-01", Language: annotate.English, Kind: annotate.KindOriginal, Reliability: "C", Text: b.String()},
		{ID: "s-b", Title: "Harbour note", Published: "2024-03-05", Language: annotate.English, Kind: annotate.KindOriginal, Reliability: "B", Text: figTextB},
	}}); err != nil {
		t.Fatal(err)
	}
	ws := openWorkspace(t, a, f.config())
	v := newTimelineView(ws.State, nil)
	v.root.Resize(fyne.NewSize(1200, 700))
	waitFor(t, func(done func()) { v.computed = done; v.compute() })
	marks := func() map[int]*eventMark {
		out := map[int]*eventMark{}
		for i, mk := range v.shown {
			if slices.Contains(v.axis.Objects, fyne.CanvasObject(mk)) {
				out[i] = mk
			}
		}
		n := 0
		for _, o := range v.axis.Objects {
			if _, ok := o.(*eventMark); ok {
				n++
			}
		}
		if n != len(out) {
			t.Fatalf("%d marks on the axis, %d of them known", n, len(out))
		}
		return out
	}
	if len(v.events) < 600 {
		t.Fatalf("%d events, want three a year and the publication dates", len(v.events))
	}
	drawn := marks()
	if len(drawn) == 0 || len(drawn) >= len(v.events) || v.hidden == 0 || len(drawn)+v.hidden > len(v.events) {
		t.Fatalf("fitted: %d marks and %d hidden of %d events", len(drawn), v.hidden, len(v.events))
	}
	if !strings.Contains(v.summary.Text, fmt.Sprintf("%d events not on the axis", v.hidden)) {
		t.Fatalf("summary = %q", v.summary.Text)
	}
	// Placed marks do not run into each other in their lane, their labels
	// included.
	check := func() {
		t.Helper()
		ends := map[int]float32{}
		for i, p := range v.marks {
			if p.lane < 0 {
				continue
			}
			if end, ok := ends[p.lane]; ok && p.left < end {
				t.Fatalf("event %d starts at %v in lane %d, before the mark before it ends (%v)", i, p.left, p.lane, end)
			}
			ends[p.lane] = p.left + p.width
		}
		for i, mk := range marks() {
			if w := mk.MinSize().Width; w > v.marks[i].width+1 {
				t.Fatalf("event %d's label is %v wide, placed as %v", i, w, v.marks[i].width)
			}
		}
	}
	check()
	for k := 0; k < 10 && v.hidden > 0; k++ {
		v.zoom(2)
	}
	if v.hidden != 0 {
		t.Fatalf("zoomed in, %d events still have no lane", v.hidden)
	}
	v.zoom(4)
	check()
	last := len(v.events) - 1
	if drawn = marks(); len(drawn) == 0 || len(drawn) >= len(v.events)/2 || drawn[last] != nil {
		t.Fatalf("zoomed in: %d marks of %d events, the last drawn: %v", len(drawn), len(v.events), drawn[last] != nil)
	}
	v.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DX: -1e7}})
	if drawn = marks(); drawn[last] == nil || drawn[0] != nil {
		t.Fatalf("scrolled to the end: last drawn %v, first drawn %v", drawn[last] != nil, drawn[0] != nil)
	}
	check()
}
