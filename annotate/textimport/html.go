package textimport

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)`)

// htmlDeclaredCharset finds a <meta charset> (or http-equiv content type)
// in the first 4 KB, the window browsers also prescan.
func htmlDeclaredCharset(data []byte) string {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

// skipped elements hold no reading text: code, styling, page chrome,
// controls and embedded documents.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Nav: true, atom.Aside: true, atom.Form: true,
	atom.Button: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Canvas: true, atom.Select: true, atom.Textarea: true, atom.Input: true,
	atom.Head: true, atom.Footer: true, atom.Dialog: true, atom.Audio: true, atom.Video: true,
}

// blocks end a paragraph before and after themselves.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Thead: true,
	atom.Tbody: true, atom.Tfoot: true, atom.Caption: true, atom.Figure: true, atom.Figcaption: true,
	atom.Address: true, atom.Hr: true, atom.Header: true, atom.Hgroup: true, atom.Details: true,
	atom.Summary: true, atom.Fieldset: true, atom.Center: true, atom.Body: true, atom.Html: true,
}

type htmlWriter struct {
	paras []string
	cur   strings.Builder
	space bool // a collapsed space is pending
}

func (w *htmlWriter) text(s string, pre bool) {
	if pre {
		w.flushSpace()
		w.cur.WriteString(s)
		return
	}
	for _, r := range s {
		// HTML collapses ASCII whitespace only; U+00A0 and ideographic
		// spaces are content.
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			w.space = w.cur.Len() > 0
			continue
		}
		w.flushSpace()
		w.cur.WriteRune(r)
	}
}

func (w *htmlWriter) flushSpace() {
	if w.space {
		s := w.cur.String()
		if !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, "\t") {
			w.cur.WriteByte(' ')
		}
		w.space = false
	}
}

func (w *htmlWriter) lineBreak() {
	w.space = false
	w.cur.WriteByte('\n')
}

func (w *htmlWriter) cell() {
	w.space = false
	if w.cur.Len() > 0 {
		w.cur.WriteByte('\t')
	}
}

func (w *htmlWriter) endPara() {
	w.space = false
	p := strings.Trim(w.cur.String(), " \t\n")
	if p != "" {
		w.paras = append(w.paras, p)
	}
	w.cur.Reset()
}

// htmlToText extracts the readable text of an HTML page: paragraphs from
// block elements separated by blank lines, <br> as a line break, scripts,
// styles and page chrome dropped. It also reads explicit metadata.
func htmlToText(src string) (string, docMeta) {
	var meta docMeta
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// The tree builder refuses pages nested deeper than 512 elements
		// (its only failure on an in-memory reader); read those as a flat
		// token stream rather than hand back raw tags.
		return htmlTokensToText(src)
	}
	var title, h1, ogTitle string
	var w htmlWriter
	var walk func(n *html.Node, pre, inArticle bool)
	walk = func(n *html.Node, pre, inArticle bool) {
		switch n.Type {
		case html.TextNode:
			w.text(n.Data, pre)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Html:
				if lang := attr(n, "lang"); lang != "" {
					meta.language = normaliseLangTag(lang)
				}
			case atom.Title:
				if title == "" {
					title = nodeText(n)
				}
			case atom.Meta:
				readMeta(n, &meta, &ogTitle)
			case atom.Time:
				if meta.published == "" && inArticle {
					meta.published = isoDate(attr(n, "datetime"))
				}
			case atom.H1:
				if h1 == "" {
					h1 = nodeText(n)
				}
			}
			if n.DataAtom == atom.Head {
				// Only metadata lives here; walk it for <title>/<meta> but
				// emit no text.
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode {
						walkMeta(c, &meta, &title, &ogTitle)
					}
				}
				return
			}
			if skipped[n.DataAtom] || hidden(n) {
				return
			}
			// A page header outside the article is site chrome; inside an
			// article it carries the headline and byline.
			if n.DataAtom == atom.Header && !inArticle {
				return
			}
			if n.DataAtom == atom.Br {
				w.lineBreak()
				return
			}
			if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
				w.cell()
			}
			if n.DataAtom == atom.Article || n.DataAtom == atom.Main {
				inArticle = true
			}
			if n.DataAtom == atom.Pre {
				pre = true
			}
		}
		block := n.Type == html.ElementNode && blocks[n.DataAtom]
		if block {
			w.endPara()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, pre, inArticle)
		}
		if block {
			w.endPara()
		}
	}
	walk(doc, false, false)
	w.endPara()

	switch {
	case h1 != "":
		meta.title = h1
	case ogTitle != "":
		meta.title = ogTitle
	default:
		meta.title = title
	}
	return strings.Join(w.paras, "\n\n"), meta
}

func walkMeta(n *html.Node, meta *docMeta, title, ogTitle *string) {
	switch n.DataAtom {
	case atom.Title:
		if *title == "" {
			*title = nodeText(n)
		}
	case atom.Meta:
		readMeta(n, meta, ogTitle)
	}
}

// readMeta takes the publisher's own statements: site name and publication
// time from OpenGraph / article / Dublin Core style tags.
func readMeta(n *html.Node, meta *docMeta, ogTitle *string) {
	key := strings.ToLower(attr(n, "property"))
	if key == "" {
		key = strings.ToLower(attr(n, "name"))
	}
	if key == "" {
		key = strings.ToLower(attr(n, "itemprop"))
	}
	val := strings.TrimSpace(attr(n, "content"))
	if val == "" {
		return
	}
	switch key {
	case "og:site_name", "application-name", "publisher", "article:publisher", "dc.publisher":
		if meta.outlet == "" && !strings.Contains(val, "://") {
			meta.outlet = val
		}
	case "article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued", "sailthru.date", "publication_date":
		if meta.published == "" {
			meta.published = isoDate(val)
		}
	case "og:title", "twitter:title":
		if *ogTitle == "" {
			*ogTitle = val
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(a.Val, "true") {
				return true
			}
		case "style":
			v := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

// nodeText is the collapsed text content of n, skipping scripts and styles.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// normaliseLangTag maps an HTML lang attribute onto the tags Gloss uses.
func normaliseLangTag(tag string) string {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	switch {
	case t == "en" || strings.HasPrefix(t, "en-"):
		return "en"
	case strings.Contains(t, "hant") || t == "zh-tw" || t == "zh-hk" || t == "zh-mo":
		return "zh-Hant"
	case strings.Contains(t, "hans") || t == "zh-cn" || t == "zh-sg" || t == "zh":
		return "zh-Hans"
	}
	return ""
}

// voids are elements that never have content or an end tag.
var voids = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true,
	atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true,
	atom.Param: true, atom.Source: true, atom.Track: true, atom.Wbr: true,
}

// openElem is one element open in htmlTokensToText.
type openElem struct {
	name             string
	block, skip, pre bool
	article, title   bool
}

// htmlTokensToText is htmlToText for pages too deep for the tree builder:
// the same rules (blocks, skipped chrome, <pre>, <br>, metadata) applied
// to the token stream with a stack of open elements. It has no depth
// limit and does linear work: an end tag pops only when a matching
// element is open, and each element is pushed and popped once.
func htmlTokensToText(src string) (string, docMeta) {
	var meta docMeta
	var w htmlWriter
	var title, h1, ogTitle strings.Builder
	var stack []openElem
	openCount := map[string]int{}
	var skip, pre, article, inTitle, inH1 int
	h1Done := false
	pop := func() {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		openCount[e.name]--
		if e.skip {
			skip--
		}
		if e.pre {
			pre--
		}
		if e.article {
			article--
		}
		if e.title {
			inTitle--
		}
		if e.name == "h1" {
			inH1--
			if inH1 == 0 && h1.Len() > 0 {
				h1Done = true
			}
		}
		if e.block && skip == 0 {
			w.endPara()
		}
	}
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			for len(stack) > 0 {
				pop()
			}
			w.endPara()
			switch {
			case h1.Len() > 0:
				meta.title = h1.String()
			case ogTitle.Len() > 0:
				meta.title = ogTitle.String()
			default:
				meta.title = title.String()
			}
			return strings.Join(w.paras, "\n\n"), meta
		case html.TextToken:
			text := string(z.Text())
			if inTitle > 0 && title.Len() < 1000 {
				title.WriteString(text)
			}
			if inH1 > 0 && !h1Done && h1.Len() < 1000 {
				h1.WriteString(text)
			}
			if skip == 0 {
				w.text(text, pre > 0)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			n := &html.Node{Type: html.ElementNode, Data: tok.Data, DataAtom: tok.DataAtom, Attr: tok.Attr}
			switch n.DataAtom {
			case atom.Html:
				if lang := attr(n, "lang"); lang != "" {
					meta.language = normaliseLangTag(lang)
				}
			case atom.Meta:
				var og string
				readMeta(n, &meta, &og)
				if ogTitle.Len() == 0 {
					ogTitle.WriteString(og)
				}
			case atom.Time:
				if meta.published == "" && article > 0 {
					meta.published = isoDate(attr(n, "datetime"))
				}
			case atom.Br:
				if skip == 0 {
					w.lineBreak()
				}
			case atom.Td, atom.Th:
				if skip == 0 {
					w.cell()
				}
			}
			if voids[n.DataAtom] || tt == html.SelfClosingTagToken {
				continue
			}
			e := openElem{name: tok.Data, block: blocks[n.DataAtom]}
			e.skip = skipped[n.DataAtom] || hidden(n) || (n.DataAtom == atom.Header && article == 0)
			e.pre = n.DataAtom == atom.Pre
			e.article = n.DataAtom == atom.Article || n.DataAtom == atom.Main
			e.title = n.DataAtom == atom.Title
			if e.block && skip == 0 {
				w.endPara()
			}
			stack = append(stack, e)
			openCount[e.name]++
			if e.skip {
				skip++
			}
			if e.pre {
				pre++
			}
			if e.article {
				article++
			}
			if e.title {
				inTitle++
			}
			if e.name == "h1" {
				inH1++
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if openCount[string(name)] == 0 {
				continue // a stray end tag closes nothing
			}
			for len(stack) > 0 {
				top := stack[len(stack)-1].name
				pop()
				if top == string(name) {
					break
				}
			}
		}
	}
}
