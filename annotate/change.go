package annotate

import (
	"fmt"
	"slices"
	"time"
)

// Change is one user action: everything it puts and deletes, applied by
// storage in a single durable transaction. Storage returns the inverse
// change, which is how undo and redo work without per-action code.
type Change struct {
	Label          string       `json:"label,omitempty"`
	PutSources     []Source     `json:"putSources,omitempty"` // Text required for a new source, ignored for an existing one
	DelSources     []string     `json:"delSources,omitempty"`
	PutCodes       []Code       `json:"putCodes,omitempty"`
	DelCodes       []string     `json:"delCodes,omitempty"`
	PutTargets     []Target     `json:"putTargets,omitempty"`
	DelTargets     []string     `json:"delTargets,omitempty"`
	PutAnnotations []Annotation `json:"putAnnotations,omitempty"`
	DelAnnotations []string     `json:"delAnnotations,omitempty"`
	PutLinks       []Link       `json:"putLinks,omitempty"`
	DelLinks       []string     `json:"delLinks,omitempty"`
	// SetTexts replaces the text of existing sources; every annotation and
	// link end on them must then match the new text or be an orphan.
	SetTexts    []SourceText  `json:"setTexts,omitempty"`
	PutVersions []TextVersion `json:"putVersions,omitempty"`
	DelVersions []string      `json:"delVersions,omitempty"`
	PutClaims   []Claim       `json:"putClaims,omitempty"`
	DelClaims   []string      `json:"delClaims,omitempty"`
}

// Records counts the records the change puts, deletes or rewrites: its
// size, by which a caller decides whether to save it in the background.
func (c Change) Records() int {
	return len(c.PutSources) + len(c.DelSources) + len(c.PutCodes) + len(c.DelCodes) +
		len(c.PutTargets) + len(c.DelTargets) + len(c.PutAnnotations) + len(c.DelAnnotations) +
		len(c.PutLinks) + len(c.DelLinks) + len(c.SetTexts) + len(c.PutVersions) + len(c.DelVersions) +
		len(c.PutClaims) + len(c.DelClaims)
}

// Append adds everything o does to c.
func (c *Change) Append(o Change) {
	c.PutSources = AppendLarge(c.PutSources, o.PutSources...)
	c.DelSources = AppendLarge(c.DelSources, o.DelSources...)
	c.PutCodes = AppendLarge(c.PutCodes, o.PutCodes...)
	c.DelCodes = AppendLarge(c.DelCodes, o.DelCodes...)
	c.PutTargets = AppendLarge(c.PutTargets, o.PutTargets...)
	c.DelTargets = AppendLarge(c.DelTargets, o.DelTargets...)
	c.PutAnnotations = AppendLarge(c.PutAnnotations, o.PutAnnotations...)
	c.DelAnnotations = AppendLarge(c.DelAnnotations, o.DelAnnotations...)
	c.PutLinks = AppendLarge(c.PutLinks, o.PutLinks...)
	c.DelLinks = AppendLarge(c.DelLinks, o.DelLinks...)
	c.SetTexts = AppendLarge(c.SetTexts, o.SetTexts...)
	c.PutVersions = AppendLarge(c.PutVersions, o.PutVersions...)
	c.DelVersions = AppendLarge(c.DelVersions, o.DelVersions...)
	c.PutClaims = AppendLarge(c.PutClaims, o.PutClaims...)
	c.DelClaims = AppendLarge(c.DelClaims, o.DelClaims...)
}

// Empty reports whether the change does nothing.
func (c Change) Empty() bool {
	return len(c.PutSources)+len(c.DelSources)+len(c.PutCodes)+len(c.DelCodes)+len(c.PutTargets)+
		len(c.DelTargets)+len(c.PutAnnotations)+len(c.DelAnnotations)+len(c.PutLinks)+len(c.DelLinks)+
		len(c.SetTexts)+len(c.PutVersions)+len(c.DelVersions)+len(c.PutClaims)+len(c.DelClaims) == 0
}

