// Package storage keeps a Gloss project in one bbolt file. It is the only
// package that imports bbolt. Every user action is one durable Update;
// values are decoded (copied) before their transaction ends.
package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Extension is the file extension of a Gloss project.
const Extension = ".gloss"

var (
	bMeta    = []byte("meta")
	bSources = []byte("sources")
	bTexts   = []byte("texts")
	// Schemas 1–3 kept annotations in per-source sub-buckets of
	// "annotations" (plus, from 2, an ID index); schema 4 keeps them flat,
	// keyed by ID, so saving one dirties as few pages as a plain Put.
	bLegacyAnns     = []byte("annotations")
	bLegacyAnnIndex = []byte("annotation_index")
	bAnns           = []byte("annotations_by_id")
	bCodes          = []byte("codes")
	bTargets        = []byte("targets")
	bLinks          = []byte("links")
	kSchema         = []byte("schema")
	kCreated        = []byte("created")
	kName           = []byte("name")
	schema1Buckets  = [][]byte{bMeta, bSources, bTexts, bLegacyAnns, bCodes, bTargets, bLinks}
)

// ErrLocked is returned when another process holds the project open.
var ErrLocked = errors.New("is open in another Gloss process (a window or a command)")

// ErrNotFound is returned for a missing record.
var ErrNotFound = errors.New("not found")

// allocSize is how far ahead of its pages a file being written grows.
// bbolt's 16 MiB default left up to a tenth of a large project's file
// empty for good, and 1 MiB still left the import of a 10,000-source
// archive 1.1 MB past its last page; the cost is a truncate and fsync per
// 256 KiB of growth, on commits that fsync anyway.
const allocSize = 256 << 10

// newPageSize is the page size of files Gloss creates (and compacts into);
// an existing file keeps its own. A text is about 2 KB: in 4 KB pages
// nearly every text had a page of its own, half empty; 16 KB pages hold
// seven.
const newPageSize = 16 << 10

// Options tune Open.
type Options struct {
	// Timeout waits this long for another process's lock; default 1 s.
	Timeout time.Duration
	// Create makes the file when it does not exist.
	Create bool
	// Backup makes a hot backup on open (see Backups); the GUI sets it.
	Backup bool
	// KeepBackups is how many of the newest backups to keep besides one a
	// day for a week; default 3.
	KeepBackups int
	// ReadOnly takes a shared lock and never writes: no schema step, no
	// backup. Commands that only read use it, so two can run at once.
	ReadOnly bool
	// Around, when set, runs the open backup (it is given the backup
	// as work to run, on the backup's goroutine). The window uses it to
	// give the backup's check room in its heap limit.
	Around func(work func())
}

// Store is an open project.
type Store struct {
	db      *bolt.DB
	path    string
	opt     Options
	backups sync.WaitGroup
	backing sync.Mutex // one backup at a time (menu and open may overlap)
	// wantBackup: Options.Backup, done once after the first good Snapshot.
	wantBackup bool
	around     func(func()) // Options.Around
	backupOnce sync.Once
	clock      func() time.Time // stamps new records; nil is time.Now (tests fix it)
}

