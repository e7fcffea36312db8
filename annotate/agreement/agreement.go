// Package agreement compares two coders: for the sources both have
// annotated, how far their coding agrees, code by code, as QDA tools
// compute it. Every code point of every shared source is a unit that each
// coder either coded with a code or did not; per code Gloss reports
// percent agreement and Cohen's kappa over those units, and the passages
// where the two differ.
package agreement

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"gloss/annotate"
)

// Result is the comparison of two coders.
type Result struct {
	CoderA, CoderB string
	Sources        []string // IDs of the sources both coded, in project order
	Units          int      // code points over those sources
	Codes          []Code   // one per code either coder used there, by name
}

// Code is the agreement on one code (or one stance toward one target,
// which coders assign like a code).
type Code struct {
	Key  string // code ID, or "stance:<target ID>:<stance>"
	Name string // code path, or "Stance · <target> · <stance>"
	// Units coded by both, by A only, by B only, by neither.
	Both, OnlyA, OnlyB, Neither int
	Percent                     float64 // (Both+Neither)/units × 100
	// Kappa is Cohen's kappa; NaN when it is undefined (one coder coded
	// every unit and the other none of them differently, so chance
	// agreement is 1 while observed agreement is not).
	Kappa       float64
	Differences []Difference
}

// Difference is a maximal passage where one coder applied the code and
// the other did not.
type Difference struct {
	SourceID   string
	Start, End int    // code points
	Text       string // the passage
	CodedBy    string // the coder who applied the code there
}

// Compare computes agreement between authors a and b over the sources
// both annotated. Authors are matched exactly, as annotations store them.
func Compare(p *annotate.Project, a, b string) (*Result, error) {
	if p == nil {
		return nil, fmt.Errorf("compare coders: no project")
	}
	return CompareFrom(annotate.ProjectReader(p), a, b, nil)
}

// ErrStopped is CompareFrom's error when stop asked it to.
var ErrStopped = errors.New("compare coders: stopped")

// CompareFrom is Compare over a project read a source at a time (a file's
// Reader), so that comparing the coders of a large project holds one
// source's annotations and text at a time, not all of them. stop, if not
// nil, is asked between sources.
func CompareFrom(rd annotate.Reader, a, b string, stop func() bool) (*Result, error) {
	if a == "" || b == "" || a == b {
		return nil, fmt.Errorf("compare coders: give two different authors (got %q and %q)", a, b)
	}
	// Code paths and target names from the codebook alone.
	codes, err := rd.Codes()
	if err != nil {
		return nil, err
	}
	targets, err := rd.Targets()
	if err != nil {
		return nil, err
	}
	x := annotate.NewIndex(&annotate.Project{Codes: codes, Targets: targets})
	var srcs []annotate.Source
	if err := rd.Sources(func(s annotate.Source) error { srcs = append(srcs, s); return nil }); err != nil {
		return nil, err
	}
	r := &Result{CoderA: a, CoderB: b}
	authors := map[string]int{}
	byKey := map[string]*Code{}
	var mine [2][]annotate.Annotation // this source's, by coder
	for _, s := range srcs {
		if stop != nil && stop() {
			return nil, ErrStopped
		}
		mine[0], mine[1] = mine[0][:0], mine[1][:0]
		if err := rd.Annotations(s.ID, func(an annotate.Annotation) error {
			authors[an.Author]++
			switch an.Author {
			case a:
				mine[0] = append(mine[0], an)
			case b:
				mine[1] = append(mine[1], an)
			}
			return nil
		}); err != nil {
			return nil, err
		}
		if len(mine[0]) == 0 || len(mine[1]) == 0 {
			continue
		}
		text, err := rd.Text(s.ID)
		if err != nil {
			return nil, fmt.Errorf("compare coders: source %s: %w", s.ID, err)
		}
		if text == "" && s.Length > 0 {
			return nil, fmt.Errorf("compare coders: source %s: its text is not loaded", s.ID)
		}
		t := annotate.NewText(text)
		r.Sources = append(r.Sources, s.ID)
		r.Units += t.Len()
		// spans[key][coder] = passages of this source coded with key.
		spans := map[string]*[2][]span{}
		var order []string // keys in the order met, for a stable result
		add := func(k, name string, who int, sel annotate.Selector) {
			v := spans[k]
			if v == nil {
				v = &[2][]span{}
				spans[k] = v
				order = append(order, k)
				if byKey[k] == nil {
					byKey[k] = &Code{Key: k, Name: name}
				}
			}
			v[who] = append(v[who], span{sel.Start, sel.End})
		}
		for who := range mine {
			for _, an := range mine[who] {
				for _, c := range an.Codes {
					add(c, x.CodePath(c), who, an.Selector)
				}
				for _, m := range an.Stances {
					tname := m.Target
					if t := x.Target[m.Target]; t != nil {
						tname = t.Name
					}
					add("stance:"+m.Target+":"+string(m.Stance), "Stance · "+tname+" · "+string(m.Stance), who, an.Selector)
				}
			}
		}
		for _, k := range order {
			v := spans[k]
			byKey[k].compare(t, s.ID, merge(v[0]), merge(v[1]), a, b)
		}
	}
	for _, who := range []string{a, b} {
		if authors[who] == 0 {
			return nil, fmt.Errorf("compare coders: no annotation has the author %q (authors: %s)", who, authorList(authors))
		}
	}
	if len(r.Sources) == 0 {
		return nil, fmt.Errorf("compare coders: %q and %q have no source in common: each must have annotated a source for it to be compared", a, b)
	}
	for _, c := range byKey {
		c.Neither = r.Units - c.Both - c.OnlyA - c.OnlyB
		c.Percent, c.Kappa = stats(c.Both, c.OnlyA, c.OnlyB, c.Neither)
		r.Codes = append(r.Codes, *c)
	}
	slices.SortFunc(r.Codes, func(p, q Code) int { return cmp.Or(strings.Compare(p.Name, q.Name), strings.Compare(p.Key, q.Key)) })
	return r, nil
}

