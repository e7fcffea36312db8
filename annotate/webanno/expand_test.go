package webanno

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"

	"gloss/internal/testshared"
)

// minimalW3C defines, with the W3C context's own IRIs, the W3C terms Gloss
// writes, so expansion can be checked without ../shared. TestMinimalAgrees
// holds it to the real anno.jsonld whenever that is present.
const minimalW3C = `{"@context": {
 "oa": "http://www.w3.org/ns/oa#", "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
 "dctypes": "http://purl.org/dc/dcmitype/", "foaf": "http://xmlns.com/foaf/0.1/",
 "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
 "xsd": "http://www.w3.org/2001/XMLSchema#", "as": "http://www.w3.org/ns/activitystreams#", "schema": "http://schema.org/",
 "id": {"@type": "@id", "@id": "@id"}, "type": {"@type": "@id", "@id": "@type"},
 "Annotation": "oa:Annotation", "AnnotationCollection": "as:OrderedCollection", "AnnotationPage": "as:OrderedCollectionPage",
 "SpecificResource": "oa:SpecificResource", "TextualBody": "oa:TextualBody", "TextQuoteSelector": "oa:TextQuoteSelector",
 "TextPositionSelector": "oa:TextPositionSelector", "Text": "dctypes:Text", "Person": "foaf:Person", "Software": "as:Application",
 "body": {"@type": "@id", "@id": "oa:hasBody"}, "target": {"@type": "@id", "@id": "oa:hasTarget"},
 "source": {"@type": "@id", "@id": "oa:hasSource"}, "selector": {"@type": "@id", "@id": "oa:hasSelector"},
 "motivation": {"@type": "@vocab", "@id": "oa:motivatedBy"}, "purpose": {"@type": "@vocab", "@id": "oa:hasPurpose"},
 "created": {"@id": "dcterms:created", "@type": "xsd:dateTime"}, "modified": {"@id": "dcterms:modified", "@type": "xsd:dateTime"},
 "generated": {"@id": "dcterms:issued", "@type": "xsd:dateTime"}, "creator": {"@type": "@id", "@id": "dcterms:creator"},
 "generator": {"@type": "@id", "@id": "as:generator"}, "value": "rdf:value", "exact": "oa:exact", "prefix": "oa:prefix",
 "suffix": "oa:suffix", "start": {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"},
 "end": {"@id": "oa:end", "@type": "xsd:nonNegativeInteger"}, "format": "dc:format", "language": "dc:language",
 "name": "foaf:name", "homepage": {"@type": "@id", "@id": "foaf:homepage"}, "via": {"@type": "@id", "@id": "oa:via"},
 "label": "rdfs:label", "total": {"@id": "as:totalItems", "@type": "xsd:nonNegativeInteger"},
 "first": {"@type": "@id", "@id": "as:first"}, "partOf": {"@type": "@id", "@id": "as:partOf"},
 "items": {"@type": "@id", "@id": "as:items", "@container": "@list"},
 "startIndex": {"@id": "as:startIndex", "@type": "xsd:nonNegativeInteger"},
 "tagging": "oa:tagging", "classifying": "oa:classifying", "commenting": "oa:commenting",
 "highlighting": "oa:highlighting", "linking": "oa:linking", "describing": "oa:describing"
}}`

// localLoader serves the W3C context from a file or string and refuses
// every other URL: tests never touch the network.
type localLoader struct{ context []byte }

