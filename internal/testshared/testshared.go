// Package testshared locates ../shared, the material that sits beside a
// checkout (the corpus, gold sets, schemas), for tests in any package. A
// fresh clone elsewhere has none, so a test that needs it is skipped with
// the reason rather than failed.
package testshared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Path returns <repo>/../shared/elem... and skips t when it is absent.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	// This file is <repo>/internal/testshared/testshared.go.
	dir := filepath.Join(append([]string{filepath.Dir(file), "..", "..", "..", "shared"}, elem...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared material not available at %s: %v", dir, err)
	}
	return dir
}
