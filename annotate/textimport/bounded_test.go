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
