package report

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gloss/annotate"
	"gloss/annotate/claims"
	"gloss/annotate/figures"
	"gloss/annotate/summarycheck"
	"gloss/annotate/timeline"
)

// The judgment sections: claims with their corroboration, figures with
// conflicts, the timeline and the summary checks. They are computed once
// here by the domain packages and laid out by each writer.

type analysisDoc struct {
	Claims   []*claimDoc
	Conflict []*figGroupDoc // groups whose figures disagree
	Agreeing []*figGroupDoc // other groups of two or more figures, as listed
	Single   []*figDoc      // figures no other figure counts, as listed
	NFigures int
	// Counts of all groups and single figures, listed or not.
	NConflict, NAgreeing, NSingle int
	// Abridged says what a large project's figures section leaves out
	// ("" when it lists everything); SingleUnits counts the unlisted
	// single figures by unit ("60,120 people, 2,113 percent").
	Abridged, SingleUnits string
	Events                []*eventDoc
	Checks                []*checkDoc
}

func (a *analysisDoc) HasFigures() bool { return a.NFigures > 0 }

type claimDoc struct {
	Num       int
	Anchor    string
	C         annotate.Claim
	Target    string
	A         claims.Assessment
	Sources   []*claimSrcDoc
	Voices    []string // "voice 1: A, B — one voice: why"
	Suggested string   // "2 — Probably true"
	Grade     string   // the analyst's, "" when none
	Then      string   // what Gloss suggested when the analyst graded
}

type claimSrcDoc struct {
	E     claims.SourceEvidence
	Src   *srcDoc // nil when the source is not in the report
	Title string
	Meta  string // outlet · date · language · reliability · flags
	Voice int    // 1-based
	Items []claimItemDoc
}

type claimItemDoc struct {
	Relation string
	Quote    string
	Pos      string // "120–134" or why it is not shown
	Cred     string
}

type figGroupDoc struct {
	Num         int
	Head        string // "people — Chinese citizens, 2023 / FY2023"
	Explanation string
	Figures     []*figDoc // as listed
	More        string    // "312 more figures of this group, from 290 sources, are not listed." or ""
}

type figDoc struct {
	Value, Unit, Counts, Period string
	Src                         *srcDoc
	SourceTitle                 string
	Passage                     string
	Pos                         string
	Preferred, InConflict       bool
}

type eventDoc struct {
	Date, Precision string
	Published       bool
	Src             *srcDoc
	SourceTitle     string
	Rel             string
	Passage, Pos    string
}

type checkDoc struct {
	Summary   *srcDoc
	Sentences int
	Flagged   []checkSentDoc
}

type checkSentDoc struct {
	Text     string
	Pos      string
	Findings []string
}

