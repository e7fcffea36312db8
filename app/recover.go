package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Recovery is what the window can do with a project that cannot be opened.
// app does not import storage; cmd/gloss fills these in from it.
type Recovery struct {
	// Backups lists the project's backups, newest first.
	Backups func(project string) ([]BackupInfo, error)
	// Restore puts a backup in the project's place and returns where the
	// damaged file was moved.
	Restore func(project, backup string) (movedAside string, err error)
	// Salvage copies every readable record into a new project at dst.
	Salvage func(project, dst string) (SalvageInfo, error)
}

// BackupInfo is one backup as the restore dialog lists it.
type BackupInfo struct {
	Path                 string
	Time                 time.Time
	Sources, Annotations int
	OK                   bool   // it verifies and can be restored
	Problem              string // why not, or what it carries over
}

// SalvageInfo is what a salvage kept and lost.
type SalvageInfo struct {
	To       string
	Kept     map[string]int // by kind: "sources", "annotations", …
	Lost     []string       // each record not kept, and why
	Problems []string       // what a check finds in the new project
}

// recoveryUI offers the Recovery choices in a window. It needs only the
// window, a way to open the result, and the status bar.
type recoveryUI struct {
	r      *Recovery
	win    fyne.Window
	open   func(path string, then func()) // open a project; then runs once it is shown
	status func(msg string)
	errs   func(err error)
}

func (w *Workspace) recovery() recoveryUI {
	return recoveryUI{r: w.cfg.Recovery, win: w.Window, status: w.setStatus, errs: w.showError,
		open: func(p string, then func()) { w.openPath(p, false, then) }}
}

// recoveryButtons are the ways out offered for a project that failed to
// open; none when the file does not exist or no recovery is configured.
func (u recoveryUI) buttons(path string) []fyne.CanvasObject {
	r := u.r
	if r == nil || path == "" {
		return nil
	}
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		return nil
	}
	var out []fyne.CanvasObject
	if r.Backups != nil && r.Restore != nil {
		out = append(out, widget.NewButtonWithIcon("Restore from backup…", theme.HistoryIcon(), func() { u.restoreDialog(path) }))
	}
	if r.Salvage != nil {
		out = append(out, widget.NewButtonWithIcon("Salvage…", theme.MediaReplayIcon(), func() { u.salvageDialog(path) }))
	}
	return out
}

// restoreDialog lists the backups and, after saying what is lost, puts the
// chosen one in place of the project and opens it.
func (u recoveryUI) restoreDialog(path string) {
	r := u.r
	list, err := r.Backups(path)
	if err != nil {
		u.errs(fmt.Errorf("backups of %s: %w", filepath.Base(path), err))
		return
	}
	var good []BackupInfo
	var bad []string
	for _, b := range list {
		if b.OK {
			good = append(good, b)
		} else {
			bad = append(bad, backupLabel(b)+": "+b.Problem)
		}
	}
	if len(good) == 0 {
		msg := "There is no backup of " + filepath.Base(path) + " that can be restored."
		if len(bad) > 0 {
			msg += "\n\n" + strings.Join(bad, "\n")
		}
		msg += "\n\nSalvage can still copy every readable record into a new project."
		dialog.ShowInformation("No backup to restore", msg, u.win)
		return
	}
	sort.SliceStable(good, func(i, j int) bool { return good[i].Time.After(good[j].Time) })
	opts := make([]string, len(good))
	for i, b := range good {
		opts[i] = backupLabel(b)
	}
	pick := widget.NewRadioGroup(opts, nil)
	pick.SetSelected(opts[0])
	loses := widget.NewLabel("")
	loses.Wrapping = fyne.TextWrapWord
	explain := func(s string) {
		for i, o := range opts {
			if o == s {
				loses.SetText(restoreLoses(path, good[i]))
			}
		}
	}
	pick.OnChanged = explain
	explain(opts[0])
	body := container.NewVBox(widget.NewLabel("Backups of "+filepath.Base(path)+" that verify, newest first:"), pick, widget.NewSeparator(), loses)
	if len(bad) > 0 {
		l := widget.NewLabel("Not offered:\n" + strings.Join(bad, "\n"))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		body.Add(l)
	}
	d := dialog.NewCustomConfirm("Restore from backup", "Restore", "Cancel", container.NewVScroll(body), func(ok bool) {
		if !ok {
			return
		}
		var chosen BackupInfo
		for i, o := range opts {
			if o == pick.Selected {
				chosen = good[i]
			}
		}
		if chosen.Path == "" {
			return
		}
		aside, err := r.Restore(path, chosen.Path)
		if err != nil {
			u.errs(err)
			return
		}
		u.open(path, func() {
			u.status(fmt.Sprintf("Restored the backup of %s; the damaged file is kept as %s", chosen.Time.Local().Format("2006-01-02 15:04"), filepath.Base(aside)))
		})
	}, u.win)
	d.Resize(fitSize(u.win, 620, 460))
	d.Show()
}

