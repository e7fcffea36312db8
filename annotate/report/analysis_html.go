package report

import "html/template"

// The judgment sections of the HTML report, in the same template set as
// the page (html/template escapes every field; nothing here is a script).
func init() {
	template.Must(htmlTmpl.New("toc-analysis").Parse(tocAnalysisHTML))
	template.Must(htmlTmpl.New("src-link").Parse(srcLinkHTML))
	template.Must(htmlTmpl.New("analysis").Parse(analysisHTML))
}

const tocAnalysisHTML = `{{if .Claims}}<li><a href="#claims">Claims</a> <span class="muted">({{len .Claims}})</span></li>
{{end}}{{if .HasFigures}}<li><a href="#figures">Figures</a> <span class="muted">({{len .Conflict}} conflict{{if ne (len .Conflict) 1}}s{{end}})</span></li>
{{end}}{{if .Events}}<li><a href="#timeline">Timeline</a> <span class="muted">({{len .Events}} events)</span></li>
{{end}}{{if .Checks}}<li><a href="#summary-checks">Summary checks</a></li>
{{end}}`

// src-link takes anything with Src (*srcDoc, may be nil) and SourceTitle.
const srcLinkHTML = `{{if .Src}}<a href="#{{.Src.Anchor}}">{{.SourceTitle}}</a>{{else}}{{.SourceTitle}}{{end}}`

const analysisHTML = `{{if .Claims}}
<section class="analysis claims" id="claims">
<h2>Claims</h2>
{{range .Claims}}{{$c := .}}
<article class="claim" id="{{.Anchor}}">
<h3><span class="num">{{.Num}}</span> {{.C.Text}}</h3>
<p class="meta">{{if .Target}}About {{.Target}} · {{end}}{{if .C.Time}}Time {{.C.Time}} · {{end}}{{.A.Supporting}} supporting, {{.A.Contradicting}} contradicting, {{.A.Mentioning}} mentioning source{{if ne .A.Mentioning 1}}s{{end}} · independent voices: {{.A.IndependentSupporting}} supporting, {{.A.IndependentContradicting}} contradicting</p>
<table class="grades"><tbody>
<tr><th>Suggested</th><td><span class="grade">{{if .Suggested}}{{.Suggested}}{{else}}—{{end}}</span>{{with .A.Estimative}} <span class="est">({{.}})</span>{{end}}<div class="why">{{.A.Explanation}}</div></td></tr>
<tr><th>Accepted</th><td>{{if .Grade}}<span class="grade">{{.Grade}}</span>{{with .C.Estimative}} <span class="est">({{.}})</span>{{end}}{{if .Then}} <span class="muted">— Gloss suggested {{.Then}} then</span>{{end}}{{else}}<span class="muted">Not graded by the analyst yet</span>{{end}}</td></tr>
</tbody></table>
{{if .Sources}}<table class="evidence-by-source"><thead><tr><th>Source</th><th>Voice</th><th>Evidence</th></tr></thead><tbody>
{{range .Sources}}<tr><td class="src">{{if .Src}}<a href="#{{.Src.Anchor}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}<div class="muted small">{{.Meta}}</div></td><td class="n">{{.Voice}}</td><td>{{range .Items}}<div class="item rel-{{.Relation}}"><span class="rel">{{.Relation}}</span> {{if .Quote}}<q>{{.Quote}}</q> {{end}}<span class="pos">{{.Pos}}</span>{{with .Cred}} <span class="muted small">credibility {{.}}</span>{{end}}</div>{{end}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted">No evidence attached.</p>{{end}}
{{if .Voices}}<ul class="voices">{{range .Voices}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .C.Note}}<p class="note">{{.C.Note}}</p>{{end}}
</article>
{{end}}
</section>
{{end}}{{if .HasFigures}}
<section class="analysis figures-table" id="figures">
<h2>Figures</h2>
<p class="muted">{{.NFigures}} figure{{if ne .NFigures 1}}s{{end}} in the sources; {{.NConflict}} group{{if ne .NConflict 1}}s{{end}} whose figures disagree beyond rounding; {{.NAgreeing}} agreeing group{{if ne .NAgreeing 1}}s{{end}}; {{.NSingle}} stated once.</p>
{{with .Abridged}}<p class="muted">{{.}}</p>
{{end}}{{range .Conflict}}{{template "fig-group" .}}{{end}}
{{range .Agreeing}}{{template "fig-group" .}}{{end}}
{{if .Single}}<h3>Figures stated once</h3>{{template "fig-rows" .Single}}{{end}}{{with .SingleUnits}}<h3>Figures stated once</h3><p class="muted">{{.}}</p>{{end}}
</section>
{{end}}{{if .Events}}
<section class="analysis timeline" id="timeline">
<h2>Timeline</h2>
<table class="events"><thead><tr><th>Date</th><th>Source</th><th>Rel.</th><th>Passage</th></tr></thead><tbody>
{{range .Events}}<tr{{if .Published}} class="pub"{{end}}><td class="date">{{.Date}}<div class="muted small">{{.Precision}}</div></td><td>{{template "src-link" .}}</td><td class="n">{{if .Rel}}{{.Rel}}{{else}}—{{end}}</td><td>{{if .Published}}<span class="muted">published</span>{{else}}{{.Passage}} <span class="pos">{{.Pos}}</span>{{end}}</td></tr>
{{end}}</tbody></table>
</section>
{{end}}{{if .Checks}}
<section class="analysis checks" id="summary-checks">
<h2>Summary checks</h2>
{{range .Checks}}<h3>{{if .Summary}}<a href="#{{.Summary.Anchor}}">{{.Summary.Title}}</a>{{end}}</h3>
{{if .Flagged}}<p class="muted">{{len .Flagged}} of {{.Sentences}} sentences need a look.</p>
<ol class="flagged">{{range .Flagged}}<li>{{if .Text}}<span class="sent">{{.Text}}</span> <span class="pos">{{.Pos}}</span>{{end}}<ul>{{range .Findings}}<li class="finding">{{.}}</li>{{end}}</ul></li>
{{end}}</ol>{{else}}<p class="ok">All {{.Sentences}} sentences agree with their evidence.</p>{{end}}
{{end}}
</section>
{{end}}`

