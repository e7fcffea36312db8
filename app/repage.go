package app

import (
	"time"

	"fyne.io/fyne/v2"
)

// repageEvery is how often the window looks whether a large project it
// read whole for work over every annotation can be paged again; the
// conditions must hold at two looks in a row.
const repageEvery = 15 * time.Second

// repageWhenDone calls maybeRepage every repageEvery until stop is
// closed.
func (w *Workspace) repageWhenDone(stop <-chan struct{}) {
	eachTick(stop, repageEvery, func() { fyne.Do(w.maybeRepage) })
}

// maybeRepage pages a large project again once the work over every
// annotation that read it whole is over (session.Repage): the timeline,
// claims or a merge read 200,000 annotations, and the window held them
// (about 80 MB more) until it closed. It acts at the second call in a
// row that finds the work over, and computes the paged index off the UI
// goroutine, installing it on the UI goroutine only if nothing that
// needs every annotation has begun meanwhile.
func (w *Workspace) maybeRepage() {
	sess := w.sess
	if sess == nil || sess.Loading() || !closed(sess.AllRead()) || !w.wholeWorkOver() {
		w.repageSeen = false
		return
	}
	if !w.repageSeen {
		w.repageSeen = true
		return
	}
	w.repageSeen = false
	var keep []string
	if id := w.SourceID(); id != "" {
		keep = []string{id}
	}
	// At goBackground's low priority: nobody waits for it (about 1 s of
	// a core at 10,000 sources).
	goBackground(func() {
		start := time.Now()
		from, to, ok := sess.Repaged(keep)
		if !ok {
			return
		}
		fyne.Do(func() {
			if w.sess != sess || !w.wholeWorkOver() || !sess.Repage(from, to, keep) {
				return
			}
			w.refreshPanels(false)
			timed("paged again", start)
			// What the read held is garbage now; hand it back.
			trimSoon()
			if w.repaged != nil {
				w.repaged()
			}
		})
	})
}

// wholeWorkOver reports whether nothing open may need every annotation:
// no window but the main one (the timeline, claims, coders and codebook
// windows work over the whole project), no dialog over it (planning a
// merge or an import, deleting a code), and no list over all sources
// that the file's indexes cannot answer.
func (w *Workspace) wholeWorkOver() bool {
	for _, win := range w.app.Driver().AllWindows() {
		if win != w.Window && win.Title() != "" { // every window Gloss opens has a title
			return false
		}
	}
	return len(w.Window.Canvas().Overlays().List()) == 0 && !w.annots.needsAll()
}
