package webanno

import (
	"fmt"
	"strings"

	"gloss/annotate"
)

// Claims are written as two kinds of annotation:
//
//   - the claim itself: motivation "assessing", id ClaimIRI; a "describing"
//     TextualBody with the claim in the analyst's words (and, in Gloss's
//     terms, the stance target it is about, its time and the sources
//     declared independent), an "assessing" body with the accepted and the
//     suggested credibility grade, one with the ICD 203 phrase, and the
//     note as "commenting". Its targets are the evidence annotations, or
//     the collection while it has none: the model requires a target.
//   - one per piece of evidence: motivation "linking", id EvidenceIRI,
//     targeting the evidence annotation; its body is a SpecificResource
//     whose source is the claim annotation, with the relation (supports, contradicts, mentions), then a
//     TextualBody saying the same for readers that show only text.
//
// ReadClaims turns them back into claims.
func claimItems(list []annotate.Claim, x claimRefs, opt Options, gen *Agent, generated string) ([]Annotation, error) {
	var out []Annotation
	for _, m := range list {
		if strings.TrimSpace(m.Text) == "" {
			return nil, fmt.Errorf("claim %s: text: is empty", m.ID)
		}
		if !m.Grade.Valid() || !m.SuggestedGrade.Valid() {
			return nil, fmt.Errorf("claim %s: grade: not an information-credibility grade 1–6", m.ID)
		}
		if err := annotate.ValidateDate(m.Time); err != nil {
			return nil, fmt.Errorf("claim %s: time: %v", m.ID, err)
		}
		item := Annotation{Context: contextJSON, ID: ClaimIRI(m.ID), Type: "Annotation", Motivation: "assessing",
			Created: stamp(m.Created), Modified: stamp(m.Modified), Generator: gen, Generated: generated}
		switch {
		case m.Author != "":
			item.Creator = person(m.Author)
		case opt.CreatorForAll && opt.Creator != "":
			item.Creator = person(opt.Creator)
		}
		desc := text("describing", m.Text, noteLanguage(m.Text, opt.BodyLanguage))
		desc.ClaimTime = m.Time
		if m.Target != "" {
			t := x.target(m.Target)
			if t == nil {
				return nil, fmt.Errorf("claim %s: target: no stance target with id %q", m.ID, m.Target)
			}
			desc.About, desc.StanceTarget = TargetIRI(t.ID), t.Name
		}
		for _, s := range m.Independent {
			if !x.hasSource(s) {
				return nil, fmt.Errorf("claim %s: independent: no source with id %q", m.ID, s)
			}
			desc.Independent = append(desc.Independent, SourceIRI(s))
		}
		item.Body = append(item.Body, desc)
		if m.Grade != 0 || m.SuggestedGrade != 0 {
			b := text("assessing", GradeValue(m.Grade, m.SuggestedGrade), opt.BodyLanguage)
			b.Credibility, b.SuggestedCredibility = int(m.Grade), int(m.SuggestedGrade)
			item.Body = append(item.Body, b)
		}
		if strings.TrimSpace(m.Estimative) != "" {
			b := text("assessing", "Estimative: "+m.Estimative, opt.BodyLanguage)
			b.Estimative = m.Estimative
			item.Body = append(item.Body, b)
		}
		if strings.TrimSpace(m.Note) != "" {
			item.Body = append(item.Body, text("commenting", m.Note, noteLanguage(m.Note, opt.BodyLanguage)))
		}
		var links []Annotation
		seen := map[string]bool{}
		for _, e := range m.Evidence {
			switch e.Relation {
			case annotate.Supports, annotate.Contradicts, annotate.Mentions:
			default:
				return nil, fmt.Errorf("claim %s: evidence: %q is not one of supports, contradicts, mentions", m.ID, e.Relation)
			}
			if !x.hasAnnotation(e.AnnotationID) {
				return nil, fmt.Errorf("claim %s: evidence: no annotation with id %q", m.ID, e.AnnotationID)
			}
			if seen[e.AnnotationID] {
				return nil, fmt.Errorf("claim %s: evidence: annotation %s is attached twice", m.ID, e.AnnotationID)
			}
			seen[e.AnnotationID] = true
			ev := Specific{ID: AnnotationIRI(e.AnnotationID), Type: "Annotation"}
			item.Target = append(item.Target, ev)
			links = append(links, Annotation{Context: contextJSON, ID: EvidenceIRI(m.ID, e.AnnotationID), Type: "Annotation",
				Motivation: "linking", Created: stamp(m.Created), Modified: stamp(m.Modified), Creator: item.Creator,
				Generator: gen, Generated: generated,
				Body: []Body{
					{Type: "SpecificResource", Purpose: "linking", Source: &Resource{ID: ClaimIRI(m.ID), Type: "Annotation"}, Relation: string(e.Relation)},
					text("describing", string(e.Relation)+": "+m.Text, noteLanguage(m.Text, opt.BodyLanguage)),
				},
				Target: []Specific{ev}})
		}
		if len(item.Target) == 0 {
			item.Target = []Specific{{ID: opt.Base, Type: "AnnotationCollection"}}
		}
		out = append(out, item)
		out = append(out, links...)
	}
	return out, nil
}

// claimRefs answers what a claim refers to.
type claimRefs interface {
	target(id string) *annotate.Target
	hasSource(id string) bool
	hasAnnotation(id string) bool
}

// GradeValue is the text of a claim's grade body, e.g. "Information
// credibility 2: Probably true (Gloss suggested 3: Possibly true)".
func GradeValue(accepted, suggested annotate.Credibility) string {
	switch {
	case accepted == 0:
		return fmt.Sprintf("Suggested information credibility %d: %s (not yet accepted)", suggested, suggested.Label())
	case suggested == 0:
		return CredibilityValue(accepted)
	case suggested == accepted:
		return CredibilityValue(accepted) + " (as Gloss suggested)"
	}
	return fmt.Sprintf("%s (Gloss suggested %d: %s)", CredibilityValue(accepted), suggested, suggested.Label())
}
