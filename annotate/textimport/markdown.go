package textimport

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	atxRe       = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	setextRe    = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	hrRe        = regexp.MustCompile(`^ {0,3}((?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	fenceRe     = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	bulletRe    = regexp.MustCompile(`^(\s*)[-*+][ \t]+(?:\[[ xX]\][ \t]+)?`)
	quoteRe     = regexp.MustCompile(`^ {0,3}>[ \t]?`)
	refDefRe    = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:\s*\S+`)
	frontKeyRe  = regexp.MustCompile(`^([A-Za-z_][\w-]*)\s*:\s*(.*)$`)
	htmlTagRe   = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
	autolinkRe  = regexp.MustCompile(`<((?:https?|mailto|ftp):[^<>\s]+)>`)
	tableSepRe  = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$`)
	hardBreakRe = regexp.MustCompile(`( {2,}|\\)$`)
)

// markdownToText renders Markdown to the plain text a reader sees: heading
// hashes, emphasis, code ticks, link and image syntax and bullets go; the
// words, paragraph breaks and code block contents stay. YAML front matter
// is read for metadata and dropped.
func markdownToText(src string) (string, docMeta) {
	var meta docMeta
	lines := strings.Split(src, "\n")
	lines = readFrontMatter(lines, &meta)

	var out []string
	var fence string
	var title string
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if fence != "" {
			if strings.HasPrefix(strings.TrimSpace(line), fence) {
				fence = ""
				continue
			}
			out = append(out, line) // code is shown as written
			continue
		}
		if m := fenceRe.FindStringSubmatch(line); m != nil {
			fence = m[1][:3]
			continue
		}
		// Setext heading: a text line underlined with === or ---.
		if i+1 < len(lines) && strings.TrimSpace(line) != "" && setextRe.MatchString(lines[i+1]) && !bulletRe.MatchString(line) {
			text := renderInline(strings.TrimSpace(line))
			if title == "" && strings.HasPrefix(strings.TrimSpace(lines[i+1]), "=") {
				title = text
			}
			out = append(out, text)
			i++
			continue
		}
		if hrRe.MatchString(line) || tableSepRe.MatchString(line) && strings.Contains(line, "|") {
			out = append(out, "")
			continue
		}
		if refDefRe.MatchString(line) {
			continue
		}
		if m := atxRe.FindStringSubmatch(line); m != nil {
			text := renderInline(strings.TrimSpace(m[2]))
			if title == "" && len(m[1]) == 1 {
				title = text
			}
			out = append(out, text)
			continue
		}
		for quoteRe.MatchString(line) {
			line = quoteRe.ReplaceAllString(line, "")
		}
		line = bulletRe.ReplaceAllString(line, "$1")
		if strings.HasPrefix(strings.TrimSpace(line), "|") && strings.Count(line, "|") >= 2 {
			line = tableRow(line)
		}
		line = hardBreakRe.ReplaceAllString(line, "")
		// Indentation is layout in Markdown, not content.
		line = strings.TrimLeft(line, " \t")
		out = append(out, renderInline(strings.TrimRight(line, " \t")))
	}
	meta.title = firstNonEmpty(meta.title, title)
	return collapseBlankLines(strings.Join(out, "\n")), meta
}

// readFrontMatter strips a leading YAML block (--- ... ---) and keeps the
// keys that are metadata suggestions.
func readFrontMatter(lines []string, meta *docMeta) []string {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return lines
	}
	for i := 1; i < len(lines) && i < 100; i++ {
		l := strings.TrimSpace(lines[i])
		if l == "---" || l == "..." {
			for _, kv := range lines[1:i] {
				m := frontKeyRe.FindStringSubmatch(strings.TrimSpace(kv))
				if m == nil {
					continue
				}
				v := strings.Trim(strings.TrimSpace(m[2]), `"'`)
				switch strings.ToLower(m[1]) {
				case "title":
					meta.title = v
				case "date", "published", "pubdate", "publishdate":
					meta.published = isoDate(v)
				case "source", "outlet", "publisher", "site", "site_name":
					meta.outlet = v
				case "lang", "language":
					meta.language = normaliseLangTag(v)
				}
			}
			return lines[i+1:]
		}
		if l != "" && !frontKeyRe.MatchString(l) && !strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "#") {
			return lines // a thematic break, not front matter
		}
	}
	return lines
}

func tableRow(line string) string {
	cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return strings.Join(cells, "\t")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := true // also drops leading blank lines
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n")
}

