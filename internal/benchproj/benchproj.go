// Package benchproj generates large projects for benchmarks: sources of
// mixed English and Chinese paragraphs, annotations with codes, stances and
// credibility, and summary links, all from a seed, so every run measures
// the same project. The text is made up here, not taken from any source.
package benchproj

import (
	"fmt"
	"math/rand"
	"strings"
	"time"

	"gloss/annotate"
)

var (
	enSubjects = []string{"The ministry", "Officials in the capital", "A spokesperson", "The border agency", "Local reporters", "The embassy", "Analysts"}
	enVerbs    = []string{"said", "confirmed", "denied", "announced", "reported", "questioned", "welcomed"}
	enObjects  = []string{"that %d people were returned on charter flights", "a new round of talks on %d cases", "the verification of %d identities", "cooperation on migration in %d", "that arrivals fell by %d percent"}
	zhSubjects = []string{"外交部发言人", "有关部门", "边境官员", "驻外使馆", "当地媒体", "专家学者"}
	zhVerbs    = []string{"表示", "证实", "宣布", "指出", "报道"}
	zhObjects  = []string{"双方已遣返%d人", "将在%d年继续合作", "已核实%d名人员身份", "包机航班增加到%d班", "今年入境人数下降%d%%"}
	codeNames  = []string{"Cooperation", "Statistics", "Verification", "Flights", "Border", "Policy", "Quote", "Dispute", "Timeline", "Actors"}
	targets    = []string{"China", "United States", "Mexico", "Colombia", "Ecuador"}
)

func paragraph(r *rand.Rand, zh bool) string {
	var b strings.Builder
	for i := 0; i < 3+r.Intn(4); i++ {
		n := 10 + r.Intn(40000)
		if zh {
			b.WriteString(zhSubjects[r.Intn(len(zhSubjects))] + zhVerbs[r.Intn(len(zhVerbs))] + "，" + fmt.Sprintf(zhObjects[r.Intn(len(zhObjects))], n) + "。")
		} else {
			b.WriteString(enSubjects[r.Intn(len(enSubjects))] + " " + enVerbs[r.Intn(len(enVerbs))] + " " + fmt.Sprintf(enObjects[r.Intn(len(enObjects))], n) + ". ")
		}
	}
	return b.String()
}

// Generate makes a project of n sources (about 2 KB of text each, half of
// them Chinese) and about perSource annotations on each; every tenth source
// is an English summary of the one before it, with links.
func Generate(n, perSource int, seed int64) *annotate.Project {
	r := rand.New(rand.NewSource(seed))
	p := &annotate.Project{Name: fmt.Sprintf("bench %d×%d", n, perSource)}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, name := range codeNames {
		c := annotate.Code{ID: fmt.Sprintf("c%012d", i), Name: name, Color: annotate.Palette[i%len(annotate.Palette)]}
		if i >= 6 {
			c.Parent = p.Codes[i-6].ID
		}
		p.Codes = append(p.Codes, c)
	}
	for i, name := range targets {
		p.Targets = append(p.Targets, annotate.Target{ID: fmt.Sprintf("t%012d", i), Name: name})
	}
	grades := []annotate.Reliability{"A", "B", "C", "D", "E", "F", ""}
	for i := 0; i < n; i++ {
		zh := i%2 == 0
		var paras []string
		for len(strings.Join(paras, "\n\n")) < 2000 {
			paras = append(paras, paragraph(r, zh))
		}
		s := annotate.Source{ID: fmt.Sprintf("s%012d", i), Title: fmt.Sprintf("Report %d", i), Outlet: []string{"Daily", "Wire", "Times", "Post"}[i%4],
			Published: t0.AddDate(0, 0, i%700).Format("2006-01-02"), Kind: annotate.KindOriginal, Reliability: grades[i%len(grades)],
			Language: annotate.English, Text: strings.Join(paras, "\n\n"), ImportedAt: t0}
		if zh {
			s.Language = annotate.Simplified
		}
		if i%10 == 9 {
			s.Kind, s.Language, s.Originals = annotate.KindSummary, annotate.English, []string{p.Sources[i-1].ID}
		}
		s.ContentHash = annotate.HashText(s.Text)
		p.Sources = append(p.Sources, s)
		text := annotate.NewText(s.Text)
		for j := 0; j < perSource; j++ {
			start := r.Intn(text.Len() - 40)
			sel, _ := text.Select(start, start+5+r.Intn(30))
			a := annotate.Annotation{ID: fmt.Sprintf("a%06d%06d", i, j), SourceID: s.ID, Selector: sel,
				Codes: []string{p.Codes[r.Intn(len(p.Codes))].ID}, Credibility: annotate.Credibility(r.Intn(7)),
				Author: []string{"ana", "bo"}[r.Intn(2)], Created: t0, Modified: t0}
			if r.Intn(3) == 0 {
				a.Stances = []annotate.StanceMark{{Target: p.Targets[r.Intn(len(p.Targets))].ID, Stance: annotate.Stances[r.Intn(4)]}}
			}
			if r.Intn(5) == 0 {
				a.Note = paragraph(r, false)
			}
			p.Annotations = append(p.Annotations, a)
		}
		if len(s.Originals) > 0 {
			orig := annotate.NewText(p.Sources[i-1].Text)
			from, _ := text.Select(0, 20)
			to, _ := orig.Select(0, 20)
			p.Links = append(p.Links, annotate.Link{ID: fmt.Sprintf("l%012d", i), Status: annotate.Confirmed,
				From: annotate.Anchor{SourceID: s.ID, Selector: from}, To: []annotate.Anchor{{SourceID: p.Sources[i-1].ID, Selector: to}},
				Created: t0, Modified: t0})
		}
	}
	return p
}

// Change is the one change that puts the whole project into an empty one.
func Change(p *annotate.Project) annotate.Change {
	return annotate.Change{Label: "Import", PutSources: p.Sources, PutCodes: p.Codes, PutTargets: p.Targets,
		PutAnnotations: p.Annotations, PutLinks: p.Links}
}
