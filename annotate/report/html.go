package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"gloss/annotate"
	"gloss/annotate/coverage"
)

// csp forbids every load and every script: the page needs only its own
// inline styles, and sources are untrusted text.
const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"

// WriteHTML writes p as one self-contained HTML page: inline CSS, no
// scripts, no remote resources, with a print stylesheet for "print to PDF".
func WriteHTML(w io.Writer, p *annotate.Project, opt Options) error {
	return StreamHTML(w, readerOf(p), opt)
}

// StreamHTML writes the HTML report of what r reads, one source's section
// at a time, so memory stays flat as the project grows.
func StreamHTML(w io.Writer, r annotate.Reader, opt Options) error {
	d, err := prepare(r, opt, false)
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	lang := opt.Lang
	if lang == "" {
		lang = "en"
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	data := struct {
		*doc
		Lang, CSP string
		CSS       template.CSS
		RelScale  any
		CredScale any
	}{d, lang, csp, template.CSS(styles + analysisStyles), annotate.ReliabilityScale, annotate.CredibilityScale}
	if err := htmlTmpl.Execute(bw, data); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if err := d.each(func(sd *srcDoc) error { return htmlTmpl.ExecuteTemplate(bw, "source", sd) }); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if err := htmlTmpl.ExecuteTemplate(bw, "tail", data); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"hex":  hex,
	"date": func(t interface{ Format(string) string }) string { return t.Format("2006-01-02 15:04 MST") },
	"pct":  func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
	"safeURL": func(u string) string {
		// Only web links become clickable; anything else stays text.
		l := strings.ToLower(strings.TrimSpace(u))
		if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
			return u
		}
		return ""
	},
	"langOf":   func(l annotate.Language) string { return string(l) },
	"textHTML": textHTML,
	"rowsHTML": rowsHTML,
	"stateLabel": func(s coverage.State) string {
		switch s {
		case coverage.Linked:
			return "Linked"
		case coverage.Suggested:
			return "Suggested only"
		}
		return "Unsupported"
	},
	"indent": func(d int) string { return strconv.Itoa(d*18) + "px" },
	// color passes a code's colour only when it is #RRGGBB: it lands in a style attribute.
	"color": func(c string) string {
		if rgb, ok := parseColor(c); ok {
			return hex(rgb)
		}
		return noCodeColor
	},
}).Parse(htmlSrc))

