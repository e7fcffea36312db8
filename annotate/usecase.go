package annotate

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds the user actions that the window and the command line
// both offer. Each builds the one Change the action makes, so both front
// ends make the same change for the same action.

// Passage names a span of a source: by an exact quote (which must occur
// once) or, when Quote is empty, by code-point offsets [Start, End).
type Passage struct {
	SourceID   string
	Quote      string
	Start, End int
}

// Select finds the passage in its source's text.
func (x *Index) Select(p Passage) (Selector, error) {
	t := x.Text(p.SourceID)
	if t == nil {
		return Selector{}, fmt.Errorf("source: no source with id %q", p.SourceID)
	}
	if p.Quote == "" {
		sel, err := t.Select(p.Start, p.End)
		if err != nil {
			return Selector{}, fmt.Errorf("selector: %v", err)
		}
		return sel, nil
	}
	title := x.Source[p.SourceID].DisplayTitle()
	if !utf8.ValidString(p.Quote) {
		// Find matches bytes: a stray byte would select the character it begins.
		return Selector{}, fmt.Errorf("quote: %q is not valid UTF-8 text", p.Quote)
	}
	hits := t.Find(p.Quote)
	switch len(hits) {
	case 0:
		return Selector{}, fmt.Errorf("quote: %q does not occur in %q", p.Quote, title)
	case 1:
	default:
		offs := make([]string, len(hits))
		for i, h := range hits {
			offs[i] = strconv.Itoa(h)
		}
		return Selector{}, fmt.Errorf("quote: %q occurs %d times in %q; give the start and end instead (offsets: %s)",
			p.Quote, len(hits), title, strings.Join(offs, ", "))
	}
	sel, err := t.Select(hits[0], hits[0]+len([]rune(p.Quote)))
	if err != nil {
		return Selector{}, fmt.Errorf("selector: %v", err)
	}
	return sel, nil
}

// NewAnnotation is a plain highlight of the passage, not yet saved.
func (x *Index) NewAnnotation(p Passage, author string, now time.Time) (Annotation, error) {
	sel, err := x.Select(p)
	if err != nil {
		return Annotation{}, err
	}
	return Annotation{ID: NewID(AnnotationPrefix), SourceID: p.SourceID, Selector: sel, Author: author, Created: now, Modified: now}, nil
}

// Tags are what one tagging action puts on a passage. Codes and stance
// targets are names (or IDs); a name not yet in the project is created.
type Tags struct {
	Codes       []string
	Stances     []StanceMark // Target is a name or an ID
	Credibility Credibility
	Note        string
}

// Tag highlights a passage and tags it, creating the codes and targets it
// names, as one change. It returns the change and the new annotation.
func (x *Index) Tag(p Passage, t Tags, author string, now time.Time) (Change, Annotation, error) {
	if !t.Credibility.Valid() {
		return Change{}, Annotation{}, fmt.Errorf("credibility: %d is not a grade 1–6", t.Credibility)
	}
	a, err := x.NewAnnotation(p, author, now)
	if err != nil {
		return Change{}, Annotation{}, err
	}
	a.Credibility, a.Note = t.Credibility, t.Note
	var c Change
	for _, name := range t.Codes {
		id, err := x.EnsureCode(&c, name)
		if err != nil {
			return Change{}, Annotation{}, err
		}
		a.AddCode(id)
	}
	for _, m := range t.Stances {
		if _, err := ParseStance(string(m.Stance)); err != nil {
			return Change{}, Annotation{}, err
		}
		id, err := x.EnsureTarget(&c, m.Target)
		if err != nil {
			return Change{}, Annotation{}, err
		}
		a.SetStance(id, m.Stance)
	}
	c.Label = "Annotate " + QuoteShort(a.Selector.Exact, 30)
	c.PutAnnotations = []Annotation{a}
	return c, a, nil
}

// EnsureCode returns the ID of the code with this name, adding a new code
// to c when there is none (in the project or among the codes c creates).
func (x *Index) EnsureCode(c *Change, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", fmt.Errorf("code: the name is empty")
	}
	if cd, ok := x.CodeByName(name); ok {
		return cd.ID, nil
	}
	for _, cd := range c.PutCodes {
		if strings.EqualFold(cd.Name, name) {
			return cd.ID, nil
		}
	}
	nc := Code{ID: NewID(CodePrefix), Name: name, Color: x.NextColor(c.PutCodes...)}
	c.PutCodes = append(c.PutCodes, nc)
	return nc.ID, nil
}

