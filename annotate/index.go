package annotate

import (
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Index gives fast lookups over a project. An index never changes once
// made: With returns a new one for a change and shares every part the
// change did not touch, so a panel may keep using an index it holds while
// the session moves on, and a change costs what it touches, not the
// project.
type Index struct {
	// P holds the project's sources, codes, targets, links, claims and
	// versions. P.Annotations is always nil: annotations live in the
	// index (Annotations, Annotation, EachAnnotation, Project).
	P      *Project
	Source map[string]*Source
	Code   map[string]*Code
	Target map[string]*Target
	bySrc  shardMap[[]*Annotation] // source ID -> annotations in text order
	// byCode maps a code ID to the annotations carrying it, by source (in
	// text order within a source, so a code filter takes a list as it is):
	// a change copies the lists of the sources it touches, never a code's
	// whole list.
	byCode  map[string]shardMap[[]*Annotation]
	ann     shardMap[*Annotation]
	nAnn    int
	codeIdx map[string]string // lower-case name -> ID
	tgtIdx  map[string]string
	usage   map[string]int // code ID -> annotations carrying it
	stances map[string]int // target ID -> annotations taking a stance toward it
	authors map[string]int // author -> annotations made
	review  map[string]*Annotation
	// totals: the counts above are the project's (WithTotals), not those
	// of the annotations held.
	totals bool

	texts *textCache

	projOnce sync.Once
	proj     *Project

	orderOnce sync.Once
	order     map[string]int

	// walks memoises code filters over the whole project (see
	// Filter.Annotations), by the set of codes; With carries over those
	// whose codes' lists it kept, so filtering again after a change that
	// did not touch the codes costs a copy, not a lookup per source.
	walkMu sync.Mutex
	walks  map[string]memoWalk
}

// memoWalk is the annotations carrying any of codes, in project order.
type memoWalk struct {
	codes []string
	list  []*Annotation
}

// maxWalks bounds the memoised code filters an index keeps.
const maxWalks = 8

// NewIndex indexes p; p must not change while the index is used.
func NewIndex(p *Project) *Index {
	q := *p
	q.Annotations = nil
	x := &Index{P: &q, byCode: map[string]shardMap[[]*Annotation]{}, usage: map[string]int{}, stances: map[string]int{},
		authors: map[string]int{}, review: map[string]*Annotation{}, texts: newTextCache()}
	x.indexSources()
	x.indexCodes()
	x.indexTargets()
	bySrc := map[string][]*Annotation{}
	for i := range p.Annotations {
		a := &p.Annotations[i]
		bySrc[a.SourceID] = append(bySrc[a.SourceID], a)
		x.ann.put(a.ID, a)
		x.count(a, 1)
		x.addByCode(a)
	}
	x.nAnn = len(p.Annotations)
	for id, list := range bySrc {
		sortByStart(list)
		x.bySrc.put(id, list)
	}
	for _, m := range x.byCode {
		m.eachValue(sortByStart)
	}
	if len(p.Annotations) > 0 {
		x.proj = p // the caller's project is the whole project
		x.projOnce.Do(func() {})
	}
	return x
}

// NewIndexFrom indexes head (a project whose annotations are not in it)
// plus the annotations each hands to add, source by source, each source's
// list in text order (storage's LoadAnnotations). The records handed to
// add, with their slices, become the index's: it keeps those lists as they
// come, so a large project is indexed without first being
// held as one slice of annotations, and the strings every annotation
// repeats (its source, codes, stance targets and author) are shared with
// the head's records rather than kept once per annotation.
func NewIndexFrom(head *Project, each func(add func(sourceID string, anns []Annotation) error) error) (*Index, error) {
	q := *head
	q.Annotations = nil
	x := NewIndex(&q)
	authors := map[string]string{}
	canon := func(s string, known func(string) (string, bool)) string {
		if c, ok := known(s); ok {
			return c
		}
		return s
	}
	codeID := func(id string) (string, bool) {
		if c := x.Code[id]; c != nil {
			return c.ID, true
		}
		return "", false
	}
	targetID := func(id string) (string, bool) {
		if t := x.Target[id]; t != nil {
			return t.ID, true
		}
		return "", false
	}
	author := func(a string) (string, bool) {
		if c, ok := authors[a]; ok {
			return c, true
		}
		authors[a] = a
		return a, true
	}
	err := each(func(src string, anns []Annotation) error {
		list := make([]*Annotation, 0, len(anns)+len(x.bySrc.get(src)))
		list = append(list, x.bySrc.get(src)...)
		if s := x.Source[src]; s != nil {
			src = s.ID
			shareText(s.Text, anns)
		}
		for i := range anns {
			a := &anns[i]
			if a.SourceID != src {
				return fmt.Errorf("annotation %s belongs to source %s, not %s", a.ID, a.SourceID, src)
			}
			a.SourceID = src
			for k, c := range a.Codes {
				a.Codes[k] = canon(c, codeID)
			}
			for k := range a.Stances {
				a.Stances[k].Target = canon(a.Stances[k].Target, targetID)
			}
			a.Author = canon(a.Author, author)
			if x.ann.get(a.ID) != nil {
				return fmt.Errorf("annotation %s is listed twice", a.ID)
			}
			x.nAnn++
			x.ann.put(a.ID, a)
			x.count(a, 1)
			x.addByCode(a)
			list = append(list, a)
		}
		sortByStart(list)
		x.bySrc.put(src, list)
		// Each code's list of the source once, in place (the index owns it).
		var codes []string
		for _, a := range anns {
			for _, c := range a.Codes {
				if !slices.Contains(codes, c) {
					codes = append(codes, c)
					sortByStart(x.byCode[c].get(src))
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// addByCode adds a to the by-code lists in place; only NewIndex and
// NewIndexFrom, on maps they own, use it.
func (x *Index) addByCode(a *Annotation) {
	for _, c := range a.Codes {
		m := x.byCode[c]
		m.put(a.SourceID, append(m.get(a.SourceID), a))
		x.byCode[c] = m
	}
}

// sortByStart puts a source's annotations in text order: by start, then
// end, then ID, a total order, so every way of building a list agrees.
func sortByStart(list []*Annotation) {
	sort.Slice(list, func(i, j int) bool { return textOrder(list[i], list[j]) })
}

func textOrder(a, b *Annotation) bool {
	if a.Selector.Start != b.Selector.Start {
		return a.Selector.Start < b.Selector.Start
	}
	if a.Selector.End != b.Selector.End {
		return a.Selector.End < b.Selector.End
	}
	return a.ID < b.ID
}

func (x *Index) indexSources() {
	x.Source = make(map[string]*Source, len(x.P.Sources))
	for i := range x.P.Sources {
		x.Source[x.P.Sources[i].ID] = &x.P.Sources[i]
	}
}

func (x *Index) indexCodes() {
	x.Code, x.codeIdx = make(map[string]*Code, len(x.P.Codes)), make(map[string]string, len(x.P.Codes))
	for i := range x.P.Codes {
		c := &x.P.Codes[i]
		x.Code[c.ID] = c
		x.codeIdx[strings.ToLower(c.Name)] = c.ID
	}
}

func (x *Index) indexTargets() {
	x.Target, x.tgtIdx = make(map[string]*Target, len(x.P.Targets)), make(map[string]string, len(x.P.Targets))
	for i := range x.P.Targets {
		t := &x.P.Targets[i]
		x.Target[t.ID] = t
		x.tgtIdx[strings.ToLower(t.Name)] = t.ID
	}
}

// count adds (d = 1) or removes (d = -1) an annotation's share of the
// usage counts and the review list. Only With and NewIndex call it, on
// maps the new index owns.
func (x *Index) count(a *Annotation, d int) {
	x.countUsage(a, d)
	if ToReview(a) {
		if d > 0 {
			x.review[a.ID] = a
		} else {
			delete(x.review, a.ID)
		}
	}
}

// countUsage is count's share of the usage counts alone.
func (x *Index) countUsage(a *Annotation, d int) {
	for _, c := range a.Codes {
		bump(x.usage, c, d)
	}
	for _, m := range a.Stances {
		bump(x.stances, m.Target, d)
	}
	if a.Author != "" {
		bump(x.authors, a.Author, d)
	}
}

func bump(m map[string]int, k string, d int) {
	if m[k] += d; m[k] <= 0 {
		delete(m, k)
	}
}

// With returns the index of the project after c, which Apply has
// accepted (its Done part), sharing what c does not touch. It costs the
// size of the change plus, for each kind of record c touches, a copy of
// that kind's list (sources, codes, links…), but never the annotations
// of sources c leaves alone.
func (x *Index) With(c Change) *Index {
	q := *x.P
	y := &Index{P: &q, Source: x.Source, Code: x.Code, Target: x.Target, bySrc: x.bySrc, byCode: x.byCode, ann: x.ann, nAnn: x.nAnn,
		codeIdx: x.codeIdx, tgtIdx: x.tgtIdx, usage: x.usage, stances: x.stances, authors: x.authors, review: x.review, texts: x.texts, totals: x.totals}
	if rewrite(&q.Codes, c.PutCodes, c.DelCodes, func(v Code) string { return v.ID }) {
		y.indexCodes()
	}
	if rewrite(&q.Targets, c.PutTargets, c.DelTargets, func(v Target) string { return v.ID }) {
		y.indexTargets()
	}
	if len(c.PutSources)+len(c.SetTexts)+len(c.DelSources) > 0 {
		q.Sources = slices.Clone(q.Sources)
		mirrorSources(&q, c)
		remove(&q.Sources, c.DelSources, func(v Source) string { return v.ID })
		y.indexSources()
	}
	rewrite(&q.Links, c.PutLinks, c.DelLinks, func(v Link) string { return v.ID })
	rewrite(&q.Claims, c.PutClaims, c.DelClaims, func(v Claim) string { return v.ID })
	rewrite(&q.Versions, c.PutVersions, c.DelVersions, func(v TextVersion) string { return v.ID })
	var rewalk map[string][]string
	if len(c.PutAnnotations)+len(c.DelAnnotations) > 0 {
		rewalk = y.withAnnotations(x, c)
	}
	if len(c.PutSources)+len(c.DelSources) == 0 {
		y.keepWalks(x, rewalk)
	}
	return y
}

// maxRewalk is how many sources a change may touch for a memoised walk to
// be patched rather than dropped.
const maxRewalk = 64

// keepWalks carries over x's memoised code filters: as they are when y
// shares their codes' lists with x (With copies a code's list when it
// touches it), patched source by source when the change touched the lists
// of a few sources (rewalk, from withCodes). The sources and their order
// are the same.
func (y *Index) keepWalks(x *Index, rewalk map[string][]string) {
	x.walkMu.Lock()
	defer x.walkMu.Unlock()
	for k, w := range x.walks {
		touched := map[string]bool{}
		for _, c := range w.codes {
			if y.byCode[c].s != x.byCode[c].s {
				for _, src := range rewalk[c] {
					touched[src] = true
				}
				if rewalk[c] == nil {
					touched = nil // changed, and With did not say where
					break
				}
			}
		}
		if touched == nil || len(touched) > maxRewalk {
			continue
		}
		if len(touched) > 0 {
			// The sources are x's: so is their order, made once.
			ord := x.sourceOrder()
			y.orderOnce.Do(func() { y.order = ord })
			w = memoWalk{codes: w.codes, list: y.patchWalk(w, touched)}
		}
		if y.walks == nil {
			y.walks = map[string]memoWalk{}
		}
		y.walks[k] = w
	}
}

// patchWalk is w's list with the stretches of the touched sources walked
// again in y: each source's hits are one stretch, in project order.
func (y *Index) patchWalk(w memoWalk, touched map[string]bool) []*Annotation {
	order := y.sourceOrder()
	srcs := make([]string, 0, len(touched))
	for src := range touched {
		srcs = append(srcs, src)
	}
	slices.SortFunc(srcs, func(a, b string) int { return order[a] - order[b] })
	codes := make(map[string]bool, len(w.codes))
	for _, c := range w.codes {
		codes[c] = true
	}
	lists := y.codeLists(codes)
	old := w.list
	out := make([]*Annotation, 0, len(old)+8)
	var scratch []*Annotation
	for _, src := range srcs {
		at := order[src]
		// The first hit of a later source: everything before it stays.
		i, _ := slices.BinarySearchFunc(old, at, func(a *Annotation, pos int) int { return order[a.SourceID] - pos })
		out = append(out, old[:i]...)
		j := i
		for j < len(old) && old[j].SourceID == src {
			j++
		}
		out, scratch = y.codedIn(src, lists, out, scratch)
		old = old[j:]
	}
	return append(out, old...)
}

// codeWalk lists the annotations carrying any of codes across every
// source, in project order (source by source through the by-code lists,
// as codedIn does), memoised. The list is shared: callers copy it.
func (x *Index) codeWalk(codes map[string]bool) []*Annotation {
	ids := keys(codes)
	slices.Sort(ids)
	key := strings.Join(ids, "\x00")
	x.walkMu.Lock()
	w, ok := x.walks[key]
	x.walkMu.Unlock()
	if ok {
		return w.list
	}
	lists := x.codeLists(codes)
	out := make([]*Annotation, 0, x.codeListSize(codes))
	var scratch []*Annotation
	for _, s := range x.P.Sources {
		out, scratch = x.codedIn(s.ID, lists, out, scratch)
	}
	x.walkMu.Lock()
	defer x.walkMu.Unlock()
	if x.walks == nil {
		x.walks = map[string]memoWalk{}
	}
	if len(x.walks) >= maxWalks {
		for k := range x.walks {
			delete(x.walks, k) // any one: a bound, not a policy
			break
		}
	}
	x.walks[key] = memoWalk{codes: ids, list: out}
	return out
}

// withAnnotations applies c's annotation puts, then its deletes (as
// Mirror and storage do): each touched source's list is rebuilt (kept
// ones in place, replaced ones in their slot, new ones at the end in put
// order, then sorted by start as NewIndex does), and only the touched
// shards of the ID map are copied. rewalk is withCodes' account of the
// by-code lists it rebuilt.
func (y *Index) withAnnotations(x *Index, c Change) (rewalk map[string][]string) {
	y.usage, y.stances, y.authors = cloneMap(x.usage), cloneMap(x.stances), cloneMap(x.authors)
	y.review = cloneMap(x.review)
	puts := make(map[string]*Annotation, len(c.PutAnnotations))
	gone := map[string]bool{}
	touched := map[string]bool{}
	cur := func(id string) *Annotation {
		if p, ok := puts[id]; ok {
			return p
		}
		if gone[id] {
			return nil
		}
		return x.ann.get(id)
	}
	// The records put, each once (a record put twice in one change is
	// one record, the last put's), in first-put order.
	fresh := make([]*Annotation, 0, len(c.PutAnnotations))
	for i := range c.PutAnnotations {
		a := c.PutAnnotations[i] // a copy the index owns
		if prev := cur(a.ID); prev != nil {
			y.count(prev, -1)
			touched[prev.SourceID] = true
		} else {
			y.nAnn++
		}
		delete(gone, a.ID)
		p := puts[a.ID]
		if p != nil {
			*p = a
		} else {
			p = &a
			puts[a.ID] = p
			fresh = append(fresh, p)
		}
		touched[a.SourceID] = true
		y.count(p, 1)
	}
	dropped := false
	for _, id := range c.DelAnnotations {
		if a := cur(id); a != nil {
			y.count(a, -1)
			y.nAnn--
			touched[a.SourceID] = true
			if puts[id] != nil {
				delete(puts, id)
				dropped = true
			}
			gone[id] = true
		}
	}
	if dropped { // put and deleted in one change: not kept
		kept := fresh[:0]
		for _, p := range fresh {
			if puts[p.ID] == p {
				kept = append(kept, p)
			}
		}
		fresh = kept
	}
	y.ann = x.ann.with(puts, keys(gone))
	rewalk = y.withCodes(x, c, puts, gone, fresh)
	// New records by source, so each source's list costs its own size,
	// never the whole change's.
	added := map[string][]*Annotation{}
	for _, p := range fresh {
		added[p.SourceID] = append(added[p.SourceID], p)
	}
	lists := make(map[string][]*Annotation, len(touched))
	var emptied []string
	for src := range touched {
		old := x.bySrc.get(src)
		list := make([]*Annotation, 0, len(old)+len(added[src]))
		placed := map[string]bool{}
		for _, a := range old {
			if gone[a.ID] {
				continue
			}
			if p := puts[a.ID]; p != nil {
				if p.SourceID == src {
					list = append(list, p)
					placed[a.ID] = true
				}
				continue
			}
			list = append(list, a)
		}
		for _, p := range added[src] {
			if !placed[p.ID] {
				list = append(list, p)
			}
		}
		sortByStart(list)
		if len(list) == 0 {
			emptied = append(emptied, src)
		} else {
			lists[src] = list
		}
	}
	y.bySrc = x.bySrc.with(lists, emptied)
	return rewalk
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// withCodes rebuilds the by-code lists of the sources whose annotations
// gained or lost a code: a change costs the size of those sources' lists,
// not the project's, nor a code's. It returns, by code, the sources whose
// lists it rebuilt (a code whose list it dropped is not among them).
func (y *Index) withCodes(x *Index, c Change, puts map[string]*Annotation, gone map[string]bool, fresh []*Annotation) (rebuilt map[string][]string) {
	// The old records of changed annotations are known by pointer, so
	// filtering a list compares pointers, never hashes IDs.
	var olds []*Annotation
	touched := map[string]map[string]bool{} // code -> sources
	note := func(a *Annotation, old bool) {
		if a == nil {
			return
		}
		if old {
			olds = append(olds, a)
		}
		for _, k := range a.Codes {
			if touched[k] == nil {
				touched[k] = map[string]bool{}
			}
			touched[k][a.SourceID] = true
		}
	}
	// The new records' sources are in added below; only the old records'
	// are noted here (one map entry per record made an import's mirror
	// grow faster than the import).
	for _, a := range c.PutAnnotations {
		note(x.ann.get(a.ID), true)
	}
	for id := range gone {
		note(x.ann.get(id), true)
	}
	isOld := memberOf(olds)
	added := map[string]map[string][]*Annotation{} // code -> source -> new records, in put order
	for _, p := range fresh {
		for _, k := range p.Codes {
			if added[k] == nil {
				added[k] = map[string][]*Annotation{}
			}
			added[k][p.SourceID] = append(added[k][p.SourceID], p)
		}
	}
	y.byCode = cloneMap(x.byCode)
	codes := make(map[string]bool, len(touched)+len(added))
	for k := range touched {
		codes[k] = true
	}
	for k := range added {
		codes[k] = true
	}
	for k := range codes {
		if y.usage[k] == 0 {
			delete(y.byCode, k)
			continue
		}
		old := x.byCode[k]
		srcs := make([]string, 0, len(touched[k])+len(added[k]))
		for src := range touched[k] {
			srcs = append(srcs, src)
		}
		for src := range added[k] {
			if !touched[k][src] {
				srcs = append(srcs, src)
			}
		}
		lists := make(map[string][]*Annotation, len(srcs))
		var emptied []string
		for _, src := range srcs {
			prev := old.get(src)
			list := make([]*Annotation, 0, len(prev)+len(added[k][src]))
			for _, a := range prev {
				if !isOld(a) {
					list = append(list, a)
				}
			}
			list = append(list, added[k][src]...)
			sortByStart(list)
			if len(list) == 0 {
				emptied = append(emptied, src)
			} else {
				lists[src] = list
			}
		}
		y.byCode[k] = old.with(lists, emptied)
		if rebuilt == nil {
			rebuilt = map[string][]string{}
		}
		rebuilt[k] = srcs
	}
	return rebuilt
}

// WithCodes lists the annotations carrying any of the codes, in text order
// source by source (in the order of the project's sources). It costs the
// size of those codes' lists, not the project.
func (x *Index) WithCodes(codes map[string]bool) []*Annotation {
	seen := map[*Annotation]bool{}
	var out []*Annotation
	for k := range codes {
		x.byCode[k].eachValue(func(list []*Annotation) {
			for _, a := range list {
				if !seen[a] {
					seen[a] = true
					out = append(out, a)
				}
			}
		})
	}
	x.sortBySource(out)
	return out
}

// codedIn appends to out the annotations of source id that carry any of
// the codes (their by-code lists), in text order. One list is taken as it
// is kept; several are ordered by the source's own list (pointers), so the
// annotations themselves are never read: reading each to test its codes
// cost a cache miss per annotation and grew faster than the project.
func (x *Index) codedIn(id string, lists []shardMap[[]*Annotation], out, scratch []*Annotation) ([]*Annotation, []*Annotation) {
	var one []*Annotation
	n := 0
	for _, m := range lists {
		if l := m.get(id); len(l) > 0 {
			one = l
			n++
		}
	}
	if n <= 1 {
		return append(out, one...), scratch
	}
	set := scratch[:0]
	for _, m := range lists {
		set = append(set, m.get(id)...)
	}
	has := memberOf(set)
	for _, a := range x.bySrc.get(id) {
		if has(a) {
			out = append(out, a)
		}
	}
	return out, set
}

// memberOf tests membership of list by pointer: a scan while the list is
// short, a set once hashing costs less.
func memberOf(list []*Annotation) func(*Annotation) bool {
	if len(list) <= 16 {
		return func(a *Annotation) bool { return slices.Contains(list, a) }
	}
	set := make(map[*Annotation]bool, len(list))
	for _, a := range list {
		set[a] = true
	}
	return func(a *Annotation) bool { return set[a] }
}

// codeLists gives the by-code lists of the codes, looked up once for a
// walk over many sources.
func (x *Index) codeLists(codes map[string]bool) []shardMap[[]*Annotation] {
	out := make([]shardMap[[]*Annotation], 0, len(codes))
	for c := range codes {
		if m, ok := x.byCode[c]; ok {
			out = append(out, m)
		}
	}
	return out
}

// sortBySource orders annotations by their source's place in the project,
// then in text order.
func (x *Index) sortBySource(list []*Annotation) { sortByRank(list, x.sourceOrder()) }

// sortByRank orders annotations by their source's rank in order, then in
// text order.
func sortByRank(list []*Annotation, order map[string]int) {
	// Keys first: a map lookup per comparison cost more than the rest.
	type keyed struct {
		src int
		a   *Annotation
	}
	ks := make([]keyed, len(list))
	for i, a := range list {
		ks[i] = keyed{order[a.SourceID], a}
	}
	slices.SortFunc(ks, func(p, q keyed) int {
		if p.src != q.src {
			return p.src - q.src
		}
		if textOrder(p.a, q.a) {
			return -1
		}
		if textOrder(q.a, p.a) {
			return 1
		}
		return 0
	})
	for i := range ks {
		list[i] = ks[i].a
	}
}

// codeListSize is how many entries the by-code lists of the codes hold:
// each annotation counts once per code it carries, as usage counts it.
func (x *Index) codeListSize(codes map[string]bool) int {
	n := 0
	for k := range codes {
		n += x.usage[k]
	}
	return n
}

// sourceOrder maps source IDs to their place in the project, made once
// per index.
func (x *Index) sourceOrder() map[string]int {
	x.orderOnce.Do(func() {
		x.order = make(map[string]int, len(x.P.Sources))
		for i, s := range x.P.Sources {
			x.order[s.ID] = i
		}
	})
	return x.order
}

// rewrite applies puts and deletes to a copy of *list (the old list stays
// with the index it belongs to) and reports whether there were any.
func rewrite[T any](list *[]T, puts []T, dels []string, key func(T) string) bool {
	if len(puts)+len(dels) == 0 {
		return false
	}
	*list = slices.Clone(*list)
	upsert(list, puts, key)
	remove(list, dels, key)
	return true
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// mirrorSources applies c's PutSources and SetTexts to q's (already
// copied) source list. Done carries a text only for new sources.
func mirrorSources(q *Project, c Change) {
	at := make(map[string]int, len(q.Sources))
	for i, s := range q.Sources {
		at[s.ID] = i
	}
	for _, s := range c.PutSources {
		if i, ok := at[s.ID]; ok {
			s.Text = q.Sources[i].Text
			q.Sources[i] = s
		} else {
			at[s.ID] = len(q.Sources)
			q.Sources = append(q.Sources, s)
		}
	}
	for _, t := range c.SetTexts {
		if i, ok := at[t.SourceID]; ok {
			q.Sources[i].Text = t.Text
		}
	}
}

func (x *Index) HasCode(id string) bool   { return x.Code[id] != nil }
func (x *Index) HasTarget(id string) bool { return x.Target[id] != nil }
func (x *Index) HasSource(id string) bool { return x.Source[id] != nil }

// Annotations returns a source's annotations in text order. The slice is
// shared: do not modify it.
func (x *Index) Annotations(sourceID string) []*Annotation { return x.bySrc.get(sourceID) }

// Annotation finds an annotation by ID, or nil.
func (x *Index) Annotation(id string) *Annotation { return x.ann.get(id) }

// AnnotationCount is the number of annotations in the project.
func (x *Index) AnnotationCount() int { return x.nAnn }

// EachAnnotation calls fn with every annotation, source by source in
// project order, each source's in text order, until fn returns false.
func (x *Index) EachAnnotation(fn func(*Annotation) bool) {
	seen := 0
	for i := range x.P.Sources {
		for _, a := range x.bySrc.get(x.P.Sources[i].ID) {
			if !fn(a) {
				return
			}
			seen++
		}
	}
	if seen == x.nAnn {
		return
	}
	// Annotations of a source the project no longer lists (a damaged
	// file): still visited, so checks can name them.
	ids := make([]string, 0)
	x.bySrc.each(func(id string) {
		if x.Source[id] == nil {
			ids = append(ids, id)
		}
	})
	sort.Strings(ids)
	for _, id := range ids {
		for _, a := range x.bySrc.get(id) {
			if !fn(a) {
				return
			}
		}
	}
}

// AllAnnotations lists every annotation in EachAnnotation's order.
func (x *Index) AllAnnotations() []*Annotation {
	out := make([]*Annotation, 0, x.nAnn)
	x.EachAnnotation(func(a *Annotation) bool { out = append(out, a); return true })
	return out
}

// NeedsReview lists the fuzzy and orphaned annotations and those with
// merge conflicts, in text order
// source by source. It costs the size of that list, not the project's.
func (x *Index) NeedsReview() []*Annotation {
	out := make([]*Annotation, 0, len(x.review))
	for _, a := range x.review {
		out = append(out, a)
	}
	x.sortBySource(out)
	return out
}

// Project is the whole project as one value, for whole-project work
// (exports, reports, comparisons). It is built on first use and shared:
// treat it as read-only.
func (x *Index) Project() *Project {
	x.projOnce.Do(func() {
		p := *x.P
		p.Annotations = make([]Annotation, 0, x.nAnn)
		x.EachAnnotation(func(a *Annotation) bool { p.Annotations = append(p.Annotations, *a); return true })
		x.proj = &p
	})
	return x.proj
}

// Text returns the indexed text of a source, or nil. Texts are indexed on
// first use and kept in a bounded cache shared by an index and those made
// from it by With.
func (x *Index) Text(id string) *Text {
	s := x.Source[id]
	if s == nil {
		return nil
	}
	return x.texts.get(id, s.Text)
}

// shardMap maps IDs to values in shards, so that With copies only the
// shards a change touches, never a map of every annotation or source.
type shardMap[V any] struct {
	s *[nShards]map[string]V
}

const nShards = 1024

var shardSeed = maphash.MakeSeed()

func shardOf(id string) int { return int(maphash.String(shardSeed, id) % nShards) }

func (m shardMap[V]) get(id string) V {
	if m.s == nil {
		var zero V
		return zero
	}
	return m.s[shardOf(id)][id]
}

// put adds to the map in place; only NewIndex, on a map it owns, uses it.
func (m *shardMap[V]) put(id string, v V) {
	if m.s == nil {
		m.s = new([nShards]map[string]V)
	}
	i := shardOf(id)
	if m.s[i] == nil {
		m.s[i] = map[string]V{}
	}
	m.s[i][id] = v
}

func (m shardMap[V]) eachValue(fn func(v V)) {
	if m.s == nil {
		return
	}
	for _, sh := range m.s {
		for _, v := range sh {
			fn(v)
		}
	}
}

func (m shardMap[V]) each(fn func(id string)) {
	if m.s == nil {
		return
	}
	for _, sh := range m.s {
		for id := range sh {
			fn(id)
		}
	}
}

// with returns a map with puts added and dels removed (puts win), sharing
// every shard neither touches.
func (m shardMap[V]) with(puts map[string]V, dels []string) shardMap[V] {
	out := shardMap[V]{s: new([nShards]map[string]V)}
	if m.s != nil {
		*out.s = *m.s
	}
	var copied [nShards]bool
	own := func(i int) map[string]V {
		if !copied[i] {
			copied[i] = true
			out.s[i] = cloneMap(out.s[i])
		}
		return out.s[i]
	}
	for _, id := range dels {
		if _, put := puts[id]; !put {
			delete(own(shardOf(id)), id)
		}
	}
	for id, v := range puts {
		own(shardOf(id))[id] = v
	}
	return out
}

// textCache keeps indexed texts of recently shown sources, up to a total
// number of code points, so a project of many large sources does not
// hold every text indexed at once.
type textCache struct {
	mu    sync.Mutex
	m     map[string]*cachedText
	runes int
	tick  uint64
}

type cachedText struct {
	src  string // the text it indexes, to notice a replaced text
	t    *Text
	used uint64
}

// textCacheRunes bounds the cache: 16 M code points is 64 MiB of runes.
const textCacheRunes = 16 << 20

func newTextCache() *textCache { return &textCache{m: map[string]*cachedText{}} }

func (c *textCache) get(id, s string) *Text {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tick++
	if e := c.m[id]; e != nil && e.src == s {
		e.used = c.tick
		return e.t
	}
	if e := c.m[id]; e != nil {
		c.runes -= e.t.Len()
	}
	t := NewText(s)
	c.m[id] = &cachedText{src: s, t: t, used: c.tick}
	c.runes += t.Len()
	for c.runes > textCacheRunes && len(c.m) > 1 {
		var oldest string
		var at uint64 = ^uint64(0)
		for k, e := range c.m {
			if e.used < at && k != id {
				oldest, at = k, e.used
			}
		}
		c.runes -= c.m[oldest].t.Len()
		delete(c.m, oldest)
	}
	return t
}
