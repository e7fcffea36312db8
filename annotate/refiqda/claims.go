package refiqda

import (
	"encoding/json"
	"fmt"
	"strings"

	"gloss/annotate"
)

// Claims in a .qdpx. QDA tools have no claims; what they do list is
// notes, sets and links, so each claim is written three ways at once:
//   - a Note "Claim: <text>" whose text says, for a reader, the claim, its
//     target and time, the accepted and suggested grades, the estimative
//     phrase, each piece of evidence (relation, quote, source) and the
//     analyst's note;
//   - a Set of the same name whose members are that note and the sources
//     the evidence comes from (NVivo and MAXQDA show document sets);
//   - one Link per piece of evidence, from the note to the evidence's
//     coded selection, named "Gloss claim: supports|contradicts|mentions"
//     (ATLAS.ti shows memo–quotation links).
//
// None of these carries a claim losslessly, so the records themselves go
// into a side entry, gloss-claims.json, naming everything by GUID. On
// import a claim is restored only while its Set is still in project.qde
// (deleting the set in another tool deletes the claim); references the
// file no longer holds are dropped with a warning, never guessed.
const (
	claimsEntry     = "gloss-claims.json"
	claimsFormat    = "gloss-claims/1"
	claimLinkPrefix = "Gloss claim"
)

func claimName(id string) string { return "claim:" + id }
func claimLinkName(id, annID string) string {
	return "claimlink:" + id + ":" + annID
}

type sideClaims struct {
	Format string      `json:"format"`
	Claims []sideClaim `json:"claims"`
}

// sideClaim is a claim with every reference a GUID of project.qde: the
// claim's Set, stance target (Code), evidence selections and sources.
type sideClaim struct {
	GUID           string         `json:"guid"`
	Text           string         `json:"text"`
	Target         string         `json:"target,omitempty"`
	Time           string         `json:"time,omitempty"`
	Evidence       []sideEvidence `json:"evidence,omitempty"`
	Grade          int            `json:"grade,omitempty"`
	SuggestedGrade int            `json:"suggestedGrade,omitempty"`
	Estimative     string         `json:"estimative,omitempty"`
	Independent    []string       `json:"independent,omitempty"`
	Note           string         `json:"note,omitempty"`
	Author         string         `json:"author,omitempty"`
	Created        string         `json:"created,omitempty"`
	Modified       string         `json:"modified,omitempty"`
}

type sideEvidence struct {
	Selection string `json:"selection"`
	Relation  string `json:"relation"`
}

// claimLookup is what writing a claim needs from the project: the
// evidence annotation, its source, and a target's name.
type claimLookup interface {
	Annotation(id string) *annotate.Annotation
	SourceTitle(id string) (string, bool)
	TargetName(id string) (string, bool)
}

// writeClaims adds each claim's Note, Set and Links to the exporter's
// lists and returns the side entry. The project was validated, so every
// reference resolves.
func (e *exporter) writeClaims(claims []annotate.Claim, look claimLookup) (sets []xSet, links []xLink, side *sideClaims) {
	side = &sideClaims{Format: claimsFormat, Claims: []sideClaim{}}
	for _, m := range claims {
		g := e.guid(claimName(m.ID))
		summary := claimSummary(m, look)
		label := "Claim: " + m.Text
		note := e.note(claimName(m.ID), label, summary, m.Author, m.Created)
		set := xSet{GUID: g, Name: clip(label, 80), Description: summary, MemberNote: note}
		sc := sideClaim{GUID: g, Text: m.Text, Time: m.Time, Grade: int(m.Grade), SuggestedGrade: int(m.SuggestedGrade),
			Estimative: m.Estimative, Note: m.Note, Author: m.Author, Created: stamp(m.Created), Modified: stamp(m.Modified)}
		if m.Target != "" {
			sc.Target = GUID(targetName(m.Target))
		}
		seenSrc := map[string]bool{}
		for _, ev := range m.Evidence {
			sel := GUID(annotationName(ev.AnnotationID))
			sc.Evidence = append(sc.Evidence, sideEvidence{Selection: sel, Relation: string(ev.Relation)})
			links = append(links, xLink{GUID: e.guid(claimLinkName(m.ID, ev.AnnotationID)), Name: claimLinkPrefix + ": " + string(ev.Relation),
				Direction: "OneWay", OriginGUID: note[0].TargetGUID, TargetGUID: sel})
			if a := look.Annotation(ev.AnnotationID); a != nil && !seenSrc[a.SourceID] {
				seenSrc[a.SourceID] = true
				set.MemberSource = append(set.MemberSource, xRef{TargetGUID: GUID(sourceName(a.SourceID))})
			}
		}
		for _, s := range m.Independent {
			sc.Independent = append(sc.Independent, GUID(sourceName(s)))
		}
		sets = append(sets, set)
		side.Claims = append(side.Claims, sc)
	}
	return sets, links, side
}