// renderInline removes inline Markdown syntax from one line.
func renderInline(s string) string {
	if s == "" {
		return s
	}
	s = autolinkRe.ReplaceAllString(s, "$1")
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs) && unicode.IsPunct(rs[i+1]) || r == '\\' && i+1 < len(rs) && unicode.IsSymbol(rs[i+1]):
			// Escaped punctuation stands for itself; keep it as a private
			// marker so emphasis matching ignores it.
			b.WriteRune(escMark)
			b.WriteRune(rs[i+1])
			i++
		case r == '`':
			n := runLen(rs, i, '`')
			closeAt := findRun(rs, i+n, '`', n)
			if closeAt < 0 {
				b.WriteString(string(rs[i : i+n]))
				i += n - 1
				continue
			}
			code := strings.TrimSpace(string(rs[i+n : closeAt]))
			for _, c := range code {
				b.WriteRune(escMark)
				b.WriteRune(c)
			}
			i = closeAt + n - 1
		case r == '!' && i+1 < len(rs) && rs[i+1] == '[':
			if text, next, ok := linkAt(rs, i+1); ok {
				b.WriteString(text)
				i = next - 1
				continue
			}
			b.WriteRune(r)
		case r == '[':
			if text, next, ok := linkAt(rs, i); ok {
				b.WriteString(text)
				i = next - 1
				continue
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	out := stripEmphasis(b.String())
	out = htmlTagRe.ReplaceAllString(out, "")
	return strings.ReplaceAll(out, string(escMark), "")
}

// escMark precedes characters that must be emitted literally (escaped or
// inside code): emphasis matching skips them. It is a noncharacter, so it
// never occurs in real text.
const escMark = '\uFDD0'

func runLen(rs []rune, i int, c rune) int {
	n := 0
	for i+n < len(rs) && rs[i+n] == c {
		n++
	}
	return n
}

func findRun(rs []rune, from int, c rune, n int) int {
	for j := from; j < len(rs); j++ {
		if rs[j] == c {
			m := runLen(rs, j, c)
			if m == n {
				return j
			}
			j += m - 1
		}
	}
	return -1
}

// linkAt parses [text](url "title") or [text][ref] at rs[i]=='[' and
// returns the rendered text and the index after the link.
func linkAt(rs []rune, i int) (string, int, bool) {
	depth := 0
	j := i
	for ; j < len(rs); j++ {
		if rs[j] == '\\' {
			j++
			continue
		}
		if rs[j] == '[' {
			depth++
		} else if rs[j] == ']' {
			depth--
			if depth == 0 {
				break
			}
		}
	}
	if j >= len(rs) || j+1 >= len(rs) {
		return "", 0, false
	}
	text := string(rs[i+1 : j])
	switch rs[j+1] {
	case '(':
		pd := 0
		for k := j + 1; k < len(rs); k++ {
			if rs[k] == '(' {
				pd++
			} else if rs[k] == ')' {
				pd--
				if pd == 0 {
					return renderInline(text), k + 1, true
				}
			}
		}
	case '[':
		for k := j + 2; k < len(rs); k++ {
			if rs[k] == ']' {
				return renderInline(text), k + 1, true
			}
		}
	}
	return "", 0, false
}

type delim struct {
	pos, n            int
	c                 rune
	canOpen, canClose bool
}

// stripEmphasis removes matched *, _ and ~~ delimiter runs using the
// CommonMark flanking rules in simplified form, so "2 * 3 * 4", snake_case
// and lone asterisks survive while **bold** and _italic_ lose their marks.
func stripEmphasis(s string) string {
	rs := []rune(s)
	var ds []delim
	for i := 0; i < len(rs); {
		c := rs[i]
		if c == escMark {
			i += 2
			continue
		}
		if c != '*' && c != '_' && c != '~' {
			i++
			continue
		}
		n := runLen(rs, i, c)
		if c == '~' && n != 2 {
			i += n
			continue
		}
		prev, next := ' ', ' '
		if i > 0 {
			prev = rs[i-1]
		}
		if i+n < len(rs) {
			next = rs[i+n]
		}
		left := !unicode.IsSpace(next) && (!isPunct(next) || unicode.IsSpace(prev) || isPunct(prev))
		right := !unicode.IsSpace(prev) && (!isPunct(prev) || unicode.IsSpace(next) || isPunct(next))
		open, cls := left, right
		if c == '_' {
			open = left && (!right || isPunct(prev))
			cls = right && (!left || isPunct(next))
		}
		ds = append(ds, delim{pos: i, n: n, c: c, canOpen: open, canClose: cls})
		i += n
	}
	remove := make([]bool, len(rs))
	var stack []int
	for k := range ds {
		d := &ds[k]
		if d.canClose {
			for s := len(stack) - 1; s >= 0; s-- {
				o := &ds[stack[s]]
				if o.c != d.c || o.n == 0 {
					continue
				}
				m := o.n
				if d.n < m {
					m = d.n
				}
				for x := 0; x < m; x++ {
					remove[o.pos+o.n-1-x] = true
					remove[d.pos+x] = true
				}
				o.n -= m
				d.pos += m
				d.n -= m
				idx := stack[s]
				stack = stack[:s]
				if o.n > 0 {
					stack = append(stack, idx) // partly used opener stays open
				}
				break
			}
		}
		if d.canOpen && d.n > 0 {
			stack = append(stack, k)
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		if !remove[i] {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isPunct(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || r == escMark
}
