package suggest

import (
	"math"
	"sort"
	"strings"
	"sync"
)

// Candidate is a stretch of the original proposed as evidence: one sentence
// or two adjacent ones. Score, in [0, 1], is roughly the share of the summary
// sentence's matchable evidence found there (weighted by rarity, adjusted for
// length and place); it orders candidates and is not a probability.
type Candidate struct {
	Span
	Score float64
}

// Suggestion lists the candidates for one summary sentence, best first.
type Suggestion struct {
	Summary    Span
	Candidates []Candidate
}

// Options tune Suggest.
type Options struct {
	// Max is the number of candidates per summary sentence; 0 means 5.
	Max int
	// Reject, if set, skips pairs the analyst has already turned down.
	Reject func(summary, candidate Span) bool
}

// BM25-style length normalisation: long sentences match more keys by chance.
const (
	k1 = 1.2
	b  = 0.5
	// priorWeight scales the weak position prior: the i-th of n summary
	// sentences tends to draw on the original near i/n.
	priorWeight = 0.15
	// windowGain is how much better two adjacent sentences must score than
	// the better of the two alone to be offered as one candidate.
	windowGain = 1.2
	// translitWeight: a name matched by sound is good evidence, not certain.
	translitWeight = 0.8
)

type posting struct {
	sent int32
	w    float32
}

type sentKey struct {
	id int32
	w  float32
}

// Index holds the features of one original, computed once, so that any
// number of summaries can be matched against it. It is safe for concurrent
// use.
type Index struct {
	text     []rune
	sents    []Span
	keyID    map[string]int32
	postings [][]posting
	idf      []float64
	sentKeys [][]sentKey          // sorted by id
	glossIdx map[string][]sentKey // w: key → z: keys of words glossed so
	norm     []float64            // per sentence, BM25 length factor
	lens     []float64
	avgLen   float64

	pinOnce sync.Once
	pin     *pinyinIndex
	runs    [][2]int32 // runs of single-character words (translit.go)
	tr      *translitIndex
	mu      sync.Mutex
	pinHits map[string][]int32 // name query key → sentences
}

// NewIndex splits the original into sentences and featurises each.
func NewIndex(original string) *Index {
	x := &Index{text: []rune(original), keyID: map[string]int32{}, pinHits: map[string][]int32{}}
	x.sents = Sentences(original)
	gc := glossCache{}
	// Which names from the original's own name table each sentence uses.
	occ := &occurrences{text: x.text}
	sentAliases := make([][]alias, len(x.sents))
	for _, a := range findAliases(x.text, occ) {
		last := int32(-1)
		for _, pos := range occ.find([]rune(a.zh), math.MaxInt) {
			if si := x.sentenceAt(int(pos)); si >= 0 && si != last {
				sentAliases[si] = append(sentAliases[si], a)
				last = si
			}
		}
	}
	x.sentKeys = make([][]sentKey, len(x.sents))
	x.lens = make([]float64, len(x.sents))
	total := 0.0
	var bg bag
	for si, s := range x.sents {
		var n int
		bg, n = featurise(bg, x.text[s.Start:s.End], nil, sentAliases[si], nil, func(a, c int) {
			x.runs = append(x.runs, [2]int32{int32(s.Start + a), int32(s.Start + c)})
		})
		x.lens[si] = float64(n)
		total += float64(n)
		ks := make([]sentKey, 0, len(bg))
		for k, w := range bg {
			id, ok := x.keyID[k]
			if !ok {
				id = int32(len(x.postings))
				x.keyID[k] = id
				x.postings = append(x.postings, nil)
			}
			x.postings[id] = append(x.postings[id], posting{int32(si), float32(w)})
			ks = append(ks, sentKey{id, float32(w)})
		}
		sort.Slice(ks, func(a, c int) bool { return ks[a].id < ks[c].id })
		x.sentKeys[si] = ks
	}
	// Gloss keys point at the Chinese words that carry them: w:deport →
	// z:驱逐 (0.8), z:遣返 (0.8) …
	x.glossIdx = map[string][]sentKey{}
	for k, id := range x.keyID {
		if strings.HasPrefix(k, "z:") {
			for _, g := range gc.keys(k[2:]) {
				x.glossIdx[g.key] = append(x.glossIdx[g.key], sentKey{id, float32(g.w)})
			}
		}
	}
	for _, l := range x.glossIdx {
		sort.Slice(l, func(a, c int) bool { return l[a].id < l[c].id })
	}
	x.avgLen = 1
	if len(x.sents) > 0 {
		x.avgLen = math.Max(1, total/float64(len(x.sents)))
	}
	x.norm = make([]float64, len(x.sents))
	for i := range x.sents {
		x.norm[i] = x.lenNorm(x.lens[i])
	}
	x.idf = make([]float64, len(x.postings))
	for id, p := range x.postings {
		x.idf[id] = x.idfOf(len(p))
	}
	return x
}