type span struct{ start, end int }

// merge sorts spans and joins overlapping or touching ones, so a unit a
// coder covered twice counts once.
func merge(s []span) []span {
	if len(s) == 0 {
		return nil
	}
	s = slices.Clone(s)
	slices.SortFunc(s, func(p, q span) int { return cmp.Compare(p.start, q.start) })
	out := []span{s[0]}
	for _, v := range s[1:] {
		last := &out[len(out)-1]
		if v.start <= last.end {
			last.end = max(last.end, v.end)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// compare walks both coders' merged spans of one source together,
// counting units and collecting the runs where only one coded.
func (c *Code) compare(t *annotate.Text, sid string, as, bs []span, a, b string) {
	// Boundaries where either coverage may change.
	var cuts []int
	for _, s := range as {
		cuts = append(cuts, s.start, s.end)
	}
	for _, s := range bs {
		cuts = append(cuts, s.start, s.end)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	i, j := 0, 0
	for k := 0; k+1 < len(cuts); k++ {
		lo, hi := cuts[k], cuts[k+1]
		for i < len(as) && as[i].end <= lo {
			i++
		}
		for j < len(bs) && bs[j].end <= lo {
			j++
		}
		inA := i < len(as) && as[i].start <= lo
		inB := j < len(bs) && bs[j].start <= lo
		n := hi - lo
		switch {
		case inA && inB:
			c.Both += n
		case inA:
			c.OnlyA += n
			c.addDiff(t, sid, lo, hi, a)
		case inB:
			c.OnlyB += n
			c.addDiff(t, sid, lo, hi, b)
		}
	}
}

// addDiff records a run, joining it to the previous one when they touch
// and have the same coder.
func (c *Code) addDiff(t *annotate.Text, sid string, lo, hi int, who string) {
	if n := len(c.Differences); n > 0 {
		d := &c.Differences[n-1]
		if d.SourceID == sid && d.End == lo && d.CodedBy == who {
			d.End = hi
			d.Text = t.Slice(d.Start, hi)
			return
		}
	}
	c.Differences = append(c.Differences, Difference{SourceID: sid, Start: lo, End: hi, Text: t.Slice(lo, hi), CodedBy: who})
}

// stats returns percent agreement and Cohen's kappa for a 2×2 table.
func stats(both, onlyA, onlyB, neither int) (float64, float64) {
	n := float64(both + onlyA + onlyB + neither)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	po := float64(both+neither) / n
	pa, pb := float64(both+onlyA)/n, float64(both+onlyB)/n
	pe := pa*pb + (1-pa)*(1-pb)
	if pe == 1 {
		if po == 1 {
			return 100, 1 // both coded the same units, all or none: full agreement
		}
		return po * 100, math.NaN()
	}
	return po * 100, (po - pe) / (1 - pe)
}

func authorList(m map[string]int) string {
	var names []string
	for n := range m {
		if n == "" {
			n = "(no author)"
		}
		names = append(names, strconv.Quote(n))
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// newCSV starts a CSV as Gloss's other CSV exports do: UTF-8 with a
// byte-order mark (so Excel reads Chinese) and CRLF line ends.
func newCSV(w io.Writer) (*csv.Writer, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, fmt.Errorf("agreement csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw, nil
}

// defuse stops a spreadsheet from running project text as a formula
// (OWASP advice: a leading apostrophe before = + - @ tab CR).
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes one row per code: the counts, percent agreement and
// kappa (empty when undefined).
func WriteCSV(w io.Writer, r *Result) error {
	cw, err := newCSV(w)
	if err != nil {
		return err
	}
	cw.Write([]string{"code", "coder A", "coder B", "sources", "units", "both", "A only", "B only", "neither", "percent agreement", "kappa", "differences"})
	for _, c := range r.Codes {
		cw.Write([]string{defuse(c.Name), defuse(r.CoderA), defuse(r.CoderB), strconv.Itoa(len(r.Sources)), strconv.Itoa(r.Units),
			strconv.Itoa(c.Both), strconv.Itoa(c.OnlyA), strconv.Itoa(c.OnlyB), strconv.Itoa(c.Neither),
			num(c.Percent, 2), num(c.Kappa, 4), strconv.Itoa(len(c.Differences))})
	}
	cw.Flush()
	return cw.Error()
}

// WriteDifferencesCSV writes one row per passage where the coders differ.
func WriteDifferencesCSV(w io.Writer, p *annotate.Project, r *Result) error {
	title := map[string]string{}
	for _, s := range p.Sources {
		title[s.ID] = s.DisplayTitle()
	}
	cw, err := newCSV(w)
	if err != nil {
		return err
	}
	cw.Write([]string{"code", "source", "source title", "start", "end", "coded by", "not coded by", "text"})
	for _, c := range r.Codes {
		for _, d := range c.Differences {
			other := r.CoderB
			if d.CodedBy == r.CoderB {
				other = r.CoderA
			}
			cw.Write([]string{defuse(c.Name), d.SourceID, defuse(title[d.SourceID]), strconv.Itoa(d.Start), strconv.Itoa(d.End),
				defuse(d.CodedBy), defuse(other), defuse(d.Text)})
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(f float64, prec int) string {
	if math.IsNaN(f) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', prec, 64)
}
