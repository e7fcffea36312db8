package app

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
)

// codebook is the dialog where codes and stance targets are created,
// renamed, recoloured, nested, merged and deleted.
type codebook struct {
	editor
	dlg      *dialog.CustomDialog
	codes    []*annotate.Code
	codeList *widget.List
	codeID   string
	name     *widget.Entry
	swatch   *canvas.Rectangle
	parent   *widget.Select
	merge    *widget.Select
	usage    *widget.Label
	codeForm *fyne.Container

	targets    []annotate.Target
	targetList *widget.List
	targetID   string
	tname      *widget.Entry
	tusage     *widget.Label
	tmerge     *widget.Select
	teditor    *fyne.Container
}

const topLevel = "(top level)"

func (w *Workspace) codebookDialog() {
	if w.sess == nil {
		return
	}
	cb := newCodebook(w.editor())
	w.codebook = cb
	cb.dlg.SetOnClosed(func() {
		if w.codebook == cb {
			w.codebook = nil
		}
	})
	cb.dlg.Show()
}

// newCodebook builds the dialog; it edits through ed alone.
func newCodebook(ed editor) *codebook {
	cb := &codebook{editor: ed}

	// Codes tab.
	newCode := widget.NewEntry()
	newCode.SetPlaceHolder("New code name, Enter")
	addCode := func() {
		name := strings.TrimSpace(newCode.Text)
		if name == "" {
			return
		}
		ch, c, err := ed.st.Index().NewCode(name)
		if err != nil {
			dialog.ShowInformation("Code exists", fmt.Sprintf("There is already a code named “%s”.", name), ed.win)
			return
		}
		if ed.do(ch) {
			newCode.SetText("")
			cb.selectCode(c.ID)
		}
	}
	newCode.OnSubmitted = func(string) { addCode() }
	cb.codeList = widget.NewList(
		func() int { return len(cb.codes) },
		func() fyne.CanvasObject {
			sw := canvas.NewRectangle(color.Transparent)
			sw.SetMinSize(fyne.NewSize(14, 14))
			sw.CornerRadius = 3
			ind := canvas.NewRectangle(color.Transparent)
			n := widget.NewLabel("")
			n.Truncation = fyne.TextTruncateEllipsis
			u := widget.NewLabel("")
			u.Importance = widget.LowImportance
			return container.NewBorder(nil, nil, container.NewHBox(ind, container.NewCenter(sw)), u, n)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(cb.codes) {
				return
			}
			idx := ed.st.Index()
			c := cb.codes[i]
			box := o.(*fyne.Container)
			left := box.Objects[1].(*fyne.Container)
			left.Objects[0].(*canvas.Rectangle).SetMinSize(fyne.NewSize(float32(idx.CodeDepth(c.ID))*16, 1))
			sw := left.Objects[1].(*fyne.Container).Objects[0].(*canvas.Rectangle)
			sw.FillColor = parseColor(c.Color)
			sw.Refresh()
			left.Refresh()
			key := ""
			if i < 9 {
				key = fmt.Sprintf("%d  ", i+1)
			}
			box.Objects[0].(*widget.Label).SetText(key + c.Name)
			use := "…"
			if !cb.st.reading() {
				use = fmt.Sprint(idx.CodeUsage(c.ID))
			}
			box.Objects[2].(*widget.Label).SetText(use)
		})
	cb.codeList.OnSelected = func(i widget.ListItemID) {
		if i < len(cb.codes) {
			cb.codeID = cb.codes[i].ID
			cb.showCode()
		}
	}
	cb.name = widget.NewEntry()
	cb.name.OnSubmitted = func(string) { cb.rename() }
	cb.swatch = canvas.NewRectangle(color.Transparent)
	cb.swatch.SetMinSize(fyne.NewSize(40, 24))
	cb.swatch.CornerRadius = 4
	colourBtn := widget.NewButtonWithIcon("Colour…", theme.ColorPaletteIcon(), cb.recolour)
	cb.parent = widget.NewSelect(nil, func(s string) { cb.reparent(s) })
	cb.merge = widget.NewSelect(nil, nil)
	cb.merge.PlaceHolder = "Merge into…"
	mergeBtn := widget.NewButton("Merge", cb.mergeInto)
	delBtn := widget.NewButtonWithIcon("Delete code…", theme.DeleteIcon(), func() { ed.deleteCode(cb.codeID) })
	delBtn.Importance = widget.DangerImportance
	cb.usage = widget.NewLabel("")
	cb.usage.Wrapping = fyne.TextWrapWord
	cb.codeForm = container.NewVBox(
		widget.NewForm(
			widget.NewFormItem("Name", container.NewBorder(nil, nil, nil, widget.NewButton("Rename", cb.rename), cb.name)),
			widget.NewFormItem("Colour", container.NewHBox(cb.swatch, colourBtn)),
			widget.NewFormItem("Inside", cb.parent),
			widget.NewFormItem("Merge", container.NewBorder(nil, nil, nil, mergeBtn, cb.merge)),
		),
		cb.usage, container.NewHBox(delBtn))
	codesTab := container.NewHSplit(
		container.NewBorder(container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), addCode), newCode), nil, nil, nil, cb.codeList),
		container.NewVScroll(cb.codeForm))
	codesTab.Offset = 0.45

	// Targets tab.
	newTarget := widget.NewEntry()
	newTarget.SetPlaceHolder("New stance target, Enter")
	addTarget := func() {
		name := strings.TrimSpace(newTarget.Text)
		if name == "" {
			return
		}
		ch, _, err := ed.st.Index().NewTarget(name)
		if err != nil {
			dialog.ShowInformation("Target exists", fmt.Sprintf("There is already a target named “%s”.", name), ed.win)
			return
		}
		if ed.do(ch) {
			newTarget.SetText("")
		}
	}
	newTarget.OnSubmitted = func(string) { addTarget() }
	cb.targetList = widget.NewList(
		func() int { return len(cb.targets) },
		func() fyne.CanvasObject {
			u := widget.NewLabel("")
			u.Importance = widget.LowImportance
			return container.NewBorder(nil, nil, nil, u, widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(cb.targets) {
				return
			}
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(cb.targets[i].Name)
			box.Objects[1].(*widget.Label).SetText(fmt.Sprint(ed.st.Index().StanceUsage(cb.targets[i].ID)))
		})
	cb.targetList.OnSelected = func(i widget.ListItemID) {
		if i < len(cb.targets) {
			cb.targetID = cb.targets[i].ID
			cb.showTarget()
		}
	}
	cb.tname = widget.NewEntry()
	cb.tname.OnSubmitted = func(string) { cb.renameTarget() }
	cb.tusage = widget.NewLabel("")
	tdel := widget.NewButtonWithIcon("Delete target…", theme.DeleteIcon(), func() { ed.deleteTarget(cb.targetID) })
	tdel.Importance = widget.DangerImportance
	cb.tmerge = widget.NewSelect(nil, nil)
	cb.tmerge.PlaceHolder = "Merge into…"
	cb.teditor = container.NewVBox(
		widget.NewForm(
			widget.NewFormItem("Name", container.NewBorder(nil, nil, nil, widget.NewButton("Rename", cb.renameTarget), cb.tname)),
			widget.NewFormItem("Merge", container.NewBorder(nil, nil, nil, widget.NewButton("Merge", cb.mergeTarget), cb.tmerge)),
		),
		cb.tusage, container.NewHBox(tdel))
	targetsTab := container.NewHSplit(
		container.NewBorder(container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), addTarget), newTarget), nil, nil, nil, cb.targetList),
		container.NewVScroll(cb.teditor))
	targetsTab.Offset = 0.45

	tabs := container.NewAppTabs(container.NewTabItem("Codes", codesTab), container.NewTabItem("Stance targets", targetsTab))
	cb.dlg = dialog.NewCustom("Codebook", "Close", tabs, ed.win)
	cb.dlg.Resize(fitSize(ed.win, 820, 600))
	cb.refresh(ed.st.Index())
	if len(cb.codes) > 0 {
		cb.selectCode(cb.codes[0].ID)
	}
	return cb
}

