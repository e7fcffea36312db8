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
// TABLE
//
// Layout of bucket "fulltext" (keys are a one-byte kind and a body):
//
//	v              format version
//	n              next source ordinal (8 bytes, big-endian)
//	i<source ID>   the source's ordinal (4 bytes)
//	o<ordinal>     the source ID of an ordinal (ordinal: 4 bytes)
//	g<gram>\0<ch>  posting of a CJK unigram or bigram in chunk ch (2 bytes)
//	w<word>\0<ch>  posting of a folded word (the empty word: an over-long one)
//	d<word>        how many sources contain the word (uvarint): the word
//	               list that partial words (“migra”) are matched against
//
// Postings are split into chunks of ftChunk ordinals so that a change
// rewrites short values: a chunk is a sorted list of 2-byte offsets, or a
// bitmap once that is smaller.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"sort"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

var bFullText = []byte("fulltext")

const (
	ftFormat = "1"
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

var (
	ftKeyFormat = []byte("v")
	ftKeyNext   = []byte("n")
)

func ftOrdKey(ord uint32) []byte {
	k := make([]byte, 5)
	k[0] = 'o'
	binary.BigEndian.PutUint32(k[1:], ord)
	return k
}

func ftIDKey(id string) []byte { return append([]byte{'i'}, id...) }

func ftPostKey(kind byte, term []byte, chunk uint16) []byte {
	k := make([]byte, 0, len(term)+4)
	k = append(k, kind)
	k = append(k, term...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint16(k, chunk)
}

// decodePosting adds the offsets of a chunk value to set.
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

// termSet is the distinct index terms of one text, as kind+term strings.
func termSet(text string) map[string]struct{} {
	set := make(map[string]struct{}, len(text)/8)
	var key []byte
	annotate.IndexTerms(text, func(kind byte, term []byte) {
		key = append(append(key[:0], kind), term...)
		if _, ok := set[string(key)]; !ok {
			set[string(key)] = struct{}{}
		}
	})
	return set
}

// ftDelta gathers the changes of a change (postings, word counts, source
// ordinals) so each touched key is read and written once, all in key
// order: bbolt splits nodes only at commit, so an insert in the middle of
// a node that a large change keeps growing moves everything after it.
type ftDelta struct {
	posts map[string]*ftOps // by posting key
	df    map[string]int    // by word
	raw   map[string][]byte // other keys: the value to put, nil to delete
}

type ftOps struct{ add, del []uint16 }

func newFTDelta() *ftDelta {
	return &ftDelta{posts: map[string]*ftOps{}, df: map[string]int{}, raw: map[string][]byte{}}
}

func (d *ftDelta) note(terms map[string]struct{}, ord uint32, add bool) {
	chunk, off := uint16(ord/ftChunk), uint16(ord%ftChunk)
	for t := range terms {
		k := string(ftPostKey(t[0], []byte(t[1:]), chunk))
		o := d.posts[k]
		if o == nil {
			o = &ftOps{}
			d.posts[k] = o
		}
		if add {
			o.add = append(o.add, off)
		} else {
			o.del = append(o.del, off)
		}
		if t[0] == 'w' {
			if add {
				d.df[t[1:]]++
			} else {
				d.df[t[1:]]--
			}
		}
	}
}

func (d *ftDelta) apply(b *bolt.Bucket) error {
	keys := make([]string, 0, len(d.posts)+len(d.df)+len(d.raw))
	for k := range d.posts {
		keys = append(keys, k)
	}
	for w, n := range d.df {
		if n != 0 {
			keys = append(keys, "d"+w)
		}
	}
	for k := range d.raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var set [ftChunk / 64]uint64
	var offs []uint16
	for _, k := range keys {
		var err error
		switch o := d.posts[k]; {
		case o != nil:
			err = d.applyPosting(b, k, o, &set, offs[:0])
		case k[0] == 'd':
			err = d.applyCount(b, k)
		default:
			if v := d.raw[k]; v != nil {
				err = b.Put([]byte(k), v)
			} else {
				err = b.Delete([]byte(k))
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *ftDelta) applyPosting(b *bolt.Bucket, k string, o *ftOps, set *[ftChunk / 64]uint64, offs []uint16) error {
	clear(set[:])
	if v := b.Get([]byte(k)); v != nil {
		if err := decodePosting(v, func(off uint16) { set[off/64] |= 1 << (off % 64) }); err != nil {
			return fmt.Errorf("full-text index: %q: %v (run gloss check)", k, err)
		}
	}
	for _, off := range o.del {
		set[off/64] &^= 1 << (off % 64)
	}
	for _, off := range o.add {
		set[off/64] |= 1 << (off % 64)
	}
	for i, w := range set {
		for w != 0 {
			j := bits.TrailingZeros64(w)
			offs = append(offs, uint16(i*64+j))
			w &= w - 1
		}
	}
	if len(offs) == 0 {
		return b.Delete([]byte(k))
	}
	return b.Put([]byte(k), encodePosting(offs))
}

func (d *ftDelta) applyCount(b *bolt.Bucket, k string) error {
	n := int64(d.df[k[1:]])
	if v := b.Get([]byte(k)); v != nil {
		old, m := binary.Uvarint(v)
		if m <= 0 {
			return fmt.Errorf("full-text index: word count of %q cannot be read (run gloss check)", k[1:])
		}
		n += int64(old)
	}
	if n <= 0 {
		return b.Delete([]byte(k))
	}
	return b.Put([]byte(k), binary.AppendUvarint(nil, uint64(n)))
}

// fullTextChange keeps the index in step with a change that Apply has
// accepted; it runs before the change is written, so the texts bucket
// still holds the old texts. Only sources whose text appears, changes or
// goes are read. A file without the index (made before it existed) is
// left without one until EnsureFullText builds it, so it never holds a
// partial index; a file with no texts yet starts one.
func fullTextChange(tx *bolt.Tx, c annotate.Change) error {
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
	b := tx.Bucket(bFullText)
	if b != nil && !ftReady(b) {
		return nil // another format: unused until EnsureFullText rebuilds it
	}
	if b == nil {
		if k, _ := tx.Bucket(bTexts).Cursor().First(); k != nil {
			return nil
		}
		var err error
		if b, err = createFullText(tx); err != nil {
			return err
		}
	}
	ids := make([]string, 0, len(final))
	for id := range final {
		ids = append(ids, id)
	}
	sort.Strings(ids) // new sources get ordinals in key order
	return ftUpdate(tx, b, ids, func(id string) (string, bool) {
		if t := final[id]; t != nil {
			return *t, true
		}
		return "", false
	})
}

func createFullText(tx *bolt.Tx) (*bolt.Bucket, error) {
	b, err := tx.CreateBucket(bFullText)
	if err != nil {
		return nil, err
	}
	if err := b.Put(ftKeyFormat, []byte(ftFormat)); err != nil {
		return nil, err
	}
	return b, b.Put(ftKeyNext, make([]byte, 8))
}

// ftUpdate re-files the sources ids (sorted), whose texts after the change
// newText gives; their texts before it are read from the texts bucket.
func ftUpdate(tx *bolt.Tx, b *bolt.Bucket, ids []string, newText func(id string) (string, bool)) error {
	texts := tx.Bucket(bTexts)
	d := newFTDelta()
	nextRaw := b.Get(ftKeyNext)
	if len(nextRaw) != 8 {
		return errors.New("full-text index: its source counter cannot be read (run gloss check)")
	}
	next := binary.BigEndian.Uint64(nextRaw)
	for _, id := range ids {
		var ord uint32
		ordRaw := b.Get(ftIDKey(id))
		had := ordRaw != nil
		if had {
			if len(ordRaw) != 4 {
				return fmt.Errorf("full-text index: the ordinal of source %s cannot be read (run gloss check)", id)
			}
			ord = binary.BigEndian.Uint32(ordRaw)
			if old := texts.Get([]byte(id)); old != nil {
				d.note(termSet(unsafe.String(unsafe.SliceData(old), len(old))), ord, false)
			}
		}
		text, ok := newText(id)
		switch {
		case ok && !had:
			if next >= 1<<32 {
				return errors.New("full-text index: out of source numbers")
			}
			ord = uint32(next)
			next++
			d.raw[string(ftIDKey(id))] = binary.BigEndian.AppendUint32(nil, ord)
			d.raw[string(ftOrdKey(ord))] = []byte(id)
		case !ok && had:
			d.raw[string(ftIDKey(id))] = nil
			d.raw[string(ftOrdKey(ord))] = nil
		}
		if ok {
			d.note(termSet(text), ord, true)
		}
	}
	d.raw[string(ftKeyNext)] = binary.BigEndian.AppendUint64(nil, next)
	return d.apply(b)
}

// buildFullText (re)creates the index from every text, in key order.
func buildFullText(tx *bolt.Tx) error {
	if tx.Bucket(bFullText) != nil {
		if err := tx.DeleteBucket(bFullText); err != nil {
			return err
		}
	}
	b, err := createFullText(tx)
	if err != nil {
		return err
	}
	b.FillPercent = 0.9 // filled in key order; leave room for later changes
	var ids []string
	err = tx.Bucket(bTexts).ForEach(func(k, _ []byte) error {
		ids = append(ids, string(k))
		return nil
	})
	if err != nil {
		return err
	}
	texts := tx.Bucket(bTexts)
	// Nothing is filed yet, so nothing is read as old: every text is new.
	d := newFTDelta()
	for i, id := range ids {
		ord := uint32(i)
		d.raw[string(ftIDKey(id))] = binary.BigEndian.AppendUint32(nil, ord)
		d.raw[string(ftOrdKey(ord))] = []byte(id)
		raw := texts.Get([]byte(id))
		d.note(termSet(unsafe.String(unsafe.SliceData(raw), len(raw))), ord, true)
	}
	d.raw[string(ftKeyNext)] = binary.BigEndian.AppendUint64(nil, uint64(len(ids)))
	return d.apply(b)
}

// HasFullText reports whether the file holds a full-text index.
func (s *Store) HasFullText() (bool, error) {
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		ok = ftReady(tx.Bucket(bFullText))
		return nil
	})
	return ok, err
}

func ftReady(b *bolt.Bucket) bool {
	return b != nil && string(b.Get(ftKeyFormat)) == ftFormat
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
			b := tx.Bucket(bFullText)
			if !ftReady(b) {
				return nil
			}
			scanAll = false
			cands, err = ftCandidates(ctx, b, terms)
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

// ftCandidates lists, sorted, the IDs of the sources holding every term.
func ftCandidates(ctx context.Context, b *bolt.Bucket, terms []annotate.SearchTerm) ([]string, error) {
	nextRaw := b.Get(ftKeyNext)
	if len(nextRaw) != 8 {
		return nil, errors.New("full-text index: its source counter cannot be read (run gloss check)")
	}
	n := binary.BigEndian.Uint64(nextRaw)
	// Exact terms first: they are cheap and usually narrow the most.
	sort.SliceStable(terms, func(i, j int) bool {
		return (terms[i].Kind <= annotate.TermWord) && terms[j].Kind > annotate.TermWord
	})
	var have []uint64 // nil: no term applied yet
	for _, t := range terms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		set, ok, err := ftTermSet(b, t, n)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // too broad to narrow anything
		}
		if have == nil {
			have = set
		} else {
			empty := true
			for i := range have {
				have[i] &= set[i]
				empty = empty && have[i] == 0
			}
			if empty {
				return nil, nil
			}
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
			if id := b.Get(ftOrdKey(uint32(i*64 + j))); id != nil {
				ids = append(ids, string(id))
			}
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// ftTermSet is the set of ordinals of sources holding term t; ok is false
// when the term matches too many words to be worth the lookups.
func ftTermSet(b *bolt.Bucket, t annotate.SearchTerm, n uint64) ([]uint64, bool, error) {
	set := make([]uint64, (n+63)/64)
	c := b.Cursor()
	posting := func(kind byte, term []byte) error {
		prefix := append(append([]byte{kind}, term...), 0)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+2 {
				continue // a longer term's key never shares the NUL; be safe
			}
			base := uint64(binary.BigEndian.Uint16(k[len(prefix):])) * ftChunk
			if err := decodePosting(v, func(off uint16) {
				if o := base + uint64(off); o < n {
					set[o/64] |= 1 << (o % 64)
				}
			}); err != nil {
				return fmt.Errorf("full-text index: %q: %v (run gloss check)", k, err)
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
	dc := b.Cursor()
	prefix := []byte{'d'}
	if t.Kind == annotate.TermPrefix {
		prefix = append(prefix, t.Text...)
	}
	for k, _ := dc.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = dc.Next() {
		w := k[1:]
		if len(w) > 0 && annotate.MatchTerm(t, unsafe.String(unsafe.SliceData(w), len(w))) {
			if len(words) == ftMaxWords {
				return nil, false, nil
			}
			words = append(words, w)
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

// checkFullText compares the index with one computed from the texts.
func checkFullText(tx *bolt.Tx) []error {
	b := tx.Bucket(bFullText)
	if b == nil {
		return nil // made before the index existed; search reads every text
	}
	var problems []error
	bad := func(format string, args ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Errorf("full-text index: "+format, args...))
		} else if len(problems) == 20 {
			problems = append(problems, errors.New("full-text index: … and more problems (rebuild it with gloss search --reindex)"))
		}
	}
	if v := string(b.Get(ftKeyFormat)); v != ftFormat {
		bad("format %q, expected %q", v, ftFormat)
		return problems
	}
	nextRaw := b.Get(ftKeyNext)
	if len(nextRaw) != 8 {
		bad("the source counter cannot be read")
		return problems
	}
	next := binary.BigEndian.Uint64(nextRaw)
	want := newFTDelta()
	ords := map[uint32]string{}
	_ = tx.Bucket(bTexts).ForEach(func(k, v []byte) error {
		raw := b.Get(ftIDKey(string(k)))
		if len(raw) != 4 {
			bad("source %s is not indexed", k)
			return nil
		}
		ord := binary.BigEndian.Uint32(raw)
		if uint64(ord) >= next {
			bad("source %s has ordinal %d beyond the counter %d", k, ord, next)
		}
		if other, dup := ords[ord]; dup {
			bad("sources %s and %s share ordinal %d", other, k, ord)
		}
		ords[ord] = string(k)
		if got := string(b.Get(ftOrdKey(ord))); got != string(k) {
			bad("ordinal %d names %q, not source %s", ord, got, k)
		}
		want.note(termSet(unsafe.String(unsafe.SliceData(v), len(v))), ord, true)
		return nil
	})
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		switch k[0] {
		case 'v', 'n':
		case 'i':
			if tx.Bucket(bTexts).Get(k[1:]) == nil {
				bad("stale entry for source %s, which has no text", k[1:])
			}
		case 'o':
			if len(k) != 5 || ords[binary.BigEndian.Uint32(k[1:])] != string(v) {
				bad("stale ordinal entry %q → %s", k, v)
			}
		case 'g', 'w':
			o := want.posts[string(k)]
			delete(want.posts, string(k))
			var got []uint16
			if err := decodePosting(v, func(off uint16) { got = append(got, off) }); err != nil {
				bad("%q: %v", k, err)
				continue
			}
			var exp []uint16
			if o != nil {
				exp = o.add
				sort.Slice(exp, func(i, j int) bool { return exp[i] < exp[j] })
			}
			if !slicesEqual(got, exp) {
				bad("posting %q lists %d sources, the texts %d", k, len(got), len(exp))
			}
		case 'd':
			n, m := binary.Uvarint(v)
			if m <= 0 || int(n) != want.df[string(k[1:])] {
				bad("word %q is counted in %d sources, the texts have it in %d", k[1:], n, want.df[string(k[1:])])
			}
			delete(want.df, string(k[1:]))
		default:
			bad("unknown key %q", k)
		}
	}
	missing := make([]string, 0, len(want.posts))
	for k := range want.posts {
		missing = append(missing, k)
	}
	sort.Strings(missing)
	for _, k := range missing {
		bad("posting %q is missing", k)
	}
	for w, n := range want.df {
		if n > 0 {
			bad("word %q is not in the word list", w)
		}
	}
	return problems
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
