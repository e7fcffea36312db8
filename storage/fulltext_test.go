package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// ftPieces are the fragments random texts are made of: Chinese with and
// without digits, English, full-width forms, a decomposed accent, a flag,
// a ZWJ emoji, and an over-long word.
var ftPieces = []string{
	"中美合作遣返非法移民", "外交部发言人表示", "遣返", "鲲鹏", "2023财年", "。", "，", "“合作”", "\n\n",
	"The ministry said", " charter flights ", "Immigration", "immigration", "MIGRATION", "US", "U.S.", " ",
	"ＵＳ", "ｃｈａｒｔｅｒ", "cafe\u0301", "café", "🇺🇸🇨🇳", "👩\u200d💻", "e", "-", "—", "co-operation",
	strings.Repeat("x", annotate.MaxIndexedWord+5) + "tail", "日本語のテキスト", "한국어",
}

var ftQueries = []string{
	"遣返", "鲲鹏", "合作遣返", "中", "财年", "2023财年", "charter", "Charter Flights", "CHARTER", "migration",
	"immigration", "us", "US", "ＵＳ", "u.s.", "e", "cafe", "café", "co-op", "operation", "—", "\"合作\"", "。",
	"xtail", "xxxx", strings.Repeat("x", annotate.MaxIndexedWord+2), "テキスト", "국어", "ministry said", "said charter",
	"🇺🇸", "🇨🇳", "💻", "nothing-here", "鲲", "返非",
}

func ftRandomText(r *rand.Rand) string {
	var b strings.Builder
	for i := 0; i < 1+r.Intn(12); i++ {
		b.WriteString(ftPieces[r.Intn(len(ftPieces))])
	}
	return b.String()
}

func ftCollect(t testing.TB, s *Store, q string) []annotate.SearchHit {
	t.Helper()
	var out []annotate.SearchHit
	if err := s.Search(context.Background(), q, func(h annotate.SearchHit) bool { out = append(out, h); return true }); err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return out
}

// ftExpected answers q by reading every text, in key order.
func ftExpected(t testing.TB, s *Store, q string) []annotate.SearchHit {
	t.Helper()
	p, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var out []annotate.SearchHit
	seq := func(yield func(string, string) bool) {
		ids := map[string]string{}
		var keys []string
		for _, src := range p.Sources {
			ids[src.ID] = src.Text
			keys = append(keys, src.ID)
		}
		sortStrings(keys)
		for _, k := range keys {
			if !yield(k, ids[k]) {
				return
			}
		}
	}
	if err := annotate.SearchTexts(context.Background(), q, seq, func(h annotate.SearchHit) bool { out = append(out, h); return true }); err != nil {
		t.Fatal(err)
	}
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func ftSource(text string) annotate.Source {
	return annotate.Source{ID: annotate.NewID("s"), Title: "t", Kind: annotate.KindOriginal, Language: annotate.English, Text: text}
}

// TestFullTextMatchesScan: after every change (sources added, texts
// replaced, sources deleted, in one change or several), the index answers
// every query exactly as reading every text does, and check finds it in
// step with the texts (newStore checks on cleanup).
func TestFullTextMatchesScan(t *testing.T) {
	s, _ := newStore(t)
	r := rand.New(rand.NewSource(7))
	var live []string
	for step := 0; step < 60; step++ {
		var c annotate.Change
		switch op := r.Intn(4); {
		case op <= 1 || len(live) < 3:
			for i := 0; i < 1+r.Intn(4); i++ {
				src := ftSource(ftRandomText(r))
				c.PutSources = append(c.PutSources, src)
				live = append(live, src.ID)
			}
		case op == 2:
			for i := 0; i < 1+r.Intn(2); i++ {
				c.SetTexts = append(c.SetTexts, annotate.SourceText{SourceID: live[r.Intn(len(live))], Text: ftRandomText(r)})
			}
		default:
			i := r.Intn(len(live))
			c.DelSources = []string{live[i]}
			live = append(live[:i], live[i+1:]...)
		}
		c.SetTexts = dedupeTexts(c.SetTexts)
		if _, err := s.Commit(c); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		for _, q := range ftQueries {
			got, want := ftCollect(t, s, q), ftExpected(t, s, q)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d, query %q:\n index %v\n scan  %v", step, q, got, want)
			}
		}
	}
	if ok, err := s.HasFullText(); err != nil || !ok {
		t.Fatalf("a new file has no full-text index (%v)", err)
	}
}

