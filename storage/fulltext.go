package storage

// Full-text search index, kept in the project file and maintained by the
// change pipeline in the same transaction as the texts it indexes.
//
// Chosen over bleve after measuring both on generated projects (see the
// table below): bleve with its CJK analyser is a second store beside the
// .gloss file that a crash, a copy or a restore from backup can leave out
// of step with the texts, it needs its own rebuild and locking story, and
// it grows the binary by ~17 MB. The n-gram index here is one more bucket:
// it commits or rolls back with the change, costs the changed texts'
// terms per change, and every candidate is verified against the text, so
// positions are exact code points.
//
// Measured on this 2-core machine while other work ran (load 5–15; the
// figures move about 2× with it) on generated projects of 1,000 and
// 10,000 sources (2.15 / 21.5 MB of mixed English and Chinese text; the
// 10k one is /tmp/big/p10k.gloss from genproj) with a rare word put into
// three sources. bleve returns document IDs only, so its query times are
// set beside this index's lookup alone (BenchmarkFullTextCandidates);
// the whole search, verified hits with positions and context, follows.
//
//	                           bleve v2.6.3 (cjk)    this index
//	                           1k        10k         1k           10k
//	build, per source          1.2 ms    1.6 ms      0.24–0.77 ms 0.55–1.2 ms
//	added disk                 9.7 MB    85 MB       1.5 MB       9.6 MB
//	                           (a folder beside)     (buckets in the file)
//	lookup: rare 鲲鹏 (3)       66 µs     63 µs       18 µs        42 µs
//	lookup: common 遣返         2.8 ms    37 ms       0.17 ms      2.7 ms
//	lookup: English charter    2.0 ms    56 ms       0.85 ms      4.6 ms
//	lookup: "charter flights"  4.3 ms    107 ms      6.4 ms       5.9 ms
//	search, rare (3 hits)                            46 µs        24–85 µs
//	search, 遣返 (4,075 / 40,402 hits)                32–106 ms    0.25–0.92 s, first hit 10–47 ms
//	binary growth (cmd/gloss)  +16.9 MB              +0.18 MB
//
// Layout, in five buckets:
//
//	fulltext        v: format and Unicode version; n: next source ordinal (8 bytes)
//	fulltext_ids    source ID -> its ordinal (4 bytes, big-endian)
//	fulltext_ords   ordinal -> source ID
//	fulltext_posts  <ch><k><term> -> the posting of a term in chunk ch (2
//	                bytes) of ordinals; k is 'g' for a CJK unigram or
//	                bigram, 'w' for a folded word (the empty word stands
//	                for an over-long one)
//	fulltext_words  word -> how many sources contain it (uvarint): the
//	                word list that partial words (“migra”) are matched in
//
// Postings are split into chunks of ftChunk ordinals so that a change
// rewrites short values: a chunk is a sorted list of 2-byte offsets, or a
// bitmap once that is smaller. Keys lead with the chunk, and each part
// has its own bucket, so building or importing writes every bucket
// in key order one chunk at a time (bbolt splits nodes only at commit:
// an insert in the middle of a node a large change keeps growing moves
// everything after it) and holds one chunk's postings in memory.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math/bits"
	"runtime"
	"runtime/debug"
	"sort"
	"unicode"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

var (
	bFullText   = []byte("fulltext")
	ftKeyFormat = []byte("v")
	ftKeyNext   = []byte("n")
	// Top-level buckets, not nested ones: the open-time page walk reads
	// only the bucket list's leaves.
	ftSubIDs   = []byte("fulltext_ids")
	ftSubOrds  = []byte("fulltext_ords")
	ftSubPosts = []byte("fulltext_posts")
	ftSubDict  = []byte("fulltext_words")
	ftBuckets  = [][]byte{bFullText, ftSubIDs, ftSubOrds, ftSubPosts, ftSubDict}
)

const (
	ftFormat = "2"
	ftChunk  = 1024
	// ftBitmap is the size of a bitmap chunk; a list longer than this
	// many bytes is stored as a bitmap.
	ftBitmap = ftChunk / 8
	// ftMaxWords bounds how many words one partial-word term may expand
	// to; past it the term narrows nothing and is left to verification.
	ftMaxWords = 4096
	// ftBatch is how many sources are verified per read transaction: a
	// long search must not hold one transaction open (a writer growing
	// the file waits for readers to release the map).
	ftBatch = 64
)

// ftIndex is the index's buckets in one transaction.
type ftIndex struct {
	root, ids, ords, posts, dict *bolt.Bucket
	wrotePosts                   bool // this transaction has written postings
}

