package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"gloss/annotate"
)

func hostileProject(t *testing.T) *annotate.Project {
	text := "Before <script>alert(1)</script> middle <img src=x onerror=alert(1)> and " +
		"<a href=\"javascript:alert(2)\">click</a> end </textarea><style>body{}</style>."
	p := &annotate.Project{Name: "<b>proj</b>"}
	s := newSource("s1", "<script>alert('t')</script>", text, annotate.English)
	s.URL = "javascript:alert(3)"
	s.Outlet = `"><img src=x onerror=alert(4)>`
	s.Note = "<iframe src=https://evil.example/></iframe>"
	p.Sources = []annotate.Source{s}
	p.Codes = []annotate.Code{
		{ID: "c1", Name: "<b>bold</b>", Color: "#ff0000"},
		// A colour that tries to break out of the style attribute.
		{ID: "c2", Name: "evil", Color: "red;background:url(https://evil.example/x.png)"},
	}
	p.Targets = []annotate.Target{{ID: "t1", Name: "<svg onload=alert(5)>"}}
	annotateQuote(t, p, "s1", "<script>alert(1)</script>", []string{"c1", "c2"}, []annotate.StanceMark{{Target: "t1", Stance: annotate.Against}}, 2, "<b>note</b> <script>x()</script>")
	annotateQuote(t, p, "s1", "<img src=x onerror=alert(1)>", []string{"c2"}, nil, 0, "javascript:alert(6)")
	return p
}

