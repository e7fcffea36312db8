package claims

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gloss/annotate"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture builds a project from sources given as id → (meta, passages).
type fx struct {
	p annotate.Project
}

func (f *fx) src(id, outlet, published string, lang annotate.Language, rel annotate.Reliability, state bool) {
	f.p.Sources = append(f.p.Sources, annotate.Source{ID: id, Outlet: outlet, Published: published, Language: lang,
		Reliability: rel, StateAffiliated: state, Kind: annotate.KindOriginal})
}

func (f *fx) ann(id, src, quote string) {
	f.p.Annotations = append(f.p.Annotations, annotate.Annotation{ID: id, SourceID: src,
		Selector: annotate.Selector{Start: 0, End: len([]rune(quote)), Exact: quote}})
}

func ev(pairs ...string) []annotate.Evidence {
	var out []annotate.Evidence
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, annotate.Evidence{AnnotationID: pairs[i], Relation: annotate.Relation(pairs[i+1])})
	}
	return out
}

// Passages written for these tests (not from the corpus).
const (
	harbourA = "The harbour authority said on Friday that the new ferry line will open in March and carry about 4,000 passengers a day."
	harbourB = "The harbour authority said on Friday the new ferry line would open in March and carry about 4,000 passengers each day."
	harbourC = "Local fishermen told our reporter they doubt the ferry will run before summer, citing unfinished piers."
	harbourD = "An engineer who inspected the piers last week expects the line to open on schedule this spring."
)

func TestAssessGroupsAndGrades(t *testing.T) {
	var f fx
	f.src("s1", "Harbour Daily", "2025-02-01", annotate.English, "B", false)
	f.src("s2", "Coast Wire", "2025-02-02", annotate.English, "C", false)
	f.src("s3", "Fisher News", "2025-02-03", annotate.English, "C", false)
	f.src("s4", "Eng Weekly", "2025-01-30", annotate.English, "A", false)
	f.ann("a1", "s1", harbourA)
	f.ann("a2", "s2", harbourB)
	f.ann("a3", "s3", harbourC)
	f.ann("a4", "s4", harbourD)
	l := NewLookup(&f.p)

	m := annotate.Claim{ID: "m1", Text: "The ferry opens in March", Evidence: ev("a1", "supports", "a2", "supports", "a4", "supports")}
	as := Assess(m, l)
	if as.Supporting != 3 || as.IndependentSupporting != 2 || as.Contradicting != 0 {
		t.Fatalf("supporting %d (%d independent), contradicting %d; want 3 (2), 0", as.Supporting, as.IndependentSupporting, as.Contradicting)
	}
	if len(as.Echoes) != 1 || as.Echoes[0].Method != "shingles" || as.Echoes[0].Score < EchoJaccard {
		t.Fatalf("echoes %+v; want the two copies of the authority's statement", as.Echoes)
	}
	if as.Sources[0].SourceID != "s4" {
		t.Errorf("sources not oldest first: %s first", as.Sources[0].SourceID)
	}
	if as.Sources[1].Voice != as.Sources[2].Voice || as.Sources[0].Voice == as.Sources[1].Voice {
		t.Errorf("voices %d %d %d; want s1 and s2 together, s4 apart", as.Sources[0].Voice, as.Sources[1].Voice, as.Sources[2].Voice)
	}
	if as.Suggested != 1 {
		t.Errorf("suggested %d; two independent voices rated A and B/C should confirm (1): %s", as.Suggested, as.Explanation)
	}
	want := "Supported by 3 sources, 2 of them independent, one rated A; contradicted by none — 1, confirmed by other sources."
	if as.Explanation != want {
		t.Errorf("explanation\n got %q\nwant %q", as.Explanation, want)
	}
	if as.Estimative != "very likely" {
		t.Errorf("estimative %q", as.Estimative)
	}

	// The analyst says the two copies are independent: three voices.
	m.Independent = []string{"s2"}
	if as := Assess(m, l); as.IndependentSupporting != 3 || len(as.Echoes) != 1 {
		t.Errorf("with s2 declared independent: %d voices, %d echoes; want 3 voices, the echo still flagged", as.IndependentSupporting, len(as.Echoes))
	}

	// Only the echoing pair: one voice, probably true at best.
	m = annotate.Claim{ID: "m2", Evidence: ev("a1", "supports", "a2", "supports")}
	if as := Assess(m, l); as.IndependentSupporting != 1 || as.Suggested != 2 {
		t.Errorf("echo pair: %d voices, grade %d; want 1 voice, 2 (%s)", as.IndependentSupporting, as.Suggested, as.Explanation)
	}

	// Contradicted by a source as strong as the support: improbable.
	m = annotate.Claim{ID: "m3", Evidence: ev("a1", "supports", "a3", "contradicts", "a4", "contradicts")}
	if as := Assess(m, l); as.Suggested != 5 || as.Contradicting != 2 {
		t.Errorf("contradicted: grade %d, %d contradicting; want 5, 2 (%s)", as.Suggested, as.Contradicting, as.Explanation)
	}
	// Weaker contradiction: possibly true.
	m = annotate.Claim{ID: "m4", Evidence: ev("a1", "supports", "a4", "supports", "a3", "contradicts")}
	if as := Assess(m, l); as.Suggested != 3 {
		t.Errorf("disputed: grade %d; want 3 (%s)", as.Suggested, as.Explanation)
	}
	// Mentions only, or nothing: cannot be judged.
	for _, m := range []annotate.Claim{{ID: "m5", Evidence: ev("a3", "mentions")}, {ID: "m6"}} {
		if as := Assess(m, l); as.Suggested != 6 || as.Estimative != "" {
			t.Errorf("%s: grade %d %q; want 6 and no phrase", m.ID, as.Suggested, as.Estimative)
		}
	}
	// A missing annotation is counted, not a panic.
	m = annotate.Claim{ID: "m7", Evidence: ev("gone", "supports", "a3", "supports")}
	if as := Assess(m, l); as.Missing != 1 || as.Supporting != 1 || as.Suggested != 2 ||
		as.Explanation != "Supported by 1 source, rated C; contradicted by none — 2, probably true." {
		t.Errorf("missing evidence: %+v", as)
	}
}

