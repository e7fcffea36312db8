package annotate

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// Refusals name the thing: the code's name, the quote and the source's
// title, never a bare count.
func TestApplyRefusalsNameTheThing(t *testing.T) {
	text := "先核实，再遣返。China verifies first."
	m := &MemStore{}
	mustApply(t, m, Change{
		PutSources:     []Source{{ID: "s1", Title: "Embassy statement", Kind: KindOriginal, Text: text}},
		PutCodes:       []Code{{ID: "c1", Name: "Verification", Color: "#ffcc00"}, {ID: "c2", Name: "Detail", Parent: "c1", Color: "#ffcc00"}},
		PutTargets:     []Target{{ID: "t1", Name: "China"}},
		PutAnnotations: []Annotation{{ID: "a1", SourceID: "s1", Selector: sel(t, text, 0, 3), Codes: []string{"c2"}, Stances: []StanceMark{{"t1", Favor}}}},
	})
	for _, tc := range []struct {
		c    Change
		want []string
	}{
		{Change{DelCodes: []string{"c2"}}, []string{`code "Detail"`, `"先核实"`, `"Embassy statement"`}},
		{Change{DelCodes: []string{"c1"}}, []string{`code "Verification"`, `code "Detail" is nested`}},
		{Change{DelTargets: []string{"t1"}}, []string{`stance target "China"`, `"先核实"`}},
		{Change{DelSources: []string{"s1"}}, []string{`source "Embassy statement"`, "1 annotation"}},
		{Change{DelAnnotations: []string{"a9"}}, []string{"annotation a9", "not found"}},
		{Change{SetTexts: []SourceText{{SourceID: "s1", Text: "全新的文本"}}}, []string{"annotation a1", "orphan"}},
	} {
		_, err := m.Apply(tc.c)
		if err == nil {
			t.Errorf("%s was accepted", js(tc.c))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %s", js(tc.c), err, w)
			}
		}
	}
}

// A text replacement keeps the old text as a version, refreshes the hash
// and length, and its undo restores the old text and every position.
func TestApplyReplaceTextAndUndo(t *testing.T) {
	when := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	old := "China, US hold talks."
	m := &MemStore{Now: func() time.Time { return when }}
	mustApply(t, m, Change{PutSources: []Source{{ID: "s1", Kind: KindOriginal, Text: old}},
		PutAnnotations: []Annotation{{ID: "a1", SourceID: "s1", Selector: sel(t, old, 0, 5)}}})
	before := js(m.P)
	neu := "Today China, US hold talks."
	a := m.P.Annotations[0]
	a.Selector, a.Anchor = sel(t, neu, 6, 11), AnchorShifted
	r, err := m.Commit(Change{SetTexts: []SourceText{{"s1", neu}}, PutAnnotations: []Annotation{a},
		PutVersions: []TextVersion{{ID: "v1", SourceID: "s1", Text: old}}})
	if err != nil {
		t.Fatal(err)
	}
	s := m.P.Sources[0]
	if s.Text != neu || s.Length != 27 || s.ContentHash != HashText(neu) || len(m.P.Versions) != 1 || !m.P.Versions[0].Replaced.Equal(when) {
		t.Fatalf("after replace: %+v versions %+v", s, m.P.Versions)
	}
	if errs := NewIndex(m.P).Validate(); len(errs) > 0 {
		t.Fatal(errs)
	}
	mustApply(t, m, r.Undo)
	if after := js(m.P); after != before {
		t.Fatalf("undo:\n%s\n%s", before, after)
	}
}

// TestChangeRecordsCountsEveryKind sets each list of a Change in turn:
// Records must count it, so a kind added later is not left out of the
// size by which the window decides to save in the background.
func TestChangeRecordsCountsEveryKind(t *testing.T) {
	typ := reflect.TypeOf(Change{})
	lists := 0
	for i := 0; i < typ.NumField(); i++ {
		if typ.Field(i).Type.Kind() != reflect.Slice {
			continue
		}
		lists++
		var c Change
		v := reflect.ValueOf(&c).Elem().Field(i)
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		if got := c.Records(); got != 2 {
			t.Errorf("Change.%s of 2: Records() = %d", typ.Field(i).Name, got)
		}
	}
	if lists < 15 {
		t.Fatalf("found %d lists in Change", lists)
	}
}
