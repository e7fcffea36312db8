// Package claims assesses how well a claim is corroborated by the passages
// attached to it: evidence grouped by source, likely echoes (near-duplicate
// passages, state outlets of one state, translations), independent voices,
// and a suggested Admiralty information-credibility grade with a one-sentence
// explanation. It also builds the Changes of the claim use cases.
//
// It is pure Go: the Claims view, reports and CLI render what it returns.
package claims

import (
	"fmt"
	"sort"
	"strings"

	"gloss/annotate"
)

// Lookup is what an assessment reads besides the claim.
type Lookup interface {
	Annotation(id string) (annotate.Annotation, bool)
	Source(id string) (annotate.Source, bool)
}

// projectLookup indexes a project snapshot.
type projectLookup struct {
	anns map[string]*annotate.Annotation
	srcs map[string]*annotate.Source
}

// NewLookup indexes p; p must not change while the lookup is used.
func NewLookup(p *annotate.Project) Lookup {
	l := projectLookup{anns: make(map[string]*annotate.Annotation, len(p.Annotations)), srcs: make(map[string]*annotate.Source, len(p.Sources))}
	for i := range p.Annotations {
		l.anns[p.Annotations[i].ID] = &p.Annotations[i]
	}
	for i := range p.Sources {
		l.srcs[p.Sources[i].ID] = &p.Sources[i]
	}
	return l
}

func (l projectLookup) Annotation(id string) (annotate.Annotation, bool) {
	if a := l.anns[id]; a != nil {
		return *a, true
	}
	return annotate.Annotation{}, false
}

func (l projectLookup) Source(id string) (annotate.Source, bool) {
	if s := l.srcs[id]; s != nil {
		return *s, true
	}
	return annotate.Source{}, false
}

// Item is one attached passage.
type Item struct {
	AnnotationID string               `json:"annotationId"`
	Relation     annotate.Relation    `json:"relation"`
	Quote        string               `json:"quote"`
	Start        int                  `json:"start"` // code points in the source
	End          int                  `json:"end"`
	Credibility  annotate.Credibility `json:"credibility,omitempty"`
	Anchor       annotate.AnchorState `json:"anchor,omitempty"`
	// Missing: the claim cites an annotation the project no longer has.
	Missing bool `json:"missing,omitempty"`
}

// SourceEvidence is a claim's evidence from one source.
type SourceEvidence struct {
	SourceID          string               `json:"sourceId"`
	Title             string               `json:"title"`
	Outlet            string               `json:"outlet,omitempty"`
	Published         string               `json:"published,omitempty"`
	Language          annotate.Language    `json:"language,omitempty"`
	Reliability       annotate.Reliability `json:"reliability,omitempty"`
	StateAffiliated   bool                 `json:"stateAffiliated,omitempty"`
	MachineTranslated bool                 `json:"machineTranslated,omitempty"`
	Items             []Item               `json:"items"`
	// Voice indexes Assessment.Voices: sources with one Voice are one voice.
	Voice int `json:"voice"`
}

// Has reports whether the source has a passage with relation r.
func (s SourceEvidence) Has(r annotate.Relation) bool {
	for _, it := range s.Items {
		if it.Relation == r && !it.Missing {
			return true
		}
	}
	return false
}

// Voice is a set of sources that count once: one outlet, state outlets of
// one state, a translation and its original, or sources that echo each
// other's passages.
type Voice struct {
	Sources []string `json:"sources"`
	// Why lists the reasons the sources were grouped (empty for one source).
	Why []string `json:"why,omitempty"`
}

// Echo is a pair of near-duplicate passages in different sources.
type Echo struct {
	A, B    string  `json:"-"` // annotation IDs
	SourceA string  `json:"sourceA"`
	SourceB string  `json:"sourceB"`
	Score   float64 `json:"score"`
	// Method is "shingles" (same language) or "cross-language".
	Method string `json:"method"`
}

// Assessment is what the Claims view shows for one claim.
type Assessment struct {
	ClaimID string           `json:"claimId"`
	Sources []SourceEvidence `json:"sources"` // oldest first, undated last
	// Counts of sources with at least one such passage.
	Supporting    int `json:"supporting"`
	Contradicting int `json:"contradicting"`
	Mentioning    int `json:"mentioning"`
	// Counts of independent voices with at least one such passage.
	IndependentSupporting    int     `json:"independentSupporting"`
	IndependentContradicting int     `json:"independentContradicting"`
	Voices                   []Voice `json:"voices"`
	Echoes                   []Echo  `json:"echoes,omitempty"`
	// Suggested is the information credibility Gloss suggests (1–6) and
	// Explanation says why in one sentence.
	Suggested   annotate.Credibility `json:"suggested"`
	Explanation string               `json:"explanation"`
	// Estimative is the ICD 203 phrase matching Suggested ("" for 6).
	Estimative string `json:"estimative,omitempty"`
	// Missing counts cited annotations that no longer exist.
	Missing int `json:"missing,omitempty"`
}

