package annotate

import (
	"testing"
	"unsafe"
)

// indexFrom builds p's index the way a window loads a project: the head,
// then each source's annotations in text order (storage's walk).
func indexFrom(t *testing.T, p *Project) *Index {
	t.Helper()
	head := *p
	head.Annotations = nil
	x, err := NewIndexFrom(&head, func(add func(string, []Annotation) error) error {
		bySrc := map[string][]Annotation{}
		for _, a := range p.Clone().Annotations {
			bySrc[a.SourceID] = append(bySrc[a.SourceID], a)
		}
		for _, s := range p.Sources {
			list := bySrc[s.ID]
			sortAnnotations(list)
			if len(list) > 0 {
				if err := add(s.ID, list); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func sortAnnotations(list []Annotation) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && AnnotationLess(&list[j], &list[j-1]); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

func inside(s, text string) bool {
	if s == "" {
		return true
	}
	p, b := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(text)))
	return p >= b && p+uintptr(len(s)) <= b+uintptr(len(text))
}

// Loading shares an exact selector's strings with the text and keeps a
// selector that differs from it as it was; the values never change.
func TestShareText(t *testing.T) {
	text := "外交部发言人表示，双方将继续合作。Officials said flights continue."
	tx := NewText(text)
	mk := func(id string, a, b int) Annotation {
		sel, err := tx.Select(a, b)
		if err != nil {
			t.Fatal(err)
		}
		return Annotation{ID: id, SourceID: "s", Selector: sel}
	}
	anns := []Annotation{mk("a", 0, 3), mk("b", 9, 16), mk("c", 17, 30), mk("d", 30, tx.Len())}
	orphan := mk("e", 5, 8)
	orphan.Selector.Exact, orphan.Anchor = "不在这里", AnchorOrphan // the passage was deleted
	anns = append(anns, orphan)
	want := make([]Selector, len(anns))
	for i, a := range anns {
		want[i] = a.Selector
		// Decoded strings are copies, as storage hands them out.
		anns[i].Selector.Exact = string([]byte(a.Selector.Exact))
		anns[i].Selector.Prefix = string([]byte(a.Selector.Prefix))
		anns[i].Selector.Suffix = string([]byte(a.Selector.Suffix))
	}
	shareText(text, anns)
	for i, a := range anns {
		if a.Selector != want[i] {
			t.Fatalf("%s: selector %+v, want %+v", a.ID, a.Selector, want[i])
		}
		shared := inside(a.Selector.Exact, text) && inside(a.Selector.Prefix, text) && inside(a.Selector.Suffix, text)
		if shared != (a.ID != "e") {
			t.Errorf("%s: shares the text = %v", a.ID, shared)
		}
	}
}

// NewIndexFrom builds the same index as NewIndex at every step of a
// random editing script (checked in withScript), and here on a project
// with a source given twice.
func TestNewIndexFromRefusesAnAnnotationTwice(t *testing.T) {
	p := &Project{Sources: []Source{{ID: "s", Text: "some text here"}}}
	_, err := NewIndexFrom(p, func(add func(string, []Annotation) error) error {
		a := Annotation{ID: "a", SourceID: "s", Selector: Selector{Start: 0, End: 4, Exact: "some"}}
		if err := add("s", []Annotation{a}); err != nil {
			return err
		}
		return add("s", []Annotation{a})
	})
	if err == nil {
		t.Fatal("an annotation listed twice was accepted")
	}
	_, err = NewIndexFrom(p, func(add func(string, []Annotation) error) error {
		return add("s", []Annotation{{ID: "b", SourceID: "other"}})
	})
	if err == nil {
		t.Fatal("an annotation handed out under another source was accepted")
	}
}
