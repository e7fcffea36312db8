package suggest

import (
	"strings"
	"testing"
)

// A bilingual fixture written for these tests (not corpus text): each
// summary sentence rests on one original sentence, reached through a
// different signal.
const fixtureOriginal = `外交部：加强执法合作
新华社北京3月15日电 外交部发言人华春莹(Hua Chunying)15日在例行记者会上表示,中方愿与各国加强执法合作。她说,2022年中国警方共破获跨境诈骗案件1.2万起,比上一年增长近三成。
据统计,去年有超过三千名嫌疑人被遣返回国。华春莹还说,中方反对任何形式的非法移民活动。
另据报道,张伟在上海会见了来访的代表团。代表团成员参观了港口。`

var fixtureLinks = []struct{ summary, evidence string }{
	{"On March 15, a foreign ministry spokeswoman said China would strengthen law-enforcement cooperation with other countries.", "外交部发言人华春莹"},
	{"Police broke up 12,000 cross-border fraud cases in 2022.", "破获跨境诈骗案件1.2万起"},
	{"More than 3,000 suspects were sent back last year.", "超过三千名嫌疑人"},
	{"Hua added that Beijing opposes illegal immigration in every form.", "反对任何形式的非法移民"},
	{"Zhang Wei met a visiting delegation in Shanghai.", "张伟在上海会见"},
}

func fixtureSummary() string {
	var s []string
	for _, l := range fixtureLinks {
		s = append(s, l.summary)
	}
	return strings.Join(s, " ")
}

func TestSuggestFixture(t *testing.T) {
	got := Suggest(fixtureSummary(), fixtureOriginal, Options{})
	if len(got) != len(fixtureLinks) {
		t.Fatalf("%d suggestions, want %d", len(got), len(fixtureLinks))
	}
	orig := []rune(fixtureOriginal)
	for i, l := range fixtureLinks {
		cs := got[i].Candidates
		if got[i].Summary.Text != l.summary {
			t.Errorf("summary %d = %q", i, got[i].Summary.Text)
		}
		if len(cs) == 0 {
			t.Errorf("%q: no candidates", l.summary)
			continue
		}
		for _, c := range cs {
			if string(orig[c.Start:c.End]) != c.Text {
				t.Errorf("candidate %d..%d text %q does not match the original there", c.Start, c.End, c.Text)
			}
			if c.Score <= 0 || c.Score > 1 {
				t.Errorf("candidate score %v out of (0,1]", c.Score)
			}
		}
		if !strings.Contains(cs[0].Text, l.evidence) {
			t.Errorf("%q:\n first candidate %q\n want the sentence with %q", l.summary, cs[0].Text, l.evidence)
		}
	}
}

func TestNameTableAndPinyin(t *testing.T) {
	r := []rune(fixtureOriginal)
	as := findAliases(r, &occurrences{text: r})
	found := false
	for _, a := range as {
		if a.zh == "华春莹" && strings.Join(a.latin, " ") == "hua chunying" {
			found = true
		}
	}
	if !found {
		t.Errorf("name table %+v lacks 华春莹 = Hua Chunying", as)
	}
	// Middle-dot names pair from the end; the family name is what recurs.
	text := []rune("国土安全部长亚里杭德罗·马约卡斯 (Alejandro Mayorkas)表示同意。马约卡斯说,会谈顺利。")
	as = findAliases(text, &occurrences{text: text})
	found = false
	for _, a := range as {
		if a.zh == "马约卡斯" && len(a.latin) == 1 && a.latin[0] == "mayorkas" {
			found = true
		}
	}
	if !found {
		t.Errorf("name table %+v lacks 马约卡斯 = Mayorkas", as)
	}

	x := NewIndex(fixtureOriginal)
	s := "Zhang Wei met them."
	qs := nameQueries([]rune(s), latinTokens([]rune(s)))
	var full *nameQuery
	for i := range qs {
		if qs[i].key == "p:zhang wei" {
			full = &qs[i]
		}
	}
	if full == nil {
		t.Fatalf("no query for the name Zhang Wei in %+v", qs)
	}
	hits := x.nameHits(*full)
	if len(hits) != 1 || !strings.Contains(x.sents[hits[0]].Text, "张伟") {
		t.Errorf("Zhang Wei read in sentences %v", hits)
	}
	// Ordinary capitalised English words are no names.
	s = "Police met Homeland Security officials."
	for _, q := range nameQueries([]rune(s), latinTokens([]rune(s))) {
		if q.key != "p:police" && len(x.nameHits(q)) > 0 {
			t.Errorf("%s matched as a name", q.key)
		}
	}
}

func TestSuggestOptions(t *testing.T) {
	sum := fixtureLinks[3].summary // evidence in more than one sentence
	all := Suggest(sum, fixtureOriginal, Options{Max: 2})
	if len(all) != 1 || len(all[0].Candidates) > 2 {
		t.Fatalf("Max 2: %+v", all)
	}
	first := all[0].Candidates[0]
	// Rejecting the best pair brings the next one up, and nothing overlapping
	// the rejected span is offered again as a pair containing it.
	rej := Suggest(sum, fixtureOriginal, Options{Max: 2, Reject: func(s, c Span) bool {
		return c.Start == first.Start && c.End == first.End
	}})
	for _, c := range rej[0].Candidates {
		if c.Start <= first.Start && first.End <= c.End {
			t.Errorf("rejected passage offered again in %d..%d", c.Start, c.End)
		}
	}
	if len(rej[0].Candidates) == 0 {
		t.Errorf("no candidates after one rejection")
	}
}