// openFT finds a usable index: nil when the file has none, or one of
// another format (which only EnsureFullText rebuilds).
func openFT(tx *bolt.Tx) *ftIndex {
	b := tx.Bucket(bFullText)
	if b == nil || string(b.Get(ftKeyFormat)) != ftVersion() {
		return nil
	}
	x := &ftIndex{root: b, ids: tx.Bucket(ftSubIDs), ords: tx.Bucket(ftSubOrds), posts: tx.Bucket(ftSubPosts), dict: tx.Bucket(ftSubDict)}
	if x.ids == nil || x.ords == nil || x.posts == nil || x.dict == nil {
		return nil
	}
	// A bucket's fill is set per transaction, not kept in the file, and
	// bbolt's default is half. The source lists are filed in key order
	// (new sources get the next ordinals): nine tenths. Postings and the
	// word list are filled in key order when the index is first built
	// (nine tenths), but a later change rewrites them among existing keys:
	// when an import in parts still rewrote each chunk's postings a few
	// times over, splitting those pages nine to one left them 63 % full,
	// half and half 72 % (1.0: 59 %; the word list 40 % against 78 %). An
	// import now writes each chunk once, appended (see ftHeld).
	if !tx.Writable() {
		return x // searches and checks split nothing
	}
	x.ids.FillPercent, x.ords.FillPercent = 0.9, 0.9
	x.posts.FillPercent, x.dict.FillPercent = 0.5, 0.5
	if k, _ := x.posts.Cursor().First(); k == nil {
		x.posts.FillPercent, x.dict.FillPercent = 0.9, 0.9
	}
	return x
}

func (x *ftIndex) next() (uint64, error) {
	raw := x.root.Get(ftKeyNext)
	if len(raw) != 8 {
		return 0, errors.New("full-text index: its source counter cannot be read (run gloss check)")
	}
	return binary.BigEndian.Uint64(raw), nil
}

// ftVersion names the index format and the Unicode tables its tokeniser
// read (letters, marks, scripts): a binary with other tables would cut
// texts differently from the index, so it treats the index as another
// format and leaves it to EnsureFullText to rebuild.
func ftVersion() string { return ftFormat + "/unicode-" + unicode.Version }

func ftOrdKey(ord uint32) []byte { return binary.BigEndian.AppendUint32(nil, ord) }

func ftPostKey(chunk uint16, kind byte, term []byte) []byte {
	k := make([]byte, 0, 3+len(term))
	k = binary.BigEndian.AppendUint16(k, chunk)
	k = append(k, kind)
	return append(k, term...)
}

// decodePosting calls fn with the offsets of a chunk value, in order.
func decodePosting(v []byte, fn func(off uint16)) error {
	if len(v) == 0 {
		return errors.New("empty posting")
	}
	switch v[0] {
	case 'l':
		if (len(v)-1)%2 != 0 {
			return fmt.Errorf("posting list of odd length %d", len(v)-1)
		}
		for i := 1; i+1 < len(v); i += 2 {
			off := binary.BigEndian.Uint16(v[i:])
			if off >= ftChunk {
				return fmt.Errorf("posting offset %d out of range", off)
			}
			fn(off)
		}
	case 'b':
		if len(v) != 1+ftBitmap {
			return fmt.Errorf("posting bitmap of %d bytes", len(v)-1)
		}
		for i, byt := range v[1:] {
			for byt != 0 {
				j := bits.TrailingZeros8(byt)
				fn(uint16(i*8 + j))
				byt &= byt - 1
			}
		}
	default:
		return fmt.Errorf("posting of unknown form %q", v[0])
	}
	return nil
}

// encodePosting writes a sorted set of offsets in the smaller form.
func encodePosting(offs []uint16) []byte {
	if 2*len(offs) <= ftBitmap {
		v := make([]byte, 1, 1+2*len(offs))
		v[0] = 'l'
		for _, o := range offs {
			v = binary.BigEndian.AppendUint16(v, o)
		}
		return v
	}
	v := make([]byte, 1+ftBitmap)
	v[0] = 'b'
	for _, o := range offs {
		v[1+o/8] |= 1 << (o % 8)
	}
	return v
}

// ftDelta gathers the changes of a change so each touched key is read
// and written once, in key order, bucket by bucket.
type ftDelta struct {
	posts map[string]*ftOps // by posting key; flushed chunk by chunk
	df    map[string]int    // by word
	ids   map[string][]byte // ID -> ordinal, nil to delete
	ords  map[string][]byte // ordinal -> ID, nil to delete
}

type ftOps struct{ add, del []uint16 }

func newFTDelta() *ftDelta {
	return &ftDelta{posts: map[string]*ftOps{}, df: map[string]int{}, ids: map[string][]byte{}, ords: map[string][]byte{}}
}

