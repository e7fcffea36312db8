package annotate

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// indexHas reports whether the index terms of text satisfy term t, the
// way storage's lookup does (over-long words count for suffix and infix).
func indexHas(text string, t SearchTerm) bool {
	found := false
	IndexTerms(text, func(kind byte, term []byte) {
		switch {
		case found:
		case t.Kind == TermGram:
			found = kind == 'g' && string(term) == t.Text
		case kind != 'w':
		case len(term) == 0:
			found = t.Kind == TermSuffix || t.Kind == TermInfix
		default:
			found = MatchTerm(t, string(term))
		}
	})
	return found
}

// checkSearch is the property the index rests on: wherever Find finds q
// in text, every term of q is in text's index terms; and every hit is
// the folded query at code-point positions of the real text.
func checkSearch(t *testing.T, text, q string) {
	pq, err := ParseQuery(q)
	if err != nil {
		return
	}
	rs := []rune(text)
	hits := 0
	pq.Find("s", text, func(h SearchHit) bool {
		hits++
		if h.Start < 0 || h.End > len(rs) || h.End-h.Start != pq.Len() {
			t.Fatalf("hit %d–%d in a text of %d code points, query of %d", h.Start, h.End, len(rs), pq.Len())
		}
		for i, r := range rs[h.Start:h.End] {
			if SearchFold(r) != pq.folded[i] {
				t.Fatalf("hit %d–%d %q is not the query %q", h.Start, h.End, string(rs[h.Start:h.End]), q)
			}
		}
		if strings.ContainsAny(h.Context, "\n\t") {
			t.Fatalf("context on more than one line: %q", h.Context)
		}
		return true
	})
	if want := findNaive(pq, text); hits != want {
		t.Fatalf("query %q in %q: %d hits, the plain scan %d", q, text, hits, want)
	}
	if hits == 0 {
		return
	}
	for _, term := range pq.Terms() {
		if !indexHas(text, term) {
			t.Fatalf("query %q is found in %q but its term %+v is not in the text's index terms", q, text, term)
		}
	}
}

// findNaive counts hits the obvious way, to check Find's KMP against.
func findNaive(q Query, text string) int {
	rs := []rune(text)
	f := make([]rune, len(rs))
	for i, r := range rs {
		f[i] = SearchFold(r)
	}
	n, m := 0, len(q.folded)
	for i := 0; i+m <= len(f); {
		ok := true
		for j := 0; j < m && ok; j++ {
			ok = f[i+j] == q.folded[j]
		}
		if ok && graphemeSafe(rs, i) && graphemeSafe(rs, i+m) {
			n++
			i += m
			continue
		}
		i++
	}
	return n
}

func TestFindIsLinear(t *testing.T) {
	// The worst case of a plain scan: a long run and a query that almost
	// matches everywhere. Also checks overlapping candidates: "aaaa" in
	// a run of a's is found every four.
	text := strings.Repeat("a", 200000)
	pq, _ := ParseQuery(strings.Repeat("a", 999) + "b")
	n := 0
	pq.Find("s", text, func(SearchHit) bool { n++; return true })
	if n != 0 {
		t.Fatalf("%d hits", n)
	}
	pq, _ = ParseQuery("aaaa")
	pq.Find("s", "aaaaaaaaa", func(SearchHit) bool { n++; return true })
	if n != 2 {
		t.Fatalf("non-overlapping: %d hits, want 2", n)
	}
	pq, _ = ParseQuery("aab")
	pq.Find("s", "aaab aab", func(SearchHit) bool { n++; return true })
	if n != 4 {
		t.Fatalf("after a partial match: %d hits in all, want 4", n)
	}
}

func TestSearchTermsCoverHits(t *testing.T) {
	long := strings.Repeat("y", MaxIndexedWord+3)
	cases := [][2]string{
		{"中美合作遣返非法移民", "合作遣返"},
		{"中美合作遣返", "遣"},
		{"The IMMIGRATION office", "migration off"},
		{"The IMMIGRATION office", "the immigration"},
		{"co-operation", "-op"},
		{"ＵＳ officials", "us off"},
		{"2023财年", "23财"},
		{"a" + long + "z", long[:MaxIndexedWord+1]},
		{"a" + long + "z", "yz"},
		{"x " + long + " y", long},
		{"日本語のテキスト", "のテ"},
		{"“合作”", "\"合作\""},
	}
	for _, c := range cases {
		pq, _ := ParseQuery(c[1])
		n := 0
		pq.Find("s", c[0], func(SearchHit) bool { n++; return true })
		if n == 0 {
			t.Errorf("%q not found in %q", c[1], c[0])
		}
		checkSearch(t, c[0], c[1])
	}
}

func TestParseQueryRefuses(t *testing.T) {
	for _, q := range []string{"", "  \n", "\xff", strings.Repeat("字", MaxQueryRunes+1)} {
		if _, err := ParseQuery(q); err == nil {
			t.Errorf("%q accepted", q)
		}
	}
}

func TestSearchTextsOrderAndStop(t *testing.T) {
	seq := func(yield func(string, string) bool) {
		for _, p := range [][2]string{{"a", "遣返 遣返"}, {"b", "none"}, {"c", "遣返"}} {
			if !yield(p[0], p[1]) {
				return
			}
		}
	}
	var got []string
	if err := SearchTexts(context.Background(), "遣返", seq, func(h SearchHit) bool {
		got = append(got, h.SourceID)
		return len(got) < 2
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "a,a" {
		t.Fatalf("got %v", got)
	}
}

func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"遣返", "US", "migration off", "“合作”", "e\u0301", "🇺🇸", "-", strings.Repeat("x", 70), "ｃｈａｒｔｅｒ 23财年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		pq, err := ParseQuery(q)
		if err != nil {
			return
		}
		for _, term := range pq.Terms() {
			n := utf8.RuneCountInString(term.Text)
			switch {
			case term.Kind == TermGram && (n < 1 || n > 2):
				t.Fatalf("gram %q of %d code points", term.Text, n)
			case term.Kind != TermGram && (n < 1 || n > MaxIndexedWord):
				t.Fatalf("word term %q of %d code points", term.Text, n)
			case strings.ContainsRune(term.Text, 0):
				t.Fatalf("term with a NUL %q (keys are NUL-separated)", term.Text)
			}
		}
		// The query always finds itself (a text's ends are always
		// grapheme boundaries).
		n := 0
		pq.Find("s", pq.Raw, func(SearchHit) bool { n++; return false })
		if n == 0 {
			t.Fatalf("%q does not find itself", pq.Raw)
		}
		checkSearch(t, pq.Raw, q)
	})
}

func FuzzSearchText(f *testing.F) {
	f.Add("中美合作遣返非法移民。The IMMIGRATION office", "合作遣返")
	f.Add("co-operation ＵＳ", "us")
	f.Add("cafe\u0301 café", "cafe")
	f.Add("🇺🇸🇨🇳", "🇸🇨")
	f.Add("a"+strings.Repeat("y", 70)+"z", "yz")
	f.Fuzz(func(t *testing.T, text, q string) {
		if !utf8.ValidString(text) {
			return
		}
		checkSearch(t, text, q)
		checkSearch(t, text+q+text, q)
	})
}