// Assessor assesses claims against a lookup, caching what is costly
// (shingles per passage, cross-language scores per pair of passages) so
// that reassessing a claim after one change costs little.
type Assessor struct {
	look Lookup
	// StateOf names the state behind a state-affiliated source ("" when
	// unknown: such a source is grouped with no other on that ground).
	StateOf func(annotate.Source) string

	shingle map[string]shingleEntry
	cross   map[[2]string]float64 // quotes (latin, han) → score
}

type shingleEntry struct {
	quote string
	set   shingleSet
}

// NewAssessor returns an assessor over l with DefaultStateOf.
func NewAssessor(l Lookup) *Assessor {
	return &Assessor{look: l, StateOf: DefaultStateOf, shingle: map[string]shingleEntry{}, cross: map[[2]string]float64{}}
}

// SetLookup points the assessor at a newer snapshot; caches stay valid
// because they are keyed by the passages' text.
func (a *Assessor) SetLookup(l Lookup) { a.look = l }

// Assess assesses one claim against l.
func Assess(m annotate.Claim, l Lookup) Assessment { return NewAssessor(l).Assess(m) }

// stateOutlets maps well-known state-affiliated outlets to their state.
var stateOutlets = map[string]string{
	"global times": "China", "环球时报": "China", "china daily": "China", "中国日报": "China",
	"xinhua": "China", "新华社": "China", "新华网": "China", "people's daily": "China", "人民日报": "China",
	"cgtn": "China", "cctv": "China", "中央电视台": "China", "央视": "China", "china news service": "China",
	"中国新闻社": "China", "中新社": "China", "ecns": "China",
	"voice of america": "United States", "voa": "United States", "美国之音": "United States",
	"radio free asia": "United States", "rfa": "United States", "自由亚洲电台": "United States",
	"rt": "Russia", "tass": "Russia", "sputnik": "Russia",
}

// DefaultStateOf names the state of a state-affiliated source from its
// outlet, else from a Chinese language tag; otherwise "".
func DefaultStateOf(s annotate.Source) string {
	if !s.StateAffiliated {
		return ""
	}
	o := strings.ToLower(strings.TrimSpace(s.Outlet))
	if st, ok := stateOutlets[o]; ok {
		return st
	}
	for name, st := range stateOutlets {
		if len(name) > 4 && strings.Contains(o, name) {
			return st
		}
	}
	if s.Language == annotate.Simplified {
		return "China"
	}
	return ""
}