// note files (or, with add false, unfiles) every index term of text
// under ordinal ord. The terms of one text arrive together, so a term
// already noted for ord is the last offset of its list: no per-text set
// is needed to count each term once.
func (d *ftDelta) note(text string, ord uint32, add bool) {
	chunk, off := uint16(ord/ftChunk), uint16(ord%ftChunk)
	kb := binary.BigEndian.AppendUint16(make([]byte, 0, 64), chunk)
	annotate.IndexTerms(text, func(kind byte, term []byte) {
		kb = append(append(kb[:2], kind), term...)
		o := d.posts[string(kb)]
		if o == nil {
			o = &ftOps{}
			d.posts[string(kb)] = o
		}
		list := &o.del
		if add {
			list = &o.add
		}
		if n := len(*list); n > 0 && (*list)[n-1] == off {
			return // this text has it already
		}
		*list = append(*list, off)
		if kind == 'w' && len(term) > 0 { // the over-long marker is no word
			if add {
				d.df[string(term)]++
			} else {
				d.df[string(term)]--
			}
		}
	})
}

func (d *ftDelta) setOrd(id string, ord uint32, present bool) {
	if present {
		d.ids[id] = ftOrdKey(ord)
		d.ords[string(ftOrdKey(ord))] = []byte(id)
	} else {
		d.ids[id] = nil
		d.ords[string(ftOrdKey(ord))] = nil
	}
}

// flushPosts writes the postings gathered so far.
func (d *ftDelta) flushPosts(x *ftIndex) error {
	keys := make([]string, 0, len(d.posts))
	for k := range d.posts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var set [ftChunk / 64]uint64
	var offs []uint16
	for _, k := range keys {
		o := d.posts[k]
		clear(set[:])
		if v := x.posts.Get([]byte(k)); v != nil {
			if err := decodePosting(v, func(off uint16) { set[off/64] |= 1 << (off % 64) }); err != nil {
				return fmt.Errorf("full-text index: posting %q: %v (run gloss check)", k, err)
			}
		}
		for _, off := range o.del {
			set[off/64] &^= 1 << (off % 64)
		}
		for _, off := range o.add {
			set[off/64] |= 1 << (off % 64)
		}
		offs = offs[:0]
		for i, w := range set {
			for w != 0 {
				j := bits.TrailingZeros64(w)
				offs = append(offs, uint16(i*64+j))
				w &= w - 1
			}
		}
		x.wrotePosts = true
		var err error
		if len(offs) == 0 {
			err = x.posts.Delete([]byte(k))
		} else {
			err = x.posts.Put([]byte(k), encodePosting(offs))
		}
		if err != nil {
			return err
		}
	}
	clear(d.posts)
	return nil
}

