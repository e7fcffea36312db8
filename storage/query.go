package storage

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// EachAnnotation calls fn with every annotation (of one source, when
// sourceID is not empty), walking the file with a cursor inside one read
// transaction, so memory stays flat however many there are. A record that
// cannot be decoded is passed to bad and skipped. fn's error stops the walk.
func (s *Store) EachAnnotation(sourceID string, bad func(id string, err error), fn func(annotate.Annotation) error) error {
	return s.view(func(tx *bolt.Tx) error {
		release := s.releaser(tx)
		texts := txTexts(tx)
		decode := func(k, v []byte) error {
			release()
			var a annotate.Annotation
			if err := decodeRec(v, &a, texts); err != nil {
				if bad != nil {
					bad(string(k), err)
				}
				return nil
			}
			return fn(a)
		}
		b := tx.Bucket(bAnns)
		if sourceID != "" && tx.Bucket(bIdx) != nil {
			for _, id := range ixMembers(tx, ixAnnBySource, sourceID) {
				if v := b.Get([]byte(id)); v != nil {
					if err := decode([]byte(id), v); err != nil {
						return err
					}
				}
			}
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				continue
			}
			if sourceID != "" {
				if id, ok := annSourceID(v); ok && id != sourceID {
					continue
				}
			}
			if err := decode(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// releaser returns a function to call once per record of a long walk: now
// and then it drops the file's pages read so far from the resident set
// (see dropMapped), so a walk's memory stays flat however large the file.
// Valid inside tx only: the mapping cannot move while a transaction is open.
func (s *Store) releaser(tx *bolt.Tx) func() {
	base, size := s.db.Info().Data, uintptr(tx.Size())
	n := 0
	return func() {
		if n++; n%4096 == 0 {
			dropMapped(base, size)
		}
	}
}

// Codebook reads the codes and stance targets only: what listings need to
// name an annotation's codes without reading the project.
func (s *Store) Codebook() (*annotate.Project, error) {
	p := &annotate.Project{}
	err := s.view(func(tx *bolt.Tx) error {
		if err := eachReadable(tx.Bucket(bCodes), "code", &p.Unreadable, func(c *annotate.Code) { p.Codes = append(p.Codes, *c) }); err != nil {
			return err
		}
		return eachReadable(tx.Bucket(bTargets), "target", &p.Unreadable, func(t *annotate.Target) { p.Targets = append(p.Targets, *t) })
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.path, err)
	}
	return p, nil
}

// Catalog reads everything but texts and annotations: sources (without
// text), codes, stance targets, links, claims and text versions (without
// their text). It is what a window needs before its first frame; texts and
// annotations are read per source (Text, Annotations) when shown. Records
// that cannot be decoded are named in p.Unreadable, as in Snapshot.
func (s *Store) Catalog() (*annotate.Project, error) {
	return s.readParts(projectParts{})
}

// projectParts says what readProject reads beyond the records every
// reader wants (sources, codes, targets, links, claims, versions).
type projectParts struct {
	sourceTexts, versionTexts, annotations bool
}

func (s *Store) readParts(want projectParts) (*annotate.Project, error) {
	var p *annotate.Project
	if err := s.view(func(tx *bolt.Tx) (err error) { p, err = readProject(tx, want); return err }); err != nil {
		return nil, err
	}
	return p, nil
}

// readProject reads a project in one transaction. A record that cannot be
// decoded is skipped and named in p.Unreadable, so one damaged record does
// not lock the analyst out of the rest; a source without its text is named
// there too.
func readProject(tx *bolt.Tx, want projectParts) (*annotate.Project, error) {
	p := &annotate.Project{Name: string(tx.Bucket(bMeta).Get(kName))}
	bad := &p.Unreadable
	texts := tx.Bucket(bTexts)
	if b := tx.Bucket(bSources); b != nil {
		p.Sources = make([]annotate.Source, 0, b.Stats().KeyN)
	}
	textOf := textsInOrder(texts)
	if err := eachReadable(tx.Bucket(bSources), "source", bad, func(src *annotate.Source) {
		raw := textOf(src.ID)
		if raw == nil {
			*bad = append(*bad, fmt.Sprintf("source %s: its text is missing", src.ID))
			return
		}
		if want.sourceTexts {
			src.Text = string(raw) // a copy: the transaction ends
		}
		p.Sources = append(p.Sources, *src)
	}); err != nil {
		return nil, err
	}
	if want.annotations {
		// Sized first: growing by doubling left up to half the slice
		// unused, and the window keeps it (64 of 160 MiB at 10k sources).
		p.Annotations = make([]annotate.Annotation, 0, tx.Bucket(bAnns).Stats().KeyN)
		if err := eachReadable(tx.Bucket(bAnns), "annotation", bad, func(a *annotate.Annotation) { p.Annotations = append(p.Annotations, *a) }); err != nil {
			return nil, err
		}
	}
	if err := eachReadable(tx.Bucket(bCodes), "code", bad, func(c *annotate.Code) { p.Codes = append(p.Codes, *c) }); err != nil {
		return nil, err
	}
	if err := eachReadable(tx.Bucket(bTargets), "target", bad, func(t *annotate.Target) { p.Targets = append(p.Targets, *t) }); err != nil {
		return nil, err
	}
	if err := eachReadable(tx.Bucket(bLinks), "link", bad, func(k *annotate.Link) { p.Links = append(p.Links, *k) }); err != nil {
		return nil, err
	}
	if err := eachReadable(tx.Bucket(bClaims), "claim", bad, func(m *annotate.Claim) { p.Claims = append(p.Claims, *m) }); err != nil {
		return nil, err
	}
	err := eachReadable(tx.Bucket(bVersions), "text version", bad, func(v *annotate.TextVersion) {
		if !want.versionTexts {
			v.Text = ""
		}
		p.Versions = append(p.Versions, *v)
	})
	return p, err
}

// textsInOrder looks texts up for sources met in key order, as a walk of
// the sources bucket meets them: a cursor walks the texts bucket alongside
// (both are keyed by source ID), where a lookup per source searched the
// tree from its root (a fifth of reading every source). An ID met out of
// order is looked up.
func textsInOrder(texts *bolt.Bucket) func(id string) []byte {
	c := texts.Cursor()
	k, v := c.First()
	return func(id string) []byte {
		for k != nil && bytes.Compare(k, []byte(id)) < 0 {
			k, v = c.Next()
		}
		if k != nil && string(k) == id {
			return v
		}
		return texts.Get([]byte(id))
	}
}

// Text returns one source's text.
func (s *Store) Text(sourceID string) (string, error) {
	var text string
	err := s.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bTexts).Get([]byte(sourceID))
		if raw == nil {
			if tx.Bucket(bSources).Get([]byte(sourceID)) != nil {
				return fmt.Errorf("source %s: its text is missing", sourceID)
			}
			return fmt.Errorf("source %s: %w", sourceID, ErrNotFound)
		}
		text = string(raw) // a copy: the transaction ends below
		return nil
	})
	return text, err
}

// EachText calls fn with every source's text (a copy), in ID order, from
// one read transaction: a window that opened a large project without its
// texts (Catalog) reads them after its first frame. fn's error stops it.
func (s *Store) EachText(fn func(sourceID, text string) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bTexts)
		if b == nil {
			return nil
		}
		release := s.releaser(tx)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			release()
			if v != nil {
				if err := fn(string(k), string(v)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// AnnotationsWithCode calls fn with every annotation carrying the code,
// found through the index (only those are read), in the index's order:
// by source ID, then annotation ID. A record
// that cannot be decoded is an error naming it; fn's error stops the walk.
func (s *Store) AnnotationsWithCode(codeID string, fn func(annotate.Annotation) error) error {
	return s.view(func(tx *bolt.Tx) error {
		anns := tx.Bucket(bAnns)
		texts := txTexts(tx)
		decode := func(k, v []byte) error {
			var a annotate.Annotation
			if err := decodeRec(v, &a, texts); err != nil {
				return fmt.Errorf("annotation %s cannot be read: %v", k, err)
			}
			return fn(a)
		}
		idx := tx.Bucket(bIdx)
		if idx == nil {
			// An older schema read through: no index, so a scan.
			return anns.ForEach(func(k, v []byte) error {
				var a annotate.Annotation
				if v == nil || decodeRec(v, &a, texts) != nil || !a.HasCode(codeID) {
					return nil
				}
				return fn(a)
			})
		}
		prefix := ixPrefix(ixAnnByCode, codeID)
		c := idx.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			_, id, ok := codeMember(k[len(prefix):])
			if !ok {
				continue // Check reports a stale entry
			}
			v := anns.Get(id)
			if v == nil {
				continue // Check reports a stale entry
			}
			if err := decode(id, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// partRecords is how many records make a part of their own (a variable
// for tests).
var partRecords = 2048

// errNoIndex is the error of a read that needs the index an older schema
// lacks (a read-only open does not migrate).
func (s *Store) errNoIndex() error {
	return fmt.Errorf("%s: the annotation index is missing; open the project for writing once to rebuild it", s.path)
}

// AnnotationsWithCodes calls fn with every annotation carrying any of
// codes, each once, in ID order, found through the index by code: a
// window that holds only the sources it shows lists a code's annotations
// across the project without reading the others. For a list: a quote,
// prefix and suffix that the record keeps as places in its source's text
// are left empty (the caller takes what it shows from the text), as
// looking the texts up was two thirds of the time; AnnotationsWithCode
// gives whole records. A record that cannot be decoded is skipped
// (UnreadableAnnotations names it); fn's error stops the walk.
func (s *Store) AnnotationsWithCodes(codes []string, fn func(annotate.Annotation) error) error {
	if len(codes) == 0 {
		return nil // AnnotationRefs would name every annotation
	}
	refs, err := s.AnnotationRefs(codes)
	if err != nil {
		return err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	return s.AnnotationsByID(ids, fn)
}

// AnnotationRefs names every annotation carrying any of codes (every
// annotation when codes is empty), and its source, from index keys alone:
// the index by code names each annotation's source too (schema 12), and
// with no code the index by source is walked. No record is read, so a
// list can be counted and put in source order at once and read a
// screenful at a time (AnnotationsByID). Each is named once, by source ID,
// then annotation ID.
// An entry whose record is gone (Check calls it stale) is named too;
// AnnotationsByID skips it.
func (s *Store) AnnotationRefs(codes []string) ([]annotate.AnnotationRef, error) {
	var refs []annotate.AnnotationRef
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bAnns) == nil {
			return nil
		}
		if tx.Bucket(bIdx) == nil {
			return s.errNoIndex()
		}
		c := tx.Bucket(bIdx).Cursor()
		// Each entry names its source and its annotation: walk the
		// entries twice, first to size what is built, then to build it,
		// with every ID cut from one string and one string per source.
		// A string and a slice grown for each of 20,000 references were
		// most of a code list's allocations, and of its time in a busy
		// window. each calls fn with every entry and, if set, code
		// before each code's entries.
		each := func(code func(), fn func(src, ann []byte)) {
			if len(codes) == 0 {
				for k, _ := c.Seek([]byte{ixAnnBySource}); k != nil && k[0] == ixAnnBySource; k, _ = c.Next() {
					if cut := bytes.IndexByte(k, 0); cut > 0 && cut+1 < len(k) {
						fn(k[1:cut], k[cut+1:])
					}
				}
				return
			}
			for _, cd := range codes {
				if code != nil {
					code()
				}
				prefix := ixPrefix(ixAnnByCode, cd)
				for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
					if src, ann, ok := codeMember(k[len(prefix):]); ok {
						fn(src, ann)
					}
				}
			}
		}
		n, size := 0, 0
		var bounds []int // where each code's references start
		each(func() { bounds = append(bounds, n) }, func(_, ann []byte) { n, size = n+1, size+len(ann) })
		buf := make([]byte, 0, size)
		ends := make([]int32, 0, n) // where each ID ends in buf
		refs = make([]annotate.AnnotationRef, 0, n)
		var src string
		each(nil, func(srcB, ann []byte) {
			if src != string(srcB) {
				src = string(srcB)
			}
			buf = append(buf, ann...)
			ends = append(ends, int32(len(buf)))
			refs = append(refs, annotate.AnnotationRef{SourceID: src})
		})
		all, from := string(buf), int32(0)
		for i, end := range ends {
			refs[i].ID, from = all[from:end], end
		}
		if len(codes) > 1 {
			// An annotation carrying two of the codes (a parent and its
			// child) is named once.
			refs = mergeRefs(refs, append(bounds, len(refs)))
		}
		return nil
	})
	return refs, err
}

// mergeRefs puts refs, runs of which (between bounds) are each in order
// by source and ID as the index keeps them, in that order, naming each
// annotation once. Merging the runs costs what reading them did; sorting
// the whole of a parent code and its child's 40,000 references took 10 ms.
func mergeRefs(refs []annotate.AnnotationRef, bounds []int) []annotate.AnnotationRef {
	byRef := func(a, b annotate.AnnotationRef) int {
		return cmp.Or(strings.Compare(a.SourceID, b.SourceID), strings.Compare(a.ID, b.ID))
	}
	var runs [][]annotate.AnnotationRef
	for i := 0; i+1 < len(bounds); i++ {
		run := refs[bounds[i]:bounds[i+1]]
		if !slices.IsSortedFunc(run, byRef) {
			// Not as the index keeps them (an ID holding a NUL):
			// still right, at a sort's cost.
			slices.SortFunc(refs, byRef)
			return slices.Compact(refs)
		}
		if len(run) > 0 {
			runs = append(runs, run)
		}
	}
	for len(runs) > 1 {
		var next [][]annotate.AnnotationRef
		for i := 0; i < len(runs); i += 2 {
			if i+1 == len(runs) {
				next = append(next, runs[i])
				break
			}
			a, b := runs[i], runs[i+1]
			out := make([]annotate.AnnotationRef, 0, len(a)+len(b))
			for len(a) > 0 && len(b) > 0 {
				switch c := byRef(a[0], b[0]); {
				case c < 0:
					out, a = append(out, a[0]), a[1:]
				case c > 0:
					out, b = append(out, b[0]), b[1:]
				default:
					out, a, b = append(out, a[0]), a[1:], b[1:]
				}
			}
			next = append(next, append(append(out, a...), b...))
		}
		runs = next
	}
	if len(runs) == 0 {
		return refs[:0]
	}
	return slices.Compact(runs[0])
}

// AnnotationsByID calls fn with each of ids' records that exists and can
// be decoded, in the order of ids, leaving quotes kept as places in the
// text empty as AnnotationsWithCodes does. Many records are read by one
// read transaction per core at once: reading them is mostly page faults
// in the map, a core's worth each. A change saved meanwhile may show in
// some; a list asks again after every change anyway.
func (s *Store) AnnotationsByID(ids []string, fn func(annotate.Annotation) error) error {
	parts := make([][]annotate.Annotation, min(max(2, runtime.GOMAXPROCS(0)), max(1, len(ids)/partRecords)))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for w := range parts {
		chunk := ids[w*len(ids)/len(parts) : (w+1)*len(ids)/len(parts)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = s.view(func(tx *bolt.Tx) error {
				anns := tx.Bucket(bAnns)
				if anns == nil {
					return nil
				}
				release := s.releaser(tx)
				// Sized up front: growing a slice of records this large
				// was a third of the time.
				parts[w] = make([]annotate.Annotation, 0, len(chunk))
				for _, id := range chunk {
					release()
					v := anns.Get([]byte(id))
					if v == nil {
						continue // deleted since, or a stale entry
					}
					var a annotate.Annotation
					var err error
					if isAnnCodec(v) {
						err = decodeAnn(v, &a, nil, false)
					} else {
						err = decodeRec(v, &a, nil) // JSON keeps its quotes
					}
					if err == nil {
						parts[w] = append(parts[w], a)
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, part := range parts {
		for _, a := range part {
			if err := fn(a); err != nil {
				return err
			}
		}
	}
	return nil
}

// CodeUsage counts the annotations carrying each code, from the index keys
// alone: no annotation is decoded. Codes no annotation uses are absent.
func (s *Store) CodeUsage() (map[string]int, error) {
	counts := map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bIdx) == nil {
			return eachReadable(tx.Bucket(bAnns), "annotation", nil, func(a *annotate.Annotation) {
				for _, c := range a.Codes {
					counts[c]++
				}
			})
		}
		countByKind(tx, ixAnnByCode, counts)
		return nil
	})
	return counts, err
}

// Totals gives the project-wide counts a window shows (annotations, code
// and stance usage, authors, what needs review by source) from the index
// alone, without reading a record: 10 to 20 ms at 200,000 annotations,
// where reading them all takes seconds and a hundred megabytes. A
// successful read makes the open backup (Options.Backup), as the first
// whole read does for a window that reads every annotation.
func (s *Store) Totals() (annotate.Totals, error) {
	t := annotate.Totals{Usage: map[string]int{}, Stances: map[string]int{}, Authors: map[string]int{}, Review: map[string]int{}}
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bIdx) == nil {
			return s.errNoIndex()
		}
		bySrc := map[string]int{}
		countByKind(tx, ixAnnBySource, bySrc)
		for _, n := range bySrc {
			t.Annotations += n
		}
		countByKind(tx, ixAnnByCode, t.Usage)
		countByKind(tx, ixAnnByTarget, t.Stances)
		countByKind(tx, ixAnnByAuthor, t.Authors)
		countByKind(tx, ixAnnToReview, t.Review)
		return nil
	})
	if err != nil {
		return annotate.Totals{}, err
	}
	s.backupAfterRead()
	return t, nil
}

// EachSource calls fn with every source's metadata (no text), in ID
// order, from a cursor in one read transaction: memory stays flat however
// many there are. A record that cannot be decoded is passed to bad and
// skipped; fn's error stops the walk. bad and fn are called on the
// caller's goroutine; the records are decoded a batch at a time on up to
// GOMAXPROCS others (decoding was two thirds of gloss list's time).
func (s *Store) EachSource(bad func(id string, err error), fn func(annotate.Source) error) error {
	type rec struct {
		k, v []byte // views of the map, valid while the transaction is open
		src  annotate.Source
		err  error
	}
	const batch = 256
	return s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bSources).Cursor()
		k, v := c.First()
		// fill reads the next batch of records from the cursor.
		fill := func() []rec {
			var recs []rec
			for ; k != nil && len(recs) < batch; k, v = c.Next() {
				if v != nil {
					recs = append(recs, rec{k: k, v: v})
				}
			}
			return recs
		}
		workers := max(1, runtime.GOMAXPROCS(0))
		var inFlight []chan []rec
		// Every batch sent is received, even after fn fails, so no
		// decoder outlives the transaction its views belong to.
		defer func() {
			for _, ch := range inFlight {
				<-ch
			}
		}()
		for {
			for len(inFlight) < workers {
				recs := fill()
				if len(recs) == 0 {
					break
				}
				ch := make(chan []rec, 1)
				inFlight = append(inFlight, ch)
				go func() {
					// A fault reading a damaged map is the record's error,
					// as on the caller's goroutine (see guard), not a crash.
					defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
					defer func() { ch <- recs }()
					for i := range recs {
						r := &recs[i]
						func() {
							defer func() {
								if p := recover(); p != nil {
									r.err = fmt.Errorf("reading the record: %v", p)
								}
							}()
							r.err = decodeRec(r.v, &r.src, nil)
						}()
					}
				}()
			}
			if len(inFlight) == 0 {
				return nil
			}
			recs := <-inFlight[0]
			inFlight = inFlight[1:]
			for i := range recs {
				if recs[i].err != nil {
					if bad != nil {
						bad(string(recs[i].k), recs[i].err)
					}
					continue
				}
				if err := fn(recs[i].src); err != nil {
					return err
				}
			}
		}
	})
}

// SourceCount counts the source records from their keys, decoding none
// (a record that does not decode is counted; Check names it).
func (s *Store) SourceCount() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSources)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v != nil {
				n++
			}
		}
		return nil
	})
	return n, err
}
