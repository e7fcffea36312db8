// Package assets holds what Gloss embeds: the icon, the version stamp and
// the demo project a new user sees on first start.
package assets

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"gloss/annotate"
)

//go:embed demo/demo.json
var demoJSON []byte

// demoFile is the demo's authoring format: passages are given by quote so
// the text can be edited without recounting positions.
type demoFile struct {
	Name  string `json:"name"`
	Codes []struct {
		Key, Name, Parent, Color, Description string
	} `json:"codes"`
	Targets []struct{ Key, Name, Description string } `json:"targets"`
	Sources []struct {
		Key, Title, Outlet, Author, URL, Published, Language, Kind, Reliability, ReliabilityNote, Text string
		StateAffiliated, MachineTranslated                                                             bool
		Originals                                                                                      []string
	} `json:"sources"`
	Annotations []struct {
		Source, Quote, Note string
		Codes               []string
		Stances             map[string]string
		Credibility         int
	} `json:"annotations"`
	Links []struct {
		From, FromQuote, To, ToQuote, Status string
	} `json:"links"`
}

// DemoProject builds the demo project with fresh IDs.
func DemoProject() (*annotate.Project, error) {
	var d demoFile
	if err := json.Unmarshal(demoJSON, &d); err != nil {
		return nil, fmt.Errorf("demo project: %v", err)
	}
	p := &annotate.Project{Name: d.Name}
	ids := map[string]string{}
	texts := map[string]*annotate.Text{}
	for _, c := range d.Codes {
		ids[c.Key] = annotate.NewID(annotate.CodePrefix)
		p.Codes = append(p.Codes, annotate.Code{ID: ids[c.Key], Name: c.Name, Parent: ids[c.Parent], Color: c.Color, Description: c.Description})
	}
	for _, t := range d.Targets {
		ids[t.Key] = annotate.NewID(annotate.TargetPrefix)
		p.Targets = append(p.Targets, annotate.Target{ID: ids[t.Key], Name: t.Name, Description: t.Description})
	}
	imported := time.Now().UTC()
	for _, s := range d.Sources {
		ids[s.Key] = annotate.NewID(annotate.SourcePrefix)
		src := annotate.Source{ID: ids[s.Key], Title: s.Title, Outlet: s.Outlet, Author: s.Author, URL: s.URL, Published: s.Published,
			Language: annotate.Language(s.Language), Kind: annotate.Kind(s.Kind), Reliability: annotate.Reliability(s.Reliability),
			ReliabilityNote: s.ReliabilityNote, StateAffiliated: s.StateAffiliated, MachineTranslated: s.MachineTranslated,
			Text: s.Text, ContentHash: annotate.HashText(s.Text), Length: len([]rune(s.Text)), ImportedAt: imported, FileName: "demo"}
		for _, o := range s.Originals {
			src.Originals = append(src.Originals, ids[o])
		}
		texts[s.Key] = annotate.NewText(s.Text)
		p.Sources = append(p.Sources, src)
	}
	find := func(key, quote string) (annotate.Selector, error) {
		t := texts[key]
		if t == nil {
			return annotate.Selector{}, fmt.Errorf("demo project: no source %q", key)
		}
		hits := t.Find(quote)
		if len(hits) != 1 {
			return annotate.Selector{}, fmt.Errorf("demo project: quote %q occurs %d times in %q", quote, len(hits), key)
		}
		return t.Select(hits[0], hits[0]+len([]rune(quote)))
	}
	for _, a := range d.Annotations {
		sel, err := find(a.Source, a.Quote)
		if err != nil {
			return nil, err
		}
		ann := annotate.Annotation{ID: annotate.NewID(annotate.AnnotationPrefix), SourceID: ids[a.Source], Selector: sel,
			Credibility: annotate.Credibility(a.Credibility), Note: a.Note, Author: "Gloss demo", Created: imported, Modified: imported}
		for _, c := range a.Codes {
			ann.Codes = append(ann.Codes, ids[c])
		}
		// In the order targets are declared, so the demo is the same every time.
		for _, t := range d.Targets {
			if v, ok := a.Stances[t.Key]; ok {
				ann.Stances = append(ann.Stances, annotate.StanceMark{Target: ids[t.Key], Stance: annotate.Stance(v)})
			}
		}
		if len(ann.Stances) != len(a.Stances) {
			return nil, fmt.Errorf("demo project: a stance on %q names an undeclared target", a.Quote)
		}
		p.Annotations = append(p.Annotations, ann)
	}
	for _, k := range d.Links {
		from, err := find(k.From, k.FromQuote)
		if err != nil {
			return nil, err
		}
		to, err := find(k.To, k.ToQuote)
		if err != nil {
			return nil, err
		}
		p.Links = append(p.Links, annotate.Link{ID: annotate.NewID(annotate.LinkPrefix), Status: annotate.LinkStatus(k.Status),
			From: annotate.Anchor{SourceID: ids[k.From], Selector: from}, To: []annotate.Anchor{{SourceID: ids[k.To], Selector: to}},
			Created: imported, Modified: imported})
	}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		return nil, fmt.Errorf("demo project: %v", errs[0])
	}
	return p, nil
}

// DemoChange is the demo project as one change, ready to apply to an empty store.
func DemoChange() (annotate.Change, error) {
	p, err := DemoProject()
	if err != nil {
		return annotate.Change{}, err
	}
	return annotate.Change{Label: "Create demo project", PutSources: p.Sources, PutCodes: p.Codes, PutTargets: p.Targets,
		PutAnnotations: p.Annotations, PutLinks: p.Links}, nil
}
