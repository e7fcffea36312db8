package textimport

import (
	"strings"
	"testing"
)

// Deep nesting keeps its text: quote markers, nested links and unmatched
// brackets are syntax, the words are content.
func TestDeepMarkdownKeepsText(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"quotes", strings.Repeat("> ", 5000) + "deep words", "deep words"},
		{"tight quotes", strings.Repeat(">", 5000) + "deep words", "deep words"},
		{"nested links", strings.Repeat("[", 300) + "inner" + strings.Repeat("](u)", 300), "inner"},
		{"image in link", "[![logo](l.png) site](https://example.org) text", "logo site text"},
		{"ref link", "see [the report][r1] now", "see the report now"},
		{"unmatched", strings.Repeat("[", 2000) + "x", strings.Repeat("[", 2000) + "x"},
		{"code in link", "[run `a*b*c` now](u)", "run a*b*c now"},
		{"mixed emphasis", "*a _b* c_", "a _b c_"},
		{"unmatched emphasis", strings.Repeat("*a ", 1000) + strings.Repeat("a_ ", 1000), strings.TrimSpace(strings.Repeat("*a ", 1000) + strings.Repeat("a_ ", 1000))},
	}
	for _, c := range cases {
		got, _ := markdownToText(c.src)
		if got != c.want {
			t.Errorf("%s: got %.80q, want %.80q", c.name, got, c.want)
		}
	}
}

// deepPage nests a paragraph depth <div>s deep inside an ordinary page.
func deepPage(depth int) string {
	return `<!DOCTYPE html><html lang="en"><head><title>Site | Headline</title><meta property="og:site_name" content="Example Wire"></head><body>` +
		`<nav>Home MUST-NOT-APPEAR</nav><article><h1>Deep <i>headline</i></h1><time datetime="2024-05-06">May 6</time>` +
		strings.Repeat("<div>", depth) + "<p>Deep paragraph &amp; more.</p><pre>  kept  as is</pre>line<br>break" +
		strings.Repeat("</div>", depth) + "<p>After the nest.</p><script>var x = 'MUST-NOT-APPEAR';</script>" +
		`</article><footer>MUST-NOT-APPEAR</footer></body></html>`
}

// HTML nested deeper than the parser's limit (512) is read as text, with
// the same rules as shallow pages, never imported as raw tags.
func TestDeepHTMLReadsText(t *testing.T) {
	for _, depth := range []int{10, 600, 20000} {
		r, err := Decode("deep.html", []byte(deepPage(depth)))
		if err != nil {
			t.Fatalf("depth %d: %v", depth, err)
		}
		want := "Deep headline\n\nMay 6\n\nDeep paragraph & more.\n\nkept  as is\n\nline\nbreak\n\nAfter the nest."
		if r.Text != want {
			t.Errorf("depth %d: text\n%q\nwant\n%q", depth, r.Text, want)
		}
		if r.Title != "Deep headline" || r.Outlet != "Example Wire" || r.Published != "2024-05-06" || r.Language != "en" {
			t.Errorf("depth %d: metadata %+v", depth, r)
		}
	}
	// Stray and unbalanced tags past the limit still yield only text.
	r, err := Decode("stray.html", []byte(strings.Repeat("<b>x</p>", 2000)+"<span>y</div></span>"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(r.Text, "<>") || !strings.HasSuffix(r.Text, "xy") {
		t.Errorf("stray tags: %.80q", r.Text)
	}
}

func benchmarkDeepHTML(b *testing.B, size int) {
	var sb strings.Builder
	for sb.Len() < size {
		sb.WriteString(deepPage(1000))
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := Decode("deep.html", data)
		if err != nil || strings.Contains(r.Text, "<div>") {
			b.Fatalf("%v %.40q", err, r.Text)
		}
	}
}

func BenchmarkDeepHTML100KB(b *testing.B) { benchmarkDeepHTML(b, 100<<10) }
func BenchmarkDeepHTML200KB(b *testing.B) { benchmarkDeepHTML(b, 200<<10) }