func (l localLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if u != Context {
		return nil, fmt.Errorf("test loader: no document %s", u)
	}
	var doc any
	if err := json.Unmarshal(l.context, &doc); err != nil {
		return nil, err
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

func realLoader(t *testing.T) localLoader {
	b, err := os.ReadFile(filepath.Join(testshared.Path(t, "w3c-annotation"), "anno.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	return localLoader{b}
}

// expand runs safe-mode expansion: any term without a definition is an
// error instead of being silently dropped. It then checks what safe mode
// lets through: every property, type and vocabulary value must be an
// absolute IRI (an undefined "assessing" purpose would expand to the
// relative IRI "assessing").
func expand(t *testing.T, l localLoader, doc []byte) []any {
	t.Helper()
	var in any
	if err := json.Unmarshal(doc, &in); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = l
	opts.SafeMode = true
	out, err := ld.NewJsonLdProcessor().Expand(in, opts)
	if err != nil {
		t.Fatalf("safe-mode expansion failed: %v", err)
	}
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(e, key)
			}
		case map[string]any:
			for k, e := range v {
				if !strings.HasPrefix(k, "@") && !strings.Contains(k, ":") {
					t.Errorf("property %q did not expand to an IRI", k)
				}
				if k == "@value" || k == "@language" {
					continue
				}
				walk(e, k)
			}
		case string:
			if (key == "@type" || key == "@id") && !strings.Contains(v, ":") {
				t.Errorf("%s %q is not an absolute IRI", key, v)
			}
		}
	}
	walk(out, "")
	return out
}

// has counts the expanded properties (or values) named iri.
func has(t *testing.T, expanded []any, iri string) int {
	b, _ := json.Marshal(expanded)
	return strings.Count(string(b), `"`+iri+`"`)
}

func TestExpansionKeepsEveryTerm(t *testing.T) {
	for _, l := range []struct {
		name   string
		loader func(t *testing.T) localLoader
	}{{"minimal", func(*testing.T) localLoader { return localLoader{[]byte(minimalW3C)} }}, {"anno.jsonld", realLoader}} {
		t.Run(l.name, func(t *testing.T) {
			loader := l.loader(t)
			p := testProject(t)
			p.Sources[0].Outlet, p.Sources[0].Author, p.Sources[0].Published, p.Sources[0].Reliability = "Example Wire", "J. Doe", "2026-02", "B"
			raw, _, items := export(t, p, Options{Links: true, Creator: "Ana", Generated: time.Unix(1_800_000_000, 0)})
			out := expand(t, loader, raw)
			for _, w := range []struct {
				iri  string
				want int
			}{
				// Six source references: four targets, the link's target and
				// its evidence body; three of them are s01, the one with metadata.
				{"http://purl.org/dc/terms/title", 6},
				{"http://purl.org/dc/terms/publisher", 3},
				{"http://schema.org/author", 3},
				{"http://purl.org/dc/terms/issued", 1 + 5 + 3}, // generated ×(collection + 5 items), published ×3
				{Vocab + "stance", 3}, {Vocab + "stanceTarget", 3}, {Vocab + "credibility", 2},
				{Vocab + "reliability", 3},
				{"http://www.w3.org/ns/oa#assessing", 2 + 2}, // purpose and motivation of a1, a3
			} {
				if n := has(t, out, w.iri); n != w.want {
					t.Errorf("%s appears %d times, want %d", w.iri, n, w.want)
				}
			}
			for _, it := range items { // each item also stands alone
				expand(t, loader, it)
			}
		})
	}
}

// The check can fail: a member no context defines stops safe mode.
func TestExpansionRefusesUndefinedTerm(t *testing.T) {
	p := testProject(t)
	raw, _, _ := export(t, p, Options{Generated: time.Unix(1_800_000_000, 0)})
	bad := bytes.Replace(raw, []byte(`"exact":`), []byte(`"quote": "x", "exact":`), 1)
	var in any
	json.Unmarshal(bad, &in)
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = localLoader{[]byte(minimalW3C)}
	opts.SafeMode = true
	if _, err := ld.NewJsonLdProcessor().Expand(in, opts); err == nil {
		t.Error("safe mode accepted an undefined term")
	}
	// And without Gloss's context, "title" is dropped: the bug this fixes.
	var doc map[string]any
	json.Unmarshal(raw, &doc)
	doc["@context"] = Context
	first := doc["first"].(map[string]any)
	for _, it := range first["items"].([]any) {
		it.(map[string]any)["@context"] = Context
	}
	if _, err := ld.NewJsonLdProcessor().Expand(doc, opts); err == nil {
		t.Error("the W3C context alone should not define title")
	}
}

// TestMinimalAgrees: every term of the embedded context means what it
// means in the real W3C context.
func TestMinimalAgrees(t *testing.T) {
	var real, mini struct {
		Context map[string]any `json:"@context"`
	}
	if err := json.Unmarshal(realLoader(t).context, &real); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(minimalW3C), &mini); err != nil {
		t.Fatal(err)
	}
	for k, v := range mini.Context {
		if mustJSON(real.Context[k]) != mustJSON(v) {
			t.Errorf("term %q: embedded %s, W3C %s", k, mustJSON(v), mustJSON(real.Context[k]))
		}
	}
	for k := range GlossContext {
		if _, clash := real.Context[k]; clash {
			t.Errorf("Gloss term %q redefines a W3C term", k)
		}
	}
}

// TestCorpusExpands: a corpus export expands in safe mode with nothing
// dropped; every source title survives.
func TestCorpusExpands(t *testing.T) {
	p := corpusProject(t)
	raw, _, items := export(t, p, Options{Generated: time.Unix(1_800_000_000, 0)})
	out := expand(t, realLoader(t), raw)
	if n := has(t, out, "http://purl.org/dc/terms/title"); n != len(items) {
		t.Errorf("%d titles expanded for %d annotations", n, len(items))
	}
}
