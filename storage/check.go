package storage

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"os"
	"runtime"
	"runtime/debug"
	"time"
	"unicode/utf8"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Check checks the file's structure page by page (with plain reads, so
// damage is reported rather than crashing), then bbolt's own consistency
// check, then the domain invariants: every annotation's quote matches its
// source at its position, every code, target and source reference
// resolves, every content hash matches, the index holds exactly what the
// records imply. Records that cannot be decoded are listed as unreadable.
// It returns every problem; a damaged file never passes.
//
// The records are read once, in one transaction, and nothing is kept but
// ID sets: texts are checked where they lie in the file.
func (s *Store) Check() ([]error, error) {
	var problems []error
	// The page walk runs inside a read transaction so that, in a process
	// that also writes, the pages it reads are not reused under it.
	err := s.view(func(tx *bolt.Tx) error {
		// Only while the two page walks run: the record passes
		// release as they go, with less refaulting.
		stopDropping := keepMapSmall(s.db.Info().Data, uintptr(tx.Size()))
		defer func() {
			if stopDropping != nil {
				stopDropping()
			}
		}()
		hard, soft, err := inspectMapped(s.path, tx, s.db.Info().Data)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		for _, p := range append(hard, soft...) {
			problems = append(problems, fmt.Errorf("file structure: %s", p))
		}
		if len(hard) > 0 {
			// bbolt's checker trusts the pages and runs in a goroutine
			// of its own, where a fault could not be recovered.
			return nil
		}
		for err := range tx.Check() {
			problems = append(problems, fmt.Errorf("file structure: %v", err))
		}
		stopDropping()
		stopDropping = nil
		// The full-text index is checked on the other core, in a read
		// transaction of its own (a transaction is not for two
		// goroutines); it is compared with the texts in that one.
		ft := make(chan []error, 1)
		go func() {
			var out []error
			if err := s.view(func(tx *bolt.Tx) error {
				out = checkFullText(tx, s.releaser(tx))
				return nil
			}); err != nil {
				out = append(out, fmt.Errorf("full-text index: %w", err))
			}
			ft <- out
		}()
		if v, err := schemaOf(tx); err != nil || v != latest {
			problems = append(problems, fmt.Errorf("schema version %d, expected %d (%v)", v, latest, err))
		}
		problems = append(problems, checkRecords(tx, s.releaser(tx))...)
		problems = append(problems, <-ft...)
		return nil
	})
	if err != nil {
		return append(problems, err), nil
	}
	return problems, nil
}

// keepMapSmall drops the mapped file's pages from the resident set every
// few milliseconds until the returned func is called. The walks of the
// check (the page walk, bbolt's own) read every page, so the resident set
// would otherwise grow to the file's size; a read-only shared map's pages
// are read back from the page cache when next touched, so dropping them
// under a reader is safe and costs a minor fault.
func keepMapSmall(base, size uintptr) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				dropMapped(base, size)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		dropMapped(base, size)
	}
}

// inspectMapped reads path's whole structure without bbolt (hard problems
// make bbolt misread the file; soft ones it survives, but Check reports),
// reading the pages where the transaction has them mapped instead of from
// a copy of the whole file (which made the heap, and the check's memory,
// the file's size twice over). When the newest header names pages this
// transaction has not mapped (a change committed since it began), the
// walk reads a copy of the file.
func inspectMapped(path string, tx *bolt.Tx, base uintptr) (hard, soft []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	pf, err := readPageFile(path, f, info.Size())
	if err != nil {
		return nil, nil, err
	}
	// Pages past the file's end are not read: readPageFile found the
	// file long enough for every page the header names.
	if n := pf.meta.hwm * pf.ps; base != 0 && n <= uint64(tx.Size()) && n <= uint64(info.Size()) {
		pf.data = unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&base))), n)
	} else {
		pf.readAll()
	}
	w, _ := pf.walk(nil)
	pf.r, pf.data = nil, nil
	return w.problems, w.soft, nil
}

// recordCheck gathers what one pass over the records finds, in the groups
// Check reports them in.
type recordCheck struct {
	tx                           *bolt.Tx
	index, runeIdx, keys, unread []error
	sources, codes, targets      map[string]bool
	anns                         map[string]bool // annotations that do not decode
	views                        map[string]srcView
	parent                       map[string]string
	seed                         maphash.Seed
	wantSum                      uint64 // sum of the hashes of the index keys the records imply
	wantN                        int
	texts, ridx                  *bolt.Bucket
	release                      func() // per record: see Store.releaser
}

// srcView is a readable source's text and code-point checkpoints as they
// lie in the file, valid until the transaction ends.
type srcView struct {
	text  string
	ridx  []byte
	valid bool // UTF-8 throughout: quoteAt may count code points by lead bytes
}