// finish writes everything else and the counter.
func (d *ftDelta) finish(x *ftIndex, next uint64) error {
	if err := d.flushPosts(x); err != nil {
		return err
	}
	words := make([]string, 0, len(d.df))
	for w, n := range d.df {
		if n != 0 {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	for _, w := range words {
		n := int64(d.df[w])
		if v := x.dict.Get([]byte(w)); v != nil {
			old, m := binary.Uvarint(v)
			if m <= 0 {
				return fmt.Errorf("full-text index: word count of %q cannot be read (run gloss check)", w)
			}
			n += int64(old)
		}
		var err error
		if n <= 0 {
			err = x.dict.Delete([]byte(w))
		} else {
			err = x.dict.Put([]byte(w), binary.AppendUvarint(nil, uint64(n)))
		}
		if err != nil {
			return err
		}
	}
	if err := putAllSorted(x.ids, d.ids); err != nil {
		return err
	}
	if err := putAllSorted(x.ords, d.ords); err != nil {
		return err
	}
	return x.root.Put(ftKeyNext, binary.BigEndian.AppendUint64(nil, next))
}

func putAllSorted(b *bolt.Bucket, m map[string][]byte) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var err error
		if v := m[k]; v != nil {
			err = b.Put([]byte(k), v)
		} else {
			err = b.Delete([]byte(k))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fullTextChange keeps the index in step with a change that Apply has
// accepted; it runs before the change is written, so the texts bucket
// still holds the old texts. Only sources whose text appears, changes or
// goes are read. A file without the index (made before it existed) is
// left without one until EnsureFullText builds it, so it never holds a
// partial index; a file with no texts yet starts one. With held (an
// import's parts) new sources are held back until their chunk is
// complete (see ftHeld).
func fullTextChange(tx *bolt.Tx, c annotate.Change, held *ftHeld) error {
	final := map[string]*string{} // new text of each touched source; nil: gone
	for _, id := range c.DelSources {
		final[id] = nil
	}
	for i := range c.PutSources {
		if c.PutSources[i].Text != "" {
			final[c.PutSources[i].ID] = &c.PutSources[i].Text
		}
	}
	for i := range c.SetTexts {
		final[c.SetTexts[i].SourceID] = &c.SetTexts[i].Text
	}
	if len(final) == 0 {
		return nil
	}
	x := openFT(tx)
	if x == nil {
		if tx.Bucket(bFullText) != nil {
			return nil // another format: unused until EnsureFullText rebuilds it
		}
		if k, _ := tx.Bucket(bTexts).Cursor().First(); k != nil {
			return nil
		}
		var err error
		if x, err = createFullText(tx); err != nil {
			return err
		}
	}
	ids := make([]string, 0, len(final))
	for id := range final {
		ids = append(ids, id)
	}
	sort.Strings(ids) // new sources get ordinals in key order
	present := func(id string) bool { return final[id] != nil }
	text := func(id string) string { return *final[id] }
	if held == nil {
		return ftUpdate(tx, x, ids, present, text)
	}
	if err := held.start(x); err != nil {
		return err
	}
	for _, id := range ids {
		if held.set[id] { // changed again: file it first, then as any other
			if err := held.write(x, true); err != nil {
				return err
			}
			break
		}
	}
	var now, fresh []string
	for _, id := range ids {
		if final[id] != nil && x.ids.Get([]byte(id)) == nil {
			fresh = append(fresh, id)
		} else {
			now = append(now, id)
		}
	}
	if len(now) > 0 {
		if err := ftUpdate(tx, x, now, present, text); err != nil {
			return err
		}
	}
	if err := held.hold(fresh, text); err != nil {
		return err
	}
	return held.write(x, false)
}

func createFullText(tx *bolt.Tx) (*ftIndex, error) {
	b, err := tx.CreateBucket(bFullText)
	if err != nil {
		return nil, err
	}
	if err := b.Put(ftKeyFormat, []byte(ftVersion())); err != nil {
		return nil, err
	}
	if err := b.Put(ftKeyNext, make([]byte, 8)); err != nil {
		return nil, err
	}
	for _, name := range ftBuckets[1:] {
		if _, err := tx.CreateBucket(name); err != nil {
			return nil, err
		}
	}
	return openFT(tx), nil
}

// ftItem is one source to re-file: its ordinal and which of its texts
// (before and after the change) to unfile and file.
type ftItem struct {
	id               string
	ord              uint32
	hasOld, hasNew   bool
	oldText, newText string // filled just before its group is noted
}

// noteGroups notes each group of items into a delta of its own on up to
// GOMAXPROCS goroutines (the terms of a text are pure computation) and
// hands the deltas to use in order, on the calling goroutine. load fills
// a group's texts, also on the calling goroutine, just before the group
// is dispatched, so only the groups in flight hold texts and nothing
// but the caller touches the transaction.
func noteGroups(groups [][]ftItem, load func([]ftItem), use func(*ftDelta) error) error {
	type result struct {
		d   *ftDelta
		err error
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	results := make([]chan result, len(groups))
	var firstErr error
	dispatched := 0
	for used := 0; used < len(groups); used++ {
		for dispatched < len(groups) && dispatched-used < workers {
			g := groups[dispatched]
			load(g)
			ch := make(chan result, 1)
			results[dispatched] = ch
			go func() {
				// Texts may be views of the file's map: a fault reading
				// a damaged or truncated file is an error, as on the
				// caller's goroutine (see guard), not a crash.
				defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
				defer func() {
					if r := recover(); r != nil {
						ch <- result{err: fmt.Errorf("full-text index: reading the texts: %v", r)}
					}
				}()
				d := newFTDelta()
				for i := range g {
					it := &g[i]
					if it.hasOld {
						d.note(it.oldText, it.ord, false)
					}
					if it.hasNew {
						d.note(it.newText, it.ord, true)
					}
					it.oldText, it.newText = "", ""
				}
				ch <- result{d: d}
			}()
			dispatched++
		}
		r := <-results[used]
		results[used] = nil
		if firstErr == nil {
			firstErr = r.err
		}
		if firstErr == nil {
			firstErr = use(r.d)
		}
	}
	return firstErr
}

// ftUpdate re-files the sources ids (sorted): present says whether a
// source has a text after the change and newText gives it; their texts
// before it are read from the texts bucket.
// New sources take the next ordinals in order, and the postings are
// written one chunk of them at a time, so an import holds a few chunks'
// texts and postings in memory and writes in key order.
func ftUpdate(tx *bolt.Tx, x *ftIndex, ids []string, present func(id string) bool, newText func(id string) string) error {
	texts := tx.Bucket(bTexts)
	final := newFTDelta() // ordinals and word counts, written last
	next, err := x.next()
	if err != nil {
		return err
	}
	var groups [][]ftItem
	var cur []ftItem
	for _, id := range ids {
		it := ftItem{id: id}
		ordRaw := x.ids.Get([]byte(id))
		had := ordRaw != nil
		if had {
			if len(ordRaw) != 4 {
				return fmt.Errorf("full-text index: the ordinal of source %s cannot be read (run gloss check)", id)
			}
			it.ord = binary.BigEndian.Uint32(ordRaw)
			it.hasOld = texts.Get([]byte(id)) != nil
		}
		ok := present(id)
		switch {
		case ok && !had:
			if next >= 1<<32 {
				return errors.New("full-text index: out of source numbers")
			}
			it.ord = uint32(next)
			next++
			if it.ord%ftChunk == 0 && len(cur) > 0 {
				groups, cur = append(groups, cur), nil
			}
			final.setOrd(id, it.ord, true)
		case !ok && had:
			final.setOrd(id, it.ord, false)
		}
		it.hasNew = ok
		if it.hasOld || it.hasNew {
			cur = append(cur, it)
		}
	}
	groups = append(groups, cur)
	err = noteGroups(groups, func(g []ftItem) {
		for i := range g {
			// Copies: the postings written meanwhile may grow the file,
			// and bbolt then maps it anew, leaving views of the old
			// map dangling.
			if g[i].hasOld {
				g[i].oldText = string(texts.Get([]byte(g[i].id)))
			}
			if g[i].hasNew {
				g[i].newText = newText(g[i].id)
			}
		}
	}, func(d *ftDelta) error {
		for w, n := range d.df {
			final.df[w] += n
		}
		return d.flushPosts(x)
	})
	if err != nil {
		return err
	}
	return final.finish(x, next)
}

// buildFullText (re)creates the index from every text, in key order.
func buildFullText(tx *bolt.Tx) error {
	for _, name := range ftBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
	}
	x, err := createFullText(tx)
	if err != nil {
		return err
	}
	var ids []string
	if err := tx.Bucket(bTexts).ForEach(func(k, _ []byte) error {
		ids = append(ids, string(k))
		return nil
	}); err != nil {
		return err
	}
	// Nothing is filed yet: every text is new, and ftUpdate reads none
	// as old (no source has an ordinal).
	texts := tx.Bucket(bTexts)
	return ftUpdate(tx, x, ids, func(string) bool { return true }, func(id string) string {
		return string(texts.Get([]byte(id))) // a copy: see ftUpdate
	})
}

// HasFullText reports whether the file holds a full-text index.
func (s *Store) HasFullText() (bool, error) {
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		ok = openFT(tx) != nil
		return nil
	})
	return ok, err
}

// EnsureFullText builds the full-text index when the file has none (a file
// written before it existed) or one of another format. It is one write
// transaction over every text; a read-only store refuses.
func (s *Store) EnsureFullText() error {
	if s.opt.ReadOnly {
		return fmt.Errorf("%s: opened read-only, the full-text index cannot be built", s.path)
	}
	if ok, err := s.HasFullText(); err != nil || ok {
		return err
	}
	return s.update(buildFullText)
}

// RebuildFullText builds the full-text index afresh from the texts; it
// repairs an index that check finds out of step.
func (s *Store) RebuildFullText() error {
	if s.opt.ReadOnly {
		return fmt.Errorf("%s: opened read-only, the full-text index cannot be built", s.path)
	}
	return s.update(buildFullText)
}

// Search streams the hits of query q to fn in source key order (import
// order), until fn returns false or ctx is cancelled (then the error is
// ctx's). With the index only the sources holding every term of the query
// are read; without it (an older file opened read-only) every text is.
// Each batch of sources is read in its own short transaction, and fn is
// never called inside one, so a slow consumer blocks no writer.
func (s *Store) Search(ctx context.Context, q string, fn func(annotate.SearchHit) bool) error {
	pq, err := annotate.ParseQuery(q)
	if err != nil {
		return err
	}
	var cands []string
	scanAll := true
	if terms := pq.Terms(); len(terms) > 0 {
		err = s.view(func(tx *bolt.Tx) error {
			x := openFT(tx)
			if x == nil {
				return nil
			}
			scanAll = false
			cands, err = x.candidates(ctx, terms)
			return err
		})
		if err != nil {
			return err
		}
	}
	var hits []annotate.SearchHit
	collect := func(h annotate.SearchHit) bool { hits = append(hits, h); return true }
	flush := func() bool {
		for _, h := range hits {
			if !fn(h) {
				return false
			}
		}
		hits = hits[:0]
		return true
	}
	if scanAll {
		var after []byte
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			n := 0
			err := s.view(func(tx *bolt.Tx) error {
				c := tx.Bucket(bTexts).Cursor()
				k, v := c.First()
				if after != nil {
					if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
						k, v = c.Next()
					}
				}
				for ; k != nil && n < ftBatch; k, v = c.Next() {
					pq.Find(string(k), unsafe.String(unsafe.SliceData(v), len(v)), collect)
					after = append(after[:0], k...)
					n++
				}
				return nil
			})
			if err != nil {
				return err
			}
			if !flush() || n < ftBatch {
				return ctx.Err()
			}
		}
	}
	for len(cands) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := cands[:min(ftBatch, len(cands))]
		cands = cands[len(batch):]
		if err := s.view(func(tx *bolt.Tx) error {
			texts := tx.Bucket(bTexts)
			for _, id := range batch {
				if v := texts.Get([]byte(id)); v != nil {
					pq.Find(id, unsafe.String(unsafe.SliceData(v), len(v)), collect)
				}
			}
			return nil
		}); err != nil {
			return err
		}
		if !flush() {
			return nil
		}
	}
	return ctx.Err()
}

