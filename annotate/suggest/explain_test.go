package suggest

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

func TestExplain(t *testing.T) {
	q := os.Getenv("EXPLAIN")
	if q == "" {
		t.Skip("set EXPLAIN to a summary sentence")
	}
	dir := sharedDir(t)
	orig, _ := os.ReadFile(filepath.Join(dir, "corpus", "002_6003477fc6787941.txt"))
	x := NewIndex(string(orig))
	bg, _ := featurise([]rune(q), glossCache{}, nil, nil)
	var keys []string
	for k := range bg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		id, ok := x.keyID[k]
		if !ok {
			t.Logf("%s (absent)", k)
			continue
		}
		var ss []int32
		for _, p := range x.postings[id] {
			ss = append(ss, p.sent)
		}
		t.Logf("%s w=%.2f idf=%.2f sents=%v", k, bg[k], x.idf[id], ss)
	}
	for _, nq := range nameQueries([]rune(q), latinTokens([]rune(q))) {
		t.Logf("%s → %v", nq.key, x.nameHits(nq))
	}
	for i, s := range x.sents {
		t.Logf("%d len=%.0f %s", i, x.lens[i], clip(s.Text, 30))
	}
}
