package annotate

import (
	"errors"
	"fmt"
	"slices"
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

// delAll stages deletions of one kind: each must exist; its old record
// goes to the undo.
func delAll[T any](a *applier, kind, what string, ids []string, get func(string) (T, bool, error), done *[]string, undo *[]T) error {
	for _, id := range uniq(ids) {
		old, ok, err := get(id)
		if err := need(what, id, ok, err); err != nil {
			return err
		}
		a.kill(kind, id)
		*done = append(*done, id)
		*undo = append(*undo, old)
	}
	return nil
}

// putAll stages puts of one kind: the old record (or, for a new one, its
// deletion) goes to the undo, and fill normalises the record (timestamps,
// hashes) knowing whether it is new. It returns the staged records by ID.
func putAll[T any](a *applier, kind, what string, list []T, key func(T) string, get func(string) (T, bool, error),
	fill func(v *T, old T, exists bool) error, done *[]T, undoPut *[]T, undoDel *[]string) (map[string]*T, error) {
	for _, v := range dedupe(list, key) {
		id := key(v)
		if a.gone(kind, id) {
			return nil, fmt.Errorf("%s %s: the change both deletes and saves it", what, id)
		}
		old, exists, err := get(id)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", what, id, err)
		}
		if exists {
			*undoPut = AppendLarge(*undoPut, old)
		} else {
			*undoDel = AppendLarge(*undoDel, id)
		}
		if fill != nil {
			if err := fill(&v, old, exists); err != nil {
				return nil, err
			}
		}
		*done = AppendLarge(*done, v)
	}
	staged := make(map[string]*T, len(*done))
	for i := range *done {
		staged[key((*done)[i])] = &(*done)[i]
	}
	return staged, nil
}

func (a *applier) stamp(created, modified *time.Time) {
	if created.IsZero() {
		*created = a.now
	}
	if modified.IsZero() {
		*modified = a.now
	}
}

