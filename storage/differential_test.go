package storage

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
)

// The differential test runs seeded random scripts of user actions on the
// in-memory store and on a real project file side by side, as bbolt's
// simulation tests do: both must accept or refuse each change alike and
// hold the same project after every step, and the file must pass Check.
// `go test ./storage -run Differential -diffsteps 100000` runs it longer.
var diffSteps = flag.Int("diffsteps", 3000, "steps of the storage/in-memory differential test")

func TestDifferential(t *testing.T) {
	steps := *diffSteps
	if testing.Short() {
		steps = 300
	}
	// Many scripts of 500 steps each reach more kinds of project than one
	// long one, and keep each step's full comparison cheap.
	const perScript = 500
	scripts := max(1, steps/perScript)
	for seed := int64(1); seed <= int64(scripts); seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			runDifferential(t, seed, min(steps, perScript))
		})
	}
}

type sim struct {
	t     *testing.T
	rnd   *rand.Rand
	file  *Store
	mem   *annotate.MemStore
	clock time.Time
	// Each side keeps its own undo and redo stacks of the changes it
	// returned; the two must stay interchangeable.
	undoF, undoM, redoF, redoM []annotate.Change
	accepted, refused, undos   int
}

func runDifferential(t *testing.T, seed int64, steps int) {
	path := filepath.Join(t.TempDir(), "diff.gloss")
	f, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.db.NoSync = true // durability is tested elsewhere; here only the rules
	s := &sim{t: t, rnd: rand.New(rand.NewSource(seed)), file: f, clock: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.clock = s.now
	s.mem = &annotate.MemStore{Now: s.now}
	for i := 0; i < steps; i++ {
		s.clock = s.clock.Add(time.Second)
		label, c := s.action()
		if label == "undo" || label == "redo" {
			s.step(label)
		} else {
			s.apply(label, c)
		}
		s.compare(i, steps, label)
	}
	t.Logf("seed %d: %d steps, %d changes accepted, %d refused by both, %d undo/redo", seed, steps, s.accepted, s.refused, s.undos)
	if s.accepted == 0 || s.refused == 0 {
		t.Fatalf("the script exercised too little: %d accepted, %d refused", s.accepted, s.refused)
	}
}

func (s *sim) now() time.Time { return s.clock }

func (s *sim) apply(label string, c annotate.Change) {
	rf, errF := s.file.Commit(c)
	rm, errM := s.mem.Commit(c)
	if (errF == nil) != (errM == nil) {
		s.t.Fatalf("%s: the file says %v, memory says %v\nchange: %s", label, errF, errM, js(c))
	}
	if errF != nil {
		s.refused++
		return
	}
	// Compared as stored (JSON), where an empty list and none are the same.
	if js(norm(rf.Done)) != js(norm(rm.Done)) {
		s.t.Fatalf("%s: applied changes differ\nfile:   %s\nmemory: %s", label, js(rf.Done), js(rm.Done))
	}
	s.accepted++
	s.undoF, s.undoM = append(s.undoF, rf.Undo), append(s.undoM, rm.Undo)
	s.redoF, s.redoM = nil, nil
}

func (s *sim) step(which string) {
	from := [2]*[]annotate.Change{&s.undoF, &s.undoM}
	to := [2]*[]annotate.Change{&s.redoF, &s.redoM}
	if which == "redo" {
		from, to = to, from
	}
	if len(*from[0]) == 0 {
		return
	}
	cf, cm := (*from[0])[len(*from[0])-1], (*from[1])[len(*from[1])-1]
	rf, errF := s.file.Commit(cf)
	rm, errM := s.mem.Commit(cm)
	if errF != nil || errM != nil {
		s.t.Fatalf("%s failed: file %v, memory %v\nfile change: %s", which, errF, errM, js(cf))
	}
	*from[0], *from[1] = (*from[0])[:len(*from[0])-1], (*from[1])[:len(*from[1])-1]
	*to[0], *to[1] = append(*to[0], rf.Undo), append(*to[1], rm.Undo)
	s.undos++
}

func (s *sim) compare(i, steps int, label string) {
	pf, err := s.file.Snapshot()
	if err != nil {
		s.t.Fatalf("step %d (%s): snapshot: %v", i, label, err)
	}
	pm, _ := s.mem.Snapshot()
	if a, b := js(normProject(pf)), js(normProject(pm)); a != b {
		s.t.Fatalf("step %d (%s): the file and memory differ\nfile:   %s\nmemory: %s", i, label, a, b)
	}
	// A full Check every step is the point, but it walks every page: on
	// long runs check every tenth step and always the last ones.
	if i%10 == 0 || i > steps-20 {
		problems, err := s.file.Check()
		if err != nil || len(problems) > 0 {
			s.t.Fatalf("step %d (%s): check: %v %v", i, label, err, problems)
		}
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// norm orders a change's records so two stores' answers compare equal.
func norm(c annotate.Change) annotate.Change {
	sort.Slice(c.PutSources, func(i, j int) bool { return c.PutSources[i].ID < c.PutSources[j].ID })
	for i := range c.PutSources {
		c.PutSources[i].ImportedAt = c.PutSources[i].ImportedAt.UTC()
	}
	return c
}

func normProject(p *annotate.Project) *annotate.Project {
	q := p.Clone()
	q.Name = ""
	sort.Slice(q.Sources, func(i, j int) bool { return q.Sources[i].ID < q.Sources[j].ID })
	sort.Slice(q.Annotations, func(i, j int) bool { return q.Annotations[i].ID < q.Annotations[j].ID })
	sort.Slice(q.Codes, func(i, j int) bool { return q.Codes[i].ID < q.Codes[j].ID })
	sort.Slice(q.Targets, func(i, j int) bool { return q.Targets[i].ID < q.Targets[j].ID })
	sort.Slice(q.Links, func(i, j int) bool { return q.Links[i].ID < q.Links[j].ID })
	sort.Slice(q.Claims, func(i, j int) bool { return q.Claims[i].ID < q.Claims[j].ID })
	sort.Slice(q.Versions, func(i, j int) bool { return q.Versions[i].ID < q.Versions[j].ID })
	return q
}

var (
	diffWords = []string{"China", "United States", "repatriation", "flights", "migrants", "cooperation", "verify", "2023", "24,000", "border", "talks", "embassy"}
	diffZh    = []string{"中美", "遣返", "非法移民", "合作", "核实", "包机", "2023财年", "超过", "万人", "边境", "會談", "🇨🇳"}
	diffNames = []string{"Cooperation", "Statistics", "Verification", "Flights", "Border", "Policy", "Quote", "Dispute"}
)

func (s *sim) text() string {
	var b strings.Builder
	n := 3 + s.rnd.Intn(20)
	for i := 0; i < n; i++ {
		if s.rnd.Intn(2) == 0 {
			b.WriteString(diffZh[s.rnd.Intn(len(diffZh))])
		} else {
			b.WriteString(diffWords[s.rnd.Intn(len(diffWords))] + " ")
		}
		if s.rnd.Intn(6) == 0 {
			b.WriteString("。\n")
		}
	}
	return b.String()
}

func pick[T any](r *rand.Rand, list []T) (T, bool) {
	var zero T
	if len(list) == 0 {
		return zero, false
	}
	return list[r.Intn(len(list))], true
}

// action draws the next user action and builds its change from the
// in-memory project (the window builds changes from its copy the same way).
func (s *sim) action() (string, annotate.Change) {
	p := s.mem.P
	if p == nil {
		p = &annotate.Project{}
	}
	x := annotate.NewIndex(p)
	r := s.rnd
	id := annotate.NewID
	switch k := r.Intn(100); {
	case k < 8 || len(p.Sources) == 0:
		src := annotate.Source{ID: id(annotate.SourcePrefix), Kind: annotate.KindOriginal, Language: annotate.Simplified, Title: "Source", Text: s.text()}
		if o, ok := pick(r, p.Sources); ok && r.Intn(3) == 0 {
			src.Kind, src.Language, src.Originals = annotate.KindSummary, annotate.English, []string{o.ID}
		}
		if r.Intn(20) == 0 {
			src.Text = "" // refused: empty text
		}
		return "import", annotate.Change{Label: "Import", PutSources: []annotate.Source{src}}
	case k < 13 || len(p.Codes) == 0:
		c := annotate.Code{ID: id(annotate.CodePrefix), Name: diffNames[r.Intn(len(diffNames))], Color: annotate.Palette[r.Intn(len(annotate.Palette))]}
		if par, ok := pick(r, p.Codes); ok && r.Intn(2) == 0 {
			c.Parent = par.ID
		}
		if r.Intn(15) == 0 {
			c.Color = "red" // refused
		}
		if r.Intn(15) == 0 {
			c.Parent = "c-missing" // refused
		}
		return "new code", annotate.Change{Label: "New code", PutCodes: []annotate.Code{c}}
	case k < 16 || len(p.Targets) == 0:
		t := annotate.Target{ID: id(annotate.TargetPrefix), Name: diffWords[r.Intn(len(diffWords))]}
		return "new target", annotate.Change{Label: "New target", PutTargets: []annotate.Target{t}}
	case k < 34:
		src, _ := pick(r, p.Sources)
		txt := x.Text(src.ID)
		if txt.Len() < 2 {
			return "noop", annotate.Change{}
		}
		start := r.Intn(txt.Len() - 1)
		end := start + 1 + r.Intn(min(12, txt.Len()-start))
		sel, _ := txt.Select(start, end)
		a := annotate.Annotation{ID: id(annotate.AnnotationPrefix), SourceID: src.ID, Selector: sel, Author: "diff"}
		if c, ok := pick(r, p.Codes); ok {
			a.Codes = []string{c.ID}
		}
		switch r.Intn(25) {
		case 0:
			a.Selector.Exact += "x" // refused: quote does not match
		case 1:
			a.Selector.End = txt.Len() + 3 // refused: outside the text
		case 2:
			a.Codes = append(a.Codes, "c-missing") // refused
		}
		return "tag", annotate.Change{Label: "Tag", PutAnnotations: []annotate.Annotation{a}}
	case k < 50:
		a, ok := pick(r, p.Annotations)
		if !ok {
			return "noop", annotate.Change{}
		}
		a.Codes = append([]string(nil), a.Codes...)
		a.Stances = append([]annotate.StanceMark(nil), a.Stances...)
		a.Modified = time.Time{}
		label := "edit"
		switch r.Intn(6) {
		case 0:
			label = "retag"
			a.Codes = nil
			for _, c := range p.Codes {
				if r.Intn(3) == 0 {
					a.Codes = append(a.Codes, c.ID)
				}
			}
		case 1:
			label = "stance"
			t, _ := pick(r, p.Targets)
			a.Stances = []annotate.StanceMark{{Target: t.ID, Stance: annotate.Stances[r.Intn(len(annotate.Stances))]}}
			if r.Intn(10) == 0 {
				a.Stances[0].Stance = "sideways" // refused
			}
		case 2:
			label = "credibility"
			a.Credibility = annotate.Credibility(r.Intn(8)) // 7 is refused
		case 3:
			label = "note"
			a.Note = s.text()
		case 4:
			label = "move"
			if o, ok := pick(r, p.Sources); ok && o.ID != a.SourceID {
				a.SourceID = o.ID // refused by both
			}
		case 5:
			if r.Intn(2) == 0 {
				// Refused while a claim cites it.
				return "bare annotation delete", annotate.Change{Label: "Delete annotation", DelAnnotations: []string{a.ID}}
			}
			return "delete annotation", x.DeleteAnnotations(a.ID)
		}
		return label, annotate.Change{Label: label, PutAnnotations: []annotate.Annotation{a}}
	case k < 54:
		c, _ := pick(r, p.Codes)
		if r.Intn(4) == 0 {
			// Deleting without the cascade is refused while anything uses it.
			return "bare code delete", annotate.Change{Label: "Delete code", DelCodes: []string{c.ID}}
		}
		return "delete code", x.DeleteCode(c.ID)
	case k < 58:
		a, _ := pick(r, p.Codes)
		b, _ := pick(r, p.Codes)
		if a.ID == b.ID {
			return "noop", annotate.Change{}
		}
		return "merge codes", x.MergeCodes(a.ID, b.ID)
	case k < 60:
		t, _ := pick(r, p.Targets)
		return "delete target", x.DeleteTarget(t.ID)
	case k < 68:
		return s.link(x, p, annotate.Confirmed)
	case k < 72:
		return s.link(x, p, annotate.Suggested)
	case k < 75:
		src, _ := pick(r, p.Sources)
		if r.Intn(3) == 0 {
			return "bare source delete", annotate.Change{Label: "Delete source", DelSources: []string{src.ID}}
		}
		return "delete source", x.DeleteSource(src.ID)
	case k < 80:
		// Replace a text: append to it (every passage stays put) or rewrite
		// it (passages not marked orphans make the change refused).
		src, _ := pick(r, p.Sources)
		old := x.Text(src.ID).String()
		c := annotate.Change{Label: "Replace text",
			PutVersions: []annotate.TextVersion{{ID: id(annotate.VersionPrefix), SourceID: src.ID, Text: old, Reason: "edited"}}}
		if r.Intn(2) == 0 {
			c.SetTexts = []annotate.SourceText{{SourceID: src.ID, Text: old + s.text()}}
		} else {
			c.SetTexts = []annotate.SourceText{{SourceID: src.ID, Text: s.text()}}
			if r.Intn(2) == 0 {
				for _, a := range x.Annotations(src.ID) {
					o := *a
					o.Anchor = annotate.AnchorOrphan
					c.PutAnnotations = append(c.PutAnnotations, o)
				}
			}
		}
		return "replace text", c
	case k < 85:
		m := annotate.Claim{ID: id(annotate.ClaimPrefix), Text: "China verifies before repatriating"}
		for _, a := range p.Annotations {
			if r.Intn(4) == 0 {
				m.Evidence = append(m.Evidence, annotate.Evidence{AnnotationID: a.ID, Relation: annotate.Relations[r.Intn(3)]})
			}
		}
		if t, ok := pick(r, p.Targets); ok && r.Intn(2) == 0 {
			m.Target = t.ID
		}
		if old, ok := pick(r, p.Claims); ok && r.Intn(2) == 0 {
			m.ID, m.Created = old.ID, old.Created
		}
		return "claim", annotate.Change{Label: "Claim", PutClaims: []annotate.Claim{m}}
	case k < 87:
		m, ok := pick(r, p.Claims)
		if !ok {
			return "noop", annotate.Change{}
		}
		return "delete claim", annotate.Change{Label: "Delete claim", DelClaims: []string{m.ID}}
	case k < 94:
		return "undo", annotate.Change{}
	default:
		return "redo", annotate.Change{}
	}
}

func (s *sim) link(x *annotate.Index, p *annotate.Project, status annotate.LinkStatus) (string, annotate.Change) {
	var sums []annotate.Source
	for _, src := range p.Sources {
		if len(src.Originals) > 0 && x.HasSource(src.Originals[0]) {
			sums = append(sums, src)
		}
	}
	sum, ok := pick(s.rnd, sums)
	if !ok {
		return "noop", annotate.Change{}
	}
	from, to := x.Text(sum.ID), x.Text(sum.Originals[0])
	span := func(t *annotate.Text) annotate.Selector {
		a := s.rnd.Intn(t.Len())
		sel, _ := t.Select(a, min(t.Len(), a+1+s.rnd.Intn(8)))
		return sel
	}
	k := annotate.Link{ID: annotate.NewID(annotate.LinkPrefix), Status: status,
		From: annotate.Anchor{SourceID: sum.ID, Selector: span(from)},
		To:   []annotate.Anchor{{SourceID: sum.Originals[0], Selector: span(to)}}}
	if status == annotate.Suggested {
		k.Score = 0.5
	}
	if s.rnd.Intn(15) == 0 {
		k.To[0].SourceID = sum.ID // refused: both ends on one source
	}
	return "link", annotate.Change{Label: "Link", PutLinks: []annotate.Link{k}}
}
