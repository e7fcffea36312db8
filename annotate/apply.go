package annotate

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// State is what Apply reads of a project as it was before a change.
// storage implements it over a bbolt transaction and MemStore over its
// in-memory project, so both accept, refuse and normalise a change by the
// same rules: this file is the only place those rules are written.
//
// Lookups return (record, found, error); an error means the record exists
// but could not be read, which refuses the change rather than treating
// the record as absent. Reverse lookups may return a superset of IDs:
// Apply re-checks each one against the change.
type State interface {
	Source(id string) (Source, bool, error) // metadata; Text empty
	Code(id string) (Code, bool, error)
	Target(id string) (Target, bool, error)
	Annotation(id string) (Annotation, bool, error)
	Link(id string) (Link, bool, error)
	Version(id string) (TextVersion, bool, error)
	Claim(id string) (Claim, bool, error)
	// Text is a source's current text. It may alias the store's memory,
	// so Apply only uses it while it runs.
	Text(sourceID string) (string, bool, error)
	// CheckSelector checks sel against a stored source's current text,
	// the way Text.Check does; a store may use an index to avoid walking
	// the whole text.
	CheckSelector(sourceID string, sel Selector) error

	CodeChildren(codeID string) ([]string, error)        // codes whose parent it is
	AnnotationsWithCode(codeID string) ([]string, error) // annotations that carry it
	AnnotationsToward(targetID string) ([]string, error) // annotations with a stance toward it
	AnnotationsOfSource(sourceID string) ([]string, error)
	LinksOfSource(sourceID string) ([]string, error)  // links with an end on it
	SourcesResting(sourceID string) ([]string, error) // sources listing it as an original
	VersionsOfSource(sourceID string) ([]string, error)
	ClaimsCiting(annotationID string) ([]string, error)
	ClaimsToward(targetID string) ([]string, error)
}

// Applied is the outcome of a change: Done is what was actually written
// (timestamps, content hashes, lengths and import times filled in, so a
// mirror of it equals the file), Undo the change that reverts it.
type Applied struct {
	Done Change
	Undo Change
}

// ErrNoRecord wraps "no such record" refusals, so callers can tell a
// missing record from an invalid one.
var ErrNoRecord = errors.New("not found")

// Apply validates change c against the project st and returns what to
// write and how to undo it. It writes nothing: storage encodes Done in the
// same transaction it read st from; MemStore mirrors it. now stamps new
// records. The change is all-or-nothing: any refusal returns an error
// naming the record and field.
func Apply(st State, c Change, now time.Time) (Applied, error) {
	now = now.UTC()
	a := &applier{st: st, now: now, done: Change{Label: c.Label}, undo: Change{Label: c.Label}}
	if err := a.stage(c); err != nil {
		return Applied{}, err
	}
	if err := a.validate(); err != nil {
		return Applied{}, err
	}
	return Applied{Done: a.done, Undo: a.undo}, nil
}

// applier holds a change staged over the state: puts override the state,
// dels hide it. Validation reads through this overlay, so a change may add
// a code and an annotation that uses it, or retag annotations and delete a
// code, in any order.
type applier struct {
	st         State
	now        time.Time
	done, undo Change

	sources  map[string]*Source // staged puts, by ID
	codes    map[string]*Code
	targets  map[string]*Target
	anns     map[string]*Annotation
	links    map[string]*Link
	versions map[string]*TextVersion
	claims   map[string]*Claim
	dead     map[string]bool   // deleted IDs (IDs are unique across kinds by prefix, but keyed by kind to be safe)
	texts    map[string]string // new text of a source created or replaced by the change
	indexed  map[string]*Text  // code-point indexes of texts, built on demand
}

func (a *applier) kill(kind, id string) { a.dead[kind+"\x00"+id] = true }
func (a *applier) gone(kind, id string) bool {
	return a.dead[kind+"\x00"+id]
}

// dedupe keeps the last put of each ID, in first-seen order, so a use case
// that touches a record twice does not write it twice.
func dedupe[T any](list []T, key func(T) string) []T {
	if len(list) < 2 {
		return list
	}
	pos := make(map[string]int, len(list))
	out := make([]T, 0, len(list))
	for _, v := range list {
		if i, ok := pos[key(v)]; ok {
			out[i] = v
			continue
		}
		pos[key(v)] = len(out)
		out = append(out, v)
	}
	return out
}