// analyse builds the judgment sections of p. byID maps source IDs to
// their sections of the report.
// text reads a source's text (false when it has none); it may be called
// from several goroutines. p holds the sources' metadata, every link and
// claim, and the annotations claims cite (see prepare).
func analyse(p *annotate.Project, x *annotate.Index, byID map[string]*srcDoc, text func(id string) (string, bool), workers int) *analysisDoc {
	ad := &analysisDoc{}
	title := func(id string) string {
		if sd := byID[id]; sd != nil {
			return sd.Title
		}
		return id
	}
	// Dates, sentences and figures are what the figures, timeline and
	// summary sections cost: they are read once per text, on every core,
	// while the claims section (which reads passages, not whole texts)
	// runs beside them.
	var wg sync.WaitGroup
	// The summary checks read only what summaries link to (rejected
	// links are skipped there); other link targets' facts are not kept.
	summary := map[string]bool{}
	for _, s := range p.Sources {
		if s.Kind == annotate.KindSummary {
			summary[s.ID] = true
		}
	}
	evidence := map[string][]annotate.Selector{}
	for _, k := range p.Links {
		if k.Status == annotate.Rejected || !summary[k.From.SourceID] {
			continue
		}
		for _, to := range k.To {
			evidence[to.SourceID] = append(evidence[to.SourceID], to.Selector)
		}
	}
	ov := figures.OverridesFrom(p.Sources)
	facts := readFacts(p.Sources, text, evidence, ov, workers)
	wg.Go(func() {
		if len(p.Claims) > 0 {
			b := claims.NewBoard(p)
			for i, m := range b.Claims() {
				as, _ := b.Assessment(m.ID)
				cd := &claimDoc{Num: i + 1, Anchor: "claim-" + strconv.Itoa(i+1), C: m, A: as,
					Suggested: credText(as.Suggested), Grade: credText(m.Grade), Then: credText(m.SuggestedGrade)}
				if t := x.Target[m.Target]; t != nil {
					cd.Target = t.Name
				}
				for _, se := range as.Sources {
					cs := &claimSrcDoc{E: se, Src: byID[se.SourceID], Title: se.Title, Voice: se.Voice + 1}
					var meta []string
					for _, v := range []string{se.Outlet, se.Published, langName(se.Language)} {
						if v != "" {
							meta = append(meta, v)
						}
					}
					meta = append(meta, "reliability "+relText(se.Reliability))
					if se.StateAffiliated {
						meta = append(meta, "state-affiliated")
					}
					if se.MachineTranslated {
						meta = append(meta, "machine-translated")
					}
					cs.Meta = strings.Join(meta, " · ")
					for _, it := range se.Items {
						ci := claimItemDoc{Relation: string(it.Relation), Quote: it.Quote, Cred: credText(it.Credibility),
							Pos: fmt.Sprintf("%d–%d", it.Start, it.End)}
						if it.Missing {
							// A filtered report leaves annotations out; so does a deletion.
							ci.Quote, ci.Pos = "", "annotation "+it.AnnotationID+" is not in this report"
						} else if st := it.Anchor.Norm(); st != annotate.AnchorExact {
							ci.Pos += " (" + string(st) + ")"
						}
						cs.Items = append(cs.Items, ci)
					}
					cd.Sources = append(cd.Sources, cs)
				}
				for k, v := range as.Voices {
					names := make([]string, len(v.Sources))
					for j, id := range v.Sources {
						names[j] = title(id)
					}
					s := fmt.Sprintf("Voice %d: %s", k+1, strings.Join(names, "; "))
					if len(v.Why) > 0 {
						s += " — one voice: " + strings.Join(v.Why, "; ")
					}
					cd.Voices = append(cd.Voices, s)
				}
				ad.Claims = append(ad.Claims, cd)
			}
		}

	})
	facts.wait()
	// The figures are grouped before the timeline and the summary checks
	// are laid out: grouping's keys and subjects are freed before those
	// sections' rows are made (they overlapped in the peak).
	figureSections(ad, facts, ov, p.Sources, byID, title, text)
	wg.Go(func() {
		var evs []event
		for i, s := range p.Sources {
			if s.Kind == annotate.KindSummary { // a summary's dates repeat its originals'
				continue
			}
			if facts.events[i] != nil {
				evs = append(evs, facts.events[i]...)
				facts.events[i] = nil
			} else {
				evs = append(evs, eventsOf(i, timeline.EventsOf(s, nil, nil))...)
			}
		}
		// timeline.Sort's order.
		sort.SliceStable(evs, func(i, j int) bool {
			a, b := &evs[i], &evs[j]
			if a.from != b.from {
				return a.from < b.from
			}
			if a.to != b.to {
				return a.to < b.to
			}
			if ia, ib := p.Sources[a.src].ID, p.Sources[b.src].ID; ia != ib {
				return ia < ib
			}
			return a.start < b.start
		})
		ad.Events = make([]*eventDoc, 0, len(evs))
		for k := range evs {
			ev := &evs[k]
			s := &p.Sources[ev.src]
			d := timeline.Date{From: time.Unix(ev.from, 0).UTC(), To: time.Unix(ev.to, 0).UTC(), Precision: ev.prec}
			ed := &eventDoc{Date: d.Label(), Precision: string(ev.prec), Published: ev.published,
				Src: byID[s.ID], SourceTitle: title(s.ID), Rel: string(s.Reliability)}
			if ev.relative {
				ed.Precision += ", resolved against the publication date"
			}
			if !ed.Published {
				ed.Passage = ev.passage
				ed.Pos = fmt.Sprintf("%d–%d", ev.passStart, ev.passEnd)
			}
			ad.Events = append(ad.Events, ed)
		}

	})
	wg.Go(func() {
		srcMap := make(map[string]annotate.Source, len(p.Sources))
		for _, s := range p.Sources {
			srcMap[s.ID] = s
		}
		for _, s := range p.Sources {
			if s.Kind != annotate.KindSummary {
				continue
			}
			sents, err := summarycheck.CheckFacts(s, srcMap, p.Links, text, facts.read)
			cd := &checkDoc{Summary: byID[s.ID], Sentences: len(sents)}
			if err != nil {
				cd.Flagged = append(cd.Flagged, checkSentDoc{Findings: []string{"could not be checked: " + err.Error()}})
			}
			for _, sn := range sents {
				if !sn.Flagged() {
					continue
				}
				sd := checkSentDoc{Text: sn.Span.Text, Pos: fmt.Sprintf("%d–%d", sn.Span.Start, sn.Span.End)}
				for _, f := range sn.Findings {
					sd.Findings = append(sd.Findings, f.Message)
				}
				cd.Flagged = append(cd.Flagged, sd)
			}
			ad.Checks = append(ad.Checks, cd)
		}
	})
	wg.Wait()
	return ad
}

