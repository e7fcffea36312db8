package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnknownCommandIsAUsageErrorNotTheWindow(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(plain, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	isFile := func(p string) bool { st, err := os.Stat(p); return err == nil && !st.IsDir() }
	for _, tc := range []struct {
		args   []string
		window bool
	}{
		{nil, true},
		{[]string{"Project.gloss"}, true}, // a new or moved project still opens the window
		{[]string{filepath.Join(dir, "missing.GLOSS")}, true},
		{[]string{plain}, true}, // an existing file: the window explains what is wrong with it
		{[]string{"restore2", "--db", "x.gloss"}, false},
		{[]string{"source"}, false},
		{[]string{"import"}, false},
		{[]string{"--help"}, false},
		{[]string{dir}, false}, // a folder is not a project
	} {
		if got := OpensWindow(tc.args, isFile); got != tc.window {
			t.Errorf("%q: window %v, want %v", tc.args, got, tc.window)
		}
	}
	out, errOut, code := gloss(t, "restore2", "--db", "x.gloss")
	if code != 2 || out != "" || !strings.Contains(errOut, `unknown command "restore2"`) || !strings.Contains(errOut, "gloss import") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}
