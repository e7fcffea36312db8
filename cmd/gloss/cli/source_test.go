package cli

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
	"gloss/annotate/anchor"
	"gloss/storage"
)

// Written for this test: a short Chinese report in three paragraphs.
const zhOld = "外交部发言人周二表示,两国将在遣返航班问题上开展合作。双方官员上周在北京会面,商定了有关细节。\n\n" +
	"批评人士说,这一安排留下了太多悬而未决的问题。一名发言人拒绝进一步置评。\n\n" +
	"据报道,首批航班预计下月起飞,届时将有数十人被遣返。"

// The analyst's corrections: a word fixed, commas made full-width, the
// middle paragraph deleted.
var zhNew = strings.ReplaceAll(strings.Replace(strings.Replace(zhOld,
	"商定了有关细节", "敲定了有关细节", 1),
	"批评人士说,这一安排留下了太多悬而未决的问题。一名发言人拒绝进一步置评。\n\n", "", 1),
	",", "，")

type replaceOut struct {
	Source, Version string
	Annotations     []struct {
		ID, Anchor, Quote string
		Start, End        int
		Score             float64
	}
	Links []struct {
		ID, Side, Anchor string
		Start, End       int
	}
	Counts map[string]int
}

func TestSourceReplace(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	out, errOut, code := gloss(t, "import", "--db", db, "--json", write(t, dir, "report.txt", []byte(zhOld)))
	if code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	var imp struct{ Imported []struct{ ID string } }
	if err := json.Unmarshal([]byte(out), &imp); err != nil || len(imp.Imported) != 1 {
		t.Fatalf("import %q: %v", out, err)
	}
	src := imp.Imported[0].ID
	ids := map[string]string{}
	for name, quote := range map[string]string{
		"untouched": "首批航班预计下月起飞",
		"commas":    "外交部发言人周二表示,两国将在遣返航班问题上开展合作",
		"fixed":     "双方官员上周在北京会面,商定了有关细节。",
		"deleted":   "这一安排留下了太多悬而未决的问题",
	} {
		out, errOut, code := gloss(t, "annotate", "--db", db, "--source", src, "--quote", quote, "--code", "Test")
		if code != 0 {
			t.Fatalf("annotate %s: %s", name, errOut)
		}
		ids[strings.TrimSpace(out)] = name
	}
	// An English summary linked to two passages, one of which goes.
	summary := "Officials met in Beijing. A spokesman declined to comment."
	out, _, _ = gloss(t, "import", "--db", db, "--kind", "summary", "--originals", src, write(t, dir, "summary.txt", []byte(summary)))
	sum := strings.TrimSpace(out)
	for _, l := range [][2]string{{"Officials met in Beijing.", "双方官员上周在北京会面"}, {"A spokesman declined to comment.", "一名发言人拒绝进一步置评"}} {
		out, errOut, code = gloss(t, "link", "add", "--db", db, "--from", sum+":"+span(summary, l[0]), "--to", src+":"+span(zhOld, l[1]))
		if code != 0 {
			t.Fatalf("link add: %s %s", out, errOut)
		}
	}

	newFile := write(t, dir, "report-v2.txt", []byte(zhNew))
	out, errOut, code = gloss(t, "source", "replace", "--db", db, "--source", src, newFile, "--json")
	if code != 0 {
		t.Fatalf("source replace: %d %s", code, errOut)
	}
	var rep replaceOut
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	want := map[string]annotate.AnchorState{"untouched": annotate.AnchorShifted, "commas": annotate.AnchorShifted,
		"fixed": annotate.AnchorFuzzy, "deleted": annotate.AnchorOrphan}
	newText := annotate.NewText(zhNew)
	for _, a := range rep.Annotations {
		name := ids[a.ID]
		if annotate.AnchorState(a.Anchor) != want[name] {
			t.Errorf("%s: %s, want %s (%+v)", name, a.Anchor, want[name], a)
		}
		if a.Anchor != "orphan" && newText.Slice(a.Start, a.End) != a.Quote {
			t.Errorf("%s: %d–%d is %q, not %q", name, a.Start, a.End, newText.Slice(a.Start, a.End), a.Quote)
		}
		if (a.Anchor == "fuzzy") != (a.Score > 0) {
			t.Errorf("%s: score %v with anchor %s", name, a.Score, a.Anchor)
		}
	}
	if len(rep.Annotations) != 4 || rep.Counts["orphan"] != 2 || rep.Counts["fuzzy"] != 1 || rep.Version == "" {
		t.Fatalf("report %+v", rep)
	}
	ends := map[string]int{}
	for _, l := range rep.Links {
		if l.Side != "to" {
			t.Errorf("link %s: the summary end (%s) was re-anchored", l.ID, l.Side)
		}
		ends[l.Anchor]++
	}
	if len(rep.Links) != 2 || ends["exact"] != 1 || ends["orphan"] != 1 {
		t.Fatalf("link ends %+v", rep.Links)
	}
	if out, errOut, code := gloss(t, "check", "--db", db); code != 0 {
		t.Fatalf("check after replace: %s %s", out, errOut)
	}
	out, _, _ = gloss(t, "annotations", "--db", db, "--json")
	if !strings.Contains(out, `"anchor": "orphan"`) && !strings.Contains(out, `"anchor":"orphan"`) {
		t.Fatalf("annotations --json lacks the orphan: %s", out)
	}

	// The same text again: nothing to do.
	out, _, code = gloss(t, "source", "replace", "--db", db, "--source", src, newFile)
	if code != 0 || !strings.Contains(out, "unchanged") {
		t.Fatalf("replace with the same text: %d %q", code, out)
	}

	// Standard input, and the text version of the report.
	stdin = strings.NewReader(zhOld)
	defer func() { stdin = nil }()
	out, errOut, code = gloss(t, "source", "replace", "--db", db, "--source", src, "-")
	if code != 0 {
		t.Fatalf("replace from stdin: %s", errOut)
	}
	if !strings.Contains(out, "exact") || !strings.Contains(out, "kept as version") {
		t.Fatalf("text report: %s", out)
	}
}

func TestSourceReplaceRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	out, _, _ := gloss(t, "import", "--db", db, write(t, dir, "a.txt", []byte("Some text to annotate.")))
	src := strings.TrimSpace(out)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"source"}, 2, "replace"},
		{[]string{"source", "rename", "--db", db}, 2, "unknown source subcommand"},
		{[]string{"source", "replace", "--db", db, write(t, dir, "b.txt", []byte("x"))}, 2, "--source"},
		{[]string{"source", "replace", "--db", db, "--source", src}, 2, "NEWFILE"},
		{[]string{"source", "replace", "--db", db, "--source", "s-nope", write(t, dir, "c.txt", []byte("new"))}, 1, "s-nope"},
		{[]string{"source", "replace", "--db", db, "--source", src, write(t, dir, "empty.txt", nil)}, 1, "empty.txt"},
		{[]string{"source", "replace", "--db", db, "--source", src, filepath.Join(dir, "missing.txt")}, 1, "missing.txt"},
	}
	for _, c := range cases {
		_, errOut, code := gloss(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", c.args, code, errOut, c.code, c.msg)
		}
	}
}

// Undo of a replace (the change storage returns) restores the old text and
// every old position.
func TestSourceReplaceUndo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	out, _, _ := gloss(t, "import", "--db", db, write(t, dir, "report.txt", []byte(zhOld)))
	src := strings.TrimSpace(out)
	for _, q := range []string{"双方官员上周在北京会面", "这一安排留下了太多悬而未决的问题"} {
		if _, errOut, code := gloss(t, "annotate", "--db", db, "--source", src, "--quote", q); code != 0 {
			t.Fatal(errOut)
		}
	}
	st, err := storage.Open(db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, _ := st.Source(src)
	before, _ := st.Annotations(src)
	links, _ := st.Links()
	ch, _ := anchor.ReplaceText(s, s.Text, zhNew, before, links, time.Now())
	undo, err := st.Apply(ch)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Source(src); got.Text != zhNew {
		t.Fatal("the new text was not stored")
	}
	if _, err := st.Apply(undo); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Source(src)
	after, _ := st.Annotations(src)
	if got.Text != zhOld || len(after) != len(before) {
		t.Fatalf("undo left %q and %d annotations", got.Text, len(after))
	}
	for i := range before {
		if after[i].Selector != before[i].Selector || after[i].Anchor != before[i].Anchor {
			t.Fatalf("undo: %+v, was %+v", after[i].Selector, before[i].Selector)
		}
	}
}

// span gives "START-END" of quote in text, in code points.
func span(text, quote string) string {
	i := annotate.NewText(text).Find(quote)[0]
	return strconv.Itoa(i) + "-" + strconv.Itoa(i+len([]rune(quote)))
}