const htmlSrc = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Gloss">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header class="report-head">
<h1>{{.Title}}</h1>
<p class="meta">Generated {{date .Generated}} · {{len .Sources}} source{{if ne (len .Sources) 1}}s{{end}} · {{.NAnn}} annotation{{if ne .NAnn 1}}s{{end}}{{if .Project}} · project “{{.Project}}”{{end}}</p>
</header>
{{if .Sources}}<nav class="toc"><h2>Contents</h2><ol>
{{template "toc-analysis" .A}}{{range .Sources}}<li><a href="#{{.Anchor}}">{{.Title}}</a> <span class="muted">({{.NRows}})</span></li>
{{end}}<li><a href="#codebook">Codebook</a></li></ol></nav>
{{else}}<p class="empty">This report has no sources.</p>{{end}}
{{template "analysis" .A}}
{{define "source"}}{{$sd := .}}{{$s := $sd.Src}}
<section class="source" id="{{$sd.Anchor}}">
<h2><span class="num">{{$sd.Num}}</span> {{$sd.Title}}</h2>
<dl class="srcmeta">
{{if $s.Outlet}}<dt>Outlet</dt><dd>{{$s.Outlet}}</dd>{{end}}
{{if $s.Author}}<dt>Author</dt><dd>{{$s.Author}}</dd>{{end}}
{{if $s.Published}}<dt>Published</dt><dd>{{$s.Published}}</dd>{{end}}
{{if $s.Language}}<dt>Language</dt><dd>{{$s.Language.Name}}</dd>{{end}}
<dt>Kind</dt><dd>{{$s.Kind}}</dd>
<dt>Reliability</dt><dd><span class="grade">{{$sd.Rel}}</span>{{if $s.ReliabilityNote}} — {{$s.ReliabilityNote}}{{end}}</dd>
{{if $sd.Flags}}<dt>Flags</dt><dd>{{range $sd.Flags}}<span class="flag">{{.}}</span> {{end}}</dd>{{end}}
{{if $s.URL}}<dt>URL</dt><dd>{{with safeURL $s.URL}}<a href="{{.}}" rel="noreferrer noopener">{{.}}</a>{{else}}<span class="url">{{$s.URL}}</span>{{end}}</dd>{{end}}
{{if $s.FileName}}<dt>File</dt><dd>{{$s.FileName}}</dd>{{end}}
<dt>ID</dt><dd class="mono">{{$s.ID}}</dd>
{{if $s.Note}}<dt>Note</dt><dd>{{$s.Note}}</dd>{{end}}
</dl>
<h3>Text</h3>
{{with $sd.Missing}}<p class="warn">{{.}}</p>{{end}}
<div class="text"{{with langOf $s.Language}} lang="{{.}}"{{end}}>{{textHTML $sd}}</div>
{{if $sd.Rows}}<h3>Annotations</h3>
<table class="ann">
<thead><tr><th>#</th><th>Quote</th><th>Codes</th><th>Stance</th><th>Credibility</th><th>Note</th></tr></thead>
<tbody>
{{rowsHTML $sd}}</tbody></table>
{{else}}<p class="muted">No annotations on this source.</p>{{end}}
{{range $sd.Coverage}}{{$r := .R}}{{$o := .Original}}
<div class="coverage">
<h3>Evidence from <a href="#{{$o.Anchor}}">{{$o.Title}}</a></h3>
<p class="figures"><strong>{{pct $r.SentenceShare}}</strong> of summary sentences have confirmed evidence ({{$r.Linked}} of {{len $r.Sentences}}; {{$r.Suggested}} suggested only; {{len $r.Unsupported}} unsupported).
<strong>{{pct $r.OriginalShare}}</strong> of the original’s text is cited ({{$r.OriginalCited}} of {{$r.OriginalChars}} characters, not counting spaces; {{pct $r.OriginalSentenceShare}} of its sentences).</p>
<ol class="sentences">
{{range $r.Sentences}}<li class="st-{{.State}}"><span class="badge">{{stateLabel .State}}</span> <span class="sent">{{.Text}}</span>
{{if .Evidence}}<ul class="evidence">{{range .Evidence}}<li{{with langOf $o.Src.Language}} lang="{{.}}"{{end}}>{{.Selector.Exact}} <span class="pos">{{.Selector.Start}}–{{.Selector.End}}</span></li>{{end}}</ul>{{end}}
{{if and .Suggestions (ne .State "linked")}}<ul class="evidence sugg">{{range .Suggestions}}<li{{with langOf $o.Src.Language}} lang="{{.}}"{{end}}>{{.Selector.Exact}} <span class="pos">suggested · {{.Selector.Start}}–{{.Selector.End}}</span></li>{{end}}</ul>{{end}}
</li>
{{end}}</ol>
</div>
{{end}}
</section>
{{end}}{{define "tail"}}
<section class="codebook" id="codebook">
<h2>Codebook</h2>
{{if .Codes}}<table class="legend"><thead><tr><th>Code</th><th>Uses</th><th>Description</th></tr></thead><tbody>
{{range .Codes}}<tr><td style="padding-left:{{indent .Depth}}"><span class="sw" style="background-color:{{color .Code.Color}}"></span>{{.Code.Name}}</td><td class="n">{{.Count}}</td><td>{{.Code.Description}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted">No codes.</p>{{end}}
<p class="muted"><span class="sw" style="background-color:` + noCodeColor + `"></span>Passage without a code. Where passages overlap their colours are layered, so overlaps show darker.</p>
{{if .Targets}}<h3>Stance targets</h3><ul>{{range .Targets}}<li>{{.Name}}{{if .Description}} — {{.Description}}{{end}}</li>{{end}}</ul>{{end}}
<h3>Scales</h3>
<table class="scales"><thead><tr><th colspan="2">Source reliability</th><th colspan="2">Information credibility</th></tr></thead><tbody>
{{range $i, $g := .RelScale}}<tr><td>{{$g.Grade}}</td><td>{{$g.Label}}</td>{{with index $.CredScale $i}}<td>{{.Grade}}</td><td>{{.Label}}</td>{{end}}</tr>
{{end}}</tbody></table>
</section>
</body>
</html>
{{end}}`

const styles = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1d1d1f;background:#fff;margin:0 auto;max-width:980px;padding:24px 32px 64px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:21px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid #333}
h3{font-size:16px;margin:22px 0 8px}
.meta,.muted{color:#666}
.num{display:inline-block;min-width:1.6em;padding:0 6px;margin-right:6px;border-radius:4px;background:#333;color:#fff;text-align:center}
.toc{border:1px solid #ddd;border-radius:6px;padding:8px 18px;margin:18px 0 28px;background:#fafafa}
.toc h2{border:0;font-size:16px;margin:6px 0}
.toc ol{margin:0;padding-left:22px}
section.source,section.codebook{margin:40px 0}
dl.srcmeta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 8px;font-size:14px}
dl.srcmeta dt{color:#555;font-weight:600}
dl.srcmeta dd{margin:0;overflow-wrap:anywhere}
.grade{font-weight:600}
.flag{display:inline-block;padding:0 7px;border-radius:10px;background:#ffe3c2;color:#7a3d00;font-size:12px;font-weight:600}
.mono,.pos{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.pos{color:#777}
.warn{color:#b00020;font-weight:600}
.text{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #e2e2e2;border-radius:6px;padding:14px 18px;font-size:16px;line-height:1.8;background:#fff}
.text:lang(zh-Hans),.text:lang(zh),[lang|=zh]{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","Noto Sans CJK TC",sans-serif}
mark{color:inherit;padding:1px 0;border-radius:2px}
mark.d2{box-shadow:inset 0 -2px 0 rgba(0,0,0,.45)}
mark.d3{box-shadow:inset 0 -3px 0 rgba(0,0,0,.7)}
a.m{display:inline-block;font:600 10px/1 system-ui,sans-serif;color:#fff;background:#444;border-radius:7px;padding:2px 4px;margin:0 2px 0 1px;vertical-align:super;text-decoration:none;white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f2f2f2}
td.n{text-align:right;white-space:nowrap}
td.quote{max-width:340px;overflow-wrap:anywhere}
td.note{overflow-wrap:anywhere}
.sw{display:inline-block;width:11px;height:11px;border:1px solid rgba(0,0,0,.25);border-radius:2px;margin-right:6px;vertical-align:-1px}
.code{white-space:nowrap}
.coverage{margin-top:18px;padding:10px 16px;border:1px solid #cfd8e3;border-radius:6px;background:#f7f9fc}
.sentences{padding-left:24px}
.sentences>li{margin:8px 0}
.badge{display:inline-block;font-size:11px;font-weight:700;padding:0 6px;border-radius:8px;text-transform:uppercase;letter-spacing:.03em}
.st-linked .badge{background:#d5f0d9;color:#17622a}
.st-suggested .badge{background:#fff1c2;color:#6d5200}
.st-unsupported .badge{background:#fbd5d5;color:#8a1111}
.st-unsupported .sent{text-decoration:underline wavy #c33}
.evidence{margin:4px 0 0;padding-left:18px;list-style:"→ "}
.evidence.sugg{color:#6d5200}
table.scales td:nth-child(odd){font-weight:700;text-align:center;width:2.5em}
@media print{
  @page{margin:16mm 14mm}
  body{max-width:none;padding:0;font-size:11pt}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  nav.toc{display:none}
  section.source,section.codebook{break-before:page;margin:0}
  section.source:first-of-type{break-before:auto;margin-top:18px}
  h2,h3{break-after:avoid}
  tr,.sentences>li{break-inside:avoid}
  thead{display:table-header-group}
  a{color:inherit;text-decoration:none}
  a.m{color:#fff}
  .text{border:0;padding:0}
}
`

// textHTML renders a source's text with its highlights and markers. It is
// the hot loop of a large report (one run per annotation boundary), so it is
// written out here rather than templated: every piece of project text goes
// through template.HTMLEscapeString, the escaper html/template itself uses,
// and everything else (IDs, numbers, #rrggbb colours) is made by Gloss.
func textHTML(sd *srcDoc) template.HTML {
	var b strings.Builder
	size := 0
	for _, sg := range sd.Segments {
		size += len(sg.Text) + 16
		if len(sg.Rows) > 0 {
			size += 96
		}
	}
	b.Grow(size)
	var num [20]byte
	for _, sg := range sd.Segments {
		for _, n := range sg.Markers {
			ns := strconv.AppendInt(num[:0], int64(n), 10)
			b.WriteString(`<a class="m" id="`)
			b.WriteString(sd.Anchor)
			b.WriteString("-m")
			b.Write(ns)
			b.WriteString(`" href="#`)
			b.WriteString(sd.Anchor)
			b.WriteString("-a")
			b.Write(ns)
			b.WriteString(`">`)
			b.Write(ns)
			b.WriteString("</a>")
		}
		if len(sg.Rows) == 0 {
			b.WriteString(template.HTMLEscapeString(sg.Text))
			continue
		}
		b.WriteString(`<mark class="d`)
		b.WriteByte(byte('0' + min(len(sg.Rows), 3)))
		b.WriteString(`" style="background-color:`)
		b.WriteString(hex(sg.Color))
		b.WriteString(`" title="`)
		for i, r := range sg.Rows {
			if i > 0 {
				b.WriteString("; ")
			}
			row := sd.Rows[r]
			b.WriteByte('[')
			b.Write(strconv.AppendInt(num[:0], int64(row.N), 10))
			b.WriteByte(']')
			for _, c := range row.Codes {
				b.WriteByte(' ')
				b.WriteString(template.HTMLEscapeString(c.Path))
			}
		}
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(sg.Text))
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// rowsHTML renders the annotation table's rows, written out for speed like
// textHTML and under the same rule: project text only through
// template.HTMLEscapeString.
func rowsHTML(sd *srcDoc) template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(len(sd.Rows) * 400)
	lang := ""
	if sd.Src.Language != "" {
		lang = ` lang="` + esc(string(sd.Src.Language)) + `"`
	}
	var num [20]byte
	for _, r := range sd.Rows {
		n := strconv.AppendInt(num[:0], int64(r.N), 10)
		b.WriteString(`<tr id="`)
		b.WriteString(sd.Anchor)
		b.WriteString("-a")
		b.Write(n)
		b.WriteString(`"><td class="n"><a href="#`)
		b.WriteString(sd.Anchor)
		b.WriteString("-m")
		b.Write(n)
		b.WriteString(`">`)
		b.Write(n)
		b.WriteString(`</a></td><td class="quote"`)
		b.WriteString(lang)
		b.WriteString(`><span class="sw" style="background-color:`)
		b.WriteString(hex(r.Color))
		b.WriteString(`"></span>`)
		b.WriteString(esc(r.Quote))
		b.WriteString(`<div class="pos">`)
		b.WriteString(strconv.Itoa(r.Start))
		b.WriteString("–")
		b.WriteString(strconv.Itoa(r.End))
		if r.Problem != "" {
			b.WriteString(` · <span class="warn">`)
			b.WriteString(esc(r.Problem))
			b.WriteString("</span>")
		}
		b.WriteString("</div></td><td>")
		for _, c := range r.Codes {
			col := noCodeColor
			if rgb, ok := parseColor(c.Color); ok {
				col = hex(rgb)
			}
			b.WriteString(`<div class="code"><span class="sw" style="background-color:`)
			b.WriteString(col)
			b.WriteString(`"></span>`)
			b.WriteString(esc(c.Path))
			b.WriteString("</div>")
		}
		if len(r.Codes) == 0 {
			b.WriteString(`<span class="muted">—</span>`)
		}
		b.WriteString("</td><td>")
		for _, st := range r.Stances {
			b.WriteString("<div>")
			b.WriteString(esc(st))
			b.WriteString("</div>")
		}
		if len(r.Stances) == 0 {
			b.WriteString(`<span class="muted">—</span>`)
		}
		b.WriteString("</td><td>")
		if r.Cred != "" {
			b.WriteString(esc(r.Cred))
		} else {
			b.WriteString(`<span class="muted">Not rated</span>`)
		}
		b.WriteString(`</td><td class="note">`)
		b.WriteString(esc(r.A.Note))
		if r.A.Author != "" {
			b.WriteString(`<div class="muted">`)
			b.WriteString(esc(r.A.Author))
			b.WriteString("</div>")
		}
		b.WriteString("</td></tr>\n")
	}
	return template.HTML(b.String())
}