// candidates lists, sorted, the IDs of the sources holding every term.
func (x *ftIndex) candidates(ctx context.Context, terms []annotate.SearchTerm) ([]string, error) {
	n, err := x.next()
	if err != nil {
		return nil, err
	}
	// Exact terms first: they are cheap and usually narrow the most.
	sort.SliceStable(terms, func(i, j int) bool {
		return terms[i].Kind <= annotate.TermWord && terms[j].Kind > annotate.TermWord
	})
	var have []uint64 // nil: no term applied yet
	for _, t := range terms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		set, ok, err := x.termSet(t, n)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // too broad to narrow anything
		}
		if have == nil {
			have = set
			continue
		}
		empty := true
		for i := range have {
			have[i] &= set[i]
			empty = empty && have[i] == 0
		}
		if empty {
			return nil, nil
		}
	}
	if have == nil {
		have = make([]uint64, (n+63)/64)
		for i := range have {
			have[i] = ^uint64(0)
		}
	}
	var ids []string
	for i, w := range have {
		for w != 0 {
			j := bits.TrailingZeros64(w)
			w &= w - 1
			if o := uint64(i*64 + j); o < n {
				if id := x.ords.Get(ftOrdKey(uint32(o))); id != nil {
					ids = append(ids, string(id))
				}
			}
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// termSet is the set of ordinals of sources holding term t; ok is false
// when the term matches too many words to be worth the lookups.
func (x *ftIndex) termSet(t annotate.SearchTerm, n uint64) ([]uint64, bool, error) {
	set := make([]uint64, (n+63)/64)
	chunks := (n + ftChunk - 1) / ftChunk
	posting := func(kind byte, term []byte) error {
		for ch := uint64(0); ch < chunks; ch++ {
			v := x.posts.Get(ftPostKey(uint16(ch), kind, term))
			if v == nil {
				continue
			}
			base := ch * ftChunk
			if err := decodePosting(v, func(off uint16) {
				if o := base + uint64(off); o < n {
					set[o/64] |= 1 << (o % 64)
				}
			}); err != nil {
				return fmt.Errorf("full-text index: posting of %q: %v (run gloss check)", term, err)
			}
		}
		return nil
	}
	switch t.Kind {
	case annotate.TermGram:
		return set, true, posting('g', []byte(t.Text))
	case annotate.TermWord:
		return set, true, posting('w', []byte(t.Text))
	}
	// A partial word: look it up in the word list first.
	var words [][]byte
	c := x.dict.Cursor()
	var prefix []byte
	if t.Kind == annotate.TermPrefix {
		prefix = []byte(t.Text)
	}
	k, _ := c.First()
	if prefix != nil {
		k, _ = c.Seek(prefix)
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) > 0 && annotate.MatchTerm(t, unsafe.String(unsafe.SliceData(k), len(k))) {
			if len(words) == ftMaxWords {
				return nil, false, nil
			}
			words = append(words, k)
		}
	}
	if t.Kind != annotate.TermPrefix {
		words = append(words, nil) // over-long words are filed only by their start
	}
	for _, w := range words {
		if err := posting('w', w); err != nil {
			return nil, false, err
		}
	}
	return set, true, nil
}

// checkFullText compares the index with the texts. The fast pass keeps
// no posting: per chunk of sources it adds up a hash of every (term,
// source) pair the texts imply and of every pair the postings list, and
// over the whole index a hash of every (word, source) pair against the
// word list's counts. Only a chunk (or a word list) whose sums differ is
// computed term by term and compared entry by entry, which words the
// problems; a sum that differs for no real difference (two terms of a
// text with one hash) so reports nothing. release is called per text.
func checkFullText(tx *bolt.Tx, release func()) []error {
	b := tx.Bucket(bFullText)
	if b == nil {
		return nil // made before the index existed; search reads every text
	}
	var problems []error
	bad := func(format string, args ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Errorf("full-text index: "+format, args...))
		} else if len(problems) == 20 {
			problems = append(problems, errors.New("full-text index: … and more problems (gloss search --reindex rebuilds it)"))
		}
	}
	x := openFT(tx)
	if x == nil {
		bad("format %q or its buckets are not what this version writes (gloss search --reindex rebuilds it)", b.Get(ftKeyFormat))
		return problems
	}
	next, err := x.next()
	if err != nil {
		bad("the source counter cannot be read")
		return problems
	}
	texts := tx.Bucket(bTexts)
	// An import cut short holds its new sources out of the index until
	// the next writable open takes it out (see ftHeld).
	importing := tx.Bucket(bImport) != nil
	_ = texts.ForEach(func(k, _ []byte) error {
		if v := x.ids.Get(k); len(v) != 4 && !(importing && v == nil) {
			bad("source %s is not indexed", k)
		}
		return nil
	})
	_ = x.ids.ForEach(func(k, v []byte) error {
		switch {
		case texts.Get(k) == nil:
			bad("stale entry for source %s, which has no text", k)
		case len(v) != 4 || string(x.ords.Get(v)) != string(k):
			bad("source %s: its ordinal %x does not name it back", k, v)
		}
		return nil
	})
	oc := x.ords.Cursor()
	pc := x.posts.Cursor()
	chunks := (next + ftChunk - 1) / ftChunk
	// One group per chunk, empty ones too: their postings must be absent.
	groups := make([][]ftItem, chunks)
	for k, v := oc.First(); k != nil; k, v = oc.Next() {
		if len(k) != 4 {
			bad("ordinal key %x", k)
			continue
		}
		ord := binary.BigEndian.Uint32(k)
		if uint64(ord) >= next {
			bad("ordinal %d beyond the counter %d", ord, next)
			continue
		}
		if string(x.ids.Get(v)) != string(k) {
			bad("ordinal %d names source %s, which does not name it back", ord, v)
		}
		if texts.Get(v) == nil {
			continue // reported above
		}
		ch := ord / ftChunk
		groups[ch] = append(groups[ch], ftItem{id: string(v), ord: ord, hasNew: true})
	}
	textOf := func(id string) string {
		// A read transaction: the map cannot move under it.
		raw := texts.Get([]byte(id))
		return unsafe.String(unsafe.SliceData(raw), len(raw))
	}

	// The fast pass, chunk by chunk.
	h := ftHasher{seed: maphash.MakeSeed()}
	var words uint64 // Σ h(w‖word) over the distinct words of each text
	var differ []bool
	for ch, g := range groups {
		var want ftSum
		for _, it := range g {
			want.add(h.text(textOf(it.id), it.ord, &words))
			release()
		}
		var got ftSum
		ok := true
		prefix := binary.BigEndian.AppendUint16(nil, uint16(ch))
		for k, v := pc.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = pc.Next() {
			th := h.key(k[2:])
			base := uint32(ch) * ftChunk
			if decodePosting(v, func(off uint16) { got.pair(th, base+uint32(off)) }) != nil {
				ok = false // the entry-by-entry pass words it
			}
		}
		if !ok || got != want {
			if differ == nil {
				differ = make([]bool, chunks)
			}
			differ[ch] = true
		}
	}
	if k, _ := pc.Seek(binary.BigEndian.AppendUint16(nil, uint16(chunks))); k != nil && chunks < 1<<16 {
		bad("posting %q beyond the last source", k)
	}
	dictOK := true
	var dictSum uint64
	wk := []byte{'w'}
	_ = x.dict.ForEach(func(k, v []byte) error {
		n, m := binary.Uvarint(v)
		if m <= 0 {
			dictOK = false
		}
		wk = append(wk[:1], k...)
		dictSum += n * h.key(wk)
		return nil
	})
	dictOK = dictOK && dictSum == words
	if differ == nil && dictOK {
		return problems
	}

	// The slow pass, only where the sums differ: every chunk's terms are
	// needed for the word counts, the postings only of chunks that differ.
	var df map[string]int
	var slow [][]ftItem
	var slowCh []int
	for ch, g := range groups {
		if !dictOK || differ[ch] {
			slow = append(slow, g)
			slowCh = append(slowCh, ch)
		}
	}
	if !dictOK {
		df = map[string]int{}
	}
	done := 0
	err = noteGroups(slow, func(g []ftItem) {
		for i := range g {
			g[i].newText = textOf(g[i].id)
		}
	}, func(want *ftDelta) error {
		ch := slowCh[done]
		done++
		for w, n := range want.df {
			if df != nil {
				df[w] += n
			}
		}
		if differ != nil && differ[ch] {
			comparePostings(pc, uint16(ch), want, bad)
		}
		return nil
	})
	if err != nil {
		bad("%v", err)
	}
	if df == nil {
		return problems
	}
	_ = x.dict.ForEach(func(k, v []byte) error {
		n, m := binary.Uvarint(v)
		if m <= 0 || int(n) != df[string(k)] {
			bad("word %q is counted in %d sources, the texts have it in %d", k, n, df[string(k)])
		}
		delete(df, string(k))
		return nil
	})
	missing := make([]string, 0, len(df))
	for w, n := range df {
		if n != 0 {
			missing = append(missing, w)
		}
	}
	sort.Strings(missing)
	for _, w := range missing {
		bad("word %q is not in the word list", w)
	}
	return problems
}

