package report

import (
	"os"
	"strings"
	"testing"
)

// A font file is outside input (GLOSS_PDF_FONT names any file): parsing
// it fails with its name or gives a font whose subset can be built, never
// a panic or a hang.
func FuzzParseTTF(f *testing.F) {
	if path := findFont(LatinFontPaths); path != "" {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("\x00\x01\x00\x00\x00\x01\x00\x10\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		font, err := parseTTF(b, "fuzz.ttf")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.ttf") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for g := range min(font.numGlyphs, 64) {
			font.use(uint16(g*7%font.numGlyphs), rune('a'+g))
		}
		font.subset()
	})
}
