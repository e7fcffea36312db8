package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/annotate/refiqda"
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

func TestProjectArchivesMergeIntoOneChange(t *testing.T) {
	dir := t.TempDir()
	base := &annotate.Project{
		Sources: []annotate.Source{{ID: "s1", Kind: annotate.KindOriginal, Text: "这是中美合作。"}},
		Codes:   []annotate.Code{{ID: "c1", Name: "Cooperation", Color: "#7fc97f"}},
	}
	sel, _ := annotate.NewText(base.Sources[0].Text).Select(2, 6)
	base.Annotations = []annotate.Annotation{{ID: "a1", SourceID: "s1", Selector: sel, Codes: []string{"c1"}}}
	var buf bytes.Buffer
	if err := refiqda.WriteQDPX(&buf, base, refiqda.Options{}); err != nil {
		t.Fatal(err)
	}
	arch := filepath.Join(dir, "from-another-tool.qdpx")
	os.WriteFile(arch, buf.Bytes(), 0o644)
	broken := filepath.Join(dir, "broken.qdpx")
	os.WriteFile(broken, []byte("PK not a zip"), 0o644)
	text := filepath.Join(dir, "note.txt")
	os.WriteFile(text, []byte("An English note."), 0o644)

	// The target project already has "Cooperation": the archive's code is shared, not doubled.
	store := &annotate.MemStore{P: &annotate.Project{Codes: []annotate.Code{{ID: "cX", Name: "cooperation", Color: "#000000"}}}}
	res := Files([]string{arch, broken, text}, nil, Options{})
	if len(res.Projects) != 1 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "broken.qdpx") {
		t.Fatalf("projects %d problems %v", len(res.Projects), res.Problems)
	}
	c := res.Change(annotate.NewIndex(store.P))
	if _, err := store.Apply(c); err != nil {
		t.Fatal(err)
	}
	if len(store.P.Sources) != 2 || len(store.P.Codes) != 1 || len(store.P.Annotations) != 1 || store.P.Annotations[0].Codes[0] != "cX" {
		t.Fatalf("after merge: %d sources, %d codes, %+v", len(store.P.Sources), len(store.P.Codes), store.P.Annotations)
	}
}
