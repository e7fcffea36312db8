package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/annotate/claims"
	"gloss/app/session"
)

// addClaim puts a claim into the open project as the analyst would.
func addClaim(t testing.TB, ws *Workspace, text string) string {
	t.Helper()
	c, m, err := claims.New(text, "", "", "tester", time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	if !ws.do(c) {
		t.Fatal("could not add the claim")
	}
	return m.ID
}

func storedClaim(t testing.TB, f *fixture, id string) annotate.Claim {
	t.Helper()
	for _, m := range f.store.P.Claims {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("claim %s is not stored", id)
	return annotate.Claim{}
}

func TestClaimsViewAttachFromInspectorAndKeyThenAccept(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	id := addClaim(t, ws, "China accepts returnees verified as its nationals")
	d := ws.claimDesk()
	v := d.showClaims()
	if v == nil {
		t.Fatal("the Claims window did not open")
	}
	t.Cleanup(v.win.Close)
	if len(v.ids) != 1 || v.ids[0] != id {
		t.Fatalf("claims listed = %v", v.ids)
	}
	if !strings.Contains(v.rows[id][1], "0 supporting") {
		t.Fatalf("row before evidence = %q", v.rows[id][1])
	}
	v.list.Select(0)
	if d.selected != id || d.pick.Selected == "" {
		t.Fatalf("selecting the row did not pick the claim for the inspector (%q, %q)", d.selected, d.pick.Selected)
	}

	// From the inspector: the English annotation supports the claim.
	ws.focusAnnotation(f.aFavor, false)
	d.rel.SetSelected("Supports")
	test.Tap(d.attach)
	m := storedClaim(t, f, id)
	if len(m.Evidence) != 1 || m.Evidence[0].AnnotationID != f.aFavor || m.Evidence[0].Relation != annotate.Supports {
		t.Fatalf("evidence after inspector attach = %+v", m.Evidence)
	}
	if !strings.Contains(d.citedBy.Text, "Supports") {
		t.Fatalf("the inspector does not say the annotation supports a claim: %q", d.citedBy.Text)
	}

	// With the key: a new passage in the Chinese source contradicts it.
	ws.selectSource(f.zh)
	s := runeAt(t, textZH, "批评者则认为过于仓促")
	ws.Window.Canvas().Focus(ws.text.tv)
	ws.text.tv.SetSelection(s, s+10)
	d.rel.SetSelected("Contradicts")
	typeKeys(ws, "a")
	m = storedClaim(t, f, id)
	if len(m.Evidence) != 2 || m.Evidence[1].Relation != annotate.Contradicts {
		t.Fatalf("evidence after the A key = %+v", m.Evidence)
	}
	made := f.annotation(m.Evidence[1].AnnotationID)
	if made == nil || made.Selector.Exact != "批评者则认为过于仓促" {
		t.Fatalf("the A key should annotate the selection, got %+v", made)
	}
	if ws.AnnotationID() != made.ID {
		t.Fatal("the new annotation is not shown in the inspector")
	}

	// The view was told: the row and the detail show the new assessment.
	want := claims.Assess(m, claims.NewLookup(f.store.P))
	if want.Supporting != 1 || want.Contradicting != 1 {
		t.Fatalf("assessment = %+v", want)
	}
	row := v.rows[id][1]
	if !strings.Contains(row, "1 supporting / 1 contradicting") || !strings.Contains(row, fmt.Sprintf("suggested %d", want.Suggested)) {
		t.Fatalf("row = %q, want suggested %d", row, want.Suggested)
	}
	if !strings.Contains(v.explain.Text, want.Explanation) {
		t.Fatalf("detail explanation = %q, want %q", v.explain.Text, want.Explanation)
	}
	ev := evidenceText(v)
	for _, s := range []string{"Deal on return flights", "中美遣返合作", "state-affiliated", "reliability B", "Supports: “described the deal as a breakthrough”  (credibility 2)", "Contradicts: “批评者则认为过于仓促”"} {
		if !strings.Contains(ev, s) {
			t.Fatalf("evidence pane lacks %q:\n%s", s, ev)
		}
	}

	// One click opens the passage in the document.
	ws.selectSource(f.en)
	tapButtonIn(t, v, "Contradicts:")
	if ws.SourceID() != f.zh {
		t.Fatalf("the passage did not open: document shows %s", ws.SourceID())
	}
	if s0, e0 := ws.text.tv.Selection(); s0 != s || e0 != s+10 {
		t.Fatalf("selection = %d–%d, want %d–%d", s0, e0, s, s+10)
	}

	// Accept the suggestion; then set another grade: both are kept.
	test.Tap(v.accept)
	if m = storedClaim(t, f, id); m.Grade != want.Suggested {
		t.Fatalf("accepted grade = %d, want %d", m.Grade, want.Suggested)
	}
	other := annotate.Credibility(6)
	if want.Suggested == 6 {
		other = 5
	}
	v.setGrade.SetSelected(other.Option())
	if m = storedClaim(t, f, id); m.Grade != other || m.SuggestedGrade != want.Suggested {
		t.Fatalf("after setting another grade: grade %d suggested %d", m.Grade, m.SuggestedGrade)
	}
	if !strings.Contains(v.rows[id][1], fmt.Sprintf("accepted %d", other)) {
		t.Fatalf("row = %q", v.rows[id][1])
	}

	// Undo goes through the board too.
	ws.undo()
	ws.undo()
	ws.undo()
	if !strings.Contains(v.rows[id][1], "1 supporting / 0 contradicting") {
		t.Fatalf("after undoing the key attach the row = %q", v.rows[id][1])
	}
}

func TestClaimsViewEditDeleteAndNewClaimDialog(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	d := ws.claimDesk()
	// Attaching with no claim picked says so instead of failing.
	ws.focusAnnotation(f.aFavor, false)
	d.attachCurrent()
	if len(f.store.P.Claims) != 0 {
		t.Fatal("attach without a claim changed the project")
	}
	if !strings.Contains(ws.lastMsg, "Pick a claim") {
		t.Fatalf("status = %q", ws.lastMsg)
	}
	id := addClaim(t, ws, "Flights resume in 2026")
	v := d.showClaims()
	t.Cleanup(v.win.Close)
	d.selectClaim(id)
	if v.shown != id || !strings.Contains(v.title.Text, "Flights resume") {
		t.Fatalf("detail shows %q", v.title.Text)
	}
	m := storedClaim(t, f, id)
	c, err := claims.Edit(m, "Flights resumed in 2026", "", "2026", time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	ws.do(c)
	if v.rows[id][0] != "Flights resumed in 2026" || !strings.Contains(v.title.Text, "2026") {
		t.Fatalf("edit not shown: row %q title %q", v.rows[id][0], v.title.Text)
	}
	v.apply(claims.Delete(storedClaim(t, f, id)), nil)
	if len(v.ids) != 0 || len(f.store.P.Claims) != 0 || v.title.Text != "No claim selected" {
		t.Fatalf("after delete: ids %v, stored %d, title %q", v.ids, len(f.store.P.Claims), v.title.Text)
	}
	if d.selected != "" {
		t.Fatal("the deleted claim is still picked")
	}
}

func evidenceText(v *claimsView) string {
	var b strings.Builder
	walkWidgets(v.evidence, func(s string) { b.WriteString(s + "\n") }, func(s string, _ func()) { b.WriteString(s + "\n") })
	return b.String()
}

func tapButtonIn(t *testing.T, v *claimsView, prefix string) {
	t.Helper()
	found := false
	for _, o := range v.opens {
		if !found && strings.HasPrefix(o.label, prefix) {
			found = true
			test.Tap(o.btn)
		}
	}
	if !found {
		t.Fatalf("no button %q in the evidence pane", prefix)
	}
}

// walkWidgets visits the labels and buttons under o.
func walkWidgets(o fyne.CanvasObject, label func(string), button func(string, func())) {
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkWidgets(c, label, button)
		}
	case *widget.Label:
		if label != nil {
			label(x.Text)
		}
	case *widget.Button:
		if button != nil {
			button(x.Text, func() { test.Tap(x) })
		}
	}
}

// claimsProject is n claims with per evidence links each, over 20 sources
// of generated sentences (not corpus text).
func claimsProject(b *testing.B, n, per int) *annotate.Project {
	b.Helper()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	p := &annotate.Project{}
	const nsrc = 20
	texts := make([]*annotate.Text, nsrc)
	var sb [nsrc]strings.Builder
	for i := 0; i < n*per; i++ {
		fmt.Fprintf(&sb[i%nsrc], "Officials in city %d reported %d returns on flight %d during week %d. ", i%97, i*7, i, i%52)
	}
	for s := 0; s < nsrc; s++ {
		text := sb[s].String()
		p.Sources = append(p.Sources, annotate.Source{ID: fmt.Sprintf("s%02d", s), Title: fmt.Sprintf("Source %d", s), Outlet: fmt.Sprintf("Outlet %d", s%7),
			Published: fmt.Sprintf("2024-%02d-01", s%12+1), Language: annotate.English, Kind: annotate.KindOriginal,
			Reliability: annotate.Reliability("ABCDEF"[s%6 : s%6+1]), Text: text, ContentHash: annotate.HashText(text), Length: len([]rune(text))})
		texts[s] = annotate.NewText(text)
	}
	// Annotation i is sentence i/nsrc of source i%nsrc.
	sentences := make([][]int, nsrc)
	for s := 0; s < nsrc; s++ {
		runes := []rune(p.Sources[s].Text)
		start := 0
		for j := 0; j+1 < len(runes); j++ {
			if runes[j] == '.' && runes[j+1] == ' ' {
				sentences[s] = append(sentences[s], start, j+1)
				start = j + 2
			}
		}
	}
	for i := 0; i < n*per; i++ {
		s, k := i%nsrc, i/nsrc
		sel, err := texts[s].Select(sentences[s][2*k], sentences[s][2*k+1])
		if err != nil {
			b.Fatal(err)
		}
		p.Annotations = append(p.Annotations, annotate.Annotation{ID: fmt.Sprintf("a%06d", i), SourceID: p.Sources[s].ID, Selector: sel,
			Credibility: annotate.Credibility(i%6 + 1), Created: now, Modified: now})
	}
	for m := 0; m < n; m++ {
		c := annotate.Claim{ID: fmt.Sprintf("m%05d", m), Text: fmt.Sprintf("Claim %d about returns", m), Created: now, Modified: now}
		for k := 0; k < per; k++ {
			c.Evidence = append(c.Evidence, annotate.Evidence{AnnotationID: fmt.Sprintf("a%06d", m*per+k), Relation: annotate.Relations[k%3]})
		}
		p.Claims = append(p.Claims, c)
	}
	return p
}

// BenchmarkClaimsViewAfterChange: what the Claims window does after one
// attach or detach (board reassessment, rows, the shown claim's evidence
// pane), without the store's write.
func BenchmarkClaimsViewAfterChange(b *testing.B) {
	for _, n := range []int{50, 500} {
		b.Run(fmt.Sprintf("claims=%d/links=%d", n, n*10), func(b *testing.B) {
			test.NewTempApp(b)
			p := claimsProject(b, n, 10)
			sess, err := session.New(&annotate.MemStore{P: p})
			if err != nil {
				b.Fatal(err)
			}
			st := &State{sess: sess}
			d := &claimDesk{st: st, ed: editor{st: st, do: func(c annotate.Change) bool { return sess.Do(c) == nil }},
				newWindow: func(string) fyne.Window { return test.NewTempWindow(b, nil) }, selection: func() (int, int, bool) { return 0, 0, false },
				status: func(string) {}}
			v := d.showClaims()
			m := p.Claims[n/2]
			d.selectClaim(m.ID)
			extra := p.Annotations[0].ID
			on, _ := claims.Attach(m, extra, annotate.Supports, time.Now())
			off, _ := claims.Detach(on.PutClaims[0], extra, time.Now())
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c := on
				if i%2 == 1 {
					c = off
				}
				v.applied(v.board.Apply(c))
			}
			b.StopTimer()
			if !strings.Contains(v.title.Text, m.Text) || len(v.ids) != n {
				b.Fatalf("view shows %q with %d claims", v.title.Text, len(v.ids))
			}
		})
	}
}