// DeleteSource builds the change that removes a source with everything
// that rests on it: its annotations (and their places in claims), the
// links that touch it, its earlier text versions, and its place among
// other sources' originals.
func (x *Index) DeleteSource(id string) Change {
	c := Change{Label: "Delete source", DelSources: []string{id}}
	var anns []string
	for _, a := range x.Annotations(id) {
		anns = append(anns, a.ID)
	}
	c.Append(x.DeleteAnnotations(anns...))
	c.Label = "Delete source"
	for _, k := range x.P.Links {
		if linkTouches(k, id) {
			c.DelLinks = append(c.DelLinks, k.ID)
		}
	}
	for _, v := range x.P.Versions {
		if v.SourceID == id {
			c.DelVersions = append(c.DelVersions, v.ID)
		}
	}
	for _, s := range x.P.Sources {
		if slices.Contains(s.Originals, id) {
			s.Originals = without(s.Originals, id)
			c.PutSources = append(c.PutSources, s)
		}
	}
	for _, m := range x.P.Claims {
		if slices.Contains(m.Independent, id) {
			m.Independent = without(m.Independent, id)
			m.Modified = time.Time{}
			c.PutClaims = appendClaim(c.PutClaims, m)
		}
	}
	return c
}

// DeleteAnnotations builds the change that removes annotations and takes
// them out of the claims that cite them (the claims stay).
func (x *Index) DeleteAnnotations(ids ...string) Change {
	c := Change{Label: "Delete annotation", DelAnnotations: ids}
	if len(ids) > 1 {
		c.Label = fmt.Sprintf("Delete %d annotations", len(ids))
	}
	dead := map[string]bool{}
	for _, id := range ids {
		dead[id] = true
	}
	for _, m := range x.P.Claims {
		keep := m.Evidence[:0:0]
		for _, e := range m.Evidence {
			if !dead[e.AnnotationID] {
				keep = append(keep, e)
			}
		}
		if len(keep) != len(m.Evidence) {
			m.Evidence, m.Modified = keep, time.Time{}
			c.PutClaims = append(c.PutClaims, m)
		}
	}
	return c
}

// appendClaim adds m, replacing an earlier put of the same claim.
func appendClaim(list []Claim, m Claim) []Claim {
	for i := range list {
		if list[i].ID == m.ID {
			list[i].Independent = m.Independent
			return list
		}
	}
	return append(list, m)
}

// DeleteCode builds the change that removes a code: its children move up
// to its parent and annotations lose the code.
func (x *Index) DeleteCode(id string) Change {
	c := Change{Label: "Delete code", DelCodes: []string{id}}
	parent := ""
	if cd := x.Code[id]; cd != nil {
		parent = cd.Parent
	}
	for _, cd := range x.P.Codes {
		if cd.Parent == id {
			cd.Parent = parent
			c.PutCodes = append(c.PutCodes, cd)
		}
	}
	for _, p := range x.AllAnnotations() {
		if a := *p; a.HasCode(id) {
			a.Codes = without(a.Codes, id)
			c.PutAnnotations = append(c.PutAnnotations, a)
		}
	}
	return c
}

// MergeCodes builds the change that folds code from into code into.
func (x *Index) MergeCodes(from, into string) Change {
	c := x.DeleteCode(from)
	c.Label = "Merge codes"
	for i, a := range c.PutAnnotations {
		if !a.HasCode(into) {
			c.PutAnnotations[i].Codes = append(a.Codes, into)
		}
	}
	return c
}

// CodeUsage counts the annotations that carry a code; the index keeps
// the counts current, so a codebook's counts cost nothing to show.
func (x *Index) CodeUsage(id string) int { return x.usage[id] }

// DeleteTarget builds the change that removes a stance target, every
// stance toward it, and the target of claims about it.
func (x *Index) DeleteTarget(id string) Change {
	c := Change{Label: "Delete stance target", DelTargets: []string{id}}
	for _, p := range x.AllAnnotations() {
		if a := *p; x.stances[id] > 0 && hasStance(a, id) {
			var keep []StanceMark
			for _, m := range a.Stances {
				if m.Target != id {
					keep = append(keep, m)
				}
			}
			a.Stances = keep
			c.PutAnnotations = append(c.PutAnnotations, a)
		}
	}
	for _, m := range x.P.Claims {
		if m.Target == id {
			m.Target, m.Modified = "", time.Time{}
			c.PutClaims = append(c.PutClaims, m)
		}
	}
	return c
}

func without(list []string, id string) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		if v != id {
			out = append(out, v)
		}
	}
	return out
}

func hasStance(a Annotation, target string) bool {
	_, ok := a.StanceToward(target)
	return ok
}