func dedupeTexts(ts []annotate.SourceText) []annotate.SourceText {
	seen := map[string]bool{}
	var out []annotate.SourceText
	for i := len(ts) - 1; i >= 0; i-- {
		if !seen[ts[i].SourceID] {
			seen[ts[i].SourceID] = true
			out = append(out, ts[i])
		}
	}
	return out
}

// TestFullTextHits pins what a user sees for a few queries: code-point
// positions on the original text, case and width folded, no hit inside a
// grapheme cluster, context on one line.
func TestFullTextHits(t *testing.T) {
	s, _ := newStore(t)
	a := ftSource("据报道，中美合作遣返非法移民。\n\nThe U.S. and ＵＳ officials met; 🇺🇸🇨🇳 café cafe\u0301.")
	if _, err := s.Commit(annotate.Change{PutSources: []annotate.Source{a}}); err != nil {
		t.Fatal(err)
	}
	hits := ftCollect(t, s, "遣返")
	if len(hits) != 1 || hits[0].Start != 8 || hits[0].End != 10 || hits[0].SourceID != a.ID {
		t.Fatalf("遣返: %+v", hits)
	}
	if !strings.Contains(hits[0].Context, "中美合作遣返") || strings.Contains(hits[0].Context, "\n") {
		t.Errorf("context %q", hits[0].Context)
	}
	rs := []rune(a.Text)
	hits = ftCollect(t, s, "us")
	if len(hits) != 1 || string(rs[hits[0].Start:hits[0].End]) != "ＵＳ" {
		t.Fatalf("us: %+v", hits) // "U.S." is not "us"; the full-width one is
	}
	if hits = ftCollect(t, s, "cafe"); len(hits) != 0 {
		t.Fatalf("cafe matched inside café or split the decomposed é: %+v", hits)
	}
	if hits = ftCollect(t, s, "café"); len(hits) != 1 || hits[0].Start != len([]rune(a.Text[:strings.Index(a.Text, "café")])) {
		t.Fatalf("café: %+v", hits)
	}
	if hits = ftCollect(t, s, "🇨🇳"); len(hits) != 1 {
		t.Fatalf("second flag: %+v", hits)
	}
	// 🇸🇨 (the Seychelles) straddles the two flags: not a hit.
	if hits = ftCollect(t, s, "🇸🇨"); len(hits) != 0 {
		t.Fatalf("a flag made of halves of two: %+v", hits)
	}
}

