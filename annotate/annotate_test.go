package annotate

import (
	"errors"
	"strings"
	"testing"
)

func TestSelectCodePoints(t *testing.T) {
	// 😀 is outside the BMP: one code point, two UTF-16 units, four bytes.
	tx := NewText("ab😀中文cd")
	s, err := tx.Select(2, 5)
	if err != nil {
		t.Fatal(err)
	}
	if s.Exact != "😀中文" || s.Prefix != "ab" || s.Suffix != "cd" {
		t.Fatalf("got %+v", s)
	}
	if err := tx.Check(s); err != nil {
		t.Fatal(err)
	}
	if got := tx.Find("cd"); len(got) != 1 || got[0] != 5 {
		t.Fatalf("Find = %v, want [5]", got)
	}
}

// Every selector over a text, at every stride boundary and across
// multi-byte code points, equals the code-point slices; on valid UTF-8 its
// strings are parts of the text (no copies), on invalid UTF-8 copies that
// read as the text's runes (U+FFFD for a bad byte), as before.
func TestSelectSharesTheText(t *testing.T) {
	valid := strings.Repeat("a😀中e\u0301文b", 23) // 1-, 4-, 3-, 2-byte code points
	for _, tc := range []struct {
		text   string
		shares bool
	}{{valid, true}, {valid[:40] + "\xff" + valid[40:], false}} {
		tx := NewText(tc.text)
		rs := []rune(tc.text)
		for start := 0; start < len(rs); start += 7 {
			for end := start + 1; end <= len(rs); end += 5 {
				s, err := tx.Select(start, end)
				if err != nil {
					t.Fatal(err)
				}
				want := Selector{Start: start, End: end, Exact: string(rs[start:end]),
					Prefix: string(rs[max(0, start-ContextLen):start]), Suffix: string(rs[end:min(len(rs), end+ContextLen)])}
				if s != want {
					t.Fatalf("Select(%d, %d) = %+v, want %+v", start, end, s, want)
				}
				if got := inside(s.Exact, tc.text) && inside(s.Prefix, tc.text) && inside(s.Suffix, tc.text); got != tc.shares {
					t.Fatalf("Select(%d, %d) shares the text: %v, want %v", start, end, got, tc.shares)
				}
			}
		}
	}
}

func TestSelectorContextIsBounded(t *testing.T) {
	tx := NewText(strings.Repeat("x", 100) + "HIT" + strings.Repeat("y", 100))
	s, _ := tx.Select(100, 103)
	if len([]rune(s.Prefix)) != ContextLen || len([]rune(s.Suffix)) != ContextLen {
		t.Fatalf("context lengths %d/%d", len([]rune(s.Prefix)), len([]rune(s.Suffix)))
	}
}

func TestAnchorRefindsShiftedQuote(t *testing.T) {
	old := NewText("The agency said 24,000 crossed.")
	sel, _ := old.Select(16, 22)
	moved := NewText("Update: The agency said 24,000 crossed.")
	got, ok := moved.Anchor(sel)
	if !ok || got.Start != 24 || got.Exact != "24,000" {
		t.Fatalf("Anchor = %+v %v", got, ok)
	}
}

type lookup struct{ codes, targets, sources map[string]bool }

func (l lookup) HasCode(id string) bool   { return l.codes[id] }
func (l lookup) HasTarget(id string) bool { return l.targets[id] }
func (l lookup) HasSource(id string) bool { return l.sources[id] }

func TestValidateAnnotationNamesTheField(t *testing.T) {
	tx := NewText("中美合作遣返非法移民")
	sel, _ := tx.Select(0, 4)
	l := lookup{codes: map[string]bool{"c1": true}, targets: map[string]bool{"t1": true}, sources: map[string]bool{"s1": true}}
	good := Annotation{ID: "a1", SourceID: "s1", Selector: sel, Codes: []string{"c1"}, Stances: []StanceMark{{"t1", Favor}}, Credibility: 2}
	if err := ValidateAnnotation(good, tx, l); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(a *Annotation){
		"credibility": func(a *Annotation) { a.Credibility = 7 },
		"codes":       func(a *Annotation) { a.Codes = []string{"nope"} },
		"selector":    func(a *Annotation) { a.Selector.End = 99 },
		"stance":      func(a *Annotation) { a.Stances = []StanceMark{{"t1", "hostile"}} },
	}
	for field, mut := range cases {
		a := good
		mut(&a)
		err := ValidateAnnotation(a, tx, l)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: got %v", field, err)
		}
	}
	empty := good
	empty.Selector.Exact = ""
	if err := ValidateAnnotation(empty, tx, l); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty quote: %v", err)
	}
}