func uniq(ids []string) []string { return dedupe(ids, func(s string) string { return s }) }

func (a *applier) stage(c Change) error {
	a.sources, a.codes, a.targets = map[string]*Source{}, map[string]*Code{}, map[string]*Target{}
	a.anns, a.links, a.versions, a.claims = map[string]*Annotation{}, map[string]*Link{}, map[string]*TextVersion{}, map[string]*Claim{}
	a.dead, a.texts, a.indexed = map[string]bool{}, map[string]string{}, map[string]*Text{}
	st, now := a.st, a.now

	// Deletions first, so a put of the same ID can be refused by name.
	for _, id := range uniq(c.DelSources) {
		old, ok, err := st.Source(id)
		if err := need("source", id, ok, err); err != nil {
			return err
		}
		text, _, err := st.Text(id)
		if err != nil {
			return fmt.Errorf("source %s: %w", id, err)
		}
		old.Text = strings.Clone(text)
		a.kill("s", id)
		a.done.DelSources = append(a.done.DelSources, id)
		a.undo.PutSources = append(a.undo.PutSources, old)
	}
	for _, id := range uniq(c.DelCodes) {
		old, ok, err := st.Code(id)
		if err := need("code", id, ok, err); err != nil {
			return err
		}
		a.kill("c", id)
		a.done.DelCodes = append(a.done.DelCodes, id)
		a.undo.PutCodes = append(a.undo.PutCodes, old)
	}
	for _, id := range uniq(c.DelTargets) {
		old, ok, err := st.Target(id)
		if err := need("stance target", id, ok, err); err != nil {
			return err
		}
		a.kill("t", id)
		a.done.DelTargets = append(a.done.DelTargets, id)
		a.undo.PutTargets = append(a.undo.PutTargets, old)
	}
	for _, id := range uniq(c.DelAnnotations) {
		old, ok, err := st.Annotation(id)
		if err := need("annotation", id, ok, err); err != nil {
			return err
		}
		a.kill("a", id)
		a.done.DelAnnotations = append(a.done.DelAnnotations, id)
		a.undo.PutAnnotations = append(a.undo.PutAnnotations, old)
	}
	for _, id := range uniq(c.DelLinks) {
		old, ok, err := st.Link(id)
		if err := need("link", id, ok, err); err != nil {
			return err
		}
		a.kill("l", id)
		a.done.DelLinks = append(a.done.DelLinks, id)
		a.undo.PutLinks = append(a.undo.PutLinks, old)
	}
	for _, id := range uniq(c.DelVersions) {
		old, ok, err := st.Version(id)
		if err := need("text version", id, ok, err); err != nil {
			return err
		}
		a.kill("v", id)
		a.done.DelVersions = append(a.done.DelVersions, id)
		a.undo.PutVersions = append(a.undo.PutVersions, old)
	}
	for _, id := range uniq(c.DelClaims) {
		old, ok, err := st.Claim(id)
		if err := need("claim", id, ok, err); err != nil {
			return err
		}
		a.kill("m", id)
		a.done.DelClaims = append(a.done.DelClaims, id)
		a.undo.PutClaims = append(a.undo.PutClaims, old)
	}

	for _, s := range dedupe(c.PutSources, func(v Source) string { return v.ID }) {
		if a.gone("s", s.ID) {
			return fmt.Errorf("source %s: the change both deletes and saves it", s.ID)
		}
		old, exists, err := st.Source(s.ID)
		if err != nil {
			return fmt.Errorf("source %s: %w", s.ID, err)
		}
		if exists {
			a.undo.PutSources = append(a.undo.PutSources, old)
			// The text changes only through SetTexts, which keeps a version.
			s.Text, s.ContentHash, s.Length, s.ImportedAt = "", old.ContentHash, old.Length, old.ImportedAt
		} else {
			a.undo.DelSources = append(a.undo.DelSources, s.ID)
			if err := checkText(s.ID, s.Text); err != nil {
				return err
			}
			s.ContentHash = HashText(s.Text)
			s.Length = utf8.RuneCountInString(s.Text)
			if s.ImportedAt.IsZero() {
				s.ImportedAt = now
			}
			a.texts[s.ID] = s.Text
		}
		a.done.PutSources = append(a.done.PutSources, s)
	}
	for i := range a.done.PutSources {
		a.sources[a.done.PutSources[i].ID] = &a.done.PutSources[i]
	}
	for _, t := range dedupe(c.SetTexts, func(v SourceText) string { return v.SourceID }) {
		id := t.SourceID
		if a.gone("s", id) {
			return fmt.Errorf("source %s: the change both deletes it and replaces its text", id)
		}
		old, exists, err := st.Source(id)
		if err := need("source", id, exists, err); err != nil {
			return err
		}
		if err := checkText(id, t.Text); err != nil {
			return err
		}
		oldText, _, err := st.Text(id)
		if err != nil {
			return fmt.Errorf("source %s: %w", id, err)
		}
		a.done.SetTexts = append(a.done.SetTexts, t)
		a.undo.SetTexts = append(a.undo.SetTexts, SourceText{SourceID: id, Text: strings.Clone(oldText)})
		a.texts[id] = t.Text
		// The source's hash and length follow its text.
		s := a.sources[id]
		if s == nil {
			a.undo.PutSources = append(a.undo.PutSources, old)
			a.done.PutSources = append(a.done.PutSources, old)
			// Pointers into done.PutSources move when it grows: rebuild them.
			for i := range a.done.PutSources {
				a.sources[a.done.PutSources[i].ID] = &a.done.PutSources[i]
			}
			s = a.sources[id]
		}
		s.ContentHash = HashText(t.Text)
		s.Length = utf8.RuneCountInString(t.Text)
	}
	for _, cd := range dedupe(c.PutCodes, func(v Code) string { return v.ID }) {
		if a.gone("c", cd.ID) {
			return fmt.Errorf("code %s: the change both deletes and saves it", cd.ID)
		}
		old, exists, err := st.Code(cd.ID)
		if err != nil {
			return fmt.Errorf("code %s: %w", cd.ID, err)
		}
		if exists {
			a.undo.PutCodes = append(a.undo.PutCodes, old)
		} else {
			a.undo.DelCodes = append(a.undo.DelCodes, cd.ID)
		}
		a.done.PutCodes = append(a.done.PutCodes, cd)
	}
	for i := range a.done.PutCodes {
		a.codes[a.done.PutCodes[i].ID] = &a.done.PutCodes[i]
	}
	for _, t := range dedupe(c.PutTargets, func(v Target) string { return v.ID }) {
		if a.gone("t", t.ID) {
			return fmt.Errorf("stance target %s: the change both deletes and saves it", t.ID)
		}
		old, exists, err := st.Target(t.ID)
		if err != nil {
			return fmt.Errorf("stance target %s: %w", t.ID, err)
		}
		if exists {
			a.undo.PutTargets = append(a.undo.PutTargets, old)
		} else {
			a.undo.DelTargets = append(a.undo.DelTargets, t.ID)
		}
		a.done.PutTargets = append(a.done.PutTargets, t)
	}
	for i := range a.done.PutTargets {
		a.targets[a.done.PutTargets[i].ID] = &a.done.PutTargets[i]
	}
	for _, an := range dedupe(c.PutAnnotations, func(v Annotation) string { return v.ID }) {
		if a.gone("a", an.ID) {
			return fmt.Errorf("annotation %s: the change both deletes and saves it", an.ID)
		}
		old, exists, err := st.Annotation(an.ID)
		if err != nil {
			return fmt.Errorf("annotation %s: %w", an.ID, err)
		}
		if exists {
			if old.SourceID != an.SourceID {
				return fmt.Errorf("annotation %s: cannot move it to another source (from %s to %s)", an.ID, old.SourceID, an.SourceID)
			}
			a.undo.PutAnnotations = append(a.undo.PutAnnotations, old)
		} else {
			a.undo.DelAnnotations = append(a.undo.DelAnnotations, an.ID)
		}
		if an.Created.IsZero() {
			an.Created = now
		}
		if an.Modified.IsZero() {
			an.Modified = now
		}
		a.done.PutAnnotations = append(a.done.PutAnnotations, an)
	}
	for i := range a.done.PutAnnotations {
		a.anns[a.done.PutAnnotations[i].ID] = &a.done.PutAnnotations[i]
	}
	for _, k := range dedupe(c.PutLinks, func(v Link) string { return v.ID }) {
		if a.gone("l", k.ID) {
			return fmt.Errorf("link %s: the change both deletes and saves it", k.ID)
		}
		old, exists, err := st.Link(k.ID)
		if err != nil {
			return fmt.Errorf("link %s: %w", k.ID, err)
		}
		if exists {
			a.undo.PutLinks = append(a.undo.PutLinks, old)
		} else {
			a.undo.DelLinks = append(a.undo.DelLinks, k.ID)
		}
		if k.Created.IsZero() {
			k.Created = now
		}
		if k.Modified.IsZero() {
			k.Modified = now
		}
		a.done.PutLinks = append(a.done.PutLinks, k)
	}
	for i := range a.done.PutLinks {
		a.links[a.done.PutLinks[i].ID] = &a.done.PutLinks[i]
	}
	for _, v := range dedupe(c.PutVersions, func(v TextVersion) string { return v.ID }) {
		if a.gone("v", v.ID) {
			return fmt.Errorf("text version %s: the change both deletes and saves it", v.ID)
		}
		old, exists, err := st.Version(v.ID)
		if err != nil {
			return fmt.Errorf("text version %s: %w", v.ID, err)
		}
		if exists {
			a.undo.PutVersions = append(a.undo.PutVersions, old)
		} else {
			a.undo.DelVersions = append(a.undo.DelVersions, v.ID)
		}
		if err := checkText("text version "+v.ID, v.Text); err != nil {
			return err
		}
		v.ContentHash = HashText(v.Text)
		v.Length = utf8.RuneCountInString(v.Text)
		if v.Replaced.IsZero() {
			v.Replaced = now
		}
		a.done.PutVersions = append(a.done.PutVersions, v)
	}
	for i := range a.done.PutVersions {
		a.versions[a.done.PutVersions[i].ID] = &a.done.PutVersions[i]
	}
	for _, m := range dedupe(c.PutClaims, func(v Claim) string { return v.ID }) {
		if a.gone("m", m.ID) {
			return fmt.Errorf("claim %s: the change both deletes and saves it", m.ID)
		}
		old, exists, err := st.Claim(m.ID)
		if err != nil {
			return fmt.Errorf("claim %s: %w", m.ID, err)
		}
		if exists {
			a.undo.PutClaims = append(a.undo.PutClaims, old)
		} else {
			a.undo.DelClaims = append(a.undo.DelClaims, m.ID)
		}
		if m.Created.IsZero() {
			m.Created = now
		}
		if m.Modified.IsZero() {
			m.Modified = now
		}
		a.done.PutClaims = append(a.done.PutClaims, m)
	}
	for i := range a.done.PutClaims {
		a.claims[a.done.PutClaims[i].ID] = &a.done.PutClaims[i]
	}
	return nil
}