// comparePostings compares chunk ch's postings, entry by entry, with
// those its texts imply.
func comparePostings(pc *bolt.Cursor, ch uint16, want *ftDelta, bad func(string, ...any)) {
	first, last := int(ch)*ftChunk, (int(ch)+1)*ftChunk-1
	prefix := binary.BigEndian.AppendUint16(nil, ch)
	for k, v := pc.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = pc.Next() {
		o := want.posts[string(k)]
		delete(want.posts, string(k))
		var got []uint16
		if err := decodePosting(v, func(off uint16) { got = append(got, off) }); err != nil {
			bad("posting %q: %v", k[2:], err)
			continue
		}
		var exp []uint16
		if o != nil {
			exp = o.add
			sort.Slice(exp, func(i, j int) bool { return exp[i] < exp[j] })
		}
		if !slicesEqual(got, exp) {
			bad("posting %q (sources %d–%d) lists %d sources, the texts %d", k[2:], first, last, len(got), len(exp))
		}
	}
	missing := make([]string, 0, len(want.posts))
	for k := range want.posts {
		missing = append(missing, k)
	}
	sort.Strings(missing)
	for _, k := range missing {
		bad("posting %q (sources %d–%d) is missing", k[2:], first, last)
	}
}

// ftSum sums what a chunk's postings hold, or its texts imply: a hash of
// each (term, source) pair, and how many there are.
type ftSum struct {
	sum uint64
	n   int
}