// textFacts are what the judgment sections keep of every source's facts,
// read once: its figures (until the figures section has grouped them), its
// timeline events, and the dates and figures of the texts summaries link
// to (for the summary checks). Sentences and the other texts' dates are
// dropped as soon as a text is read, so a large project holds per source
// only what a section will show or group.
type textFacts struct {
	// keys are what grouping reads of the figures that may group, by
	// source index (nil once grouped), with their strings in tab: a
	// third of a Figure's size. The rows printed are built again from
	// their keys and their sources' texts.
	keys  [][]figures.Key
	tab   *figures.KeyTable
	nFigs int
	// Figures without a unit never group (unless a merge names them):
	// they are counted, and kept (with their place) only while few
	// enough to be listed, which at 10,000 sources spares a third of
	// the figures. noUnit is nil once there are more than maxSingles.
	noUnit   [][]figures.Figure // by source index
	nNoUnit  atomic.Int64
	events   [][]event                 // by source index, for sources with a text but summaries
	evidence map[string]*figures.Facts // link targets: dates and figures only
	pub      map[string]string         // the published date each was read with
	done     chan struct{}
}

// readFacts starts reading the facts of every source with a text but
// summaries (their figures are checked, not tabled) with workers
// goroutines (0: one per core).
// evidence names the sources summaries link to, with the passages linked:
// the summary checks read the figures and dates in those passages again.
// ov are the figure overrides: ignored figures are dropped here, and
// merged ones always go to grouping.
func readFacts(sources []annotate.Source, text func(string) (string, bool), evidence map[string][]annotate.Selector, ov figures.Overrides, workers int) *textFacts {
	ignored, merged := map[string]bool{}, map[string]bool{}
	for _, id := range ov.Ignore {
		ignored[id] = true
	}
	for _, set := range ov.Merge {
		for _, id := range set {
			merged[id] = true
		}
	}
	tf := &textFacts{keys: make([][]figures.Key, len(sources)), tab: figures.NewKeyTable(), noUnit: make([][]figures.Figure, len(sources)),
		events:   make([][]event, len(sources)),
		evidence: map[string]*figures.Facts{}, pub: map[string]string{}, done: make(chan struct{})}
	var todo []int
	for i, s := range sources {
		if s.Kind != annotate.KindSummary {
			todo = append(todo, i)
		}
	}
	kept := make([]*figures.Facts, len(sources))
	go func() {
		defer close(tf.done)
		var wg sync.WaitGroup
		next := make(chan int)
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		for range workers {
			wg.Go(func() {
				for i := range next {
					s := sources[i]
					t, ok := text(s.ID)
					if !ok {
						continue
					}
					f := figures.Read(s, t)
					// Exactly as many as group: append's spare capacity
					// was a quarter of all figures held.
					n := 0
					for _, g := range f.Figures {
						if (g.Unit != "" || merged[g.ID]) && !ignored[g.ID] {
							n++
						}
					}
					grouped := make([]figures.Figure, 0, n)
					var single []figures.Figure
					for _, g := range f.Figures {
						switch {
						case ignored[g.ID]:
						case g.Unit != "" || merged[g.ID]:
							grouped = append(grouped, g)
						default:
							if tf.nNoUnit.Add(1) <= int64(maxSingles) {
								single = append(single, g)
							}
						}
					}
					tf.keys[i], tf.noUnit[i] = tf.tab.Keys(grouped), single
					tf.events[i] = eventsOf(i, timeline.EventsOf(s, f.Dates, f.Sentences))
					if tf.events[i] == nil {
						tf.events[i] = []event{}
					}
					if sels := evidence[s.ID]; sels != nil {
						kept[i] = linked(f, sels)
					}
				}
			})
		}
		for _, i := range todo {
			next <- i
		}
		close(next)
		wg.Wait()
		tf.tab.Seal()
		for _, i := range todo {
			tf.nFigs += len(tf.keys[i])
			if tf.nNoUnit.Load() > int64(maxSingles) {
				tf.noUnit[i] = nil // too many to list: counted only
			}
			if kept[i] != nil {
				tf.evidence[sources[i].ID], tf.pub[sources[i].ID] = kept[i], sources[i].Published
			}
		}
	}()
	return tf
}