// claimSummary is the claim as a QDA tool's user reads it in a note.
func claimSummary(m annotate.Claim, look claimLookup) string {
	var b strings.Builder
	b.WriteString("Claim: " + m.Text + "\n")
	if name, ok := look.TargetName(m.Target); ok {
		b.WriteString("About: " + name + "\n")
	}
	if m.Time != "" {
		b.WriteString("Time: " + m.Time + "\n")
	}
	switch {
	case m.Grade != 0 && m.SuggestedGrade != 0:
		fmt.Fprintf(&b, "Credibility: %s (accepted); Gloss suggested %s\n", CredibilityCodeName(m.Grade), CredibilityCodeName(m.SuggestedGrade))
	case m.Grade != 0:
		fmt.Fprintf(&b, "Credibility: %s (accepted)\n", CredibilityCodeName(m.Grade))
	case m.SuggestedGrade != 0:
		fmt.Fprintf(&b, "Credibility: Gloss suggested %s (not yet accepted)\n", CredibilityCodeName(m.SuggestedGrade))
	}
	if m.Estimative != "" {
		b.WriteString("Estimative: " + m.Estimative + "\n")
	}
	if len(m.Evidence) > 0 {
		b.WriteString("Evidence:\n")
	}
	for _, ev := range m.Evidence {
		a := look.Annotation(ev.AnnotationID)
		if a == nil {
			continue
		}
		title, _ := look.SourceTitle(a.SourceID)
		fmt.Fprintf(&b, "- %s: “%s” (%s)\n", ev.Relation, a.Selector.Exact, title)
	}
	if strings.TrimSpace(m.Note) != "" {
		b.WriteString("Note: " + m.Note + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// isClaimLink: a link Gloss wrote for a claim's evidence, read back from
// the side entry instead.
func (im *importer) isClaimLink(l xLink) bool {
	_, fromNote := im.notes[normGUID(l.OriginGUID)]
	return fromNote && strings.HasPrefix(l.Name, claimLinkPrefix)
}

// claimGUIDs lists the sources claims name as independent (a streamed
// import keeps those for its last part) and the selections they cite
// (only those are looked up by GUID), read ahead of the sources. A
// damaged entry names none; readClaims warns about it.
func (im *importer) claimGUIDs() (independent, evidence map[string]bool) {
	independent, evidence = map[string]bool{}, map[string]bool{}
	f := im.ar.find(claimsEntry)
	if f == nil {
		return
	}
	raw, err := im.ar.read(f)
	if err != nil {
		return
	}
	var side sideClaims
	if json.Unmarshal(raw, &side) != nil {
		return
	}
	for _, c := range side.Claims {
		for _, g := range c.Independent {
			independent[normGUID(g)] = true
		}
		for _, ev := range c.Evidence {
			evidence[normGUID(ev.Selection)] = true
		}
	}
	return
}

// readClaims restores the claims of gloss-claims.json whose Set is still
// in the project. A damaged entry is ignored with a warning, like
// gloss-ids.json: the rest of the project does not depend on it.
func (im *importer) readClaims() error {
	f := im.ar.find(claimsEntry)
	if f == nil {
		return nil
	}
	raw, err := im.ar.read(f)
	if err != nil {
		im.opt.Warn(fmt.Sprintf("%s ignored: %v", claimsEntry, err))
		return nil
	}
	var side sideClaims
	if err := json.Unmarshal(raw, &side); err != nil {
		im.opt.Warn(fmt.Sprintf("%s ignored: %v", claimsEntry, err))
		return nil
	}
	if side.Format != claimsFormat {
		im.opt.Warn(fmt.Sprintf("%s ignored: format %q, not %s", claimsEntry, side.Format, claimsFormat))
		return nil
	}
	sets := map[string]bool{}
	if im.xp.Sets != nil {
		for _, s := range im.xp.Sets.Set {
			sets[normGUID(s.GUID)] = true
		}
	}
	for i, sc := range side.Claims {
		where := fmt.Sprintf("%s: claim %d (%q)", claimsEntry, i+1, clip(sc.Text, 40))
		warn := func(format string, args ...any) { im.opt.Warn(where + ": " + fmt.Sprintf(format, args...)) }
		if !sets[normGUID(sc.GUID)] {
			warn("its set %s is no longer in %s; skipped", sc.GUID, im.qde)
			continue
		}
		if strings.TrimSpace(sc.Text) == "" {
			warn("no text; skipped")
			continue
		}
		id := im.idFor("claim", annotate.ClaimPrefix, sc.GUID)
		if err := im.claim("claim", id, sc.GUID); err != nil {
			warn("%v; skipped", err)
			continue
		}
		m := annotate.Claim{ID: id, Text: sc.Text, Time: sc.Time, Estimative: sc.Estimative, Note: sc.Note, Author: sc.Author}
		if err := annotate.ValidateDate(m.Time); err != nil {
			warn("time %q dropped: %v", sc.Time, err)
			m.Time = ""
		}
		for _, g := range []struct {
			n    int
			dst  *annotate.Credibility
			what string
		}{{sc.Grade, &m.Grade, "grade"}, {sc.SuggestedGrade, &m.SuggestedGrade, "suggested grade"}} {
			if c := annotate.Credibility(g.n); c.Valid() {
				*g.dst = c
			} else {
				warn("%s %d is not 1–6; dropped", g.what, g.n)
			}
		}
		var err error
		if m.Created, err = parseTime(sc.Created); err != nil {
			warn("created: %v", err)
		}
		if m.Modified, err = parseTime(sc.Modified); err != nil {
			warn("modified: %v", err)
		}
		if sc.Target != "" {
			if tid, ok := im.targetByGUID[normGUID(sc.Target)]; ok {
				m.Target = tid
			} else {
				warn("stance target %s is not in the codebook; dropped", sc.Target)
			}
		}
		seen := map[string]bool{}
		for _, ev := range sc.Evidence {
			aid, ok := im.annByGUID[normGUID(ev.Selection)]
			r := annotate.Relation(ev.Relation)
			switch {
			case !ok:
				warn("evidence %s is not a coded selection of the project; dropped", ev.Selection)
			case r != annotate.Supports && r != annotate.Contradicts && r != annotate.Mentions:
				warn("evidence %s: relation %q is not supports, contradicts or mentions; dropped", ev.Selection, ev.Relation)
			case seen[aid]:
				warn("evidence %s is attached twice; kept once", ev.Selection)
			default:
				seen[aid] = true
				m.Evidence = append(m.Evidence, annotate.Evidence{AnnotationID: aid, Relation: r})
			}
		}
		for _, g := range sc.Independent {
			if sid, ok := im.srcByGUID[normGUID(g)]; ok {
				m.Independent = append(m.Independent, sid)
			} else {
				warn("independent source %s is not in the project; dropped", g)
			}
		}
		im.p.Claims = append(im.p.Claims, m)
	}
	return nil
}
