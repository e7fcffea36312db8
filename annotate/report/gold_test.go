package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"gloss/internal/testshared"
)

type goldLink struct {
	Summary  string   `json:"summary"`
	Evidence []string `json:"evidence"`
}

func readGold(t testing.TB) []goldLink {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testshared.Path(t), "gold", "002-summary-links.dev.json"))
	if err != nil {
		t.Skipf("gold summary not available: %v", err)
	}
	var g struct {
		Links []goldLink `json:"links"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("gold file: %v", err)
	}
	return g.Links
}
