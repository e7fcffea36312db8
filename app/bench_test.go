package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gloss/annotate"
	"gloss/app/session"
)

// largeProject has 200 sources of about 6,000 code points, 20 codes and
// 10,000 annotations: a big study, to keep one keystroke's work in check.
func largeProject(b *testing.B) *annotate.MemStore {
	b.Helper()
	para := strings.Repeat("Officials said the return flights would continue. 官员表示遣返航班将继续。", 6) + "\n\n"
	text := strings.Repeat(para, 10)
	tx := annotate.NewText(text)
	var c annotate.Change
	for i := 0; i < 20; i++ {
		c.PutCodes = append(c.PutCodes, annotate.Code{ID: fmt.Sprintf("c%02d", i), Name: fmt.Sprintf("Code %d", i), Color: annotate.Palette[i%len(annotate.Palette)]})
	}
	now := time.Now().UTC()
	for s := 0; s < 200; s++ {
		sid := fmt.Sprintf("s%03d", s)
		c.PutSources = append(c.PutSources, annotate.Source{ID: sid, Title: "Source " + sid, Kind: annotate.KindOriginal, Published: "2026-01-02", Text: text})
		for a := 0; a < 50; a++ { // one every 70 code points
			sel, err := tx.Select(a*70, a*70+40)
			if err != nil {
				b.Fatal(err)
			}
			c.PutAnnotations = append(c.PutAnnotations, annotate.Annotation{ID: fmt.Sprintf("a%03d-%02d", s, a), SourceID: sid,
				Selector: sel, Codes: []string{fmt.Sprintf("c%02d", a%20)}, Created: now, Modified: now})
		}
	}
	st := &annotate.MemStore{}
	if _, err := st.Apply(c); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkTagKeyLargeProject is one "select, press 2" in a 10,000-annotation
// project plus its undo: the store write (in memory here), the session's
// re-index and the redraw of every panel. Target: well under 100 ms.
func BenchmarkTagKeyLargeProject(b *testing.B) {
	st := largeProject(b)
	a := test.NewTempApp(b)
	ws := NewWindow(a, Config{Open: func(string, bool) (session.Store, error) { return st, nil }, Path: "large.gloss"})
	defer ws.Window.Close()
	ws.selectSource("s100")
	ws.Window.Canvas().Focus(ws.text.tv)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ws.text.tv.SetSelection(3545, 3560)
		typeKeys(ws, "2")
		if ws.annID == "" {
			b.Fatal("no annotation made")
		}
		ws.undo()
	}
}