// Assess assesses one claim.
func (a *Assessor) Assess(m annotate.Claim) Assessment {
	as := Assessment{ClaimID: m.ID}
	bySrc := map[string]int{}
	type passage struct {
		src  int
		item Item
	}
	var passages []passage
	for _, e := range m.Evidence {
		ann, ok := a.look.Annotation(e.AnnotationID)
		if !ok {
			as.Missing++
			continue
		}
		it := Item{AnnotationID: ann.ID, Relation: e.Relation, Quote: ann.Selector.Exact, Start: ann.Selector.Start,
			End: ann.Selector.End, Credibility: ann.Credibility, Anchor: ann.Anchor}
		k, ok := bySrc[ann.SourceID]
		if !ok {
			src, found := a.look.Source(ann.SourceID)
			se := SourceEvidence{SourceID: ann.SourceID, Title: ann.SourceID}
			if found {
				se = SourceEvidence{SourceID: src.ID, Title: src.DisplayTitle(), Outlet: src.Outlet, Published: src.Published,
					Language: src.Language, Reliability: src.Reliability, StateAffiliated: src.StateAffiliated,
					MachineTranslated: src.MachineTranslated}
			}
			k = len(as.Sources)
			bySrc[ann.SourceID] = k
			as.Sources = append(as.Sources, se)
		}
		as.Sources[k].Items = append(as.Sources[k].Items, it)
		passages = append(passages, passage{k, it})
	}
	// Oldest first: the order in which a claim spread.
	order := make([]int, len(as.Sources))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		pi, pj := as.Sources[order[i]].Published, as.Sources[order[j]].Published
		if (pi == "") != (pj == "") {
			return pj == ""
		}
		return pi < pj
	})
	sorted := make([]SourceEvidence, len(order))
	newAt := make([]int, len(order))
	for n, k := range order {
		sorted[n] = as.Sources[k]
		newAt[k] = n
	}
	as.Sources = sorted
	for i := range passages {
		passages[i].src = newAt[passages[i].src]
	}

	// Group sources into voices.
	uf := newUnion(len(as.Sources))
	why := map[int][]string{}
	join := func(i, j int, reason string) {
		if i != j && uf.union(i, j) {
			why[i] = append(why[i], reason)
		}
	}
	independent := map[string]bool{}
	for _, s := range m.Independent {
		independent[s] = true
	}
	srcs := make([]annotate.Source, len(as.Sources))
	for i, se := range as.Sources {
		srcs[i], _ = a.look.Source(se.SourceID)
	}
	outlet := map[string]int{}
	state := map[string]int{}
	for i, se := range as.Sources {
		if independent[se.SourceID] {
			continue // the analyst says this source speaks for itself
		}
		if o := strings.ToLower(strings.TrimSpace(se.Outlet)); o != "" {
			if j, ok := outlet[o]; ok {
				join(j, i, "same outlet ("+se.Outlet+")")
			} else {
				outlet[o] = i
			}
		}
		if st := a.StateOf(srcs[i]); st != "" {
			if j, ok := state[st]; ok {
				join(j, i, "state-affiliated outlets of "+st)
			} else {
				state[st] = i
			}
		}
		for _, orig := range srcs[i].Originals {
			if j, ok := bySrc[orig]; ok && (srcs[i].Kind == annotate.KindTranslation || srcs[i].Kind == annotate.KindSummary) {
				join(newAt[j], i, "a translation or summary of the other")
			}
		}
	}
	for x := 0; x < len(passages); x++ {
		for y := x + 1; y < len(passages); y++ {
			p, q := passages[x], passages[y]
			if p.src == q.src || p.item.Relation != q.item.Relation {
				continue
			}
			score, method := a.echo(p.item, q.item)
			if score <= 0 {
				continue
			}
			sa, sb := as.Sources[p.src].SourceID, as.Sources[q.src].SourceID
			as.Echoes = append(as.Echoes, Echo{A: p.item.AnnotationID, B: q.item.AnnotationID, SourceA: sa, SourceB: sb, Score: score, Method: method})
			if independent[sa] || independent[sb] {
				continue // flagged, but the analyst keeps them apart
			}
			join(p.src, q.src, "near-duplicate passages")
		}
	}
	voiceOf := map[int]int{}
	for i := range as.Sources {
		r := uf.find(i)
		v, ok := voiceOf[r]
		if !ok {
			v = len(as.Voices)
			voiceOf[r] = v
			as.Voices = append(as.Voices, Voice{})
		}
		as.Sources[i].Voice = v
		as.Voices[v].Sources = append(as.Voices[v].Sources, as.Sources[i].SourceID)
	}
	for i, reasons := range why {
		v := voiceOf[uf.find(i)]
		for _, r := range reasons {
			if !contains(as.Voices[v].Why, r) {
				as.Voices[v].Why = append(as.Voices[v].Why, r)
			}
		}
	}
	for _, r := range as.Voices {
		sort.Strings(r.Why)
	}

	supV, conV := map[int]bool{}, map[int]bool{}
	for _, se := range as.Sources {
		if se.Has(annotate.Supports) {
			as.Supporting++
			supV[se.Voice] = true
		}
		if se.Has(annotate.Contradicts) {
			as.Contradicting++
			conV[se.Voice] = true
		}
		if se.Has(annotate.Mentions) {
			as.Mentioning++
		}
	}
	as.IndependentSupporting, as.IndependentContradicting = len(supV), len(conV)
	as.Suggested, as.Explanation = a.suggest(as, supV, conV)
	as.Estimative = EstimativeFor(as.Suggested)
	return as
}

// echo reports whether two passages are near-duplicates, with the score.
func (a *Assessor) echo(p, q Item) (float64, string) {
	sp, sq := a.shingles(p), a.shingles(q)
	if sp.han == sq.han {
		if s := similarity(sp, sq); s >= EchoJaccard {
			return s, "shingles"
		}
		return 0, ""
	}
	latin, han := p.Quote, q.Quote
	if sp.han {
		latin, han = han, latin
	}
	key := [2]string{latin, han}
	s, ok := a.cross[key]
	if !ok {
		s = crossLanguage(latin, han)
		a.cross[key] = s
	}
	if s >= EchoCrossLanguage {
		return s, "cross-language"
	}
	return 0, ""
}

func (a *Assessor) shingles(it Item) shingleSet {
	if e, ok := a.shingle[it.AnnotationID]; ok && e.quote == it.Quote {
		return e.set
	}
	set := shingles(it.Quote)
	a.shingle[it.AnnotationID] = shingleEntry{it.Quote, set}
	return set
}

// reliabilityWeight is how much one voice's word counts, by its best
// source's grade: unrated and F ("cannot be judged") count as doubtful.
func reliabilityWeight(r annotate.Reliability) float64 {
	switch r {
	case "A":
		return 1
	case "B":
		return 0.8
	case "C":
		return 0.6
	case "D":
		return 0.4
	case "E":
		return 0.1
	}
	return 0.3
}

