package annotate

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// Figure marks ride on the source record: Apply keeps them on a put of an
// existing source, undo restores the earlier marks, and bad marks are
// refused naming the figure.
func TestApplyKeepsFigureMarks(t *testing.T) {
	m := &MemStore{}
	mustApply(t, m, Change{PutSources: []Source{{ID: "s1", Kind: KindOriginal, Text: "37,000 arrests; 24,000 crossings."}}})
	s := m.P.Sources[0]
	s.FigureMarks = []FigureMark{{Figure: "s1:0-6", Preferred: true, Group: "border 2023"}, {Figure: "s1:16-22", Ignore: true}}
	undo := mustApply(t, m, Change{PutSources: []Source{s}})
	if got := m.P.Sources[0]; !reflect.DeepEqual(got.FigureMarks, s.FigureMarks) || got.Length != s.Length || got.ContentHash != s.ContentHash {
		t.Fatalf("after the put: %+v", got)
	}
	mustApply(t, m, undo)
	if got := m.P.Sources[0].FigureMarks; got != nil {
		t.Fatalf("undo left marks %+v", got)
	}
	for _, tc := range []struct {
		mark FigureMark
		want string
	}{
		{FigureMark{Figure: "s1:0-6"}, "says nothing"},
		{FigureMark{Figure: "s2:0-6", Split: true}, "not in source s1"},
		{FigureMark{Figure: "s1:6-0", Split: true}, `"s1:6-0" is not a figure ID`},
		{FigureMark{Figure: "s1:x-6", Split: true}, "not a figure ID"},
		{FigureMark{Figure: "s1", Split: true}, "not a figure ID"},
		{FigureMark{Figure: "s1:0-6", Ignore: true, Preferred: true}, "not a figure and also"},
		{FigureMark{Figure: "s1:0-6", Group: " g"}, "spaces"},
	} {
		s := m.P.Sources[0]
		s.FigureMarks = []FigureMark{tc.mark}
		_, err := m.Apply(Change{PutSources: []Source{s}})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "figure marks") {
			t.Errorf("%+v: got %v, want an error about figure marks saying %q", tc.mark, err, tc.want)
		}
	}
	s = m.P.Sources[0]
	s.FigureMarks = []FigureMark{{Figure: "s1:0-6", Split: true}, {Figure: "s1:0-6", Preferred: true}}
	if _, err := m.Apply(Change{PutSources: []Source{s}}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a figure marked twice: %v", err)
	}
}

func TestParseFigureID(t *testing.T) {
	for id, want := range map[string][3]any{
		"s1:3-9":        {"s1", 3, 9},
		"src:with:0-1":  {"src:with", 0, 1},
		"s0001:120-126": {"s0001", 120, 126},
	} {
		s, a, b, ok := ParseFigureID(id)
		if !ok || s != want[0] || a != want[1] || b != want[2] {
			t.Errorf("%s: %q %d %d %v", id, s, a, b, ok)
		}
	}
	for _, id := range []string{"", ":1-2", "s1:", "s1:1", "s1:2-2", "s1:-1-2", "s1:+1-2", "s1:1-+2", "s1:a-b"} {
		if _, _, _, ok := ParseFigureID(id); ok {
			t.Errorf("%q was accepted", id)
		}
	}
}

// FuzzParseFigureID: a figure ID from a command line or a stored record
// parses only when it is source:start-end with 0 ≤ start < end, and then
// its parts give it back.
func FuzzParseFigureID(f *testing.F) {
	for _, s := range []string{"s1:3-9", "a:b:0-1", ":1-2", "s1:-1-2", "s1:2-2", "s1:+1-2", "s1:1-99999999999999999999", "s:٣-٩", "s1:007-8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		src, a, b, ok := ParseFigureID(id)
		if !ok {
			return
		}
		if src == "" || a < 0 || b <= a {
			t.Fatalf("%q: %q %d %d accepted", id, src, a, b)
		}
		rest := strings.TrimPrefix(id, src+":")
		x, y, found := strings.Cut(rest, "-")
		if !found || strings.TrimLeft(x, "0") != strings.TrimLeft(strconv.Itoa(a), "0") || strings.TrimLeft(y, "0") != strings.TrimLeft(strconv.Itoa(b), "0") {
			t.Fatalf("%q parsed as %q %d %d", id, src, a, b)
		}
	})
}