func (a *applier) stage(c Change) error {
	a.dead, a.texts, a.indexed = map[string]bool{}, map[string]string{}, map[string]*Text{}
	st, d, u := a.st, &a.done, &a.undo

	// Deletions first, so a put of the same ID can be refused by name.
	sourceWithText := func(id string) (Source, bool, error) {
		s, ok, err := st.Source(id)
		if ok && err == nil {
			var text string
			text, _, err = st.Text(id)
			s.Text = strings.Clone(text) // the undo re-creates it
		}
		return s, ok, err
	}
	if err := errors.Join(
		delAll(a, "s", "source", c.DelSources, sourceWithText, &d.DelSources, &u.PutSources),
		delAll(a, "c", "code", c.DelCodes, st.Code, &d.DelCodes, &u.PutCodes),
		delAll(a, "t", "stance target", c.DelTargets, st.Target, &d.DelTargets, &u.PutTargets),
		delAll(a, "a", "annotation", c.DelAnnotations, st.Annotation, &d.DelAnnotations, &u.PutAnnotations),
		delAll(a, "l", "link", c.DelLinks, st.Link, &d.DelLinks, &u.PutLinks),
		delAll(a, "v", "text version", c.DelVersions, st.Version, &d.DelVersions, &u.PutVersions),
		delAll(a, "m", "claim", c.DelClaims, st.Claim, &d.DelClaims, &u.PutClaims),
	); err != nil {
		return firstOf(err)
	}

	var err error
	a.sources, err = putAll(a, "s", "source", c.PutSources, func(v Source) string { return v.ID }, st.Source,
		func(s *Source, old Source, exists bool) error {
			if exists {
				// The text changes only through SetTexts, which keeps a version.
				s.Text, s.ContentHash, s.Length, s.ImportedAt = "", old.ContentHash, old.Length, old.ImportedAt
				return nil
			}
			if err := checkText("source "+s.ID, s.Text); err != nil {
				return err
			}
			s.ContentHash, s.Length = HashText(s.Text), utf8.RuneCountInString(s.Text)
			if s.ImportedAt.IsZero() {
				s.ImportedAt = a.now
			}
			a.texts[s.ID] = s.Text
			return nil
		}, &d.PutSources, &u.PutSources, &u.DelSources)
	if err != nil {
		return err
	}
	for _, t := range dedupe(c.SetTexts, func(v SourceText) string { return v.SourceID }) {
		if err := a.setText(t); err != nil {
			return err
		}
	}
	if a.codes, err = putAll(a, "c", "code", c.PutCodes, func(v Code) string { return v.ID }, st.Code, nil,
		&d.PutCodes, &u.PutCodes, &u.DelCodes); err != nil {
		return err
	}
	if a.targets, err = putAll(a, "t", "stance target", c.PutTargets, func(v Target) string { return v.ID }, st.Target, nil,
		&d.PutTargets, &u.PutTargets, &u.DelTargets); err != nil {
		return err
	}
	if a.anns, err = putAll(a, "a", "annotation", c.PutAnnotations, func(v Annotation) string { return v.ID }, st.Annotation,
		func(an *Annotation, old Annotation, exists bool) error {
			if exists && old.SourceID != an.SourceID {
				return fmt.Errorf("annotation %s: cannot move it to another source (from %s to %s)", an.ID, old.SourceID, an.SourceID)
			}
			a.stamp(&an.Created, &an.Modified)
			return nil
		}, &d.PutAnnotations, &u.PutAnnotations, &u.DelAnnotations); err != nil {
		return err
	}
	if a.links, err = putAll(a, "l", "link", c.PutLinks, func(v Link) string { return v.ID }, st.Link,
		func(k *Link, _ Link, _ bool) error { a.stamp(&k.Created, &k.Modified); return nil },
		&d.PutLinks, &u.PutLinks, &u.DelLinks); err != nil {
		return err
	}
	if a.versions, err = putAll(a, "v", "text version", c.PutVersions, func(v TextVersion) string { return v.ID }, st.Version,
		func(v *TextVersion, _ TextVersion, _ bool) error {
			if err := checkText("text version "+v.ID, v.Text); err != nil {
				return err
			}
			v.ContentHash, v.Length = HashText(v.Text), utf8.RuneCountInString(v.Text)
			if v.Replaced.IsZero() {
				v.Replaced = a.now
			}
			return nil
		}, &d.PutVersions, &u.PutVersions, &u.DelVersions); err != nil {
		return err
	}
	a.claims, err = putAll(a, "m", "claim", c.PutClaims, func(v Claim) string { return v.ID }, st.Claim,
		func(m *Claim, _ Claim, _ bool) error { a.stamp(&m.Created, &m.Modified); return nil },
		&d.PutClaims, &u.PutClaims, &u.DelClaims)
	return err
}

// firstOf unwraps errors.Join to its first error: a refusal names one thing.
func firstOf(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
		return j.Unwrap()[0]
	}
	return err
}

