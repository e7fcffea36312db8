package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"gloss/annotate"
	"gloss/annotate/claims"
	"gloss/annotate/figures"
	"gloss/annotate/timeline"
	"gloss/storage"
)

func cmdClaim(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("claim needs add, attach, detach, grade, list, show or import")
	}
	switch args[0] {
	case "add":
		return claimAdd(e, args[1:])
	case "attach":
		return claimAttach(e, args[1:], false)
	case "detach":
		return claimAttach(e, args[1:], true)
	case "grade":
		return claimGrade(e, args[1:])
	case "list":
		return claimList(e, args[1:])
	case "show":
		return claimShow(e, args[1:])
	case "import":
		return claimImport(e, args[1:])
	}
	return usagef("unknown claim command %q (add, attach, detach, grade, list, show, import)", args[0])
}

// findClaim looks a claim up by ID, naming the flag in the message.
func findClaim(p *annotate.Project, id string) (annotate.Claim, error) {
	for _, m := range p.Claims {
		if m.ID == id {
			return m, nil
		}
	}
	return annotate.Claim{}, fmt.Errorf("--claim: no claim with id %q (gloss claim list shows them)", id)
}

func hasAnnotation(p *annotate.Project, id string) bool {
	for i := range p.Annotations {
		if p.Annotations[i].ID == id {
			return true
		}
	}
	return false
}

// commitClaim applies a change unless it is empty (an attach that changes nothing).
func commitClaim(st *storage.Store, ch annotate.Change) error {
	if ch.Empty() {
		return nil
	}
	_, err := st.Apply(ch)
	return err
}

func claimAdd(e *env, args []string) error {
	fs, db := newFlags(e, "claim add")
	text := fs.String("text", "", "the claim, in the analyst's words")
	target := fs.String("target", "", "stance target it is about (created when new)")
	when := fs.String("time", "", "the time it is about: YYYY, YYYY-MM or YYYY-MM-DD")
	note := fs.String("note", "", "note")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*text) == "" {
		return usagef("--text is required")
	}
	if err := annotate.ValidateDate(*when); err != nil {
		return usagef("--time: %v", err)
	}
	st, p, err := openProject(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	var pre annotate.Change
	tid := ""
	if strings.TrimSpace(*target) != "" {
		if tid, err = annotate.NewIndex(p).EnsureTarget(&pre, *target); err != nil {
			return usagef("--target: %v", err)
		}
	}
	ch, m, err := claims.New(*text, tid, *when, author(), time.Now().UTC())
	if err != nil {
		return err
	}
	if *note != "" {
		m.Note = *note
		ch.PutClaims[0] = m
	}
	ch.PutTargets = append(ch.PutTargets, pre.PutTargets...)
	if err := commitClaim(st, ch); err != nil {
		return err
	}
	return e.emit(map[string]any{"id": m.ID, "text": m.Text, "target": m.Target, "time": m.Time}, func(w io.Writer) {
		fmt.Fprintln(w, m.ID)
	})
}

func claimAttach(e *env, args []string, detach bool) error {
	name := "claim attach"
	if detach {
		name = "claim detach"
	}
	fs, db := newFlags(e, name)
	id := fs.String("claim", "", "claim ID")
	var anns multi
	fs.Var(&anns, "annotation", "annotation ID (repeatable)")
	relName := fs.String("relation", "supports", "supports, contradicts or mentions")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" || len(anns) == 0 {
		return usagef("--claim ID and at least one --annotation ID are required")
	}
	var rel annotate.Relation
	if !detach {
		var err error
		if rel, err = claims.ParseRelation(*relName); err != nil {
			return usagef("--relation: %v", err)
		}
	}
	st, p, err := openProject(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := findClaim(p, *id)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	var ch annotate.Change
	for _, a := range anns {
		if !detach && !hasAnnotation(p, a) {
			return fmt.Errorf("--annotation: no annotation with id %q (gloss annotations lists them)", a)
		}
		var c annotate.Change
		if detach {
			c, err = claims.Detach(m, a, now)
		} else {
			c, err = claims.Attach(m, a, rel, now)
		}
		if err != nil {
			return err
		}
		m = c.PutClaims[0]
		ch = c
	}
	if err := commitClaim(st, ch); err != nil {
		return err
	}
	return e.emit(m, func(w io.Writer) {
		fmt.Fprintf(w, "%s: %d piece(s) of evidence\n", m.ID, len(m.Evidence))
	})
}