func need(kind, id string, ok bool, err error) error {
	if err != nil {
		return fmt.Errorf("%s %s: %w", kind, id, err)
	}
	if !ok {
		return fmt.Errorf("%s %s: %w", kind, id, ErrNoRecord)
	}
	return nil
}

func checkText(what, text string) error {
	if !strings.Contains(what, " ") {
		what = "source " + what
	}
	if text == "" {
		return fmt.Errorf("%s: text is empty", what)
	}
	if !utf8.ValidString(text) {
		return fmt.Errorf("%s: text is not valid UTF-8", what)
	}
	return nil
}

// The overlay: what the project holds once the change is made.

func (a *applier) source(id string) (Source, bool, error) {
	if s := a.sources[id]; s != nil {
		return *s, true, nil
	}
	if a.gone("s", id) {
		return Source{}, false, nil
	}
	return a.st.Source(id)
}

func (a *applier) code(id string) (Code, bool, error) {
	if c := a.codes[id]; c != nil {
		return *c, true, nil
	}
	if a.gone("c", id) {
		return Code{}, false, nil
	}
	return a.st.Code(id)
}

func (a *applier) target(id string) (Target, bool, error) {
	if t := a.targets[id]; t != nil {
		return *t, true, nil
	}
	if a.gone("t", id) {
		return Target{}, false, nil
	}
	return a.st.Target(id)
}