// quoteAt reports whether sel's quote is at its code points in the text,
// counting code points by their lead bytes from the nearest checkpoint:
// several times faster than decoding each (annotate.CheckIn), and the
// same answer for valid UTF-8. false means "not shown here": the caller
// then checks as before, which words any problem.
func quoteAt(v srcView, sel annotate.Selector) bool {
	if !v.valid || sel.Exact == "" || sel.Start < 0 || sel.Start >= sel.End {
		return false
	}
	k := sel.Start / runeStride
	if len(v.ridx) < 4*(k+1) {
		return false
	}
	off := int(binary.LittleEndian.Uint32(v.ridx[4*k:]))
	if off > len(v.text) || off < len(v.text) && !utf8.RuneStart(v.text[off]) {
		return false
	}
	i := off
	for n := sel.Start - k*runeStride; n > 0; n-- {
		if i >= len(v.text) {
			return false
		}
		switch c := v.text[i]; {
		case c < 0xe0:
			i += 1 + int(c>>7) // ASCII: 1; a two-byte lead: 2
		case c < 0xf0:
			i += 3
		default:
			i += 4
		}
	}
	j := i + len(sel.Exact)
	// The quote ends on a code-point boundary of the text, so it is
	// valid UTF-8 and its count of code points is the selector's length.
	return j <= len(v.text) && v.text[i:j] == sel.Exact && (j == len(v.text) || utf8.RuneStart(v.text[j])) &&
		utf8.RuneCountInString(sel.Exact) == sel.End-sel.Start
}

// unreadErr names a record that cannot be decoded.
type unreadErr struct {
	kind string
	key  []byte
	err  error
}

func (e *unreadErr) Error() string {
	return fmt.Sprintf("unreadable record: %s %s: %v", e.kind, e.key, e.err)
}

func (c *recordCheck) bad(kind string, k []byte, err error) {
	c.unread = append(c.unread, &unreadErr{kind, append([]byte(nil), k...), err})
}

func (c *recordCheck) expect(keys [][]byte) {
	for _, k := range keys {
		c.wantSum += maphash.Bytes(c.seed, k)
		c.wantN++
	}
}

func (c *recordCheck) HasSource(id string) bool { return c.sources[id] }
func (c *recordCheck) HasCode(id string) bool   { return c.codes[id] }
func (c *recordCheck) HasTarget(id string) bool { return c.targets[id] }

// text is a source's text as it lies in the file, valid until the
// transaction ends; ok is false when it has none.
func (c *recordCheck) text(id string) (string, bool) {
	raw := c.texts.Get([]byte(id))
	if raw == nil {
		return "", false
	}
	return unsafe.String(unsafe.SliceData(raw), len(raw)), true
}

// quoteTexts serves decoding the texts of the sources read so far, from
// the views (read-only during the annotation pass: each goroutine may have
// its own).
func (c *recordCheck) quoteTexts() *annTexts {
	return &annTexts{get: func(id string) (string, []byte, bool) {
		v, ok := c.views[id]
		return v.text, v.ridx, ok
	}}
}

// each decodes every record of a bucket in key order, naming those that
// do not decode.
func each[T any](c *recordCheck, bucket []byte, kind string, fn func(k []byte, t *T)) {
	b := c.tx.Bucket(bucket)
	if b == nil {
		return
	}
	cur := b.Cursor()
	texts := c.quoteTexts()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if v == nil {
			continue // nested bucket
		}
		c.release()
		var t T
		if err := decodeRec(v, &t, texts); err != nil {
			c.bad(kind, k, err)
			continue
		}
		fn(k, &t)
	}
}

