package webanno

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"gloss/annotate"
)

// ReadClaims reads back the claims a Gloss export carries (see
// claimItems): the claim annotations and their evidence annotations, in
// the order written. The document is an AnnotationCollection as Write
// writes it, or a bare array of annotations; items that are not Gloss
// claims (passages, links, other tools' annotations) are skipped. IDs are
// Gloss's own, taken from the IRIs, so the claims fit the project the file
// was exported from; what they refer to is checked when they are applied.
// A claim item that does not read as one is an error naming it.
func ReadClaims(r io.Reader) ([]annotate.Claim, error) {
	var raw json.RawMessage
	dec := json.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("web annotation claims: not JSON: %v", err)
	}
	var items []json.RawMessage
	switch t := firstByte(raw); t {
	case '[':
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("web annotation claims: %v", err)
		}
	case '{':
		var c struct {
			Type  string `json:"type"`
			First *struct {
				Items []json.RawMessage `json:"items"`
			} `json:"first"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("web annotation claims: %v", err)
		}
		if c.Type != "AnnotationCollection" {
			return nil, fmt.Errorf("web annotation claims: the document is a %q, not an AnnotationCollection", c.Type)
		}
		if c.First != nil {
			items = c.First.Items
		}
	default:
		return nil, fmt.Errorf("web annotation claims: the document is neither a collection nor a list of annotations")
	}
	var out []annotate.Claim
	at := map[string]int{}
	type evidence struct {
		claim string
		e     annotate.Evidence
		where string
	}
	var evs []evidence
	for i, it := range items {
		var head struct {
			ID any `json:"id"`
		}
		if err := json.Unmarshal(it, &head); err != nil {
			return nil, fmt.Errorf("web annotation claims: item %d: %v", i, err)
		}
		id, _ := head.ID.(string)
		rest, ok := strings.CutPrefix(id, "urn:gloss:claim:")
		if !ok {
			continue
		}
		where := fmt.Sprintf("item %d (%s)", i, id)
		var a Annotation
		if err := json.Unmarshal(it, &a); err != nil {
			return nil, fmt.Errorf("web annotation claims: %s: %v", where, err)
		}
		if c, ann, ok := strings.Cut(rest, "/evidence/"); ok {
			e, err := readEvidence(a, c, ann)
			if err != nil {
				return nil, fmt.Errorf("web annotation claims: %s: %v", where, err)
			}
			cid, _ := url.PathUnescape(c)
			evs = append(evs, evidence{cid, e, where})
			continue
		}
		m, err := readClaim(a, rest)
		if err != nil {
			return nil, fmt.Errorf("web annotation claims: %s: %v", where, err)
		}
		if _, dup := at[m.ID]; dup {
			return nil, fmt.Errorf("web annotation claims: %s: claim %s appears twice", where, m.ID)
		}
		at[m.ID] = len(out)
		out = append(out, m)
	}
	for _, e := range evs {
		i, ok := at[e.claim]
		if !ok {
			return nil, fmt.Errorf("web annotation claims: %s: evidence of claim %s, which is not in the document", e.where, e.claim)
		}
		for _, prev := range out[i].Evidence {
			if prev.AnnotationID == e.e.AnnotationID {
				return nil, fmt.Errorf("web annotation claims: %s: annotation %s is attached to claim %s twice", e.where, e.e.AnnotationID, e.claim)
			}
		}
		out[i].Evidence = append(out[i].Evidence, e.e)
	}
	return out, nil
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// unIRI returns the Gloss ID an IRI of the given prefix names.
func unIRI(iri, prefix, what string) (string, error) {
	rest, ok := strings.CutPrefix(iri, prefix)
	if !ok || rest == "" {
		return "", fmt.Errorf("%s %q is not a Gloss %s IRI (%s…)", what, iri, what, prefix)
	}
	id, err := url.PathUnescape(rest)
	if err != nil || strings.TrimSpace(id) == "" {
		return "", fmt.Errorf("%s %q: bad escape", what, iri)
	}
	return id, nil
}

func readTime(s, what string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an xsd:dateTime", what, s)
	}
	return t.UTC(), nil
}

func grade(n int, what string) (annotate.Credibility, error) {
	g := annotate.Credibility(n)
	if !g.Valid() {
		return 0, fmt.Errorf("%s %d is not an information-credibility grade 1–6", what, n)
	}
	return g, nil
}

func readClaim(a Annotation, escID string) (annotate.Claim, error) {
	id, err := unIRI("urn:gloss:claim:"+escID, "urn:gloss:claim:", "claim")
	if err != nil {
		return annotate.Claim{}, err
	}
	m := annotate.Claim{ID: id}
	if m.Created, err = readTime(a.Created, "created"); err != nil {
		return m, err
	}
	if m.Modified, err = readTime(a.Modified, "modified"); err != nil {
		return m, err
	}
	if a.Creator != nil {
		m.Author = a.Creator.Name
	}
	described := false
	for _, b := range a.Body {
		switch {
		case b.Purpose == "describing" && !described:
			described = true
			m.Text, m.Time = b.Value, b.ClaimTime
			if b.About != "" {
				if m.Target, err = unIRI(b.About, "urn:gloss:target:", "about"); err != nil {
					return m, err
				}
			}
			for _, s := range b.Independent {
				sid, err := unIRI(s, "urn:gloss:source:", "independent source")
				if err != nil {
					return m, err
				}
				m.Independent = append(m.Independent, sid)
			}
		case b.Purpose == "assessing" && b.Estimative != "":
			m.Estimative = b.Estimative
		case b.Purpose == "assessing":
			if m.Grade, err = grade(b.Credibility, "credibility"); err != nil {
				return m, err
			}
			if m.SuggestedGrade, err = grade(b.SuggestedCredibility, "suggestedCredibility"); err != nil {
				return m, err
			}
		case b.Purpose == "commenting":
			m.Note = b.Value
		}
	}
	if strings.TrimSpace(m.Text) == "" {
		return m, fmt.Errorf("claim %s has no describing body with its text", id)
	}
	if err := annotate.ValidateDate(m.Time); err != nil {
		return m, fmt.Errorf("claimTime: %v", err)
	}
	return m, nil
}

func readEvidence(a Annotation, escClaim, escAnn string) (annotate.Evidence, error) {
	var e annotate.Evidence
	if len(a.Target) != 1 {
		return e, fmt.Errorf("evidence has %d targets, want the one evidence annotation", len(a.Target))
	}
	ann, err := unIRI(a.Target[0].ID, "urn:gloss:annotation:", "target")
	if err != nil {
		return e, err
	}
	if want, _ := url.PathUnescape(escAnn); want != ann {
		return e, fmt.Errorf("target %s is not the annotation its id names (%s)", a.Target[0].ID, escAnn)
	}
	for _, b := range a.Body {
		if b.Purpose != "linking" || b.Relation == "" {
			continue
		}
		if b.Source == nil || b.Source.ID != "urn:gloss:claim:"+escClaim {
			return e, fmt.Errorf("the linking body does not name the claim its id names (urn:gloss:claim:%s)", escClaim)
		}
		r := annotate.Relation(b.Relation)
		switch r {
		case annotate.Supports, annotate.Contradicts, annotate.Mentions:
		default:
			return e, fmt.Errorf("relation %q is not one of supports, contradicts, mentions", b.Relation)
		}
		return annotate.Evidence{AnnotationID: ann, Relation: r}, nil
	}
	return e, fmt.Errorf("evidence has no linking body with a relation")
}
