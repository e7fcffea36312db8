// Package cli is Gloss's headless command line: the same project files and
// domain rules as the GUI, for scripts and batch work. It does not import
// Fyne, so it builds and tests without cgo.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"sort"
	"strings"

	"gloss/annotate"
	"gloss/assets"
	"gloss/storage"
)

// env is what a command writes to.
type env struct {
	out, errOut io.Writer
	json        bool
}

type command struct {
	name, args, help string
	run              func(e *env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"import", "--db FILE [--kind K] [--lang L] [--title T] [--originals ID,..] FILE...", "import plain text, Markdown or HTML files (or a REFI-QDA .qdpx project); prints the new source IDs", cmdImport},
		{"list", "--db FILE", "list sources with their metadata", cmdList},
		{"annotate", "--db FILE --source ID (--quote TEXT | --start N --end N) [--code NAME]... [--stance TARGET=VALUE]... [--credibility N] [--note TEXT]", "highlight a passage; prints the annotation ID", cmdAnnotate},
		{"annotations", "--db FILE [--source ID]", "list annotations", cmdAnnotations},
		{"source", "replace --db FILE --source ID NEWFILE|- [--json]", "replace a source's text with a newer version (- reads standard input); every annotation and link re-anchors (exact, shifted, fuzzy or orphan) and the old text is kept", cmdSource},
		{"codes", "--db FILE", "list the codebook and stance targets", cmdCodes},
		{"search", "--db FILE [--source ID] [--limit N] [--reindex] [--json] QUERY", "find a word or phrase in every source (English or Chinese; case and full-width forms folded), streaming source<TAB>start<TAB>end<TAB>context per hit (code points; JSON lines with --json); like grep, exit 1 when nothing is found; --reindex rebuilds the file's full-text index first", cmdSearch},
		{"export", "--db FILE --format FORMAT --out PATH [--source ID]... [--code NAME]... [--stance TARGET=VALUE]... [--credibility N]", "export a report or interchange file (formats: " + strings.Join(formatNames(), ", ") + ")", cmdExport},
		{"check", "--db FILE", "check the file structure and every annotation against its source", cmdCheck},
		{"backup", "--db FILE [--list]", "write a verified backup of the project now, or --list the backups with their time, size and counts", cmdBackup},
		{"restore", "--db FILE [--from BACKUP]", "put a backup (default: the newest good one) in place of a damaged project, keeping the damaged file as FILE.damaged-<time>", cmdRestore},
		{"salvage", "--db FILE --out NEW.gloss", "copy every readable record of a damaged project into a new project and list what could not be read", cmdSalvage},
		{"link", "suggest|add|list|set --db FILE ...", "link summary sentences to the passages they rest on", cmdLink},
		{"merge", "--db FILE [--dry-run] OTHER.gloss|OTHER.qdpx", "merge another project into this one (sources by ID or text, codes and targets by name); one undoable change", cmdMerge},
		{"compact", "--db FILE", "rewrite the project file without free space; the original is kept as a backup", cmdCompact},
		{"claim", "add|attach|detach|grade|list|show|import --db FILE ...", "claims with their evidence: add --text T [--target NAME] [--time YYYY[-MM[-DD]]]; attach|detach --claim ID --annotation ID [--relation supports|contradicts|mentions]; grade --claim ID (--accept | --grade N | --clear) [--estimative PHRASE]; list; show --claim ID; import [--dry-run] FILE.jsonld (claims from a Gloss JSON-LD export)", cmdClaim},
		{"figures", "--db FILE [--conflicts] [--source ID]... | mark --db FILE --figure ID (--prefer|--split|--ignore|--group NAME|--clear)", "the figures table: every number the sources state, grouped by what it counts, conflicts flagged; mark stores a correction", cmdFigures},
		{"timeline", "--db FILE [--claim ID] [--code NAME] [--target NAME]", "dated events from the sources' passages and publication dates, in order", cmdTimeline},
		{"demo", "--db FILE", "write the demo project to a new file", cmdDemo},
	}
}

// IsCommand reports whether name is a headless subcommand, so main can tell
// `gloss import ...` from `gloss project.gloss`.
func IsCommand(name string) bool {
	switch name {
	case "help", "-h", "--help", "-help", "version", "--version", "-version":
		return true
	}
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return false
}

