package storage

import (
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// Check's one pass finds each kind of inconsistency a damaged or
// mis-written file can hold, and a healthy file has none.
func TestCheckFindsEachInconsistency(t *testing.T) {
	s, p := generated(t, 6, 5)
	if probs, err := s.Check(); err != nil || len(probs) > 0 {
		t.Fatalf("a healthy project: %v %v", probs, err)
	}
	a := p.Annotations[3]
	src := p.Sources[1]
	enc := func(a annotate.Annotation) []byte {
		raw, err := encodeRec(a)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	type put struct {
		bucket []byte
		key    string
		value  []byte // nil deletes
	}
	cases := []struct {
		name string
		puts []put
		want []string
	}{
		{"index entry missing", []put{{bIdx, string(codeKey(a.Codes[0], a.SourceID, a.ID)), nil}}, []string{"index: missing entry"}},
		{"index entry left over", []put{{bIdx, string(codeKey("c-gone", a.SourceID, a.ID)), []byte{}}}, []string{"index: stale entry"}},
		{"record under another key", []put{{bAnns, a.ID, nil}, {bAnns, a.ID + "x", enc(a)}}, []string{"stored under key"}},
		{"stale code-point index", []put{{bRuneIdx, src.ID, []byte{1, 2, 3, 4}}}, []string{"code-point index is stale"}},
		{"text changed under its hash", []put{{bTexts, src.ID, []byte(src.Text + "!")}, {bRuneIdx, src.ID, buildRuneIndex(src.Text + "!")}}, []string{"does not match its content hash"}},
		{"unknown code", []put{{bAnns, a.ID, enc(func() annotate.Annotation { b := a; b.Codes = []string{"c-none"}; return b }())}}, []string{`no code with id "c-none"`}},
		{"quote not in the text", []put{{bAnns, a.ID, enc(func() annotate.Annotation { b := a; b.Selector.Exact = "zz"; return b }())}}, []string{"annotation " + a.ID + ": selector"}},
		{"no source", []put{{bAnns, a.ID, enc(func() annotate.Annotation { b := a; b.SourceID = "s-none"; return b }())}}, []string{`no source with id "s-none"`}},
		{"unreadable, and cited", []put{{bAnns, a.ID, []byte{annCodecV1, 0xff}},
			{bClaims, "m1", []byte(fmt.Sprintf(`{"id":"m1","text":"t","evidence":[{"annotationId":%q,"relation":"supports"}]}`, a.ID))}},
			[]string{"unreadable record: annotation " + a.ID, `claim m1: evidence: no annotation with id "` + a.ID + `"`}},
		{"text missing", []put{{bTexts, src.ID, nil}}, []string{"unreadable record: source " + src.ID + ": its text is missing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Apply the damage, keeping what it replaced.
			var undo []put
			if err := s.update(func(tx *bolt.Tx) error {
				for _, p := range c.puts {
					b := tx.Bucket(p.bucket)
					old := b.Get([]byte(p.key))
					var was []byte // nil: there was none
					if old != nil {
						was = append([]byte{}, old...)
					}
					undo = append([]put{{p.bucket, p.key, was}}, undo...)
					var err error
					if p.value == nil {
						err = b.Delete([]byte(p.key))
					} else {
						err = b.Put([]byte(p.key), p.value)
					}
					if err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			probs, err := s.Check()
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprint(probs)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("check does not say %q: %v", w, probs)
				}
			}
			if err := s.update(func(tx *bolt.Tx) error {
				for _, p := range undo {
					b := tx.Bucket(p.bucket)
					var err error
					if p.value == nil {
						err = b.Delete([]byte(p.key))
					} else {
						err = b.Put([]byte(p.key), p.value)
					}
					if err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if probs, _ := s.Check(); len(probs) > 0 {
				t.Fatalf("undoing the damage left %v", probs)
			}
		})
	}
}
