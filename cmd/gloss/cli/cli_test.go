package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gloss/internal/testshared"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// gloss runs one command and returns stdout, stderr and the exit code.
func gloss(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportAnnotateExportCheck(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("中美合作遣返非法移民。\r\n美方表示欢迎。中美合作")
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("Emoji 😀 first, then the agency said 24,000 crossed.")
	files := []string{
		write(t, dir, "zh.txt", []byte(gbk)),
		write(t, dir, "en.txt", []byte(utf16)),
		write(t, dir, "page.html", []byte("<html><head><title>Wire story</title><script>evil()</script></head><body><nav>menu</nav><p>Officials met in Beijing.</p></body></html>")),
		write(t, dir, "empty.txt", nil),
	}
	out, errOut, code := gloss(t, "import", "--db", db, "--json", files[0], files[1], files[2], files[3])
	if code != 1 || !strings.Contains(errOut, "empty.txt") {
		t.Fatalf("a bad file must be reported and fail the run: code %d, stderr %q", code, errOut)
	}
	var imp struct {
		Imported []struct{ ID, File, Title, Language string }
	}
	if err := json.Unmarshal([]byte(out), &imp); err != nil || len(imp.Imported) != 3 {
		t.Fatalf("imported %q: %v", out, err)
	}
	zh, en := imp.Imported[0], imp.Imported[1]
	if zh.Language != "zh-Hans" || en.Language != "en" || imp.Imported[2].Title != "Wire story" {
		t.Fatalf("sniffed %+v", imp.Imported)
	}
	// Re-importing the same file is skipped, not doubled.
	_, errOut, _ = gloss(t, "import", "--db", db, files[0])
	if !strings.Contains(errOut, "already in the project as "+zh.ID) {
		t.Fatalf("re-import: %q", errOut)
	}

	_, errOut, code = gloss(t, "annotate", "--db", db, "--source", zh.ID, "--quote", "中美合作", "--code", "Cooperation")
	if code != 1 || !strings.Contains(errOut, "occurs 2 times") {
		t.Fatalf("ambiguous quote: %d %q", code, errOut)
	}
	out, errOut, code = gloss(t, "annotate", "--db", db, "--source", zh.ID, "--quote", "美方表示欢迎", "--code", "Cooperation", "--stance", "United States=favor", "--credibility", "2", "--note", "welcomed")
	if code != 0 || !strings.HasPrefix(out, "a") {
		t.Fatalf("annotate: %d %q %q", code, out, errOut)
	}
	// Positions are code points: "Emoji 😀 " is 8 of them.
	out, errOut, code = gloss(t, "annotate", "--db", db, "--source", en.ID, "--start", "8", "--end", "13", "--code", "cooperation", "--json")
	if code != 0 || !strings.Contains(out, `"exact": "first"`) {
		t.Fatalf("annotate by position: %d %q %q", code, out, errOut)
	}
	_, errOut, code = gloss(t, "annotate", "--db", db, "--source", en.ID, "--start", "8", "--end", "13", "--credibility", "7")
	if code != 1 || !strings.Contains(errOut, "credibility") {
		t.Fatalf("credibility 7: %d %q", code, errOut)
	}
	out, _, _ = gloss(t, "codes", "--db", db, "--json")
	var cb struct {
		Codes   []struct{ Name string }
		Targets []struct{ Name string }
	}
	json.Unmarshal([]byte(out), &cb)
	if len(cb.Codes) != 1 || len(cb.Targets) != 1 {
		t.Fatalf("a code named twice (any case) must be created once: %s", out)
	}

	jsonld := filepath.Join(dir, "out.jsonld")
	if _, errOut, code := gloss(t, "export", "--db", db, "--format", "jsonld", "--out", jsonld); code != 0 {
		t.Fatalf("export: %q", errOut)
	}
	raw, _ := os.ReadFile(jsonld)
	if !strings.Contains(string(raw), "TextQuoteSelector") || !strings.Contains(string(raw), "美方表示欢迎") {
		t.Fatalf("jsonld: %s", raw)
	}
	if _, errOut, code := gloss(t, "export", "--db", db, "--format", "html", "--out", filepath.Join(dir, "r.html"), "--stance", "United States=favor"); code != 0 {
		t.Fatalf("html export: %q", errOut)
	}
	if _, errOut, code := gloss(t, "export", "--db", db, "--format", "nope", "--out", filepath.Join(dir, "x")); code != 2 || !strings.Contains(errOut, "nope") {
		t.Fatalf("bad format: %q", errOut)
	}
	out, errOut, code = gloss(t, "check", "--db", db)
	if code != 0 || !strings.Contains(out, "ok (3 sources)") {
		t.Fatalf("check: %d %q %q", code, out, errOut)
	}
	out, _, _ = gloss(t, "list", "--db", db)
	if !strings.Contains(out, "zh-Hans") || !strings.Contains(out, "Wire story") {
		t.Fatalf("list: %s", out)
	}
}

func TestErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := gloss(t, "list", "--db", filepath.Join(dir, "missing.gloss"))
	if code != 1 || !strings.Contains(errOut, "missing.gloss") {
		t.Fatalf("missing db: %d %q", code, errOut)
	}
	_, errOut, code = gloss(t, "list")
	if code != 2 || !strings.Contains(errOut, "--db") {
		t.Fatalf("no --db: %d %q", code, errOut)
	}
	_, _, code = gloss(t, "frobnicate")
	if code != 2 {
		t.Fatal("unknown command accepted")
	}
}

func TestLinksOnDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.gloss")
	if _, errOut, code := gloss(t, "demo", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ := gloss(t, "list", "--db", db, "--json")
	var srcs []struct {
		ID        string
		Kind      string
		Originals []string
	}
	json.Unmarshal([]byte(out), &srcs)
	var sum, orig string
	for _, s := range srcs {
		if s.Kind == "summary" {
			sum, orig = s.ID, s.Originals[0]
		}
	}
	out, errOut, code := gloss(t, "link", "suggest", "--db", db, "--summary", sum, "--original", orig, "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var sugs []struct {
		Summary struct {
			Start, End int
			Text       string
		}
		Candidates []struct {
			Start, End int
			Text       string
			Score      float64
		}
	}
	if err := json.Unmarshal([]byte(out), &sugs); err != nil || len(sugs) != 5 {
		t.Fatalf("suggest: %v %s", err, out)
	}
	// The demo's first summary sentence rests on the original's first sentence.
	if !strings.Contains(sugs[0].Candidates[0].Text, "110") {
		t.Fatalf("best candidate for sentence 1: %+v", sugs[0].Candidates)
	}
	from := sum + ":" + itoa(sugs[2].Summary.Start) + "-" + itoa(sugs[2].Summary.End)
	to := orig + ":" + itoa(sugs[2].Candidates[0].Start) + "-" + itoa(sugs[2].Candidates[0].End)
	out, errOut, code = gloss(t, "link", "add", "--db", db, "--from", from, "--to", to)
	if code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ = gloss(t, "link", "list", "--db", db, "--source", sum, "--json")
	var links []struct{ Status string }
	json.Unmarshal([]byte(out), &links)
	if len(links) != 4 {
		t.Fatalf("links: %s", out)
	}
	if _, errOut, code := gloss(t, "link", "add", "--db", db, "--from", sum+":0-99999", "--to", to); code == 0 || !strings.Contains(errOut, "outside") {
		t.Fatalf("bad passage: %q", errOut)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestCorpusImport imports the five real sources and checks what is sniffed
// against ../shared/corpus/sources.json.
func TestCorpusImport(t *testing.T) {
	corpus := testshared.Path(t, "corpus")
	meta, err := os.ReadFile(filepath.Join(corpus, "sources.json"))
	if err != nil {
		t.Skipf("shared corpus not available (%v)", err)
	}
	var want struct {
		Sources []struct {
			File, Language string
			Published      *string
		}
	}
	if err := json.Unmarshal(meta, &want); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "corpus.gloss")
	var files []string
	for _, s := range want.Sources {
		files = append(files, filepath.Join(corpus, s.File))
	}
	out, errOut, code := gloss(t, append([]string{"import", "--db", db, "--json"}, files...)...)
	if code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	var imp struct {
		Imported []struct{ File, Language, Published string }
	}
	json.Unmarshal([]byte(out), &imp)
	if len(imp.Imported) != len(want.Sources) {
		t.Fatalf("imported %d of %d", len(imp.Imported), len(want.Sources))
	}
	for i, s := range want.Sources {
		got := imp.Imported[i]
		if !strings.HasPrefix(got.Language, s.Language) {
			t.Errorf("%s: language %q, want %q", s.File, got.Language, s.Language)
		}
		if s.Published != nil && got.Published != *s.Published {
			t.Errorf("%s: published %q, want %q", s.File, got.Published, *s.Published)
		}
	}
	if out, errOut, code := gloss(t, "check", "--db", db); code != 0 {
		t.Fatalf("check: %s %s", out, errOut)
	}
}

func TestQDPXRoundTripThroughCLI(t *testing.T) {
	dir := t.TempDir()
	demo := filepath.Join(dir, "demo.gloss")
	if _, errOut, code := gloss(t, "demo", "--db", demo); code != 0 {
		t.Fatal(errOut)
	}
	qdpx := filepath.Join(dir, "demo.qdpx")
	if _, errOut, code := gloss(t, "export", "--db", demo, "--out", qdpx); code != 0 {
		t.Fatal(errOut)
	}
	fresh := filepath.Join(dir, "fresh.gloss")
	if _, errOut, code := gloss(t, "import", "--db", fresh, qdpx); code != 0 {
		t.Fatal(errOut)
	}
	a, _, _ := gloss(t, "annotations", "--db", demo)
	b, _, _ := gloss(t, "annotations", "--db", fresh)
	if a != b || !strings.Contains(a, "Repatriation") {
		t.Fatalf("annotations differ after the round trip:\n%s\n---\n%s", a, b)
	}
	if out, errOut, code := gloss(t, "check", "--db", fresh); code != 0 {
		t.Fatal(out, errOut)
	}
	bad := write(t, dir, "bad.qdpx", []byte("PK\x03\x04 not really a zip"))
	_, errOut, code := gloss(t, "import", "--db", fresh, bad)
	if code == 0 || !strings.Contains(errOut, "bad.qdpx") {
		t.Fatalf("bad archive: %d %q", code, errOut)
	}
}
