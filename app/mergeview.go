package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"gloss/annotate"
	"gloss/annotate/ingest"
)

// merger is File ▸ Merge project…: it reads another project, shows what
// merging it would do, and applies it as one undoable change.
type merger struct {
	ed        editor
	status    func(string)
	openOther func(path string) (*annotate.Project, error) // a .gloss file; Config.OpenOther
	current   func() string                                // the open project's path, to refuse merging it into itself
	conflicts func()                                       // show the Needs review list
	planned   func()                                       // tests wait on a plan shown with it
}

// mergePlan is a merge computed but not applied.
type mergePlan struct {
	path   string
	change annotate.Change
	report annotate.MergeReport
}

// readOther reads the project at path: a REFI-QDA archive through the
// import, a .gloss file through Config.OpenOther (app cannot open storage).
func (m merger) readOther(path string) (*annotate.Project, error) {
	if cur := m.current(); cur != "" {
		a, errA := os.Stat(cur)
		b, errB := os.Stat(path)
		if errA == nil && errB == nil && os.SameFile(a, b) {
			return nil, fmt.Errorf("%s is the project open in this window; choose another project to merge", filepath.Base(path))
		}
	}
	if ingest.IsProjectFile(path) {
		res := ingest.Files([]string{path}, nil, ingest.Options{})
		if len(res.Problems) > 0 {
			return nil, res.Problems[0]
		}
		if len(res.Projects) == 0 {
			return nil, fmt.Errorf("%s: no project in the archive", path)
		}
		return res.Projects[0].Project, nil
	}
	if m.openOther == nil {
		return nil, fmt.Errorf("%s: this build cannot read another Gloss project", path)
	}
	return m.openOther(path)
}

// plan reads path and computes the merge against the open project.
func (m merger) plan(path string) (*mergePlan, error) {
	q, err := m.read(path)
	if err != nil {
		return nil, err
	}
	return m.against(m.ed.st.Index(), path, q), nil
}

// read reads the project to merge.
func (m merger) read(path string) (*annotate.Project, error) {
	q, err := m.readOther(path)
	if err == nil && q == nil {
		err = fmt.Errorf("%s: no project was read", path)
	}
	return q, err
}

// against computes the merge of q into the project as idx holds it.
func (m merger) against(idx *annotate.Index, path string, q *annotate.Project) *mergePlan {
	c, r := annotate.Merge(idx, q, filepath.Base(path))
	return &mergePlan{path: path, change: c, report: r}
}

// dialog asks for the project to merge.
func (m merger) dialog() {
	if m.ed.st.Session() == nil {
		return
	}
	onErr := func(err error) { dialog.ShowError(err, m.ed.win) }
	showFileDialog(m.ed.win, openFileDialog(m.ed.win, []string{".gloss", ".qdpx"}, onErr, m.start))
}

// start reads and plans off the UI goroutine (a large project takes a
// while), then shows the report.
func (m merger) start(path string) {
	prog := showBusy("Reading project", filepath.Base(path), m.ed.win)
	sess := m.ed.st.Session()
	// A plan is for the project it was asked in: if that one was closed
	// meanwhile, nothing is shown (the merge would land elsewhere).
	gone := func() bool { return m.ed.st.Session() != sess }
	// The limit stays raised until the plan is merged or dismissed: the
	// plan holds the other project whole, and lowered under it while its
	// dialog waited, the collector ran without pause (4–5 freezes of
	// 230–310 ms at 10,000 sources).
	hold := raiseMemoryLimit(importMemory)
	goBackground(func() {
		q, err := m.read(path)
		fyne.Do(func() {
			if gone() {
				prog.Hide()
				hold()
				return
			}
			if err != nil {
				prog.Hide()
				hold()
				dialog.ShowError(err, m.ed.win)
				return
			}
			againstIndex(m.ed.st.allRead(), m.ed.st.Index, func(idx *annotate.Index) *mergePlan { return m.against(idx, path, q) },
				func(plan *mergePlan) {
					prog.Hide()
					if gone() {
						hold()
						return
					}
					m.showHolding(plan, hold)
					if m.planned != nil {
						m.planned()
					}
				})
		})
	})
}

// againstIndex runs work off the UI goroutine on the project as index
// gives it now, then done on the UI goroutine with the result. If the
// project changed meanwhile, work runs again on the new index, so what
// done applies rests on what is there; the UI goroutine never runs work
// (planning a merge or an import of 10,000 sources takes seconds).
//
// Until ready is closed (the session's AllRead: every annotation in the
// index), it waits: a plan made while the index held only the sources
// shown so far would take what is in the file for new.
func againstIndex[T any](ready <-chan struct{}, index func() *annotate.Index, work func(*annotate.Index) T, done func(T)) {
	if ready != nil && !closed(ready) {
		go func() {
			<-ready
			fyne.Do(func() { againstIndex(nil, index, work, done) })
		}()
		return
	}
	idx := index()
	goBackground(func() {
		restore := raiseMemoryLimit(importMemory)
		r := work(idx)
		restore()
		fyne.Do(func() {
			if index() != idx {
				againstIndex(nil, index, work, done)
				return
			}
			done(r)
		})
	})
}