// checkRecords is the one pass: it decodes each record once, checks it
// against the ID sets built so far (codes, targets and sources come first,
// as everything refers to them), and adds up the index it implies.
func checkRecords(tx *bolt.Tx, release func()) []error {
	c := &recordCheck{tx: tx, seed: maphash.MakeSeed(), release: release,
		sources: map[string]bool{}, codes: map[string]bool{}, targets: map[string]bool{}, anns: map[string]bool{},
		views:  map[string]srcView{},
		parent: map[string]string{}, texts: tx.Bucket(bTexts), ridx: tx.Bucket(bRuneIdx)}
	var srcErrs, codeErrs, tgtErrs, annErrs, linkErrs, restErrs []error

	// Sources: the record, its text (hash, code-point index), its originals.
	type orig struct{ src, of string }
	var originals []orig
	var unreadSrc []error
	each(c, bSources, "source", func(_ []byte, src *annotate.Source) {
		text, ok := c.text(src.ID)
		if !ok {
			unreadSrc = append(unreadSrc, fmt.Errorf("unreadable record: source %s: its text is missing", src.ID))
			return
		}
		c.sources[src.ID] = true
		c.views[src.ID] = srcView{text, c.ridx.Get([]byte(src.ID)), utf8.ValidString(text)}
		c.expect(sourceEntries(src))
		if err := annotate.ValidateSource(*src); err != nil {
			srcErrs = append(srcErrs, fmt.Errorf("source %s: %w", src.ID, err))
		}
		if src.ContentHash != "" && annotate.HashText(text) != src.ContentHash {
			srcErrs = append(srcErrs, fmt.Errorf("source %s: text does not match its content hash", src.ID))
		}
		for _, o := range src.Originals {
			originals = append(originals, orig{src.ID, o})
		}
	})
	c.unread = append(c.unread, unreadSrc...)
	for _, o := range originals {
		if !c.sources[o.of] {
			srcErrs = append(srcErrs, fmt.Errorf("source %s: original %q does not exist", o.src, o.of))
		}
	}
	// Every text's code-point index, sources or not (as before).
	if err := c.texts.ForEach(func(k, v []byte) error {
		if string(c.ridx.Get(k)) != string(buildRuneIndex(unsafe.String(unsafe.SliceData(v), len(v)))) {
			c.runeIdx = append(c.runeIdx, fmt.Errorf("source %s: code-point index is stale", k))
		}
		return nil
	}); err != nil {
		c.runeIdx = append(c.runeIdx, err)
	}

	// Annotations come after codes and targets in a snapshot's unreadable
	// list, but refer to them: decode those first, report in order.
	var codes []annotate.Code
	var unreadAnn []error
	unreadBefore := c.unread
	c.unread = nil
	each(c, bCodes, "code", func(_ []byte, k *annotate.Code) {
		c.codes[k.ID] = true
		c.parent[k.ID] = k.Parent
		c.expect(codeEntries(k))
		codes = append(codes, *k)
	})
	unreadCodes := c.unread
	c.unread = nil
	each(c, bTargets, "target", func(_ []byte, t *annotate.Target) {
		c.targets[t.ID] = true
		if err := annotate.ValidateTarget(*t); err != nil {
			tgtErrs = append(tgtErrs, fmt.Errorf("target %s: %w", t.ID, err))
		}
	})
	unreadTargets := c.unread
	c.unread = nil
	parentOf := func(id string) (string, bool) { p, ok := c.parent[id]; return p, ok }
	for _, k := range codes {
		if err := annotate.ValidateCode(k, parentOf); err != nil {
			codeErrs = append(codeErrs, fmt.Errorf("code %s: %w", k.ID, err))
		}
	}

	annErrs, unreadAnn = checkAnnotations(c)
	// A claim's evidence must be an annotation that decodes: a lookup by
	// key, less the few that did not decode (no set of every ID).
	anns := tx.Bucket(bAnns)
	for _, e := range unreadAnn {
		c.anns[string(e.(*unreadErr).key)] = true
	}
	hasAnn := func(id string) bool { return anns != nil && anns.Get([]byte(id)) != nil && !c.anns[id] }

	textOf := func(id string) *annotate.Text {
		if t, ok := c.text(id); ok && c.sources[id] {
			return annotate.NewText(t)
		}
		return nil
	}
	each(c, bLinks, "link", func(_ []byte, k *annotate.Link) {
		c.expect(linkEntries(k))
		if err := annotate.ValidateLink(*k, textOf); err != nil {
			linkErrs = append(linkErrs, fmt.Errorf("link %s: %w", k.ID, err))
		}
	})
	unreadLinks := c.unread
	c.unread = nil
	each(c, bClaims, "claim", func(_ []byte, m *annotate.Claim) {
		c.expect(claimEntries(m))
		if m.Target != "" && !c.targets[m.Target] {
			restErrs = append(restErrs, fmt.Errorf("claim %s: target: no stance target with id %q", m.ID, m.Target))
		}
		for _, e := range m.Evidence {
			if !hasAnn(e.AnnotationID) {
				restErrs = append(restErrs, fmt.Errorf("claim %s: evidence: no annotation with id %q", m.ID, e.AnnotationID))
			}
		}
	})
	var verErrs []error
	each(c, bVersions, "text version", func(_ []byte, v *annotate.TextVersion) {
		c.expect(versionEntries(v))
		if !c.sources[v.SourceID] {
			verErrs = append(verErrs, fmt.Errorf("text version %s: no source with id %q", v.ID, v.SourceID))
		}
		if annotate.HashText(v.Text) != v.ContentHash {
			verErrs = append(verErrs, fmt.Errorf("text version %s: text does not match its content hash", v.ID))
		}
	})
	unreadRest := c.unread

	// The index holds exactly the entries the records imply: compared as
	// sums of key hashes, and only when they differ entry by entry.
	if idx := tx.Bucket(bIdx); idx != nil {
		var gotSum uint64
		gotN := 0
		cur := idx.Cursor()
		for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
			gotSum += maphash.Bytes(c.seed, k)
			gotN++
		}
		if gotSum != c.wantSum || gotN != c.wantN {
			c.index = checkIndex(tx)
			if len(c.index) == 0 {
				// Not reached unless a nested bucket hides in the index.
				c.index = []error{fmt.Errorf("index: %d entries, the records imply %d", gotN, c.wantN)}
			}
		}
	}

	var out []error
	for _, g := range [][]error{c.index, c.runeIdx, c.keys,
		unreadBefore, unreadAnn, unreadCodes, unreadTargets, unreadLinks, unreadRest,
		srcErrs, codeErrs, tgtErrs, annErrs, linkErrs, restErrs, verErrs} {
		out = append(out, g...)
	}
	return out
}

