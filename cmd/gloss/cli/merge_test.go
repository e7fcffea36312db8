package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/internal/testshared"
	"gloss/storage"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func mustGloss(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := gloss(t, args...)
	if code != 0 {
		t.Fatalf("gloss %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return strings.TrimSpace(out)
}

func snapshot(t *testing.T, path string) *annotate.Project {
	t.Helper()
	st, err := storage.Open(path, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// edit applies a change to a project file as a second analyst would.
func edit(t *testing.T, path string, fn func(x *annotate.Index) annotate.Change) {
	t.Helper()
	st, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(fn(annotate.NewIndex(p))); err != nil {
		t.Fatal(err)
	}
}

// Two analysts code the corpus in copies of one project: overlapping and
// disjoint sources, one annotation edited on both sides, a code renamed on
// one side, a source imported on both sides under different IDs.
func TestMergeTwoAnalystsOnTheCorpus(t *testing.T) {
	corpus := testshared.Path(t, "corpus")
	file := func(n string) string {
		m, _ := filepath.Glob(filepath.Join(corpus, n+"_*.txt"))
		if len(m) != 1 {
			t.Fatalf("corpus file %s: %v", n, m)
		}
		return m[0]
	}
	dir := t.TempDir()
	base := filepath.Join(dir, "base.gloss")
	t.Setenv("GLOSS_AUTHOR", "ana")
	ids := strings.Fields(mustGloss(t, "import", "--db", base, file("000"), file("001"), file("002")))
	if len(ids) != 3 {
		t.Fatalf("imported %v", ids)
	}
	shared := mustGloss(t, "annotate", "--db", base, "--source", ids[0], "--start", "0", "--end", "12", "--code", "Cooperation")
	mustGloss(t, "annotate", "--db", base, "--source", ids[1], "--start", "5", "--end", "20", "--code", "Statistics")
	mine, theirs := filepath.Join(dir, "ana.gloss"), filepath.Join(dir, "bo.gloss")
	copyFile(t, base, mine)
	copyFile(t, base, theirs)

	// Ana: one more annotation, the shared one edited, a new source.
	anaOwn := mustGloss(t, "annotate", "--db", mine, "--source", ids[2], "--start", "0", "--end", "8", "--code", "Cooperation", "--note", "ana")
	mustGloss(t, "import", "--db", mine, file("003"))
	edit(t, mine, func(x *annotate.Index) annotate.Change {
		a := *x.Annotations(ids[0])[0]
		a.Note, a.Modified = "ana's reading", a.Modified.Add(1)
		return annotate.Change{PutAnnotations: []annotate.Annotation{a}}
	})
	// Bo, later: the same annotation edited otherwise, a code renamed, 003
	// imported under another ID, 004 only here.
	t.Setenv("GLOSS_AUTHOR", "bo")
	boIDs := strings.Fields(mustGloss(t, "import", "--db", theirs, file("003"), file("004")))
	boOwn := mustGloss(t, "annotate", "--db", theirs, "--source", boIDs[0], "--start", "3", "--end", "9", "--code", "Repatriation", "--stance", "China=favor")
	edit(t, theirs, func(x *annotate.Index) annotate.Change {
		a := *x.Annotations(ids[0])[0]
		a.Note, a.Credibility, a.Modified = "bo's reading", 2, a.Modified.Add(2)
		c, _ := x.CodeByName("Statistics")
		cd := *c
		cd.Name = "Figures"
		return annotate.Change{PutAnnotations: []annotate.Annotation{a}, PutCodes: []annotate.Code{cd}}
	})
	before := snapshot(t, mine)
	other := snapshot(t, theirs)
	undoCopy := filepath.Join(dir, "undo.gloss")
	copyFile(t, mine, undoCopy)

	// A dry run changes nothing.
	mustGloss(t, "merge", "--db", mine, "--dry-run", theirs)
	if js1, js2 := js(t, before), js(t, snapshot(t, mine)); js1 != js2 {
		t.Fatal("a dry run changed the project")
	}
	var r struct {
		annotate.MergeReport
	}
	if err := json.Unmarshal([]byte(mustGloss(t, "merge", "--db", mine, "--json", theirs)), &r); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, mine)
	hashes := map[string]int{}
	for _, s := range after.Sources {
		hashes[s.ContentHash]++
	}
	for h, n := range hashes {
		if n > 1 {
			t.Errorf("source text %s… is there %d times", h[:8], n)
		}
	}
	if len(after.Sources) != 5 {
		t.Errorf("%d sources after the merge, want the five corpus files", len(after.Sources))
	}
	names := map[string]int{}
	for _, c := range after.Codes {
		names[strings.ToLower(c.Name)]++
	}
	for n, k := range names {
		if k > 1 {
			t.Errorf("code %q is there %d times", n, k)
		}
	}
	have := map[string]annotate.Annotation{}
	for _, a := range after.Annotations {
		have[a.ID] = a
	}
	for _, p := range []*annotate.Project{before, other} {
		for _, a := range p.Annotations {
			if _, ok := have[a.ID]; !ok {
				t.Errorf("annotation %s (%q by %s) is missing after the merge", a.ID, a.Selector.Exact, a.Author)
			}
		}
	}
	if len(after.Annotations) != 4 || have[anaOwn].Note != "ana" || have[boOwn].Author != "bo" {
		t.Errorf("annotations after the merge: %d (%s)", len(after.Annotations), js(t, after.Annotations))
	}
	got := have[shared]
	if got.Note != "bo's reading" || len(got.Conflicts) != 1 || got.Conflicts[0].Note != "ana's reading" {
		t.Errorf("the later edit should win with the other kept: %+v", got)
	}
	if len(r.Conflicts) != 1 || r.Added.Sources != 1 || r.Same.Sources != 4 {
		t.Errorf("report: %+v", r.MergeReport)
	}
	var renamed bool
	for _, d := range r.Disagreements {
		renamed = renamed || strings.Contains(d, "Figures")
	}
	if !renamed {
		t.Errorf("the renamed code is not reported: %v", r.Disagreements)
	}
	// Filter by author: Bo made one annotation; Ana made three.
	var byBo, byAna []annotate.Annotation
	json.Unmarshal([]byte(mustGloss(t, "annotations", "--db", mine, "--json", "--author", "bo")), &byBo)
	json.Unmarshal([]byte(mustGloss(t, "annotations", "--db", mine, "--json", "--author", "ana")), &byAna)
	if len(byBo) != 1 || byBo[0].ID != boOwn || len(byAna) != 3 {
		t.Errorf("by author: bo %d, ana %d", len(byBo), len(byAna))
	}
	// Merging twice is merging once.
	if err := json.Unmarshal([]byte(mustGloss(t, "merge", "--db", mine, "--json", theirs)), &r); err != nil {
		t.Fatal(err)
	}
	if r.Added.Total()+r.Updated.Total() != 0 || js(t, after) != js(t, snapshot(t, mine)) {
		t.Errorf("the second merge changed the project: %+v", r.MergeReport)
	}

	// Undo restores the first project exactly.
	st, err := storage.Open(undoCopy, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, _ := annotate.Merge(annotate.NewIndex(before), other, "bo.gloss")
	res, err := st.Commit(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(res.Undo); err != nil {
		t.Fatal(err)
	}
	p, _ := st.Snapshot()
	if js(t, sorted(before)) != js(t, sorted(p)) {
		t.Errorf("undo of the merge did not restore the project\nbefore %s\nafter  %s", js(t, sorted(before)), js(t, sorted(p)))
	}
}

func js(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sorted(p *annotate.Project) *annotate.Project {
	q := p.Clone()
	sort.Slice(q.Sources, func(i, j int) bool { return q.Sources[i].ID < q.Sources[j].ID })
	sort.Slice(q.Annotations, func(i, j int) bool { return q.Annotations[i].ID < q.Annotations[j].ID })
	sort.Slice(q.Codes, func(i, j int) bool { return q.Codes[i].ID < q.Codes[j].ID })
	sort.Slice(q.Targets, func(i, j int) bool { return q.Targets[i].ID < q.Targets[j].ID })
	sort.Slice(q.Links, func(i, j int) bool { return q.Links[i].ID < q.Links[j].ID })
	for i := range q.Sources {
		q.Sources[i].ImportedAt = q.Sources[i].ImportedAt.UTC()
	}
	return q
}

func TestCompactCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	src := write(t, dir, "a.txt", []byte(strings.Repeat("中美合作遣返非法移民。The agency said 24,000 crossed. ", 200)))
	id := mustGloss(t, "import", "--db", db, src)
	for i := 0; i < 30; i++ {
		mustGloss(t, "annotate", "--db", db, "--source", id, "--start", "0", "--end", "4", "--code", "Cooperation")
	}
	out := mustGloss(t, "compact", "--db", db)
	if !strings.Contains(out, "the original is kept at") {
		t.Fatalf("compact said %q", out)
	}
	if got := mustGloss(t, "annotations", "--db", db); strings.Count(got, "\n")+1 < 30 {
		t.Fatalf("annotations after compaction:\n%s", got)
	}
	if _, errOut, code := gloss(t, "compact"); code != 2 || !strings.Contains(errOut, "--db") {
		t.Fatalf("compact without --db: exit %d %q", code, errOut)
	}
}

// Re-importing our own .qdpx export adds nothing: .qdpx import goes
// through the same merge rules, and the archive carries Gloss's IDs.
func TestReimportOwnQDPXAddsNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.gloss")
	mustGloss(t, "demo", "--db", db)
	before := snapshot(t, db)
	out := filepath.Join(dir, "demo.qdpx")
	mustGloss(t, "export", "--db", db, "--format", "qdpx", "--out", out)
	mustGloss(t, "import", "--db", db, out)
	after := snapshot(t, db)
	if len(after.Sources) != len(before.Sources) || len(after.Annotations) != len(before.Annotations) ||
		len(after.Codes) != len(before.Codes) || len(after.Links) != len(before.Links) || len(after.Targets) != len(before.Targets) {
		t.Fatalf("re-import changed counts: sources %d→%d annotations %d→%d codes %d→%d links %d→%d targets %d→%d",
			len(before.Sources), len(after.Sources), len(before.Annotations), len(after.Annotations),
			len(before.Codes), len(after.Codes), len(before.Links), len(after.Links), len(before.Targets), len(after.Targets))
	}
	// Merging the archive reports everything as already here.
	var r annotate.MergeReport
	if err := json.Unmarshal([]byte(mustGloss(t, "merge", "--db", db, "--json", "--dry-run", out)), &r); err != nil {
		t.Fatal(err)
	}
	if r.Added.Total() != 0 || r.Same.Annotations != len(before.Annotations) {
		t.Fatalf("merge report for our own export: %+v", r)
	}
}

// `annotations --json` streams a JSON array in which every annotation says
// how it sits on its text.
func TestAnnotationsJSONHasAnchor(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.gloss")
	mustGloss(t, "demo", "--db", db)
	var rows []map[string]any
	out := mustGloss(t, "annotations", "--db", db, "--json")
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 {
		t.Fatalf("not a JSON array of annotations (%v):\n%.300s", err, out)
	}
	for _, r := range rows {
		if r["anchor"] != "exact" || r["id"] == nil {
			t.Fatalf("row without an anchor state: %v", r)
		}
	}
	if !strings.Contains(mustGloss(t, "annotations", "--db", db), "ANCHOR") {
		t.Fatal("the table has no anchor column")
	}
}

// `gloss export` carries the claims into the report (the filter used to
// drop them), and a source's language is named as in the window.
func TestExportCarriesClaims(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.gloss")
	mustGloss(t, "demo", "--db", db)
	mustGloss(t, "claim", "add", "--db", db, "--text", "Repatriation follows identity checks")
	out := filepath.Join(dir, "r.md")
	mustGloss(t, "export", "--db", db, "--format", "md", "--out", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Repatriation follows identity checks") {
		t.Fatal("the exported report has no claims section")
	}
	if strings.Contains(string(b), "zh-Hans") {
		t.Fatal("the report prints a raw language tag")
	}
}
