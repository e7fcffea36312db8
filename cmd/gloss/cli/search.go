package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"gloss/annotate"
)

// errNoHits makes a search that found nothing exit 1, as grep does.
var errNoHits = errors.New("no hits")

// cmdSearch streams the hits of a project-wide search, one per line, as it
// finds them; Ctrl-C stops it. With --reindex it (re)builds the file's
// full-text index first, which needs the file writable.
func cmdSearch(e *env, args []string) error {
	fs, db := newFlags(e, "search")
	source := fs.String("source", "", "search only this source")
	limit := fs.Int("limit", 0, "stop after this many hits (0: all)")
	reindex := fs.Bool("reindex", false, "build the full-text index afresh first")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *limit < 0 {
		return usagef("--limit must be 0 (all) or more, not %d", *limit)
	}
	q := strings.Join(pos, " ")
	if strings.TrimSpace(q) == "" && !*reindex {
		return usagef("a QUERY is required")
	}
	if *db == "" {
		return usagef("--db FILE is required")
	}
	if *reindex {
		st, err := openDB(*db, false)
		if err != nil {
			return err
		}
		err = st.RebuildFullText()
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.errOut, "rebuilt the full-text index of %s\n", *db)
		if strings.TrimSpace(q) == "" {
			return nil
		}
	}
	pq, err := annotate.ParseQuery(q)
	if err != nil {
		return usagef("%v", err)
	}
	st, err := openRead(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	w := bufio.NewWriter(e.out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	var werr error
	emit := func(h annotate.SearchHit) bool {
		if e.json {
			werr = enc.Encode(h)
		} else {
			_, werr = fmt.Fprintf(w, "%s\t%d\t%d\t%s\n", h.SourceID, h.Start, h.End, h.Context)
		}
		n++
		if n%64 == 0 && werr == nil {
			werr = w.Flush() // stream: a reader sees hits as they are found
		}
		return werr == nil && (*limit == 0 || n < *limit)
	}
	if *source != "" {
		src, err := st.Source(*source)
		if err != nil {
			return err
		}
		pq.Find(src.ID, src.Text, emit)
	} else {
		if ok, err := st.HasFullText(); err == nil && !ok {
			fmt.Fprintf(e.errOut, "note: %s has no full-text index, so every text is read (gloss search --reindex --db %s builds one)\n", *db, *db)
		}
		if err := st.Search(ctx, q, emit); err != nil {
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted after %d hits", n)
			}
			return err
		}
	}
	if werr != nil {
		return fmt.Errorf("writing the hits: %v", werr)
	}
	if n == 0 {
		return errNoHits
	}
	return nil
}
