package summarycheck

import (
	"fmt"
	"strings"
	"testing"

	"gloss/annotate"
	"gloss/annotate/suggest"
)

// A Chinese original and an English summary written for this test; each
// summary sentence is linked to the original sentence it rests on, and
// labelled with whether the check should flag it.
var original = strings.Join([]string{
	"2023年,港口警方在北码头拘留了约1800名走私者。", // 0
	"比前一年的900多名增加了一倍。",            // 1
	"2023财年,海关记录了24000多起非法入境事件。",  // 2
	"港务局5月18日宣布,新渡轮航线将于下个月开通。",    // 3
	"该航线每天可运送4000名乘客。",            // 4
	"票价比原计划低15%。",                 // 5
	"去年共有240万人次旅客经过港口。",           // 6
	"市长表示,港口将在三年内投资5亿元。",          // 7
}, "")

type sentence struct {
	text string
	to   int  // original sentence linked, -1 for none
	flag bool // the check should flag it
}

var summary = []sentence{
	{"In 2023 the harbour police detained about 1,800 smugglers at the north pier.", 0, false},
	{"Police detained 3,700 smugglers at the north pier in 2023.", 0, true},          // wrong figure
	{"That was roughly twice the previous year's 900 or so.", 1, false},              // right
	{"Customs recorded more than 24,000 illegal entries in fiscal 2023.", 2, false},  // right
	{"Customs recorded 37,000 illegal entries in fiscal 2023.", 2, true},             // wrong figure
	{"The harbour authority announced the new ferry line on May 18.", 3, false},      // right date
	{"The harbour authority announced the new ferry line on June 18.", 3, true},      // wrong date
	{"The line can carry 4,000 passengers a day.", 4, false},                         // right
	{"Fares are 15 percent lower than planned.", 5, false},                           // right
	{"Fares are 25 percent lower than planned.", 5, true},                            // wrong percentage
	{"Some 2.4 million passengers passed through the port last year.", 6, false},     // right
	{"The mayor pledged 500 million yuan over three years.", 7, false},               // right
	{"Smuggling arrests rose to 5,000 this spring.", -1, true},                       // numbers, no evidence
	{"The port is busy and growing.", -1, false},                                     // nothing to check
	{"Customs recorded more than 24,000 illegal entries in calendar 2023.", 2, true}, // period: FY vs calendar
	{"In 2023 police detained some 900 smugglers.", 1, true},                         // the previous year's figure
	{"In 2022 police detained more than 900 smugglers.", 1, false},                   // right, 前一年 of 2023
}

func fixture(t *testing.T) (annotate.Source, map[string]annotate.Source, []annotate.Link, Texts, []suggest.Span) {
	t.Helper()
	orig := annotate.Source{ID: "o", Language: annotate.Simplified, Published: "2024-05-20", Kind: annotate.KindOriginal}
	sum := annotate.Source{ID: "s", Language: annotate.English, Kind: annotate.KindSummary, Originals: []string{"o"}}
	var parts []string
	for _, s := range summary {
		parts = append(parts, s.text)
	}
	sumText := strings.Join(parts, " ")
	osents := suggest.Sentences(original)
	ssents := suggest.Sentences(sumText)
	if len(ssents) != len(summary) {
		t.Fatalf("summary splits into %d sentences, want %d", len(ssents), len(summary))
	}
	var links []annotate.Link
	for i, s := range summary {
		if s.to < 0 {
			continue
		}
		o := osents[s.to]
		links = append(links, annotate.Link{ID: fmt.Sprintf("l%d", i), Status: annotate.Confirmed,
			From: annotate.Anchor{SourceID: "s", Selector: annotate.Selector{Start: ssents[i].Start, End: ssents[i].End, Exact: ssents[i].Text}},
			To:   []annotate.Anchor{{SourceID: "o", Selector: annotate.Selector{Start: o.Start, End: o.End, Exact: o.Text}}}})
	}
	texts := func(id string) (string, bool) {
		switch id {
		case "o":
			return original, true
		case "s":
			return sumText, true
		}
		return "", false
	}
	return sum, map[string]annotate.Source{"o": orig, "s": sum}, links, texts, ssents
}

func TestPrecisionRecall(t *testing.T) {
	sum, sources, links, texts, _ := fixture(t)
	got, err := Check(sum, sources, links, texts)
	if err != nil {
		t.Fatal(err)
	}
	tp, fp, fn := 0, 0, 0
	for i, s := range got {
		want := summary[i].flag
		for _, f := range s.Findings {
			t.Logf("%2d %-11s %s", i, f.Kind, f.Message)
		}
		switch {
		case s.Flagged() && want:
			tp++
		case s.Flagged() && !want:
			fp++
			t.Errorf("false alarm on %q: %+v", summary[i].text, s.Findings)
		case !s.Flagged() && want:
			fn++
			t.Errorf("missed %q", summary[i].text)
		}
	}
	precision := float64(tp) / float64(max(1, tp+fp))
	recall := float64(tp) / float64(max(1, tp+fn))
	fmt.Printf("summary check on %d sentences: precision %.2f, recall %.2f (tp %d, fp %d, fn %d)\n", len(got), precision, recall, tp, fp, fn)
	if precision < 0.9 || recall < 0.9 {
		t.Errorf("precision %.2f, recall %.2f; want ≥ 0.9 each", precision, recall)
	}
}

func TestMessages(t *testing.T) {
	sum, sources, links, texts, _ := fixture(t)
	got, _ := Check(sum, sources, links, texts)
	want := map[int]string{
		4:  "summary says 37,000; evidence says 24000多起",
		1:  "summary says 3,700; evidence says 约1800名",
		12: "summary says 5,000 with no evidence linked",
	}
	for i, msg := range want {
		if len(got[i].Findings) == 0 || got[i].Findings[0].Message != msg {
			t.Errorf("sentence %d: findings %+v; want %q", i, got[i].Findings, msg)
		}
	}
	if got[14].Findings[0].Kind != Period {
		t.Errorf("calendar vs fiscal 2023: %+v", got[14].Findings)
	}
}

func TestRejectedLinksAndMissingText(t *testing.T) {
	sum, sources, links, texts, _ := fixture(t)
	for i := range links {
		links[i].Status = annotate.Rejected
	}
	got, err := Check(sum, sources, links, texts)
	if err != nil {
		t.Fatal(err)
	}
	if !got[0].Flagged() || got[0].Findings[0].Kind != Unsupported {
		t.Errorf("with its link rejected, a sentence with numbers is unsupported: %+v", got[0].Findings)
	}
	if _, err := Check(annotate.Source{ID: "nope"}, sources, nil, texts); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing summary text: %v", err)
	}
	links[0].Status = annotate.Confirmed
	links[0].To[0].SourceID = "gone"
	if _, err := Check(sum, sources, links[:1], texts); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("missing evidence text: %v", err)
	}
}
