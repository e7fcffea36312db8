package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate"
)

func TestBatchGoesOnPastBadFilesAndSkipsDuplicates(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("a.txt", "这是中美合作遣返非法移民。")
	empty := write("empty.txt", "")
	binary := write("bin.txt", "abc\x00\x00def")
	same := write("copy.txt", "这是中美合作遣返非法移民。")
	other := write("b.md", "# Title\n\nSome *English* text.")
	var seen []string
	res := Files([]string{good, empty, binary, same, other, filepath.Join(dir, "missing.txt")}, nil, Options{
		Kind: annotate.KindCommentary, Progress: func(done, total int, file string) { seen = append(seen, file) },
	})
	if len(res.Sources) != 2 || len(res.Problems) != 3 || len(res.Skipped) != 1 {
		t.Fatalf("sources %d problems %v skipped %v", len(res.Sources), res.Problems, res.Skipped)
	}
	for i, name := range []string{"empty.txt", "bin.txt", "missing.txt"} {
		if !strings.Contains(res.Problems[i].Error(), name) {
			t.Errorf("problem %d does not name %s: %v", i, name, res.Problems[i])
		}
	}
	if res.Sources[0].Kind != annotate.KindCommentary || res.Sources[1].Title != "Title" || res.Sources[0].Language != annotate.Simplified {
		t.Fatalf("metadata: %+v", res.Sources)
	}
	if len(seen) != 6 {
		t.Fatalf("progress called %d times", len(seen))
	}
	// Already in the project: reported, not doubled.
	again := Files([]string{good}, Hashes(res.Sources), Options{})
	if len(again.Sources) != 0 || !strings.Contains(again.Skipped[0], res.Sources[0].ID) {
		t.Fatalf("re-import: %+v", again)
	}
}