func claimGrade(e *env, args []string) error {
	fs, db := newFlags(e, "claim grade")
	id := fs.String("claim", "", "claim ID")
	accept := fs.Bool("accept", false, "take Gloss's suggested grade")
	grade := fs.Int("grade", 0, "information credibility 1–6 (Admiralty scale)")
	est := fs.String("estimative", "", "ICD 203 phrase, e.g. \"likely\" (\"none\" clears it)")
	clear := fs.Bool("clear", false, "withdraw the analyst's grade")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	n := 0
	for _, b := range []bool{*accept, *grade != 0, *clear} {
		if b {
			n++
		}
	}
	if *id == "" || (n != 1 && *est == "") || n > 1 {
		return usagef("--claim ID and one of --accept, --grade N or --clear (and/or --estimative PHRASE) are required")
	}
	if *grade != 0 && (*grade < 1 || *grade > 6) {
		return usagef("--grade %d is not an Admiralty credibility 1–6", *grade)
	}
	phrase := ""
	if *est != "" && !strings.EqualFold(*est, "none") {
		var err error
		if phrase, err = claims.ParseEstimative(*est); err != nil {
			return usagef("--estimative: %v", err)
		}
	}
	st, p, err := openProject(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := findClaim(p, *id)
	if err != nil {
		return err
	}
	as := claims.Assess(m, claims.NewLookup(p))
	now := time.Now().UTC()
	var ch annotate.Change
	switch {
	case *accept:
		ch, err = claims.Accept(m, as, now)
	case *grade != 0:
		ch, err = claims.SetGrade(m, annotate.Credibility(*grade), as, now)
	case *clear:
		ch = claims.ClearGrade(m, now)
	}
	if err != nil {
		return err
	}
	if len(ch.PutClaims) > 0 {
		m = ch.PutClaims[0]
	}
	if *est != "" {
		c, err := claims.SetEstimative(m, phrase, now)
		if err != nil {
			return err
		}
		m = c.PutClaims[0]
		if len(ch.PutClaims) > 0 {
			ch.PutClaims[0] = m
		} else {
			ch = c
		}
	}
	if err := commitClaim(st, ch); err != nil {
		return err
	}
	return e.emit(m, func(w io.Writer) {
		fmt.Fprintf(w, "%s: grade %s (suggested %s)", m.ID, gradeText(m.Grade), gradeText(m.SuggestedGrade))
		if m.Estimative != "" {
			fmt.Fprintf(w, ", %s", m.Estimative)
		}
		fmt.Fprintln(w)
	})
}

func gradeText(c annotate.Credibility) string {
	if c < 1 || c > 6 {
		return "-"
	}
	return fmt.Sprintf("%d (%s)", int(c), c.Label())
}

// claimRow is one claim as list and show print it.
type claimRow struct {
	annotate.Claim
	TargetName string            `json:"targetName,omitempty"`
	Assessment claims.Assessment `json:"assessment"`
}

func claimRows(p *annotate.Project, only string) []claimRow {
	x := annotate.NewIndex(p)
	b := claims.NewBoard(p)
	rows := []claimRow{}
	for _, m := range b.Claims() {
		if only != "" && m.ID != only {
			continue
		}
		as, _ := b.Assessment(m.ID)
		r := claimRow{Claim: m, Assessment: as}
		if t := x.Target[m.Target]; t != nil {
			r.TargetName = t.Name
		}
		rows = append(rows, r)
	}
	return rows
}

func claimList(e *env, args []string) error {
	fs, db := newFlags(e, "claim list")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, p, err := readProject(e, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	rows := claimRows(p, "")
	return e.emit(rows, func(w io.Writer) {
		if len(rows) == 0 {
			fmt.Fprintln(w, "no claims (gloss claim add --text ... adds one)")
			return
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSUPP\tCONTRA\tINDEP\tSUGGESTED\tGRADE\tCLAIM")
		for _, r := range rows {
			a := r.Assessment
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d+/%d-\t%s\t%s\t%s\n", r.ID, a.Supporting, a.Contradicting,
				a.IndependentSupporting, a.IndependentContradicting, dash(gradeNum(a.Suggested)), dash(gradeNum(r.Grade)), oneLine(r.Text, 70))
		}
		tw.Flush()
		for _, r := range rows {
			fmt.Fprintf(w, "%s: %s\n", r.ID, r.Assessment.Explanation)
		}
	})
}

func gradeNum(c annotate.Credibility) string {
	if c < 1 || c > 6 {
		return ""
	}
	return fmt.Sprint(int(c))
}

func claimShow(e *env, args []string) error {
	fs, db := newFlags(e, "claim show")
	id := fs.String("claim", "", "claim ID")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return usagef("--claim ID is required")
	}
	st, p, err := readProject(e, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := findClaim(p, *id); err != nil {
		return err
	}
	r := claimRows(p, *id)[0]
	return e.emit(r, func(w io.Writer) { writeClaim(w, r) })
}

func writeClaim(w io.Writer, r claimRow) {
	a := r.Assessment
	fmt.Fprintf(w, "Claim %s: %s\n", r.ID, r.Text)
	if r.TargetName != "" || r.Time != "" {
		fmt.Fprintf(w, "  about: %s  time: %s\n", dash(r.TargetName), dash(r.Time))
	}
	fmt.Fprintf(w, "  sources: %d supporting, %d contradicting, %d mentioning; independent voices: %d supporting, %d contradicting\n",
		a.Supporting, a.Contradicting, a.Mentioning, a.IndependentSupporting, a.IndependentContradicting)
	fmt.Fprintf(w, "  suggested: %s", gradeText(a.Suggested))
	if a.Estimative != "" {
		fmt.Fprintf(w, " — %s", a.Estimative)
	}
	fmt.Fprintf(w, "\n  why: %s\n", a.Explanation)
	fmt.Fprintf(w, "  analyst's grade: %s", gradeText(r.Grade))
	if r.Grade != 0 {
		fmt.Fprintf(w, " (Gloss suggested %s then)", gradeText(r.SuggestedGrade))
	}
	if r.Estimative != "" {
		fmt.Fprintf(w, ", %s", r.Estimative)
	}
	fmt.Fprintln(w)
	if a.Missing > 0 {
		fmt.Fprintf(w, "  %d cited annotation(s) no longer exist\n", a.Missing)
	}
	fmt.Fprintln(w, "\nEvidence by source:")
	for i, s := range a.Sources {
		var meta []string
		for _, v := range []string{s.Outlet, s.Published, string(s.Language)} {
			if v != "" {
				meta = append(meta, v)
			}
		}
		rel := "reliability not rated"
		if s.Reliability != "" {
			rel = "reliability " + string(s.Reliability) + " (" + s.Reliability.Label() + ")"
		}
		meta = append(meta, rel)
		if s.StateAffiliated {
			meta = append(meta, "state-affiliated")
		}
		if s.MachineTranslated {
			meta = append(meta, "machine-translated")
		}
		fmt.Fprintf(w, "%d. %s [%s] voice %d\n   %s\n", i+1, s.Title, s.SourceID, s.Voice+1, strings.Join(meta, " · "))
		for _, it := range s.Items {
			if it.Missing {
				fmt.Fprintf(w, "   - %s %s: annotation no longer exists\n", it.Relation, it.AnnotationID)
				continue
			}
			cred := ""
			if it.Credibility != 0 {
				cred = " credibility " + gradeText(it.Credibility)
			}
			anchor := ""
			if it.Anchor.Norm() != annotate.AnchorExact {
				anchor = " (" + string(it.Anchor) + ")"
			}
			fmt.Fprintf(w, "   - %s [%d-%d]%s%s: %s\n", it.Relation, it.Start, it.End, cred, anchor, oneLine(it.Quote, 160))
		}
	}
	title := map[string]string{}
	for _, s := range a.Sources {
		title[s.SourceID] = s.Title + " [" + s.SourceID + "]"
	}
	name := func(id string) string {
		if t, ok := title[id]; ok {
			return t
		}
		return id
	}
	fmt.Fprintln(w, "\nVoices:")
	for i, v := range a.Voices {
		names := make([]string, len(v.Sources))
		for k, id := range v.Sources {
			names[k] = name(id)
		}
		fmt.Fprintf(w, "  voice %d: %s", i+1, strings.Join(names, "; "))
		if len(v.Why) > 0 {
			fmt.Fprintf(w, " (one voice: %s)", strings.Join(v.Why, "; "))
		}
		fmt.Fprintln(w)
	}
	if len(a.Echoes) > 0 {
		fmt.Fprintln(w, "\nEchoes:")
		for _, ec := range a.Echoes {
			fmt.Fprintf(w, "  %s ~ %s: %.2f (%s)\n", name(ec.SourceA), name(ec.SourceB), ec.Score, ec.Method)
		}
	}
}

// textOf serves source texts from a snapshot to the domain packages.
func textOf(x *annotate.Index) func(string) (string, bool) {
	return func(id string) (string, bool) {
		t := x.Text(id)
		if t == nil {
			return "", false
		}
		s := t.String()
		return s, s != ""
	}
}

func cmdFigures(e *env, args []string) error {
	if len(args) > 0 && args[0] == "mark" {
		return figuresMark(e, args[1:])
	}
	fs, db := newFlags(e, "figures")
	conflicts := fs.Bool("conflicts", false, "only groups whose figures disagree")
	var only multi
	fs.Var(&only, "source", "only figures from this source (repeatable)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, p, err := readProject(e, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	x := annotate.NewIndex(p)
	for _, id := range only {
		if x.Source[id] == nil {
			return fmt.Errorf("--source: no source with id %q", id)
		}
	}
	// Groups are formed over every source, so a conflict with a source left
	// out still shows; --source then keeps the groups holding its figures.
	gs := figures.Table(p.Sources, textOf(x), figures.OverridesFrom(p.Sources))
	if *conflicts {
		gs = figures.Conflicts(gs)
	}
	if len(only) > 0 {
		keep := map[string]bool{}
		for _, id := range only {
			keep[id] = true
		}
		var out []figures.Group
		for _, g := range gs {
			for _, f := range g.Figures {
				if keep[f.SourceID] {
					out = append(out, g)
					break
				}
			}
		}
		gs = out
	}
	if gs == nil {
		gs = []figures.Group{}
	}
	return e.emit(gs, func(w io.Writer) {
		if len(gs) == 0 {
			if *conflicts {
				fmt.Fprintln(w, "no conflicting figures")
			} else {
				fmt.Fprintln(w, "no figures")
			}
			return
		}
		for i, g := range gs {
			head := fmt.Sprintf("Group %d: %s", i+1, g.Unit)
			if g.Counts != "" {
				head += " — " + g.Counts
			}
			if g.Period != "" {
				head += ", " + g.Period
			}
			if g.Conflict {
				head += "  CONFLICT"
			}
			if g.Manual {
				head += "  (grouped by hand)"
			}
			fmt.Fprintln(w, head)
			if g.Explanation != "" {
				fmt.Fprintf(w, "  %s\n", g.Explanation)
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "  VALUE\tUNIT\tCOUNTS\tPERIOD\tSOURCE\tPASSAGE")
			for k, f := range g.Figures {
				mark := ""
				if k == g.Preferred {
					mark = " *"
				}
				fmt.Fprintf(tw, "  %s%s\t%s\t%s\t%s\t%s\t[%d-%d] %s\n", f.Number.Display(), mark, f.Unit, dash(f.Counts), dash(f.PeriodLabel()),
					sourceLabel(x, f.SourceID), f.Passage.Start, f.Passage.End, oneLine(f.Passage.Text, 70))
			}
			tw.Flush()
		}
	})
}

// figuresMark stores one correction to the figures table on the sources
// of the figures it names (one undoable change, as in the window).
func figuresMark(e *env, args []string) error {
	fs, db := newFlags(e, "figures mark")
	var ids multi
	fs.Var(&ids, "figure", "figure ID, source:start-end as gloss figures --json names it (repeatable with --group)")
	prefer := fs.Bool("prefer", false, "use this figure in its group")
	split := fs.Bool("split", false, "take the figure out of its group")
	ignore := fs.Bool("ignore", false, "the number is not a figure")
	group := fs.String("group", "", "merge the figures into the group of this name")
	clear := fs.Bool("clear", false, "drop every mark of the figures")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if len(ids) == 0 {
		return usagef("--figure ID is required")
	}
	var acts []figures.Action
	for _, a := range []struct {
		on  bool
		act figures.Action
	}{{*prefer, figures.Prefer}, {*split, figures.SplitOut}, {*ignore, figures.NotFigure}, {strings.TrimSpace(*group) != "", figures.Merge}, {*clear, figures.Clear}} {
		if a.on {
			acts = append(acts, a.act)
		}
	}
	if len(acts) != 1 {
		return usagef("give exactly one of --prefer, --split, --ignore, --group NAME, --clear")
	}
	act := acts[0]
	if act == figures.Prefer && len(ids) > 1 {
		return usagef("--prefer takes one --figure")
	}
	st, p, err := openProject(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	x := annotate.NewIndex(p)
	text := textOf(x)
	// Each figure must be one Gloss reads in its source now (--clear may
	// name a figure the text no longer has, to drop its stale mark).
	bySource := map[string]map[string]bool{}
	for _, id := range ids {
		sid, _, _, ok := annotate.ParseFigureID(id)
		if !ok {
			return usagef("--figure: %q is not a figure ID (source:start-end)", id)
		}
		src := x.Source[sid]
		if src == nil {
			return fmt.Errorf("--figure %s: no source with id %q", id, sid)
		}
		if act == figures.Clear {
			continue
		}
		if bySource[sid] == nil {
			t, _ := text(sid)
			bySource[sid] = map[string]bool{}
			for _, f := range figures.Extract(*src, t) {
				bySource[sid][f.ID] = true
			}
		}
		if !bySource[sid][id] {
			return fmt.Errorf("--figure: source %s has no figure %s (gloss figures --json --source %s lists them)", sid, id, sid)
		}
	}
	var peers figures.Peers
	if act == figures.Prefer {
		peers = figures.PeersIn(figures.Table(p.Sources, text, figures.OverridesFrom(p.Sources)))
	}
	lookup := func(id string) (annotate.Source, bool) {
		if s := x.Source[id]; s != nil {
			return *s, true
		}
		return annotate.Source{}, false
	}
	ch, err := figures.MarkChange(lookup, peers, act, ids, *group)
	if err != nil {
		return err
	}
	if _, err := st.Apply(ch); err != nil {
		return err
	}
	type marked struct {
		Source string                `json:"source"`
		Marks  []annotate.FigureMark `json:"figureMarks"`
	}
	out := []marked{}
	for _, s := range ch.PutSources {
		out = append(out, marked{s.ID, s.FigureMarks})
	}
	return e.emit(out, func(w io.Writer) {
		for _, id := range ids {
			fmt.Fprintf(w, "%s: %s\n", id, strings.ToLower(act.String()))
		}
	})
}

// sourceLabel is "ID (outlet, published)" or just the ID.
func sourceLabel(x *annotate.Index, id string) string {
	s := x.Source[id]
	if s == nil {
		return id
	}
	var bits []string
	for _, v := range []string{s.Outlet, s.Published} {
		if v != "" {
			bits = append(bits, v)
		}
	}
	if len(bits) == 0 {
		return id
	}
	return id + " (" + strings.Join(bits, ", ") + ")"
}

func cmdTimeline(e *env, args []string) error {
	fs, db := newFlags(e, "timeline")
	claimID := fs.String("claim", "", "only events in passages attached to this claim")
	code := fs.String("code", "", "only events in passages with this code")
	target := fs.String("target", "", "only events in passages with a stance toward this target")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, p, err := readProject(e, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	x := annotate.NewIndex(p)
	var f timeline.Filter
	if *claimID != "" {
		m, err := findClaim(p, *claimID)
		if err != nil {
			return err
		}
		f.Claim = &m
	}
	if *code != "" {
		c, ok := x.CodeByName(*code)
		if !ok {
			return fmt.Errorf("--code: no code named %q (gloss codes lists them)", *code)
		}
		f.Code = c.ID
	}
	if *target != "" {
		t, ok := x.TargetByName(*target)
		if !ok {
			return fmt.Errorf("--target: no stance target named %q (gloss codes lists them)", *target)
		}
		f.Target = t.ID
	}
	ev := timeline.Build(p.Sources, textOf(x))
	if f.Claim != nil || f.Code != "" || f.Target != "" {
		ev = timeline.Within(ev, f.Annotations(p))
	}
	if ev == nil {
		ev = []timeline.Event{}
	}
	return e.emit(ev, func(w io.Writer) {
		if len(ev) == 0 {
			fmt.Fprintln(w, "no dated events")
			return
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DATE\tPRECISION\tREL\tSOURCE\tPASSAGE")
		for _, v := range ev {
			prec := string(v.Date.Precision)
			if v.Date.Relative {
				prec += ", resolved"
			}
			passage := "(published)"
			if v.Kind == timeline.Stated {
				passage = fmt.Sprintf("[%d-%d] %s", v.Passage.Start, v.Passage.End, oneLine(v.Passage.Text, 80))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.Label(), prec, dash(string(v.Reliability)), sourceLabel(x, v.SourceID), passage)
		}
		tw.Flush()
	})
}