// Open opens (or with Create, creates) a project file and brings its schema
// up to date. A file that is empty, damaged, or not a Gloss project is
// refused without a byte written; no damage makes it panic.
func Open(path string, opt Options) (s *Store, err error) {
	defer guard(path, &err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	if opt.Timeout == 0 {
		opt.Timeout = time.Second
	}
	if opt.KeepBackups == 0 {
		opt.KeepBackups = 3
	}
	info, statErr := os.Stat(path)
	switch {
	case statErr == nil && info.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a Gloss project", path)
	case errors.Is(statErr, fs.ErrNotExist) && (!opt.Create || opt.ReadOnly):
		return nil, fmt.Errorf("%s: no such project file", path)
	case statErr != nil && !errors.Is(statErr, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: %v", path, statErr)
	}
	isNew := statErr != nil
	db, err := openBoltWalk(path, opt.ReadOnly, opt.Timeout, !isNew, true)
	if err != nil {
		return nil, err
	}
	s = &Store{db: db, path: path, opt: opt}
	if !isNew {
		if err := s.view(func(tx *bolt.Tx) error { return isGloss(tx, path, opt.Create && !opt.ReadOnly) }); err != nil {
			db.Close()
			return nil, err
		}
	}
	if opt.ReadOnly {
		if err := s.view(func(tx *bolt.Tx) error { return checkVersion(tx, path) }); err != nil {
			db.Close()
			return nil, err
		}
		return s, nil
	}
	// The schema step writes only when there is something to do, so
	// opening never changes a current file's bytes.
	var v int
	if !isNew {
		if err := s.view(func(tx *bolt.Tx) error { v, err = schemaOf(tx); return nil }); err != nil {
			db.Close()
			return nil, err
		}
	}
	if isNew || v != latest {
		if !isNew && v >= 1 && v < 9 && v < latest {
			// Schemas 7 and 9 rewrite every annotation: the file as it
			// was is kept, verified, before a byte of it changes.
			if _, err := s.Backup(); err != nil {
				db.Close()
				return nil, fmt.Errorf("%s: not upgraded to schema %d, since a backup of it could not be made first: %w", path, latest, err)
			}
		}
		if err := s.update(func(tx *bolt.Tx) error { return migrateTx(tx, path, latest) }); err != nil {
			db.Close()
			return nil, err
		}
	}
	if !isNew {
		if err := s.reencodeAnnotations(); err != nil {
			db.Close()
			return nil, err
		}
		// An import cut short by a crash is taken back out (see Import).
		if err := s.rollbackImport(); err != nil {
			db.Close()
			return nil, err
		}
	}
	// The backup waits for the first whole read (Snapshot), so an open
	// that fails anywhere, in storage or in the window, never makes one.
	s.wantBackup = opt.Backup && !isNew
	s.around = opt.Around
	return s, nil
}

// openBolt opens a file with bbolt only after its pages have been checked
// (when it exists), closing it again on any panic so a damaged file leaves
// no lock behind. bbolt checks nothing of what it maps: a bad page id faults,
// a cycle recurses without end.
func openBolt(path string, readOnly bool, timeout time.Duration, exists bool) (db *bolt.DB, err error) {
	return openBoltWalk(path, readOnly, timeout, exists, false)
}

// openBoltWalk is openBolt; quick walks the tree with inspectQuick, for
// opens that read through bbolt's cursors only (never its checker, which
// runs where a fault cannot be recovered: see Check).
func openBoltWalk(path string, readOnly bool, timeout time.Duration, exists, quick bool) (db *bolt.DB, err error) {
	if exists {
		// The headers first, without the lock: a file that is too short
		// or has no bbolt header must not be handed to bbolt, which would
		// initialise (write) an empty one.
		if _, err := statPages(path); err != nil {
			return nil, err
		}
	}
	var file *os.File
	defer func() {
		if r := recover(); r != nil {
			if file != nil {
				file.Close() // releases the lock bbolt took
			}
			db, err = nil, fmt.Errorf("%s %w (bbolt: %v)", path, ErrDamaged, r)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: readOnly, PageSize: newPageSize,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			file = f
			return f, err
		}})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("%s %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("%s: cannot open project: %v", path, err)
	}
	db.AllocSize = allocSize
	if exists {
		// Now, holding the lock, the whole tree: no other process can be
		// writing it. Even the damage bbolt lives with is refused: a torn
		// header page makes it fall back to an older state without a word,
		// and the next write would make that final.
		var hard, soft []string
		if quick {
			hard, soft, err = inspectQuick(path)
		} else {
			// Through bbolt's mapping rather than a copy of the file in
			// the heap (a backup's verification is this walk: 97 MB more
			// heap at 10,000 sources, in the window just after it opened).
			err = viewDB(db, path, func(tx *bolt.Tx) error {
				defer keepMapSmall(db.Info().Data, uintptr(tx.Size()))()
				var err error
				hard, soft, err = inspectMapped(path, tx, db.Info().Data)
				return err
			})
		}
		if problems := append(hard, soft...); err == nil && len(problems) > 0 {
			err = damaged(path, "%s", strings.Join(problems, "; "))
		}
		if err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// isGloss refuses a bbolt file that lacks Gloss's header, so another
// program's database never gets our buckets written into it. A database
// with no buckets at all (a create that was interrupted) is taken only when
// creating.
func isGloss(tx *bolt.Tx, path string, create bool) error {
	if meta := tx.Bucket(bMeta); meta != nil && meta.Get(kSchema) != nil {
		return nil
	}
	var names []string
	_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		if len(names) < 5 {
			names = append(names, strconv.Quote(string(name)))
		}
		return nil
	})
	if len(names) == 0 && create {
		return nil
	}
	if len(names) == 0 {
		return fmt.Errorf("%s %w (an empty database)", path, ErrNotProject)
	}
	return fmt.Errorf("%s %w (a bbolt database of another program, with tables %s); it was left untouched", path, ErrNotProject, strings.Join(names, ", "))
}

// guard turns a panic, bbolt's own or a fault in its memory map (which
// SetPanicOnFault makes a panic), into an error naming the file.
func guard(path string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s %w (reading it failed: %v)", path, ErrDamaged, r)
	}
}

