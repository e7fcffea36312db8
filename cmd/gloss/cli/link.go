package cli

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"text/tabwriter"
	"time"

	"gloss/annotate"
	"gloss/annotate/coverage"
	"gloss/annotate/suggest"
	"gloss/annotate/textimport"
)

func ingestNormalize(s string) string { return textimport.Normalize(s) }

func cmdLink(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("link needs suggest, add, list or set")
	}
	switch args[0] {
	case "suggest":
		return linkSuggest(e, args[1:])
	case "add":
		return linkAdd(e, args[1:])
	case "list":
		return linkList(e, args[1:])
	case "set":
		return linkSet(e, args[1:])
	}
	return usagef("unknown link command %q (suggest, add, list, set)", args[0])
}

type spanJSON struct {
	Start int     `json:"start"`
	End   int     `json:"end"`
	Text  string  `json:"text"`
	Score float64 `json:"score,omitempty"`
}

func linkSuggest(e *env, args []string) error {
	fs, db := newFlags(e, "link suggest")
	sumID := fs.String("summary", "", "summary source ID")
	origID := fs.String("original", "", "original source ID")
	max := fs.Int("max", 5, "candidates per summary sentence")
	save := fs.Bool("save", false, "store the best candidate of each sentence as a suggested link")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *sumID == "" || *origID == "" {
		return usagef("--summary ID and --original ID are required")
	}
	st, p, err := openProjectAs(e, *db, !*save) // read-only unless it saves
	if err != nil {
		return err
	}
	defer st.Close()
	x := annotate.NewIndex(p)
	sum, orig := x.Source[*sumID], x.Source[*origID]
	if sum == nil {
		return fmt.Errorf("summary: no source with id %q", *sumID)
	}
	if orig == nil {
		return fmt.Errorf("original: no source with id %q", *origID)
	}
	// Suggestions the analyst turned down are not offered again, and saving
	// replaces earlier unreviewed suggestions, as the window's link view does.
	pair := coverage.PairLinks(p.Links, sum.ID, orig.ID)
	sugs := suggest.Suggest(sum.Text, orig.Text, suggest.Options{Max: *max, Reject: coverage.Rejecter(pair, orig.ID)})
	type out struct {
		Summary    spanJSON   `json:"summary"`
		Candidates []spanJSON `json:"candidates"`
	}
	rows := []out{}
	for _, s := range sugs {
		r := out{Summary: spanJSON{Start: s.Summary.Start, End: s.Summary.End, Text: s.Summary.Text}, Candidates: []spanJSON{}}
		for _, c := range s.Candidates {
			r.Candidates = append(r.Candidates, spanJSON{c.Start, c.End, c.Text, c.Score})
		}
		rows = append(rows, r)
	}
	if *save {
		ch, n := coverage.SuggestChange(pair, sum.ID, orig.ID, x.Text(sum.ID), x.Text(orig.ID), sugs, time.Now().UTC())
		if !ch.Empty() {
			if _, err := st.Apply(ch); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.errOut, "saved %d new suggested link(s), replaced %d\n", n, len(ch.DelLinks))
	}
	return e.emit(rows, func(w io.Writer) {
		for i, r := range rows {
			fmt.Fprintf(w, "%d. [%d-%d] %s\n", i+1, r.Summary.Start, r.Summary.End, oneLine(r.Summary.Text, 100))
			for _, c := range r.Candidates {
				fmt.Fprintf(w, "     %.3f [%d-%d] %s\n", c.Score, c.Start, c.End, oneLine(c.Text, 80))
			}
		}
	})
}

var anchorRe = regexp.MustCompile(`^([^:]+):(\d+)-(\d+)$`)

