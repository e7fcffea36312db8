package storage

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// mapTexts serves texts from a map (with their checkpoints).
func mapTexts(texts map[string]string) *annTexts {
	return &annTexts{get: func(id string) (string, []byte, bool) {
		s, ok := texts[id]
		if !ok {
			return "", nil, false
		}
		return s, buildRuneIndex(s), true
	}}
}

// Every case of a selector against its text round-trips exactly, and
// keeps in the text precisely the strings that equal it there.
func TestQuoteInTextRoundTrip(t *testing.T) {
	long := strings.Repeat("中美双方合作遣返。The quick brown fox. ", 200) // past a checkpoint
	texts := map[string]string{"s1": "中美双方合作遣返非法移民。", "s2": long, "s3": "ab\xffcd\xfe\xfeef"}
	sel := func(src string, start, end, np, ns int) annotate.Selector {
		r := []rune(texts[src])
		return annotate.Selector{Start: start, End: end, Exact: string(r[start:end]),
			Prefix: string(r[max(0, start-np):start]), Suffix: string(r[end:min(len(r), end+ns)])}
	}
	created := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	type tc struct {
		name string
		a    annotate.Annotation
		want byte // xflags' quote bits
	}
	all := byte(exactInText | prefixInText | suffixInText)
	fuzzy := sel("s1", 2, 6, 2, 2)
	fuzzy.Exact = "合作遣送" // differs from the text there
	cases := []tc{
		{"all in text", annotate.Annotation{ID: "a1", SourceID: "s1", Selector: sel("s1", 2, 6, 2, 3)}, all},
		{"at the start", annotate.Annotation{ID: "a2", SourceID: "s1", Selector: sel("s1", 0, 2, 0, 4)}, exactInText | suffixInText},
		{"at the end", annotate.Annotation{ID: "a3", SourceID: "s1", Selector: sel("s1", 10, 13, 4, 0)}, exactInText | prefixInText},
		{"empty passage", annotate.Annotation{ID: "a4", SourceID: "s1", Selector: sel("s1", 5, 5, 1, 1)}, all},
		{"fuzzy quote", annotate.Annotation{ID: "a5", SourceID: "s1", Selector: fuzzy, Anchor: annotate.AnchorFuzzy, Score: 0.75}, prefixInText | suffixInText},
		{"orphan", annotate.Annotation{ID: "a6", SourceID: "s1", Selector: annotate.Selector{Start: -1, End: -1, Exact: "gone", Prefix: "was", Suffix: "here"}, Anchor: annotate.AnchorOrphan}, 0},
		{"past the end", annotate.Annotation{ID: "a7", SourceID: "s1", Selector: annotate.Selector{Start: 12, End: 40, Exact: "x"}}, 0},
		{"prefix longer than the start", annotate.Annotation{ID: "a8", SourceID: "s1", Selector: annotate.Selector{Start: 1, End: 2, Exact: "美", Prefix: "xx中", Suffix: "双方"}}, exactInText | suffixInText},
		{"suffix past the end", annotate.Annotation{ID: "a9", SourceID: "s1", Selector: annotate.Selector{Start: 11, End: 12, Exact: "民", Suffix: "。。"}}, 0}, // "民" alone is not worth a CRC
		{"suffix past the end, longer quote", annotate.Annotation{ID: "a9", SourceID: "s1", Selector: annotate.Selector{Start: 9, End: 12, Exact: "法移民", Suffix: "。。"}}, exactInText},
		{"deep in a long text", annotate.Annotation{ID: "a10", SourceID: "s2", Selector: sel("s2", 5000, 5020, 32, 32), Codes: []string{"c1"}}, all},
		{"straddling a checkpoint", annotate.Annotation{ID: "a11", SourceID: "s2", Selector: sel("s2", runeStride-3, runeStride+3, 8, 8)}, all},
		// Code points counted as a range over the string counts them.
		{"invalid bytes", annotate.Annotation{ID: "a12", SourceID: "s3", Selector: annotate.Selector{Start: 1, End: 4, Exact: "b\xffc", Prefix: "a", Suffix: "d\xfe\xfe"}}, all},
		{"no text", annotate.Annotation{ID: "a13", SourceID: "s9", Selector: annotate.Selector{Start: 0, End: 1, Exact: "x", Prefix: "p"}}, 0},
		{"never modified", annotate.Annotation{ID: "a14", SourceID: "s1", Selector: sel("s1", 2, 6, 2, 3), Author: "bo", Created: created, Modified: created}, all},
		{"modified", annotate.Annotation{ID: "a15", SourceID: "s1", Selector: sel("s1", 2, 6, 2, 3), Created: created, Modified: created.Add(time.Nanosecond)}, all},
		{"same instant, another zone", annotate.Annotation{ID: "a16", SourceID: "s1", Selector: sel("s1", 2, 6, 2, 3), Created: created, Modified: created.In(time.FixedZone("", 3600))}, all},
	}
	for _, c := range cases {
		// Written the way storage writes (from the transaction's texts,
		// the second record of a source from its table of offsets) and
		// read back the same way, in a fresh walk.
		for _, warm := range []bool{false, true} {
			enc := mapTexts(texts)
			if warm {
				enc.source(c.a.SourceID)
			}
			raw, err := encodeAnnIn(&c.a, enc)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if raw[0] != annCodecV2 {
				t.Fatalf("%s: written as %#x", c.name, raw[0])
			}
			full, _ := encodeRec(c.a)
			x := xflagsOf(t, raw)
			if got := x & all; got != c.want {
				t.Errorf("%s: kept in the text %03b, want %03b", c.name, got, c.want)
			}
			if got := quoteInText(raw); got != (c.want != 0) {
				t.Errorf("%s: quoteInText %v", c.name, got)
			}
			if c.want == all && len(raw) >= len(full) {
				t.Errorf("%s: %d bytes, whole %d", c.name, len(raw), len(full))
			}
			if want := c.a.Modified.Equal(c.a.Created) && !c.a.Created.IsZero() && c.a.Modified.Location() == c.a.Created.Location(); (x&modifiedIsCreated != 0) != want {
				t.Errorf("%s: modified kept as created: %v", c.name, !want)
			}
			js, _ := json.Marshal(c.a)
			var want annotate.Annotation
			if err := json.Unmarshal(js, &want); err != nil {
				t.Fatal(err)
			}
			want.Selector = c.a.Selector // byte for byte (JSON replaces invalid bytes)
			for _, dec := range []*annTexts{mapTexts(texts), func() *annTexts { d := mapTexts(texts); d.source(c.a.SourceID); return d }()} {
				var got annotate.Annotation
				if err := decodeRec(raw, &got, dec); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: decodes to\n%+v\nwant\n%+v", c.name, got, want)
				}
			}
			if id, ok := recordID(raw); !ok || id != c.a.ID {
				t.Errorf("%s: recordID %q", c.name, id)
			}
			if src, ok := annSourceID(raw); !ok || src != c.a.SourceID {
				t.Errorf("%s: annSourceID %q", c.name, src)
			}
			if !recordValid(raw) || !recModified(raw).Equal(c.a.Modified) {
				t.Errorf("%s: recordValid %v, recModified %v", c.name, recordValid(raw), recModified(raw))
			}
			if c.want == 0 {
				continue
			}
			// Without the text, or against another one, it is refused.
			var a annotate.Annotation
			if err := decodeRec(raw, &a, nil); err == nil {
				t.Errorf("%s: decoded without its text", c.name)
			}
			if err := decodeRec(raw, &a, mapTexts(nil)); err == nil || !strings.Contains(err.Error(), "missing") {
				t.Errorf("%s: without its source's text: %v", c.name, err)
			}
			other := map[string]string{}
			for k, v := range texts {
				other[k] = strings.Map(func(r rune) rune { return r + 1 }, v)
			}
			if err := decodeRec(raw, &a, mapTexts(other)); err == nil {
				t.Errorf("%s: decoded against a changed text as %+v", c.name, a.Selector)
			}
		}
	}
}