func (x *Index) lenNorm(l float64) float64 {
	return (k1 + 1) / (1 + k1*(1-b+b*l/x.avgLen))
}

func (x *Index) idfOf(df int) float64 {
	n := float64(len(x.sents))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// Sentences returns the original's sentences as the index split them.
func (x *Index) Sentences() []Span { return append([]Span(nil), x.sents...) }

// Suggest ranks, for each sentence of summary, the original's sentences
// (and pairs of adjacent sentences) by shared evidence.
func Suggest(summary, original string, opt Options) []Suggestion {
	return NewIndex(original).Suggest(summary, opt)
}

// query is one summary sentence's evidence, resolved against the index:
// one group per word of the sentence (its stem and synonyms, or a Chinese
// word and its glosses), per number or date, and per romanised name.
type query struct {
	groups []qgroup
}

type qgroup struct {
	ids  []int32
	ws   []float64
	hits []int32 // name groups: the sentences the name is read in
	hitW float64 // and the weight of such a reading
	idf  float64 // over the union of the group's sentences
}

// Suggest ranks the index's sentences for each sentence of summary.
func (x *Index) Suggest(summary string, opt Options) []Suggestion {
	limit := opt.Max
	if limit <= 0 {
		limit = 5
	}
	sr := []rune(summary)
	sums := Sentences(summary)
	out := make([]Suggestion, 0, len(sums))
	acc := make([]float64, len(x.sents))
	gw := make([]float64, len(x.sents))
	var touched, gtouched []int32
	gc := glossCache{}
	for _, s := range sums {
		q := x.query(sr[s.Start:s.End], gc)
		touched = touched[:0]
		bump := func(si int32, v float64) {
			if acc[si] == 0 {
				touched = append(touched, si)
			}
			acc[si] += v
		}
		maxPossible := 0.0
		best := x.lenNorm(0)
		for gi := range q.groups {
			g := &q.groups[gi]
			// A sentence gets the best of the group's keys, once.
			gtouched = gtouched[:0]
			for _, si := range g.hits {
				gw[si] = g.hitW
				gtouched = append(gtouched, si)
			}
			for k, id := range g.ids {
				for _, p := range x.postings[id] {
					v := g.ws[k] * float64(p.w)
					if gw[p.sent] == 0 {
						gtouched = append(gtouched, p.sent)
					}
					if v > gw[p.sent] {
						gw[p.sent] = v
					}
				}
			}
			if len(gtouched) == 0 {
				continue
			}
			g.idf = x.idfOf(len(gtouched))
			maxPossible += g.idf * best
			for _, si := range gtouched {
				bump(si, g.idf*gw[si]*x.norm[si])
				gw[si] = 0
			}
		}
		// Candidates: single sentences, then adjacent pairs around the best.
		pos := 0.5
		if len(sr) > 0 {
			pos = float64(s.Start+s.End) / 2 / float64(len(sr))
		}
		// Only the best few sentences can make the list (or seed a pair):
		// keep a short sorted list instead of sorting every touched sentence.
		keep := 4*limit + 8
		cands := make([]cand, 0, keep+8)
		for _, si := range touched {
			sp := x.sents[si]
			c := cand{int(si), int(si), acc[si] * x.prior(pos, sp.Start, sp.End), acc[si]}
			if len(cands) == keep && !c.less(cands[keep-1]) {
				continue
			}
			k := sort.Search(len(cands), func(i int) bool { return c.less(cands[i]) })
			if len(cands) < keep {
				cands = append(cands, cand{})
			}
			copy(cands[k+1:], cands[k:])
			cands[k] = c
		}
		for i, n := 0, len(cands); i < n && i < 2*limit; i++ {
			si := cands[i].first
			for _, pair := range [][2]int{{si - 1, si}, {si, si + 1}} {
				a, c := pair[0], pair[1]
				if a < 0 || c >= len(x.sents) || acc[a] == 0 || acc[c] == 0 || x.lineBreakBetween(a, c) {
					continue
				}
				raw := x.pairScore(q, a, c)
				if raw > windowGain*math.Max(acc[a], acc[c]) {
					st, en := x.sents[a].Start, x.sents[c].End
					cands = append(cands, cand{a, c, raw * x.prior(pos, st, en), raw})
				}
			}
		}
		sort.Slice(cands, func(a, c int) bool { return cands[a].less(cands[c]) })
		if opt.Reject != nil && len(touched) > keep {
			// Rejections may empty the short list; then rank everything.
			cands = x.allCandidates(cands, touched, acc, pos)
		}
		sug := Suggestion{Summary: s}
		var taken, rejected []cand
		if opt.Reject != nil {
			// Single sentences turned down also rule out pairs holding them,
			// whichever comes first in the ranking.
			for _, c := range cands {
				if c.first == c.last {
					sp := x.sents[c.first]
					if opt.Reject(s, Span{Start: sp.Start, End: sp.End, Text: sp.Text}) {
						rejected = append(rejected, c)
					}
				}
			}
		}
	pick:
		for _, c := range cands {
			if len(sug.Candidates) >= limit {
				break
			}
			for _, t := range taken {
				if c.first <= t.last && t.first <= c.last {
					continue pick // overlaps a better candidate
				}
			}
			st, en := x.sents[c.first].Start, x.sents[c.last].End
			for _, r := range rejected {
				if c.first <= r.first && r.last <= c.last {
					continue pick // holds a passage the analyst turned down
				}
			}
			sp := Span{Start: st, End: en, Text: string(x.text[st:en])}
			if opt.Reject != nil && opt.Reject(s, sp) {
				rejected = append(rejected, c)
				continue
			}
			taken = append(taken, c)
			// The prior-adjusted score, scaled so a candidate holding all the
			// sentence's matchable evidence at ideal length and place scores 1.
			score := 0.0
			if maxPossible > 0 {
				score = math.Min(1, c.score/(maxPossible*(1+priorWeight)))
			}
			sug.Candidates = append(sug.Candidates, Candidate{Span: sp, Score: score})
		}
		out = append(out, sug)
		for _, si := range touched {
			acc[si] = 0
		}
	}
	return out
}

// allCandidates extends the short list with every other touched sentence,
// in rank order, for when rejections leave the short list too thin.
func (x *Index) allCandidates(short []cand, touched []int32, acc []float64, pos float64) []cand {
	in := map[int]bool{}
	for _, c := range short {
		if c.first == c.last {
			in[c.first] = true
		}
	}
	var rest []cand
	for _, si := range touched {
		if !in[int(si)] {
			sp := x.sents[si]
			rest = append(rest, cand{int(si), int(si), acc[si] * x.prior(pos, sp.Start, sp.End), acc[si]})
		}
	}
	sort.Slice(rest, func(a, c int) bool { return rest[a].less(rest[c]) })
	return append(short, rest...)
}

type cand struct {
	first, last int // sentence indexes, inclusive
	score, raw  float64
}

func (c cand) less(d cand) bool {
	if c.score != d.score {
		return c.score > d.score
	}
	return c.first < d.first
}

// prior gently favours candidates whose place in the original matches the
// summary sentence's place in the summary.
func (x *Index) prior(pos float64, start, end int) float64 {
	if len(x.text) == 0 {
		return 1
	}
	q := float64(start+end) / 2 / float64(len(x.text))
	return 1 + priorWeight*(1-math.Abs(pos-q))
}

// pairScore scores sentences a..c together as one passage.
func (x *Index) pairScore(q query, a, c int) float64 {
	norm := x.lenNorm(x.lens[a] + x.lens[c])
	total := 0.0
	for _, g := range q.groups {
		if g.idf == 0 {
			continue
		}
		w := 0.0
		if containsSent(g.hits, int32(a)) || containsSent(g.hits, int32(c)) {
			w = g.hitW
		}
		for k, id := range g.ids {
			w = math.Max(w, g.ws[k]*math.Max(x.weight(a, id), x.weight(c, id)))
		}
		total += g.idf * w * norm
	}
	return total
}

func (x *Index) weight(si int, id int32) float64 {
	ks := x.sentKeys[si]
	i := sort.Search(len(ks), func(i int) bool { return ks[i].id >= id })
	if i < len(ks) && ks[i].id == id {
		return float64(ks[i].w)
	}
	return 0
}

func containsSent(s []int32, v int32) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i] >= v })
	return i < len(s) && s[i] == v
}

