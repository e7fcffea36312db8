package annotate

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Mirror applies a change that storage has already accepted to an
// in-memory project, so a GUI can keep its copy current without rereading
// the file after every action.
func (p *Project) Mirror(c Change) {
	upsert(&p.Codes, c.PutCodes, func(v Code) string { return v.ID })
	upsert(&p.Targets, c.PutTargets, func(v Target) string { return v.ID })
	for _, s := range c.PutSources {
		if i := find(p.Sources, s.ID, func(v Source) string { return v.ID }); i >= 0 {
			// Text, hash and length never change once imported.
			s.Text, s.ContentHash, s.Length, s.ImportedAt = p.Sources[i].Text, p.Sources[i].ContentHash, p.Sources[i].Length, p.Sources[i].ImportedAt
			p.Sources[i] = s
		} else {
			if s.ContentHash == "" {
				s.ContentHash = HashText(s.Text)
			}
			if s.Length == 0 {
				s.Length = utf8.RuneCountInString(s.Text)
			}
			p.Sources = append(p.Sources, s)
		}
	}
	upsert(&p.Annotations, c.PutAnnotations, func(v Annotation) string { return v.ID })
	upsert(&p.Links, c.PutLinks, func(v Link) string { return v.ID })
	remove(&p.Annotations, c.DelAnnotations, func(v Annotation) string { return v.ID })
	remove(&p.Links, c.DelLinks, func(v Link) string { return v.ID })
	remove(&p.Codes, c.DelCodes, func(v Code) string { return v.ID })
	remove(&p.Targets, c.DelTargets, func(v Target) string { return v.ID })
	remove(&p.Sources, c.DelSources, func(v Source) string { return v.ID })
}

func find[T any](list []T, id string, key func(T) string) int {
	for i, v := range list {
		if key(v) == id {
			return i
		}
	}
	return -1
}

func upsert[T any](list *[]T, puts []T, key func(T) string) {
	for _, v := range puts {
		if i := find(*list, key(v), key); i >= 0 {
			(*list)[i] = v
		} else {
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
	return &q
}

// MemStore is a project kept only in memory, with the same Apply contract
// as storage.Store: validated, all-or-nothing, returning the inverse. It
// serves as the fake store in UI tests and for scratch work.
type MemStore struct {
	P *Project
}

// ErrMemBackup is returned by MemStore.Backup: there is no file to copy.
var ErrMemBackup = errors.New("an in-memory project has no file to back up")

// Apply validates and applies c.
func (m *MemStore) Apply(c Change) (Change, error) {
	if m.P == nil {
		m.P = &Project{}
	}
	inv := m.inverse(c)
	next := m.P.Clone()
	now := time.Now().UTC()
	for i := range c.PutAnnotations {
		if c.PutAnnotations[i].Created.IsZero() {
			c.PutAnnotations[i].Created = now
		}
		if c.PutAnnotations[i].Modified.IsZero() {
			c.PutAnnotations[i].Modified = now
		}
	}
	for i := range c.PutSources {
		if find(m.P.Sources, c.PutSources[i].ID, func(v Source) string { return v.ID }) < 0 && c.PutSources[i].Text == "" {
			return Change{}, fmt.Errorf("source %s: text is empty", c.PutSources[i].ID)
		}
		if c.PutSources[i].ImportedAt.IsZero() {
			c.PutSources[i].ImportedAt = now
		}
	}
	next.Mirror(c)
	x := NewIndex(next)
	if errs := x.Validate(); len(errs) > 0 {
		return Change{}, errs[0]
	}
	m.P = next
	return inv, nil
}

// inverse computes the change that undoes c against the current state.
func (m *MemStore) inverse(c Change) Change {
	p := m.P
	inv := Change{Label: c.Label}
	invPut(p.Sources, c.PutSources, func(v Source) string { return v.ID }, &inv.PutSources, &inv.DelSources)
	invPut(p.Codes, c.PutCodes, func(v Code) string { return v.ID }, &inv.PutCodes, &inv.DelCodes)
	invPut(p.Targets, c.PutTargets, func(v Target) string { return v.ID }, &inv.PutTargets, &inv.DelTargets)
	invPut(p.Annotations, c.PutAnnotations, func(v Annotation) string { return v.ID }, &inv.PutAnnotations, &inv.DelAnnotations)
	invPut(p.Links, c.PutLinks, func(v Link) string { return v.ID }, &inv.PutLinks, &inv.DelLinks)
	invDel(p.Sources, c.DelSources, func(v Source) string { return v.ID }, &inv.PutSources)
	invDel(p.Codes, c.DelCodes, func(v Code) string { return v.ID }, &inv.PutCodes)
	invDel(p.Targets, c.DelTargets, func(v Target) string { return v.ID }, &inv.PutTargets)
	invDel(p.Annotations, c.DelAnnotations, func(v Annotation) string { return v.ID }, &inv.PutAnnotations)
	invDel(p.Links, c.DelLinks, func(v Link) string { return v.ID }, &inv.PutLinks)
	return inv
}

func invPut[T any](list, puts []T, key func(T) string, put *[]T, del *[]string) {
	for _, v := range puts {
		if i := find(list, key(v), key); i >= 0 {
			*put = append(*put, list[i])
		} else {
			*del = append(*del, key(v))
		}
	}
}

func invDel[T any](list []T, ids []string, key func(T) string, put *[]T) {
	for _, id := range ids {
		if i := find(list, id, key); i >= 0 {
			*put = append(*put, list[i])
		}
	}
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
