package cli

import (
	"fmt"
	"io"

	"gloss/storage"
)

// cmdCompact rewrites a project file without its free pages; the original
// is kept as a backup.
func cmdCompact(e *env, args []string) error {
	fs, db := newFlags(e, "compact")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *db == "" {
		return usagef("--db FILE is required")
	}
	r, err := storage.Compact(*db)
	if err != nil {
		return err
	}
	return e.emit(r, func(w io.Writer) {
		fmt.Fprintf(w, "compacted %s: %s → %s; the original is kept at %s\n", *db, size(r.Before), size(r.After), r.Kept)
	})
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