// OpensWindow reports whether main should start the window for these
// arguments: none, or a single project (an existing file, or a name ending
// in the project extension). Anything else goes to Run, so a mistyped or
// unknown command is a usage error, not a window (nor, with no display, a
// crash).
func OpensWindow(args []string, isFile func(string) bool) bool {
	switch {
	case len(args) == 0:
		return true
	case len(args) > 1 || IsCommand(args[0]):
		return false
	}
	return strings.HasSuffix(strings.ToLower(args[0]), storage.Extension) || isFile(args[0])
}

// Run executes one subcommand and returns the process exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	e := &env{out: stdout, errOut: stderr}
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		usage(stdout)
		return 0
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "Gloss %s (build %s, project schema %d)\n", assets.Version, assets.Build, storage.SchemaVersion())
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(e, args[1:])
			var ue usageError
			switch {
			case errors.As(err, &ue):
				fmt.Fprintf(stderr, "gloss %s: %v\nusage: gloss %s %s\n", c.name, err, c.name, c.args)
				return 2
			case err != nil:
				fmt.Fprintf(stderr, "gloss %s: %v\n", c.name, err)
				if errors.Is(err, storage.ErrDamaged) && c.name != "salvage" {
					db := dbArg(args[1:])
					fmt.Fprintf(stderr, "To recover it: gloss backup --db %[1]s --list shows its backups; gloss restore --db %[1]s puts the newest good one back (the damaged file is kept); gloss salvage --db %[1]s --out NEW.gloss copies what is still readable.\n", db)
				}
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "gloss: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Gloss: annotate and compare news sources across languages.")
	fmt.Fprintln(w, "\nusage:\n  gloss                  open the last project (or the demo) in the GUI\n  gloss PROJECT.gloss    open that project in the GUI")
	for _, c := range commands {
		fmt.Fprintf(w, "  gloss %s %s\n      %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "\nEvery command takes --json for machine-readable output. Exit status: 0 ok, 1 error, 2 usage.")
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// newFlags makes a flag set with the flags every command shares.
func newFlags(e *env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", "", "project file")
	fs.BoolVar(&e.json, "json", false, "machine-readable output")
	return fs, db
}

// parse lets flags and positional arguments mix in any order, as people
// type them (`gloss import a.txt --db p.gloss`).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%v", err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func openDB(path string, create bool) (*storage.Store, error) {
	if path == "" {
		return nil, usagef("--db FILE is required")
	}
	return storage.Open(path, storage.Options{Create: create})
}

// openRead opens an existing project only to read it: a shared lock, no
// schema step, no backup, not a byte written, so reads run side by side.
func openRead(path string) (*storage.Store, error) {
	if path == "" {
		return nil, usagef("--db FILE is required")
	}
	return storage.Open(path, storage.Options{ReadOnly: true})
}

// start parses a command's arguments and opens the project named by --db,
// read-only: the commands using it only read.
func start(fs *flag.FlagSet, db *string, args []string) (*storage.Store, []string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, nil, err
	}
	st, err := openRead(*db)
	return st, pos, err
}

// openProject opens an existing project for writing and reads it whole.
func openProject(path string) (*storage.Store, *annotate.Project, error) {
	return openProjectAs(nil, path, false)
}

// readProject opens an existing project read-only and reads it whole,
// warning about records that could not be read.
func readProject(e *env, path string) (*storage.Store, *annotate.Project, error) {
	return openProjectAs(e, path, true)
}

func openProjectAs(e *env, path string, readOnly bool) (*storage.Store, *annotate.Project, error) {
	open := func(path string) (*storage.Store, error) { return openDB(path, false) }
	if readOnly {
		open = openRead
	}
	st, err := open(path)
	if err != nil {
		return nil, nil, err
	}
	p, err := st.Snapshot()
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	if n := len(p.Unreadable); n > 0 && e != nil {
		fmt.Fprintf(e.errOut, "warning: %s: %d records could not be read and are left out (gloss check lists them)\n", path, n)
	}
	return st, p, nil
}

// dbArg finds the --db value in a command's arguments, for messages.
func dbArg(args []string) string {
	for i, a := range args {
		switch {
		case (a == "--db" || a == "-db") && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--db="):
			return a[len("--db="):]
		case strings.HasPrefix(a, "-db="):
			return a[len("-db="):]
		}
	}
	return "FILE"
}

func (e *env) emit(v any, text func(w io.Writer)) error {
	if e.json {
		enc := json.NewEncoder(e.out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text(e.out)
	return nil
}

// author names who made an annotation: $GLOSS_AUTHOR, else the login name.
func author() string {
	if a := os.Getenv("GLOSS_AUTHOR"); a != "" {
		return a
	}
	if u, err := user.Current(); err == nil {
		if u.Name != "" {
			return u.Name
		}
		return u.Username
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
