package annotate

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// MergeCounts counts records of each kind.
type MergeCounts struct {
	Sources     int `json:"sources"`
	Codes       int `json:"codes"`
	Targets     int `json:"targets"`
	Annotations int `json:"annotations"`
	Links       int `json:"links"`
	Claims      int `json:"claims"`
	Versions    int `json:"versions"`
}

// Total is the sum over all kinds.
func (c MergeCounts) Total() int {
	return c.Sources + c.Codes + c.Targets + c.Annotations + c.Links + c.Claims + c.Versions
}

// MergeConflict is an annotation changed on both sides.
type MergeConflict struct {
	AnnotationID string `json:"annotationId"`
	Source       string `json:"source"` // title
	Quote        string `json:"quote"`
	Kept         string `json:"kept"` // "this project" or the other project's name
}

// MergeReport says what a merge does, record kind by record kind.
type MergeReport struct {
	Added     MergeCounts     `json:"added"`
	Updated   MergeCounts     `json:"updated"`
	Same      MergeCounts     `json:"same"` // already present and equal: skipped
	Conflicts []MergeConflict `json:"conflicts,omitempty"`
	// Disagreements name what differs and was kept as it is here
	// (source metadata, reliability, code names).
	Disagreements []string `json:"disagreements,omitempty"`
	// Reanchored and Orphaned name annotations of the other project whose
	// source text differs from this one's.
	Reanchored []string `json:"reanchored,omitempty"`
	Orphaned   []string `json:"orphaned,omitempty"`
}

// Merge builds the one change that brings project q (another .gloss file,
// or a REFI-QDA project) into the project indexed by x, and reports it.
// Sources match by ID, then by content hash (the same text is the same
// source, whoever imported it); codes and targets by ID, then by name
// (case-insensitive); annotations, links, claims and versions by ID. An
// annotation changed on both sides keeps the later change and records the
// other as a conflict. Merging the same project twice adds nothing.
// origin names q in conflicts (e.g. its file name).
func Merge(x *Index, q *Project, origin string) (Change, MergeReport) {
	m := &merger{x: x, q: q, origin: origin, remap: map[string]string{}, differs: map[string]bool{},
		byHash: map[string]string{}, links: map[string]*Link{},
		claims: map[string]*Claim{}, versions: map[string]bool{}}
	m.c.Label = "Merge " + origin
	if origin == "" {
		m.c.Label = "Merge project"
	}
	for i := range x.P.Sources {
		m.byHash[x.P.Sources[i].ContentHash] = x.P.Sources[i].ID
	}
	for i := range x.P.Links {
		m.links[x.P.Links[i].ID] = &x.P.Links[i]
	}
	for i := range x.P.Claims {
		m.claims[x.P.Claims[i].ID] = &x.P.Claims[i]
	}
	for _, v := range x.P.Versions {
		m.versions[v.ID] = true
	}
	m.sources()
	m.codes()
	m.targets()
	m.annotations()
	m.linksAndClaims()
	return m.c, m.r
}

// MergeChange is Merge without the report.
func MergeChange(x *Index, q *Project) Change {
	c, _ := Merge(x, q, q.Name)
	return c
}

type merger struct {
	x       *Index
	q       *Project
	origin  string
	c       Change
	r       MergeReport
	remap   map[string]string // their ID -> ID here
	differs map[string]bool   // their source ID whose text differs here
	byHash  map[string]string
	links   map[string]*Link
	claims  map[string]*Claim
	// versions here, by ID
	versions map[string]bool
}

func (m *merger) id(theirs string) string {
	if v, ok := m.remap[theirs]; ok {
		return v
	}
	return theirs
}

