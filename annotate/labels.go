package annotate

import (
	"fmt"
	"strings"
)

// The words a person reads for each domain value, written once so every
// panel, report and command says the same thing.

// Name is the language as a reader names it: "English", "Chinese
// (simplified)"; an unknown tag is shown as it is, and no tag as
// "Language not set".
func (l Language) Name() string {
	switch l {
	case English:
		return "English"
	case Simplified:
		return "Chinese (simplified)"
	case Traditional:
		return "Chinese (traditional)"
	case LangUnknown:
		return "Language not set"
	}
	return string(l)
}

// Short is the language in two or three characters, for narrow lists.
func (l Language) Short() string {
	switch l {
	case English:
		return "EN"
	case Simplified:
		return "简"
	case Traditional:
		return "繁"
	case LangUnknown:
		return "?"
	}
	return strings.ToUpper(string(l))
}

// LanguageByName is the language a Name (or a tag) stands for.
func LanguageByName(s string) (Language, bool) {
	for _, l := range Languages {
		if s == l.Name() || strings.EqualFold(s, string(l)) {
			return l, true
		}
	}
	return LangUnknown, false
}

// Label is the review state as a reader says it.
func (s LinkStatus) Label() string {
	switch s {
	case Suggested:
		return "Suggested, not yet reviewed"
	case Confirmed:
		return "Confirmed"
	case Rejected:
		return "Rejected"
	}
	return string(s)
}

// Label is the stance as a reader says it ("in favour of" reads better in
// a sentence than the stored "favor").
func (s Stance) Label() string {
	switch s {
	case Favor:
		return "In favour"
	case Against:
		return "Against"
	case Neutral:
		return "Neutral"
	case Mixed:
		return "Mixed"
	case "":
		return "No stance"
	}
	return string(s)
}

// StanceByLabel is the stance a Label (or a stored value) stands for.
func StanceByLabel(s string) (Stance, bool) {
	for _, v := range Stances {
		if s == v.Label() || s == string(v) {
			return v, true
		}
	}
	return "", false
}

// Label is the kind as a reader says it.
func (k Kind) Label() string {
	switch k {
	case KindOriginal:
		return "Original"
	case KindTranslation:
		return "Translation"
	case KindSummary:
		return "Summary"
	case KindCommentary:
		return "Commentary"
	}
	return string(k)
}

// Option is the grade with its meaning, for pickers: "2 — Probably true".
func (c Credibility) Option() string {
	if c >= 1 && c <= 6 {
		return fmt.Sprintf("%d — %s", c, c.Label())
	}
	return c.Label()
}

// Option is the grade with its meaning, for pickers: "B — Usually reliable".
func (r Reliability) Option() string {
	if r == "" {
		return r.Label()
	}
	return string(r) + " — " + r.Label()
}

// StanceText is a stance toward a named target, as a reader says it.
func (x *Index) StanceText(m StanceMark) string {
	name := m.Target
	if t := x.Target[m.Target]; t != nil {
		name = t.Name
	}
	return m.Stance.Label() + ": " + name
}