// credibilityWeight discounts a passage the analyst rated doubtful or worse.
func credibilityWeight(c annotate.Credibility) float64 {
	switch c {
	case 4:
		return 0.6
	case 5:
		return 0.3
	}
	return 1
}

// suggest applies the Admiralty definitions: 1 confirmed by independent
// sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable
// (contradicted by other information), 6 cannot be judged.
func (a *Assessor) suggest(as Assessment, supV, conV map[int]bool) (annotate.Credibility, string) {
	voiceW := func(rel annotate.Relation) map[int]float64 {
		w := map[int]float64{}
		for _, se := range as.Sources {
			for _, it := range se.Items {
				if it.Relation != rel || it.Missing {
					continue
				}
				v := reliabilityWeight(se.Reliability) * credibilityWeight(it.Credibility)
				if v > w[se.Voice] {
					w[se.Voice] = v
				}
			}
		}
		return w
	}
	sw, cw := voiceW(annotate.Supports), voiceW(annotate.Contradicts)
	sum := func(m map[int]float64) (t float64, strong int) {
		for _, v := range m {
			t += v
			if v >= 0.6 {
				strong++
			}
		}
		return
	}
	S, strongS := sum(sw)
	C, _ := sum(cw)
	var g annotate.Credibility
	switch {
	case len(supV) == 0 && len(conV) == 0:
		g = 6
	case len(conV) > 0 && C >= S:
		g = 5
	case len(conV) == 0 && len(supV) >= 2 && strongS >= 2:
		g = 1
	case len(conV) > 0:
		g = 3 // some information agrees, some disagrees
	case S >= 0.6:
		g = 2
	case S >= 0.3:
		g = 3
	default:
		g = 4
	}
	return g, explain(as, g)
}

// explain writes the one sentence beside a suggestion:
// "Supported by 3 sources, 2 of them independent, one rated B; contradicted by none."
func explain(as Assessment, g annotate.Credibility) string {
	if as.Supporting == 0 && as.Contradicting == 0 {
		if as.Mentioning > 0 {
			return fmt.Sprintf("Mentioned by %s but neither supported nor contradicted, so it cannot be judged (%d).", count(as.Mentioning, "source"), g)
		}
		return fmt.Sprintf("No evidence attached, so it cannot be judged (%d).", g)
	}
	var b strings.Builder
	side := func(verb string, rel annotate.Relation, n, indep int) {
		if n == 0 {
			b.WriteString(verb + " by none")
			return
		}
		b.WriteString(verb + " by " + count(n, "source"))
		if n > 1 {
			switch indep {
			case n:
				b.WriteString(", all independent")
			case 1:
				b.WriteString(", one independent voice")
			default:
				fmt.Fprintf(&b, ", %d of them independent", indep)
			}
		}
		if best := bestGrade(as, rel); best != "" {
			if n == 1 {
				fmt.Fprintf(&b, ", rated %s", best)
			} else {
				fmt.Fprintf(&b, ", %s rated %s", gradeCount(as, rel, best, n), best)
			}
		}
	}
	side("Supported", annotate.Supports, as.Supporting, as.IndependentSupporting)
	b.WriteString("; ")
	side("contradicted", annotate.Contradicts, as.Contradicting, as.IndependentContradicting)
	fmt.Fprintf(&b, " — %d, %s.", g, strings.ToLower(g.Label()))
	return b.String()
}

func bestGrade(as Assessment, rel annotate.Relation) annotate.Reliability {
	best := annotate.Reliability("")
	for _, se := range as.Sources {
		if se.Has(rel) && se.Reliability != "" && se.Reliability != "F" && (best == "" || se.Reliability < best) {
			best = se.Reliability
		}
	}
	return best
}

func gradeCount(as Assessment, rel annotate.Relation, g annotate.Reliability, n int) string {
	k := 0
	for _, se := range as.Sources {
		if se.Has(rel) && se.Reliability == g {
			k++
		}
	}
	switch {
	case k == n:
		return "all"
	case k == 1:
		return "one"
	}
	return fmt.Sprintf("%d", k)
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

type union struct{ parent []int }

func newUnion(n int) *union {
	u := &union{parent: make([]int, n)}
	for i := range u.parent {
		u.parent[i] = i
	}
	return u
}

func (u *union) find(i int) int {
	for u.parent[i] != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = u.parent[i]
	}
	return i
}

// union joins the sets of i and j and reports whether they were apart.
func (u *union) union(i, j int) bool {
	ri, rj := u.find(i), u.find(j)
	if ri == rj {
		return false
	}
	if rj < ri {
		ri, rj = rj, ri
	}
	u.parent[rj] = ri
	return true
}