func (a *applier) annotation(id string) (Annotation, bool, error) {
	if an := a.anns[id]; an != nil {
		return *an, true, nil
	}
	if a.gone("a", id) {
		return Annotation{}, false, nil
	}
	return a.st.Annotation(id)
}

func (a *applier) link(id string) (Link, bool, error) {
	if k := a.links[id]; k != nil {
		return *k, true, nil
	}
	if a.gone("l", id) {
		return Link{}, false, nil
	}
	return a.st.Link(id)
}

func (a *applier) claim(id string) (Claim, bool, error) {
	if m := a.claims[id]; m != nil {
		return *m, true, nil
	}
	if a.gone("m", id) {
		return Claim{}, false, nil
	}
	return a.st.Claim(id)
}

func (a *applier) version(id string) (TextVersion, bool, error) {
	if v := a.versions[id]; v != nil {
		return *v, true, nil
	}
	if a.gone("v", id) {
		return TextVersion{}, false, nil
	}
	return a.st.Version(id)
}

// exists adapts the overlay to Lookup for ValidateAnnotationRefs; a record
// that cannot be read counts as missing here, and lookupErr keeps the error
// so the refusal can say why.
type overlayLookup struct {
	a   *applier
	err error
}

func (l *overlayLookup) keep(ok bool, err error) bool {
	if err != nil && l.err == nil {
		l.err = err
	}
	return ok
}
func (l *overlayLookup) HasCode(id string) bool {
	_, ok, err := l.a.code(id)
	return l.keep(ok, err)
}
func (l *overlayLookup) HasTarget(id string) bool {
	_, ok, err := l.a.target(id)
	return l.keep(ok, err)
}
func (l *overlayLookup) HasSource(id string) bool {
	_, ok, err := l.a.source(id)
	return l.keep(ok, err)
}

