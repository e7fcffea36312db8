package textimport

import (
	"fmt"
	"path/filepath"
	"testing"
)

func TestDbg(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/0*.txt")
	for _, f := range files {
		r, err := ReadFile(f)
		fmt.Printf("%s err=%v\n enc=%s fmt=%s title=%q outlet=%q pub=%q lang=%q\n", filepath.Base(f), err, r.Encoding, r.Format, r.Title, r.Outlet, r.Published, r.Language)
	}
}
