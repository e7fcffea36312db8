package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/annotate/textimport"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Each file of a batch reports how it was read; a file that is not valid
// in any encoding is refused with its offset and imports once forced.
func TestFilesReportEncodings(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, body []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gbText := "两国代表今天在会议上讨论了边境合作问题，双方同意继续保持沟通。"
	gb, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(gbText))
	if err != nil {
		t.Fatal(err)
	}
	utf := write("utf8.txt", []byte("Talks resumed on Monday."))
	gbk := write("gbk.txt", gb)
	dup := write("dup.txt", []byte("Talks resumed on Monday."))
	bad := write("bad.md", []byte("# Notes\n\nThe minister\x92s reply, “useful”."))
	res := Files([]string{utf, gbk, dup, bad}, nil, Options{})

	want := []FileResult{
		{File: utf, Status: StatusImported, Format: "text", Encoding: "UTF-8"},
		{File: gbk, Status: StatusImported, Format: "text", Encoding: "GB18030"},
		{File: dup, Status: StatusSkipped, Format: "text", Encoding: "UTF-8"},
		{File: bad, Status: StatusRefused},
	}
	if len(res.Files) != len(want) {
		t.Fatalf("Files = %+v", res.Files)
	}
	for i, w := range want {
		got := res.Files[i]
		if w.Status != StatusRefused && got.SourceID == "" {
			t.Errorf("%s: no source ID", w.File)
		}
		got.SourceID = ""
		if got != w {
			t.Errorf("file %d: %+v, want %+v", i, got, w)
		}
	}
	if res.Files[2].Status == StatusSkipped && len(res.Sources) > 0 && res.Files[0].SourceID != res.Sources[0].ID {
		t.Errorf("IDs: %+v vs %s", res.Files, res.Sources[0].ID)
	}
	if res.Sources[1].Text != gbText {
		t.Errorf("GBK text = %q", res.Sources[1].Text)
	}
	var ie *textimport.Error
	if len(res.Problems) != 1 || !errors.As(res.Problems[0], &ie) || !ie.Undecodable || ie.Offset != len("# Notes\n\nThe minister") {
		t.Fatalf("problems = %v", res.Problems)
	}

	forced := Files([]string{bad}, nil, Options{Encoding: "windows-1252"})
	if len(forced.Sources) != 1 || forced.Files[0].Encoding != "Windows-1252 (forced, 1 undecodable sequence replaced)" || forced.Files[0].Replaced != 1 {
		t.Fatalf("forced: %+v %v", forced.Files, forced.Problems)
	}
	if !strings.Contains(forced.Sources[0].Text, "minister’s") {
		t.Errorf("forced text = %q", forced.Sources[0].Text)
	}
}
