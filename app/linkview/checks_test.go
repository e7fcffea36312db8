package linkview

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/annotate"
	"gloss/app/session"
)

// Fixture written for this test: an original stating two figures, and a
// summary that gets one right, misstates the other, and states a third
// with no evidence.
const (
	checkOriginalText = "去年发生了24000多起此类过境事件。今年又遣返了300名中国公民。"
	checkSummaryText  = "There were more than 24,000 such crossings last year. This year 3,000 Chinese citizens were returned. Officials expect 500 more."
)

func TestMain(m *testing.M) {
	runCheck = func(f func()) { f() } // see runCheck
	os.Exit(m.Run())
}

// BenchmarkSummaryCheck is the background check of the long pair after a
// link changes (200 summary sentences against ≈60,000 characters).
func BenchmarkSummaryCheck(b *testing.B) {
	v, sess := benchView(b)
	x := sess.Index()
	sum := *x.Source[sumID]
	for b.Loop() {
		if res, msg := checkSummary(x, sum); msg != "" || res == nil {
			b.Fatalf("check: %q", msg)
		}
	}
	_ = v
}

func TestSummaryCheckMarksMisstatedAndUnsupportedSentences(t *testing.T) {
	test.NewTempApp(t)
	p := testProject(checkSummaryText, checkOriginalText)
	p.Sources[0].Published, p.Sources[1].Published = "2024-05-01", "2024-05-02"
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	link := func(id, sumQuote, orgQuote string) annotate.Link {
		sel := func(text, q string) annotate.Selector {
			i := strings.Index(text, q)
			if i < 0 {
				t.Fatalf("fixture: %q not in text", q)
			}
			s := len([]rune(text[:i]))
			x, err := annotate.NewText(text).Select(s, s+len([]rune(q)))
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		return annotate.Link{ID: id, From: annotate.Anchor{SourceID: sumID, Selector: sel(checkSummaryText, sumQuote)},
			To: []annotate.Anchor{{SourceID: origID, Selector: sel(checkOriginalText, orgQuote)}}, Status: annotate.Confirmed, Created: now, Modified: now}
	}
	p.Links = []annotate.Link{
		link("l-right", "There were more than 24,000 such crossings last year.", "去年发生了24000多起此类过境事件。"),
		link("l-wrong", "This year 3,000 Chinese citizens were returned.", "今年又遣返了300名中国公民。"),
	}
	sess, err := session.New(&annotate.MemStore{P: p})
	if err != nil {
		t.Fatal(err)
	}
	v := NewView(sess, sumID, origID)
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(1366, 768))
	waitCheck(t, v)

	if len(v.rep.Sentences) != 3 {
		t.Fatalf("%d sentences", len(v.rep.Sentences))
	}
	flagged := map[int]bool{}
	for i, s := range v.rep.Sentences {
		flagged[i] = len(v.checkMessages(s.Start)) > 0
	}
	if flagged[0] || !flagged[1] || !flagged[2] {
		t.Fatalf("flagged = %v; want the misstated (1) and the unsupported (2) sentences only", flagged)
	}
	if m := strings.Join(v.checkMessages(v.rep.Sentences[1].Start), " "); !strings.Contains(m, "3,000") || !strings.Contains(m, "300") {
		t.Fatalf("finding of sentence 2 = %q", m)
	}

	// The summary marks the misstated figure itself, with the finding as
	// its tooltip; the right sentence carries no mark.
	var marks []string
	for _, h := range v.summaryHighlights() {
		if h.Color == colCheck {
			marks = append(marks, string([]rune(checkSummaryText)[h.Start:h.End]))
			if !strings.Contains(h.Tooltip, "⚠") {
				t.Fatalf("mark without its finding: %q", h.Tooltip)
			}
		}
	}
	if len(marks) < 2 || !strings.Contains(marks[0], "3,000") {
		t.Fatalf("check marks = %q", marks)
	}
	for _, m := range marks {
		if strings.Contains(m, "24,000") {
			t.Fatalf("the right figure is marked: %q", marks)
		}
	}

	// Selecting the sentence shows the finding in the side panel.
	v.summaryTapped("k:1")
	if d := detailText(v); !strings.Contains(d, "Summary check") || !strings.Contains(d, "3,000") {
		t.Fatalf("side panel:\n%s", d)
	}
	v.summaryTapped("s:0")
	if d := detailText(v); strings.Contains(d, "Summary check") {
		t.Fatalf("the right sentence shows a check:\n%s", d)
	}
}

func detailText(v *View) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		}
	}
	walk(v.detail)
	return b.String()
}

// waitCheck waits for the background summary check of v.
func waitCheck(t *testing.T, v *View) {
	t.Helper()
	select {
	case <-v.checkDone:
	case <-time.After(20 * time.Second):
		t.Fatal("the summary check did not finish")
	}
}
