package assets

import (
	"testing"

	"gloss/annotate"
)

func TestDemoProjectIsValidAndCoversEveryPanel(t *testing.T) {
	p, err := DemoProject()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) < 3 || len(p.Annotations) < 5 || len(p.Codes) < 5 || len(p.Targets) < 2 || len(p.Links) < 2 {
		t.Fatalf("demo too thin: %d sources, %d annotations, %d codes, %d targets, %d links", len(p.Sources), len(p.Annotations), len(p.Codes), len(p.Targets), len(p.Links))
	}
	kinds := map[annotate.Kind]bool{}
	langs := map[annotate.Language]bool{}
	for _, s := range p.Sources {
		kinds[s.Kind], langs[s.Language] = true, true
	}
	if !kinds[annotate.KindSummary] || !langs[annotate.Simplified] || !langs[annotate.English] {
		t.Fatalf("demo needs a Chinese original and an English summary: %v %v", kinds, langs)
	}
	m := &annotate.MemStore{}
	c, _ := DemoChange()
	if _, err := m.Apply(c); err != nil {
		t.Fatal(err)
	}
}