func (cb *codebook) refresh(idx *annotate.Index) {
	cb.codes = idx.CodeTree()
	cb.targets = append(cb.targets[:0], idx.P.Targets...)
	if !idx.HasCode(cb.codeID) {
		cb.codeID = ""
	}
	if !idx.HasTarget(cb.targetID) {
		cb.targetID = ""
	}
	cb.codeList.Refresh()
	cb.targetList.Refresh()
	cb.showCode()
	cb.showTarget()
}

func (cb *codebook) selectCode(id string) {
	for i, c := range cb.codes {
		if c.ID == id {
			cb.codeList.Select(i)
			return
		}
	}
}

func (cb *codebook) showCode() {
	idx := cb.st.Index()
	c := idx.Code[cb.codeID]
	if c == nil {
		cb.codeForm.Hide()
		return
	}
	cb.codeForm.Show()
	cb.name.SetText(c.Name)
	cb.swatch.FillColor = parseColor(c.Color)
	cb.swatch.Refresh()
	// A code cannot move inside itself or its own descendants.
	opts := []string{topLevel}
	var others []string
	for _, o := range cb.codes {
		if o.ID == c.ID {
			continue
		}
		others = append(others, idx.CodePath(o.ID))
		if !idx.Within(o.ID, c.ID) {
			opts = append(opts, idx.CodePath(o.ID))
		}
	}
	cb.parent.Options = opts
	cb.parent.Selected = topLevel
	if c.Parent != "" && idx.Code[c.Parent] != nil {
		cb.parent.Selected = idx.CodePath(c.Parent)
	}
	cb.parent.Refresh()
	cb.merge.Options = others
	cb.merge.ClearSelected()
	if cb.st.reading() {
		cb.usage.SetText("Counting the annotations that use it…")
	} else {
		cb.usage.SetText(fmt.Sprintf("Used by %s.", plural(idx.CodeUsage(c.ID), "annotation")))
	}
}