// setText stages a new text for an existing source; the source's hash and
// length follow it, and the undo puts the old text back.
func (a *applier) setText(t SourceText) error {
	id := t.SourceID
	if a.gone("s", id) {
		return fmt.Errorf("source %s: the change both deletes it and replaces its text", id)
	}
	old, exists, err := a.st.Source(id)
	if err := need("source", id, exists, err); err != nil {
		return err
	}
	if err := checkText("source "+id, t.Text); err != nil {
		return err
	}
	oldText, _, err := a.st.Text(id)
	if err != nil {
		return fmt.Errorf("source %s: %w", id, err)
	}
	a.done.SetTexts = append(a.done.SetTexts, t)
	a.undo.SetTexts = append(a.undo.SetTexts, SourceText{SourceID: id, Text: strings.Clone(oldText)})
	a.texts[id] = t.Text
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

// checkText refuses an empty or invalid text; what names its owner.
func checkText(what, text string) error {
	if text == "" {
		return fmt.Errorf("%s: text is empty", what)
	}
	if !utf8.ValidString(text) {
		return fmt.Errorf("%s: text is not valid UTF-8", what)
	}
	return nil
}

// The overlay: what the project holds once the change is made.

// over reads one record through the overlay: staged puts first, then
// staged deletions, then the state.
func over[T any](a *applier, staged map[string]*T, kind, id string, get func(string) (T, bool, error)) (T, bool, error) {
	if v := staged[id]; v != nil {
		return *v, true, nil
	}
	if a.gone(kind, id) {
		var zero T
		return zero, false, nil
	}
	return get(id)
}

func (a *applier) source(id string) (Source, bool, error) {
	return over(a, a.sources, "s", id, a.st.Source)
}
func (a *applier) code(id string) (Code, bool, error) { return over(a, a.codes, "c", id, a.st.Code) }
func (a *applier) target(id string) (Target, bool, error) {
	return over(a, a.targets, "t", id, a.st.Target)
}
func (a *applier) link(id string) (Link, bool, error) { return over(a, a.links, "l", id, a.st.Link) }
func (a *applier) claim(id string) (Claim, bool, error) {
	return over(a, a.claims, "m", id, a.st.Claim)
}
func (a *applier) annotation(id string) (Annotation, bool, error) {
	return over(a, a.anns, "a", id, a.st.Annotation)
}
func (a *applier) version(id string) (TextVersion, bool, error) {
	return over(a, a.versions, "v", id, a.st.Version)
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

// still lists the records of one kind that refer to id once the change
// is made: candidates are what the state's reverse lookup names plus what
// the change puts, and each is re-read through the overlay and kept if
// uses says it still refers to id.
func still[T any](a *applier, kind, id string, lookup func(string) ([]string, error), puts []T, key func(T) string,
	get func(string) (T, bool, error), uses func(T) bool) ([]T, error) {
	ids, err := lookup(id)
	if err != nil {
		return nil, err
	}
	for _, v := range puts {
		ids = append(ids, key(v))
	}
	sort.Strings(ids)
	var out []T
	for i, rid := range ids {
		if (i > 0 && ids[i-1] == rid) || a.gone(kind, rid) {
			continue
		}
		if v, ok, err := get(rid); err == nil && ok && uses(v) {
			out = append(out, v)
		}
	}
	return out, nil
}

func annKey(v Annotation) string { return v.ID }
func linkKey(v Link) string      { return v.ID }
func claimKey(v Claim) string    { return v.ID }

// checkResting refuses a new text that no longer holds an annotation or
// link end resting on it (unless it is marked an orphan).
func (a *applier) checkResting(sourceID string) error {
	anns, err := still(a, "a", sourceID, a.st.AnnotationsOfSource, a.done.PutAnnotations, annKey, a.annotation,
		func(an Annotation) bool { return an.SourceID == sourceID && an.Anchor != AnchorOrphan })
	if err != nil {
		return fmt.Errorf("source %s: %w", sourceID, err)
	}
	for _, an := range anns {
		if err := a.checkSel(sourceID, an.Selector); err != nil {
			return fmt.Errorf("source %s: the new text no longer holds annotation %s (re-anchor it or mark it an orphan): %w", sourceID, an.ID, err)
		}
	}
	links, err := still(a, "l", sourceID, a.st.LinksOfSource, a.done.PutLinks, linkKey, a.link,
		func(k Link) bool { return linkTouches(k, sourceID) })
	if err != nil {
		return fmt.Errorf("source %s: %w", sourceID, err)
	}
	for _, k := range links {
		for _, end := range append([]Anchor{k.From}, k.To...) {
			if end.SourceID != sourceID || end.State == AnchorOrphan {
				continue
			}
			if err := a.checkSel(sourceID, end.Selector); err != nil {
				return fmt.Errorf("source %s: the new text no longer holds link %s (re-anchor it or mark it an orphan): %w", sourceID, k.ID, err)
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
		kids, err := still(a, "c", id, a.st.CodeChildren, a.done.PutCodes, func(v Code) string { return v.ID }, a.code,
			func(c Code) bool { return c.Parent == id })
		if err == nil && len(kids) > 0 {
			err = fmt.Errorf("cannot delete it while code %q is nested inside it", kids[0].Name)
		}
		if err == nil {
			err = a.refused(still(a, "a", id, a.st.AnnotationsWithCode, a.done.PutAnnotations, annKey, a.annotation,
				func(an Annotation) bool { return an.HasCode(id) }))("still use it")
		}
		if err != nil {
			return fmt.Errorf("code %q: %w", name, err)
		}
	}
	for _, id := range a.done.DelTargets {
		name := id
		if t, ok, _ := a.st.Target(id); ok {
			name = t.Name
		}
		err := a.refused(still(a, "a", id, a.st.AnnotationsToward, a.done.PutAnnotations, annKey, a.annotation,
			func(an Annotation) bool { _, ok := an.StanceToward(id); return ok }))("still take a stance toward it")
		if err == nil {
			var claims []Claim
			claims, err = still(a, "m", id, a.st.ClaimsToward, a.done.PutClaims, claimKey, a.claim, func(m Claim) bool { return m.Target == id })
			if err == nil && len(claims) > 0 {
				err = fmt.Errorf("cannot delete it while claim %q is about it", clip(claims[0].Text))
			}
		}
		if err != nil {
			return fmt.Errorf("stance target %q: %w", name, err)
		}
	}
	for _, id := range a.done.DelAnnotations {
		claims, err := still(a, "m", id, a.st.ClaimsCiting, a.done.PutClaims, claimKey, a.claim, func(m Claim) bool {
			return slices.ContainsFunc(m.Evidence, func(e Evidence) bool { return e.AnnotationID == id })
		})
		if err == nil && len(claims) > 0 {
			err = fmt.Errorf("cannot delete it while claim %q cites it", clip(claims[0].Text))
		}
		if err != nil {
			return fmt.Errorf("annotation %s: %w", id, err)
		}
	}
	for _, id := range a.done.DelSources {
		title := id
		for _, s := range a.undo.PutSources {
			if s.ID == id {
				title = s.DisplayTitle()
			}
		}
		if err := a.sourceFree(id); err != nil {
			return fmt.Errorf("source %q: %w", title, err)
		}
	}
	return nil
}

// sourceFree says why a source cannot be deleted, if anything still rests on it.
func (a *applier) sourceFree(id string) error {
	anns, err := still(a, "a", id, a.st.AnnotationsOfSource, a.done.PutAnnotations, annKey, a.annotation,
		func(an Annotation) bool { return an.SourceID == id })
	if err != nil {
		return err
	}
	if len(anns) > 0 {
		return fmt.Errorf("cannot delete it while it has %d annotation(s)", len(anns))
	}
	links, err := still(a, "l", id, a.st.LinksOfSource, a.done.PutLinks, linkKey, a.link, func(k Link) bool { return linkTouches(k, id) })
	if err != nil {
		return err
	}
	if len(links) > 0 {
		return fmt.Errorf("cannot delete it while link %s uses it", links[0].ID)
	}
	rest, err := still(a, "s", id, a.st.SourcesResting, a.done.PutSources, func(v Source) string { return v.ID }, a.source,
		func(s Source) bool { return slices.Contains(s.Originals, id) })
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("cannot delete it while %q rests on it", rest[0].DisplayTitle())
	}
	vers, err := still(a, "v", id, a.st.VersionsOfSource, a.done.PutVersions, func(v TextVersion) string { return v.ID }, a.version,
		func(v TextVersion) bool { return v.SourceID == id })
	if err != nil {
		return err
	}
	if len(vers) > 0 {
		return fmt.Errorf("cannot delete it while its earlier text version %s is kept", vers[0].ID)
	}
	return nil
}

// refused turns the annotations that still use something into a refusal
// that names them.
func (a *applier) refused(users []Annotation, err error) func(what string) error {
	return func(what string) error {
		if err != nil {
			return err
		}
		if len(users) == 0 {
			return nil
		}
		return fmt.Errorf("cannot delete it while %s %s", a.describe(users), what)
	}
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
