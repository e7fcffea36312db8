package export

import (
	"context"
	"sync"

	"gloss/annotate"
)

// Progress is how far an export has read: the sources walked in the
// current pass over the project (reports walk it twice: counts first, then
// the sections) out of Total, and the annotations handed out so far in the
// busiest pass.
type Progress struct {
	Pass, Done, Total int
	Annotations       int
}

// Watched is a Reader that can be followed and stopped.
type Watched struct {
	annotate.Reader
	ctx  context.Context
	fn   func(Progress)
	mu   sync.Mutex
	p    Progress
	seen map[string]bool // sources walked in this pass
	anns int             // annotations handed out in this pass
}

// Watch wraps r so a long export can be followed and cancelled: every read
// first checks ctx (and returns its error once it is done), and fn (if not
// nil) is called after each source's annotations are walked. Counting the
// sources walks their metadata once.
func Watch(ctx context.Context, r annotate.Reader, fn func(Progress)) (*Watched, error) {
	w := &Watched{Reader: r, ctx: ctx, fn: fn, seen: map[string]bool{}}
	if err := r.Sources(func(annotate.Source) error { w.p.Total++; return ctx.Err() }); err != nil {
		return nil, err
	}
	return w, nil
}

// Progress is where the export is now.
func (w *Watched) Progress() Progress {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.p
}

func (w *Watched) Sources(fn func(annotate.Source) error) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	return w.Reader.Sources(func(s annotate.Source) error {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		return fn(s)
	})
}

func (w *Watched) Links(fn func(annotate.Link) error) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	return w.Reader.Links(func(k annotate.Link) error {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		return fn(k)
	})
}

func (w *Watched) Claims(fn func(annotate.Claim) error) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	return w.Reader.Claims(fn)
}

func (w *Watched) Text(id string) (string, error) {
	if err := w.ctx.Err(); err != nil {
		return "", err
	}
	return w.Reader.Text(id)
}

func (w *Watched) Annotations(id string, fn func(annotate.Annotation) error) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	if w.seen[id] || w.p.Pass == 0 {
		// A source walked again: the writer has begun its next pass.
		w.p.Pass++
		w.seen = map[string]bool{}
		w.anns = 0
	}
	w.seen[id] = true
	w.mu.Unlock()
	n := 0
	err := w.Reader.Annotations(id, func(a annotate.Annotation) error {
		n++
		return fn(a)
	})
	w.mu.Lock()
	w.anns += n
	w.p.Done = len(w.seen)
	w.p.Annotations = max(w.p.Annotations, w.anns)
	p := w.p
	w.mu.Unlock()
	if w.fn != nil {
		w.fn(p)
	}
	if err != nil {
		return err
	}
	return w.ctx.Err()
}
