package annotate

import "fmt"

// Reliability is the Admiralty (NATO) source-reliability grade.
type Reliability string

// Admiralty grades, with the meanings analysts are trained on.
var ReliabilityScale = []struct {
	Grade   Reliability
	Label   string
	Meaning string
}{
	{"A", "Completely reliable", "No doubt of authenticity, trustworthiness or competency; a history of complete reliability."},
	{"B", "Usually reliable", "Minor doubt about authenticity, trustworthiness or competency; a history of valid information most of the time."},
	{"C", "Fairly reliable", "Doubt of authenticity, trustworthiness or competency, but has provided valid information in the past."},
	{"D", "Not usually reliable", "Significant doubt about authenticity, trustworthiness or competency, but has provided valid information in the past."},
	{"E", "Unreliable", "Lacking in authenticity, trustworthiness and competency; a history of invalid information."},
	{"F", "Reliability cannot be judged", "No basis exists for evaluating the reliability of the source."},
}

// Valid reports whether r is a grade or unrated ("").
func (r Reliability) Valid() bool {
	if r == "" {
		return true
	}
	for _, g := range ReliabilityScale {
		if g.Grade == r {
			return true
		}
	}
	return false
}

// Label is the grade's short meaning, or "Not rated".
func (r Reliability) Label() string {
	for _, g := range ReliabilityScale {
		if g.Grade == r {
			return g.Label
		}
	}
	return "Not rated"
}

// Credibility is the Admiralty information-credibility grade, 1–6; 0 is unrated.
type Credibility int

// CredibilityScale gives each grade's meaning.
var CredibilityScale = []struct {
	Grade   Credibility
	Label   string
	Meaning string
}{
	{1, "Confirmed by other sources", "Confirmed by other independent sources; logical in itself; consistent with other information on the subject."},
	{2, "Probably true", "Not confirmed; logical in itself; consistent with other information on the subject."},
	{3, "Possibly true", "Not confirmed; reasonably logical in itself; agrees with some other information on the subject."},
	{4, "Doubtful", "Not confirmed; possible but not logical; no other information on the subject."},
	{5, "Improbable", "Not confirmed; not logical in itself; contradicted by other information on the subject."},
	{6, "Truth cannot be judged", "No basis exists for evaluating the validity of the information."},
}

// Valid reports whether c is 0 (unrated) or 1–6.
func (c Credibility) Valid() bool { return c >= 0 && c <= 6 }

// Label is the grade's short meaning, or "Not rated".
func (c Credibility) Label() string {
	if c >= 1 && c <= 6 {
		return CredibilityScale[c-1].Label
	}
	return "Not rated"
}

// ParseStance reads a stance name.
func ParseStance(s string) (Stance, error) {
	for _, v := range Stances {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("stance %q is not one of favor, against, neutral, mixed", s)
}