func TestHTMLEscapesUntrustedText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, hostileProject(t), Options{Title: "<script>t()</script>", Generated: t0}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	cspSeen := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "img", "object", "embed", "link", "svg", "base", "form":
				t.Errorf("output has a <%s> element", n.Data)
			case "style":
				if n.Parent == nil || n.Parent.Data != "head" {
					t.Errorf("<style> outside head")
				}
			}
			for _, a := range n.Attr {
				k, v := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(k, "on") {
					t.Errorf("<%s> has event attribute %s=%q", n.Data, a.Key, a.Val)
				}
				if (k == "href" || k == "src" || k == "action" || k == "srcset") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:")) {
					t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
				}
				if k == "src" || k == "srcset" || (k == "href" && n.Data == "link") {
					t.Errorf("<%s> loads a resource: %s=%q", n.Data, a.Key, a.Val)
				}
				if k == "style" && (strings.Contains(v, "url(") || strings.Contains(v, "http")) {
					t.Errorf("<%s> style loads a resource: %q", n.Data, a.Val)
				}
				if n.Data == "meta" && k == "http-equiv" && strings.EqualFold(a.Val, "Content-Security-Policy") {
					for _, b := range n.Attr {
						if b.Key == "content" && strings.Contains(b.Val, "default-src 'none'") && !strings.Contains(b.Val, "script-src") {
							cspSeen = true
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !cspSeen {
		t.Error("no Content-Security-Policy meta with default-src 'none'")
	}
	if strings.Contains(strings.ToLower(out), "url(http") || strings.Contains(out, "@import") {
		t.Error("stylesheet refers to a remote resource")
	}
	// The hostile text is still there, as text.
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&lt;b&gt;bold&lt;/b&gt;", "&lt;b&gt;note&lt;/b&gt;", "javascript:alert(3)"} {
		if !strings.Contains(out, want) {
			t.Errorf("escaped text %q missing", want)
		}
	}
}

func countMarks(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		countMarks(c, f)
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func attr(n *html.Node, k string) string {
	for _, a := range n.Attr {
		if a.Key == k {
			return a.Val
		}
	}
	return ""
}

func TestHTMLOverlapsMarkersAndAstralOffsets(t *testing.T) {
	// 😀 and 𠀋 lie outside the BMP: one code point each, two UTF-16 units.
	text := "😀𠀋 开头。中美合作遣返非法移民,双方同意。"
	p := &annotate.Project{Codes: []annotate.Code{{ID: "a", Name: "A", Color: "#ff0000"}, {ID: "b", Name: "B", Color: "#0000ff"}}}
	p.Sources = []annotate.Source{newSource("s", "t", text, annotate.Simplified)}
	annotateQuote(t, p, "s", "中美合作遣返", []string{"a"}, nil, 0, "")
	annotateQuote(t, p, "s", "遣返非法移民", []string{"b"}, nil, 0, "")
	annotateQuote(t, p, "s", "双方", nil, nil, 0, "")
	if p.Annotations[0].Selector.Start != 6 {
		t.Fatalf("fixture: start %d, want 6", p.Annotations[0].Selector.Start)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, p, Options{}); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var marks []*html.Node
	var markers []string
	var textDiv *html.Node
	countMarks(doc, func(n *html.Node) {
		switch {
		case n.Data == "mark":
			marks = append(marks, n)
		case n.Data == "a" && attr(n, "class") == "m":
			markers = append(markers, textOf(n))
			if attr(n, "href") != "#src-1-a"+textOf(n) {
				t.Errorf("marker %s links to %q", textOf(n), attr(n, "href"))
			}
		case n.Data == "div" && attr(n, "class") == "text":
			textDiv = n
		}
	})
	got := []string{}
	for _, m := range marks {
		got = append(got, textOf(m)+"|"+attr(m, "class"))
	}
	want := []string{"中美合作|d1", "遣返|d2", "非法移民|d1", "双方|d1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("marks = %v, want %v", got, want)
	}
	if strings.Join(markers, ",") != "1,2,3" {
		t.Errorf("markers = %v, want 1,2,3", markers)
	}
	// The overlap is darker than either passage alone.
	if attr(marks[1], "style") == attr(marks[0], "style") || attr(marks[1], "style") == attr(marks[2], "style") {
		t.Errorf("overlap not blended: %q %q %q", attr(marks[0], "style"), attr(marks[1], "style"), attr(marks[2], "style"))
	}
	// Removing the marker numbers gives back the text exactly.
	plain := textOf(textDiv)
	for _, m := range []string{"1", "2", "3"} {
		plain = strings.Replace(plain, m, "", 1)
	}
	if plain != text {
		t.Errorf("text changed:\n got %q\nwant %q", plain, text)
	}
	// Rows carry the code-point offsets.
	var pos []string
	countMarks(doc, func(n *html.Node) {
		if n.Data == "div" && attr(n, "class") == "pos" {
			pos = append(pos, textOf(n))
		}
	})
	if strings.Join(pos, " ") != "6–12 10–16 17–19" {
		t.Errorf("row offsets = %v", pos)
	}
}

func TestHTMLEmptyProjectAndBareSources(t *testing.T) {
	for name, p := range map[string]*annotate.Project{
		"nil":      nil,
		"empty":    {},
		"bare":     {Sources: []annotate.Source{newSource("s", "", "", annotate.LangUnknown), newSource("t", "T", "Some text.", annotate.English)}},
		"unloaded": {Sources: []annotate.Source{{ID: "u", Kind: annotate.KindOriginal, Length: 120}}},
		"stale": {Sources: []annotate.Source{newSource("s", "", "short", annotate.English)},
			Annotations: []annotate.Annotation{{ID: "a", SourceID: "s", Selector: annotate.Selector{Start: 3, End: 40, Exact: "gone"}}}},
	} {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, p, Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if name == "unloaded" && !strings.Contains(buf.String(), "was not loaded") {
			t.Errorf("unloaded text not flagged")
		}
		if _, err := html.Parse(&buf); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestHTMLCorpus(t *testing.T) {
	p := corpusProject(t)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, p, Options{Title: "China–US repatriation: annotated sources", Generated: t0}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"美国正在与中国进行高层讨论", "D — Not usually reliable", "Machine-translated", "State-affiliated",
		"Evidence from", "Unsupported", "Repatriation flights", "China: against"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The gold summary: 6 sentences confirmed, 1 suggested, the added last one unsupported.
	d, err := prepare(readerOf(p), Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	sum := d.Sources[len(d.Sources)-1]
	if err := d.fill(sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Coverage) != 1 {
		t.Fatalf("summary has %d coverage blocks", len(sum.Coverage))
	}
	r := sum.Coverage[0].R
	if len(r.Sentences) != 8 || r.Linked != 6 || r.Suggested != 1 || len(r.Unsupported) != 1 || r.Unsupported[0] != 7 {
		t.Errorf("coverage: %d sentences, %d linked, %d suggested, unsupported %v", len(r.Sentences), r.Linked, r.Suggested, r.Unsupported)
	}
	if r.OriginalShare <= 0 || r.OriginalShare >= 0.5 {
		t.Errorf("original share %v", r.OriginalShare)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "report.html"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if dst := os.Getenv("GLOSS_REPORT_HTML"); dst != "" {
		if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