func init() {
	template.Must(htmlTmpl.New("fig-group").Parse(`<div class="figgroup{{if .Explanation}} conflict{{end}}">
<h3><span class="num">{{.Num}}</span> {{.Head}}{{if .Explanation}} <span class="badge bad">conflict</span>{{end}}</h3>
{{with .Explanation}}<p class="why">{{.}}</p>{{end}}
{{template "fig-rows" .Figures}}
{{with .More}}<p class="muted">{{.}}</p>
{{end}}</div>`))
	template.Must(htmlTmpl.New("fig-rows").Parse(`<table class="figs"><thead><tr><th>Value</th><th>Unit</th><th>Counts</th><th>Period</th><th>Source</th><th>Passage</th></tr></thead><tbody>
{{range .}}<tr{{if .InConflict}} class="disagrees"{{end}}><td class="n">{{.Value}}{{if .Preferred}} <span class="badge ok">use</span>{{end}}</td><td>{{.Unit}}</td><td>{{.Counts}}</td><td>{{.Period}}</td><td>{{template "src-link" .}}</td><td>{{.Passage}} <span class="pos">{{.Pos}}</span></td></tr>
{{end}}</tbody></table>`))
}

const analysisStyles = `
section.analysis{margin:40px 0}
article.claim{margin:18px 0 28px;padding:10px 16px;border:1px solid #d9d2e9;border-radius:6px;background:#fbfaff}
article.claim h3{margin-top:6px}
table.grades{width:auto;margin:8px 0}
table.grades th{width:7em}
.why{color:#333;font-style:italic}
.est{color:#444}
.small{font-size:12px}
td.src{width:30%}
.item{margin:2px 0}
.rel{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;padding:0 5px;border-radius:6px;background:#e6e6e6}
.rel-supports .rel{background:#d5f0d9;color:#17622a}
.rel-contradicts .rel{background:#fbd5d5;color:#8a1111}
.voices{margin:6px 0;padding-left:20px;color:#444;font-size:14px}
.figgroup{margin:14px 0}
.figgroup.conflict{border-left:4px solid #c33;padding-left:10px}
.badge.bad{background:#fbd5d5;color:#8a1111}
.badge.ok{background:#d5f0d9;color:#17622a}
tr.disagrees td:first-child{font-weight:700;color:#8a1111}
table.events td.date{white-space:nowrap;width:10em}
table.events td.date .small{white-space:normal}
tr.pub td{background:#f7f7f7}
.flagged .finding{color:#8a1111}
.ok{color:#17622a}
@media print{section.analysis{break-before:page;margin:0}}
`