// checkSel checks a selector against the text the source will have.
func (a *applier) checkSel(sourceID string, sel Selector) error {
	if t, ok := a.texts[sourceID]; ok {
		x := a.indexed[sourceID]
		if x == nil {
			x = NewText(t)
			a.indexed[sourceID] = x
		}
		return x.Check(sel)
	}
	return a.st.CheckSelector(sourceID, sel)
}

func (a *applier) validate() error {
	lookup := &overlayLookup{a: a}
	for _, s := range a.done.PutSources {
		if err := ValidateSource(s); err != nil {
			return fmt.Errorf("source %s: %w", s.ID, err)
		}
		for _, o := range s.Originals {
			if !lookup.HasSource(o) {
				return withErr(fmt.Errorf("source %s: originals: no source with id %q", s.ID, o), lookup.err)
			}
		}
	}
	parentOf := func(id string) (string, bool) {
		c, ok, err := a.code(id)
		return c.Parent, lookup.keep(ok, err)
	}
	for _, cd := range a.done.PutCodes {
		if err := ValidateCode(cd, parentOf); err != nil {
			return withErr(fmt.Errorf("code %s: %w", cd.ID, err), lookup.err)
		}
	}
	for _, t := range a.done.PutTargets {
		if err := ValidateTarget(t); err != nil {
			return fmt.Errorf("stance target %s: %w", t.ID, err)
		}
	}
	for _, an := range a.done.PutAnnotations {
		if err := a.validateAnnotation(an, lookup); err != nil {
			return err
		}
	}
	for _, k := range a.done.PutLinks {
		if err := a.validateLink(k); err != nil {
			return err
		}
	}
	for _, v := range a.done.PutVersions {
		if v.ID == "" {
			return fmt.Errorf("text version: id is empty")
		}
		if !lookup.HasSource(v.SourceID) {
			return withErr(fmt.Errorf("text version %s: no source with id %q", v.ID, v.SourceID), lookup.err)
		}
	}
	for _, m := range a.done.PutClaims {
		if err := a.validateClaim(m, lookup); err != nil {
			return err
		}
	}
	// A new text must still carry every passage that rests on it.
	for _, t := range a.done.SetTexts {
		if err := a.checkResting(t.SourceID); err != nil {
			return err
		}
	}
	return a.checkDeletes()
}

