package annotate

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// FieldError is a validation failure that names what was wrong.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

var (
	colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	langRe  = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)
)

// ValidateDate accepts YYYY, YYYY-MM or YYYY-MM-DD, or empty.
func ValidateDate(s string) error {
	if s == "" {
		return nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return nil
			}
		}
	}
	return fmt.Errorf("%q is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", s)
}

// ValidateSource checks a source's metadata (not its text).
func ValidateSource(s Source) error {
	if strings.TrimSpace(s.ID) == "" {
		return fieldErr("source id", "is empty")
	}
	if s.Language != "" && !langRe.MatchString(string(s.Language)) {
		return fieldErr("language", "%q is not a BCP 47 tag such as en, zh-Hans or zh-Hant", s.Language)
	}
	if !validKind(s.Kind) {
		return fieldErr("kind", "%q is not one of original, translation, summary, commentary", s.Kind)
	}
	if !s.Reliability.Valid() {
		return fieldErr("reliability", "%q is not an Admiralty grade A–F", s.Reliability)
	}
	if err := ValidateDate(s.Published); err != nil {
		return fieldErr("published", "%v", err)
	}
	if s.URL != "" {
		u, err := url.Parse(s.URL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fieldErr("url", "%q is not an absolute URL", s.URL)
		}
	}
	for _, o := range s.Originals {
		if o == s.ID {
			return fieldErr("originals", "a source cannot rest on itself")
		}
	}
	return validateFigureMarks(s)
}

// validateFigureMarks: each mark names a figure of this source once, well
// formed, and says something; a number that is not a figure is neither
// grouped nor preferred.
func validateFigureMarks(s Source) error {
	seen := make(map[string]bool, len(s.FigureMarks))
	for _, m := range s.FigureMarks {
		// Not checked against the text's length: a mark left behind by
		// an edit of the text matches no figure, and must not block
		// the next edit of the source's details.
		src, _, _, ok := ParseFigureID(m.Figure)
		switch {
		case !ok:
			return fieldErr("figure marks", "%q is not a figure ID (source:start-end)", m.Figure)
		case src != s.ID:
			return fieldErr("figure marks", "figure %s is not in source %s", m.Figure, s.ID)
		case seen[m.Figure]:
			return fieldErr("figure marks", "figure %s is marked twice", m.Figure)
		case !m.Split && !m.Preferred && !m.Ignore && strings.TrimSpace(m.Group) == "":
			return fieldErr("figure marks", "the mark of figure %s says nothing", m.Figure)
		case m.Ignore && (m.Split || m.Preferred || m.Group != ""):
			return fieldErr("figure marks", "figure %s is marked as not a figure and also grouped, split or preferred", m.Figure)
		case m.Group != "" && strings.TrimSpace(m.Group) != m.Group:
			return fieldErr("figure marks", "group name %q of figure %s has leading or trailing spaces", m.Group, m.Figure)
		}
		seen[m.Figure] = true
	}
	return nil
}

// ParseFigureID splits a figure ID, SourceID:start-end, into its source
// and its code-point span; ok is false unless 0 ≤ start < end.
func ParseFigureID(id string) (source string, start, end int, ok bool) {
	i := strings.LastIndexByte(id, ':')
	if i <= 0 {
		return "", 0, 0, false
	}
	a, b, found := strings.Cut(id[i+1:], "-")
	if !found {
		return "", 0, 0, false
	}
	start, err1 := strconv.Atoi(a)
	end, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || start < 0 || end <= start || a[0] == '+' || b[0] == '+' {
		return "", 0, 0, false
	}
	return id[:i], start, end, true
}

func validKind(k Kind) bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// Lookup answers whether referenced IDs exist; storage backs it with a
// transaction, the in-memory Project with maps.
type Lookup interface {
	HasCode(id string) bool
	HasTarget(id string) bool
	HasSource(id string) bool
}

// ValidateAnnotation checks an annotation against its source text and the codebook.
func ValidateAnnotation(a Annotation, text *Text, l Lookup) error {
	if err := ValidateAnnotationRefs(a, l); err != nil {
		return err
	}
	if a.Anchor == AnchorOrphan {
		return nil // an orphan keeps its old quote; the text no longer has it
	}
	if err := text.Check(a.Selector); err != nil {
		return fieldErr("selector", "%v", err)
	}
	return nil
}