// checkAnnotations is the annotation pass. The cursor walks the bucket on
// this goroutine (a transaction is not for two); batches of records are
// decoded and checked against their sources' texts on GOMAXPROCS others,
// which read only the ID sets and text views built before, and their
// findings are merged in key order. It was most of check's time.
func checkAnnotations(c *recordCheck) (annErrs, unread []error) {
	b := c.tx.Bucket(bAnns)
	if b == nil {
		return nil, nil
	}
	type job struct {
		recs               [][2][]byte // views of the map
		keys, anns, unread []error
		sum                uint64
		n                  int
	}
	work := func(j *job) {
		var lastSrc string
		var last srcView
		lastOK := false
		texts := c.quoteTexts()
		for _, r := range j.recs {
			k, v := r[0], r[1]
			var a annotate.Annotation
			if err := decodeRec(v, &a, texts); err != nil {
				j.unread = append(j.unread, &unreadErr{"annotation", append([]byte(nil), k...), err})
				continue
			}
			// Records are looked up by key; one filed under another key
			// would be unreachable by its own ID.
			if a.ID != string(k) {
				j.keys = append(j.keys, fmt.Errorf("annotation %s: stored under key %q", a.ID, k))
			}
			for _, e := range annEntries(&a) {
				j.sum += maphash.Bytes(c.seed, e)
				j.n++
			}
			// Annotations made together sit together in ID order: the
			// last source's text and checkpoints serve the next one.
			if a.SourceID != lastSrc || lastSrc == "" {
				lastSrc = a.SourceID
				last, lastOK = c.views[a.SourceID]
			}
			if !lastOK {
				j.anns = append(j.anns, fmt.Errorf("annotation %s: no source with id %q", a.ID, a.SourceID))
				continue
			}
			if err := annotate.ValidateAnnotationRefs(a, c); err != nil {
				j.anns = append(j.anns, fmt.Errorf("annotation %s: %w", a.ID, err))
				continue
			}
			if a.Anchor == annotate.AnchorOrphan {
				continue
			}
			// The fast check, from the code-point checkpoints; on failure
			// the domain's own check words the problem.
			if !quoteAt(last, a.Selector) && checkIndexed(last.text, last.ridx, a.Selector) != nil {
				if err := annotate.ValidateAnnotation(a, annotate.NewText(last.text), c); err != nil {
					j.anns = append(j.anns, fmt.Errorf("annotation %s: %w", a.ID, err))
				}
			}
		}
		j.recs = nil
	}
	const batch = 512
	cur := b.Cursor()
	k, v := cur.First()
	fill := func() *job {
		j := &job{}
		for ; k != nil && len(j.recs) < batch; k, v = cur.Next() {
			if v == nil {
				continue // nested bucket
			}
			c.release()
			j.recs = append(j.recs, [2][]byte{k, v})
		}
		if len(j.recs) == 0 {
			return nil
		}
		return j
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	type flight struct {
		j    *job
		done chan struct{}
	}
	var inFlight []flight
	for {
		for len(inFlight) < workers+1 {
			j := fill()
			if j == nil {
				break
			}
			f := flight{j, make(chan struct{})}
			inFlight = append(inFlight, f)
			go func() {
				defer close(f.done)
				// A fault reading a damaged map is the batch's problem,
				// as on the caller's goroutine (see guard), not a crash.
				defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
				defer func() {
					if r := recover(); r != nil {
						f.j.unread = append(f.j.unread, &unreadErr{"annotation", append([]byte(nil), f.j.recs[0][0]...), fmt.Errorf("reading this batch of records: %v", r)})
					}
				}()
				work(f.j)
			}()
		}
		if len(inFlight) == 0 {
			return annErrs, unread
		}
		f := inFlight[0]
		inFlight = inFlight[1:]
		<-f.done
		c.keys = append(c.keys, f.j.keys...)
		annErrs = append(annErrs, f.j.anns...)
		unread = append(unread, f.j.unread...)
		c.wantSum += f.j.sum
		c.wantN += f.j.n
	}
}