// EnsureTarget returns the ID of the stance target with this name, adding
// a new target to c when there is none.
func (x *Index) EnsureTarget(c *Change, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", fmt.Errorf("stance target: the name is empty")
	}
	if t, ok := x.TargetByName(name); ok {
		return t.ID, nil
	}
	for _, t := range c.PutTargets {
		if strings.EqualFold(t.Name, name) {
			return t.ID, nil
		}
	}
	nt := Target{ID: NewID(TargetPrefix), Name: name}
	c.PutTargets = append(c.PutTargets, nt)
	return nt.ID, nil
}

// NewCode is the change that adds a code; a name already in use is refused.
func (x *Index) NewCode(name string) (Change, Code, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Change{}, Code{}, fmt.Errorf("code: the name is empty")
	}
	if _, ok := x.CodeByName(name); ok {
		return Change{}, Code{}, fmt.Errorf("there is already a code named %q", name)
	}
	var c Change
	if _, err := x.EnsureCode(&c, name); err != nil {
		return Change{}, Code{}, err
	}
	c.Label = "New code " + name
	return c, c.PutCodes[0], nil
}

// NewTarget is the change that adds a stance target; a name in use is refused.
func (x *Index) NewTarget(name string) (Change, Target, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Change{}, Target{}, fmt.Errorf("stance target: the name is empty")
	}
	if _, ok := x.TargetByName(name); ok {
		return Change{}, Target{}, fmt.Errorf("there is already a stance target named %q", name)
	}
	var c Change
	if _, err := x.EnsureTarget(&c, name); err != nil {
		return Change{}, Target{}, err
	}
	c.Label = "New stance target " + name
	return c, c.PutTargets[0], nil
}

// NextColor is the first palette colour no code uses yet (counting the
// codes about to be added), cycling when all are taken.
func (x *Index) NextColor(adding ...Code) string {
	used := map[string]bool{}
	for _, c := range x.P.Codes {
		used[strings.ToLower(c.Color)] = true
	}
	for _, c := range adding {
		used[strings.ToLower(c.Color)] = true
	}
	for _, p := range Palette {
		if !used[p] {
			return p
		}
	}
	return Palette[(len(x.P.Codes)+len(adding))%len(Palette)]
}

// AddCode puts a code on the annotation once.
func (a *Annotation) AddCode(id string) {
	if !a.HasCode(id) {
		a.Codes = append(a.Codes, id)
	}
}

// RemoveCode takes a code off the annotation.
func (a *Annotation) RemoveCode(id string) { a.Codes = without(a.Codes, id) }

// SetStance sets the stance toward a target ID, replacing an earlier one;
// an empty stance removes it.
func (a *Annotation) SetStance(target string, s Stance) {
	out := make([]StanceMark, 0, len(a.Stances)+1)
	for _, m := range a.Stances {
		if m.Target != target {
			out = append(out, m)
		}
	}
	if s != "" {
		out = append(out, StanceMark{Target: target, Stance: s})
	}
	a.Stances = out
}

// Copy is a copy whose code and stance lists can be edited freely.
func (a Annotation) Copy() Annotation {
	a.Codes = append([]string(nil), a.Codes...)
	a.Stances = append([]StanceMark(nil), a.Stances...)
	return a
}

// MergeTargets builds the change that folds stance target from into into:
// stances toward from point at into instead (an annotation that already
// takes a stance toward into keeps that one), and from is deleted.
func (x *Index) MergeTargets(from, into string) Change {
	c := Change{Label: "Merge stance targets", DelTargets: []string{from}}
	if f, t := x.Target[from], x.Target[into]; f != nil && t != nil {
		c.Label = "Merge stance target " + f.Name + " into " + t.Name
	}
	for _, a := range x.AllAnnotations() {
		st, ok := a.StanceToward(from)
		if !ok {
			continue
		}
		n := a.Copy()
		n.SetStance(from, "")
		if _, has := a.StanceToward(into); !has {
			n.SetStance(into, st)
		}
		c.PutAnnotations = append(c.PutAnnotations, n)
	}
	return c
}

// StanceUsage counts the annotations that take a stance toward a target.
func (x *Index) StanceUsage(id string) int { return x.stances[id] }

// QuoteShort is a quote for labels and lists: one line, at most n code
// points, in quotation marks.
func QuoteShort(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return "“" + s + "”"
}