func xflagsOf(t *testing.T, raw []byte) byte {
	t.Helper()
	r := &annReader{b: raw[1:]}
	r.uvarint()
	r.str()
	r.str()
	r.varint()
	r.varint()
	x := r.byte()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return x
}

// A damaged code-point index (checkpoints at other code points' starts)
// neither makes a good record unreadable nor gives another quote, whether
// it was damaged before the record was written or after.
func TestQuoteInTextSurvivesDamagedCheckpoints(t *testing.T) {
	text := strings.Repeat("é中a", 1500)
	good := buildRuneIndex(text)
	bad := append([]byte(nil), good...)
	for i := 4; i+4 <= len(bad); i += 4 { // shift each checkpoint by one code point
		off := int(le.Uint32(bad[i:]))
		_, n := utf8DecodeLen(text[off:])
		le.PutUint32(bad[i:], uint32(off+n))
	}
	r := []rune(text)
	a := annotate.Annotation{ID: "a1", SourceID: "s1", Selector: annotate.Selector{Start: 2000, End: 2010,
		Exact: string(r[2000:2010]), Prefix: string(r[1990:2000]), Suffix: string(r[2010:2020])}}
	with := func(idx []byte) *annTexts {
		return &annTexts{get: func(string) (string, []byte, bool) { return text, idx, true }}
	}
	for _, c := range []struct{ enc, dec []byte }{{good, bad}, {bad, good}, {bad, bad}} {
		raw, err := encodeAnnIn(&a, with(c.enc))
		if err != nil {
			t.Fatal(err)
		}
		var got annotate.Annotation
		if err := decodeRec(raw, &got, with(c.dec)); err != nil {
			t.Fatalf("%v", err)
		}
		if got.Selector != a.Selector {
			t.Errorf("decoded %+v, want %+v", got.Selector, a.Selector)
		}
	}
}

