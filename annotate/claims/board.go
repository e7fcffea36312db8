package claims

import (
	"sort"

	"gloss/annotate"
)

// Board keeps the assessments of every claim of a project current as
// changes are applied, reassessing only the claims a change can affect:
// those it puts, and those citing an annotation or a source it touches.
// The Claims view holds one and feeds it each applied change.
// A Board is not safe for concurrent use.
type Board struct {
	// anns holds the annotations claims cite; lookup finds any other
	// (an index in the window, so the board never copies a project's
	// annotations); own is the copy NewBoard made, kept current by Apply.
	anns    map[string]annotate.Annotation
	lookup  func(id string) (annotate.Annotation, bool)
	own     map[string]annotate.Annotation
	srcs    map[string]annotate.Source
	claims  map[string]annotate.Claim
	citing  map[string]map[string]bool // annotation → claims citing it
	ofSrc   map[string]map[string]bool // source → its cited annotations
	results map[string]Assessment
	as      *Assessor
}

// NewBoard assesses every claim of p. p is copied; later changes go
// through Apply.
func NewBoard(p *annotate.Project) *Board {
	own := make(map[string]annotate.Annotation, len(p.Annotations))
	for _, a := range p.Annotations {
		own[a.ID] = a
	}
	b := NewBoardOver(p, func(id string) (annotate.Annotation, bool) {
		a, ok := own[id]
		return a, ok
	})
	b.own = own
	return b
}

// NewBoardOver is NewBoard for a project whose annotations are not in p
// but found by lookup (the window's index, current when Apply is called):
// the board keeps only the annotations claims cite, so opening the claims
// of a project of 200,000 annotations costs what the claims cite.
func NewBoardOver(p *annotate.Project, lookup func(id string) (annotate.Annotation, bool)) *Board {
	b := &Board{anns: map[string]annotate.Annotation{}, lookup: lookup, srcs: map[string]annotate.Source{},
		claims: map[string]annotate.Claim{}, citing: map[string]map[string]bool{}, ofSrc: map[string]map[string]bool{},
		results: map[string]Assessment{}}
	for _, s := range p.Sources {
		s.Text = "" // passages carry their quotes; texts are not needed
		b.srcs[s.ID] = s
	}
	for _, m := range p.Claims {
		b.putClaim(m)
	}
	b.as = NewAssessor(boardLookup{b})
	for id := range b.claims {
		b.results[id] = b.as.Assess(b.claims[id])
	}
	return b
}

type boardLookup struct{ b *Board }

func (l boardLookup) Annotation(id string) (annotate.Annotation, bool) {
	if a, ok := l.b.anns[id]; ok {
		return a, ok
	}
	return l.b.lookup(id)
}

func (l boardLookup) Source(id string) (annotate.Source, bool) {
	s, ok := l.b.srcs[id]
	return s, ok
}

// Assessor returns the board's assessor, e.g. to set StateOf (then call
// Refresh).
func (b *Board) Assessor() *Assessor { return b.as }

// putAnn keeps a (a new version of an annotation) when a claim cites it.
func (b *Board) putAnn(a annotate.Annotation) {
	if b.own != nil {
		b.own[a.ID] = a
	}
	if len(b.citing[a.ID]) == 0 {
		return
	}
	if old, ok := b.anns[a.ID]; ok && old.SourceID != a.SourceID {
		delete(b.ofSrc[old.SourceID], a.ID)
	}
	b.anns[a.ID] = a
	set(b.ofSrc, a.SourceID)[a.ID] = true
}

func (b *Board) putClaim(m annotate.Claim) {
	b.dropClaim(m.ID)
	b.claims[m.ID] = m
	for _, e := range m.Evidence {
		set(b.citing, e.AnnotationID)[m.ID] = true
		if _, ok := b.anns[e.AnnotationID]; !ok {
			if a, ok := b.lookup(e.AnnotationID); ok {
				b.putAnn(a)
			}
		}
	}
}

func (b *Board) dropClaim(id string) {
	if old, ok := b.claims[id]; ok {
		for _, e := range old.Evidence {
			delete(b.citing[e.AnnotationID], id)
		}
	}
	delete(b.claims, id)
	delete(b.results, id)
}

func set(m map[string]map[string]bool, k string) map[string]bool {
	s := m[k]
	if s == nil {
		s = map[string]bool{}
		m[k] = s
	}
	return s
}

// Apply folds an applied change into the board and reassesses the claims
// it affects; it returns their IDs, sorted (deleted claims included, so a
// view knows which rows to drop).
func (b *Board) Apply(c annotate.Change) []string {
	dirty := map[string]bool{}
	touchAnn := func(id string) {
		for m := range b.citing[id] {
			dirty[m] = true
		}
	}
	for _, s := range c.PutSources {
		s.Text = ""
		b.srcs[s.ID] = s
		for a := range b.ofSrc[s.ID] {
			touchAnn(a)
		}
	}
	for _, id := range c.DelSources {
		delete(b.srcs, id)
		for a := range b.ofSrc[id] {
			touchAnn(a)
		}
	}
	for _, a := range c.PutAnnotations {
		b.putAnn(a)
		touchAnn(a.ID)
	}
	for _, id := range c.DelAnnotations {
		if a, ok := b.anns[id]; ok {
			delete(b.ofSrc[a.SourceID], id)
		}
		delete(b.anns, id)
		if b.own != nil {
			delete(b.own, id)
		}
		touchAnn(id)
	}
	for _, id := range c.DelClaims {
		b.dropClaim(id)
		dirty[id] = true
	}
	for _, m := range c.PutClaims {
		b.putClaim(m)
		dirty[m.ID] = true
	}
	ids := make([]string, 0, len(dirty))
	for id := range dirty {
		if m, ok := b.claims[id]; ok {
			b.results[id] = b.as.Assess(m)
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Refresh reassesses every claim (after changing the assessor's settings).
func (b *Board) Refresh() {
	for id, m := range b.claims {
		b.results[id] = b.as.Assess(m)
	}
}

// Assessment returns the current assessment of a claim.
func (b *Board) Assessment(id string) (Assessment, bool) {
	a, ok := b.results[id]
	return a, ok
}

// Claim returns the board's copy of a claim.
func (b *Board) Claim(id string) (annotate.Claim, bool) {
	m, ok := b.claims[id]
	return m, ok
}

// ClaimsCiting lists the claims citing an annotation, sorted.
func (b *Board) ClaimsCiting(annotationID string) []string {
	var ids []string
	for id := range b.citing[annotationID] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Claims lists every claim, oldest first (IDs sort by creation time).
func (b *Board) Claims() []annotate.Claim {
	out := make([]annotate.Claim, 0, len(b.claims))
	for _, m := range b.claims {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
