package annotate

// ProjectState serves Apply from an in-memory project. Its maps are built
// once; it must not outlive a change to the project.
type ProjectState struct {
	p        *Project
	sources  map[string]int
	codes    map[string]int
	targets  map[string]int
	anns     map[string]int
	links    map[string]int
	versions map[string]int
	claims   map[string]int
	texts    map[string]*Text
}

// NewProjectState indexes p for Apply.
func NewProjectState(p *Project) *ProjectState {
	return &ProjectState{p: p,
		sources:  indexBy(p.Sources, func(v Source) string { return v.ID }),
		codes:    indexBy(p.Codes, func(v Code) string { return v.ID }),
		targets:  indexBy(p.Targets, func(v Target) string { return v.ID }),
		anns:     indexBy(p.Annotations, func(v Annotation) string { return v.ID }),
		links:    indexBy(p.Links, func(v Link) string { return v.ID }),
		versions: indexBy(p.Versions, func(v TextVersion) string { return v.ID }),
		claims:   indexBy(p.Claims, func(v Claim) string { return v.ID }),
		texts:    map[string]*Text{},
	}
}

func indexBy[T any](list []T, key func(T) string) map[string]int {
	m := make(map[string]int, len(list))
	for i, v := range list {
		m[key(v)] = i
	}
	return m
}

func get[T any](list []T, at map[string]int, id string) (T, bool, error) {
	if i, ok := at[id]; ok {
		return list[i], true, nil
	}
	var zero T
	return zero, false, nil
}

func (s *ProjectState) Source(id string) (Source, bool, error) {
	src, ok, err := get(s.p.Sources, s.sources, id)
	src.Text = ""
	return src, ok, err
}
func (s *ProjectState) Code(id string) (Code, bool, error) { return get(s.p.Codes, s.codes, id) }
func (s *ProjectState) Target(id string) (Target, bool, error) {
	return get(s.p.Targets, s.targets, id)
}
func (s *ProjectState) Annotation(id string) (Annotation, bool, error) {
	a, ok, err := get(s.p.Annotations, s.anns, id)
	a.Codes = append([]string(nil), a.Codes...)
	a.Stances = append([]StanceMark(nil), a.Stances...)
	return a, ok, err
}
func (s *ProjectState) Link(id string) (Link, bool, error) {
	k, ok, err := get(s.p.Links, s.links, id)
	k.To = append([]Anchor(nil), k.To...)
	return k, ok, err
}
func (s *ProjectState) Version(id string) (TextVersion, bool, error) {
	return get(s.p.Versions, s.versions, id)
}
func (s *ProjectState) Claim(id string) (Claim, bool, error) {
	m, ok, err := get(s.p.Claims, s.claims, id)
	m.Evidence = append([]Evidence(nil), m.Evidence...)
	m.Independent = append([]string(nil), m.Independent...)
	return m, ok, err
}

func (s *ProjectState) Text(id string) (string, bool, error) {
	if i, ok := s.sources[id]; ok {
		return s.p.Sources[i].Text, true, nil
	}
	return "", false, nil
}

func (s *ProjectState) CheckSelector(id string, sel Selector) error {
	t := s.texts[id]
	if t == nil {
		text, _, _ := s.Text(id)
		t = NewText(text)
		s.texts[id] = t
	}
	return t.Check(sel)
}

func idsWhere[T any](list []T, key func(T) string, keep func(T) bool) ([]string, error) {
	var out []string
	for _, v := range list {
		if keep(v) {
			out = append(out, key(v))
		}
	}
	return out, nil
}

func annID(a Annotation) string { return a.ID }

func (s *ProjectState) CodeChildren(id string) ([]string, error) {
	return idsWhere(s.p.Codes, func(c Code) string { return c.ID }, func(c Code) bool { return c.Parent == id })
}
func (s *ProjectState) AnnotationsWithCode(id string) ([]string, error) {
	return idsWhere(s.p.Annotations, annID, func(a Annotation) bool { return a.HasCode(id) })
}
func (s *ProjectState) AnnotationsToward(id string) ([]string, error) {
	return idsWhere(s.p.Annotations, annID, func(a Annotation) bool { _, ok := a.StanceToward(id); return ok })
}
func (s *ProjectState) AnnotationsOfSource(id string) ([]string, error) {
	return idsWhere(s.p.Annotations, annID, func(a Annotation) bool { return a.SourceID == id })
}
func (s *ProjectState) LinksOfSource(id string) ([]string, error) {
	return idsWhere(s.p.Links, func(k Link) string { return k.ID }, func(k Link) bool { return linkTouches(k, id) })
}
func (s *ProjectState) SourcesResting(id string) ([]string, error) {
	return idsWhere(s.p.Sources, func(v Source) string { return v.ID }, func(v Source) bool {
		for _, o := range v.Originals {
			if o == id {
				return true
			}
		}
		return false
	})
}
func (s *ProjectState) VersionsOfSource(id string) ([]string, error) {
	return idsWhere(s.p.Versions, func(v TextVersion) string { return v.ID }, func(v TextVersion) bool { return v.SourceID == id })
}
func (s *ProjectState) ClaimsCiting(id string) ([]string, error) {
	return idsWhere(s.p.Claims, func(m Claim) string { return m.ID }, func(m Claim) bool {
		for _, e := range m.Evidence {
			if e.AnnotationID == id {
				return true
			}
		}
		return false
	})
}
func (s *ProjectState) ClaimsToward(id string) ([]string, error) {
	return idsWhere(s.p.Claims, func(m Claim) string { return m.ID }, func(m Claim) bool { return m.Target == id })
}
