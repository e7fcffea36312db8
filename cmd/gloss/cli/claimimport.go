package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"gloss/annotate"
	"gloss/annotate/webanno"
)

// claimImport brings claims back from a JSON-LD file Gloss exported (this
// project's, or a colleague's copy of it): new claims are added, newer
// versions replace older ones, the same ones are left alone, so importing
// twice adds nothing. Evidence, a target or an independent source this
// project does not hold is left out of the claim, with a warning naming it.
func claimImport(e *env, args []string) error {
	fs, db := newFlags(e, "claim import")
	dry := fs.Bool("dry-run", false, "say what would change; change nothing")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("claim import needs one JSON-LD file written by gloss export --format jsonld")
	}
	path := rest[0]
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	read, err := webanno.ReadClaims(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	st, err := openDB(*db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	cat, err := st.Catalog()
	if err != nil {
		return err
	}
	x := annotate.NewIndex(cat)
	mine := map[string]annotate.Claim{}
	for _, m := range cat.Claims {
		mine[m.ID] = m
	}
	ch := annotate.Change{Label: "Import claims from " + filepath.Base(path)}
	added, updated, same := 0, 0, 0
	for _, c := range read {
		c.Evidence = slices.DeleteFunc(c.Evidence, func(ev annotate.Evidence) bool {
			if _, err := st.Annotation(ev.AnnotationID); err != nil {
				fmt.Fprintf(e.errOut, "claim %s: evidence %s is not an annotation of this project; left out\n", c.ID, ev.AnnotationID)
				return true
			}
			return false
		})
		if c.Target != "" && !x.HasTarget(c.Target) {
			fmt.Fprintf(e.errOut, "claim %s: stance target %s is not in this project; left out\n", c.ID, c.Target)
			c.Target = ""
		}
		c.Independent = slices.DeleteFunc(c.Independent, func(id string) bool { return !x.HasSource(id) })
		old, ok := mine[c.ID]
		switch {
		case !ok:
			ch.PutClaims = append(ch.PutClaims, c)
			added++
		case c.Modified.After(old.Modified):
			c.Created = old.Created
			ch.PutClaims = append(ch.PutClaims, c)
			updated++
		default:
			same++
		}
	}
	if !*dry && !ch.Empty() {
		if _, err := st.Apply(ch); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	verb := "imported"
	if *dry {
		verb = "would import"
	}
	return e.emit(map[string]any{"added": added, "updated": updated, "same": same, "dryRun": *dry}, func(w io.Writer) {
		fmt.Fprintf(w, "%s %d claims from %s: %d new, %d updated, %d already here\n", verb, added+updated, filepath.Base(path), added, updated, same)
	})
}
