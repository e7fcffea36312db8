package refiqda

import (
	"fmt"
	"strings"
	"testing"

	"gloss/annotate"
)

// A MAXQDA-style export as QualCoder writes it: the text file has CRLF
// line breaks, but positions count each break as one character, so every
// coding after the first break is shifted by the number of breaks before
// it. The selection's name carries its quote; import places each coding on
// its quote and says how many it moved.
func TestCRLFShiftedOffsetsReanchorByQuote(t *testing.T) {
	lines := []string{"中美双方同意加强合作。", "The ministry said 24,000 people were returned.", "先核实，再遣返。", "Talks resume next month.", "遣返航班增加。"}
	lf := strings.Join(lines, "\n")
	crlf := strings.Join(lines, "\r\n")
	quotes := []string{"同意加强合作", "24,000 people", "先核实", "再遣返", "Talks resume", "遣返航班"}
	var sels strings.Builder
	for i, q := range quotes {
		start := strings.Index(lf, q)
		start = len([]rune(lf[:start])) // code points in the LF text: CRLF counted once
		end := start + len([]rune(q))
		fmt.Fprintf(&sels, `<PlainTextSelection guid="e0000000-0000-4000-8000-00000000000%d" name="%s" startPosition="%d" endPosition="%d">
<Coding guid="f0000000-0000-4000-8000-00000000000%d"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding>
</PlainTextSelection>
`, i+1, q, start, end, i+1)
	}
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="maxqda-variant" origin="QualCoder 3.6">
<CodeBook><Codes><Code guid="c0000000-0000-4000-8000-000000000001" name="Repatriation" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="50000000-0000-4000-8000-000000000001" name="lines.txt" plainTextPath="internal://50000000-0000-4000-8000-000000000001.txt">
` + sels.String() + `</TextSource></Sources></Project>`
	data := buildZip(t, [2]string{"project.qde", qde}, [2]string{"Sources/50000000-0000-4000-8000-000000000001.txt", crlf})
	var warnings []string
	p, err := importQDPX(data, ReadOptions{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Annotations) != len(quotes) {
		t.Fatalf("%d annotations, want %d", len(p.Annotations), len(quotes))
	}
	text := annotate.NewText(p.Sources[0].Text)
	shifted := 0
	for i, a := range p.Annotations {
		if a.Selector.Exact != quotes[i] || text.Check(a.Selector) != nil {
			t.Errorf("coding %d sits on %q, want %q", i, a.Selector.Exact, quotes[i])
		}
		if a.Anchor == annotate.AnchorShifted {
			shifted++
		}
	}
	// Only the first passage precedes every line break.
	if shifted != len(quotes)-1 {
		t.Errorf("%d codings marked shifted, want %d", shifted, len(quotes)-1)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], fmt.Sprintf("%d re-anchored by their quote", len(quotes)-1)) {
		t.Errorf("warnings %q", warnings)
	}
}