func (m *merger) sources() {
	for _, s := range m.q.Sources {
		if s.ContentHash == "" {
			s.ContentHash = HashText(s.Text)
		}
		mine := m.x.Source[s.ID]
		if mine == nil {
			if id, ok := m.byHash[s.ContentHash]; ok && s.Text != "" {
				mine = m.x.Source[id]
			}
		}
		if mine == nil {
			m.remap[s.ID] = s.ID
			m.c.PutSources = append(m.c.PutSources, s)
			m.byHash[s.ContentHash] = s.ID
			m.r.Added.Sources++
			continue
		}
		m.remap[s.ID] = mine.ID
		m.r.Same.Sources++
		if s.Text != "" && s.ContentHash != mine.ContentHash {
			m.differs[s.ID] = true
			m.r.Disagreements = append(m.r.Disagreements, fmt.Sprintf("source %q: the text differs; kept this project's and re-anchored the other's annotations", mine.DisplayTitle()))
		}
		for _, d := range sourceDiffs(*mine, s) {
			m.r.Disagreements = append(m.r.Disagreements, fmt.Sprintf("source %q: %s", mine.DisplayTitle(), d))
		}
	}
	for i := range m.c.PutSources {
		o := m.c.PutSources[i].Originals
		m.c.PutSources[i].Originals = make([]string, len(o))
		for j, id := range o {
			m.c.PutSources[i].Originals[j] = m.id(id)
		}
	}
}

// sourceDiffs lists the metadata on which two versions of a source differ.
func sourceDiffs(mine, theirs Source) []string {
	var out []string
	diff := func(field, a, b string) {
		if a != b && b != "" {
			out = append(out, fmt.Sprintf("%s is %q here and %q there", field, a, b))
		}
	}
	diff("title", mine.Title, theirs.Title)
	diff("outlet", mine.Outlet, theirs.Outlet)
	diff("published", mine.Published, theirs.Published)
	diff("language", string(mine.Language), string(theirs.Language))
	diff("reliability", string(mine.Reliability), string(theirs.Reliability))
	diff("URL", mine.URL, theirs.URL)
	return out
}

func (m *merger) codes() {
	byName := map[string][]*Code{}
	for i := range m.x.P.Codes {
		c := &m.x.P.Codes[i]
		k := strings.ToLower(strings.TrimSpace(c.Name))
		byName[k] = append(byName[k], c)
	}
	// Parents before children, so a child's parent is already mapped.
	pending := append([]Code(nil), m.q.Codes...)
	for len(pending) > 0 {
		waiting := make(map[string]bool, len(pending))
		for _, cd := range pending {
			waiting[cd.ID] = true
		}
		var next []Code
		for _, cd := range pending {
			if _, ok := m.remap[cd.Parent]; cd.Parent != "" && !ok && waiting[cd.Parent] {
				next = append(next, cd)
				continue
			}
			cd.Parent = m.id(cd.Parent)
			if mine := m.x.Code[cd.ID]; mine != nil {
				m.remap[cd.ID] = cd.ID
				m.r.Same.Codes++
				if !strings.EqualFold(mine.Name, cd.Name) {
					m.r.Disagreements = append(m.r.Disagreements, fmt.Sprintf("code %q is named %q there; kept %q", mine.Name, cd.Name, mine.Name))
				}
				continue
			}
			if mine := matchName(byName[strings.ToLower(strings.TrimSpace(cd.Name))], cd.Parent); mine != nil {
				m.remap[cd.ID] = mine.ID
				m.r.Same.Codes++
				continue
			}
			m.remap[cd.ID] = cd.ID
			m.c.PutCodes = append(m.c.PutCodes, cd)
			k := strings.ToLower(strings.TrimSpace(cd.Name))
			byName[k] = append(byName[k], &m.c.PutCodes[len(m.c.PutCodes)-1])
			m.r.Added.Codes++
		}
		if len(next) == len(pending) { // a parent cycle: validation will name it
			for _, cd := range next {
				m.remap[cd.ID] = cd.ID
				m.c.PutCodes = append(m.c.PutCodes, cd)
				m.r.Added.Codes++
			}
			break
		}
		pending = next
	}
}