// view is db.View that cannot panic: every read of the store goes through it.
func (s *Store) view(fn func(*bolt.Tx) error) error { return viewDB(s.db, s.path, fn) }

func viewDB(db *bolt.DB, path string, fn func(*bolt.Tx) error) (err error) {
	defer guard(path, &err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return db.View(fn)
}

// update is db.Update that cannot panic (bbolt rolls the transaction back).
func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	defer guard(s.path, &err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return s.db.Update(fn)
}

// Path is the project file.
func (s *Store) Path() string { return s.path }

// Close waits for a running backup and closes the file.
func (s *Store) Close() error {
	s.backups.Wait()
	return s.db.Close()
}

// Name is the project's display name.
func (s *Store) Name() (string, error) {
	var name string
	err := s.view(func(tx *bolt.Tx) error {
		name = string(tx.Bucket(bMeta).Get(kName))
		return nil
	})
	return name, err
}

// SetName renames the project.
func (s *Store) SetName(name string) error {
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kName, []byte(name)) })
}

// Source returns a source with its text.
func (s *Store) Source(id string) (annotate.Source, error) {
	var src annotate.Source
	err := s.view(func(tx *bolt.Tx) error {
		if err := getJSON(tx.Bucket(bSources), id, &src); err != nil {
			return fmt.Errorf("source %s: %w", id, err)
		}
		src.Text = string(tx.Bucket(bTexts).Get([]byte(id)))
		return nil
	})
	return src, err
}

// Sources lists every source's metadata (no text), in import order.
func (s *Store) Sources() ([]annotate.Source, error) {
	var out []annotate.Source
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSources)
		// Sizing from Stats (one page walk) measured faster than growing
		// the slice: 84–87 ms against 92–102 ms for 10,000 sources.
		out = make([]annotate.Source, 0, b.Stats().KeyN)
		return eachReadable(b, "source", nil, func(src *annotate.Source) { out = append(out, *src) })
	})
	return out, err
}

// Annotations lists one source's annotations in creation order. It reads
// every annotation: the GUI keeps its own copy, so this serves the CLI.
func (s *Store) Annotations(sourceID string) ([]annotate.Annotation, error) {
	var out []annotate.Annotation
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bIdx) != nil {
			// Only this source's annotations are read, the text looked
			// up once for all of them.
			anns, texts := tx.Bucket(bAnns), txTexts(tx)
			for _, id := range ixMembers(tx, ixAnnBySource, sourceID) {
				var a annotate.Annotation
				if raw := anns.Get([]byte(id)); raw != nil && decodeRec(raw, &a, texts) == nil {
					out = append(out, a)
				}
			}
			return nil
		}
		return eachReadable(tx.Bucket(bAnns), "annotation", nil, func(a *annotate.Annotation) {
			if a.SourceID == sourceID {
				out = append(out, *a)
			}
		})
	})
	return out, err
}

