package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestSearchCommand: hits stream as source, start, end (code points) and
// context; --json writes one object per line; --limit stops early;
// --source narrows; no hits exits 1 like grep; bad usage exits 2.
func TestSearchCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	zh := write(t, dir, "zh.txt", []byte("据报道，中美合作遣返非法移民。\n\n美方表示欢迎遣返。"))
	en := write(t, dir, "en.txt", []byte("Officials said CHARTER flights resumed.\nThe charter was signed."))
	out, errOut, code := gloss(t, "import", "--db", db, "--json", zh, en)
	if code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	var imp struct{ Imported []struct{ ID string } }
	if err := json.Unmarshal([]byte(out), &imp); err != nil || len(imp.Imported) != 2 {
		t.Fatalf("import output %q: %v", out, err)
	}
	zhID, enID := imp.Imported[0].ID, imp.Imported[1].ID

	out, errOut, code = gloss(t, "search", "--db", db, "遣返")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || errOut != "" {
		t.Fatalf("search 遣返: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	if f := strings.Split(lines[0], "\t"); len(f) != 4 || f[0] != zhID || f[1] != "8" || f[2] != "10" || !strings.Contains(f[3], "中美合作遣返") {
		t.Fatalf("first hit %q", lines[0])
	}

	out, _, code = gloss(t, "search", "--db", db, "--json", "charter")
	var hits []struct {
		Source     string
		Start, End int
		Context    string
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var h struct {
			Source     string
			Start, End int
			Context    string
		}
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatalf("json line %q: %v", l, err)
		}
		hits = append(hits, h)
	}
	if code != 0 || len(hits) != 2 || hits[0].Source != enID || hits[0].Start != 15 || hits[1].Start != 44 {
		t.Fatalf("--json charter: code %d, %+v", code, hits)
	}

	if out, _, code = gloss(t, "search", "--db", db, "--limit", "1", "charter"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("--limit 1: code %d, %q", code, out)
	}
	if out, _, code = gloss(t, "search", "--db", db, "--source", zhID, "charter"); code != 1 || out != "" {
		t.Fatalf("--source narrows to a source without the word: code %d, %q", code, out)
	}
	if out, _, code = gloss(t, "search", "--db", db, "--source", zhID, "遣返"); code != 0 || strings.Count(out, "\n") != 2 {
		t.Fatalf("--source: code %d, %q", code, out)
	}
	if _, errOut, code = gloss(t, "search", "--db", db, "鲲鹏"); code != 1 || !strings.Contains(errOut, "no hits") {
		t.Fatalf("no hits: code %d, stderr %q", code, errOut)
	}
	if _, _, code = gloss(t, "search", "--db", db); code != 2 {
		t.Fatalf("no query: code %d", code)
	}
	if _, _, code = gloss(t, "search", "--db", db, "--limit", "-1", "x"); code != 2 {
		t.Fatalf("negative limit: code %d", code)
	}
	if _, errOut, code = gloss(t, "search", "--db", filepath.Join(dir, "missing.gloss"), "x"); code != 1 || !strings.Contains(errOut, "missing.gloss") {
		t.Fatalf("missing file: code %d, %q", code, errOut)
	}
	if _, errOut, code = gloss(t, "search", "--db", db, "--source", "nope", "x"); code != 1 || !strings.Contains(errOut, "nope") {
		t.Fatalf("unknown source: code %d, %q", code, errOut)
	}
	if _, errOut, code = gloss(t, "search", "--db", db, "--reindex"); code != 0 || !strings.Contains(errOut, "rebuilt") {
		t.Fatalf("--reindex: code %d, %q", code, errOut)
	}
	if out, _, code = gloss(t, "check", "--db", db); code != 0 {
		t.Fatalf("check after reindex: %d %s", code, out)
	}
}
