package figures

import (
	"testing"

	"gloss/annotate/overlap"
)

// The compact subject scores exactly as overlap does, across languages
// and for empty bags, and lists the same terms.
func TestCompactSubjectScoresAsOverlap(t *testing.T) {
	texts := []string{
		"", "the", "More than 37,000 Chinese citizens were returned in 2023",
		"遣返了3.7万名中国公民", "2023财年美国遣返中国公民", "Chinese nationals removed by charter flights",
		"包机航班增加到12班", "flights rose to 12", "双方已遣返1234人 and 1234 people were returned",
	}
	for _, a := range texts {
		for _, b := range texts {
			ba, bb := overlap.Words(a), overlap.Words(b)
			ca, cb := compact(ba), compact(bb)
			if got, want := score(&ca, &cb), overlap.Score(ba, bb); got != want {
				t.Errorf("score(%q, %q) = %v, overlap says %v", a, b, got, want)
			}
		}
		ba := overlap.Words(a)
		ca := compact(ba)
		terms := ba.Terms()
		if len(terms) != len(ca.terms()) {
			t.Fatalf("%q: %d terms, overlap has %d", a, len(ca.terms()), len(terms))
		}
		for i, s := range terms {
			if ca.terms()[i] != stemHash(s) {
				t.Errorf("%q: term %d is not %q", a, i, s)
			}
		}
	}
}
