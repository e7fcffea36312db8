package annotate

import (
	"fmt"
	"sort"
)

// Reader is a read-only, consistent view of a project that hands records
// out one at a time, so writers (exports, reports) can stream a project
// of any size without holding it all in memory. Storage implements it
// over one read transaction; ProjectReader over an in-memory *Project.
//
// A Reader is valid only for the duration of the call that handed it out
// (e.g. storage's Store.Reader); callers must not keep it, nor use it from
// two goroutines at once. The callbacks may return an error to stop a walk
// early; that error is returned as is.
type Reader interface {
	// Name is the project name ("" when unnamed).
	Name() string
	// Codes is the whole codebook in stored order; it is small.
	Codes() ([]Code, error)
	// Targets are every stance target in stored order; they are few.
	Targets() ([]Target, error)
	// Claims walks every claim.
	Claims(fn func(Claim) error) error
	// Links walks every link.
	Links(fn func(Link) error) error
	// Sources walks every source's metadata in list order; Text is empty.
	Sources(fn func(Source) error) error
	// Text is a source's current text; an unknown ID is an error.
	Text(sourceID string) (string, error)
	// Annotations walks the annotations of one source in text order:
	// by Selector.Start, ties in stored order (storage stores by ID), as
	// Index.Annotations lists them.
	Annotations(sourceID string, fn func(Annotation) error) error
	// Unreadable names records that could not be decoded and were skipped
	// so far (it may grow while walking).
	Unreadable() []string
}

// AnnotationLess is the text order of stored annotations: by start, then
// by ID (the order a snapshot lists them in, which Index keeps for ties).
func AnnotationLess(a, b *Annotation) bool {
	if a.Selector.Start != b.Selector.Start {
		return a.Selector.Start < b.Selector.Start
	}
	return a.ID < b.ID
}

// ProjectReader reads an in-memory project through the Reader interface.
// The project must not change while the reader is in use.
func ProjectReader(p *Project) Reader {
	return &projectReader{p: p}
}

type projectReader struct {
	p     *Project
	src   map[string]int   // source ID → index in p.Sources, built on first use
	bySrc map[string][]int // source ID → indexes into p.Annotations in text order
}

func (r *projectReader) Name() string { return r.p.Name }

func (r *projectReader) Codes() ([]Code, error) { return r.p.Codes, nil }

func (r *projectReader) Targets() ([]Target, error) { return r.p.Targets, nil }

func (r *projectReader) Claims(fn func(Claim) error) error {
	for _, c := range r.p.Claims {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (r *projectReader) Links(fn func(Link) error) error {
	for _, l := range r.p.Links {
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}

func (r *projectReader) Sources(fn func(Source) error) error {
	for _, s := range r.p.Sources {
		s.Text = ""
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

func (r *projectReader) index() {
	if r.src != nil {
		return
	}
	r.src = make(map[string]int, len(r.p.Sources))
	for i, s := range r.p.Sources {
		if _, dup := r.src[s.ID]; !dup {
			r.src[s.ID] = i
		}
	}
	r.bySrc = make(map[string][]int)
	for i := range r.p.Annotations {
		id := r.p.Annotations[i].SourceID
		r.bySrc[id] = append(r.bySrc[id], i)
	}
	anns := r.p.Annotations
	for _, ix := range r.bySrc {
		// Ties keep project order, as NewIndex does.
		sort.SliceStable(ix, func(i, j int) bool { return anns[ix[i]].Selector.Start < anns[ix[j]].Selector.Start })
	}
}

func (r *projectReader) Text(sourceID string) (string, error) {
	r.index()
	i, ok := r.src[sourceID]
	if !ok {
		return "", fmt.Errorf("no source with id %q", sourceID)
	}
	return r.p.Sources[i].Text, nil
}

func (r *projectReader) Annotations(sourceID string, fn func(Annotation) error) error {
	r.index()
	for _, i := range r.bySrc[sourceID] {
		if err := fn(r.p.Annotations[i]); err != nil {
			return err
		}
	}
	return nil
}

func (r *projectReader) Unreadable() []string { return r.p.Unreadable }

// ReadProject collects everything a Reader hands out into a *Project
// (texts included). It is for small projects and tests, and for writers
// that have not learnt to stream yet; it costs the whole project in memory.
func ReadProject(r Reader) (*Project, error) {
	p := &Project{Name: r.Name()}
	var err error
	if p.Codes, err = r.Codes(); err != nil {
		return nil, err
	}
	if p.Targets, err = r.Targets(); err != nil {
		return nil, err
	}
	if err = r.Claims(func(c Claim) error { p.Claims = append(p.Claims, c); return nil }); err != nil {
		return nil, err
	}
	if err = r.Links(func(l Link) error { p.Links = append(p.Links, l); return nil }); err != nil {
		return nil, err
	}
	if err = r.Sources(func(s Source) error { p.Sources = append(p.Sources, s); return nil }); err != nil {
		return nil, err
	}
	for i := range p.Sources {
		if p.Sources[i].Text, err = r.Text(p.Sources[i].ID); err != nil {
			return nil, err
		}
		if err = r.Annotations(p.Sources[i].ID, func(a Annotation) error {
			p.Annotations = append(p.Annotations, a)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	p.Unreadable = append([]string(nil), r.Unreadable()...)
	return p, nil
}

// FilterReader reads what f selects from r, as f.Apply would select it
// from the whole project: the chosen sources, their annotations that
// match, the whole codebook, targets and claims, and the links among the
// chosen sources. Unknown names are an error. Building it walks the
// sources' metadata once.
func FilterReader(r Reader, f Filter) (Reader, error) {
	meta := &Project{Name: r.Name()}
	var err error
	if meta.Codes, err = r.Codes(); err != nil {
		return nil, err
	}
	if meta.Targets, err = r.Targets(); err != nil {
		return nil, err
	}
	if err := r.Sources(func(s Source) error { meta.Sources = append(meta.Sources, s); return nil }); err != nil {
		return nil, err
	}
	res, err := f.resolve(NewIndex(meta))
	if err != nil {
		return nil, err
	}
	kept := make(map[string]bool, len(meta.Sources))
	for _, s := range meta.Sources {
		if len(res.srcOK) == 0 || res.srcOK[s.ID] {
			kept[s.ID] = true
		}
	}
	return &filterReader{Reader: r, res: res, kept: kept}, nil
}

type filterReader struct {
	Reader
	res  resolved
	kept map[string]bool
}

func (r *filterReader) Sources(fn func(Source) error) error {
	return r.Reader.Sources(func(s Source) error {
		if !r.kept[s.ID] {
			return nil
		}
		return fn(s)
	})
}

func (r *filterReader) Annotations(sourceID string, fn func(Annotation) error) error {
	if !r.kept[sourceID] {
		return nil
	}
	return r.Reader.Annotations(sourceID, func(a Annotation) error {
		if !r.res.matches(&a) {
			return nil
		}
		return fn(a)
	})
}

func (r *filterReader) Links(fn func(Link) error) error {
	return r.Reader.Links(func(k Link) error {
		if !r.kept[k.From.SourceID] {
			return nil
		}
		for _, t := range k.To {
			if !r.kept[t.SourceID] {
				return nil
			}
		}
		return fn(k)
	})
}