func withErr(err, cause error) error {
	if cause != nil {
		return fmt.Errorf("%w (%v)", err, cause)
	}
	return err
}

func (a *applier) validateAnnotation(an Annotation, lookup *overlayLookup) error {
	if err := ValidateAnnotationRefs(an, lookup); err != nil {
		return withErr(fmt.Errorf("annotation %s: %w", an.ID, err), lookup.err)
	}
	if !an.Anchor.Valid() {
		return fmt.Errorf("annotation %s: anchor: %q is not one of exact, shifted, fuzzy, orphan", an.ID, an.Anchor)
	}
	if an.Anchor == AnchorOrphan {
		// An orphan keeps its old quote; it need not match the text.
		if an.Selector.Exact == "" {
			return fmt.Errorf("annotation %s: selector: an orphan keeps its quote, which is empty", an.ID)
		}
		return nil
	}
	if err := a.checkSel(an.SourceID, an.Selector); err != nil {
		return fmt.Errorf("annotation %s: selector: %w", an.ID, err)
	}
	return nil
}

func (a *applier) validateLink(k Link) error {
	if k.ID == "" {
		return fieldErr("link id", "is empty")
	}
	if err := ValidateLinkEnds(k, func(end Anchor) error {
		_, ok, err := a.source(end.SourceID)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("no source with id %q", end.SourceID)
		}
		if !end.State.Valid() {
			return fmt.Errorf("anchor %q is not one of exact, shifted, fuzzy, orphan", end.State)
		}
		if end.State == AnchorOrphan {
			return nil
		}
		return a.checkSel(end.SourceID, end.Selector)
	}); err != nil {
		return fmt.Errorf("link %s: %w", k.ID, err)
	}
	return nil
}

func (a *applier) validateClaim(m Claim, lookup *overlayLookup) error {
	if m.ID == "" {
		return fieldErr("claim id", "is empty")
	}
	if strings.TrimSpace(m.Text) == "" {
		return fmt.Errorf("claim %s: text: is empty", m.ID)
	}
	if m.Target != "" && !lookup.HasTarget(m.Target) {
		return withErr(fmt.Errorf("claim %s: target: no stance target with id %q", m.ID, m.Target), lookup.err)
	}
	if err := ValidateDate(m.Time); err != nil {
		return fmt.Errorf("claim %s: time: %v", m.ID, err)
	}
	if !m.Grade.Valid() || !m.SuggestedGrade.Valid() {
		return fmt.Errorf("claim %s: grade: not an information-credibility grade 1–6", m.ID)
	}
	seen := map[string]bool{}
	for _, e := range m.Evidence {
		switch e.Relation {
		case Supports, Contradicts, Mentions:
		default:
			return fmt.Errorf("claim %s: evidence: %q is not one of supports, contradicts, mentions", m.ID, e.Relation)
		}
		if seen[e.AnnotationID] {
			return fmt.Errorf("claim %s: evidence: annotation %s is attached twice", m.ID, e.AnnotationID)
		}
		seen[e.AnnotationID] = true
		if _, ok, err := a.annotation(e.AnnotationID); err != nil || !ok {
			return withErr(fmt.Errorf("claim %s: evidence: no annotation with id %q", m.ID, e.AnnotationID), err)
		}
	}
	for _, s := range m.Independent {
		if !lookup.HasSource(s) {
			return withErr(fmt.Errorf("claim %s: independent: no source with id %q", m.ID, s), lookup.err)
		}
	}
	return nil
}