func (tf *textFacts) wait() { <-tf.done }

// event is what the timeline shows of a timeline.Event, held for every
// event of a project until all are sorted: a third of its size, without
// the date's text or the source's ID and title (src indexes the sources).
type event struct {
	from, to                       int64 // the date's first and last day, Unix seconds (whole days)
	prec                           timeline.Precision
	passage                        string
	src, start, passStart, passEnd int32 // start: the date's
	relative, published            bool
}

func eventsOf(src int, evs []timeline.Event) []event {
	if evs == nil {
		return nil
	}
	out := make([]event, len(evs))
	for k := range evs {
		ev := &evs[k]
		d := &ev.Date
		out[k] = event{from: d.From.Unix(), to: d.To.Unix(), prec: d.Precision, passage: ev.Passage.Text,
			src: int32(src), start: int32(d.Start), passStart: int32(ev.Passage.Start), passEnd: int32(ev.Passage.End),
			relative: d.Relative, published: ev.Kind == timeline.Published}
	}
	return out
}

// linked keeps of f the dates and figures within the passages sels: the
// summary checks compare no others (summarycheck.CheckFacts).
func linked(f figures.Facts, sels []annotate.Selector) *figures.Facts {
	in := func(start, end int) bool {
		for _, sel := range sels {
			if start >= sel.Start && end <= sel.End {
				return true
			}
		}
		return false
	}
	out := &figures.Facts{}
	for _, d := range f.Dates {
		if in(d.Start, d.End) {
			out.Dates = append(out.Dates, d)
		}
	}
	for _, g := range f.Figures {
		if in(g.Number.NumStart, g.Number.NumEnd) {
			out.Figures = append(out.Figures, g)
		}
	}
	return out
}

// read serves the summary checks the facts already read, reading only
// what was not (a source whose dates resolve against another date).
func (tf *textFacts) read(src annotate.Source, text string) figures.Facts {
	if f := tf.evidence[src.ID]; f != nil && tf.pub[src.ID] == src.Published {
		return *f
	}
	return figures.Read(src, text)
}

// langName is a source's language in the words the window uses, or "" when
// it is not set (a report leaves the field out).
func langName(l annotate.Language) string {
	if l == annotate.LangUnknown {
		return ""
	}
	return l.Name()
}

