package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// SalvageReport says what Salvage copied and what it could not.
type SalvageReport struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Kept counts the records copied, by kind ("sources", "annotations",
	// "codes", "targets", "links", "claims", "versions").
	Kept map[string]int `json:"kept"`
	// Lost names each record that could not be read or kept, and why.
	Lost []string `json:"lost"`
	// Damage lists what is wrong with the damaged file's structure.
	Damage []string `json:"damage,omitempty"`
	// Notes say how records were found and what was adjusted.
	Notes []string `json:"notes,omitempty"`
	// Problems are what Check finds in the new project (ideally none).
	Problems []string `json:"problems,omitempty"`
}

// Salvage copies every readable record of the project at src into a new
// project at dst and reports what it could not read. It reads src with
// plain bounds-checked reads (never bbolt's memory map) and never writes
// it. Records are found by walking the tree; where the tree is broken, the
// leaf pages cut off from it are read too, so damage costs only the records
// on the damaged pages. A record is kept only with what it depends on (an
// annotation with its source and text); references to lost codes and
// targets are dropped and noted.
func Salvage(src, dst string) (SalvageReport, error) {
	rep := SalvageReport{From: src, To: dst, Kept: map[string]int{}, Lost: []string{}}
	if _, err := os.Stat(dst); err == nil {
		return rep, fmt.Errorf("%s already exists; salvage writes a new project", dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("%s: %v", dst, err)
	}
	f, err := os.Open(src)
	if err != nil {
		return rep, fmt.Errorf("%s: %v", src, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return rep, fmt.Errorf("%s: %v", src, err)
	}
	if info.IsDir() {
		return rep, fmt.Errorf("%s is a folder, not a Gloss project", src)
	}
	pf, damage := salvagePageFile(src, f, info.Size())
	rep.Damage = damage
	if pf == nil {
		return rep, fmt.Errorf("%s: nothing to salvage (%s)", src, strings.Join(damage, "; "))
	}
	pf.readAll()
	found := collectRecords(pf, &rep)
	if err := writeSalvage(found, dst, &rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// salvagePageFile is readPageFile that makes the best of broken headers:
// the page size and extent are guessed when no header page is intact.
func salvagePageFile(path string, f *os.File, size int64) (*pageFile, []string) {
	pf, err := readPageFile(path, f, size)
	if err == nil {
		return pf, nil
	}
	damage := []string{strings.TrimPrefix(err.Error(), path+" ")}
	if size < 2*512 {
		return nil, damage
	}
	// The newest header that is intact, or any that still has the magic
	// number, gives the page size; else the size at which most pages
	// carry their own id (Gloss writes 16 KB pages, older files 4 KB).
	ps := guessPageSize(f, size)
	var meta *boltMeta
	for _, off := range []int64{0, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536} {
		buf := make([]byte, pageHeaderSize+64)
		if _, err := f.ReadAt(buf, off); err != nil {
			continue
		}
		m, magic, err := parseMeta(buf)
		if err == nil && (meta == nil || m.txid > meta.txid) {
			mm := m
			meta = &mm
		}
		if magic {
			if p := uint64(le.Uint32(buf[pageHeaderSize+8:])); p >= 512 && p <= 1<<24 && p&(p-1) == 0 {
				ps = p
			}
		}
	}
	pf = &pageFile{path: path, r: f, size: size, ps: ps}
	pf.meta.pageSize = uint32(ps)
	pf.meta.hwm = uint64(size) / ps
	pf.meta.freelist = noFreelist
	if meta != nil && uint64(meta.pageSize) == ps {
		pf.meta.txid = meta.txid
		if meta.hwm < pf.meta.hwm {
			pf.meta.hwm = meta.hwm
		}
		if meta.root >= 2 && meta.root < pf.meta.hwm {
			pf.meta.root = meta.root
		}
		if meta.freelist >= 2 && meta.freelist < pf.meta.hwm {
			pf.meta.freelist = meta.freelist
		}
	}
	return pf, damage
}

// guessPageSize tries each page size bbolt can write on the first pages of
// the file: at the right one, page n says it is page n.
func guessPageSize(f io.ReaderAt, size int64) uint64 {
	best, bestN := uint64(4096), 0
	var hdr [8]byte
	for _, ps := range []uint64{4096, 16384, 1024, 2048, 8192, 32768, 65536} {
		n := 0
		for id := uint64(2); id < 66 && int64((id+1)*ps) <= size; id++ {
			if _, err := f.ReadAt(hdr[:], int64(id*ps)); err == nil && le.Uint64(hdr[:]) == id {
				n++
			}
		}
		if n > bestN {
			best, bestN = ps, n
		}
	}
	return best
}

// record is one key/value found, with where it was found.
type record struct {
	key, value []byte
	orphan     bool // from a page cut off from the tree
}

// collectRecords walks the tree and, if it is broken, the pages cut off
// from it. The result maps a bucket name to its records by key.
func collectRecords(pf *pageFile, rep *SalvageReport) map[string]map[string]record {
	out := map[string]map[string]record{}
	// A torn header page makes the walk start from the older one; then a
	// copy off the tree may be the newer one.
	torn := len(pf.metaBad) > 0
	put := func(bucket string, r record) {
		m := out[bucket]
		if m == nil {
			m = map[string]record{}
			out[bucket] = m
		}
		if old, ok := m[string(r.key)]; ok {
			if !r.orphan || (!old.orphan && !torn) || !newer(r.value, old.value) {
				return // the tree's copy wins; of two others, the newer
			}
		}
		m[string(r.key)] = r
	}
	var w *walker
	var free []uint64
	if pf.meta.root != 0 {
		w, free = pf.walk(func(path []string, k, v []byte) {
			if len(path) == 0 {
				return // a plain value among the buckets: damage
			}
			bucket := path[0]
			if len(path) == 2 && path[0] == string(bLegacyAnns) {
				bucket = string(bAnns) // schemas 1–3 kept annotations per source
			} else if len(path) != 1 {
				return
			}
			put(bucket, record{key: clone(k), value: clone(v)})
		})
		rep.Damage = append(rep.Damage, w.problems...)
		rep.Damage = append(rep.Damage, w.soft...)
	}
	if w != nil && len(w.problems)+len(w.soft) == 0 {
		return out // the tree is whole: pages off it are free or stale
	}
	// (With only soft problems, a torn header page made the walk start
	// from the older one: the newest transaction's pages are off the tree.)
	// The tree is broken: read every page that is neither reached nor
	// free. Without a readable free-page list, stale copies of records
	// (older versions, deleted ones) may be among them.
	if torn && uint64(pf.size)/pf.ps > pf.meta.hwm {
		// The older header's extent ends before the pages the newest
		// transaction added at the end of the file.
		pf.meta.hwm = uint64(pf.size) / pf.ps
	}
	reached := make([]bool, pf.meta.hwm)
	if w != nil {
		copy(reached, w.seen)
	}
	// An older header's free list counts the newest pages as free.
	freeKnown := pf.meta.freelist != noFreelist && w != nil && !torn && !anyHas(w.problems, "free-page list")
	// Free pages still hold earlier copies of records; of those only
	// texts are taken: a text never changes and is checked against its
	// source's hash, so an old copy is as good as the lost one.
	isFree := make([]bool, pf.meta.hwm)
	if freeKnown {
		for _, id := range free {
			isFree[id] = true
		}
	} else {
		rep.Notes = append(rep.Notes, "the free-page list could not be read: records found off the tree may include older or deleted versions (the newest copy of each was kept)")
	}
	n := 0
	for id := uint64(2); id < pf.meta.hwm; id++ {
		if reached[id] {
			continue
		}
		buf, err := pf.page(id)
		if err != nil || le.Uint16(buf[8:])&leafFlag == 0 {
			continue
		}
		elems, _ := leafElems(buf)
		for _, e := range elems {
			if isFree[id] && (e.flags&bucketLeafFlag != 0 || guessBucket(e.key, e.value) != "?text") {
				continue
			}
			if e.flags&bucketLeafFlag != 0 {
				// An inline bucket: its records sit in this page.
				if len(e.value) > 16 && le.Uint64(e.value) == 0 {
					inner, _ := leafElems(e.value[16:])
					for _, ie := range inner {
						if ie.flags&bucketLeafFlag == 0 {
							put(string(e.key), record{key: clone(ie.key), value: clone(ie.value), orphan: true})
							n++
						}
					}
				}
				continue
			}
			switch b := guessBucket(e.key, e.value); b {
			case "":
			case "?text":
				// A text and its code point index share the key: keep
				// every candidate, told apart by hash later.
				k := fmt.Sprintf("%s\x00%d", e.key, id)
				put(b, record{key: []byte(k), value: clone(e.value), orphan: true})
			default:
				put(b, record{key: clone(e.key), value: clone(e.value), orphan: true})
				n++
			}
		}
	}
	if n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d records were read from pages cut off from the damaged tree", n))
	}
	return out
}

func anyHas(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// newer compares the "modified" stamps of two records.
func newer(a, b []byte) bool { return recModified(a).After(recModified(b)) }

// guessBucket files a record found off the tree by its shape: a JSON record
// carries its own ID, whose prefix says its kind; a source's text (or code
// point index) is keyed by the source's ID.
func guessBucket(k, v []byte) string {
	key := string(k)
	if id, ok := recordID(v); ok && id == key && key != "" {
		switch key[:1] {
		case annotate.SourcePrefix:
			return string(bSources)
		case annotate.AnnotationPrefix:
			return string(bAnns)
		case annotate.CodePrefix:
			return string(bCodes)
		case annotate.TargetPrefix:
			return string(bTargets)
		case annotate.LinkPrefix:
			return string(bLinks)
		case annotate.ClaimPrefix:
			return string(bClaims)
		case annotate.VersionPrefix:
			return string(bVersions)
		}
		return ""
	}
	if strings.HasPrefix(key, annotate.SourcePrefix) {
		return "?text" // told apart from a code point index by its hash, below
	}
	if key == string(kName) {
		return string(bMeta)
	}
	return ""
}

// writeSalvage decodes what was found, keeps each record with what it
// depends on, and writes the new project.
func writeSalvage(found map[string]map[string]record, dst string, rep *SalvageReport) error {
	lost := func(format string, args ...any) { rep.Lost = append(rep.Lost, fmt.Sprintf(format, args...)) }
	note := func(format string, args ...any) { rep.Notes = append(rep.Notes, fmt.Sprintf(format, args...)) }

	// Texts: the tree's bucket, plus candidates found off the tree.
	texts := map[string][]byte{}
	for k, r := range found[string(bTexts)] {
		texts[k] = r.value
	}
	candidates := map[string][][]byte{}
	for k, r := range found["?text"] {
		id, _, _ := strings.Cut(k, "\x00")
		candidates[id] = append(candidates[id], r.value)
	}

	var sources []annotate.Source
	kept := map[string]bool{}
	for _, k := range sortedRecordKeys(found[string(bSources)]) {
		var s annotate.Source
		if err := decodeRec(found[string(bSources)][k].value, &s, nil); err != nil || s.ID != k {
			lost("source %s: %v", k, decodeErr(err, s.ID, k))
			continue
		}
		text, ok := texts[k]
		if !ok || annotate.HashText(string(text)) != s.ContentHash {
			for _, c := range candidates[k] {
				if annotate.HashText(string(c)) == s.ContentHash {
					text, ok = c, true
				}
			}
		}
		switch {
		case !ok:
			lost("source %s (%s): its text could not be read", k, s.DisplayTitle())
			continue
		case !utf8.Valid(text):
			lost("source %s (%s): its text is damaged (not valid UTF-8)", k, s.DisplayTitle())
			continue
		case annotate.HashText(string(text)) != s.ContentHash:
			note("source %s (%s): its text differs from the one imported (damaged bytes); kept, check its annotations", k, s.DisplayTitle())
		}
		s.Text = string(text)
		sources = append(sources, s)
		kept[k] = true
	}
	// A source whose record was lost but whose text survives is made
	// again from the text, so its annotations are not lost with it. The
	// text is the one its annotations' quotes fit.
	quotes := map[string][]annotate.Selector{}
	foundText := foundTexts(found)
	for _, r := range found[string(bAnns)] {
		var a annotate.Annotation
		if decodeFound(r.value, &a, foundText) == nil && !kept[a.SourceID] {
			quotes[a.SourceID] = append(quotes[a.SourceID], a.Selector)
		}
	}
	for _, id := range sortedKeys(quotes) {
		var cands [][]byte
		if t, ok := texts[id]; ok {
			cands = append(cands, t)
		}
		cands = append(cands, candidates[id]...)
		for _, c := range cands {
			if !utf8.Valid(c) || !fitsAny(string(c), quotes[id]) {
				continue
			}
			text := string(c)
			src := annotate.Source{ID: id, Title: "Recovered source " + id, Kind: annotate.KindOriginal, Text: text,
				ContentHash: annotate.HashText(text), Length: utf8.RuneCountInString(text)}
			note("source %s: its details (title, language, dates) were lost; it was made again from its text as %q: set them again", id, src.Title)
			sources = append(sources, src)
			kept[id] = true
			break
		}
	}
	for i := range sources {
		var origs []string
		for _, o := range sources[i].Originals {
			if kept[o] {
				origs = append(origs, o)
			} else {
				note("source %s: the source it rests on, %s, was lost", sources[i].ID, o)
			}
		}
		sources[i].Originals = origs
	}
	codes := decodeAll[annotate.Code](found, bCodes, "code", lost)
	codeOK := map[string]bool{}
	for _, c := range codes {
		codeOK[c.ID] = true
	}
	for i := range codes {
		if codes[i].Parent != "" && !codeOK[codes[i].Parent] {
			note("code %s (%s): its parent code %s was lost; it is now a top-level code", codes[i].ID, codes[i].Name, codes[i].Parent)
			codes[i].Parent = ""
		}
	}
	targets := decodeAll[annotate.Target](found, bTargets, "target", lost)
	targetOK := map[string]bool{}
	for _, t := range targets {
		targetOK[t.ID] = true
	}
	var anns []annotate.Annotation
	annOK := map[string]bool{}
	for _, a := range decodeAll[annotate.Annotation](found, bAnns, "annotation", lost) {
		if !kept[a.SourceID] {
			lost("annotation %s (%q): its source %s was lost", a.ID, oneLineQuote(a.Selector.Exact), a.SourceID)
			continue
		}
		var cs []string
		for _, c := range a.Codes {
			if codeOK[c] {
				cs = append(cs, c)
			} else {
				note("annotation %s: code %s was lost and is dropped from it", a.ID, c)
			}
		}
		a.Codes = cs
		var ms []annotate.StanceMark
		for _, m := range a.Stances {
			if targetOK[m.Target] {
				ms = append(ms, m)
			} else {
				note("annotation %s: stance target %s was lost and its stance is dropped", a.ID, m.Target)
			}
		}
		a.Stances = ms
		anns = append(anns, a)
		annOK[a.ID] = true
	}
	var links []annotate.Link
	for _, k := range decodeAll[annotate.Link](found, bLinks, "link", lost) {
		ok := kept[k.From.SourceID]
		for _, t := range k.To {
			ok = ok && kept[t.SourceID]
		}
		if !ok {
			lost("link %s: a source it links was lost", k.ID)
			continue
		}
		links = append(links, k)
	}
	var versions []annotate.TextVersion
	for _, v := range decodeAll[annotate.TextVersion](found, bVersions, "text version", lost) {
		if !kept[v.SourceID] {
			lost("text version %s: its source %s was lost", v.ID, v.SourceID)
			continue
		}
		versions = append(versions, v)
	}
	claims := decodeAll[annotate.Claim](found, bClaims, "claim", lost)
	for i := range claims {
		var ev []annotate.Evidence
		for _, e := range claims[i].Evidence {
			if annOK[e.AnnotationID] {
				ev = append(ev, e)
			} else {
				note("claim %s: evidence %s was lost and is dropped from it", claims[i].ID, e.AnnotationID)
			}
		}
		claims[i].Evidence = ev
	}

	st, err := Open(dst, Options{Create: true})
	if err != nil {
		return err
	}
	defer st.Close()
	name := ""
	if r, ok := found[string(bMeta)][string(kName)]; ok {
		name = string(r.value)
	}
	err = st.update(func(tx *bolt.Tx) error {
		if name != "" {
			if err := tx.Bucket(bMeta).Put(kName, []byte(name)); err != nil {
				return err
			}
		}
		for _, s := range sources {
			text := s.Text
			s.Text = ""
			if err := putRecord(tx, bSources, s.ID, s); err != nil {
				return err
			}
			if err := tx.Bucket(bTexts).Put([]byte(s.ID), []byte(text)); err != nil {
				return err
			}
			if err := tx.Bucket(bRuneIdx).Put([]byte(s.ID), buildRuneIndex(text)); err != nil {
				return err
			}
		}
		for _, c := range codes {
			if err := putRecord(tx, bCodes, c.ID, c); err != nil {
				return err
			}
		}
		for _, t := range targets {
			if err := putRecord(tx, bTargets, t.ID, t); err != nil {
				return err
			}
		}
		if err := putAnnotations(tx, anns); err != nil { // after the texts: quotes may be kept in them
			return err
		}
		for _, k := range links {
			if err := putRecord(tx, bLinks, k.ID, k); err != nil {
				return err
			}
		}
		for _, v := range versions {
			if err := putRecord(tx, bVersions, v.ID, v); err != nil {
				return err
			}
		}
		for _, m := range claims {
			if err := putRecord(tx, bClaims, m.ID, m); err != nil {
				return err
			}
		}
		// Reverse indexes are derived: made from what was kept.
		return buildIndex(tx)
	})
	if err != nil {
		return fmt.Errorf("writing %s: %v", dst, err)
	}
	rep.Kept = map[string]int{"sources": len(sources), "annotations": len(anns), "codes": len(codes), "targets": len(targets), "links": len(links), "claims": len(claims), "versions": len(versions)}
	if probs, err := st.Check(); err == nil {
		for _, p := range probs {
			rep.Problems = append(rep.Problems, p.Error())
		}
	}
	return nil
}

func putRecord(tx *bolt.Tx, bucket []byte, id string, v any) error {
	b, err := tx.CreateBucketIfNotExists(bucket)
	if err != nil {
		return err
	}
	raw, err := encodeRec(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(id), raw)
}

// decodeAll decodes a bucket's records found, naming those that fail.
func decodeAll[T any](found map[string]map[string]record, bucket []byte, kind string, lost func(string, ...any)) []T {
	recs := found[string(bucket)]
	var out []T
	var texts map[string][]string
	if string(bucket) == string(bAnns) {
		texts = foundTexts(found)
	}
	for _, k := range sortedRecordKeys(recs) {
		var t T
		err := decodeFound(recs[k].value, &t, texts)
		id := ""
		if err == nil {
			id, _ = recordID(recs[k].value)
		}
		if err != nil || id != k {
			lost("%s %s: %v", kind, k, decodeErr(err, id, k))
			continue
		}
		out = append(out, t)
	}
	return out
}

func decodeErr(err error, id, key string) error {
	if err != nil {
		return fmt.Errorf("cannot be read (%v)", err)
	}
	return fmt.Errorf("cannot be read (it names itself %q)", id)
}

func sortedRecordKeys(m map[string]record) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // IDs sort by creation time
	return keys
}

// fitsAny reports whether some selector's quote is where it says in text.
func fitsAny(text string, sels []annotate.Selector) bool {
	t := annotate.NewText(text)
	for _, sel := range sels {
		if got, err := t.Select(sel.Start, sel.End); err == nil && got.Exact == sel.Exact {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func oneLineQuote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