func (cb *codebook) codeByPath(path string) *annotate.Code {
	idx := cb.st.Index()
	for _, c := range cb.codes {
		if idx.CodePath(c.ID) == path {
			return c
		}
	}
	return nil
}

func (cb *codebook) putCode(label string, fn func(c *annotate.Code)) {
	c := cb.st.Index().Code[cb.codeID]
	if c == nil {
		return
	}
	n := *c
	fn(&n)
	if n == *c {
		return
	}
	cb.do(annotate.Change{Label: fmt.Sprintf(label, c.Name), PutCodes: []annotate.Code{n}})
}

func (cb *codebook) rename() {
	name := strings.TrimSpace(cb.name.Text)
	if name == "" {
		return
	}
	if o, ok := cb.st.Index().CodeByName(name); ok && o.ID != cb.codeID {
		dialog.ShowInformation("Name in use", fmt.Sprintf("Another code is named “%s”: merge them instead.", name), cb.win)
		return
	}
	cb.putCode("Rename code %s to "+name, func(c *annotate.Code) { c.Name = name })
}

func (cb *codebook) recolour() {
	c := cb.st.Index().Code[cb.codeID]
	if c == nil {
		return
	}
	p := dialog.NewColorPicker("Colour of "+c.Name, "Highlights with this code use it", func(col color.Color) {
		cb.putCode("Recolour code %s", func(c *annotate.Code) { c.Color = hexColor(col) })
	}, cb.win)
	p.Advanced = true
	p.SetColor(parseColor(c.Color))
	p.Show()
}

func (cb *codebook) reparent(path string) {
	if path == "" {
		return
	}
	pid := ""
	if path != topLevel {
		p := cb.codeByPath(path)
		if p == nil {
			return
		}
		pid = p.ID
	}
	cb.putCode("Move code %s", func(c *annotate.Code) { c.Parent = pid })
}

func (cb *codebook) mergeInto() {
	if cb.st.waitAllRead(cb.win, cb.mergeInto) {
		return
	}
	idx := cb.st.Index()
	from := idx.Code[cb.codeID]
	into := cb.codeByPath(cb.merge.Selected)
	if from == nil || into == nil {
		return
	}
	n := idx.CodeUsage(from.ID)
	msg := fmt.Sprintf("Merge “%s” into “%s”?\nIts %s will carry “%s” instead, and “%s” will be removed.\nYou can undo this with Ctrl+Z.",
		from.Name, into.Name, plural(n, "annotation"), into.Name, from.Name)
	cd := dialog.NewConfirm("Merge codes?", msg, func(ok bool) {
		if !ok {
			return
		}
		c := cb.st.Index().MergeCodes(from.ID, into.ID)
		c.Label = "Merge code " + from.Name + " into " + into.Name
		if cb.do(c) {
			cb.selectCode(into.ID)
		}
	}, cb.win)
	cd.SetConfirmText("Merge")
	cd.Show()
}