func backupLabel(b BackupInfo) string {
	return fmt.Sprintf("%s — %s, %s", b.Time.Local().Format("2006-01-02 15:04"), plural(b.Sources, "source"), plural(b.Annotations, "annotation"))
}

// restoreLoses says, before anything happens, what restoring b costs.
func restoreLoses(path string, b BackupInfo) string {
	s := fmt.Sprintf("Restoring replaces %s with this backup: everything done after %s is lost (%s ago). "+
		"The damaged file is not deleted: it is kept beside the project as %s.damaged-….",
		filepath.Base(path), b.Time.Local().Format("2006-01-02 15:04"), ago(time.Since(b.Time)), filepath.Base(path))
	if b.Problem != "" {
		s += "\nNote: " + b.Problem
	}
	return s
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

// salvagePath is a new file beside the project for the salvaged copy.
func salvagePath(path string) string {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	ext := filepath.Ext(path)
	for i := 1; ; i++ {
		p := base + " (salvaged)" + ext
		if i > 1 {
			p = fmt.Sprintf("%s (salvaged %d)%s", base, i, ext)
		}
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
}

// salvageDialog copies what can be read into a new project, reports what
// was lost, and opens the copy.
func (u recoveryUI) salvageDialog(path string) {
	r := u.r
	dst := salvagePath(path)
	msg := fmt.Sprintf("Salvage reads every record of %s that can still be read and copies it into a new project, %s.\n"+
		"The damaged file is not changed. Records on damaged pages are lost; the report names each one.",
		filepath.Base(path), filepath.Base(dst))
	d := dialog.NewCustomConfirm("Salvage project", "Salvage", "Cancel", wrapLabel(msg), func(ok bool) {
		if !ok {
			return
		}
		prog := showBusy("Salvaging", filepath.Base(path), u.win)
		go func() {
			rep, err := r.Salvage(path, dst)
			fyne.Do(func() {
				prog.Hide()
				if err != nil {
					u.errs(err)
					return
				}
				u.open(rep.To, func() { u.showSalvageReport(path, rep) })
			})
		}()
	}, u.win)
	d.Resize(fitSize(u.win, 560, 260))
	d.Show()
}

func (u recoveryUI) showSalvageReport(from string, rep SalvageInfo) {
	var b strings.Builder
	fmt.Fprintf(&b, "Salvaged %s into %s.\n\nKept:", filepath.Base(from), filepath.Base(rep.To))
	kinds := make([]string, 0, len(rep.Kept))
	for k, n := range rep.Kept {
		if n > 0 {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, " %d %s,", rep.Kept[k], k)
	}
	s := strings.TrimSuffix(b.String(), ",") + "\n"
	if len(rep.Lost) == 0 {
		s += "\nNothing was lost."
	} else {
		s += fmt.Sprintf("\nLost (%d):\n• %s", len(rep.Lost), strings.Join(rep.Lost, "\n• "))
	}
	if len(rep.Problems) > 0 {
		s += fmt.Sprintf("\n\nThe new project's check found (%d):\n• %s", len(rep.Problems), strings.Join(rep.Problems, "\n• "))
	}
	d := dialog.NewCustom("Salvage report", "Close", container.NewVScroll(wrapLabel(s)), u.win)
	d.Resize(fitSize(u.win, 640, 420))
	d.Show()
}

func wrapLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}
