// Package webanno writes a Gloss project as W3C Web Annotation Data Model
// JSON-LD (https://www.w3.org/TR/annotation-model/), so annotations can be
// shared with tools that speak the standard (Hypothesis-style clients,
// IIIF/annotation servers, triple stores).
//
// The output is one AnnotationCollection whose first (and only)
// AnnotationPage holds every annotation in `items`. A collection rather than
// a bare array: the model defines it as the container for many annotations,
// it carries the project's name, total and generator, and it is still
// trivially split into standalone annotations because every item repeats the
// @context.
//
// Positions (TextPositionSelector) count Unicode code points in Gloss's
// normalised text (LF line ends, NFC) — the model's own unit. Each target's
// source is therefore the Gloss source (urn:gloss:source:<id>), not the web
// page: the page's URL is given as the source's `via`, the resource it was
// derived from, so no consumer applies our offsets to the page's HTML.
//
// Every document carries two contexts: the W3C one, then GlossContext,
// which defines each term Gloss writes that the W3C context lacks, so a
// JSON-LD processor expands the output in safe mode with nothing dropped.
// Each TextQuoteSelector identifies its passage on its own: where a text
// repeats (a photo caption printed twice), prefix and suffix are longer
// than the usual 32 code points.
package webanno

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"

	"gloss/annotate"
)

// Context is the Web Annotation JSON-LD context.
const Context = "http://www.w3.org/ns/anno.jsonld"

// Vocab is the namespace of Gloss's own terms (stance, credibility,
// reliability): an absolute IRI, so a JSON-LD processor keeps them.
const Vocab = "urn:gloss:vocab:"

// GlossContext defines, after the W3C context, every term Gloss writes
// that the W3C context lacks, so expansion drops nothing: a source's
// title, outlet, author, publication date and reliability, the
// "assessing" motivation (a W3C motivation the context forgot), and the
// structured stance and credibility beside their text bodies. Prefixes
// dcterms, schema, oa and xsd come from the W3C context.
var GlossContext = map[string]any{
	"gloss":        Vocab,
	"title":        "dcterms:title",
	"publisher":    "dcterms:publisher",
	"author":       "schema:author",
	"published":    "dcterms:issued",
	"assessing":    "oa:assessing",
	"stance":       "gloss:stance",
	"stanceTarget": "gloss:stanceTarget",
	"credibility":  map[string]any{"@id": "gloss:credibility", "@type": "xsd:integer"},
	"reliability":  "gloss:reliability",
	// Claims: the stance target a claim is about, its time, the grade
	// Gloss suggested beside the accepted one, the ICD 203 phrase, the
	// sources declared independent, and how a piece of evidence bears on it.
	"about":                map[string]any{"@id": "gloss:about", "@type": "@id"},
	"claimTime":            "gloss:claimTime",
	"suggestedCredibility": map[string]any{"@id": "gloss:suggestedCredibility", "@type": "xsd:integer"},
	"estimative":           "gloss:estimative",
	"independent":          map[string]any{"@id": "gloss:independent", "@type": "@id"},
	"relation":             "gloss:relation",
}

// Contexts is the @context of every document written: the W3C context
// first (the model requires it), then Gloss's terms.
func Contexts() []any { return []any{Context, GlossContext} }

// Options tune the export; the zero value is fine.
type Options struct {
	// Base is the collection's IRI; default urn:gloss:project:<name>.
	Base string
	// Creator names the person exporting; it is used as the creator of
	// annotations whose author is unknown only when CreatorForAll is set,
	// since attributing someone else's highlight to the exporter is wrong.
	Creator       string
	CreatorForAll bool
	// Generator is the software named as generator; default "Gloss".
	Generator         string
	GeneratorHomepage string
	// BodyLanguage is the language of the bodies Gloss writes (code names,
	// stance and credibility labels); default "en".
	BodyLanguage string
	// Generated is the export time; default now.
	Generated time.Time
	// Links also writes confirmed links as "linking" annotations.
	Links bool
}