// show puts the report on screen; Merge applies the plan.
func (m merger) show(plan *mergePlan) *dialog.ConfirmDialog { return m.showHolding(plan, func() {}) }

// showHolding is show, calling release once the plan is merged (its save
// begun) or dismissed.
func (m merger) showHolding(plan *mergePlan, release func()) *dialog.ConfirmDialog {
	name := filepath.Base(plan.path)
	if plan.change.Empty() {
		release()
		dialog.ShowInformation("Merge "+name, "Nothing to merge: everything in "+name+" is already here.\n\n"+mergeReportText(plan.report), m.ed.win)
		return nil
	}
	body := container.NewVScroll(wrapLabel(mergeReportText(plan.report)))
	d := dialog.NewCustomConfirm("Merge "+name+"?", "Merge", "Cancel", body, func(ok bool) {
		if ok {
			m.apply(plan, nil)
		}
		release()
	}, m.ed.win)
	d.Resize(fitSize(m.ed.win, 720, 560))
	d.Show()
	return d
}

// apply merges as one change, saved off the UI goroutine (a large
// project's merge takes seconds); then reports whether it was saved.
func (m merger) apply(plan *mergePlan, then func(ok bool)) {
	m.ed.doLarge(plan.change, func(ok bool) {
		if ok {
			m.report(plan)
		}
		if then != nil {
			then(ok)
		}
	})
}

// report says what a merge did, and opens Needs review on its conflicts.
func (m merger) report(plan *mergePlan) {
	r := plan.report
	msg := fmt.Sprintf("Merged %s: %d added, %d updated, %d already here", filepath.Base(plan.path),
		r.Added.Total(), r.Updated.Total(), r.Same.Total())
	if n := len(r.Conflicts); n > 0 {
		msg += fmt.Sprintf(", %s in Needs review", plural(n, "conflict"))
	}
	m.status(msg + " — Edit ▸ Undo takes it back")
	if len(r.Conflicts)+len(r.Orphaned) > 0 && m.conflicts != nil {
		m.conflicts()
	}
}

// mergeReportText is the report as the dialog shows it.
func mergeReportText(r annotate.MergeReport) string {
	var b strings.Builder
	line := func(title string, c annotate.MergeCounts) {
		fmt.Fprintf(&b, "%s: %s\n", title, countsText(c))
	}
	line("Added", r.Added)
	line("Updated", r.Updated)
	line("Already here (skipped)", r.Same)
	if len(r.Conflicts) > 0 {
		fmt.Fprintf(&b, "\nChanged on both sides (%d) — the later change is kept, the other can be switched to in Needs review:\n", len(r.Conflicts))
		for _, c := range r.Conflicts {
			fmt.Fprintf(&b, "• %s: %s — kept: %s\n", c.Source, annotate.QuoteShort(strings.Join(strings.Fields(c.Quote), " "), 60), c.Kept)
		}
	}
	if len(r.Disagreements) > 0 {
		fmt.Fprintf(&b, "\nKept as it is here (%d):\n", len(r.Disagreements))
		for _, d := range r.Disagreements {
			fmt.Fprintf(&b, "• %s\n", d)
		}
	}
	if len(r.Reanchored)+len(r.Orphaned) > 0 {
		b.WriteString("\n")
	}
	if len(r.Reanchored) > 0 {
		fmt.Fprintf(&b, "%s on sources whose text differs here were re-anchored.\n", plural(len(r.Reanchored), "annotation"))
	}
	if len(r.Orphaned) > 0 {
		fmt.Fprintf(&b, "%s could not be placed on this project's text: they are kept as orphans, listed in Needs review.\n", plural(len(r.Orphaned), "annotation"))
	}
	return strings.TrimRight(b.String(), "\n")
}

// countsText names the non-zero kinds, e.g. "2 sources, 14 annotations".
func countsText(c annotate.MergeCounts) string {
	var parts []string
	for _, k := range []struct {
		n    int
		word string
	}{{c.Sources, "source"}, {c.Codes, "code"}, {c.Targets, "target"}, {c.Annotations, "annotation"},
		{c.Links, "link"}, {c.Claims, "claim"}, {c.Versions, "text version"}} {
		if k.n > 0 {
			parts = append(parts, plural(k.n, k.word))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

func (w *Workspace) merger() merger {
	w.flushNote() // the merge is computed against what is saved
	return merger{ed: w.editor(), status: w.setStatus, openOther: w.cfg.OpenOther,
		current: func() string { return w.path }, conflicts: w.showReview}
}

// mergeDialog is File ▸ Merge project….
func (w *Workspace) mergeDialog() {
	if w.sess == nil {
		w.showError(errors.New("open a project first: a merge brings another project into the open one"))
		return
	}
	w.merger().dialog()
}
