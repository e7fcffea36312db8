package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/export"
	"gloss/annotate/ingest"
	"gloss/app/session"
)

// projectExt is the extension of project files (storage.Extension; app
// does not import storage).
const projectExt = ".gloss"

// importExts are the file types offered in the import dialog and taken from
// a folder; dropped files are all tried, and refused ones are reported.
// A .qdpx is a whole REFI-QDA project (QualCoder, NVivo, ATLAS.ti, MAXQDA)
// and is merged into the open one.
var importExts = []string{".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".qdpx"}

func (w *Workspace) openDialog() {
	w.pickFile([]string{projectExt}, "Open project", true, func(path string) { w.openPath(path, false) })
}

// pickFile shows a file-open dialog for files ending in exts and hands the
// chosen path to then; atProject starts it in the open project's folder.
func (w *Workspace) pickFile(exts []string, confirm string, atProject bool, then func(path string)) {
	d := openFileDialog(w.Window, exts, w.showError, then)
	d.SetConfirmText(confirm)
	if atProject {
		w.dialogAtProject(d)
	}
	w.showFileDialog(d)
}

// openFileDialog builds a file-open dialog on win for files ending in exts;
// it hands the chosen path to then, and errors to onErr. Show it with
// showFileDialog.
func openFileDialog(win fyne.Window, exts []string, onErr func(error), then func(path string)) *dialog.FileDialog {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			onErr(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		then(path)
	}, win)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	return d
}

// showFileDialog shows a file dialog sized to fit the window. Fyne 2.8.1's
// FileDialog.Resize dereferences the dialog that only Show builds, so the
// size must be set after showing, never before.
func (w *Workspace) showFileDialog(d *dialog.FileDialog) { showFileDialog(w.Window, d) }

func showFileDialog(win fyne.Window, d *dialog.FileDialog) {
	d.Show()
	d.Resize(fitSize(win, 900, 620))
}

// dialogAtProject starts a file dialog in the open project's folder.
func (w *Workspace) dialogAtProject(d *dialog.FileDialog) {
	if w.path == "" {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(w.path))); err == nil {
		d.SetLocation(l)
	}
}

// newProjectDialog asks for a folder, then a name, so an existing project
// is never truncated by a save dialog.
func (w *Workspace) newProjectDialog() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			w.showError(err)
			return
		}
		if dir == nil {
			return
		}
		name := widget.NewEntry()
		name.SetPlaceHolder("e.g. repatriation-2024")
		form := dialog.NewForm("New project in "+dir.Path(), "Create", "Cancel",
			[]*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
				if !ok {
					return
				}
				n := strings.TrimSpace(name.Text)
				if n == "" {
					w.showError(errors.New("the project needs a name"))
					return
				}
				if !strings.HasSuffix(strings.ToLower(n), projectExt) {
					n += projectExt
				}
				path := filepath.Join(dir.Path(), n)
				if _, err := os.Stat(path); err == nil {
					w.showError(fmt.Errorf("%s already exists: use File ▸ Open to open it", path))
					return
				}
				w.openPath(path, true)
			}, w.Window)
		form.Resize(fyne.NewSize(480, 180))
		form.Show()
	}, w.Window)
	d.SetConfirmText("Create here")
	w.dialogAtProject(d)
	w.showFileDialog(d)
}

func (w *Workspace) importDialog() {
	if w.sess == nil {
		return
	}
	w.pickFile(importExts, "Import", false, func(path string) { w.importPaths([]string{path}) })
}

func (w *Workspace) importFolderDialog() {
	if w.sess == nil {
		return
	}
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			w.showError(err)
			return
		}
		if dir == nil {
			return
		}
		paths, err := importableIn(dir.Path())
		if err != nil {
			w.showError(err)
			return
		}
		if len(paths) == 0 {
			dialog.ShowInformation("Nothing to import", "No text, Markdown or HTML files in "+dir.Path(), w.Window)
			return
		}
		w.importPaths(paths)
	}, w.Window)
	d.SetConfirmText("Import all files")
	w.showFileDialog(d)
}