// deleteCode removes a code; when annotations carry it, it asks first and
// says how many.
func (ed editor) deleteCode(id string) {
	if ed.st.waitAllRead(ed.win, func() { ed.deleteCode(id) }) {
		return
	}
	idx := ed.st.Index()
	c := idx.Code[id]
	if c == nil {
		return
	}
	name := c.Name
	run := func() {
		ch := ed.st.Index().DeleteCode(id)
		ch.Label = "Delete code " + name
		ed.do(ch)
	}
	n := idx.CodeUsage(id)
	if n == 0 {
		run()
		return
	}
	msg := fmt.Sprintf("“%s” is used by %s.\nDeleting it removes the code from them; the passages stay highlighted.\nYou can undo this with Ctrl+Z.", name, plural(n, "annotation"))
	cd := dialog.NewConfirm("Delete code in use?", msg, func(ok bool) {
		if ok {
			run()
		}
	}, ed.win)
	cd.SetConfirmText("Delete")
	cd.SetDismissText("Keep")
	cd.Show()
}

func (cb *codebook) showTarget() {
	idx := cb.st.Index()
	t := idx.Target[cb.targetID]
	if t == nil {
		cb.teditor.Hide()
		return
	}
	cb.teditor.Show()
	cb.tname.SetText(t.Name)
	var others []string
	for _, o := range cb.targets {
		if o.ID != t.ID {
			others = append(others, o.Name)
		}
	}
	cb.tmerge.Options = others
	cb.tmerge.ClearSelected()
	cb.tusage.SetText(fmt.Sprintf("%s take a stance toward it.", plural(idx.StanceUsage(t.ID), "annotation")))
}

func (cb *codebook) renameTarget() {
	idx := cb.st.Index()
	t := idx.Target[cb.targetID]
	name := strings.TrimSpace(cb.tname.Text)
	if t == nil || name == "" || name == t.Name {
		return
	}
	if o, ok := idx.TargetByName(name); ok && o.ID != t.ID {
		dialog.ShowInformation("Name in use", fmt.Sprintf("Another target is named “%s”.", name), cb.win)
		return
	}
	n := *t
	n.Name = name
	cb.do(annotate.Change{Label: "Rename target " + t.Name + " to " + name, PutTargets: []annotate.Target{n}})
}

func (ed editor) deleteTarget(id string) {
	if ed.st.waitAllRead(ed.win, func() { ed.deleteTarget(id) }) {
		return
	}
	idx := ed.st.Index()
	t := idx.Target[id]
	if t == nil {
		return
	}
	name := t.Name
	run := func() {
		ch := ed.st.Index().DeleteTarget(id)
		ch.Label = "Delete target " + name
		ed.do(ch)
	}
	n := idx.StanceUsage(id)
	if n == 0 {
		run()
		return
	}
	cd := dialog.NewConfirm("Delete stance target?", fmt.Sprintf("%s take a stance toward “%s”; those stances will be removed.\nYou can undo this with Ctrl+Z.", plural(n, "annotation"), name), func(ok bool) {
		if ok {
			run()
		}
	}, ed.win)
	cd.SetConfirmText("Delete")
	cd.Show()
}

// mergeTarget folds one stance target into another: stances toward the
// first now point at the second (an annotation that already has a stance
// toward the second keeps that one), and the first is deleted.
func (cb *codebook) mergeTarget() {
	if cb.st.waitAllRead(cb.win, cb.mergeTarget) {
		return
	}
	idx := cb.st.Index()
	from := idx.Target[cb.targetID]
	into, ok := idx.TargetByName(cb.tmerge.Selected)
	if from == nil || !ok || into.ID == from.ID {
		return
	}
	c := idx.MergeTargets(from.ID, into.ID)
	msg := fmt.Sprintf("Merge “%s” into “%s”?\n%s will take their stance toward “%s” instead.\nYou can undo this with Ctrl+Z.",
		from.Name, into.Name, plural(idx.StanceUsage(from.ID), "annotation"), into.Name)
	cd := dialog.NewConfirm("Merge stance targets?", msg, func(ok bool) {
		if ok {
			cb.do(c)
		}
	}, cb.win)
	cd.SetConfirmText("Merge")
	cd.Show()
}
