package claims

import (
	"fmt"
	"strings"
	"time"

	"gloss/annotate"
)

// The use cases build Changes; storage applies them in one transaction
// and annotate's pipeline validates them (annotations exist, no duplicate
// evidence). They check what they can see here, so the analyst gets a
// message naming the field before anything is sent. Deleting an annotation
// takes it out of the claims citing it through annotate's
// Index.DeleteAnnotations; a Board folds that change in like any other.

// New builds the change that adds a claim.
func New(text, target, when, author string, now time.Time) (annotate.Change, annotate.Claim, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return annotate.Change{}, annotate.Claim{}, fmt.Errorf("claim text: is empty")
	}
	if err := annotate.ValidateDate(when); err != nil {
		return annotate.Change{}, annotate.Claim{}, fmt.Errorf("claim time: %v", err)
	}
	m := annotate.Claim{ID: annotate.NewID(annotate.ClaimPrefix), Text: text, Target: target, Time: when,
		Author: author, Created: now, Modified: now}
	return annotate.Change{Label: "New claim", PutClaims: []annotate.Claim{m}}, m, nil
}

// Edit builds the change that rewords a claim or changes its target or time.
func Edit(m annotate.Claim, text, target, when string, now time.Time) (annotate.Change, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return annotate.Change{}, fmt.Errorf("claim %s: text: is empty", m.ID)
	}
	if err := annotate.ValidateDate(when); err != nil {
		return annotate.Change{}, fmt.Errorf("claim %s: time: %v", m.ID, err)
	}
	m.Text, m.Target, m.Time, m.Modified = text, target, when, now
	return annotate.Change{Label: "Edit claim", PutClaims: []annotate.Claim{m}}, nil
}

// Delete builds the change that removes a claim (its evidence annotations stay).
func Delete(m annotate.Claim) annotate.Change {
	return annotate.Change{Label: "Delete claim", DelClaims: []string{m.ID}}
}

// ParseRelation reads "supports", "contradicts" or "mentions".
func ParseRelation(s string) (annotate.Relation, error) {
	for _, r := range annotate.Relations {
		if strings.EqualFold(strings.TrimSpace(s), string(r)) {
			return r, nil
		}
	}
	return "", fmt.Errorf("relation %q is not one of supports, contradicts, mentions", s)
}

// Attach builds the change that attaches an annotation to a claim, or
// changes its relation if it is already attached.
func Attach(m annotate.Claim, annotationID string, rel annotate.Relation, now time.Time) (annotate.Change, error) {
	if annotationID == "" {
		return annotate.Change{}, fmt.Errorf("claim %s: evidence: annotation id is empty", m.ID)
	}
	if _, err := ParseRelation(string(rel)); err != nil || rel == "" {
		return annotate.Change{}, fmt.Errorf("claim %s: evidence: relation %q is not one of supports, contradicts, mentions", m.ID, rel)
	}
	ev := make([]annotate.Evidence, 0, len(m.Evidence)+1)
	found := false
	for _, e := range m.Evidence {
		if e.AnnotationID == annotationID {
			if e.Relation == rel {
				return annotate.Change{}, fmt.Errorf("claim %s: evidence: annotation %s already %s it", m.ID, annotationID, rel)
			}
			e.Relation, found = rel, true
		}
		ev = append(ev, e)
	}
	label := "Change evidence"
	if !found {
		ev = append(ev, annotate.Evidence{AnnotationID: annotationID, Relation: rel})
		label = "Attach evidence"
	}
	m.Evidence, m.Modified = ev, now
	return annotate.Change{Label: label, PutClaims: []annotate.Claim{m}}, nil
}

// Detach builds the change that takes an annotation off a claim.
func Detach(m annotate.Claim, annotationID string, now time.Time) (annotate.Change, error) {
	n, ok := without(m, annotationID)
	if !ok {
		return annotate.Change{}, fmt.Errorf("claim %s: evidence: annotation %s is not attached", m.ID, annotationID)
	}
	n.Modified = now
	return annotate.Change{Label: "Detach evidence", PutClaims: []annotate.Claim{n}}, nil
}

func without(m annotate.Claim, annotationID string) (annotate.Claim, bool) {
	ev := make([]annotate.Evidence, 0, len(m.Evidence))
	found := false
	for _, e := range m.Evidence {
		if e.AnnotationID == annotationID {
			found = true
			continue
		}
		ev = append(ev, e)
	}
	m.Evidence = ev
	return m, found
}

// Accept builds the change that takes Gloss's suggestion as the grade.
func Accept(m annotate.Claim, as Assessment, now time.Time) (annotate.Change, error) {
	return SetGrade(m, as.Suggested, as, now)
}

// SetGrade builds the change that records the analyst's grade, keeping
// what Gloss suggested at that moment beside it.
func SetGrade(m annotate.Claim, grade annotate.Credibility, as Assessment, now time.Time) (annotate.Change, error) {
	if grade < 1 || grade > 6 {
		return annotate.Change{}, fmt.Errorf("claim %s: grade: %d is not an information-credibility grade 1–6", m.ID, grade)
	}
	m.Grade, m.SuggestedGrade, m.Modified = grade, as.Suggested, now
	return annotate.Change{Label: "Grade claim", PutClaims: []annotate.Claim{m}}, nil
}

// ClearGrade builds the change that withdraws the analyst's grade.
func ClearGrade(m annotate.Claim, now time.Time) annotate.Change {
	m.Grade, m.SuggestedGrade, m.Modified = 0, 0, now
	return annotate.Change{Label: "Clear claim grade", PutClaims: []annotate.Claim{m}}
}

// SetEstimative builds the change that sets (or with "" clears) the ICD 203 phrase.
func SetEstimative(m annotate.Claim, phrase string, now time.Time) (annotate.Change, error) {
	p, err := ParseEstimative(phrase)
	if err != nil {
		return annotate.Change{}, fmt.Errorf("claim %s: %v", m.ID, err)
	}
	m.Estimative, m.Modified = p, now
	return annotate.Change{Label: "Set estimative language", PutClaims: []annotate.Claim{m}}, nil
}

// SetIndependent builds the change that declares sources independent
// voices (or, with none, returns grouping to Gloss).
func SetIndependent(m annotate.Claim, sourceIDs []string, now time.Time) annotate.Change {
	m.Independent, m.Modified = append([]string(nil), sourceIDs...), now
	return annotate.Change{Label: "Set independent sources", PutClaims: []annotate.Claim{m}}
}