func TestStateOutletsAreOneVoice(t *testing.T) {
	var f fx
	f.src("g", "Global Times", "2024-07-03", annotate.English, "C", true)
	f.src("c", "China Daily", "2006-04-05", annotate.English, "C", true)
	f.src("v", "Voice of America", "2024-05-10", annotate.English, "B", true)
	f.src("r", "Reuters", "2025-01-28", annotate.English, "B", false)
	f.ann("ag", "g", "Officials in the capital promised faster checks on returnees.")
	f.ann("ac", "c", "A ministry spokesman welcomed closer work on identity checks.")
	f.ann("av", "v", "Washington confirmed that the talks had resumed in spring.")
	f.ann("ar", "r", "Two officials described the cooperation as limited so far.")
	l := NewLookup(&f.p)
	m := annotate.Claim{ID: "m", Evidence: ev("ag", "supports", "ac", "supports", "av", "supports", "ar", "supports")}
	as := Assess(m, l)
	if as.Supporting != 4 || as.IndependentSupporting != 3 {
		t.Fatalf("%d sources, %d voices; want 4 sources, 3 voices (Chinese state media as one)", as.Supporting, as.IndependentSupporting)
	}
	var found bool
	for _, v := range as.Voices {
		if len(v.Sources) == 2 && strings.Contains(strings.Join(v.Why, ";"), "state-affiliated outlets of China") {
			found = true
		}
	}
	if !found {
		t.Errorf("voices %+v; want Global Times and China Daily grouped as state outlets of China", as.Voices)
	}
	m.Independent = []string{"c"}
	if as := Assess(m, l); as.IndependentSupporting != 4 {
		t.Errorf("analyst override: %d voices; want 4", as.IndependentSupporting)
	}
}

func TestCrossLanguageEcho(t *testing.T) {
	var f fx
	f.src("zh", "", "2025-03-01", annotate.Simplified, "C", false)
	f.src("en", "Bay Post", "2025-03-02", annotate.English, "B", false)
	f.src("en2", "Hill Times", "2025-03-02", annotate.English, "B", false)
	f.ann("az", "zh", "交通部表示,新的渡轮航线将于三月开通,每天运送约4000名乘客。")
	f.ann("ae", "en", "The transport ministry said the new ferry line will open in March, carrying about 4,000 passengers every day.")
	f.ann("ax", "en2", "Farmers in the valley reported a poor harvest after a dry summer.")
	l := NewLookup(&f.p)
	as := Assess(annotate.Claim{ID: "m", Evidence: ev("az", "supports", "ae", "supports", "ax", "supports")}, l)
	if len(as.Echoes) != 1 || as.Echoes[0].Method != "cross-language" {
		t.Fatalf("echoes %+v; want the Chinese and English versions paired across languages", as.Echoes)
	}
	if as.IndependentSupporting != 2 {
		t.Errorf("%d voices; want 2", as.IndependentSupporting)
	}
}

