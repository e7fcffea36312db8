package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
)

// The damage suite: a project with English and Chinese sources, codes,
// targets, annotations and links, backed up, then damaged in every way the
// issue lists. For each variant: nothing panics, errors name the file, no
// read changes a byte, structural damage is never reported healthy, Restore
// brings back every annotation of the backup, and Salvage keeps every
// annotation whose pages (and whose source's) were not touched.

// damageProject is built once; each variant works on a copy.
type damageProject struct {
	dir, path   string
	good        []byte
	backupIDs   []string                       // annotation IDs in the backup
	anns        map[string]annotate.Annotation // every annotation of the project
	annSrc      map[string]string
	spans       map[string][][2]int64 // "bucket/key" -> byte ranges of its pages
	ps, hwm     int64
	annotations int
}

var englishSentences = []string{
	"Officials from both countries met to discuss the return of migrants who had no legal basis to stay.",
	"A spokesperson said cooperation on repatriation flights had increased over the previous fiscal year.",
	"Critics argued that the agreement gave too little attention to claims for protection.",
	"The ministry described the talks as pragmatic and said further meetings were planned.",
}

var chineseSentences = []string{
	"双方官员会面，讨论遣返没有合法居留依据的移民问题。",
	"发言人表示，上一财年遣返航班方面的合作有所增加。",
	"批评者认为，该协议对庇护申请关注不够。",
	"外交部称会谈务实，并表示将举行进一步会议。",
}

func damageText(sentences []string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d. %s\n", i+1, sentences[i%len(sentences)])
	}
	return b.String()
}

