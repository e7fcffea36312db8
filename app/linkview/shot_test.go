package linkview

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"gloss/annotate"
	"gloss/app/session"
	"gloss/internal/testshared"
)

// corpus002 reads the Chinese original 002 and the gold English summary of it.
func corpus002(t testing.TB) (summary, original string) {
	t.Helper()
	dir := testshared.Path(t)
	b, err := os.ReadFile(filepath.Join(dir, "gold", "002-summary-links.dev.json"))
	if err != nil {
		t.Skipf("gold file: %v", err)
	}
	var gold struct {
		Original string `json:"original"`
		Links    []struct {
			Summary string `json:"summary"`
		} `json:"links"`
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatalf("gold file: %v", err)
	}
	o, err := os.ReadFile(filepath.Join(dir, "corpus", gold.Original))
	if err != nil {
		t.Skipf("corpus file %s: %v", gold.Original, err)
	}
	var parts []string
	for _, l := range gold.Links {
		parts = append(parts, l.Summary)
	}
	return strings.Join(parts, " "), string(o)
}

// TestScreenshot002 renders the view on corpus source 002 with the gold
// summary after Suggest and two confirmations. The PNG goes to
// $GLOSS_SHOT_DIR (or a temporary directory) for a person to look at.
func TestScreenshot002(t *testing.T) {
	summary, original := corpus002(t)
	test.NewTempApp(t)
	fyne.CurrentApp().Settings().SetTheme(theme.LightTheme())
	sess, err := session.New(&annotate.MemStore{P: testProject(summary, original)})
	if err != nil {
		t.Fatal(err)
	}
	v := NewView(sess, sumID, origID)
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(1366, 768))
	suggestNow(t, v)
	if v.rep.Suggested == 0 {
		t.Fatalf("no suggestions on corpus 002: %q", v.status.Text)
	}
	for _, i := range []int{0, 2} {
		v.selectSentence(i, true)
		if len(v.candRows) == 0 {
			t.Fatalf("sentence %d has no candidate", i)
		}
		test.Tap(v.candRows[0].confirm)
	}
	// Turn one suggestion down, so all three sentence states show.
	last := len(v.rep.Sentences) - 1
	v.selectSentence(last, true)
	if len(v.candRows) > 0 && v.candRows[0].linkID != "" {
		test.Tap(v.candRows[0].reject)
	}
	if v.rep.Linked != 2 || len(v.rep.Unsupported) == 0 {
		t.Fatalf("want 2 linked sentences and an unsupported one, got %d and %d", v.rep.Linked, len(v.rep.Unsupported))
	}
	v.selectSentence(2, true)
	time.Sleep(1700 * time.Millisecond) // let the jump's flash fade, as a user would see it
	dir := os.Getenv("GLOSS_SHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	f, err := os.Create(filepath.Join(dir, "linkview-002.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s; coverage: %s", f.Name(), v.coverageLbl.Text)
}