func parseAnchor(x *annotate.Index, s string) (annotate.Anchor, error) {
	m := anchorRe.FindStringSubmatch(s)
	if m == nil {
		return annotate.Anchor{}, usagef("passage %q must be SOURCE:START-END (code points)", s)
	}
	t := x.Text(m[1])
	if t == nil {
		return annotate.Anchor{}, fmt.Errorf("passage %q: no source with id %q", s, m[1])
	}
	a, _ := strconv.Atoi(m[2])
	b, _ := strconv.Atoi(m[3])
	sel, err := t.Select(a, b)
	if err != nil {
		return annotate.Anchor{}, fmt.Errorf("passage %q: %v", s, err)
	}
	return annotate.Anchor{SourceID: m[1], Selector: sel}, nil
}

func parseStatus(s string) (annotate.LinkStatus, error) {
	switch st := annotate.LinkStatus(s); st {
	case annotate.Suggested, annotate.Confirmed, annotate.Rejected:
		return st, nil
	}
	return "", usagef("--status %q is not one of suggested, confirmed, rejected", s)
}

func linkAdd(e *env, args []string) error {
	fs, db := newFlags(e, "link add")
	from := fs.String("from", "", "SOURCE:START-END, e.g. the summary sentence")
	var to multi
	fs.Var(&to, "to", "SOURCE:START-END of the evidence (repeatable)")
	status := fs.String("status", "confirmed", "suggested, confirmed or rejected")
	note := fs.String("note", "", "note")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || len(to) == 0 {
		return usagef("--from and at least one --to are required")
	}
	stat, err := parseStatus(*status)
	if err != nil {
		return err
	}
	st, p, err := openProject(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	x := annotate.NewIndex(p)
	k := annotate.Link{ID: annotate.NewID(annotate.LinkPrefix), Status: stat, Note: *note}
	if k.From, err = parseAnchor(x, *from); err != nil {
		return err
	}
	for _, t := range to {
		a, err := parseAnchor(x, t)
		if err != nil {
			return err
		}
		k.To = append(k.To, a)
	}
	if _, err := st.Apply(annotate.Change{Label: "Link", PutLinks: []annotate.Link{k}}); err != nil {
		return err
	}
	return e.emit(map[string]string{"id": k.ID}, func(w io.Writer) { fmt.Fprintln(w, k.ID) })
}

func linkList(e *env, args []string) error {
	fs, db := newFlags(e, "link list")
	src := fs.String("source", "", "only links from or to this source")
	st, _, err := start(fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	links, err := st.Links()
	if err != nil {
		return err
	}
	out := []annotate.Link{}
	for _, k := range links {
		hit := *src == "" || k.From.SourceID == *src
		for _, t := range k.To {
			hit = hit || t.SourceID == *src
		}
		if hit {
			out = append(out, k)
		}
	}
	return e.emit(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATUS\tFROM\tTO\tQUOTE")
		for _, k := range out {
			for i, t := range k.To {
				f := ""
				if i == 0 {
					f = fmt.Sprintf("%s:%d-%d", k.From.SourceID, k.From.Selector.Start, k.From.Selector.End)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s:%d-%d\t%s\n", k.ID, k.Status, f, t.SourceID, t.Selector.Start, t.Selector.End, oneLine(t.Selector.Exact, 50))
			}
		}
		tw.Flush()
	})
}

func linkSet(e *env, args []string) error {
	fs, db := newFlags(e, "link set")
	id := fs.String("id", "", "link ID")
	status := fs.String("status", "", "suggested, confirmed or rejected")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	stat, err := parseStatus(*status)
	if err != nil {
		return err
	}
	st, err := openDB(*db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	links, err := st.Links()
	if err != nil {
		return err
	}
	for _, k := range links {
		if k.ID == *id {
			k.Status = stat
			k.Modified = time.Now().UTC()
			if _, err := st.Apply(annotate.Change{Label: "Review link", PutLinks: []annotate.Link{k}}); err != nil {
				return err
			}
			return e.emit(k, func(w io.Writer) { fmt.Fprintf(w, "%s %s\n", k.ID, k.Status) })
		}
	}
	return fmt.Errorf("link: no link with id %q", *id)
}
