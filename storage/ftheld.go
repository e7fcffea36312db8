package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
)

// ftHeld keeps the full-text entries of an import's new sources out of
// the file until their chunk of ordinals is complete (or the import
// ends), so each chunk's postings are written once, after every key the
// postings have, in full pages. Written part by part, a chunk of 1,024
// sources was rewritten by each of the three or so parts that added to
// it: every rewrite freed its pages and split them half and half, and
// the postings of a 10,000-source import were 606 pages 70 % full
// against 474 at 90 % written in one change.
//
// A held source is absent from the index altogether (no ordinal, no
// postings, no word counts), and the counter stays at the first held
// ordinal, so the file is consistent after every part: an import cut
// short is taken out by its undo, which finds nothing to unfile for a
// source without an ordinal. Until the import ends a search does not
// find the held sources; nothing else writes meanwhile (see Import).
type ftHeld struct {
	base   uint64          // the file's counter: the first held ordinal
	next   uint64          // the ordinal the next new source gets
	ids    []string        // held sources, by ordinal from base
	deltas []*ftDelta      // their entries, each within one chunk, in order
	chunk  []uint16        // the chunk of each delta
	set    map[string]bool // ids, to tell a held source from a new one

	// What the transaction under way changed, to undo it if it rolls back
	// and to forget the written sources once it commits.
	saved        ftHeldState
	added, wrote []string
}

type ftHeldState struct {
	base, next uint64
	ids        []string
	deltas     []*ftDelta
	chunk      []uint16
}

func newFTHeld() *ftHeld { return &ftHeld{set: map[string]bool{}} }

// begin marks the start of a transaction; end(ok) keeps or drops what
// it did to h.
func (h *ftHeld) begin() {
	h.saved = ftHeldState{h.base, h.next, h.ids, h.deltas, h.chunk}
	h.added, h.wrote = h.added[:0], h.wrote[:0]
}

func (h *ftHeld) end(ok bool) {
	if ok {
		for _, id := range h.wrote {
			delete(h.set, id)
		}
	} else {
		st := h.saved
		h.base, h.next, h.ids, h.deltas, h.chunk = st.base, st.next, st.ids, st.deltas, st.chunk
		for _, id := range h.added {
			delete(h.set, id)
		}
	}
	h.saved, h.added, h.wrote = ftHeldState{}, h.added[:0], h.wrote[:0]
}

// start takes the file's counter when nothing is held, and refuses when
// the file has moved under what is held.
func (h *ftHeld) start(x *ftIndex) error {
	n, err := x.next()
	if err != nil {
		return err
	}
	if len(h.ids) == 0 {
		h.base, h.next = n, n
		return nil
	}
	if n != h.base {
		return fmt.Errorf("full-text index: its counter moved from %d to %d during an import", h.base, n)
	}
	return nil
}

// hold takes new sources (sorted) with their text; their entries are
// noted now, while the transaction holds the texts.
func (h *ftHeld) hold(ids []string, newText func(id string) string) error {
	var groups [][]ftItem
	var cur []ftItem
	for _, id := range ids {
		if h.next >= 1<<32 {
			return fmt.Errorf("full-text index: out of source numbers")
		}
		ord := uint32(h.next)
		h.next++
		if ord%ftChunk == 0 && len(cur) > 0 {
			groups, cur = append(groups, cur), nil
		}
		cur = append(cur, ftItem{id: id, ord: ord, hasNew: true})
		h.ids = append(h.ids, id)
		h.set[id] = true
		h.added = append(h.added, id)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	i := 0
	return noteGroups(groups, func(g []ftItem) {
		for j := range g {
			g[j].newText = newText(g[j].id)
		}
	}, func(d *ftDelta) error {
		h.deltas = append(h.deltas, d)
		h.chunk = append(h.chunk, uint16(groups[i][0].ord/ftChunk))
		i++
		return nil
	})
}

// write files the held sources of every complete chunk, or with all
// every held source, and moves the counter past them.
func (h *ftHeld) write(x *ftIndex, all bool) error {
	for len(h.ids) > 0 {
		ch := uint16(h.base / ftChunk)
		end := (uint64(ch) + 1) * ftChunk
		if h.next < end && !all {
			return nil
		}
		end = min(end, h.next)
		n := int(end - h.base)
		d := newFTDelta()
		for i, id := range h.ids[:n] {
			d.setOrd(id, uint32(h.base)+uint32(i), true)
		}
		k := 0
		for k < len(h.deltas) && h.chunk[k] == ch {
			mergeDelta(d, h.deltas[k])
			k++
		}
		// The chunk's keys go after every key the postings have unless
		// the project's last chunk was part full when the import began.
		if first := minKey(d.posts); first != nil && !x.wrotePosts {
			if last, _ := x.posts.Cursor().Last(); last == nil || bytes.Compare(first, last) > 0 {
				x.posts.FillPercent = 1.0
			}
		}
		// A chunk's words are spread over the whole list: as many words as
		// it has pages touch most of them (and each page an insert splits
		// is cut in half). Fewer (a small import into a large project)
		// are updated in place.
		if len(d.df) >= x.dict.Stats().LeafPageN {
			if err := rewriteDict(x, d.df); err != nil {
				return err
			}
			clear(d.df)
		}
		if err := d.finish(x, end); err != nil {
			return err
		}
		h.wrote = append(h.wrote, h.ids[:n]...)
		h.ids, h.deltas, h.chunk, h.base = h.ids[n:], h.deltas[k:], h.chunk[k:], end
	}
	return nil
}

// mergeDelta adds src's entries to dst; src's offsets come after dst's.
func mergeDelta(dst, src *ftDelta) {
	for k, o := range src.posts {
		if p := dst.posts[k]; p != nil {
			p.add = append(p.add, o.add...)
			p.del = append(p.del, o.del...)
		} else {
			dst.posts[k] = o
		}
	}
	for w, n := range src.df {
		dst.df[w] += n
	}
}

func minKey(m map[string]*ftOps) []byte {
	var first []byte
	for k := range m {
		if first == nil || k < string(first) {
			first = []byte(k)
		}
	}
	return first
}

// rewriteDict writes the word list anew with the counts of df added: a
// chunk's words are spread over the whole list, so updating it in place
// rewrites nearly every page anyway, and split half and half at each of
// the import's chunks its pages ended 74 % full; written in key order
// they are full.
func rewriteDict(x *ftIndex, df map[string]int) error {
	counts := make(map[string]int64, x.dict.Stats().KeyN+len(df))
	err := x.dict.ForEach(func(k, v []byte) error {
		n, m := binary.Uvarint(v)
		if m <= 0 {
			return fmt.Errorf("full-text index: word count of %q cannot be read (run gloss check)", k)
		}
		counts[string(k)] = int64(n)
		return nil
	})
	if err != nil {
		return err
	}
	for w, n := range df {
		counts[w] += int64(n)
	}
	words := make([]string, 0, len(counts))
	for w, n := range counts {
		if n > 0 {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	tx := x.dict.Tx()
	if err := tx.DeleteBucket(ftSubDict); err != nil {
		return err
	}
	b, err := tx.CreateBucket(ftSubDict)
	if err != nil {
		return err
	}
	b.FillPercent = 1.0
	for _, w := range words {
		if err := b.Put([]byte(w), binary.AppendUvarint(nil, uint64(counts[w]))); err != nil {
			return err
		}
	}
	x.dict = b
	return nil
}