// query featurises one summary sentence and resolves its keys.
func (x *Index) query(r []rune, gc glossCache) query {
	var groups [][]string
	bg, _ := featurise(nil, r, gc, nil, &groups, nil)
	var q query
	grouped := map[string]bool{}
	seen := map[string]bool{}
	addGroup := func(keys []string) {
		var g qgroup
		var sig []string
		for _, k := range keys {
			grouped[k] = true
			if id, ok := x.keyID[k]; ok {
				g.ids = append(g.ids, id)
				g.ws = append(g.ws, bg[k])
				sig = append(sig, k)
			}
			for _, z := range x.glossIdx[k] {
				g.ids = append(g.ids, z.id)
				g.ws = append(g.ws, bg[k]*float64(z.w))
				sig = append(sig, k)
			}
		}
		sort.Strings(sig)
		if len(g.ids) == 0 || seen[strings.Join(sig, "\x00")] {
			return
		}
		seen[strings.Join(sig, "\x00")] = true
		q.groups = append(q.groups, g)
	}
	for _, g := range groups {
		addGroup(g)
	}
	// Numbers, dates and the like stand alone. Sorted: map order is random
	// and ties must break the same way every run.
	var rest []string
	for k := range bg {
		if !grouped[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		addGroup([]string{k})
	}
	toks := latinTokens(r)
	for _, nq := range nameQueries(r, toks) {
		if hits := x.nameHits(nq); len(hits) > 0 {
			q.groups = append(q.groups, qgroup{hits: hits, hitW: 1})
		}
	}
	for _, nq := range translitQueries(toks) {
		if hits := x.nameHits(nq); len(hits) > 0 {
			q.groups = append(q.groups, qgroup{hits: hits, hitW: translitWeight})
		}
	}
	return q
}

// nameHits returns the sentences where a romanised name is read, cached.
func (x *Index) nameHits(nq nameQuery) []int32 {
	x.pinOnce.Do(func() {
		x.pin = buildPinyinIndex(x.text)
		x.tr = buildTranslitIndex(x.text, x.runs, x.pin)
	})
	x.mu.Lock()
	defer x.mu.Unlock()
	if h, ok := x.pinHits[nq.key]; ok {
		return h
	}
	var hits []int32
	var positions []int32
	if nq.skeleton != "" {
		positions = x.tr.match(nq)
		sort.Slice(positions, func(a, c int) bool { return positions[a] < positions[c] })
	} else {
		positions = x.pin.match(x.text, nq)
	}
	for _, pos := range positions {
		if si := x.sentenceAt(int(pos)); si >= 0 && (len(hits) == 0 || hits[len(hits)-1] != si) {
			hits = append(hits, si)
		}
	}
	x.pinHits[nq.key] = hits
	return hits
}

// sentenceAt returns the sentence containing rune position pos, or -1.
func (x *Index) sentenceAt(pos int) int32 {
	si := sort.Search(len(x.sents), func(i int) bool { return x.sents[i].End > pos })
	if si < len(x.sents) && x.sents[si].Start <= pos {
		return int32(si)
	}
	return -1
}

// lineBreakBetween reports whether sentences a and c are on different lines
// (paragraphs, headings): pairs are offered only within a paragraph.
func (x *Index) lineBreakBetween(a, c int) bool {
	for _, r := range x.text[x.sents[a].End:x.sents[c].Start] {
		if r == '\n' || r == '\r' || r == '\u2029' {
			return true
		}
	}
	return false
}
