package annotate

import (
	"fmt"
	"time"
)

// AnchorState says how well an annotation (or a link end) still sits on
// its passage after the source's text changed. One vocabulary everywhere:
// GUI, CLI and exports print these words.
type AnchorState string

const (
	// AnchorExact (also the zero value, "") : the quote is where it was.
	AnchorExact AnchorState = "exact"
	// AnchorShifted: the same quote, found where an edit moved it.
	AnchorShifted AnchorState = "shifted"
	// AnchorFuzzy: a close match with a score; the analyst confirms it.
	AnchorFuzzy AnchorState = "fuzzy"
	// AnchorOrphan: not found; the annotation keeps its old quote, codes,
	// stance and note, and its selector no longer has to match the text.
	AnchorOrphan AnchorState = "orphan"
)

// AnchorStates lists the states in order of confidence.
var AnchorStates = []AnchorState{AnchorExact, AnchorShifted, AnchorFuzzy, AnchorOrphan}

// Norm maps the zero value to AnchorExact.
func (s AnchorState) Norm() AnchorState {
	if s == "" {
		return AnchorExact
	}
	return s
}

// Valid reports whether s is one of the states or empty.
func (s AnchorState) Valid() bool {
	switch s {
	case "", AnchorExact, AnchorShifted, AnchorFuzzy, AnchorOrphan:
		return true
	}
	return false
}

// NeedsReview reports whether the analyst should look at it.
func (s AnchorState) NeedsReview() bool { return s == AnchorFuzzy || s == AnchorOrphan }

// SourceText replaces the text of an existing source. Apply keeps the old
// text only if the change also puts a TextVersion for it (use cases do).
type SourceText struct {
	SourceID string `json:"sourceId"`
	Text     string `json:"text"`
}

// TextVersion is an earlier text of a source, kept when the text was edited
// or replaced, so nothing an annotation once rested on is lost.
type TextVersion struct {
	ID          string    `json:"id"`
	SourceID    string    `json:"sourceId"`
	Text        string    `json:"text"`
	ContentHash string    `json:"contentHash"`
	Length      int       `json:"length"`
	Replaced    time.Time `json:"replaced"` // when this text stopped being current
	Reason      string    `json:"reason,omitempty"`
}

// Relation is how a piece of evidence bears on a claim.
type Relation string

const (
	Supports    Relation = "supports"
	Contradicts Relation = "contradicts"
	Mentions    Relation = "mentions"
)

// Relations lists every relation in display order.
var Relations = []Relation{Supports, Contradicts, Mentions}

// Evidence attaches an annotation to a claim.
type Evidence struct {
	AnnotationID string   `json:"annotationId"`
	Relation     Relation `json:"relation"`
}

// Claim is a proposition in the analyst's words, with the annotations that
// support, contradict or mention it.
type Claim struct {
	ID       string     `json:"id"`
	Text     string     `json:"text"`
	Target   string     `json:"target,omitempty"` // Target.ID
	Time     string     `json:"time,omitempty"`   // YYYY, YYYY-MM or YYYY-MM-DD
	Evidence []Evidence `json:"evidence,omitempty"`
	// Grade is the information credibility the analyst accepted or set
	// (0: none yet); SuggestedGrade is what Gloss suggested when the analyst
	// decided, kept beside it.
	Grade          Credibility `json:"grade,omitempty"`
	SuggestedGrade Credibility `json:"suggestedGrade,omitempty"`
	Estimative     string      `json:"estimative,omitempty"` // ICD 203 phrase
	// Independent lists sources the analyst declares independent voices
	// although Gloss would group them (e.g. two state outlets).
	Independent []string  `json:"independent,omitempty"`
	Note        string    `json:"note,omitempty"`
	Author      string    `json:"author,omitempty"`
	Created     time.Time `json:"created"`
	Modified    time.Time `json:"modified"`
}

// ClaimPrefix and VersionPrefix extend the ID prefixes in ids.go.
const (
	ClaimPrefix   = "m"
	VersionPrefix = "v"
)

// validateClaimsAndVersions checks the records that rest on annotations
// and sources: every claim's evidence and target exist, every version's
// source exists and its hash matches its text.
func (x *Index) validateClaimsAndVersions() []error {
	var errs []error
	for _, m := range x.P.Claims {
		if m.Target != "" && !x.HasTarget(m.Target) {
			errs = append(errs, fmt.Errorf("claim %s: target: no stance target with id %q", m.ID, m.Target))
		}
		for _, e := range m.Evidence {
			if x.Annotation(e.AnnotationID) == nil {
				errs = append(errs, fmt.Errorf("claim %s: evidence: no annotation with id %q", m.ID, e.AnnotationID))
			}
		}
	}
	for _, v := range x.P.Versions {
		if !x.HasSource(v.SourceID) {
			errs = append(errs, fmt.Errorf("text version %s: no source with id %q", v.ID, v.SourceID))
		}
		if HashText(v.Text) != v.ContentHash {
			errs = append(errs, fmt.Errorf("text version %s: text does not match its content hash", v.ID))
		}
	}
	return errs
}

// AnnotationVersion is another version of an annotation's content, kept
// when a merge found the annotation changed on both sides: the later
// change wins and the other is kept here, so the analyst can switch to it.
type AnnotationVersion struct {
	Origin      string       `json:"origin,omitempty"` // the project it came from
	Selector    Selector     `json:"selector"`
	Codes       []string     `json:"codes,omitempty"`
	Stances     []StanceMark `json:"stances,omitempty"`
	Credibility Credibility  `json:"credibility,omitempty"`
	Note        string       `json:"note,omitempty"`
	Author      string       `json:"author,omitempty"`
	Modified    time.Time    `json:"modified"`
}

// VersionOf is the content of a as an AnnotationVersion.
func VersionOf(a Annotation, origin string) AnnotationVersion {
	return AnnotationVersion{Origin: origin, Selector: a.Selector, Codes: a.Codes, Stances: a.Stances,
		Credibility: a.Credibility, Note: a.Note, Author: a.Author, Modified: a.Modified}
}

// SwitchConflict returns a with its content swapped for conflict i (the
// current content becomes a conflict in its place). Codes and stance
// targets that no longer exist (has says which do) are dropped, since the
// codebook may have changed since the merge.
func SwitchConflict(a Annotation, i int, origin string, has Lookup) (Annotation, error) {
	if i < 0 || i >= len(a.Conflicts) {
		return a, fmt.Errorf("annotation %s: no conflicting version %d (it has %d)", a.ID, i+1, len(a.Conflicts))
	}
	alt := a.Conflicts[i]
	out := a
	out.Conflicts = append([]AnnotationVersion(nil), a.Conflicts...)
	out.Conflicts[i] = VersionOf(a, origin)
	out.Selector, out.Credibility, out.Note, out.Author = alt.Selector, alt.Credibility, alt.Note, alt.Author
	out.Codes, out.Stances = nil, nil
	for _, c := range alt.Codes {
		if has.HasCode(c) {
			out.Codes = append(out.Codes, c)
		}
	}
	for _, m := range alt.Stances {
		if has.HasTarget(m.Target) {
			out.Stances = append(out.Stances, m)
		}
	}
	out.Modified = time.Time{} // stamped by Apply
	return out, nil
}
