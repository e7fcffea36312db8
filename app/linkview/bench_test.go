package linkview

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/annotate/lexicon"
	"gloss/app/session"
)

// benchView builds a view of a long pair: a 200-sentence summary with a
// confirmed link per sentence and a suggested one for every other, against
// a 2,000-sentence (≈60,000 character) original.
func benchView(b *testing.B) (*View, *session.Session) {
	b.Helper()
	test.NewTempApp(b)
	lexicon.Preload() // the text view loads it in the background; keep that out of the timings
	var ob, sb strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&ob, "第%d段:官员表示,%d年边境记录了%d起越境事件。", i, 2000+i%25, 1000+i)
		if i%10 == 9 {
			ob.WriteString("\n\n")
		}
	}
	for i := range 200 {
		fmt.Fprintf(&sb, "Officials recorded %d crossings in %d. ", 1000+i*10, 2000+i%25)
	}
	p := testProject(strings.TrimSpace(sb.String()), ob.String())
	x := annotate.NewIndex(p)
	sum, org := x.Text(sumID), x.Text(origID)
	sents := 0
	now := time.Now()
	for i, s := range strings.SplitAfter(strings.TrimSpace(sb.String()), ". ") {
		st := runeIndex(sum.String(), s)
		from, err := sum.Select(st, st+len([]rune(strings.TrimSpace(s))))
		if err != nil {
			b.Fatal(err)
		}
		for k, status := range []annotate.LinkStatus{annotate.Confirmed, annotate.Suggested} {
			if k == 1 && i%2 == 1 {
				continue
			}
			o := (i*10 + k*3) * 30
			to, err := org.Select(o, o+25)
			if err != nil {
				b.Fatal(err)
			}
			p.Links = append(p.Links, annotate.Link{ID: fmt.Sprintf("l%d_%d", i, k), From: annotate.Anchor{SourceID: sumID, Selector: from},
				To: []annotate.Anchor{{SourceID: origID, Selector: to}}, Status: status, Created: now, Modified: now})
		}
		sents++
	}
	sess, err := session.New(&annotate.MemStore{P: p})
	if err != nil {
		b.Fatal(err)
	}
	v := NewView(sess, sumID, origID)
	w := test.NewTempWindow(b, v.Content())
	w.Resize(fyne.NewSize(1366, 768))
	if len(v.rep.Sentences) != sents || v.rep.Linked != sents {
		b.Fatalf("setup: %d sentences, %d linked, want %d", len(v.rep.Sentences), v.rep.Linked, sents)
	}
	return v, sess
}

// BenchmarkRefresh is the work after every change (a link confirmed, an
// undo): coverage, both highlight sets, the side panel. It must stay well
// under a frame's worth of patience (~50 ms) on a long pair.
func BenchmarkRefresh(b *testing.B) {
	v, _ := benchView(b)
	v.selectSentence(100, false)
	b.ResetTimer()
	for b.Loop() {
		v.refresh()
	}
}

// BenchmarkSelectSentence is a click on a summary sentence.
func BenchmarkSelectSentence(b *testing.B) {
	v, _ := benchView(b)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		v.selectSentence(i%len(v.rep.Sentences), false)
		i++
	}
}