// importableIn lists the importable files directly inside dir.
func importableIn(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		ext := strings.ToLower(filepath.Ext(e.Name()))
		for _, x := range importExts {
			if ext == x {
				out = append(out, filepath.Join(dir, e.Name()))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// importURIs imports files dropped on the window; dropped folders give
// their importable files.
func (w *Workspace) importURIs(uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() != "file" {
			continue
		}
		p := u.Path()
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			sub, err := importableIn(p)
			if err != nil {
				w.showError(err)
				continue
			}
			paths = append(paths, sub...)
			continue
		}
		paths = append(paths, p)
	}
	if len(paths) > 0 {
		w.importPaths(paths)
	}
}

// importPaths reads files in the background with a progress bar, then adds
// every good one as one undoable change and lists the problems.
func (w *Workspace) importPaths(paths []string) {
	if w.sess == nil || len(paths) == 0 {
		return
	}
	bar := widget.NewProgressBar()
	bar.Max = float64(len(paths))
	file := widget.NewLabel("")
	file.Truncation = fyne.TextTruncateEllipsis
	prog := dialog.NewCustomWithoutButtons(fmt.Sprintf("Importing %s", plural(len(paths), "file")), container.NewVBox(file, bar), w.Window)
	prog.Resize(fyne.NewSize(420, 140))
	prog.Show()
	idx := w.index()
	sess := w.sess
	goBackground(func() {
		defer raiseMemoryLimit(importMemory)()
		res := ingest.Files(paths, ingest.Hashes(idx.P.Sources), ingest.Options{Progress: func(done, total int, f string) {
			fyne.Do(func() {
				bar.SetValue(float64(done))
				file.SetText(filepath.Base(f))
			})
		}})
		fyne.Do(func() {
			if w.sess != sess {
				prog.Hide()
				return // the project was closed meanwhile
			}
			// The change (with the merge of any .qdpx archive) is built
			// off the UI goroutine too: for 10,000 sources it takes
			// seconds.
			againstIndex(w.allRead(), w.index, res.Change, func(ch annotate.Change) {
				prog.Hide()
				if w.sess != sess {
					return
				}
				w.finishImport(res, ch, func() {
					if w.afterImport != nil {
						w.afterImport()
					}
				})
			})
		})
	})
}

// finishImport saves ch, the change an import read (off the UI goroutine:
// ten thousand files take seconds to save), shows the first new source
// and reports; then follows.
func (w *Workspace) finishImport(res ingest.Result, ch annotate.Change, then func()) {
	n := len(ch.PutSources)
	if n == 0 {
		w.reportImport(res, 0)
		then()
		return
	}
	ch.Label = "Import " + plural(n, "source")
	if n == 1 {
		ch.Label = "Import " + ch.PutSources[0].DisplayTitle()
	}
	w.doLarge(ch, func(ok bool) {
		added := 0
		if ok {
			added = n
			w.selectSource(ch.PutSources[0].ID)
		}
		w.reportImport(res, added)
		then()
	})
}

// reportImport says what an import added and what it could not.
func (w *Workspace) reportImport(res ingest.Result, added int) {
	encs := readAs(res)
	if len(res.Problems) == 0 && len(res.Skipped) == 0 && len(res.Notes) == 0 {
		msg := "Imported " + plural(added, "source")
		if e := encodingsUsed(res); e != "" && added > 0 {
			msg += " (read as " + e + ")"
		}
		w.setStatus(msg)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Imported %s.\n", plural(added, "source"))
	if len(encs) > 0 {
		b.WriteString("\nRead as:\n")
		for _, s := range encs {
			b.WriteString("• " + s + "\n")
		}
	}
	if len(res.Skipped) > 0 {
		fmt.Fprintf(&b, "\nAlready in the project (%d):\n", len(res.Skipped))
		for _, s := range res.Skipped {
			b.WriteString("• " + s + "\n")
		}
	}
	if len(res.Notes) > 0 {
		fmt.Fprintf(&b, "\nNot carried over from the archives (%d):\n", len(res.Notes))
		for _, s := range res.Notes {
			b.WriteString("• " + s + "\n")
		}
	}
	if len(res.Problems) > 0 {
		fmt.Fprintf(&b, "\nNot imported (%d):\n", len(res.Problems))
		for _, e := range res.Problems {
			b.WriteString("• " + e.Error() + "\n")
		}
	}
	lbl := widget.NewLabel(b.String())
	lbl.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Import finished with problems", "Close", container.NewVScroll(lbl), w.Window)
	d.Resize(fitSize(w.Window, 640, 420))
	d.Show()
}

// readAs says how each imported file was decoded, so an analyst can spot a
// Chinese file read with the wrong encoding before annotating it.
func readAs(res ingest.Result) []string {
	var out []string
	for _, f := range res.Files {
		if f.Status != ingest.StatusImported || f.Encoding == "" {
			continue
		}
		line := filepath.Base(f.File) + ": " + f.Encoding
		if f.Replaced > 0 {
			line += fmt.Sprintf(", %d undecodable sequence(s) shown as �", f.Replaced)
		}
		out = append(out, line)
	}
	return out
}

// encodingsUsed is the distinct encodings of the imported files, "UTF-8, GB18030".
func encodingsUsed(res ingest.Result) string {
	var seen []string
	for _, f := range res.Files {
		if f.Status == ingest.StatusImported && f.Encoding != "" && !contains(seen, f.Encoding) {
			seen = append(seen, f.Encoding)
		}
	}
	return strings.Join(seen, ", ")
}

// exportDialog picks a format and what to include, then a file, and writes
// it in the background.
func (w *Workspace) exportDialog() {
	if w.sess == nil {
		return
	}
	idx := w.index()
	var labels []string
	for _, f := range export.Formats {
		labels = append(labels, f.Label)
	}
	format := widget.NewSelect(labels, nil)
	format.SetSelected(labels[0])
	scope := widget.NewSelect([]string{"All sources", "Only the current source"}, nil)
	scope.SetSelected("All sources")
	codes := []string{anyCode}
	for _, c := range idx.CodeTree() {
		codes = append(codes, idx.CodePath(c.ID))
	}
	code := widget.NewSelect(codes, nil)
	code.SetSelected(anyCode)
	targets := []string{anyTarget}
	for _, t := range idx.P.Targets {
		targets = append(targets, t.Name)
	}
	target := widget.NewSelect(targets, nil)
	target.SetSelected(anyTarget)
	var stances []string
	for _, s := range annotate.Stances {
		stances = append(stances, string(s))
	}
	stance := widget.NewSelect(stances, nil)
	stance.PlaceHolder = "stance"
	creds := []string{anyCred}
	for _, g := range annotate.CredibilityScale[:5] {
		creds = append(creds, fmt.Sprintf("%d or better (%s)", g.Grade, g.Label))
	}
	cred := widget.NewSelect(creds, nil)
	cred.SetSelected(anyCred)
	title := entryWith(projectTitle(w.path))

	form := []*widget.FormItem{
		widget.NewFormItem("Format", format),
		widget.NewFormItem("Sources", scope),
		widget.NewFormItem("Code", code),
		widget.NewFormItem("Stance", container.NewGridWithColumns(2, target, stance)),
		widget.NewFormItem("Credibility", cred),
		widget.NewFormItem("Title", title),
	}
	d := dialog.NewForm("Export", "Choose file…", "Cancel", form, func(ok bool) {
		if !ok {
			return
		}
		f := export.Formats[indexOf(labels, format.Selected)]
		var flt annotate.Filter
		if scope.Selected != "All sources" && w.srcID != "" {
			flt.Sources = []string{w.srcID}
		}
		if code.Selected != anyCode {
			for _, c := range idx.P.Codes {
				if idx.CodePath(c.ID) == code.Selected {
					flt.Codes = []string{c.ID}
				}
			}
		}
		if target.Selected != anyTarget && stance.Selected != "" {
			if t, ok := idx.TargetByName(target.Selected); ok {
				flt.Stances = []annotate.StanceMark{{Target: t.ID, Stance: annotate.Stance(stance.Selected)}}
			}
		}
		if i := indexOf(creds, cred.Selected); i > 0 {
			flt.MaxCredibility = annotate.Credibility(i)
		}
		// One reader of texts: the window's drawing needs the other core.
		w.exportTo(f, flt, export.Options{Title: title.Text, Author: w.sess.Author, Workers: 1})
	}, w.Window)
	d.Resize(fitSize(w.Window, 560, 420))
	d.Show()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return 0
}

func (w *Workspace) exportTo(f export.Format, flt annotate.Filter, opt export.Options) {
	sess := w.sess
	save := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			w.showError(err)
			return
		}
		if wc == nil {
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		bar := widget.NewProgressBar()
		step := widget.NewLabel("Reading the project…")
		var stop *widget.Button
		stop = widget.NewButton("Cancel", func() {
			cancel()
			step.SetText("Cancelling…")
			stop.Disable()
		})
		prog := dialog.NewCustomWithoutButtons("Exporting", container.NewVBox(widget.NewLabel(wc.URI().Name()), bar, step, stop), w.Window)
		prog.Show()
		var last time.Time
		progress := func(p export.Progress) {
			// Called for every source on the export goroutine; the window
			// is told at most ten times a second.
			if time.Since(last) < 100*time.Millisecond && p.Done < p.Total {
				return
			}
			last = time.Now()
			fyne.Do(func() {
				if ctx.Err() != nil {
					return
				}
				if p.Total > 0 {
					bar.SetValue(float64(p.Done) / float64(p.Total))
				}
				step.SetText(fmt.Sprintf("Pass %d: source %d of %d", p.Pass, p.Done, p.Total))
			})
		}
		goBackground(func() { w.writeExport(ctx, sess, wc, f, flt, opt, progress, func() { cancel(); prog.Hide() }) })
	}, w.Window)
	save.SetFileName(projectTitle(w.path) + f.Ext)
	save.SetFilter(storage.NewExtensionFileFilter([]string{f.Ext}))
	w.dialogAtProject(save)
	w.showFileDialog(save)
}