// overlayWidgets lists the entries, checks and buttons of a window's
// topmost dialog.
func overlayWidgets(t *testing.T, win fyne.Window) ([]*widget.Entry, []*widget.Check, map[string]*widget.Button) {
	t.Helper()
	top := win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	var entries []*widget.Entry
	var checks []*widget.Check
	buttons := map[string]*widget.Button{}
	for _, o := range test.LaidOutObjects(top) {
		switch x := o.(type) {
		case *widget.Entry:
			entries = append(entries, x)
		case *widget.Check:
			checks = append(checks, x)
		case *widget.Button:
			buttons[x.Text] = x
		}
	}
	return entries, checks, buttons
}

func TestNewClaimDialogAndIndependentSources(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	ws := openWorkspace(t, a, f.config())
	d := ws.claimDesk()

	// New claim… from the inspector: wording and time; a bad time is refused
	// with a message naming the field, and nothing is stored.
	for _, c := range []struct{ when, wantErr string }{{"2024-13", "time"}, {"2024-05", ""}} {
		d.newClaimDialog(ws.Window)
		entries, _, buttons := overlayWidgets(t, ws.Window)
		if len(entries) != 2 || buttons["Save"] == nil {
			t.Fatalf("form has %d entries, buttons %v", len(entries), buttons)
		}
		entries[0].SetText("Both governments describe the cooperation as successful")
		entries[1].SetText(c.when)
		test.Tap(buttons["Save"])
		if c.wantErr != "" {
			if len(f.store.P.Claims) != 0 {
				t.Fatalf("time %q was accepted", c.when)
			}
			if msg, _ := topDialog(t, ws); !strings.Contains(strings.ToLower(msg), c.wantErr) {
				t.Fatalf("time %q: error shown = %q", c.when, msg)
			}
			ws.Window.Canvas().Overlays().Top().Hide()
			ws.Window.Canvas().Overlays().Remove(ws.Window.Canvas().Overlays().Top())
			continue
		}
	}
	if len(f.store.P.Claims) != 1 || f.store.P.Claims[0].Time != "2024-05" {
		t.Fatalf("claims stored = %+v", f.store.P.Claims)
	}
	id := f.store.P.Claims[0].ID
	if d.selected != id {
		t.Fatal("the new claim is not picked for attaching")
	}

	// Evidence from both sources: the Chinese one is state-affiliated.
	ws.focusAnnotation(f.aFavor, false)
	d.attachCurrent()
	ws.focusAnnotation(f.aChina, false)
	d.attachCurrent()
	v := d.showClaims()
	t.Cleanup(v.win.Close)
	v.independentDialog()
	_, checks, buttons := overlayWidgets(t, v.win)
	if len(checks) != 2 {
		t.Fatalf("%d source checks, want 2", len(checks))
	}
	for _, c := range checks {
		c.SetChecked(true)
	}
	test.Tap(buttons["Save"])
	m := storedClaim(t, f, id)
	if len(m.Independent) != 2 {
		t.Fatalf("independent sources = %v", m.Independent)
	}
}
