package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gloss/annotate"
	"gloss/annotate/anchor"
	"gloss/annotate/ingest"
	"gloss/annotate/textimport"
)

// stdin is where `gloss source replace ... -` reads; tests replace it.
var stdin io.Reader = os.Stdin

func cmdSource(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("source needs a subcommand: replace")
	}
	switch args[0] {
	case "replace":
		return sourceReplace(e, args[1:])
	}
	return usagef("unknown source subcommand %q (want replace)", args[0])
}

// sourceReplace gives a source a new text (a corrected translation, an
// updated article) and re-anchors every annotation and link end on it.
// The old text is kept as a version; one change, so undo restores it.
func sourceReplace(e *env, args []string) error {
	fs, db := newFlags(e, "source replace")
	srcID := fs.String("source", "", "source ID")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *srcID == "" {
		return usagef("--source ID is required")
	}
	if len(pos) != 1 {
		return usagef("give one NEWFILE (or - for standard input)")
	}
	name := pos[0]
	newText, err := readReplacement(name)
	if err != nil {
		return err
	}
	st, err := openDB(*db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := st.Source(*srcID)
	if err != nil {
		return fmt.Errorf("source: no source with id %q (see gloss list): %v", *srcID, err)
	}
	if newText == src.Text {
		return e.emit(map[string]any{"source": src.ID, "unchanged": true}, func(w io.Writer) {
			fmt.Fprintf(w, "%s: the text is unchanged; nothing to do\n", src.ID)
		})
	}
	anns, err := st.Annotations(src.ID)
	if err != nil {
		return err
	}
	links, err := st.Links()
	if err != nil {
		return err
	}
	ch, rep := anchor.ReplaceText(src, src.Text, newText, anns, links, time.Now())
	ch.Label = "Replace text of " + src.DisplayTitle()
	if name == "-" {
		ch.PutVersions[0].Reason = "replaced from standard input"
	} else {
		ch.PutVersions[0].Reason = "replaced by " + name
	}
	if _, err := st.Apply(ch); err != nil {
		return err
	}
	out := struct {
		Source      string                       `json:"source"`
		Version     string                       `json:"version"`
		Annotations []anchor.Item                `json:"annotations"`
		Links       []anchor.Item                `json:"links"`
		Counts      map[annotate.AnchorState]int `json:"counts"`
	}{src.ID, ch.PutVersions[0].ID, rep.Annotations, rep.Links, rep.Counts}
	return e.emit(out, func(w io.Writer) {
		for _, it := range rep.Annotations {
			fmt.Fprintf(w, "annotation %s\t%s\n", it.ID, itemLine(it))
		}
		for _, it := range rep.Links {
			side := it.Side
			if side == "to" {
				side = fmt.Sprintf("to[%d]", it.Index)
			}
			fmt.Fprintf(w, "link %s %s\t%s\n", it.ID, side, itemLine(it))
		}
		fmt.Fprintf(w, "%s: new text (%d code points), old text kept as version %s; %s", src.ID,
			annotate.NewText(newText).Len(), ch.PutVersions[0].ID, rep.Summary())
		if n := rep.NeedsReview(); n > 0 {
			fmt.Fprintf(w, "; %d to review", n)
		}
		fmt.Fprintln(w)
	})
}

// itemLine is one re-anchored passage: state, position, score, quote.
func itemLine(it anchor.Item) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-7s %d–%d", it.State, it.Start, it.End)
	if it.State == annotate.AnchorFuzzy {
		fmt.Fprintf(&b, " score %.2f", it.Score)
	}
	fmt.Fprintf(&b, "\t%q", oneLine(it.Quote, 60))
	if it.OldQuote != "" && it.State != annotate.AnchorOrphan {
		fmt.Fprintf(&b, " (was %q)", oneLine(it.OldQuote, 60))
	}
	return b.String()
}

// readReplacement reads NEWFILE, or standard input for "-", through the
// same decoding and normalisation as gloss import.
func readReplacement(name string) (string, error) {
	if name != "-" {
		src, err := ingest.File(name, ingest.Options{})
		if err != nil {
			return "", err
		}
		return src.Text, nil
	}
	data, err := io.ReadAll(io.LimitReader(stdin, textimport.MaxFileSize+1))
	if err != nil {
		return "", fmt.Errorf("standard input: %v", err)
	}
	r, err := textimport.Decode("standard input", data)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(r.Text) == "" {
		return "", &textimport.Error{File: "standard input", Reason: "has no readable text"}
	}
	return r.Text, nil
}