func TestRejectRulesOutPairs(t *testing.T) {
	// Two adjacent sentences that together carry the evidence are offered
	// as a pair; once one of them is turned down, no pair holding it returns.
	orig := "移民局官员反对非法移民。警方愿意合作遣返。今天天气很好。明天也会很好。"
	sum := "Officials oppose illegal immigration and police will cooperate on repatriation."
	sents := Sentences(orig)
	got := Suggest(sum, orig, Options{})
	if c := got[0].Candidates[0]; c.Start != sents[0].Start || c.End != sents[1].End {
		t.Fatalf("first candidate %q, want the pair of the first two sentences", c.Text)
	}
	got = Suggest(sum, orig, Options{Reject: func(_, c Span) bool { return c.Start == sents[1].Start && c.End == sents[1].End }})
	for _, c := range got[0].Candidates {
		if c.Start <= sents[1].Start && sents[1].End <= c.End {
			t.Errorf("candidate %q holds the rejected sentence", c.Text)
		}
	}
	if len(got[0].Candidates) == 0 {
		t.Error("no candidates left")
	}
}

func TestSuggestEdgeCases(t *testing.T) {
	if got := Suggest("", fixtureOriginal, Options{}); len(got) != 0 {
		t.Errorf("empty summary: %+v", got)
	}
	got := Suggest("Nothing here matches anything.", "", Options{})
	if len(got) != 1 || len(got[0].Candidates) != 0 {
		t.Errorf("empty original: %+v", got)
	}
	// Characters outside the BMP before the evidence: offsets stay in code points.
	orig := "😀😀 标题\n𠀀前言。警方破获诈骗案件1.2万起。"
	got = Suggest("Police broke up 12,000 fraud cases.", orig, Options{})
	if len(got) != 1 || len(got[0].Candidates) == 0 {
		t.Fatalf("got %+v", got)
	}
	c := got[0].Candidates[0]
	r := []rune(orig)
	if string(r[c.Start:c.End]) != c.Text || !strings.Contains(c.Text, "1.2万") {
		t.Errorf("candidate %d..%d %q", c.Start, c.End, c.Text)
	}
}

func TestIndexConcurrentUse(t *testing.T) {
	x := NewIndex(fixtureOriginal)
	want := x.Suggest(fixtureSummary(), Options{})
	done := make(chan []Suggestion)
	for range 4 {
		go func() { done <- x.Suggest(fixtureSummary(), Options{}) }()
	}
	for range 4 {
		got := <-done
		for i := range want {
			if len(got[i].Candidates) != len(want[i].Candidates) || got[i].Candidates[0] != want[i].Candidates[0] {
				t.Fatalf("concurrent Suggest differs for %q", want[i].Summary.Text)
			}
		}
	}
}

func TestTransliteratedNames(t *testing.T) {
	for w, want := range map[string]string{"Blinken": "PLNKN", "Sullivan": "SLWN", "Yellen": "YLN", "Trump": "TLNP", "Biden": "PTN"} {
		if got := englishSkeleton(w); got != want {
			t.Errorf("englishSkeleton(%s) = %s, want %s", w, got, want)
		}
	}
	for py, want := range map[string]string{"bu lin ken": "PLNKN", "sha li wen": "SLWN", "ye lun": "YLN", "te lang pu": "TLNP", "bai deng": "PTN"} {
		if got := pinyinSkeleton(strings.Fields(py)); got != want {
			t.Errorf("pinyinSkeleton(%s) = %s, want %s", py, got, want)
		}
	}
	// Names the dictionary lacks, matched by sound; ordinary capitalised
	// words find nothing.
	orig := "白宫国家安全顾问沙利文随后发表讲话。财政部长耶伦上月访华。这是第一句。他们讨论了贸易问题。"
	x := NewIndex(orig)
	sum := "The adviser Sullivan spoke. Treasury Secretary Yellen visited. They discussed Trade and Security."
	found := map[string]string{}
	for _, q := range translitQueries(latinTokens([]rune(sum))) {
		for _, si := range x.nameHits(q) {
			found[q.key] += x.sents[si].Text
		}
	}
	if !strings.Contains(found["t:sullivan"], "沙利文") || !strings.Contains(found["t:yellen"], "耶伦") {
		t.Errorf("transliterations not found: %v", found)
	}
	for _, k := range []string{"t:treasury", "t:secretary", "t:trade", "t:security"} {
		if found[k] != "" {
			t.Errorf("%s matched %q", k, found[k])
		}
	}
	got := Suggest(sum, orig, Options{Max: 1})
	if len(got) < 2 || len(got[1].Candidates) == 0 || !strings.Contains(got[1].Candidates[0].Text, "耶伦") {
		t.Errorf("Yellen sentence not linked: %+v", got)
	}
}