// A large project's figures section is abridged: every conflicting group
// is listed (an analyst must see each), but at most maxGroupRows figures of
// any group, at most maxAgreeing agreeing groups (those stated by the most
// sources), and the figures stated once only while there are at most
// maxSingles of them (a genproj 10,000-source project has 333,923 figures,
// 23,387 agreeing groups and 106,770 single figures: a 100 MB table no one
// reads). A small project's section is unchanged; the figures view and
// `gloss figures` list everything.
var (
	maxGroupRows = 50
	maxAgreeing  = 500
	maxSingles   = 1000
) // variables only so that a test can make a small project large

// figureSections groups the figures facts read and fills the figures
// section of ad, making rows only for the figures it lists; text reads
// those figures' sources again for their passages.
func figureSections(ad *analysisDoc, facts *textFacts, ov figures.Overrides, sources []annotate.Source, byID map[string]*srcDoc, title func(string) string, text func(string) (string, bool)) {
	// The keys stay in their sources' slices, pointed to in the sources'
	// order.
	figs := make([]*figures.Key, 0, facts.nFigs)
	srcOf := make([]int32, 0, facts.nFigs) // source index of each, for the order of singles
	for i := range sources {
		for k := range facts.keys[i] {
			figs = append(figs, &facts.keys[i][k])
			srcOf = append(srcOf, int32(i))
		}
	}
	defer func() {
		for i := range facts.keys {
			facts.keys[i] = nil
		}
	}()
	tab := facts.tab
	gs := figures.PartitionKeys(figs, tab, ov)
	// Rows get their passages once every row is made, each source's text
	// read once (passage[i] are the rows of source i).
	passage := map[int32][]*figDoc{}
	keyOf := map[*figDoc]*figures.Key{}
	row := func(g *figures.Group, k int) *figDoc {
		key := figs[g.Members[k]]
		f := tab.Figure(key, nil)
		fd := &figDoc{Value: f.Number.Display(), Unit: f.Unit, Counts: f.Counts, Period: f.PeriodLabel(),
			Src: byID[f.SourceID], SourceTitle: title(f.SourceID), Passage: f.Passage.Text,
			Pos: fmt.Sprintf("%d–%d", f.Number.Start, f.Number.End), Preferred: k == g.Preferred}
		if fd.Passage == "" {
			i := srcOf[g.Members[k]]
			passage[i] = append(passage[i], fd)
			keyOf[fd] = key
		}
		return fd
	}
	defer func() {
		order := make([]int32, 0, len(passage))
		for i := range passage {
			order = append(order, i)
		}
		slices.Sort(order)
		for _, i := range order {
			t, ok := text(sources[i].ID)
			if !ok {
				continue
			}
			r := []rune(t)
			for _, fd := range passage[i] {
				fd.Passage = tab.Figure(keyOf[fd], r).Passage.Text
			}
		}
	}()
	var conflict, agreeing, single []*figures.Group
	for k := range gs {
		g := &gs[k]
		ad.NFigures += len(g.Members)
		switch {
		case g.Conflict:
			conflict = append(conflict, g)
		case len(g.Members) == 1:
			single = append(single, g)
		default:
			agreeing = append(agreeing, g)
		}
	}
	nNoUnit := int(facts.nNoUnit.Load())
	ad.NFigures += nNoUnit
	ad.NConflict, ad.NAgreeing, ad.NSingle = len(conflict), len(agreeing), len(single)+nNoUnit
	sourcesOf := func(g *figures.Group) int {
		seen := map[int32]bool{}
		for _, i := range g.Members {
			seen[figs[i].Source()] = true
		}
		return len(seen)
	}
	var notes []string
	if len(agreeing) > maxAgreeing {
		n := make(map[*figures.Group]int, len(agreeing))
		for _, g := range agreeing {
			n[g] = sourcesOf(g)
		}
		sort.SliceStable(agreeing, func(a, b int) bool { return n[agreeing[a]] > n[agreeing[b]] })
		left := 0
		for _, g := range agreeing[maxAgreeing:] {
			left += len(g.Members)
		}
		notes = append(notes, fmt.Sprintf("only the %d agreeing groups stated by the most sources are listed (%d more, with %d figures, are not)",
			maxAgreeing, len(agreeing)-maxAgreeing, left))
		agreeing = agreeing[:maxAgreeing]
	}
	long := false
	doc := func(g *figures.Group) *figGroupDoc {
		head := g.Unit
		if g.Counts != "" {
			head += " — " + g.Counts
		}
		if g.Period != "" {
			head += ", " + g.Period
		}
		gd := &figGroupDoc{Head: strings.TrimPrefix(head, " — "), Explanation: g.Explanation}
		inConflict := map[int]bool{}
		for _, k := range g.InConflict {
			inConflict[k] = true
		}
		// The preferred figure is listed whatever its place in the group.
		for k := range g.Members {
			if len(gd.Figures) >= maxGroupRows && k != g.Preferred {
				continue
			}
			fd := row(g, k)
			fd.InConflict = inConflict[k]
			gd.Figures = append(gd.Figures, fd)
		}
		if more := len(g.Members) - len(gd.Figures); more > 0 {
			long = true
			n := sourcesOf(g)
			gd.More = fmt.Sprintf("Not listed: %d more figure%s of this group (its %d figures come from %d source%s).",
				more, plural(more), len(g.Members), n, plural(n))
		}
		return gd
	}
	for _, g := range conflict {
		ad.Conflict = append(ad.Conflict, doc(g))
	}
	for _, g := range agreeing {
		ad.Agreeing = append(ad.Agreeing, doc(g))
	}
	if ad.NSingle > maxSingles {
		units := map[string]int{}
		var order []string
		count := func(u string, n int) {
			if u == "" {
				u = "no unit"
			}
			if units[u] == 0 {
				order = append(order, u)
			}
			units[u] += n
		}
		for _, g := range single {
			count(tab.Unit(figs[g.Members[0]]), 1)
		}
		if nNoUnit > 0 {
			count("", nNoUnit)
		}
		sort.SliceStable(order, func(a, b int) bool { return units[order[a]] > units[order[b]] })
		var parts []string
		for _, u := range order {
			parts = append(parts, fmt.Sprintf("%d %s", units[u], u))
		}
		ad.SingleUnits = strings.Join(parts, ", ")
		notes = append(notes, "figures stated once are counted by unit, not listed")
	} else {
		// The grouped singles and those without a unit, in the sources'
		// order and each source's text order, as one grouping lists them.
		pref := map[string]bool{}
		for _, id := range ov.Preferred {
			pref[id] = true
		}
		type at struct {
			src, pos int
			fd       *figDoc
		}
		var rows []at
		for _, g := range single {
			i := g.Members[0]
			rows = append(rows, at{int(srcOf[i]), figs[i].Start(), row(g, 0)})
		}
		for i, fs := range facts.noUnit {
			for k := range fs {
				f := &fs[k]
				rows = append(rows, at{i, f.Number.Start, &figDoc{Value: f.Number.Display(), Unit: f.Unit, Counts: f.Counts,
					Period: f.PeriodLabel(), Src: byID[f.SourceID], SourceTitle: title(f.SourceID), Passage: f.Passage.Text,
					Pos: fmt.Sprintf("%d–%d", f.Number.Start, f.Number.End), Preferred: pref[f.ID]}})
			}
			facts.noUnit[i] = nil
		}
		sort.SliceStable(rows, func(a, b int) bool {
			return rows[a].src < rows[b].src || rows[a].src == rows[b].src && rows[a].pos < rows[b].pos
		})
		for _, r := range rows {
			ad.Single = append(ad.Single, r.fd)
		}
	}
	if long {
		notes = append([]string{fmt.Sprintf("at most %d figures of a group are listed", maxGroupRows)}, notes...)
	}
	if len(notes) > 0 {
		ad.Abridged = "Abridged at this size: every conflicting group is listed, but " + strings.Join(notes, "; ") +
			". The figures view and gloss figures list every figure."
	}
	for i, g := range append(append([]*figGroupDoc{}, ad.Conflict...), ad.Agreeing...) {
		g.Num = i + 1
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