func TestShingleSimilarity(t *testing.T) {
	cases := []struct {
		a, b string
		echo bool
	}{
		{harbourA, harbourB, true},
		{harbourA, strings.ToUpper(harbourA), true},
		{harbourA, harbourC, false},
		{"渡轮航线将于三月开通,每天运送约四千名乘客。", "渡轮航线将于三月开通，每天运送约四千名乘客", true},
		{"渡轮航线将于三月开通", "渔民怀疑渡轮夏天以前不会运行", false},
		{"", harbourA, false},
		// A short quote inside a long passage is not an echo by containment.
		{"the new ferry line", harbourA, false},
		// A long passage quoted whole inside a longer one is.
		{harbourA, harbourC + " " + harbourA + " " + harbourD, true},
	}
	for _, c := range cases {
		s := similarity(shingles(c.a), shingles(c.b))
		if (s >= EchoJaccard) != c.echo {
			t.Errorf("similarity(%.30q, %.30q) = %.2f; echo want %v", c.a, c.b, s, c.echo)
		}
	}
}

func TestUseCases(t *testing.T) {
	if _, _, err := New("  ", "", "", "", t0); err == nil || !strings.Contains(err.Error(), "claim text") {
		t.Errorf("empty text: %v", err)
	}
	if _, _, err := New("x", "", "2024-13", "", t0); err == nil || !strings.Contains(err.Error(), "claim time") {
		t.Errorf("bad time: %v", err)
	}
	c, m, err := New(" China accepts verified deportees ", "", "2024", "ana", t0)
	if err != nil || len(c.PutClaims) != 1 || m.Text != "China accepts verified deportees" || !strings.HasPrefix(m.ID, annotate.ClaimPrefix) {
		t.Fatalf("new: %v %+v", err, m)
	}
	c, err = Attach(m, "a1", annotate.Supports, t0)
	if err != nil {
		t.Fatal(err)
	}
	m = c.PutClaims[0]
	if _, err := Attach(m, "a1", annotate.Supports, t0); err == nil {
		t.Error("attaching twice with the same relation should say so")
	}
	if _, err := Attach(m, "a2", "agrees", t0); err == nil || !strings.Contains(err.Error(), "relation") {
		t.Errorf("bad relation: %v", err)
	}
	c, _ = Attach(m, "a1", annotate.Contradicts, t0)
	if got := c.PutClaims[0].Evidence; len(got) != 1 || got[0].Relation != annotate.Contradicts || c.Label != "Change evidence" {
		t.Errorf("change relation: %+v %q", got, c.Label)
	}
	c, _ = Attach(m, "a2", annotate.Mentions, t0)
	m = c.PutClaims[0]
	c, err = Detach(m, "a1", t0)
	if err != nil || len(c.PutClaims[0].Evidence) != 1 || c.PutClaims[0].Evidence[0].AnnotationID != "a2" {
		t.Errorf("detach: %v %+v", err, c.PutClaims)
	}
	if _, err := Detach(m, "zz", t0); err == nil {
		t.Error("detaching what is not attached should fail")
	}
	as := Assessment{Suggested: 3}
	c, _ = Accept(m, as, t0)
	if g := c.PutClaims[0]; g.Grade != 3 || g.SuggestedGrade != 3 {
		t.Errorf("accept: %d/%d", g.Grade, g.SuggestedGrade)
	}
	c, _ = SetGrade(m, 2, as, t0)
	if g := c.PutClaims[0]; g.Grade != 2 || g.SuggestedGrade != 3 {
		t.Errorf("set grade keeps the suggestion: %d/%d", g.Grade, g.SuggestedGrade)
	}
	if _, err := SetGrade(m, 7, as, t0); err == nil {
		t.Error("grade 7 accepted")
	}
	if c, err := SetEstimative(m, "Highly Probable", t0); err != nil || c.PutClaims[0].Estimative != "very likely" {
		t.Errorf("estimative synonym: %v %+v", err, c.PutClaims)
	}
	if _, err := SetEstimative(m, "maybe", t0); err == nil || !strings.Contains(err.Error(), "ICD 203") {
		t.Errorf("bad estimative: %v", err)
	}
}

func TestBoardMatchesFullRecompute(t *testing.T) {
	p := synthetic(40, 8)
	b := NewBoard(p)
	m := p.Claims[3]
	c, _ := Attach(m, p.Annotations[0].ID, annotate.Contradicts, t0)
	if ids := b.Apply(c); len(ids) != 1 || ids[0] != m.ID {
		t.Errorf("attach reassessed %v; want only %s", ids, m.ID)
	}
	// A source's grade changes: every claim citing it is reassessed.
	s := p.Sources[0]
	s.Reliability = "E"
	ids := b.Apply(annotate.Change{PutSources: []annotate.Source{s}})
	if len(ids) == 0 {
		t.Error("regrading a source reassessed nothing")
	}
	// Delete an annotation with annotate's cascade, built on the board's
	// current state.
	del := p.Annotations[5].ID
	cited := b.ClaimsCiting(del)
	if len(cited) == 0 {
		t.Fatal("fixture: annotation 5 cited by no claim")
	}
	b.Apply(annotate.NewIndex(b.snapshot()).DeleteAnnotations(del))
	if len(b.ClaimsCiting(del)) != 0 {
		t.Error("deleted annotation still cited")
	}
	// Compare with assessing the resulting project from scratch.
	q := *b.snapshot()
	full := NewBoard(&q)
	for _, m := range q.Claims {
		x, _ := b.Assessment(m.ID)
		y, _ := full.Assessment(m.ID)
		if fmt.Sprint(x) != fmt.Sprint(y) {
			t.Fatalf("claim %s: incremental %+v\nfull %+v", m.ID, x, y)
		}
	}
}