// TestFullTextOlderFile: a file without the index is searched by reading
// every text, is left without one by changes (never a partial index), and
// gets one from EnsureFullText.
func TestFullTextOlderFile(t *testing.T) {
	s, path := newStore(t)
	src := ftSource("鲲鹏计划 charter")
	if _, err := s.Commit(annotate.Change{PutSources: []annotate.Source{src}}); err != nil {
		t.Fatal(err)
	}
	if err := s.update(func(tx *bolt.Tx) error {
		for _, b := range ftBuckets {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := ftCollect(t, s, "鲲鹏"); len(got) != 1 {
		t.Fatalf("scan fallback: %v", got)
	}
	other := ftSource("另一个鲲鹏")
	if _, err := s.Commit(annotate.Change{PutSources: []annotate.Source{other}}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.HasFullText(); ok {
		t.Fatal("a change made a partial index in an older file")
	}
	if got := ftCollect(t, s, "鲲鹏"); len(got) != 2 {
		t.Fatalf("scan fallback after a change: %v", got)
	}
	s.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.EnsureFullText(); err == nil {
		t.Error("a read-only store built an index")
	}
	ro.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.EnsureFullText(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.HasFullText(); !ok {
		t.Fatal("EnsureFullText built nothing")
	}
	for _, q := range []string{"鲲鹏", "charter", "另"} {
		if got, want := ftCollect(t, s, q), ftExpected(t, s, q); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %v, want %v", q, got, want)
		}
	}
}

// TestFullTextCheckFindsDamage: a posting that disagrees with the texts
// is reported by Check, and RebuildFullText repairs it.
func TestFullTextCheckFindsDamage(t *testing.T) {
	s, _ := newStore(t)
	src := ftSource("鲲鹏计划 charter")
	if _, err := s.Commit(annotate.Change{PutSources: []annotate.Source{src}}); err != nil {
		t.Fatal(err)
	}
	if err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(ftSubPosts).Delete(ftPostKey(0, 'g', []byte("鲲鹏")))
	}); err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range problems {
		found = found || strings.Contains(p.Error(), "full-text index: posting")
	}
	if !found {
		t.Fatalf("check missed a deleted posting: %v", problems)
	}
	if err := s.RebuildFullText(); err != nil {
		t.Fatal(err)
	}
	if got := ftCollect(t, s, "鲲鹏"); len(got) != 1 {
		t.Fatalf("after rebuild: %v", got)
	}
}

// TestFullTextCancel: a cancelled search stops and says so; a consumer
// that returns false stops it without an error.
func TestFullTextCancel(t *testing.T) {
	s, _ := newStore(t)
	var c annotate.Change
	for i := 0; i < 3*ftBatch; i++ {
		c.PutSources = append(c.PutSources, ftSource(fmt.Sprintf("遣返 %d charter", i)))
	}
	if _, err := s.Commit(c); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"遣返", "。", " charter"} { // indexed, and a query of punctuation only (a scan)
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		err := s.Search(ctx, q, func(annotate.SearchHit) bool { n++; cancel(); return true })
		if !errors.Is(err, context.Canceled) && !(q == "。" && n == 0) {
			t.Errorf("%q: cancelled search returned %v", q, err)
		}
		if n > ftBatch {
			t.Errorf("%q: %d hits after cancelling", q, n)
		}
		n = 0
		if err := s.Search(context.Background(), q, func(annotate.SearchHit) bool { n++; return n < 5 }); err != nil {
			t.Errorf("%q: stopped search: %v", q, err)
		}
		if n != 5 && q != "。" {
			t.Errorf("%q: %d hits, want 5 then stop", q, n)
		}
	}
	if err := s.Search(context.Background(), "  ", func(annotate.SearchHit) bool { return true }); err == nil {
		t.Error("an empty query was searched")
	}
}

// TestTagLeavesFullTextAlone: a change that touches no text writes no page
// of the index (bbolt copies a page it writes, so an untouched bucket
// keeps its root page); replacing one text does write it.
func TestTagLeavesFullTextAlone(t *testing.T) {
	s, _ := newStore(t)
	src := ftSource("中美合作遣返非法移民。 Charter flights resumed.")
	code := annotate.Code{ID: annotate.NewID("c"), Name: "Cooperation", Color: "#f4c430"}
	c := annotate.Change{PutSources: []annotate.Source{src}, PutCodes: []annotate.Code{code}}
	for i := 0; i < 300; i++ { // enough that the index buckets have pages of their own
		c.PutSources = append(c.PutSources, ftSource(fmt.Sprintf("已核实%d名人员身份 verified %d identities", i, i)))
	}
	if _, err := s.Commit(c); err != nil {
		t.Fatal(err)
	}
	roots := func() []uint64 {
		var out []uint64
		_ = s.view(func(tx *bolt.Tx) error {
			for _, name := range ftBuckets[1:] {
				root := uint64(tx.Bucket(name).Root())
				if root == 0 {
					t.Fatalf("bucket %s is inline: the test needs more sources", name)
				}
				out = append(out, root)
			}
			return nil
		})
		return out
	}
	before := roots()
	sel, err := annotate.NewText(src.Text).Select(2, 4)
	if err != nil {
		t.Fatal(err)
	}
	a := annotate.Annotation{ID: annotate.NewID("a"), SourceID: src.ID, Selector: sel, Codes: []string{code.ID}}
	if _, err := s.Commit(annotate.Change{PutAnnotations: []annotate.Annotation{a}}); err != nil {
		t.Fatal(err)
	}
	if after := roots(); !reflect.DeepEqual(before, after) {
		t.Fatalf("tagging rewrote index pages: roots %v -> %v", before, after)
	}
	if _, err := s.Commit(annotate.Change{SetTexts: []annotate.SourceText{{SourceID: src.ID, Text: "中美合作遣返非法移民。 Charter flights resumed. 鲲鹏"}}}); err != nil {
		t.Fatal(err)
	}
	if after := roots(); reflect.DeepEqual(before, after) {
		t.Fatal("replacing a text left the index as it was")
	}
	if got := ftCollect(t, s, "鲲鹏"); len(got) != 1 {
		t.Fatalf("after the replacement: %v", got)
	}
}
