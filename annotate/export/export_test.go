package export

import (
	"bytes"
	"testing"

	"gloss/assets"
)

func TestEveryFormatWritesTheDemoProject(t *testing.T) {
	p, err := assets.DemoProject()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := f.WriteProject(&buf, p, Options{Title: "Demo", Author: "tester"}); err != nil {
			if f.Name == "pdf" {
				// The PDF needs a system CJK TrueType font (FONTS.md); report tests cover it.
				t.Logf("pdf not written here: %v", err)
				continue
			}
			t.Fatalf("%s: %v", f.Name, err)
		}
		if buf.Len() < 200 {
			t.Fatalf("%s: only %d bytes", f.Name, buf.Len())
		}
	}
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"html", ".HTML", "qdpx", "jsonld", ".xlsx"} {
		if _, err := Lookup(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Lookup("docx"); err == nil {
		t.Fatal("docx accepted")
	}
}