// ValidateAnnotationRefs checks everything but the selector: IDs, codes,
// stances and credibility. Storage checks the selector with CheckIn.
func ValidateAnnotationRefs(a Annotation, l Lookup) error {
	if a.ID == "" {
		return fieldErr("annotation id", "is empty")
	}
	if !l.HasSource(a.SourceID) {
		return fieldErr("source", "no source with id %q", a.SourceID)
	}
	seen := map[string]bool{}
	for _, c := range a.Codes {
		if !l.HasCode(c) {
			return fieldErr("codes", "no code with id %q", c)
		}
		if seen[c] {
			return fieldErr("codes", "code %q is listed twice", c)
		}
		seen[c] = true
	}
	targets := map[string]bool{}
	for _, m := range a.Stances {
		if !l.HasTarget(m.Target) {
			return fieldErr("stance", "no stance target with id %q", m.Target)
		}
		if _, err := ParseStance(string(m.Stance)); err != nil {
			return fieldErr("stance", "%v", err)
		}
		if targets[m.Target] {
			return fieldErr("stance", "two stances toward the same target %q", m.Target)
		}
		targets[m.Target] = true
	}
	if !a.Credibility.Valid() {
		return fieldErr("credibility", "%d is not an information-credibility grade 1–6", a.Credibility)
	}
	return nil
}

// ValidateCode checks a code against the rest of the codebook. parentOf
// returns a code's parent ID and whether the code exists.
func ValidateCode(c Code, parentOf func(id string) (string, bool)) error {
	if c.ID == "" {
		return fieldErr("code id", "is empty")
	}
	if strings.TrimSpace(c.Name) == "" {
		return fieldErr("code name", "is empty")
	}
	if !colorRe.MatchString(c.Color) {
		return fieldErr("colour", "%q is not a #RRGGBB colour", c.Color)
	}
	// Walk up from the new parent: meeting c itself would make a cycle.
	for p, steps := c.Parent, 0; p != ""; steps++ {
		if p == c.ID {
			return fieldErr("parent", "code %q cannot be nested inside itself", c.Name)
		}
		next, ok := parentOf(p)
		if !ok {
			return fieldErr("parent", "no code with id %q", p)
		}
		if steps > 10000 {
			return fieldErr("parent", "the code hierarchy has a cycle")
		}
		p = next
	}
	return nil
}

// ValidateTarget checks a stance target.
func ValidateTarget(t Target) error {
	if t.ID == "" {
		return fieldErr("target id", "is empty")
	}
	if strings.TrimSpace(t.Name) == "" {
		return fieldErr("target name", "is empty")
	}
	return nil
}

// ValidateLink checks a link; textOf returns a source's text or nil when
// there is no such source.
func ValidateLink(k Link, textOf func(id string) *Text) error {
	if k.ID == "" {
		return fieldErr("link id", "is empty")
	}
	return ValidateLinkEnds(k, func(a Anchor) error {
		t := textOf(a.SourceID)
		if t == nil {
			return fmt.Errorf("no source with id %q", a.SourceID)
		}
		if a.State == AnchorOrphan {
			return nil
		}
		return t.Check(a.Selector)
	})
}

// ValidateLinkEnds checks a link's status and shape, and each end with
// checkEnd (which says whether the source exists and the selector matches).
func ValidateLinkEnds(k Link, checkEnd func(Anchor) error) error {
	switch k.Status {
	case Suggested, Confirmed, Rejected:
	default:
		return fieldErr("status", "%q is not one of suggested, confirmed, rejected", k.Status)
	}
	if len(k.To) == 0 {
		return fieldErr("to", "a link needs at least one target passage")
	}
	for i, a := range append([]Anchor{k.From}, k.To...) {
		field := "from"
		if i > 0 {
			field = fmt.Sprintf("to[%d]", i-1)
		}
		if err := checkEnd(a); err != nil {
			return fieldErr(field, "%v", err)
		}
		if i > 0 && a.SourceID == k.From.SourceID {
			return fieldErr(field, "a link must join two different sources")
		}
	}
	return nil
}