// IRIs Gloss mints for its records. Gloss IDs are globally unique
// (time + random), so they need no project qualifier.
func AnnotationIRI(id string) string { return "urn:gloss:annotation:" + url.PathEscape(id) }
func SourceIRI(id string) string     { return "urn:gloss:source:" + url.PathEscape(id) }
func LinkIRI(id string) string       { return "urn:gloss:link:" + url.PathEscape(id) }
func ClaimIRI(id string) string      { return "urn:gloss:claim:" + url.PathEscape(id) }
func TargetIRI(id string) string     { return "urn:gloss:target:" + url.PathEscape(id) }

// EvidenceIRI names the "linking" annotation that attaches annotation
// annID to claim id (an annotation is attached to a claim at most once).
func EvidenceIRI(claimID, annID string) string {
	return ClaimIRI(claimID) + "/evidence/" + url.PathEscape(annID)
}

// ProjectIRI is the default collection IRI for a project name.
func ProjectIRI(name string) string {
	if strings.TrimSpace(name) == "" {
		name = "untitled"
	}
	return "urn:gloss:project:" + url.PathEscape(name)
}

// JSON shapes. Field order follows the model's examples for readability.
// WriteReader writes Collection and Page field by field (total last, once
// known); they describe the document for code that decodes it.
type (
	Collection struct {
		Context   any    `json:"@context"` // Contexts()
		ID        string `json:"id"`
		Type      string `json:"type"`
		Label     string `json:"label,omitempty"`
		Total     int    `json:"total"`
		Generator *Agent `json:"generator,omitempty"`
		Generated string `json:"generated,omitempty"`
		First     *Page  `json:"first,omitempty"`
	}
	Page struct {
		ID         string       `json:"id"`
		Type       string       `json:"type"`
		PartOf     string       `json:"partOf"`
		StartIndex int          `json:"startIndex"`
		Items      []Annotation `json:"items"`
	}
	Annotation struct {
		Context    any        `json:"@context"` // Contexts()
		ID         string     `json:"id"`
		Type       string     `json:"type"`
		Motivation any        `json:"motivation,omitempty"` // string or []string
		Created    string     `json:"created,omitempty"`
		Modified   string     `json:"modified,omitempty"`
		Creator    *Agent     `json:"creator,omitempty"`
		Generator  *Agent     `json:"generator,omitempty"`
		Generated  string     `json:"generated,omitempty"`
		Body       []Body     `json:"body,omitempty"`
		Target     []Specific `json:"target"`
	}
	Agent struct {
		ID       string `json:"id,omitempty"`
		Type     string `json:"type"`
		Name     string `json:"name"`
		Homepage string `json:"homepage,omitempty"`
	}
	// Body is a TextualBody or, for links and a claim's evidence, a
	// SpecificResource (for evidence, its source is the claim annotation).
	Body struct {
		Type     string     `json:"type"`
		Purpose  string     `json:"purpose,omitempty"`
		Value    string     `json:"value,omitempty"`
		Format   string     `json:"format,omitempty"`
		Language string     `json:"language,omitempty"`
		Source   *Resource  `json:"source,omitempty"`
		Selector []Selector `json:"selector,omitempty"`
		// Structured forms of the classifying and assessing bodies.
		Stance       string `json:"stance,omitempty"`
		StanceTarget string `json:"stanceTarget,omitempty"`
		Credibility  int    `json:"credibility,omitempty"`
		// Claims: see GlossContext.
		About                string   `json:"about,omitempty"`
		ClaimTime            string   `json:"claimTime,omitempty"`
		SuggestedCredibility int      `json:"suggestedCredibility,omitempty"`
		Estimative           string   `json:"estimative,omitempty"`
		Independent          []string `json:"independent,omitempty"`
		Relation             string   `json:"relation,omitempty"`
	}
	// Specific is a passage (type SpecificResource, source and selectors)
	// or, for claims, another annotation named by its IRI (ID and type).
	Specific struct {
		ID       string     `json:"id,omitempty"`
		Type     string     `json:"type"`
		Source   *Resource  `json:"source,omitempty"`
		Selector []Selector `json:"selector,omitempty"`
	}
	Resource struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Format   string `json:"format,omitempty"` // "" only for a claim
		Language string `json:"language,omitempty"`
		Title    string `json:"title,omitempty"`
		Via      string `json:"via,omitempty"`
		// Source metadata an analyst weighs a passage by.
		Publisher   string `json:"publisher,omitempty"`
		Author      string `json:"author,omitempty"`
		Published   string `json:"published,omitempty"`
		Reliability string `json:"reliability,omitempty"`
	}
	Selector struct {
		Type   string `json:"type"`
		Exact  string `json:"exact,omitempty"`
		Prefix string `json:"prefix,omitempty"`
		Suffix string `json:"suffix,omitempty"`
		Start  *int   `json:"start,omitempty"`
		End    *int   `json:"end,omitempty"`
	}
)