// synthetic makes claims citing perClaim annotations each, spread over
// sources of varied grade, with passages that sometimes repeat.
// snapshot is the board's state as a project.
func (b *Board) snapshot() *annotate.Project {
	q := &annotate.Project{Claims: b.Claims()}
	for _, s := range b.srcs {
		q.Sources = append(q.Sources, s)
	}
	for _, a := range b.anns {
		q.Annotations = append(q.Annotations, a)
	}
	return q
}

func synthetic(nClaims, perClaim int) *annotate.Project {
	p := &annotate.Project{}
	grades := []annotate.Reliability{"A", "B", "C", "D", "E", "F", ""}
	nSrc := max(10, nClaims/5)
	for i := 0; i < nSrc; i++ {
		p.Sources = append(p.Sources, annotate.Source{ID: fmt.Sprintf("s%04d", i), Outlet: fmt.Sprintf("Outlet %d", i%(nSrc/2+1)),
			Published: fmt.Sprintf("20%02d-01-01", 10+i%15), Language: annotate.English, Reliability: grades[i%len(grades)],
			StateAffiliated: i%7 == 0})
	}
	words := strings.Fields("ferry harbour line opens march passengers officials said new route weekly service delayed council budget pier engineers inspection summer")
	nAnn := nClaims * perClaim
	for i := 0; i < nAnn; i++ {
		var b strings.Builder
		for k := 0; k < 18; k++ {
			b.WriteString(words[(i/3*7+k*k+k)%len(words)] + " ")
		}
		q := b.String()
		p.Annotations = append(p.Annotations, annotate.Annotation{ID: fmt.Sprintf("a%06d", i), SourceID: p.Sources[i%nSrc].ID,
			Selector: annotate.Selector{End: len(q), Exact: q}, Credibility: annotate.Credibility(i % 7)})
	}
	rels := []annotate.Relation{annotate.Supports, annotate.Supports, annotate.Contradicts, annotate.Mentions}
	for m := 0; m < nClaims; m++ {
		c := annotate.Claim{ID: fmt.Sprintf("m%05d", m), Text: "claim"}
		for k := 0; k < perClaim; k++ {
			c.Evidence = append(c.Evidence, annotate.Evidence{AnnotationID: p.Annotations[(m*perClaim+k*37)%nAnn].ID, Relation: rels[(m+k)%len(rels)]})
		}
		// no duplicates: step 37 over nAnn ≥ perClaim distinct as long as gcd small
		p.Claims = append(p.Claims, c)
	}
	return p
}

// A board over an index (the window's) keeps only cited annotations and
// finds a newly cited one in the current index; its assessments are those
// of a board made from the whole project.
func TestBoardOverIndexMatchesCopy(t *testing.T) {
	p := synthetic(20, 4)
	// Annotations no claim cites yet.
	extra := p.Annotations[len(p.Annotations)-1]
	extra.ID, extra.Modified = "fresh", t0
	cur := annotate.NewIndex(p)
	b := NewBoardOver(cur.P, func(id string) (annotate.Annotation, bool) {
		if a := cur.Annotation(id); a != nil {
			return *a, true
		}
		return annotate.Annotation{}, false
	})
	put := annotate.Change{PutAnnotations: []annotate.Annotation{extra}}
	cur = cur.With(put) // the session updates its index, then tells the board
	b.Apply(put)
	if _, ok := b.anns["fresh"]; ok {
		t.Fatal("the board copied an annotation no claim cites")
	}
	c, _ := Attach(p.Claims[2], "fresh", annotate.Contradicts, t0)
	cur = cur.With(c)
	b.Apply(c)
	if _, ok := b.anns["fresh"]; !ok {
		t.Fatal("a newly cited annotation is not on the board")
	}
	full := NewBoard(cur.Project())
	for _, m := range cur.P.Claims {
		x, _ := b.Assessment(m.ID)
		y, _ := full.Assessment(m.ID)
		if fmt.Sprint(x) != fmt.Sprint(y) {
			t.Fatalf("claim %s: over the index %+v\nfrom a copy %+v", m.ID, x, y)
		}
	}
}
