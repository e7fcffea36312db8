package annotate

import (
	"errors"
	"time"
)

// Mirror applies a change that Apply has accepted (its Done part) to an
// in-memory project, so a GUI can keep its copy current without rereading
// the file after every action. It costs one pass over the project plus the
// change, never a scan per record.
func (p *Project) Mirror(c Change) {
	upsert(&p.Codes, c.PutCodes, func(v Code) string { return v.ID })
	upsert(&p.Targets, c.PutTargets, func(v Target) string { return v.ID })
	if len(c.PutSources)+len(c.SetTexts) > 0 {
		mirrorSources(p, c)
	}
	upsert(&p.Annotations, c.PutAnnotations, func(v Annotation) string { return v.ID })
	upsert(&p.Links, c.PutLinks, func(v Link) string { return v.ID })
	upsert(&p.Versions, c.PutVersions, func(v TextVersion) string { return v.ID })
	upsert(&p.Claims, c.PutClaims, func(v Claim) string { return v.ID })
	remove(&p.Claims, c.DelClaims, func(v Claim) string { return v.ID })
	remove(&p.Versions, c.DelVersions, func(v TextVersion) string { return v.ID })
	remove(&p.Annotations, c.DelAnnotations, func(v Annotation) string { return v.ID })
	remove(&p.Links, c.DelLinks, func(v Link) string { return v.ID })
	remove(&p.Codes, c.DelCodes, func(v Code) string { return v.ID })
	remove(&p.Targets, c.DelTargets, func(v Target) string { return v.ID })
	remove(&p.Sources, c.DelSources, func(v Source) string { return v.ID })
}

func upsert[T any](list *[]T, puts []T, key func(T) string) {
	if len(puts) == 0 {
		return
	}
	at := make(map[string]int, len(*list))
	for i, v := range *list {
		at[key(v)] = i
	}
	for _, v := range puts {
		if i, ok := at[key(v)]; ok {
			(*list)[i] = v
		} else {
			at[key(v)] = len(*list)
			*list = append(*list, v)
		}
	}
}

func remove[T any](list *[]T, ids []string, key func(T) string) {
	if len(ids) == 0 {
		return
	}
	dead := map[string]bool{}
	for _, id := range ids {
		dead[id] = true
	}
	out := (*list)[:0]
	for _, v := range *list {
		if !dead[key(v)] {
			out = append(out, v)
		}
	}
	*list = out
}

// Clone deep-copies the project's slices (records are values).
func (p *Project) Clone() *Project {
	q := *p
	q.Sources = append([]Source(nil), p.Sources...)
	q.Annotations = append([]Annotation(nil), p.Annotations...)
	q.Codes = append([]Code(nil), p.Codes...)
	q.Targets = append([]Target(nil), p.Targets...)
	q.Links = append([]Link(nil), p.Links...)
	q.Claims = append([]Claim(nil), p.Claims...)
	q.Versions = append([]TextVersion(nil), p.Versions...)
	q.Unreadable = append([]string(nil), p.Unreadable...)
	return &q
}

// MemStore is a project kept only in memory. It applies changes through
// the same Apply as storage.Store, so it accepts, refuses and normalises
// exactly what a project file would. It serves as the fake store in UI
// tests and for scratch work.
type MemStore struct {
	P *Project
	// Now stamps new records; nil means time.Now. Tests set it to compare
	// a MemStore with a file record for record.
	Now func() time.Time
}

// ErrMemBackup is returned by MemStore.Backup: there is no file to copy.
var ErrMemBackup = errors.New("an in-memory project has no file to back up")

// Apply validates and applies c and returns the change that undoes it.
func (m *MemStore) Apply(c Change) (Change, error) {
	r, err := m.Commit(c)
	return r.Undo, err
}

// Commit validates and applies c and returns what was done and its undo.
func (m *MemStore) Commit(c Change) (Applied, error) {
	if m.P == nil {
		m.P = &Project{}
	}
	now := time.Now()
	if m.Now != nil {
		now = m.Now()
	}
	r, err := Apply(NewProjectState(m.P), c, now)
	if err != nil {
		return Applied{}, err
	}
	m.P.Mirror(r.Done)
	return r, nil
}

// Snapshot returns a copy of the project.
func (m *MemStore) Snapshot() (*Project, error) {
	if m.P == nil {
		return &Project{}, nil
	}
	return m.P.Clone(), nil
}

// Backup always fails: there is no file.
func (m *MemStore) Backup() (string, error) { return "", ErrMemBackup }

// Path is empty: the project lives only in memory.
func (m *MemStore) Path() string { return "" }

// Close does nothing.
func (m *MemStore) Close() error { return nil }
