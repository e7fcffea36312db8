package webanno

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// FuzzWrite builds a project from fuzz input (a text, passages cut from a
// byte string, code names, a note) and checks what any consumer relies
// on: the output is valid JSON, and every selector — targets and link
// bodies — quotes exactly the text at its position, with a quote selector
// that matches there and nowhere else.
func FuzzWrite(f *testing.F) {
	f.Add("🙂 Officials said both governments agreed. 双方同意继续合作。", []byte{2, 10, 5, 20, 30, 40}, "Cooperation", "a note <&>", "United States")
	f.Add("caption caption caption caption", []byte{0, 7, 8, 15, 16, 23}, "c", "", "t")
	f.Add("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", []byte{1, 2, 30, 31}, "=x", "中文", "")
	f.Add("a\u0301\U0001F1E8\U0001F1F3\u200d\"\\\x00", []byte{0, 1, 2, 4}, "\"", "\n", "\t")
	f.Fuzz(func(t *testing.T, text string, cuts []byte, code, note, target string) {
		if !utf8.ValidString(text) || !utf8.ValidString(code) || !utf8.ValidString(note) || !utf8.ValidString(target) || len(text) > 4000 || len(cuts) > 64 {
			return
		}
		tx := annotate.NewText(text)
		n := tx.Len()
		if n == 0 {
			return
		}
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		p := &annotate.Project{Name: code}
		for _, id := range []string{"s1", "s2"} {
			p.Sources = append(p.Sources, annotate.Source{ID: id, Title: note, Outlet: code, Kind: annotate.KindOriginal, Text: text,
				ContentHash: annotate.HashText(text), Length: n, Reliability: "B"})
		}
		if code != "" {
			p.Codes = []annotate.Code{{ID: "c1", Name: code, Color: "#80b1d3"}}
		}
		if target != "" {
			p.Targets = []annotate.Target{{ID: "t1", Name: target}}
		}
		var sels []annotate.Selector
		for i := 0; i+1 < len(cuts); i += 2 {
			a, b := int(cuts[i])%n, int(cuts[i+1])%(n+1)
			if a > b {
				a, b = b, a
			}
			sel, err := tx.Select(a, b)
			if err != nil {
				continue
			}
			sels = append(sels, sel)
			an := annotate.Annotation{ID: fmt.Sprintf("a%d", i), SourceID: "s1", Selector: sel, Note: note, Author: target,
				Credibility: annotate.Credibility(1 + i%6), Created: ts, Modified: ts}
			if code != "" {
				an.Codes = []string{"c1"}
			}
			if target != "" {
				an.Stances = []annotate.StanceMark{{Target: "t1", Stance: annotate.Stances[i%4]}}
			}
			p.Annotations = append(p.Annotations, an)
		}
		if len(sels) >= 2 {
			p.Links = []annotate.Link{{ID: "l1", Status: annotate.Confirmed, From: annotate.Anchor{SourceID: "s1", Selector: sels[0]},
				To: []annotate.Anchor{{SourceID: "s2", Selector: sels[1]}}, Created: ts, Modified: ts}}
		}
		// A claim in the note's words, citing every passage with the
		// relations in turn, read back whole from the export.
		evidence := 0
		if strings.TrimSpace(note) != "" {
			m := annotate.Claim{ID: "m" + code, Text: note, Grade: annotate.Credibility(len(cuts) % 7),
				SuggestedGrade: annotate.Credibility(len(text) % 7), Author: code, Created: ts, Modified: ts}
			// Blank phrases and notes are not written, so they are not set.
			if strings.TrimSpace(code) != "" {
				m.Estimative = code
			}
			if strings.TrimSpace(target) != "" {
				m.Note = target
			}
			if target != "" {
				m.Target = "t1"
			}
			for i, a := range p.Annotations {
				m.Evidence = append(m.Evidence, annotate.Evidence{AnnotationID: a.ID, Relation: annotate.Relations[i%3]})
			}
			evidence = len(m.Evidence)
			p.Claims = []annotate.Claim{m}
		}
		var buf bytes.Buffer
		if err := Write(&buf, p, Options{Links: true, Generated: ts}); err != nil {
			t.Fatalf("a valid project did not export: %v", err)
		}
		if !json.Valid(buf.Bytes()) {
			t.Fatal("output is not valid JSON")
		}
		var c struct {
			First struct{ Items []Annotation } `json:"first"`
		}
		if err := json.Unmarshal(buf.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		if len(c.First.Items) != len(p.Annotations)+len(p.Links)+len(p.Claims)+evidence {
			t.Fatalf("%d items for %d annotations, %d links, %d claims", len(c.First.Items), len(p.Annotations), len(p.Links), len(p.Claims))
		}
		back, err := ReadClaims(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("the claims written do not read back: %v", err)
		}
		if !reflect.DeepEqual(back, p.Claims) && (len(back) > 0 || len(p.Claims) > 0) {
			t.Fatalf("claims changed in the round trip\n got %+v\nwant %+v", back, p.Claims)
		}
		check := func(id string, sel []Selector) {
			q, pos := sel[0], sel[1]
			if got := tx.Slice(*pos.Start, *pos.End); got != q.Exact {
				t.Fatalf("%s: text at %d–%d is %q, exact %q", id, *pos.Start, *pos.End, got, q.Exact)
			}
			if m := tx.QuoteMatches(q.Exact, q.Prefix, q.Suffix); len(m) != 1 || m[0] != *pos.Start {
				t.Fatalf("%s: quote selector matches at %v, want only %d", id, m, *pos.Start)
			}
		}
		for _, it := range c.First.Items {
			if strings.HasPrefix(it.ID, "urn:gloss:claim:") {
				continue
			}
			check(it.ID, it.Target[0].Selector)
			for _, b := range it.Body {
				if b.Purpose == "linking" {
					check(it.ID+" body", b.Selector)
				}
			}
		}
	})
}

// FuzzReadClaims feeds ReadClaims arbitrary documents: it must return
// claims or an error, never panic, and what it returns must be claims
// Apply would accept as far as the document alone can tell.
func FuzzReadClaims(f *testing.F) {
	f.Add([]byte(`{"type":"AnnotationCollection","first":{"items":[{"id":"urn:gloss:claim:m1","type":"Annotation","motivation":"assessing",` +
		`"body":[{"type":"TextualBody","purpose":"describing","value":"A claim","claimTime":"2024-05","about":"urn:gloss:target:t1",` +
		`"independent":["urn:gloss:source:s1"]},{"type":"TextualBody","purpose":"assessing","credibility":2,"suggestedCredibility":3},` +
		`{"type":"TextualBody","purpose":"assessing","estimative":"likely"}],"target":[{"id":"urn:gloss:annotation:a1","type":"Annotation"}]},` +
		`{"id":"urn:gloss:claim:m1/evidence/a1","type":"Annotation","motivation":"linking","body":[{"type":"SpecificResource","purpose":"linking",` +
		`"source":{"id":"urn:gloss:claim:m1","type":"Annotation"},"relation":"supports"}],"target":[{"id":"urn:gloss:annotation:a1","type":"Annotation"}]}]}}`))
	f.Add([]byte(`[{"id":"urn:gloss:claim:m%2F1","body":[{"purpose":"describing","value":"x"}],"target":[{"id":"urn:x"}]}]`))
	f.Add([]byte(`[{"id":"urn:gloss:claim:m1/evidence/a%zz","target":[{"id":"urn:gloss:annotation:a"}]}]`))
	f.Add([]byte(`{"type":"AnnotationCollection"}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		claims, err := ReadClaims(bytes.NewReader(doc))
		if err != nil {
			return
		}
		for _, m := range claims {
			if m.ID == "" || strings.TrimSpace(m.Text) == "" || !m.Grade.Valid() || !m.SuggestedGrade.Valid() || annotate.ValidateDate(m.Time) != nil {
				t.Fatalf("claim read without a check: %+v", m)
			}
			seen := map[string]bool{}
			for _, e := range m.Evidence {
				if e.AnnotationID == "" || seen[e.AnnotationID] || !slices.Contains(annotate.Relations, e.Relation) {
					t.Fatalf("claim %s: evidence read without a check: %+v", m.ID, e)
				}
				seen[e.AnnotationID] = true
			}
		}
	})
}

// BenchmarkWriteSizes: export time per annotation at two sizes, each
// annotation on a 100 KB source whose paragraphs repeat (so every quote
// selector needs its context lengthened).
func BenchmarkWriteSizes(b *testing.B) {
	para := "Returning migrants board a charter flight at the airport. (Photo: Example Agency)\n"
	text := ""
	for i := 0; utf8.RuneCountInString(text) < 100000; i++ {
		text += fmt.Sprintf("Paragraph %d of the story.\n", i) + para
	}
	tx := annotate.NewText(text)
	hits := tx.Find("charter flight")
	for _, n := range []int{1000, 10000} {
		p := &annotate.Project{Sources: []annotate.Source{{ID: "s1", Kind: annotate.KindOriginal, Text: text, ContentHash: annotate.HashText(text), Length: tx.Len()}}}
		for i := 0; i < n; i++ {
			h := hits[i%len(hits)]
			sel, _ := tx.Select(h, h+14)
			p.Annotations = append(p.Annotations, annotate.Annotation{ID: fmt.Sprint("a", i), SourceID: "s1", Selector: sel})
		}
		b.Run(fmt.Sprintf("annotations=%d", n), func(b *testing.B) {
			for range b.N {
				if err := Write(&bytes.Buffer{}, p, Options{Generated: time.Unix(0, 0)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/annotation")
		})
	}
}

// BenchmarkWriteReaderScale: streaming export time per annotation at the
// issue's two sizes (1,000 sources with 20,000 annotations; 10,000 with
// 200,000), read through annotate.Reader; ns/annotation should not grow.
func BenchmarkWriteReaderScale(b *testing.B) {
	for _, sc := range []struct {
		name            string
		sources, perSrc int
	}{{"1k_20k", 1000, 20}, {"10k_200k", 10000, 20}} {
		b.Run(sc.name, func(b *testing.B) {
			p := benchproj.Generate(sc.sources, sc.perSrc, 1)
			b.ResetTimer()
			for range b.N {
				if err := WriteReader(io.Discard, annotate.ProjectReader(p), Options{Links: true, Generated: time.Unix(0, 0)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(p.Annotations)), "ns/annotation")
		})
	}
}
