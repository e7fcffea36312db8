package annotate

import "testing"

func TestLabelsRoundTrip(t *testing.T) {
	for _, l := range Languages {
		if got, ok := LanguageByName(l.Name()); !ok || got != l {
			t.Errorf("%s: %q reads back as %q", l, l.Name(), got)
		}
		if l.Name() == string(l) || l.Short() == "" {
			t.Errorf("%s has no reader's name", l)
		}
	}
	if Simplified.Name() != "Chinese (simplified)" || Traditional.Name() != "Chinese (traditional)" || English.Name() != "English" {
		t.Fatal("language names")
	}
	if _, ok := LanguageByName("Klingon"); ok {
		t.Fatal("unknown language accepted")
	}
	for _, s := range Stances {
		if got, ok := StanceByLabel(s.Label()); !ok || got != s {
			t.Errorf("stance %s: %q reads back as %q", s, s.Label(), got)
		}
	}
	for _, s := range []LinkStatus{Suggested, Confirmed, Rejected} {
		if s.Label() == "" || s.Label() == string(s) {
			t.Errorf("link status %s has no label", s)
		}
	}
	if Credibility(2).Option() != "2 — Probably true" || Credibility(0).Option() != "Not rated" {
		t.Fatal(Credibility(2).Option())
	}
	if Reliability("B").Option() != "B — Usually reliable" {
		t.Fatal(Reliability("B").Option())
	}
	x := NewIndex(&Project{Targets: []Target{{ID: "t1", Name: "China"}}})
	if got := x.StanceText(StanceMark{"t1", Favor}); got != "In favour: China" {
		t.Fatal(got)
	}
}