func TestValidateCodeRejectsCycle(t *testing.T) {
	parents := map[string]string{"a": "", "b": "a"}
	parentOf := func(id string) (string, bool) { p, ok := parents[id]; return p, ok }
	if err := ValidateCode(Code{ID: "a", Name: "A", Parent: "b", Color: "#112233"}, parentOf); err == nil {
		t.Fatal("cycle accepted")
	}
	if err := ValidateCode(Code{ID: "c", Name: "C", Parent: "b", Color: "red"}, parentOf); err == nil {
		t.Fatal("bad colour accepted")
	}
}

func TestNewIDSortsByCreation(t *testing.T) {
	prev := ""
	for i := 0; i < 1000; i++ {
		id := NewID("a")
		if id <= prev {
			t.Fatalf("%s after %s", id, prev)
		}
		prev = id
	}
}

func TestFilter(t *testing.T) {
	tx := "abcdefghij"
	p := &Project{
		Sources: []Source{{ID: "s1", Kind: KindOriginal, Text: tx}, {ID: "s2", Kind: KindOriginal, Text: tx}},
		Codes:   []Code{{ID: "c1", Name: "Cooperation", Color: "#ffcc00"}, {ID: "c2", Name: "Repatriation", Parent: "c1", Color: "#00ccff"}},
		Targets: []Target{{ID: "t1", Name: "United States"}},
		Annotations: []Annotation{
			{ID: "a1", SourceID: "s1", Codes: []string{"c2"}, Stances: []StanceMark{{"t1", Favor}}, Credibility: 2},
			{ID: "a2", SourceID: "s1", Codes: []string{"c1"}, Credibility: 5},
			{ID: "a3", SourceID: "s2", Codes: []string{"c2"}},
		},
	}
	got, err := Filter{Codes: []string{"cooperation"}, Sources: []string{"s1"}}.Apply(p)
	if err != nil || len(got.Annotations) != 2 {
		t.Fatalf("parent code filter: %v %d", err, len(got.Annotations))
	}
	m, _ := ParseStanceFilter("United States=favor")
	got, _ = Filter{Stances: []StanceMark{m}}.Apply(p)
	if len(got.Annotations) != 1 || got.Annotations[0].ID != "a1" {
		t.Fatalf("stance filter: %+v", got.Annotations)
	}
	got, _ = Filter{MaxCredibility: 3}.Apply(p)
	if len(got.Annotations) != 1 {
		t.Fatalf("credibility filter: %d", len(got.Annotations))
	}
	if _, err := (Filter{Codes: []string{"nope"}}).Apply(p); err == nil {
		t.Fatal("unknown code accepted")
	}
}

func TestMemStoreRefusesStrandedAnnotationsAndCountsUsage(t *testing.T) {
	sel := Selector{Start: 0, End: 1, Exact: "a"}
	m := &MemStore{P: &Project{
		Sources:     []Source{{ID: "s1", Kind: KindOriginal, Text: "abc"}},
		Codes:       []Code{{ID: "c1", Name: "One", Color: "#111111"}, {ID: "c2", Name: "Two", Color: "#222222"}},
		Annotations: []Annotation{{ID: "a1", SourceID: "s1", Selector: sel, Codes: []string{"c1", "c2"}}, {ID: "a2", SourceID: "s1", Selector: sel, Codes: []string{"c1"}}},
	}}
	if _, err := m.Apply(Change{DelSources: []string{"s1"}}); err == nil {
		t.Fatal("deleting a source that still has annotations was accepted")
	}
	x := NewIndex(m.P)
	if x.CodeUsage("c1") != 2 || x.CodeUsage("c2") != 1 || x.CodeUsage("nope") != 0 {
		t.Fatalf("usage %d %d", x.CodeUsage("c1"), x.CodeUsage("c2"))
	}
	if _, err := m.Apply(x.DeleteSource("s1")); err != nil {
		t.Fatalf("cascading delete: %v", err)
	}
}

// RuneSlice cuts code points as Text.Slice does, clamped alike.
func TestRuneSliceIsTextSlice(t *testing.T) {
	for _, s := range []string{"", "abc", "中美遣返合作, returns 𠀀 e\u0301"} {
		n := len([]rune(s))
		for start := -1; start <= n+1; start++ {
			for end := -1; end <= n+2; end++ {
				if got, want := RuneSlice(s, start, end), NewText(s).Slice(start, end); got != want {
					t.Fatalf("RuneSlice(%q, %d, %d) = %q, want %q", s, start, end, got, want)
				}
			}
		}
	}
}
