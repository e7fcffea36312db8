package storage

import (
	"math/rand"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// TestQuoteAtAgreesWithCheckIn: check's fast quote test never accepts a
// selector the domain's CheckIn rejects, and accepts every right one, on
// texts longer than several checkpoints mixing one- to four-byte code
// points; wrong positions, quotes cut inside a code point, and invalid
// UTF-8 texts (left to CheckIn) included.
func TestQuoteAtAgreesWithCheckIn(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	pieces := []string{"a", "bc ", "é", "中", "美合作", "😀", "\n", "ü", "🇺🇸", "x"}
	for round := 0; round < 40; round++ {
		var b strings.Builder
		for b.Len() < 3*runeStride*2 {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		text := b.String()
		if round%10 == 9 {
			text = text[:len(text)/2] + "\xff\xfe" + text[len(text)/2:]
		}
		v := srcView{text, buildRuneIndex(text), utf8.ValidString(text)}
		runes := []rune(text)
		n := utf8.RuneCountInString(text) // invalid bytes count one each, as CheckIn walks
		for i := 0; i < 300; i++ {
			start := r.Intn(n)
			end := min(n, start+1+r.Intn(40))
			exact := string(runes[start:end])
			if !v.valid {
				exact = "x"
			}
			sel := annotate.Selector{Start: start, End: end, Exact: exact}
			switch r.Intn(6) {
			case 0:
				sel.Start++
			case 1:
				sel.End--
			case 2:
				sel.Exact = sel.Exact[:len(sel.Exact)-1] // may cut a code point
			case 3:
				sel.Exact += "z"
				sel.End++
			}
			want := annotate.CheckIn(text, sel)
			got := quoteAt(v, sel)
			if got && want != nil {
				t.Fatalf("text %d, %+v: quoteAt accepts what CheckIn rejects (%v)", round, sel, want)
			}
			if v.valid && want == nil && !got {
				t.Fatalf("text %d, %+v: quoteAt does not accept a right selector", round, sel)
			}
		}
	}
}

// TestCheckAnnotationsAcrossBatches: the annotation pass, run in batches
// on several goroutines, reports problems in every batch, in key order,
// and the unreadable records among them, as the one-goroutine pass did.
func TestCheckAnnotationsAcrossBatches(t *testing.T) {
	s, p := generated(t, 60, 25) // 1,500 annotations: three batches
	ids := make([]string, len(p.Annotations))
	byID := map[string]annotate.Annotation{}
	for i, a := range p.Annotations {
		ids[i] = a.ID
		byID[a.ID] = a
	}
	sort.Strings(ids)
	wrong, unread, orphaned := byID[ids[2]], ids[700], byID[ids[1400]]
	wrong.Selector.Exact = "zz"
	orphaned.SourceID = "s-none"
	if err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAnns)
		for _, a := range []annotate.Annotation{wrong, orphaned} {
			raw, err := encodeRec(a)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(a.ID), raw); err != nil {
				return err
			}
		}
		return b.Put([]byte(unread), []byte{annCodecV1, 0xff})
	}); err != nil {
		t.Fatal(err)
	}
	probs, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range probs {
		for _, want := range []string{"annotation " + wrong.ID + ": selector", "unreadable record: annotation " + unread, "annotation " + orphaned.ID + `: no source with id "s-none"`} {
			if strings.HasPrefix(p.Error(), want) {
				got = append(got, want)
			}
		}
	}
	// Unreadable records are listed before the annotations' problems.
	want := []string{"unreadable record: annotation " + unread, "annotation " + wrong.ID + ": selector", "annotation " + orphaned.ID + `: no source with id "s-none"`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q\nwant %q\nall: %v", got, want, probs)
	}
	// Put the file back for the cleanup check.
	if err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAnns)
		for _, id := range []string{wrong.ID, unread, orphaned.ID} {
			raw, err := encodeRec(byID[id])
			if err != nil {
				return err
			}
			if err := b.Put([]byte(id), raw); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
