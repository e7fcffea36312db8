// Command lvdemo opens the link view on corpus source 002 and the gold
// English summary of it, for looking at the view in a real window (e.g.
// under Xvfb, then `import -window root shot.png`). It reads ../shared at
// run time and copies none of it into the repository.
//
//	go run ./app/linkview/internal/lvdemo [-shared DIR] [-quit 20s]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"gloss/annotate"
	"gloss/annotate/suggest"
	"gloss/app/linkview"
	"gloss/app/session"
)

func main() {
	_, file, _, _ := runtime.Caller(0)
	def := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "..", "shared")
	shared := flag.String("shared", def, "the shared material directory (corpus/, gold/)")
	quit := flag.Duration("quit", 0, "quit after this long (0: stay open)")
	flag.Parse()
	summary, original, err := load(*shared)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lvdemo:", err)
		os.Exit(1)
	}
	p := &annotate.Project{Name: "Link view demo", Sources: []annotate.Source{
		{ID: "s_orig", Title: "002 · NBC report via Chinese media", Kind: annotate.KindOriginal, Language: annotate.Simplified, Text: original},
		{ID: "s_sum", Title: "Analyst summary of 002", Kind: annotate.KindSummary, Language: annotate.English, Originals: []string{"s_orig"}, Text: summary},
	}}
	sess, err := session.New(&annotate.MemStore{P: p})
	if err != nil {
		fmt.Fprintln(os.Stderr, "lvdemo:", err)
		os.Exit(1)
	}
	// What an analyst's first minutes produce: Suggest, then two of the
	// suggestions confirmed and one rejected.
	sum, org := annotate.NewText(summary), annotate.NewText(original)
	now := time.Now().UTC()
	var links []annotate.Link
	res := suggest.NewIndex(original).Suggest(summary, suggest.Options{Max: 5})
	for i, sg := range res {
		if len(sg.Candidates) == 0 {
			continue
		}
		c := sg.Candidates[0]
		from, _ := sum.Select(sg.Summary.Start, sg.Summary.End)
		to, _ := org.Select(c.Start, c.End)
		st := annotate.Suggested
		switch {
		case i == 0 || i == 2:
			st = annotate.Confirmed
		case i == len(res)-1:
			st = annotate.Rejected
		}
		links = append(links, annotate.Link{ID: annotate.NewID(annotate.LinkPrefix), From: annotate.Anchor{SourceID: "s_sum", Selector: from},
			To: []annotate.Anchor{{SourceID: "s_orig", Selector: to}}, Status: st, Score: c.Score, Created: now, Modified: now})
	}
	if err := sess.Do(annotate.Change{Label: "Demo links", PutLinks: links}); err != nil {
		fmt.Fprintln(os.Stderr, "lvdemo:", err)
		os.Exit(1)
	}

	a := app.NewWithID("org.gloss.lvdemo")
	w := a.NewWindow("Gloss · link view demo")
	v := linkview.NewView(sess, "s_sum", "s_orig")
	w.SetContent(v.Content())
	w.Resize(fyne.NewSize(1366, 768))
	if *quit > 0 {
		time.AfterFunc(*quit, func() { fyne.Do(a.Quit) })
	}
	w.ShowAndRun()
}

// load reads the gold summary of 002 and the original it names.
func load(dir string) (summary, original string, err error) {
	b, err := os.ReadFile(filepath.Join(dir, "gold", "002-summary-links.dev.json"))
	if err != nil {
		return "", "", fmt.Errorf("shared material: %w", err)
	}
	var gold struct {
		Original string `json:"original"`
		Links    []struct {
			Summary string `json:"summary"`
		} `json:"links"`
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		return "", "", fmt.Errorf("%s: %w", filepath.Join(dir, "gold", "002-summary-links.dev.json"), err)
	}
	o, err := os.ReadFile(filepath.Join(dir, "corpus", gold.Original))
	if err != nil {
		return "", "", err
	}
	var parts []string
	for _, l := range gold.Links {
		parts = append(parts, l.Summary)
	}
	return strings.Join(parts, " "), string(o), nil
}