// Write serialises p as an indented JSON-LD AnnotationCollection; see
// WriteReader.
func Write(w io.Writer, p *annotate.Project, opt Options) error {
	if p == nil {
		return fmt.Errorf("web annotation export: no project")
	}
	return WriteReader(w, annotate.ProjectReader(p), opt)
}

// StanceValue is the classifying body's text, e.g. "against: United States".
func StanceValue(s annotate.Stance, target string) string { return string(s) + ": " + target }

// CredibilityValue is the assessing body's text, e.g.
// "Information credibility 2: Probably true".
func CredibilityValue(c annotate.Credibility) string {
	return fmt.Sprintf("Information credibility %d: %s", c, c.Label())
}

// specific is the target (or a link body): the source with a quote
// selector that identifies the passage on its own (context lengthened past
// 32 code points where the text repeats) and a position selector.
func specific(src *annotate.Source, text *annotate.Text, sel annotate.Selector) Specific {
	sel = text.UniqueQuote(sel)
	start, end := sel.Start, sel.End
	res := &Resource{ID: SourceIRI(src.ID), Type: "Text", Format: "text/plain", Language: string(src.Language), Title: src.Title,
		Publisher: src.Outlet, Author: src.Author, Published: src.Published, Reliability: string(src.Reliability)}
	if src.URL != "" {
		if u, err := url.Parse(src.URL); err == nil && u.Scheme != "" && u.Host != "" {
			res.Via = src.URL
		}
	}
	return Specific{Type: "SpecificResource", Source: res, Selector: []Selector{
		{Type: "TextQuoteSelector", Exact: sel.Exact, Prefix: sel.Prefix, Suffix: sel.Suffix},
		{Type: "TextPositionSelector", Start: &start, End: &end},
	}}
}

func text(purpose, value, lang string) Body {
	return Body{Type: "TextualBody", Purpose: purpose, Value: value, Format: "text/plain", Language: lang}
}

func person(name string) *Agent { return &Agent{Type: "Person", Name: name} }

// noteLanguage: analysts write notes in English, but a note in Chinese
// characters must not be labelled English; its language is then left out
// rather than guessed between zh-Hans and zh-Hant.
func noteLanguage(note, def string) string {
	for _, r := range note {
		if unicode.Is(unicode.Han, r) {
			return ""
		}
	}
	return def
}

// motivation lists the bodies' purposes once each, or def when there are none.
func motivation(bodies []Body, def string) any {
	var out []string
	seen := map[string]bool{}
	for _, b := range bodies {
		if b.Purpose != "" && !seen[b.Purpose] {
			seen[b.Purpose] = true
			out = append(out, b.Purpose)
		}
	}
	switch len(out) {
	case 0:
		return def
	case 1:
		return out[0]
	}
	return out
}

// stamp is xsd:dateTime in UTC, or "" for an unknown time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
