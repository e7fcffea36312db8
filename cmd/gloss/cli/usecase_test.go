package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// demoPair creates the demo project and returns its file, summary and original.
func demoPair(t *testing.T) (db, sum, orig string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "demo.gloss")
	if _, errOut, code := gloss(t, "demo", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ := gloss(t, "list", "--db", db, "--json")
	var srcs []struct {
		ID, Kind  string
		Originals []string
	}
	if err := json.Unmarshal([]byte(out), &srcs); err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.Kind == "summary" && len(s.Originals) > 0 {
			return db, s.ID, s.Originals[0]
		}
	}
	t.Fatal("the demo has no summary with an original")
	return
}

func linkStatuses(t *testing.T, db, src string) map[string]int {
	t.Helper()
	out, errOut, code := gloss(t, "link", "list", "--db", db, "--source", src, "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var links []struct{ Status string }
	if err := json.Unmarshal([]byte(out), &links); err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, k := range links {
		n[k.Status]++
		n["all"]++
	}
	return n
}

// Saving suggestions twice must not duplicate them: the second run keeps
// the first run's suggestions (the window's link view behaves the same).
func TestLinkSuggestSaveTwiceDoesNotDuplicate(t *testing.T) {
	db, sum, orig := demoPair(t)
	before := linkStatuses(t, db, sum)
	var after []map[string]int
	for i := 0; i < 2; i++ {
		if _, errOut, code := gloss(t, "link", "suggest", "--db", db, "--summary", sum, "--original", orig, "--save"); code != 0 {
			t.Fatal(errOut)
		}
		after = append(after, linkStatuses(t, db, sum))
	}
	if after[0]["suggested"] <= before["suggested"] {
		t.Fatalf("--save stored no suggestion: before %v, after %v", before, after[0])
	}
	if after[1]["all"] != after[0]["all"] || after[1]["suggested"] != after[0]["suggested"] {
		t.Fatalf("a second --save changed the links: %v, then %v", after[0], after[1])
	}
	if after[1]["confirmed"] != before["confirmed"] || after[1]["rejected"] != before["rejected"] {
		t.Fatalf("reviewed links must be kept: before %v, after %v", before, after[1])
	}
	if _, errOut, _ := gloss(t, "check", "--db", db); strings.Contains(errOut, "problem") {
		t.Fatal(errOut)
	}
}
