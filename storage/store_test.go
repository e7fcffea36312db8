package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// newStore opens a fresh project that is checked when the test ends (as
// bbolt's btesting does): whatever a test did must leave a valid project.
func newStore(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.gloss")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		checkOnCleanup(t, path)
	})
	return s, path
}

// checkOnCleanup runs Check on a project a test leaves behind, reopening
// it read-only when the test closed or replaced its store.
func checkOnCleanup(t testing.TB, path string) {
	t.Helper()
	if t.Failed() {
		return
	}
	if _, err := os.Stat(path); err != nil {
		return // the test removed it on purpose
	}
	chk, err := Open(path, Options{ReadOnly: true, Timeout: 50 * time.Millisecond})
	if err != nil {
		if errors.Is(err, ErrLocked) || strings.Contains(err.Error(), "newer Gloss") {
			return // another store of the test still holds it, or the test made it unreadable on purpose
		}
		t.Errorf("cleanup: reopening %s: %v", path, err)
		return
	}
	defer chk.Close()
	problems, err := chk.Check()
	if err != nil {
		t.Errorf("cleanup: check %s: %v", path, err)
	}
	for _, p := range problems {
		t.Errorf("cleanup: check %s: %v", path, p)
	}
}

const zhText = "据报道，中美合作遣返非法移民。😀 2023财年超过24,000人。\n第二段。"

func seed(t testing.TB, s *Store) (annotate.Source, annotate.Code, annotate.Target) {
	t.Helper()
	src := annotate.Source{ID: annotate.NewID("s"), Title: "测试", Kind: annotate.KindOriginal, Language: annotate.Simplified, Text: zhText}
	code := annotate.Code{ID: annotate.NewID("c"), Name: "Cooperation", Color: "#f4c430"}
	tgt := annotate.Target{ID: annotate.NewID("t"), Name: "United States"}
	if _, err := s.Apply(annotate.Change{PutSources: []annotate.Source{src}, PutCodes: []annotate.Code{code}, PutTargets: []annotate.Target{tgt}}); err != nil {
		t.Fatal(err)
	}
	return src, code, tgt
}

func annotation(t testing.TB, src annotate.Source, start, end int, codes ...string) annotate.Annotation {
	t.Helper()
	sel, err := annotate.NewText(src.Text).Select(start, end)
	if err != nil {
		t.Fatal(err)
	}
	return annotate.Annotation{ID: annotate.NewID("a"), SourceID: src.ID, Selector: sel, Codes: codes}
}