// matchName picks the code of that name under the same parent, else the
// only code of that name.
func matchName(list []*Code, parent string) *Code {
	for _, c := range list {
		if c.Parent == parent {
			return c
		}
	}
	if len(list) == 1 {
		return list[0]
	}
	return nil
}

func (m *merger) targets() {
	for _, t := range m.q.Targets {
		if m.x.Target[t.ID] != nil {
			m.remap[t.ID] = t.ID
			m.r.Same.Targets++
			continue
		}
		if mine, ok := m.x.TargetByName(t.Name); ok {
			m.remap[t.ID] = mine.ID
			m.r.Same.Targets++
			continue
		}
		dup := false
		for _, added := range m.c.PutTargets {
			if strings.EqualFold(added.Name, t.Name) {
				m.remap[t.ID], dup = added.ID, true
			}
		}
		if dup {
			continue
		}
		m.remap[t.ID] = t.ID
		m.c.PutTargets = append(m.c.PutTargets, t)
		m.r.Added.Targets++
	}
}

// place maps one of their selectors onto the text here.
func (m *merger) place(theirSource string, sel Selector) (Selector, AnchorState) {
	if !m.differs[theirSource] {
		return sel, ""
	}
	here := m.x.Text(m.id(theirSource))
	if here == nil {
		return sel, AnchorOrphan
	}
	if got, ok := here.Anchor(sel); ok {
		if got.Start == sel.Start {
			return got, AnchorExact
		}
		return got, AnchorShifted
	}
	return sel, AnchorOrphan
}

func (m *merger) remapAnn(a Annotation) Annotation {
	a.SourceID = m.id(a.SourceID)
	a.Codes = m.remapCodes(a.Codes)
	a.Stances = m.remapStances(a.Stances)
	conf := make([]AnnotationVersion, len(a.Conflicts))
	for i, v := range a.Conflicts {
		v.Codes, v.Stances = m.remapCodes(v.Codes), m.remapStances(v.Stances)
		conf[i] = v
	}
	if len(conf) == 0 {
		conf = nil
	}
	a.Conflicts = conf
	return a
}

func (m *merger) remapCodes(ids []string) []string {
	if ids == nil {
		return nil
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if v := m.id(id); !slices.Contains(out, v) { // two of theirs may map to one here
			out = append(out, v)
		}
	}
	return out
}

func (m *merger) remapStances(list []StanceMark) []StanceMark {
	if list == nil {
		return nil
	}
	out := make([]StanceMark, 0, len(list))
	for _, s := range list {
		t := m.id(s.Target)
		if slices.ContainsFunc(out, func(o StanceMark) bool { return o.Target == t }) {
			continue
		}
		out = append(out, StanceMark{Target: t, Stance: s.Stance})
	}
	return out
}

// sameContent compares what an analyst made of a passage, not when.
func sameContent(a, b AnnotationVersion) bool {
	a.Origin, b.Origin = "", ""
	a.Modified = b.Modified
	slices.Sort(a.Codes)
	slices.Sort(b.Codes)
	if len(a.Codes) == 0 {
		a.Codes = nil
	}
	if len(b.Codes) == 0 {
		b.Codes = nil
	}
	if len(a.Stances) == 0 {
		a.Stances = nil
	}
	if len(b.Stances) == 0 {
		b.Stances = nil
	}
	return reflect.DeepEqual(a, b)
}

