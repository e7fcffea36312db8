package annotate

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// CodeByName finds a code by ID or case-insensitive name.
func (x *Index) CodeByName(name string) (*Code, bool) {
	if c := x.Code[name]; c != nil {
		return c, true
	}
	c := x.Code[x.codeIdx[strings.ToLower(strings.TrimSpace(name))]]
	return c, c != nil
}

// TargetByName finds a target by ID or case-insensitive name.
func (x *Index) TargetByName(name string) (*Target, bool) {
	if t := x.Target[name]; t != nil {
		return t, true
	}
	t := x.Target[x.tgtIdx[strings.ToLower(strings.TrimSpace(name))]]
	return t, t != nil
}

// CodePath is a code's name with its ancestors, "Parent / Child".
func (x *Index) CodePath(id string) string {
	var parts []string
	for c, n := x.Code[id], 0; c != nil && n < 64; c, n = x.Code[c.Parent], n+1 {
		parts = append([]string{c.Name}, parts...)
	}
	return strings.Join(parts, " / ")
}

// Validate checks every record of the project and returns every problem found.
func (x *Index) Validate() []error {
	var errs []error
	p := x.P
	for _, s := range p.Sources {
		if err := ValidateSource(s); err != nil {
			errs = append(errs, fmt.Errorf("source %s: %w", s.ID, err))
		}
		if s.ContentHash != "" && HashText(s.Text) != s.ContentHash {
			errs = append(errs, fmt.Errorf("source %s: text does not match its content hash", s.ID))
		}
		for _, o := range s.Originals {
			if !x.HasSource(o) {
				errs = append(errs, fmt.Errorf("source %s: original %q does not exist", s.ID, o))
			}
		}
	}
	parentOf := func(id string) (string, bool) {
		c := x.Code[id]
		if c == nil {
			return "", false
		}
		return c.Parent, true
	}
	for _, c := range p.Codes {
		if err := ValidateCode(c, parentOf); err != nil {
			errs = append(errs, fmt.Errorf("code %s: %w", c.ID, err))
		}
	}
	for _, t := range p.Targets {
		if err := ValidateTarget(t); err != nil {
			errs = append(errs, fmt.Errorf("target %s: %w", t.ID, err))
		}
	}
	for _, a := range x.AllAnnotations() {
		t := x.Text(a.SourceID)
		if t == nil {
			errs = append(errs, fmt.Errorf("annotation %s: no source with id %q", a.ID, a.SourceID))
			continue
		}
		if err := ValidateAnnotation(*a, t, x); err != nil {
			errs = append(errs, fmt.Errorf("annotation %s: %w", a.ID, err))
		}
	}
	for _, k := range p.Links {
		if err := ValidateLink(k, x.Text); err != nil {
			errs = append(errs, fmt.Errorf("link %s: %w", k.ID, err))
		}
	}
	return append(errs, x.validateClaimsAndVersions()...)
}

// Filter selects part of a project for export or review. Empty fields
// select everything.
type Filter struct {
	Sources        []string     // source IDs
	Codes          []string     // code IDs or names; a parent selects its descendants
	Stances        []StanceMark // target ID or name + stance; "" in either is any
	MinCredibility Credibility  // keep grades 1..N when N > 0 (1 is best)
	MaxCredibility Credibility
	Unrated        bool          // keep only annotations with no credibility grade
	Authors        []string      // who made them (as recorded); any of these
	Anchors        []AnchorState // how they sit on their text; any of these ("" is exact)
}

// ParseStanceFilter reads "TARGET=VALUE".
func ParseStanceFilter(s string) (StanceMark, error) {
	name, val, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return StanceMark{}, fmt.Errorf("stance %q must be TARGET=VALUE, e.g. \"United States=against\"", s)
	}
	st, err := ParseStance(strings.ToLower(strings.TrimSpace(val)))
	if err != nil {
		return StanceMark{}, err
	}
	return StanceMark{Target: strings.TrimSpace(name), Stance: st}, nil
}

// resolved is a filter with names turned into IDs.
type resolved struct {
	f       Filter
	srcOK   map[string]bool
	codeOK  map[string]bool
	stances []StanceMark
}

// resolve looks up the filter's names; unknown names are an error.
func (f Filter) resolve(x *Index) (resolved, error) {
	r := resolved{f: f, srcOK: make(map[string]bool, len(f.Sources))}
	for _, id := range f.Sources {
		if !x.HasSource(id) {
			return r, noSource(id)
		}
		r.srcOK[id] = true
	}
	return r, f.resolveNames(x, &r)
}

func noSource(id string) error { return fmt.Errorf("source: no source with id %q", id) }

// resolveNames looks up the filter's codes and stance targets into r.
func (f Filter) resolveNames(x *Index, r *resolved) error {
	var roots []string
	for _, n := range f.Codes {
		c, ok := x.CodeByName(n)
		if !ok {
			return fmt.Errorf("code: no code named %q", n)
		}
		roots = append(roots, c.ID)
	}
	// A parent code selects its whole subtree.
	r.codeOK = x.Subtree(roots...)
	for _, m := range f.Stances {
		if m.Target == "" {
			r.stances = append(r.stances, m)
			continue
		}
		t, ok := x.TargetByName(m.Target)
		if !ok {
			return fmt.Errorf("stance: no stance target named %q", m.Target)
		}
		r.stances = append(r.stances, StanceMark{Target: t.ID, Stance: m.Stance})
	}
	return nil
}