func TestCreateModeAndReopen(t *testing.T) {
	s, path := newStore(t)
	src, code, tgt := seed(t, s)
	a := annotation(t, src, 17, 23, code.ID) // after the emoji: code points, not bytes
	a.Stances = []annotate.StanceMark{{Target: tgt.ID, Stance: annotate.Favor}}
	a.Credibility = 2
	if _, err := s.Apply(annotate.Change{PutAnnotations: []annotate.Annotation{a}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", info.Mode().Perm())
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Annotation(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Selector.Exact != "2023财年" || got.Credibility != 2 || got.Stances[0].Stance != annotate.Favor {
		t.Fatalf("reopened %+v", got)
	}
	full, _ := s2.Source(src.ID)
	if full.Text != zhText || full.Length != len([]rune(zhText)) || full.ContentHash != annotate.HashText(zhText) {
		t.Fatalf("source %+v", full)
	}
	if probs, err := s2.Check(); err != nil || len(probs) > 0 {
		t.Fatalf("check: %v %v", err, probs)
	}
	if counts, err := s2.AnnotationCounts(); err != nil || counts[src.ID] != 1 || len(counts) != 1 {
		t.Fatalf("counts %v %v", counts, err)
	}
}

func TestApplyRefusesBadInput(t *testing.T) {
	s, _ := newStore(t)
	src, code, _ := seed(t, s)
	bad := annotation(t, src, 0, 3, code.ID)
	bad.Credibility = 7
	cases := map[string]annotate.Annotation{"credibility": bad}
	unknown := annotation(t, src, 0, 3, "c-nope")
	cases["no code"] = unknown
	outside := annotation(t, src, 0, 3)
	outside.Selector.End = 999
	cases["outside the text"] = outside
	moved := annotation(t, src, 0, 3)
	moved.Selector.Exact = "别的"
	cases["does not match"] = moved
	for want, a := range cases {
		_, err := s.Apply(annotate.Change{PutAnnotations: []annotate.Annotation{a}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
		}
	}
	if anns, _ := s.Annotations(src.ID); len(anns) != 0 {
		t.Fatalf("a refused change left %d annotations", len(anns))
	}
}

func TestUndoRedoThroughInverse(t *testing.T) {
	s, _ := newStore(t)
	src, code, _ := seed(t, s)
	a := annotation(t, src, 0, 3, code.ID)
	inv, err := s.Apply(annotate.Change{PutAnnotations: []annotate.Annotation{a}})
	if err != nil {
		t.Fatal(err)
	}
	redo, err := s.Apply(inv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Annotation(a.ID); err == nil {
		t.Fatal("undo left the annotation")
	}
	if _, err := s.Apply(redo); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Annotation(a.ID); err != nil {
		t.Fatal("redo lost the annotation")
	}
	// Deleting a code in use is refused unless the change also strips it.
	if _, err := s.Apply(annotate.Change{DelCodes: []string{code.ID}}); err == nil || !strings.Contains(err.Error(), "1 annotation") {
		t.Fatalf("delete in-use code: %v", err)
	}
	p, _ := s.Snapshot()
	del := annotate.NewIndex(p).DeleteCode(code.ID)
	undoDel, err := s.Apply(del)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Annotation(a.ID); len(got.Codes) != 0 {
		t.Fatal("code not stripped")
	}
	if _, err := s.Apply(undoDel); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Annotation(a.ID); len(got.Codes) != 1 {
		t.Fatal("undo of code delete did not restore the tag")
	}
	// Deleting a source cascades through the index helper, and undoes whole.
	p, _ = s.Snapshot()
	undoSrc, err := s.Apply(annotate.NewIndex(p).DeleteSource(src.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(undoSrc); err != nil {
		t.Fatal(err)
	}
	if full, err := s.Source(src.ID); err != nil || full.Text != zhText {
		t.Fatalf("undo delete source: %v", err)
	}
	if probs, _ := s.Check(); len(probs) > 0 {
		t.Fatal(probs)
	}
}

func TestMigrationFromSchema1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.gloss")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(db, path, 1); err != nil {
		t.Fatal(err)
	}
	// Write a schema-1 project by hand: annotations without the index.
	src := annotate.Source{ID: "s1", Kind: annotate.KindOriginal, Text: "hello world", ContentHash: annotate.HashText("hello world"), Length: 11}
	sel, _ := annotate.NewText(src.Text).Select(0, 5)
	a := annotate.Annotation{ID: "a1", SourceID: "s1", Selector: sel}
	err = db.Update(func(tx *bolt.Tx) error {
		meta := src
		meta.Text = ""
		raw, _ := json.Marshal(meta)
		tx.Bucket(bSources).Put([]byte("s1"), raw)
		tx.Bucket(bTexts).Put([]byte("s1"), []byte(src.Text))
		b, _ := tx.Bucket(bLegacyAnns).CreateBucket([]byte("s1"))
		raw, _ = json.Marshal(a)
		return b.Put([]byte("a1"), raw)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Annotation("a1"); err != nil || got.Selector.Exact != "hello" {
		t.Fatalf("after migration: %+v %v", got, err)
	}
	if probs, _ := s.Check(); len(probs) > 0 {
		t.Fatal(probs)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, path := newStore(t)
	s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kSchema, []byte(fmt.Sprint(latest+1))) })
	s.Close()
	_, err := Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer Gloss") || !strings.Contains(err.Error(), path) {
		t.Fatalf("got %v", err)
	}
}

func TestNotAProject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.gloss")
	os.WriteFile(path, []byte(strings.Repeat("just some text\n", 500)), 0o600)
	_, err := Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a Gloss project") {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "just some text") {
		t.Fatal("the file was changed")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.gloss"), Options{}); err == nil || !strings.Contains(err.Error(), "no such project") {
		t.Fatalf("missing: %v", err)
	}
}

// TestLockHelper holds a project open in a child process for TestLockedByAnotherProcess.
func TestLockHelper(t *testing.T) {
	path := os.Getenv("GLOSS_LOCK_HELPER")
	if path == "" {
		t.Skip("only runs as the child of TestLockedByAnotherProcess")
	}
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	fmt.Println("LOCKED")
	time.Sleep(20 * time.Second)
	s.Close()
}

func TestLockedByAnotherProcess(t *testing.T) {
	s, path := newStore(t)
	s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelper$", "-test.v")
	cmd.Env = append(os.Environ(), "GLOSS_LOCK_HELPER="+path)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	buf := make([]byte, 4096)
	got := ""
	for !strings.Contains(got, "LOCKED") {
		n, err := out.Read(buf)
		if err != nil {
			t.Fatalf("child: %q %v", got, err)
		}
		got += string(buf[:n])
	}
	start := time.Now()
	_, err := Open(path, Options{})
	if err == nil || err.Error() != path+" is open in another Gloss process (a window or a command)" {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("waited %v", d)
	}
}

func TestBackups(t *testing.T) {
	s, path := newStore(t)
	seed(t, s)
	s.opt.KeepBackups = 2
	for i := 0; i < 3; i++ {
		if _, err := s.Backup(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	list, _ := s.Backups()
	if len(list) != 2 {
		t.Fatalf("kept %d backups", len(list))
	}
	b, err := Open(list[0], Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if srcs, _ := b.Sources(); len(srcs) != 1 {
		t.Fatalf("backup holds %d sources", len(srcs))
	}
	if filepath.Dir(list[0]) != BackupDir(path) {
		t.Fatal(list[0])
	}
}
