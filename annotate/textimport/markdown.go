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
		line = stripQuoteMarkers(line)
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

// stripQuoteMarkers removes every leading blockquote marker ("> > >")
// in one pass: stripping them one at a time copied the rest of the line
// per level, quadratic in the nesting depth.
func stripQuoteMarkers(line string) string {
	i := 0
	for {
		j := i
		for k := 0; k < 3 && j < len(line) && line[j] == ' '; k++ {
			j++
		}
		if j >= len(line) || line[j] != '>' {
			return line[i:]
		}
		j++
		if j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		i = j
	}
}

// inlineIndex holds what renderInline would otherwise rescan the line for
// at every bracket or backtick (quadratic on "[[[[..." or long tick runs):
// matching brackets and parentheses and the backtick runs by length.
type inlineIndex struct {
	bracket []int32 // at '[': index of its ']' (or -1)
	paren   []int32 // at '(': index of its ')' (or -1)
	nextRB  []int32 // index of the first ']' at or after i (or len)
	ticks   map[int][]int32
	cursor  map[int]int
}

func newInlineIndex(rs []rune) *inlineIndex {
	n := len(rs)
	ix := &inlineIndex{bracket: make([]int32, n), paren: make([]int32, n), nextRB: make([]int32, n+1)}
	var bs, ps []int32
	for i := 0; i < n; i++ {
		ix.bracket[i], ix.paren[i] = -1, -1
		switch rs[i] {
		case '(':
			ps = append(ps, int32(i))
		case ')':
			if len(ps) > 0 {
				ix.paren[ps[len(ps)-1]] = int32(i)
				ps = ps[:len(ps)-1]
			}
		}
	}
	// A backslash hides the next rune from bracket matching, as it does in
	// link text; parentheses are matched raw.
	for i := 0; i < n; i++ {
		switch rs[i] {
		case '\\':
			i++
		case '[':
			bs = append(bs, int32(i))
		case ']':
			if len(bs) > 0 {
				ix.bracket[bs[len(bs)-1]] = int32(i)
				bs = bs[:len(bs)-1]
			}
		}
	}
	ix.nextRB[n] = int32(n)
	for i := n - 1; i >= 0; i-- {
		if rs[i] == ']' {
			ix.nextRB[i] = int32(i)
		} else {
			ix.nextRB[i] = ix.nextRB[i+1]
		}
	}
	for i := 0; i < n; {
		if rs[i] != '`' {
			i++
			continue
		}
		m := runLen(rs, i, '`')
		if ix.ticks == nil {
			ix.ticks, ix.cursor = map[int][]int32{}, map[int]int{}
		}
		ix.ticks[m] = append(ix.ticks[m], int32(i))
		i += m
	}
	return ix
}

// closingTicks is the start of the first run of exactly n backticks at or
// after from and before limit, or -1. Callers ask with growing from, so a
// cursor per length makes all calls together linear.
func (ix *inlineIndex) closingTicks(from, n, limit int) int {
	list := ix.ticks[n]
	c := ix.cursor[n]
	for c < len(list) && int(list[c]) < from {
		c++
	}
	ix.cursor[n] = c
	if c < len(list) && int(list[c]) < limit {
		return int(list[c])
	}
	return -1
}

// link is a [text](url) or [text][ref] whose text is being rendered: at
// close (its ']') the renderer jumps to next, past the destination.
type link struct{ close, next int }

// renderInline removes inline Markdown syntax from one line. Link text is
// rendered in the same pass as the rest of the line (not by recursion), so
// nested links cost no more than flat ones.
func renderInline(s string) string {
	if s == "" {
		return s
	}
	s = autolinkRe.ReplaceAllString(s, "$1")
	var b strings.Builder
	rs := []rune(s)
	ix := newInlineIndex(rs)
	var open []link
	for i := 0; i < len(rs); i++ {
		limit := len(rs)
		for len(open) > 0 && i > open[len(open)-1].close {
			open = open[:len(open)-1] // defensive: a close was stepped over
		}
		if k := len(open); k > 0 {
			if i == open[k-1].close {
				i = open[k-1].next - 1
				open = open[:k-1]
				continue
			}
			limit = open[k-1].close
		}
		r := rs[i]
		switch {
		case r == '\\' && i+1 < limit && (unicode.IsPunct(rs[i+1]) || unicode.IsSymbol(rs[i+1])):
			// Escaped punctuation stands for itself; keep it as a private
			// marker so emphasis matching ignores it. Never past limit:
			// the ']' there closes the open link.
			b.WriteRune(escMark)
			b.WriteRune(rs[i+1])
			i++
		case r == '`':
			n := runLen(rs, i, '`')
			if i+n > limit {
				n = limit - i
			}
			closeAt := ix.closingTicks(i+n, n, limit)
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
			if l, ok := ix.linkAt(rs, i+1, limit); ok {
				open = append(open, l)
				i++ // render the link text next
				continue
			}
			b.WriteRune(r)
		case r == '[':
			if l, ok := ix.linkAt(rs, i, limit); ok {
				open = append(open, l)
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

// linkAt recognises [text](url "title") or [text][ref] at rs[i]=='[',
// entirely before limit (the end of an enclosing link's text).
func (ix *inlineIndex) linkAt(rs []rune, i, limit int) (link, bool) {
	j := int(ix.bracket[i])
	if j < 0 || j+1 >= limit {
		return link{}, false
	}
	switch rs[j+1] {
	case '(':
		if k := int(ix.paren[j+1]); k >= 0 && k < limit {
			return link{close: j, next: k + 1}, true
		}
	case '[':
		if j+2 <= limit {
			if k := int(ix.nextRB[j+2]); k < limit {
				return link{close: j, next: k + 1}, true
			}
		}
	}
	return link{}, false
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
	// stack holds open delimiters; byChar[c] the stack positions of those
	// of kind c, so a closer finds its opener without scanning past every
	// opener of the other kinds (quadratic on "*a *a ... a_ a_").
	var stack []int
	byChar := map[rune][]int{}
	push := func(k int) {
		byChar[ds[k].c] = append(byChar[ds[k].c], len(stack))
		stack = append(stack, k)
	}
	for k := range ds {
		d := &ds[k]
		if pos := byChar[d.c]; d.canClose && len(pos) > 0 {
			s := pos[len(pos)-1]
			idx := stack[s]
			o := &ds[idx]
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
			// The opener and every delimiter opened after it close.
			stack = stack[:s]
			for c, ps := range byChar {
				for len(ps) > 0 && ps[len(ps)-1] >= s {
					ps = ps[:len(ps)-1]
				}
				byChar[c] = ps
			}
			if o.n > 0 {
				push(idx) // partly used opener stays open
			}
		}
		if d.canOpen && d.n > 0 {
			push(k)
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
