package app

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"gloss/annotate"
)

// tagger makes the edits of the annotation shown in the inspector, or of a
// new annotation on the document's selection: the tagging keys, codes,
// stance and credibility. It works on the State and tells the window
// through its callbacks; it holds no widget.
type tagger struct {
	*State
	do        func(annotate.Change) bool // apply a change (shows its own errors)
	showError func(error)
	status    func(msg string)
	shown     func(annID string) // an annotation was just created and shown
	resync    func()             // the stance picker must show the saved stance again
	claim     func()             // A: attach to the picked claim (claimsview.go sets it)
}

func (t *tagger) index() *annotate.Index { return t.Index() }

// typedRune handles the tagging keys: 1–9 toggle the first nine codes, H
// makes a plain highlight.
func (t *tagger) typedRune(r rune) bool {
	switch {
	case r >= '1' && r <= '9':
		t.tagWithKey(int(r - '0'))
		return true
	case r == 'h' || r == 'H':
		t.highlightSelection()
		return true
	case (r == 'a' || r == 'A') && t.claim != nil:
		t.claim()
		return true
	}
	return false
}

func (t *tagger) tagWithKey(n int) {
	codes := t.index().CodeTree()
	if n < 1 || n > len(codes) {
		t.status(fmt.Sprintf("There is no code %d yet: add codes in the inspector or the codebook", n))
		return
	}
	t.toggleCode(codes[n-1].ID)
}

// trimmedSelection is the selection without surrounding white space.
func (t *tagger) trimmedSelection() (int, int, bool) {
	s, e := t.selStart, t.selEnd
	txt := t.index().Text(t.srcID)
	if txt == nil || s >= e {
		return 0, 0, false
	}
	for s < e && unicode.IsSpace([]rune(txt.Slice(s, s+1))[0]) {
		s++
	}
	for e > s && unicode.IsSpace([]rune(txt.Slice(e-1, e))[0]) {
		e--
	}
	return s, e, s < e
}

// editAnnotation applies fn to the annotation in the inspector, or to a new
// annotation on the selection, as one undoable change together with extra
// (e.g. a new code or target the edit needs).
func (t *tagger) editAnnotation(label string, extra annotate.Change, fn func(a *annotate.Annotation)) bool {
	idx := t.index()
	now := time.Now().UTC()
	var a annotate.Annotation
	if cur := findAnnotation(idx, t.annID); cur != nil {
		a = cur.Copy()
	} else {
		s, e, ok := t.trimmedSelection()
		if !ok {
			t.status("Select a passage in the document first")
			return false
		}
		author := ""
		if t.sess != nil {
			author = t.sess.Author
		}
		var err error
		if a, err = idx.NewAnnotation(annotate.Passage{SourceID: t.srcID, Start: s, End: e}, author, now); err != nil {
			t.showError(err)
			return false
		}
	}
	fn(&a)
	a.Modified = now
	c := extra
	c.Label = fmt.Sprintf(label, annotate.QuoteShort(a.Selector.Exact, 30))
	c.PutAnnotations = append(c.PutAnnotations, a)
	if !t.do(c) {
		return false
	}
	if t.annID != a.ID {
		t.setAnnotation(a.ID)
		t.shown(a.ID)
	}
	return true
}

func (t *tagger) toggleCode(codeID string) {
	idx := t.index()
	code := idx.Code[codeID]
	if code == nil {
		return
	}
	cur := findAnnotation(idx, t.annID)
	if cur != nil && cur.HasCode(codeID) {
		t.editAnnotation("Remove "+code.Name+" from %s", annotate.Change{}, func(a *annotate.Annotation) { a.RemoveCode(codeID) })
		return
	}
	t.editAnnotation("Tag %s as "+code.Name, annotate.Change{}, func(a *annotate.Annotation) { a.AddCode(codeID) })
}

func (t *tagger) highlightSelection() {
	if t.annID != "" {
		t.status("Already highlighted: tag it with 1–9 or in the inspector")
		return
	}
	t.editAnnotation("Highlight %s", annotate.Change{}, func(*annotate.Annotation) {})
}

// addCodeByName puts a code on the annotation, creating the code when no
// code has that name.
func (t *tagger) addCodeByName(name string) {
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	idx := t.index()
	if c, ok := idx.CodeByName(name); ok {
		if a := findAnnotation(idx, t.annID); a != nil && a.HasCode(c.ID) {
			return
		}
		if _, _, ok := t.trimmedSelection(); ok || t.annID != "" {
			t.toggleCode(c.ID)
		}
		return
	}
	extra, c, err := idx.NewCode(name)
	if err != nil {
		t.showError(err)
		return
	}
	if _, _, ok := t.trimmedSelection(); !ok && t.annID == "" {
		t.do(extra)
		return
	}
	t.editAnnotation("Tag %s as new code "+name, extra, func(a *annotate.Annotation) { a.AddCode(c.ID) })
}

func (t *tagger) setStance(targetName string, s annotate.Stance) {
	targetName = strings.TrimSpace(targetName)
	if targetName == "" {
		t.status("Type or pick a stance target first")
		t.resync()
		return
	}
	idx := t.index()
	var extra annotate.Change
	tid, err := idx.EnsureTarget(&extra, targetName)
	if err != nil {
		t.showError(err)
		return
	}
	if tg := idx.Target[tid]; tg != nil {
		targetName = tg.Name
	}
	label := "Stance of %s toward " + targetName + ": " + s.Label()
	ok := t.editAnnotation(label, extra, func(a *annotate.Annotation) { a.SetStance(tid, s) })
	if !ok {
		t.resync()
	}
}

func (t *tagger) removeStance(targetID string) {
	t.editAnnotation("Remove stance from %s", annotate.Change{}, func(a *annotate.Annotation) { a.SetStance(targetID, "") })
}

func (t *tagger) setCredibility(g annotate.Credibility) {
	if a := findAnnotation(t.index(), t.annID); a != nil && a.Credibility == g {
		return
	}
	t.editAnnotation(fmt.Sprintf("Rate %%s credibility %d", g), annotate.Change{}, func(a *annotate.Annotation) {
		a.Credibility = g
	})
}
