package textimport

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/internal/testshared"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

type corpusSource struct {
	File      string  `json:"file"`
	Language  string  `json:"language"`
	Title     *string `json:"title"`
	Outlet    *string `json:"outlet"`
	Published *string `json:"published"`
}

func loadSources(t *testing.T) (string, []corpusSource) {
	dir := testshared.Path(t, "corpus")
	raw, err := os.ReadFile(filepath.Join(dir, "sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sources []corpusSource `json:"sources"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("sources.json: %v", err)
	}
	if len(doc.Sources) != 5 {
		t.Fatalf("sources.json lists %d sources, want 5", len(doc.Sources))
	}
	return dir, doc.Sources
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// TestCorpusMetadata checks the suggestions against what sources.json says
// each text states; null means the text does not state it, so the
// suggestion must be empty rather than wrong.
func TestCorpusMetadata(t *testing.T) {
	dir, sources := loadSources(t)
	for _, src := range sources {
		t.Run(src.File, func(t *testing.T) {
			res, err := ReadFile(filepath.Join(dir, src.File))
			if err != nil {
				t.Fatal(err)
			}
			wantLang := src.Language
			if wantLang == "zh" {
				wantLang = "zh-Hans" // the corpus texts are simplified; 002's one traditional comment must not flip it
			}
			if res.Language != wantLang {
				t.Errorf("Language = %q, want %q", res.Language, wantLang)
			}
			if res.Published != str(src.Published) {
				t.Errorf("Published = %q, want %q", res.Published, str(src.Published))
			}
			if res.Outlet != str(src.Outlet) {
				t.Errorf("Outlet = %q, want %q", res.Outlet, str(src.Outlet))
			}
			if res.Title != str(src.Title) {
				t.Errorf("Title = %q, want %q", res.Title, str(src.Title))
			}
			if res.Format != FormatText || res.Encoding != "UTF-8" {
				t.Errorf("Format/Encoding = %s/%s, want text/UTF-8", res.Format, res.Encoding)
			}
		})
	}
}

// TestCorpusAllPaths runs every importer path over each corpus file: the
// same text re-encoded (UTF-8 BOM, UTF-16 LE/BE, GB18030), with CRLF or CR
// line ends, renamed .md, and wrapped as an HTML page full of chrome. Each
// must yield the same text (HTML: the same paragraphs) and the same
// suggestions.
func TestCorpusAllPaths(t *testing.T) {
	dir, sources := loadSources(t)
	for _, src := range sources {
		t.Run(src.File, func(t *testing.T) {
			path := filepath.Join(dir, src.File)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			base, err := Decode(src.File, raw)
			if err != nil {
				t.Fatal(err)
			}
			if base.Text != Normalize(string(raw)) {
				t.Fatal("plain UTF-8 text was rewritten beyond normalisation")
			}
			enc := func(e encoding.Encoding) []byte {
				b, err := e.NewEncoder().Bytes(raw)
				if err != nil {
					t.Fatalf("encode: %v", err)
				}
				return b
			}
			variants := []struct {
				name, enc string
				data      []byte
			}{
				{"bom.txt", "UTF-8 (BOM)", append([]byte{0xEF, 0xBB, 0xBF}, raw...)},
				{"le.txt", "UTF-16LE", enc(xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM))},
				{"be.txt", "UTF-16BE", enc(xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM))},
				{"crlf.txt", "UTF-8", bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))},
				{"cr.txt", "UTF-8", bytes.ReplaceAll(raw, []byte("\n"), []byte("\r"))},
				{"noext", "UTF-8", raw},
			}
			if !bytes.Equal(enc(simplifiedchinese.GB18030), raw) { // ASCII-only files are UTF-8 too
				variants = append(variants, struct {
					name, enc string
					data      []byte
				}{"gb.txt", "GB18030", enc(simplifiedchinese.GB18030)})
			}
			for _, v := range variants {
				got, err := Decode(v.name, v.data)
				if err != nil {
					t.Errorf("%s: %v", v.name, err)
					continue
				}
				if got.Encoding != v.enc {
					t.Errorf("%s: Encoding = %q, want %q", v.name, got.Encoding, v.enc)
				}
				if got.Text != base.Text {
					t.Errorf("%s: text differs from the UTF-8 import", v.name)
				}
				if got.Published != base.Published || got.Outlet != base.Outlet || got.Language != base.Language || got.Title != base.Title {
					t.Errorf("%s: suggestions differ: %+v vs %+v", v.name, got, base)
				}
			}

			// As Markdown the corpus has no markup, so paragraphs survive.
			md, err := Decode("article.md", raw)
			if err != nil {
				t.Fatal(err)
			}
			if md.Format != FormatMarkdown {
				t.Errorf("Format = %q", md.Format)
			}
			if got, want := paragraphs(md.Text), paragraphs(base.Text); !equalStrings(got, want) {
				t.Errorf("markdown paragraphs differ: %d vs %d", len(got), len(want))
			}

			// As HTML: one <p> per paragraph, inside page chrome.
			var page strings.Builder
			page.WriteString("<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style><script>var x = 'MUST-NOT-APPEAR';</script></head><body><nav>Home | MUST-NOT-APPEAR</nav><article>")
			for _, p := range paragraphs(base.Text) {
				page.WriteString("<p>")
				page.WriteString(escapeHTML(p))
				page.WriteString("</p>\n")
			}
			page.WriteString("</article><footer>MUST-NOT-APPEAR</footer></body></html>")
			h, err := Decode("page.html", []byte(page.String()))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(h.Text, "MUST-NOT-APPEAR") {
				t.Error("HTML chrome leaked into the text")
			}
			if got, want := paragraphs(h.Text), paragraphs(base.Text); !equalStrings(got, want) {
				t.Errorf("HTML paragraphs differ: %d vs %d paragraphs", len(got), len(want))
			}
			if h.Published != base.Published || h.Outlet != base.Outlet || h.Language != base.Language {
				t.Errorf("HTML suggestions differ: %+v vs %+v", h, base)
			}
		})
	}
}

// paragraphs splits into non-empty lines (the corpus uses both blank-line
// and single-newline paragraphs) and folds whitespace, which is what HTML
// rendering preserves.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		p = strings.Join(strings.Fields(strings.ReplaceAll(p, "\u00a0", " ")), " ")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
