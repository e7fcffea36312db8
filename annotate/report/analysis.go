package report

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

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
	Agreeing []*figGroupDoc // other groups of two or more figures
	Single   []*figDoc      // figures no other figure counts
	NFigures int
	Events   []*eventDoc
	Checks   []*checkDoc
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
	Figures     []*figDoc
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
func analyse(p *annotate.Project, x *annotate.Index, byID map[string]*srcDoc, text func(id string) (string, bool)) *analysisDoc {
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
	facts := readFacts(p.Sources, text)
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
	wg.Go(func() {
		var figs []figures.Figure
		for _, s := range p.Sources {
			if f := facts.of[s.ID]; f != nil {
				figs = append(figs, f.Figures...)
			}
		}
		gs := figures.Groups(figs, figures.OverridesFrom(p.Sources))
		for _, g := range gs {
			ad.NFigures += len(g.Figures)
			inConflict := map[int]bool{}
			for _, k := range g.InConflict {
				inConflict[k] = true
			}
			var figs []*figDoc
			for k, f := range g.Figures {
				figs = append(figs, &figDoc{Value: f.Number.Display(), Unit: f.Unit, Counts: f.Counts, Period: f.PeriodLabel(),
					Src: byID[f.SourceID], SourceTitle: title(f.SourceID), Passage: f.Passage.Text,
					Pos: fmt.Sprintf("%d–%d", f.Number.Start, f.Number.End), Preferred: k == g.Preferred, InConflict: inConflict[k]})
			}
			if len(figs) == 1 && !g.Conflict {
				ad.Single = append(ad.Single, figs[0])
				continue
			}
			head := g.Unit
			if g.Counts != "" {
				head += " — " + g.Counts
			}
			if g.Period != "" {
				head += ", " + g.Period
			}
			gd := &figGroupDoc{Head: strings.TrimPrefix(head, " — "), Explanation: g.Explanation, Figures: figs}
			if g.Conflict {
				ad.Conflict = append(ad.Conflict, gd)
			} else {
				ad.Agreeing = append(ad.Agreeing, gd)
			}
		}
		for i, g := range append(append([]*figGroupDoc{}, ad.Conflict...), ad.Agreeing...) {
			g.Num = i + 1
		}

	})
	wg.Go(func() {
		var evs []timeline.Event
		for _, s := range p.Sources {
			if s.Kind == annotate.KindSummary { // a summary's dates repeat its originals'
				continue
			}
			if f := facts.of[s.ID]; f != nil {
				evs = append(evs, timeline.EventsOf(s, f.Dates, f.Sentences)...)
			} else {
				evs = append(evs, timeline.EventsOf(s, nil, nil)...)
			}
		}
		timeline.Sort(evs)
		for _, ev := range evs {
			ed := &eventDoc{Date: ev.Label(), Precision: string(ev.Date.Precision), Published: ev.Kind == timeline.Published,
				Src: byID[ev.SourceID], SourceTitle: title(ev.SourceID), Rel: string(ev.Reliability)}
			if ev.Date.Relative {
				ed.Precision += ", resolved against the publication date"
			}
			if !ed.Published {
				ed.Passage = ev.Passage.Text
				ed.Pos = fmt.Sprintf("%d–%d", ev.Passage.Start, ev.Passage.End)
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

// textFacts are the facts of every source but summaries, read once.
type textFacts struct {
	of   map[string]*figures.Facts
	pub  map[string]string // the published date each was read with
	done chan struct{}
}

// readFacts starts reading the facts of every source with a text but
// summaries (their figures are checked, not tabled), one worker per core.
func readFacts(sources []annotate.Source, text func(string) (string, bool)) *textFacts {
	tf := &textFacts{of: map[string]*figures.Facts{}, pub: map[string]string{}, done: make(chan struct{})}
	var todo []int
	for i, s := range sources {
		if s.Kind != annotate.KindSummary {
			todo = append(todo, i)
		}
	}
	out := make([]*figures.Facts, len(todo))
	go func() {
		defer close(tf.done)
		var wg sync.WaitGroup
		next := make(chan int)
		for range max(1, runtime.GOMAXPROCS(0)) {
			wg.Go(func() {
				for k := range next {
					s := sources[todo[k]]
					if t, ok := text(s.ID); ok {
						f := figures.Read(s, t)
						out[k] = &f
					}
				}
			})
		}
		for k := range todo {
			next <- k
		}
		close(next)
		wg.Wait()
		for k, i := range todo {
			if out[k] != nil {
				tf.of[sources[i].ID], tf.pub[sources[i].ID] = out[k], sources[i].Published
			}
		}
	}()
	return tf
}

func (tf *textFacts) wait() { <-tf.done }

// read serves the summary checks the facts already read, reading only
// what was not (a source whose dates resolve against another date).
func (tf *textFacts) read(src annotate.Source, text string) figures.Facts {
	if f := tf.of[src.ID]; f != nil && tf.pub[src.ID] == src.Published {
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
