package export

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"gloss/annotate"
	"gloss/assets"
)

func TestWatchFollowsAndCancels(t *testing.T) {
	p, err := assets.DemoProject()
	if err != nil {
		t.Fatal(err)
	}
	html, _ := Lookup("html")
	var seen []Progress
	w, err := Watch(context.Background(), annotate.ProjectReader(p), func(pr Progress) { seen = append(seen, pr) })
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := html.Write(&buf, w, Options{}); err != nil {
		t.Fatal(err)
	}
	last := w.Progress()
	if last.Total != len(p.Sources) || last.Done != last.Total || last.Pass != 2 || last.Annotations != len(p.Annotations) {
		t.Fatalf("progress at the end: %+v (sources %d, annotations %d)", last, len(p.Sources), len(p.Annotations))
	}
	if len(seen) != 2*len(p.Sources) {
		t.Fatalf("%d progress calls, want one per source per pass", len(seen))
	}

	// Cancelled after the first source of the second pass: the writer stops
	// with the context's error.
	for _, f := range Formats {
		ctx, cancel := context.WithCancel(context.Background())
		w, err := Watch(ctx, annotate.ProjectReader(p), func(pr Progress) {
			if pr.Pass == 2 || f.Name == "csv" || f.Name == "xlsx" || f.Name == "jsonld" || f.Name == "qdpx" {
				cancel()
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		err = f.Write(&bytes.Buffer{}, w, Options{})
		cancel()
		if f.Name == "qdc" || f.Name == "pdf" && err != nil && !errors.Is(err, context.Canceled) {
			continue // the codebook reads no source; the PDF may lack a font here
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled export returned %v", f.Name, err)
		}
	}
}