func (s *ftSum) pair(term uint64, ord uint32) {
	s.sum += mix64(term ^ (uint64(ord)+1)*0x9e3779b97f4a7c15)
	s.n++
}

func (s *ftSum) add(o ftSum) { s.sum += o.sum; s.n += o.n }

// mix64 is SplitMix64's finaliser: a pair's hash must change wholly with
// its source, or sums over a chunk could cancel out.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// ftHasher hashes index terms and counts each once per text, with a set
// of hashes reused from text to text.
type ftHasher struct {
	seed maphash.Seed
	buf  []byte
	set  []uint64 // open addressing; 0 is empty
	n    int
}

// key hashes a posting key less its chunk: the kind, then the term.
func (h *ftHasher) key(k []byte) uint64 {
	v := maphash.Bytes(h.seed, k)
	if v == 0 {
		v = 1
	}
	return v
}

// text sums the pairs of one text's distinct terms with ordinal ord,
// and adds the hash of each distinct word to words.
func (h *ftHasher) text(text string, ord uint32, words *uint64) ftSum {
	if len(h.set) == 0 {
		h.set = make([]uint64, 1024)
	}
	clear(h.set)
	h.n = 0
	var s ftSum
	annotate.IndexTerms(text, func(kind byte, term []byte) {
		h.buf = append(append(h.buf[:0], kind), term...)
		v := h.key(h.buf)
		if !h.insert(v) {
			return // this text has it already
		}
		s.pair(v, ord)
		if kind == 'w' && len(term) > 0 { // the over-long marker is no word
			*words += v
		}
	})
	return s
}

// insert adds v to the set, reporting whether it was new.
func (h *ftHasher) insert(v uint64) bool {
	if 2*(h.n+1) > len(h.set) {
		old := h.set
		h.set = make([]uint64, 2*len(old))
		for _, o := range old {
			if o != 0 {
				h.place(o)
			}
		}
	}
	if !h.place(v) {
		return false
	}
	h.n++
	return true
}

func (h *ftHasher) place(v uint64) bool {
	mask := uint64(len(h.set) - 1)
	for i := v & mask; ; i = (i + 1) & mask {
		switch h.set[i] {
		case 0:
			h.set[i] = v
			return true
		case v:
			return false
		}
	}
}

func slicesEqual(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
