package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"

	"gloss/annotate"
)

func renderMD(t *testing.T, md []byte) *html.Node {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestMarkdownHighlightsAndEscaping(t *testing.T) {
	text := "# Not a heading\n1. not a list\n😀中美合作遣返非法移民。据称,双方*同意*[链接](javascript:x) <b>x</b> | pipe"
	p := &annotate.Project{Codes: []annotate.Code{{ID: "a", Name: "A_*b*", Color: "#ff0000"}}}
	p.Sources = []annotate.Source{newSource("s", "Title [x](y)", text, annotate.Simplified), newSource("e", "", "", annotate.English)}
	annotateQuote(t, p, "s", "中美合作遣返", []string{"a"}, nil, 1, "")
	annotateQuote(t, p, "s", "遣返非法移民。", nil, nil, 0, "note | with pipe")
	annotateQuote(t, p, "s", "双方*同意*", nil, nil, 0, "")
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, p, Options{Title: "R"}); err != nil {
		t.Fatal(err)
	}
	doc := renderMD(t, buf.Bytes())
	var strong, headings []string
	var links, raw, lists int
	var tableCells int
	countMarks(doc, func(n *html.Node) {
		switch n.Data {
		case "strong":
			strong = append(strong, textOf(n))
		case "h1", "h2", "h3":
			headings = append(headings, textOf(n))
		case "a", "img":
			links++
		case "b", "script":
			raw++
		case "ol":
			lists++
		case "table":
			// Only the annotation table: the figures table may list a number too.
			if strings.Contains(squash(textOf(n)), "QuoteCodesStance") {
				countMarks(n, func(c *html.Node) {
					if c.Data == "td" {
						tableCells++
					}
				})
			}
		}
	})
	joined := "|" + strings.Join(strong, "|") + "|"
	for _, want := range []string{"|中美合作|遣返非法移民|双方*同意|"} {
		if !strings.Contains(joined, want) {
			t.Errorf("bold runs %q lack %q", joined, want)
		}
	}
	if links != 0 || raw != 0 || lists != 0 {
		t.Errorf("project text became markup: %d links, %d raw HTML, %d lists", links, raw, lists)
	}
	for _, h := range headings {
		if strings.Contains(h, "Not a heading") {
			t.Errorf("source text became a heading")
		}
	}
	if tableCells != 18 {
		t.Errorf("annotation table has %d cells, want 18 (a pipe in a note split a row?)", tableCells)
	}
	all := textOf(doc)
	for _, want := range []string{"# Not a heading", "1. not a list", "[1]中美合作", "[2]遣返", "[3]双方*同意*", "<b>x</b>", "Title [x](y)", "note | with pipe"} {
		if !strings.Contains(all, want) {
			t.Errorf("rendered text lacks %q", want)
		}
	}
}

func TestMarkdownCorpus(t *testing.T) {
	p := corpusProject(t)
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, p, Options{}); err != nil {
		t.Fatal(err)
	}
	doc := renderMD(t, buf.Bytes())
	all := textOf(doc)
	for _, want := range []string{"美国正在与中国进行高层讨论", "Unsupported:", "Evidence from", "Cooperation"} {
		if !strings.Contains(all, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}