// AnnotationCounts counts each source's annotations in one pass.
func (s *Store) AnnotationCounts() (map[string]int, error) {
	counts := map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bIdx) != nil {
			countBySource(tx, counts) // keys only: no annotation is decoded
			return nil
		}
		return eachReadable(tx.Bucket(bAnns), "annotation", nil, func(a *annotate.Annotation) { counts[a.SourceID]++ })
	})
	return counts, err
}

// Annotation returns one annotation.
func (s *Store) Annotation(id string) (annotate.Annotation, error) {
	var a annotate.Annotation
	err := s.view(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		a, ok, err = txState{tx}.Annotation(id)
		if err != nil {
			return fmt.Errorf("annotation %s: %w", id, err)
		}
		if !ok {
			return fmt.Errorf("annotation %s: %w", id, ErrNotFound)
		}
		return nil
	})
	return a, err
}

// Snapshot reads the whole project, texts included, in one transaction.
// A record that cannot be decoded is skipped and named in p.Unreadable, so
// one damaged record does not lock the analyst out of the rest.
func (s *Store) Snapshot() (*annotate.Project, error) {
	p, err := s.readParts(projectParts{sourceTexts: true, versionTexts: true, annotations: true})
	if err == nil {
		s.backupAfterRead()
	}
	return p, err
}

// Unreadable names every record that cannot be decoded (as in
// Project.Unreadable), for commands that read the project piecemeal.
func (s *Store) Unreadable() ([]string, error) {
	p, err := s.Snapshot()
	if err != nil {
		return nil, err
	}
	return p.Unreadable, nil
}

// Links lists every link.
func (s *Store) Links() ([]annotate.Link, error) {
	var out []annotate.Link
	err := s.view(func(tx *bolt.Tx) error {
		return eachJSON(tx.Bucket(bLinks), func(k *annotate.Link) { out = append(out, *k) })
	})
	return out, err
}

// Versions returns every readable text version with its text, which Head
// leaves out; those that cannot be read are named by Head's Unreadable.
func (s *Store) Versions() ([]annotate.TextVersion, error) {
	var out []annotate.TextVersion
	var bad []string
	err := s.view(func(tx *bolt.Tx) error {
		return eachReadable(tx.Bucket(bVersions), "text version", &bad, func(v *annotate.TextVersion) { out = append(out, *v) })
	})
	return out, err
}

// eachJSON decodes every value of b into a fresh T; decoding copies, so
// nothing returned aliases bbolt's memory.
func eachJSON[T any](b *bolt.Bucket, fn func(*T)) error {
	texts := txTexts(b.Tx())
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil // nested bucket
		}
		var t T
		if err := decodeRec(v, &t, texts); err != nil {
			return fmt.Errorf("record %s: %v", k, err)
		}
		fn(&t)
		return nil
	})
}

// eachReadable is eachJSON that skips a record it cannot decode, naming it
// in *bad (when bad is not nil) as "<kind> <key>: <error>". A missing
// bucket holds nothing.
func eachReadable[T any](b *bolt.Bucket, kind string, bad *[]string, fn func(*T)) error {
	if b == nil {
		return nil
	}
	texts := txTexts(b.Tx())
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil // nested bucket
		}
		var t T
		if err := decodeRec(v, &t, texts); err != nil {
			if bad != nil {
				*bad = append(*bad, fmt.Sprintf("%s %s: %v", kind, k, err))
			}
			return nil
		}
		fn(&t)
		return nil
	})
}

func getJSON[T any](b *bolt.Bucket, id string, v *T) error {
	raw := b.Get([]byte(id))
	if raw == nil {
		return ErrNotFound
	}
	return decodeRec(raw, v, txTexts(b.Tx()))
}