func buildDamageProject(t *testing.T) *damageProject {
	t.Helper()
	dp := &damageProject{dir: t.TempDir(), anns: map[string]annotate.Annotation{}, annSrc: map[string]string{}}
	dp.path = filepath.Join(dp.dir, "p.gloss")
	s, err := Open(dp.path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	srcs := []annotate.Source{
		{ID: annotate.NewID("s"), Title: "Talks", Kind: annotate.KindOriginal, Language: "en", Text: damageText(englishSentences, 8)},
		{ID: annotate.NewID("s"), Title: "会谈", Kind: annotate.KindOriginal, Language: annotate.Simplified, Text: damageText(chineseSentences, 8)},
		{ID: annotate.NewID("s"), Title: "Long report", Kind: annotate.KindOriginal, Language: "en", Text: damageText(englishSentences, 400)},
		{ID: annotate.NewID("s"), Title: "长篇报道", Kind: annotate.KindOriginal, Language: annotate.Simplified, Text: damageText(chineseSentences, 300)},
	}
	codes := []annotate.Code{{ID: annotate.NewID("c"), Name: "Cooperation", Color: "#f4c430"}}
	codes = append(codes, annotate.Code{ID: annotate.NewID("c"), Name: "Flights", Color: "#4c9be8", Parent: codes[0].ID}, annotate.Code{ID: annotate.NewID("c"), Name: "Protection", Color: "#d9534f"})
	tgts := []annotate.Target{{ID: annotate.NewID("t"), Name: "United States"}, {ID: annotate.NewID("t"), Name: "China"}}
	if _, err := s.Apply(annotate.Change{PutSources: srcs, PutCodes: codes, PutTargets: tgts}); err != nil {
		t.Fatal(err)
	}
	mk := func(i int) annotate.Annotation {
		src := srcs[i%len(srcs)]
		text := annotate.NewText(src.Text)
		n := len([]rune(src.Text))
		start := (i * 37) % (n - 20)
		sel, err := text.Select(start, start+12)
		if err != nil {
			t.Fatal(err)
		}
		a := annotate.Annotation{ID: annotate.NewID("a"), SourceID: src.ID, Selector: sel, Codes: []string{codes[i%3].ID},
			Stances: []annotate.StanceMark{{Target: tgts[i%2].ID, Stance: annotate.Favor}}, Credibility: annotate.Credibility(1 + i%6),
			Note: fmt.Sprintf("note %d: 注释 %d", i, i)}
		return a
	}
	i := 0
	batch := func(n int) {
		var ch annotate.Change
		for j := 0; j < n; j++ {
			ch.PutAnnotations = append(ch.PutAnnotations, mk(i))
			i++
		}
		if _, err := s.Apply(ch); err != nil {
			t.Fatal(err)
		}
	}
	for b := 0; b < 6; b++ {
		batch(30)
	}
	t0, _ := annotate.NewText(srcs[0].Text).Select(0, 20)
	t1, _ := annotate.NewText(srcs[1].Text).Select(0, 10)
	if _, err := s.Apply(annotate.Change{PutLinks: []annotate.Link{{ID: annotate.NewID("l"), Status: annotate.Confirmed,
		From: annotate.Anchor{SourceID: srcs[0].ID, Selector: t0}, To: []annotate.Anchor{{SourceID: srcs[1].ID, Selector: t1}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(); err != nil {
		t.Fatal(err)
	}
	p, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Annotations {
		dp.backupIDs = append(dp.backupIDs, a.ID)
	}
	batch(10) // work done after the backup: restore loses it, salvage keeps it
	p, err = s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Annotations {
		dp.anns[a.ID] = a
		dp.annSrc[a.ID] = a.SourceID
	}
	dp.annotations = len(p.Annotations)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if dp.good, err = os.ReadFile(dp.path); err != nil {
		t.Fatal(err)
	}
	// Where each record lives, for judging which ones a variant damaged.
	f, _ := os.Open(dp.path)
	defer f.Close()
	pf, err := readPageFile(dp.path, f, int64(len(dp.good)))
	if err != nil {
		t.Fatal(err)
	}
	dp.ps, dp.hwm = int64(pf.ps), int64(pf.meta.hwm)
	dp.spans = map[string][][2]int64{}
	w := &walker{}
	w.onRecord = func(path []string, k, v []byte) {
		key := strings.Join(path, "/") + "/" + string(k)
		dp.spans[key] = append(dp.spans[key], [2]int64{int64(w.page) * dp.ps, int64(w.page+w.span) * dp.ps})
	}
	pf.walkWith(w)
	if len(w.problems)+len(w.soft) > 0 {
		t.Fatalf("the fresh project has problems: %v %v", w.problems, w.soft)
	}
	return dp
}

// intact reports whether every page holding the record is unchanged.
func (dp *damageProject) intact(damaged []byte, key string) bool {
	spans := dp.spans[key]
	if len(spans) == 0 {
		return false
	}
	for _, sp := range spans {
		if sp[1] > int64(len(damaged)) || !bytes.Equal(damaged[sp[0]:sp[1]], dp.good[sp[0]:sp[1]]) {
			return false
		}
	}
	return true
}

func sum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func flip(b []byte, off, n int64) {
	for i := off; i < off+n && i < int64(len(b)); i++ {
		b[i] ^= 0xA5
	}
}

type variant struct {
	name string
	// structural: the file's structure is damaged, so Open must fail or
	// Check must report it.
	structural bool
	make       func(dp *damageProject) []byte
}

func damageVariants(dp *damageProject) []variant {
	cp := func() []byte { return append([]byte(nil), dp.good...) }
	trunc := func(n int64) variant {
		return variant{fmt.Sprintf("truncated to %d B", n), n < dp.hwm*dp.ps, func(dp *damageProject) []byte { return cp()[:n] }}
	}
	size := int64(len(dp.good))
	vs := []variant{trunc(0), trunc(4096), trunc(8192), trunc(size / 2), trunc(size - 1)}
	vs[4].name = "truncated to size-1"
	vs = append(vs,
		variant{"meta page 0 flipped", true, func(dp *damageProject) []byte { b := cp(); flip(b, 16, 64); return b }},
		variant{"meta page 1 flipped", true, func(dp *damageProject) []byte { b := cp(); flip(b, dp.ps+16, 64); return b }},
		variant{"both meta pages flipped", true, func(dp *damageProject) []byte { b := cp(); flip(b, 16, 64); flip(b, dp.ps+16, 64); return b }},
		variant{"data page headers flipped", true, func(dp *damageProject) []byte {
			b := cp()
			for id := int64(3); id < dp.hwm; id += 5 {
				flip(b, id*dp.ps, 40)
			}
			return b
		}},
		variant{"root page flipped", true, func(dp *damageProject) []byte {
			b := cp()
			f := bytes.NewReader(b)
			pf, _ := readPageFile("x", f, int64(len(b)))
			flip(b, int64(pf.meta.root)*dp.ps, 48)
			return b
		}},
		variant{"64 KB garbage in the middle", true, func(dp *damageProject) []byte {
			b := cp()
			r := rand.New(rand.NewSource(11))
			mid := int64(len(b)) / 2
			r.Read(b[mid : mid+65536])
			return b
		}},
		variant{"one annotation record corrupted", false, func(dp *damageProject) []byte {
			b := cp()
			id := dp.backupIDs[len(dp.backupIDs)/2]
			sp := dp.spans[string(bAnns)+"/"+id][0]
			// The record follows its key: the magic byte, the flags, then
			// the ID with its length.
			page := b[sp[0]:sp[1]]
			key := bytes.Index(page, append([]byte(id), annCodecV2))
			if key < 0 {
				panic("annotation not found in its page")
			}
			at := bytes.Index(page[key+len(id):], append([]byte{byte(len(id))}, id...))
			if at < 0 || at > 4 {
				panic("annotation ID not found in its record")
			}
			// A length byte that runs on into the ID reads a length far
			// past the record's end.
			b[sp[0]+int64(key+len(id)+at)] = 0xff
			return b
		}},
	)
	return vs
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(from)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func annotationIDs(t *testing.T, path string) []string {
	t.Helper()
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range p.Annotations {
		ids = append(ids, a.ID)
	}
	sort.Strings(ids)
	return ids
}

func TestDamageSuite(t *testing.T) {
	dp := buildDamageProject(t)
	t.Logf("project: %d bytes, %d pages of %d B, %d annotations (%d in the backup)", len(dp.good), dp.hwm, dp.ps, dp.annotations, len(dp.backupIDs))
	sort.Strings(dp.backupIDs)
	var totalRestored, totalSalvaged, totalKeepable int
	for _, v := range damageVariants(dp) {
		t.Run(v.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "p.gloss")
			damaged := v.make(dp)
			if err := os.WriteFile(path, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			copyDir(t, BackupDir(dp.path), BackupDir(path))
			before := sum(t, path)
			backupsBefore := dirSums(t, BackupDir(path))

			// Reads: no panic (the test would die), errors name the file,
			// damage is never healthy, no byte changes.
			healthy := false
			s, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				if !strings.Contains(err.Error(), path) {
					t.Errorf("open error does not name the file: %v", err)
				}
			} else {
				p, err := s.Snapshot()
				if err != nil && !strings.Contains(err.Error(), path) {
					t.Errorf("snapshot error does not name the file: %v", err)
				}
				probs, err := s.Check()
				if err != nil {
					t.Errorf("check: %v", err)
				}
				healthy = len(probs) == 0
				if v.name == "one annotation record corrupted" {
					if p == nil || len(p.Unreadable) != 1 || len(p.Annotations) != dp.annotations-1 {
						t.Errorf("snapshot: %d annotations, unreadable %v; want %d and one", len(p.Annotations), p.Unreadable, dp.annotations-1)
					}
					if !strings.Contains(fmt.Sprint(probs), "unreadable") {
						t.Errorf("check does not list the unreadable record: %v", probs)
					}
				}
				s.Close()
			}
			if v.structural && healthy {
				t.Errorf("structural damage reported healthy")
			}
			if v.name == "truncated to size-1" && !v.structural && !healthy {
				t.Errorf("cutting the unused last page's last byte is harmless, yet reported damaged")
			}
			if sum(t, path) != before {
				t.Fatalf("a read changed the file")
			}
			// As a backup, the damaged bytes never pass for a good one: its
			// whole page walk and bbolt's check read it where it is mapped.
			asBackup := filepath.Join(dir, "as-backup.gloss")
			if err := os.WriteFile(asBackup, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			if bi := inspectBackup(asBackup); v.structural && bi.OK {
				t.Errorf("the damaged bytes pass as a good backup: %+v", bi)
			} else if !bi.OK && bi.Problem == "" {
				t.Errorf("a backup refused without a reason: %+v", bi)
			} else if v.name == "one annotation record corrupted" && (!bi.OK || bi.Problem == "") {
				t.Errorf("a backup with an unreadable record: %+v, want it usable and its problem named", bi)
			}

			// The window opens with backups on; five failed opens must
			// leave the good backups alone even when they are stale.
			old := time.Now().Add(-time.Hour)
			for _, b := range mustList(t, path) {
				os.Chtimes(b.Path, old, old)
			}
			for i := 0; i < 5; i++ {
				if s, err := Open(path, Options{Backup: true}); err == nil {
					s.Snapshot() // as the window does; then it backs up
					s.Close()
					if v.structural {
						t.Fatalf("damaged file opened for writing")
					}
				}
			}
			if v.structural {
				if sum(t, path) != before {
					t.Fatalf("a failed open changed the file")
				}
				if got := dirSums(t, BackupDir(path)); got != backupsBefore {
					t.Fatalf("failed opens changed the backups")
				}
			}
			list := mustList(t, path)
			if len(list) == 0 || !list[0].OK {
				t.Fatalf("backups: %+v", list)
			}
			// A file that opens makes a new backup of itself; a damaged
			// one must leave the one made before the damage newest.
			wantRestore := dp.backupIDs
			if v.structural && list[0].Annotations != len(dp.backupIDs) {
				t.Fatalf("backups: %+v", list)
			} else if !v.structural {
				// Restore prefers the newest backup without unreadable
				// records.
				for _, b := range list {
					if b.OK && b.Problem == "" {
						wantRestore = annotationIDs(t, b.Path)
						break
					}
				}
			}

			// Salvage keeps every annotation whose pages are intact.
			out := filepath.Join(dir, "salvaged.gloss")
			rep, err := Salvage(path, out)
			if sum(t, path) != before {
				t.Fatalf("salvage changed the file")
			}
			keepable := 0
			for id, a := range dp.anns {
				src := dp.annSrc[id]
				if dp.intact(damaged, string(bAnns)+"/"+id) && dp.intact(damaged, string(bSources)+"/"+src) && dp.intact(damaged, string(bTexts)+"/"+src) {
					keepable++
					_ = a
				}
			}
			salvaged := 0
			if err != nil {
				if keepable > 0 {
					t.Fatalf("salvage failed with %d annotations intact: %v", keepable, err)
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("salvage error does not name the file: %v", err)
				}
			} else {
				got := map[string]annotate.Annotation{}
				s, err := Open(out, Options{ReadOnly: true})
				if err != nil {
					t.Fatalf("salvaged project does not open: %v", err)
				}
				p, _ := s.Snapshot()
				s.Close()
				for _, a := range p.Annotations {
					got[a.ID] = a
					want, ok := dp.anns[a.ID]
					if !ok || want.Selector != a.Selector || want.Note != a.Note || want.SourceID != a.SourceID {
						t.Errorf("salvage kept annotation %s differently: %+v", a.ID, a)
					}
				}
				for id := range dp.anns {
					src := dp.annSrc[id]
					if dp.intact(damaged, string(bAnns)+"/"+id) && dp.intact(damaged, string(bSources)+"/"+src) && dp.intact(damaged, string(bTexts)+"/"+src) {
						if _, ok := got[id]; !ok {
							t.Errorf("salvage lost intact annotation %s", id)
						}
					}
				}
				salvaged = len(got)
				if len(rep.Problems) > 0 {
					t.Logf("salvaged project's check: %v", rep.Problems)
				}
			}

			// Restore brings back the backup, keeping the damaged file.
			aside, err := Restore(path, "")
			if err != nil {
				t.Fatal(err)
			}
			if sum(t, aside) != before {
				t.Fatalf("the damaged file was not kept as it was")
			}
			restored := annotationIDs(t, path)
			if strings.Join(restored, ",") != strings.Join(wantRestore, ",") {
				t.Fatalf("restore brought back %d annotations, the backup has %d", len(restored), len(wantRestore))
			}
			t.Logf("%-32s healthy=%-5v restored %d, salvaged %d (intact %d), lost %d, damage %.80q", v.name, healthy, len(restored), salvaged, keepable, len(rep.Lost), strings.Join(rep.Damage, "; "))
			totalRestored += len(restored)
			totalSalvaged += salvaged
			totalKeepable += keepable
		})
	}
	t.Logf("all variants: restored %d, salvaged %d of %d intact", totalRestored, totalSalvaged, totalKeepable)
}

func mustList(t *testing.T, path string) []BackupInfo {
	t.Helper()
	list, err := ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func dirSums(t *testing.T, dir string) string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name()+"="+sum(t, filepath.Join(dir, e.Name())))
	}
	return strings.Join(out, "\n")
}

func TestForeignBoltFileRefusedUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucket([]byte("users"))
		return b.Put([]byte("ann"), []byte("x"))
	})
	db.Close()
	before := sum(t, path)
	for _, opt := range []Options{{}, {ReadOnly: true}, {Create: true}, {Backup: true}} {
		_, err := Open(path, opt)
		if !errors.Is(err, ErrNotProject) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"users"`) {
			t.Fatalf("%+v: %v", opt, err)
		}
	}
	if sum(t, path) != before {
		t.Fatal("the foreign file was changed")
	}
	if _, err := os.Stat(BackupDir(path)); err == nil {
		t.Fatal("a backup folder was made for a foreign file")
	}
}

func TestEmptyFileIsNotAProject(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "empty.gloss")
	os.WriteFile(path, nil, 0o600)
	for _, opt := range []Options{{}, {ReadOnly: true}, {Create: true}} {
		_, err := Open(path, opt)
		if err == nil || err.Error() != path+" is not a Gloss project (empty or truncated: 0 bytes)" {
			t.Fatalf("%+v: %v", opt, err)
		}
	}
	if b, _ := os.ReadFile(path); len(b) != 0 {
		t.Fatal("the empty file was written")
	}
	// Only Create on a missing path makes a project.
	if _, err := Open(filepath.Join(dir, "missing.gloss"), Options{}); err == nil {
		t.Fatal("opened a missing file")
	}
	s, err := Open(filepath.Join(dir, "new.gloss"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestTwoReadOnlyOpensAtOnce(t *testing.T) {
	s, path := newStore(t)
	seed(t, s)
	s.Close()
	before := sum(t, path)
	a, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(path, Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	if _, err := Open(path, Options{Timeout: 100 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Fatalf("a writer got in beside readers: %v", err)
	}
	a.Close()
	b.Close()
	if sum(t, path) != before {
		t.Fatal("reads changed the file")
	}
	// Reopening for writing a current file does not write either.
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if sum(t, path) != before {
		t.Fatal("opening for writing changed a current file")
	}
}

func TestOlderSchemaReadOnlyIsNotRewritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.gloss")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(db, path, 1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := sum(t, path)
	_, err = Open(path, Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "open it once in Gloss (or any write command) to upgrade it") || !strings.Contains(err.Error(), path) {
		t.Fatalf("got %v", err)
	}
	if sum(t, path) != before {
		t.Fatal("a read-only open rewrote an old file")
	}
}

func TestBackupSpreadKeepsNewestAndDailies(t *testing.T) {
	s, path := newStore(t)
	seed(t, s)
	dir := BackupDir(path)
	os.MkdirAll(dir, 0o700)
	good, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	os.Remove(good)
	// Twelve backups over ten days, the first four of them today (local
	// time, as prune counts days), whatever the hour the test runs at.
	now := time.Now()
	today := now.Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local))
	if today < time.Minute {
		time.Sleep(time.Minute - today)
		now = time.Now()
		today = now.Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local))
	}
	var names []string
	for _, age := range []time.Duration{today / 7, today * 2 / 7, today * 3 / 7, today * 5 / 7,
		24 * time.Hour, 25 * time.Hour, 48 * time.Hour, 72 * time.Hour, 96 * time.Hour, 120 * time.Hour, 200 * time.Hour, 240 * time.Hour} {
		n := filepath.Join(dir, "p."+now.Add(-age).UTC().Format(backupStamp)+Extension)
		os.WriteFile(n, raw, 0o600)
		names = append(names, n)
	}
	// A partial one left by a killed run, two hours old.
	partial := filepath.Join(dir, ".p.x"+Extension+partialMark+"123")
	os.WriteFile(partial, raw[:100], 0o600)
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(partial, old, old)
	newest, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	list, _ := s.Backups()
	kept := map[string]bool{}
	for _, p := range list {
		kept[p] = true
	}
	if !kept[newest] || !kept[names[0]] || !kept[names[1]] {
		t.Fatalf("the newest three are not all kept: %v", list)
	}
	if kept[names[2]] || kept[names[3]] {
		t.Fatalf("more than three of one day kept: %v", list)
	}
	if kept[names[11]] || kept[names[10]] {
		t.Fatalf("backups older than a week kept: %v", list)
	}
	if len(list) < 5 || len(list) > 9 {
		t.Fatalf("kept %d backups: %v", len(list), list)
	}
	if _, err := os.Stat(partial); err == nil {
		t.Fatal("a stale partial backup was left")
	}
	infos, err := ListBackups(path)
	if err != nil || len(infos) != len(list) || !infos[0].OK || infos[0].Path != newest || infos[0].Sources != 1 {
		t.Fatalf("%+v %v", infos, err)
	}
}

func TestRestoreRefusesWhileOpen(t *testing.T) {
	s, path := newStore(t)
	seed(t, s)
	if _, err := s.Backup(); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(path, ""); !errors.Is(err, ErrLocked) {
		t.Fatalf("restore while open: %v", err)
	}
}

func TestBackupOnOpenWaitsForAWholeRead(t *testing.T) {
	s, path := newStore(t)
	seed(t, s)
	s.Close()
	s, err := Open(path, Options{Backup: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if list, _ := backupFiles(path); len(list) != 0 {
		t.Fatalf("backed up before anything was read: %v", list)
	}
	s, err = Open(path, Options{Backup: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshot(); err != nil {
		t.Fatal(err)
	}
	s.Snapshot()
	s.Close()
	if list, _ := ListBackups(path); len(list) != 1 || !list[0].OK || list[0].Sources != 1 {
		t.Fatalf("after a good read: %+v", list)
	}
}

func TestBackupOnOpenRunsInsideAround(t *testing.T) {
	s, path := newStore(t)
	seed(t, s)
	s.Close()
	var inside, calls atomic.Int32
	around := func(work func()) {
		calls.Add(1)
		inside.Store(1)
		work()
		inside.Store(0)
	}
	s, err := Open(path, Options{Backup: true, Around: around})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshot(); err != nil {
		t.Fatal(err)
	}
	s.Close() // waits for the backup
	if calls.Load() != 1 || inside.Load() != 0 {
		t.Fatalf("Around ran %d times (want 1), still inside: %v", calls.Load(), inside.Load() == 1)
	}
	if list, _ := ListBackups(path); len(list) != 1 || !list[0].OK {
		t.Fatalf("the backup run through Around: %+v", list)
	}
}

func TestRestoreSkipsUnusableBackups(t *testing.T) {
	s, path := newStore(t)
	src, code, _ := seed(t, s)
	if _, err := s.Apply(annotate.Change{PutAnnotations: []annotate.Annotation{annotation(t, src, 0, 2, code.ID)}}); err != nil {
		t.Fatal(err)
	}
	older, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	newer, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The newest backup was cut short (as by a copy made by hand that was
	// interrupted); the project itself is gone.
	raw, _ := os.ReadFile(newer)
	os.WriteFile(newer, raw[:len(raw)/3], 0o600)
	os.Remove(path)
	list := mustList(t, path)
	if len(list) != 2 || list[0].OK || list[0].Problem == "" || !list[1].OK || list[1].Annotations != 1 {
		t.Fatalf("%+v", list)
	}
	if _, err := Restore(path, newer); err == nil || !strings.Contains(err.Error(), newer) {
		t.Fatalf("restoring an unusable backup: %v", err)
	}
	aside, err := Restore(path, "")
	if err != nil || aside != "" {
		t.Fatalf("restore: %q %v", aside, err)
	}
	if ids := annotationIDs(t, path); len(ids) != 1 {
		t.Fatalf("restored %v", ids)
	}
	if sum(t, older) == "" {
		t.Fatal("the backup used was consumed")
	}
}

// A file cut short while open (another program, a failing disk): bbolt's
// memory map then faults; the read returns an error naming the file
// instead of killing the process.
func TestFaultInMemoryMapIsAnError(t *testing.T) {
	dp := buildDamageProject(t)
	path := filepath.Join(t.TempDir(), "p.gloss")
	if err := os.WriteFile(path, dp.good, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Both header pages stay: a fault while bbolt copies a header holds
	// its lock for good (bbolt's beginTx); this test is a fault in the tree.
	if err := os.Truncate(path, 2*dp.ps); err != nil {
		t.Fatal(err)
	}
	_, err = s.Snapshot()
	if err == nil || !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), path) {
		t.Fatalf("snapshot of a file cut under it: %v", err)
	}
	t.Logf("snapshot: %v", err)
	if _, err := s.Sources(); err == nil {
		t.Fatal("listing sources of a file cut under it worked")
	}
	if probs, _ := s.Check(); len(probs) == 0 {
		t.Fatal("check found nothing")
	}
}