// writeExport writes what flt selects of the session's project in format f
// to wc, off the UI goroutine and streaming from the store (one source at a
// time), then reports on the UI goroutine. Cancelling ctx stops it; a
// cancelled or failed export removes the partial file.
func (w *Workspace) writeExport(ctx context.Context, sess *session.Session, wc fyne.URIWriteCloser, f export.Format, flt annotate.Filter,
	opt export.Options, progress func(export.Progress), hide func()) {
	restore := raiseMemoryLimit(reportMemory)
	defer restore()
	start := time.Now()
	werr := sess.Read(func(r annotate.Reader) error {
		fr, err := annotate.FilterReader(r, flt)
		if err != nil {
			return err
		}
		wr, err := export.Watch(ctx, fr, progress)
		if err != nil {
			return err
		}
		return f.Write(wc, wr, opt)
	})
	if cerr := wc.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = storage.Delete(wc.URI())
	}
	restore()
	fyne.Do(func() {
		hide()
		timed("export "+wc.URI().Name(), start)
		switch {
		case errors.Is(werr, context.Canceled):
			w.lastMsg = "Export cancelled; " + wc.URI().Name() + " was not written"
			w.refreshStatus()
		case werr != nil:
			w.showError(fmt.Errorf("export to %s: %w", wc.URI().Path(), werr))
		default:
			w.exportDone(wc.URI())
		}
	})
}

func (w *Workspace) exportDone(u fyne.URI) {
	w.lastMsg = "Exported " + u.Name()
	w.refreshStatus()
	msg := widget.NewLabel("Written to\n" + u.Path())
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	open := widget.NewButton("Open", func() {
		if pu, err := url.Parse(u.String()); err == nil {
			if err := w.app.OpenURL(pu); err != nil {
				w.showError(err)
			}
		}
		d.Hide()
	})
	open.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons("Export finished", container.NewVBox(msg, container.NewHBox(widget.NewButton("Close", func() { d.Hide() }), open)), w.Window)
	// Wide enough for a path on one line: the dialog's own minimum wrapped
	// it into a column a word or two wide.
	d.Resize(fitSize(w.Window, 520, 160))
	d.Show()
}
