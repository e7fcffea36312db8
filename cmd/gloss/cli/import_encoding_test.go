package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// import names the encoding each file was read in, refuses undecodable
// bytes with their offset, and --encoding forces one.
func TestImportEncoding(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.gloss")
	good := write(t, dir, "latin.txt", []byte("The caf\xe9 owner said the plan would fail."))
	bad := write(t, dir, "wire.txt", []byte("China’s envoy. The minister\x92s reply."))

	out, errOut, code := gloss(t, "import", "--db", db, "--json", good, bad)
	if code != 1 || !strings.Contains(errOut, "wire.txt") || !strings.Contains(errOut, "byte offset 29") || !strings.Contains(errOut, "--encoding") {
		t.Fatalf("undecodable file: code %d, stderr %q", code, errOut)
	}
	if !strings.Contains(errOut, "read: "+good+" as Windows-1252 (text)") {
		t.Errorf("encoding not shown: %q", errOut)
	}
	var imp struct {
		Imported []struct{ ID, File, Encoding string }
		Files    []struct{ File, Status, SourceID, Encoding string }
	}
	if err := json.Unmarshal([]byte(out), &imp); err != nil || len(imp.Imported) != 1 || imp.Imported[0].Encoding != "Windows-1252" {
		t.Fatalf("json %q: %v", out, err)
	}
	if len(imp.Files) != 2 || imp.Files[0].SourceID != imp.Imported[0].ID || imp.Files[1].Status != "refused" || imp.Files[1].File != bad {
		t.Fatalf("json files: %+v", imp.Files)
	}

	out, errOut, code = gloss(t, "import", "--db", db, "--encoding", "UTF8", bad)
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(errOut, "as UTF-8 (forced, 1 undecodable sequence replaced)") {
		t.Fatalf("forced: code %d, out %q, stderr %q", code, out, errOut)
	}

	if _, errOut, code = gloss(t, "import", "--db", db, "--encoding", "ebcdic", good); code != 2 || !strings.Contains(errOut, "gb18030") {
		t.Fatalf("unknown encoding: code %d, stderr %q", code, errOut)
	}
}
