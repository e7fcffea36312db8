package claims

import (
	"fmt"
	"strings"

	"gloss/annotate"
)

// Band is one ICD 203 estimative-language band: the phrase analysts write
// and the probability range it stands for, in percent.
type Band struct {
	Phrase    string `json:"phrase"`
	Synonym   string `json:"synonym"`
	Low, High int    `json:"-"`
}

// EstimativeBands are ICD 203's seven bands, least likely first.
var EstimativeBands = []Band{
	{"almost no chance", "remote", 1, 5},
	{"very unlikely", "highly improbable", 5, 20},
	{"unlikely", "improbable", 20, 45},
	{"roughly even chance", "roughly even odds", 45, 55},
	{"likely", "probable", 55, 80},
	{"very likely", "highly probable", 80, 95},
	{"almost certain", "nearly certain", 95, 99},
}

// EstimativeFor is the band that reads naturally beside a credibility
// grade; "" for 6 (cannot be judged) and 0 (unrated), where no phrase fits.
func EstimativeFor(g annotate.Credibility) string {
	switch g {
	case 1:
		return "very likely"
	case 2:
		return "likely"
	case 3:
		return "roughly even chance"
	case 4:
		return "unlikely"
	case 5:
		return "very unlikely"
	}
	return ""
}

// ParseEstimative accepts a band's phrase or synonym, in any case, and
// returns the phrase; "" is accepted as no phrase.
func ParseEstimative(s string) (string, error) {
	t := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if t == "" {
		return "", nil
	}
	for _, b := range EstimativeBands {
		if t == b.Phrase || t == b.Synonym {
			return b.Phrase, nil
		}
	}
	var names []string
	for _, b := range EstimativeBands {
		names = append(names, b.Phrase)
	}
	return "", fmt.Errorf("estimative %q is not an ICD 203 phrase (%s)", s, strings.Join(names, ", "))
}
