package report

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"gloss/annotate"
)

// FuzzJudgmentSections feeds arbitrary source and summary text through the
// claims, figures, timeline and summary-check sections: no panic, and the
// HTML never carries a tag or attribute the text wrote.
func FuzzJudgmentSections(f *testing.F) {
	f.Add("In 2023 officials arrested 37,000 people. On Monday they said so.", "Officials arrested 24,000 people in 2023.", "2024-05-13")
	f.Add("2023财年,记录了24000多起此类过境事件。2月18日在维也纳举行。", "<script>alert(1)</script> 5月18日 数万人", "2024-04-06")
	f.Add("fiscal 2023 | tens of thousands *x* [l](javascript:y)", "", "2024")
	f.Add("\x00\ufffd 😀 十五 二〇二三年 yesterday", "more than 1e308 people", "bad-date")
	f.Fuzz(func(t *testing.T, text, summary, published string) {
		if strings.ContainsRune(text+summary, '\r') {
			return // import normalises line ends before a text is ever stored
		}
		src := newSource("s1", "Source", text, annotate.English)
		src.Published = published
		sum := newSource("s2", "Summary", summary, annotate.English)
		sum.Kind, sum.Originals = annotate.KindSummary, []string{"s1"}
		p := &annotate.Project{Sources: []annotate.Source{src, sum}}
		rt, rs := []rune(text), []rune(summary)
		if len(rt) > 0 && len(rs) > 0 {
			from, err1 := annotate.NewText(summary).Select(0, len(rs))
			to, err2 := annotate.NewText(text).Select(0, len(rt))
			if err1 == nil && err2 == nil {
				p.Annotations = []annotate.Annotation{{ID: "a1", SourceID: "s1", Selector: to, Created: t0, Modified: t0}}
				p.Links = []annotate.Link{{ID: "l1", Status: annotate.Confirmed, From: annotate.Anchor{SourceID: "s2", Selector: from},
					To: []annotate.Anchor{{SourceID: "s1", Selector: to}}}}
				p.Claims = []annotate.Claim{{ID: "m1", Text: summary, Evidence: []annotate.Evidence{{AnnotationID: "a1", Relation: annotate.Supports}, {AnnotationID: "gone", Relation: annotate.Contradicts}}}}
			}
		}
		var buf bytes.Buffer
		if err := WriteHTML(&buf, p, Options{Generated: t0}); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(buf.Bytes(), []byte("<script")) {
			t.Fatal("HTML report holds a <script")
		}
		if err := WriteMarkdown(io.Discard, p, Options{Generated: t0}); err != nil {
			t.Fatal(err)
		}
	})
}