// Apply returns a new project holding what f selects: the chosen sources,
// their annotations that match, the whole codebook and targets, and the
// links among the chosen sources. Unknown names are an error.
func (f Filter) Apply(p *Project) (*Project, error) {
	x := NewIndex(p)
	r, err := f.resolve(x)
	if err != nil {
		return nil, err
	}
	out := &Project{Name: p.Name, Codes: p.Codes, Targets: p.Targets, Claims: p.Claims}
	for _, s := range p.Sources {
		if len(r.srcOK) == 0 || r.srcOK[s.ID] {
			out.Sources = append(out.Sources, s)
		}
	}
	kept := map[string]bool{}
	for _, s := range out.Sources {
		kept[s.ID] = true
	}
	for _, a := range p.Annotations {
		if !kept[a.SourceID] || !r.matches(&a) {
			continue
		}
		out.Annotations = append(out.Annotations, a)
	}
	for _, k := range p.Links {
		if !kept[k.From.SourceID] {
			continue
		}
		all := true
		for _, t := range k.To {
			all = all && kept[t.SourceID]
		}
		if all {
			out.Links = append(out.Links, k)
		}
	}
	return out, nil
}

// Annotations lists the annotations f selects, source by source in the
// order of f.Sources (every source in project order when empty), each
// source's in text order.
func (f Filter) Annotations(x *Index) ([]*Annotation, error) {
	r, err := f.resolve(x)
	if err != nil {
		return nil, err
	}
	var out []*Annotation
	if len(r.codeOK) > 0 {
		codeOnly := r.codesOnly()
		var hits []*Annotation
		switch {
		case len(f.Sources) == 0 && x.codeListSize(r.codeOK) < len(x.P.Sources)/4:
			// A rare code: its lists in any order, sorted after, cost what
			// they find, not a lookup per source.
			hits = x.WithCodes(r.codeOK)
		case len(f.Sources) == 0:
			hits = x.codeWalk(r.codeOK)
			if codeOnly {
				return slices.Clone(hits), nil // the memoised list is shared
			}
		default:
			// Source by source through the by-code lists, so only what a
			// code carries is touched: reading every annotation to test
			// its codes cost a cache miss each, and grew faster than the
			// project.
			var scratch []*Annotation
			lists := x.codeLists(r.codeOK)
			for _, id := range f.Sources {
				hits, scratch = x.codedIn(id, lists, hits, scratch)
			}
		}
		if codeOnly {
			return hits, nil
		}
		// Other conditions read only what the codes found.
		for _, a := range hits {
			if r.matches(a) {
				out = append(out, a)
			}
		}
		return out, nil
	}
	srcs := f.Sources
	if len(srcs) == 0 {
		for _, s := range x.P.Sources {
			srcs = append(srcs, s.ID)
		}
	}
	for _, id := range srcs {
		for _, a := range x.Annotations(id) {
			if r.matches(a) {
				out = append(out, a)
			}
		}
	}
	return out, nil
}

// codesOnly reports whether the filter asks nothing of an annotation but
// its codes (and its source, chosen by the walk).
func (r resolved) codesOnly() bool { return r.f.CodesAlone() }

// CodesAlone reports whether f has no condition but its codes and sources:
// the project file's indexes answer such a filter without reading a
// record (ListingFrom).
func (f Filter) CodesAlone() bool {
	return len(f.Stances) == 0 && !f.Unrated && len(f.Authors) == 0 && len(f.Anchors) == 0 &&
		f.MinCredibility == 0 && f.MaxCredibility == 0
}

func (r resolved) matches(a *Annotation) bool {
	f := r.f
	if len(r.codeOK) > 0 {
		hit := false
		for _, c := range a.Codes {
			hit = hit || r.codeOK[c]
		}
		if !hit {
			return false
		}
	}
	for _, m := range r.stances {
		hit := false
		for _, s := range a.Stances {
			hit = hit || (m.Target == "" || s.Target == m.Target) && (m.Stance == "" || s.Stance == m.Stance)
		}
		if !hit {
			return false
		}
	}
	if f.Unrated && a.Credibility != 0 {
		return false
	}
	if len(f.Authors) > 0 && !slices.Contains(f.Authors, a.Author) {
		return false
	}
	if len(f.Anchors) > 0 && !slices.ContainsFunc(f.Anchors, func(s AnchorState) bool { return s.Norm() == a.Anchor.Norm() }) {
		return false
	}
	if f.MinCredibility > 0 && (a.Credibility == 0 || a.Credibility < f.MinCredibility) {
		return false
	}
	if f.MaxCredibility > 0 && (a.Credibility == 0 || a.Credibility > f.MaxCredibility) {
		return false
	}
	return true
}

// Palette is the default sequence of code colours: distinct, readable as a
// highlight behind dark or light text.
var Palette = []string{"#f4c430", "#7fc97f", "#80b1d3", "#fb8072", "#bc80bd", "#fdb462", "#8dd3c7", "#e5c494", "#b3de69", "#fccde5"}

// Authors lists everyone who made an annotation, sorted, for pickers and
// the coder comparison.
func (x *Index) Authors() []string {
	out := make([]string, 0, len(x.authors))
	for a := range x.authors {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