// resting lists the IDs of records of one kind that will rest on something:
// those the state lists, plus those the change puts, minus those it
// deletes; still reports whether one of them still does (after the change).
func (a *applier) resting(fromState []string, err error, kind string, staged []string) ([]string, error) {
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range append(fromState, staged...) {
		if seen[id] || a.gone(kind, id) {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	sort.Strings(out)
	return out, nil
}

func (a *applier) checkResting(sourceID string) error {
	var staged []string
	for _, an := range a.done.PutAnnotations {
		if an.SourceID == sourceID {
			staged = append(staged, an.ID)
		}
	}
	ids, err := a.st.AnnotationsOfSource(sourceID)
	ids, err = a.resting(ids, err, "a", staged)
	if err != nil {
		return fmt.Errorf("source %s: %w", sourceID, err)
	}
	for _, id := range ids {
		an, ok, err := a.annotation(id)
		if err != nil || !ok || an.SourceID != sourceID {
			continue
		}
		if an.Anchor == AnchorOrphan {
			continue
		}
		if err := a.checkSel(sourceID, an.Selector); err != nil {
			return fmt.Errorf("source %s: the new text no longer holds annotation %s (re-anchor it or mark it an orphan): %w", sourceID, id, err)
		}
	}
	staged = staged[:0]
	for _, k := range a.done.PutLinks {
		staged = append(staged, k.ID)
	}
	ids, err = a.st.LinksOfSource(sourceID)
	ids, err = a.resting(ids, err, "l", staged)
	if err != nil {
		return fmt.Errorf("source %s: %w", sourceID, err)
	}
	for _, id := range ids {
		k, ok, err := a.link(id)
		if err != nil || !ok {
			continue
		}
		for _, end := range append([]Anchor{k.From}, k.To...) {
			if end.SourceID != sourceID || end.State == AnchorOrphan {
				continue
			}
			if err := a.checkSel(sourceID, end.Selector); err != nil {
				return fmt.Errorf("source %s: the new text no longer holds link %s (re-anchor it or mark it an orphan): %w", sourceID, id, err)
			}
		}
	}
	return nil
}

// checkDeletes refuses a deletion while anything the change leaves in
// place still refers to the deleted record. Use cases (DeleteSource,
// DeleteCode, …) build the cascade into the change; this is the guard.
func (a *applier) checkDeletes() error {
	for _, id := range a.done.DelCodes {
		name := a.codeName(id)
		var staged []string
		for _, cd := range a.done.PutCodes {
			staged = append(staged, cd.ID)
		}
		ids, err := a.st.CodeChildren(id)
		ids, err = a.resting(ids, err, "c", staged)
		if err != nil {
			return fmt.Errorf("code %q: %w", name, err)
		}
		for _, cid := range ids {
			if cd, ok, _ := a.code(cid); ok && cd.Parent == id {
				return fmt.Errorf("code %q: cannot delete it while code %q is nested inside it", name, cd.Name)
			}
		}
		staged = staged[:0]
		for _, an := range a.done.PutAnnotations {
			staged = append(staged, an.ID)
		}
		ids, err = a.st.AnnotationsWithCode(id)
		ids, err = a.resting(ids, err, "a", staged)
		if err != nil {
			return fmt.Errorf("code %q: %w", name, err)
		}
		var users []Annotation
		for _, aid := range ids {
			if an, ok, _ := a.annotation(aid); ok && an.HasCode(id) {
				users = append(users, an)
			}
		}
		if len(users) > 0 {
			return fmt.Errorf("code %q: cannot delete it while %s still use it", name, a.describe(users))
		}
	}
	for _, id := range a.done.DelTargets {
		name := id
		if t, ok, _ := a.st.Target(id); ok {
			name = t.Name
		}
		var staged []string
		for _, an := range a.done.PutAnnotations {
			staged = append(staged, an.ID)
		}
		ids, err := a.st.AnnotationsToward(id)
		ids, err = a.resting(ids, err, "a", staged)
		if err != nil {
			return fmt.Errorf("stance target %q: %w", name, err)
		}
		var users []Annotation
		for _, aid := range ids {
			if an, ok, _ := a.annotation(aid); ok {
				if _, has := an.StanceToward(id); has {
					users = append(users, an)
				}
			}
		}
		if len(users) > 0 {
			return fmt.Errorf("stance target %q: cannot delete it while %s still take a stance toward it", name, a.describe(users))
		}
		staged = staged[:0]
		for _, m := range a.done.PutClaims {
			staged = append(staged, m.ID)
		}
		ids, err = a.st.ClaimsToward(id)
		ids, err = a.resting(ids, err, "m", staged)
		if err != nil {
			return fmt.Errorf("stance target %q: %w", name, err)
		}
		for _, mid := range ids {
			if m, ok, _ := a.claim(mid); ok && m.Target == id {
				return fmt.Errorf("stance target %q: cannot delete it while claim %q is about it", name, clip(m.Text))
			}
		}
	}
	for _, id := range a.done.DelAnnotations {
		var staged []string
		for _, m := range a.done.PutClaims {
			staged = append(staged, m.ID)
		}
		ids, err := a.st.ClaimsCiting(id)
		ids, err = a.resting(ids, err, "m", staged)
		if err != nil {
			return fmt.Errorf("annotation %s: %w", id, err)
		}
		for _, mid := range ids {
			if m, ok, _ := a.claim(mid); ok {
				for _, e := range m.Evidence {
					if e.AnnotationID == id {
						return fmt.Errorf("annotation %s: cannot delete it while claim %q cites it", id, clip(m.Text))
					}
				}
			}
		}
	}
	for _, id := range a.done.DelSources {
		title := id
		for _, s := range a.undo.PutSources {
			if s.ID == id {
				title = s.DisplayTitle()
			}
		}
		var staged []string
		for _, an := range a.done.PutAnnotations {
			staged = append(staged, an.ID)
		}
		ids, err := a.st.AnnotationsOfSource(id)
		ids, err = a.resting(ids, err, "a", staged)
		if err != nil {
			return fmt.Errorf("source %q: %w", title, err)
		}
		n := 0
		for _, aid := range ids {
			if an, ok, _ := a.annotation(aid); ok && an.SourceID == id {
				n++
			}
		}
		if n > 0 {
			return fmt.Errorf("source %q: cannot delete it while it has %d annotation(s)", title, n)
		}
		staged = staged[:0]
		for _, k := range a.done.PutLinks {
			staged = append(staged, k.ID)
		}
		ids, err = a.st.LinksOfSource(id)
		ids, err = a.resting(ids, err, "l", staged)
		if err != nil {
			return fmt.Errorf("source %q: %w", title, err)
		}
		for _, lid := range ids {
			if k, ok, _ := a.link(lid); ok && linkTouches(k, id) {
				return fmt.Errorf("source %q: cannot delete it while link %s uses it", title, lid)
			}
		}
		staged = staged[:0]
		for _, s := range a.done.PutSources {
			staged = append(staged, s.ID)
		}
		ids, err = a.st.SourcesResting(id)
		ids, err = a.resting(ids, err, "s", staged)
		if err != nil {
			return fmt.Errorf("source %q: %w", title, err)
		}
		for _, sid := range ids {
			if s, ok, _ := a.source(sid); ok {
				for _, o := range s.Originals {
					if o == id {
						return fmt.Errorf("source %q: cannot delete it while %q rests on it", title, s.DisplayTitle())
					}
				}
			}
		}
		staged = staged[:0]
		for _, v := range a.done.PutVersions {
			staged = append(staged, v.ID)
		}
		ids, err = a.st.VersionsOfSource(id)
		ids, err = a.resting(ids, err, "v", staged)
		if err != nil {
			return fmt.Errorf("source %q: %w", title, err)
		}
		for _, vid := range ids {
			if v, ok, _ := a.version(vid); ok && v.SourceID == id {
				return fmt.Errorf("source %q: cannot delete it while its earlier text version %s is kept", title, vid)
			}
		}
	}
	return nil
}

func linkTouches(k Link, sourceID string) bool {
	if k.From.SourceID == sourceID {
		return true
	}
	for _, t := range k.To {
		if t.SourceID == sourceID {
			return true
		}
	}
	return false
}

func (a *applier) codeName(id string) string {
	if c, ok, _ := a.st.Code(id); ok {
		return c.Name
	}
	return id
}

// describe names annotations for a refusal: how many, and the first by its
// quote and source title, so the analyst can find it.
func (a *applier) describe(anns []Annotation) string {
	first := anns[0]
	title := first.SourceID
	if s, ok, _ := a.source(first.SourceID); ok {
		title = s.DisplayTitle()
	}
	where := fmt.Sprintf("%q in %q", clip(first.Selector.Exact), title)
	if len(anns) == 1 {
		return "1 annotation (" + where + ")"
	}
	return fmt.Sprintf("%d annotations (%s and %d more)", len(anns), where, len(anns)-1)
}
