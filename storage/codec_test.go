package storage

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
)

// The binary annotation record must carry every field JSON carried: a
// field added to Annotation (or Selector) and forgotten in the codec would
// be lost silently on the next save.
func TestAnnotationCodecKnowsEveryField(t *testing.T) {
	codecKnows(t, "codec.go", map[reflect.Type]string{
		reflect.TypeOf(annotate.Annotation{}): "ID SourceID Selector Codes Stances Credibility Note Author Created Modified Anchor Score Conflicts",
		reflect.TypeOf(annotate.Selector{}):   "Start End Exact Prefix Suffix",
		reflect.TypeOf(annotate.StanceMark{}): "Target Stance",
	})
}

// codecKnows fails when a type's fields are not the ones the codec in
// file knows.
func codecKnows(t *testing.T, file string, known map[reflect.Type]string) {
	t.Helper()
	for typ, want := range known {
		var got []string
		for i := 0; i < typ.NumField(); i++ {
			got = append(got, typ.Field(i).Name)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s has fields %v; the codec in %s knows %s: teach it the new ones (and this test)", typ, got, file, want)
		}
	}
}

func codecSamples() []annotate.Annotation {
	cst := time.FixedZone("", 8*3600)
	return []annotate.Annotation{
		{},
		{ID: "a1", SourceID: "s1", Selector: annotate.Selector{Start: 3, End: 9, Exact: "合作遣返", Prefix: "中美", Suffix: "。"}},
		{ID: "a2", SourceID: "s2", Selector: annotate.Selector{Start: 0, End: 4, Exact: "The "},
			Codes: []string{"c1", "c2"}, Stances: []annotate.StanceMark{{Target: "t1", Stance: "against"}},
			Credibility: 3, Note: "note\nwith lines", Author: "bo",
			Created:  time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
			Modified: time.Date(2026, 2, 3, 4, 5, 6, 7, cst),
			Anchor:   annotate.AnchorFuzzy, Score: 0.8125,
			Conflicts: []annotate.AnnotationVersion{{Origin: "other", Selector: annotate.Selector{Start: 1, End: 2, Exact: "h"},
				Codes: []string{"c3"}, Modified: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		{ID: "a3", SourceID: "s3", Selector: annotate.Selector{Start: -1, End: -1}, Credibility: -5},
	}
}

// A record decodes to exactly what its JSON decoded to.
func TestAnnotationCodecRoundTrip(t *testing.T) {
	for _, a := range codecSamples() {
		raw, err := encodeRec(a)
		if err != nil {
			t.Fatal(err)
		}
		var got annotate.Annotation
		if err := decodeRec(raw, &got, nil); err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		js, _ := json.Marshal(a)
		var viaJSON annotate.Annotation
		if err := decodeRec(js, &viaJSON, nil); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, viaJSON) {
			t.Errorf("binary gives\n%+v\nJSON gives\n%+v", got, viaJSON)
		}
		if len(raw) >= len(js) {
			t.Errorf("%s: binary %d bytes, JSON %d", a.ID, len(raw), len(js))
		}
		if id, ok := recordID(raw); !ok || id != a.ID {
			t.Errorf("recordID = %q, %v", id, ok)
		}
		if src, ok := annSourceID(raw); !ok || src != a.SourceID {
			t.Errorf("annSourceID = %q, %v", src, ok)
		}
		if !recModified(raw).Equal(a.Modified) {
			t.Errorf("recModified = %v", recModified(raw))
		}
	}
}

// Every cut of a record is refused with an error, never a panic.
func TestAnnotationCodecRefusesCutRecords(t *testing.T) {
	raw, _ := encodeRec(codecSamples()[2])
	for n := 1; n < len(raw); n++ {
		var a annotate.Annotation
		if err := decodeRec(raw[:n], &a, nil); err == nil {
			t.Errorf("a record cut to %d of %d bytes decoded", n, len(raw))
		}
	}
	var a annotate.Annotation
	if err := decodeRec(append(raw, 0), &a, nil); err == nil || !strings.Contains(err.Error(), "left over") {
		t.Errorf("trailing byte: %v", err)
	}
}

// FuzzAnnotationCodec: any bytes decode or fail cleanly, checking them
// (checkAnn) agrees, and whatever decodes encodes back to a record that
// decodes the same.
// Records may keep their quotes in this text (whatever their source).
const fuzzText = "中美双方合作遣返非法移民。The quick brown fox."

func fuzzTexts() *annTexts {
	return &annTexts{get: func(string) (string, []byte, bool) { return fuzzText, buildRuneIndex(fuzzText), true }}
}

func FuzzAnnotationCodec(f *testing.F) {
	for _, a := range codecSamples() {
		raw, _ := encodeRec(a)
		f.Add(raw)
		v1, _ := encodeAnn(&a, nil, annCodecV1)
		f.Add(v1)
	}
	r := []rune(fuzzText)
	for _, c := range [][4]int{{2, 6, 2, 3}, {0, 3, 0, 5}, {13, 20, 4, 0}, {5, 5, 1, 1}} {
		a := codecSamples()[2]
		a.Selector = annotate.Selector{Start: c[0], End: c[1], Exact: string(r[c[0]:c[1]]), Prefix: string(r[c[0]-c[2] : c[0]]), Suffix: string(r[c[1] : c[1]+c[3]])}
		raw, _ := encodeAnnIn(&a, fuzzTexts())
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !isAnnCodec(raw) {
			return
		}
		var a annotate.Annotation
		err := decodeRec(raw, &a, fuzzTexts())
		// The check of a record (checkAnn, strings as views) agrees with
		// decoding it.
		views := fuzzTexts()
		views.views = true
		var c annotate.Annotation
		if cerr := checkAnn(raw, &c, views); (cerr == nil) != (err == nil) {
			t.Fatalf("decoding says %v, checking %v", err, cerr)
		} else if err == nil && !reflect.DeepEqual(a, c) && !(a.Score != a.Score) {
			t.Fatalf("checking read\n%+v\ndecoding\n%+v", c, a)
		}
		// A backup's count of unreadable records (recordValid, strings as
		// views, no texts) agrees with decoding without texts.
		var plain annotate.Annotation
		if perr := decodeAnn(raw, &plain, nil, false); recordValidInto(raw, &c) != (perr == nil) {
			t.Fatalf("decoding without texts says %v, recordValid the opposite", perr)
		}
		if err != nil {
			return
		}
		again, err := encodeAnnIn(&a, fuzzTexts())
		if err != nil {
			return // e.g. conflicts JSON cannot encode (NaN)
		}
		var b annotate.Annotation
		if err := decodeRec(again, &b, fuzzTexts()); err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if !reflect.DeepEqual(a, b) && !(a.Score != a.Score) {
			t.Fatalf("round trip changed it:\n%+v\n%+v", a, b)
		}
	})
}