func utf8DecodeLen(s string) (rune, int) {
	for i, r := range s {
		if i > 0 {
			return r, i
		}
	}
	return 0, len(s)
}

// In a project, quotes are kept in the texts; replacing a text (appended
// to, so every passage stays put; or rewritten, its passages orphaned;
// and undone) rewrites its annotations' records, and every annotation reads
// back exactly what the in-memory store holds.
func TestQuotesFollowTextChanges(t *testing.T) {
	s, _ := newStore(t)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.clock = func() time.Time { return clock }
	mem := &annotate.MemStore{Now: s.clock}
	both := func(c annotate.Change) annotate.Change {
		t.Helper()
		clock = clock.Add(time.Second)
		rf, err := s.Commit(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mem.Commit(c); err != nil {
			t.Fatal(err)
		}
		return rf.Undo
	}
	p := benchproj.Generate(4, 6, 7)
	both(benchproj.Change(p))
	same := func(when string) {
		t.Helper()
		pf, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		pm, _ := mem.Snapshot()
		if len(pf.Unreadable) > 0 {
			t.Fatalf("%s: unreadable: %v", when, pf.Unreadable)
		}
		if a, b := js(normProject(pf)), js(normProject(pm)); a != b {
			t.Fatalf("%s: the file and memory differ\nfile:   %s\nmemory: %s", when, a, b)
		}
		if probs, err := s.Check(); err != nil || len(probs) > 0 {
			t.Fatalf("%s: check: %v %v", when, err, probs)
		}
	}
	inText := func() (n, whole int) {
		_ = s.view(func(tx *bolt.Tx) error {
			return tx.Bucket(bAnns).ForEach(func(_, v []byte) error {
				if quoteInText(v) {
					n++
				} else {
					whole++
				}
				return nil
			})
		})
		return n, whole
	}
	same("generated")
	if n, whole := inText(); whole != 0 || n != len(p.Annotations) {
		t.Fatalf("%d annotations keep their quotes in the text, %d whole", n, whole)
	}

	x := annotate.NewIndex(mustSnapshot(t, s))
	src0, src1 := p.Sources[0].ID, p.Sources[1].ID
	old0 := x.Text(src0).String()
	undoAppend := both(annotate.Change{Label: "Replace text", SetTexts: []annotate.SourceText{{SourceID: src0, Text: "序言。" + old0}},
		PutAnnotations: shifted(x.Annotations(src0), []rune("序言。"), old0)})
	same("text prefixed, annotations moved")
	both(annotate.Change{Label: "Append", SetTexts: []annotate.SourceText{{SourceID: src1, Text: x.Text(src1).String() + "后记。"}}})
	same("text appended, annotations left as they were")
	// The text around passages changes, the passages stay put: their
	// records are rewritten, prefix and suffix now kept whole.
	src2 := p.Sources[2].ID
	around := []rune(x.Text(src2).String())
	for _, a := range x.Annotations(src2) {
		for _, i := range []int{a.Selector.Start - 1, a.Selector.End} {
			if i >= 0 && i < len(around) {
				around[i] = '〇'
			}
		}
	}
	for _, a := range x.Annotations(src2) {
		copy(around[a.Selector.Start:], []rune(a.Selector.Exact))
	}
	both(annotate.Change{Label: "Edit around", SetTexts: []annotate.SourceText{{SourceID: src2, Text: string(around)}}})
	same("text changed around passages left as they were")

	var orphans []annotate.Annotation
	for _, a := range x.Annotations(src1) {
		o := *a
		o.Anchor = annotate.AnchorOrphan
		orphans = append(orphans, o)
	}
	undoRewrite := both(annotate.Change{Label: "Rewrite", SetTexts: []annotate.SourceText{{SourceID: src1, Text: "全新的文本，与旧的毫无关系。"}}, PutAnnotations: orphans})
	same("text rewritten, annotations orphaned")
	if _, whole := inText(); whole < len(orphans) {
		t.Errorf("%d records whole, want the %d orphans' at least", whole, len(orphans))
	}
	both(undoRewrite)
	same("rewrite undone")
	both(undoAppend)
	same("prefix undone")
	both(annotate.NewIndex(mustSnapshot(t, s)).DeleteSource(p.Sources[3].ID))
	same("source deleted")
}

func mustSnapshot(t *testing.T, s *Store) *annotate.Project {
	t.Helper()
	p, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// shifted moves annotations past an insertion at the start of their text.
func shifted(anns []*annotate.Annotation, ins []rune, old string) []annotate.Annotation {
	text := annotate.NewText(string(ins) + old)
	var out []annotate.Annotation
	for _, a := range anns {
		b := *a
		sel, err := text.Select(a.Selector.Start+len(ins), a.Selector.End+len(ins))
		if err != nil {
			panic(err)
		}
		b.Selector = sel
		out = append(out, b)
	}
	return out
}

// A text changed under its annotations' records, not through a change
// (damage, or a bug), makes them unreadable, named, rather than read as
// other quotes.
func TestQuoteInTextRefusesChangedText(t *testing.T) {
	s, path := newStore(t)
	p := benchproj.Generate(2, 5, 8)
	if _, err := s.Commit(benchproj.Change(p)); err != nil {
		t.Fatal(err)
	}
	src := p.Sources[0]
	if err := s.db.Update(func(tx *bolt.Tx) error {
		r := []rune(src.Text)
		for i := range r {
			if r[i] == '，' {
				r[i] = '、'
			}
		}
		return tx.Bucket(bTexts).Put([]byte(src.ID), []byte(string(r)))
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); os.Remove(path) }) // damaged on purpose
	got := mustSnapshot(t, s)
	n := 0
	for _, u := range got.Unreadable {
		if strings.Contains(u, "no longer matches its source's text") {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no annotation named unreadable: %v", got.Unreadable)
	}
	for _, a := range got.Annotations {
		if a.SourceID == src.ID {
			if _, err := annotate.NewText(src.Text).Select(a.Selector.Start, a.Selector.End); err != nil {
				t.Error(err)
			}
		}
	}
	probs, err := s.Check()
	if err != nil || len(probs) < n {
		t.Errorf("check: %v, %d problems for %d unreadable", err, len(probs), n)
	}
}

// BenchmarkDecodeAnnotation: a generated annotation decoded from a record
// keeping its quote in its text (the source's table made), and whole.
func BenchmarkDecodeAnnotation(b *testing.B) {
	p := benchproj.Generate(1, 20, 1)
	texts := map[string]string{p.Sources[0].ID: p.Sources[0].Text}
	a := p.Annotations[7]
	inText, _ := encodeAnnIn(&a, mapTexts(texts))
	whole, _ := encodeAnn(&a, nil, annCodecV1)
	for _, c := range []struct {
		name string
		raw  []byte
	}{{"in-text", inText}, {"whole", whole}} {
		b.Run(c.name, func(b *testing.B) {
			dec := mapTexts(texts)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var got annotate.Annotation
				if err := decodeRec(c.raw, &got, dec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