func (m *merger) annotations() {
	for _, a := range m.q.Annotations {
		theirSource := a.SourceID
		a = m.remapAnn(a) // fresh slices: nothing of q is shared
		sel, state := m.place(theirSource, a.Selector)
		if state != "" {
			a.Selector, a.Anchor = sel, state
		}
		// Only what the merge writes counts as re-anchored or orphaned.
		placed := func(id string) {
			switch state {
			case "":
			case AnchorOrphan:
				m.r.Orphaned = append(m.r.Orphaned, id)
			default:
				m.r.Reanchored = append(m.r.Reanchored, id)
			}
		}
		mine := m.x.Annotation(a.ID)
		if mine != nil && mine.SourceID != a.SourceID {
			// The same ID on another passage is another annotation.
			a.ID = NewID(AnnotationPrefix)
			mine = nil
		}
		if mine == nil {
			m.c.PutAnnotations = AppendLarge(m.c.PutAnnotations, a)
			m.r.Added.Annotations++
			placed(a.ID)
			continue
		}
		here, there := VersionOf(*mine, ""), VersionOf(a, m.origin)
		if sameContent(here, there) {
			m.r.Same.Annotations++
			continue
		}
		known := func(list []AnnotationVersion, v AnnotationVersion) bool {
			return slices.ContainsFunc(list, func(o AnnotationVersion) bool { return sameContent(o, v) })
		}
		out := *mine
		kept := "this project"
		if a.Modified.After(mine.Modified) {
			out = a
			out.Created = mine.Created
			out.Conflicts = slices.Clone(mine.Conflicts)
			if !known(out.Conflicts, here) {
				here.Origin = "this project"
				out.Conflicts = append(out.Conflicts, here)
			}
			kept = m.origin
			placed(out.ID)
		} else {
			if known(mine.Conflicts, there) {
				m.r.Same.Annotations++
				continue
			}
			out.Conflicts = append(slices.Clone(mine.Conflicts), there)
		}
		m.c.PutAnnotations = append(m.c.PutAnnotations, out)
		m.r.Updated.Annotations++
		title := out.SourceID
		if s := m.x.Source[out.SourceID]; s != nil {
			title = s.DisplayTitle()
		}
		m.r.Conflicts = append(m.r.Conflicts, MergeConflict{AnnotationID: out.ID, Source: title, Quote: clip(out.Selector.Exact), Kept: kept})
	}
}

func (m *merger) linksAndClaims() {
	for _, k := range m.q.Links {
		ends := append([]Anchor{k.From}, k.To...)
		for i, e := range ends {
			sel, state := m.place(e.SourceID, e.Selector)
			ends[i] = Anchor{SourceID: m.id(e.SourceID), Selector: sel, State: e.State, Score: e.Score}
			if state != "" {
				ends[i].State = state
			}
		}
		k.From, k.To = ends[0], ends[1:]
		mine := m.links[k.ID]
		switch {
		case mine == nil:
			m.c.PutLinks = append(m.c.PutLinks, k)
			m.r.Added.Links++
		case k.Modified.After(mine.Modified) && !sameLink(*mine, k):
			k.Created = mine.Created
			m.c.PutLinks = append(m.c.PutLinks, k)
			m.r.Updated.Links++
		default:
			m.r.Same.Links++
		}
	}
	for _, c := range m.q.Claims {
		c.Target = m.id(c.Target)
		ind := make([]string, len(c.Independent))
		for i, s := range c.Independent {
			ind[i] = m.id(s)
		}
		c.Independent = ind
		mine := m.claims[c.ID]
		switch {
		case mine == nil:
			m.c.PutClaims = append(m.c.PutClaims, c)
			m.r.Added.Claims++
		case c.Modified.After(mine.Modified):
			c.Created = mine.Created
			m.c.PutClaims = append(m.c.PutClaims, c)
			m.r.Updated.Claims++
		default:
			m.r.Same.Claims++
		}
	}
	for _, v := range m.q.Versions {
		if m.versions[v.ID] {
			m.r.Same.Versions++
			continue
		}
		v.SourceID = m.id(v.SourceID)
		m.c.PutVersions = append(m.c.PutVersions, v)
		m.r.Added.Versions++
	}
}

func sameLink(a, b Link) bool {
	a.Created, a.Modified = b.Created, b.Modified
	return reflect.DeepEqual(a, b)
}
