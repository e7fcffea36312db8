package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"gloss/storage"
)

// backupList prints a project's backups, newest first; it works when the
// project itself will not open.
func backupList(e *env, db string) error {
	list, err := storage.ListBackups(db)
	if err != nil {
		return err
	}
	if err := e.emit(list, func(w io.Writer) {
		if len(list) == 0 {
			fmt.Fprintf(w, "%s has no backups (they would be in %s)\n", db, storage.BackupDir(db))
			return
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME\tSIZE\tSOURCES\tANNOTATIONS\tSTATE\tFILE")
		for _, b := range list {
			state := "ok"
			if !b.OK {
				state = "UNUSABLE: " + b.Problem
			} else if b.Problem != "" {
				state = "ok, but " + b.Problem
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", b.Time.Local().Format("2006-01-02 15:04:05"), byteSize(b.Size), b.Sources, b.Annotations, state, b.Path)
		}
		tw.Flush()
	}); err != nil {
		return err
	}
	return nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func cmdRestore(e *env, args []string) error {
	fs, db := newFlags(e, "restore")
	from := fs.String("from", "", "the backup to restore (default: the newest good one; see gloss backup --list)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *db == "" {
		return usagef("--db FILE is required")
	}
	// Say what the restore loses before doing it: the work since the backup.
	chosen := *from
	var info storage.BackupInfo
	list, err := storage.ListBackups(*db)
	if err != nil {
		return err
	}
	for _, b := range list {
		if (chosen == "" && b.OK && b.Problem == "") || (chosen != "" && b.Path == chosen) {
			info = b
			break
		}
	}
	aside, err := storage.Restore(*db, *from)
	if err != nil {
		return err
	}
	if info.Path == "" {
		info.Path = chosen
	}
	return e.emit(map[string]any{"restored": *db, "from": info.Path, "time": info.Time, "sources": info.Sources, "annotations": info.Annotations, "damaged": aside}, func(w io.Writer) {
		fmt.Fprintf(w, "restored %s from %s", *db, info.Path)
		if !info.Time.IsZero() {
			fmt.Fprintf(w, " (made %s: %d sources, %d annotations; changes since then are not in it)", info.Time.Local().Format(time.DateTime), info.Sources, info.Annotations)
		}
		fmt.Fprintln(w)
		if aside != "" {
			fmt.Fprintf(w, "the damaged file is kept as %s (gloss salvage --db %s --out NEW.gloss recovers what is readable in it)\n", aside, aside)
		}
	})
}

func cmdSalvage(e *env, args []string) error {
	fs, db := newFlags(e, "salvage")
	out := fs.String("out", "", "the new project to write")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *db == "" || *out == "" {
		return usagef("--db FILE and --out NEW.gloss are required")
	}
	rep, err := storage.Salvage(*db, *out)
	if err != nil {
		return err
	}
	return e.emit(rep, func(w io.Writer) {
		k := rep.Kept
		fmt.Fprintf(w, "wrote %s: %d sources, %d annotations, %d codes, %d targets, %d links", rep.To, k["sources"], k["annotations"], k["codes"], k["targets"], k["links"])
		if k["claims"]+k["versions"] > 0 {
			fmt.Fprintf(w, ", %d claims, %d text versions", k["claims"], k["versions"])
		}
		fmt.Fprintln(w)
		for _, d := range rep.Damage {
			fmt.Fprintln(w, "damage:", d)
		}
		for _, l := range rep.Lost {
			fmt.Fprintln(w, "lost:", l)
		}
		for _, n := range rep.Notes {
			fmt.Fprintln(w, "note:", n)
		}
		for _, p := range rep.Problems {
			fmt.Fprintln(w, "check:", p)
		}
		if len(rep.Lost) == 0 {
			fmt.Fprintln(w, "nothing readable was lost")
		} else {
			fmt.Fprintf(w, "%d records could not be kept; the newest backup may still have them (gloss backup --db %s --list)\n", len(rep.Lost), rep.From)
		}
	})
}
