package storage

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"gloss/annotate"
	"gloss/internal/benchproj"
)

// The binary source record must carry every field JSON carried: a field
// added to Source and forgotten in the codec would be lost on the next save.
func TestSourceCodecKnowsEveryField(t *testing.T) {
	codecKnows(t, "sourcecodec.go", map[reflect.Type]string{
		reflect.TypeOf(annotate.Source{}):     "ID Title Outlet Author URL Published Language Kind ContentHash Length ImportedAt FileName Reliability ReliabilityNote StateAffiliated MachineTranslated Note Originals FigureMarks Text",
		reflect.TypeOf(annotate.FigureMark{}): "Figure Group Split Preferred Ignore",
	})
}

func sourceSamples() []annotate.Source {
	cst := time.FixedZone("", 8*3600)
	return []annotate.Source{
		{},
		{ID: "s1", Title: "中美合作遣返", Language: annotate.Simplified, Kind: annotate.KindOriginal,
			ContentHash: strings.Repeat("ab", 32), Length: 1234, ImportedAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)},
		{ID: "s2", Title: "A report", Outlet: "Daily", Author: "Li Wei", URL: "https://example.org/a?b=1", Published: "2026-07",
			Language: annotate.English, Kind: annotate.KindSummary, ContentHash: "x", Length: -3,
			ImportedAt: time.Date(2026, 2, 3, 4, 5, 6, 7, cst), FileName: "a.txt", Reliability: "B",
			ReliabilityNote: "two\nlines", StateAffiliated: true, MachineTranslated: true, Note: "note",
			Originals: []string{"s1", "s3"},
			FigureMarks: []annotate.FigureMark{{Figure: "s2:3-5", Group: "arrivals", Split: true},
				{Figure: "s2:9-12", Preferred: true, Ignore: true}, {Figure: "s2:20-21"}}},
		{ID: "s3", Kind: "", StateAffiliated: true},
	}
}

// A record decodes to exactly what its JSON decoded to, and takes less
// room.
func TestSourceCodecRoundTrip(t *testing.T) {
	for _, s := range sourceSamples() {
		raw, err := encodeRec(s)
		if err != nil {
			t.Fatal(err)
		}
		if !isSrcCodec(raw) {
			t.Fatalf("%s: written as %q, not as a binary source", s.ID, raw)
		}
		var got annotate.Source
		if err := decodeRec(raw, &got, nil); err != nil {
			t.Fatalf("%s: %v", s.ID, err)
		}
		js, _ := json.Marshal(s)
		var want annotate.Source
		if err := json.Unmarshal(js, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded\n%+v\nwant (as JSON has it)\n%+v", s.ID, got, want)
		}
		if len(raw) >= len(js) {
			t.Errorf("%s: %d bytes, JSON %d", s.ID, len(raw), len(js))
		}
		if id, ok := recordID(raw); !ok || id != s.ID {
			t.Errorf("recordID = %q, %v; want %q", id, ok, s.ID)
		}
		if !recordValid(raw) {
			t.Errorf("%s: recordValid refuses it", s.ID)
		}
	}
}

// A string that is not UTF-8 cannot be a binary source's (the reader
// refuses it): such a source is written as JSON, which replaces the bad
// bytes, as every source was before.
func TestSourceCodecFallsBackToJSON(t *testing.T) {
	s := annotate.Source{ID: "s1", Title: "bad \xff byte"}
	raw, err := encodeRec(s)
	if err != nil {
		t.Fatal(err)
	}
	if raw[0] != '{' {
		t.Fatalf("written as %q, want JSON", raw)
	}
	var got annotate.Source
	if err := decodeRec(raw, &got, nil); err != nil || got.Title != "bad \uFFFD byte" {
		t.Fatalf("got %q, %v", got.Title, err)
	}
}

// Damaged records are refused with a reason, never read as something else.
func TestSourceCodecRefusesDamage(t *testing.T) {
	raw, err := encodeRec(sourceSamples()[2])
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string][]byte{
		"cut short":      raw[:len(raw)-3],
		"trailing bytes": append(append([]byte(nil), raw...), 7),
		"unknown flags":  {srcCodecV1, 0x80, 0x80, 0x80, 0x01, 0},
		"bad UTF-8":      {srcCodecV1, 0, 2, 0xff, 0xfe},
		"long list":      {srcCodecV1, 0x80, 0x80, 0x04, 1, 'a', 200},
	} {
		var s annotate.Source
		err := decodeRec(v, &s, nil)
		if err == nil || !strings.Contains(err.Error(), "source record") {
			t.Errorf("%s: err = %v, want a source record error", name, err)
		}
		if !reflect.DeepEqual(s, annotate.Source{}) {
			t.Errorf("%s: left %+v", name, s)
		}
	}
}

// Whatever bytes a source record holds, decoding never panics, and what
// decodes encodes back to a record that decodes the same.
func FuzzSourceCodec(f *testing.F) {
	for _, s := range sourceSamples() {
		raw, _ := encodeRec(s)
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !isSrcCodec(raw) {
			return
		}
		var s annotate.Source
		if decodeRec(raw, &s, nil) != nil {
			if !reflect.DeepEqual(s, annotate.Source{}) {
				t.Fatalf("a refused record left %+v", s)
			}
			return
		}
		again, err := encodeRec(s)
		if err != nil {
			t.Fatal(err)
		}
		var b annotate.Source
		if err := decodeRec(again, &b, nil); err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if !reflect.DeepEqual(s, b) {
			t.Fatalf("round trip changed it:\n%+v\n%+v", s, b)
		}
	})
}

// A schema 9 file (JSON sources) opened for writing has every source
// rewritten in the binary encoding, the same project; a record that does
// not decode is left as it was, for Check to name.
func TestMigrationTo10EncodesSources(t *testing.T) {
	s, path := newStore(t)
	if _, err := s.Commit(benchproj.Change(benchproj.Generate(12, 3, 5))); err != nil {
		t.Fatal(err)
	}
	want := mustSnapshot(t, s)
	if err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSources)
		for _, src := range want.Sources {
			src.Text = ""
			raw, err := json.Marshal(src)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(src.ID), raw); err != nil {
				return err
			}
		}
		if err := b.Put([]byte("zz-broken"), []byte(`{"id": 3`)); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(kSchema, []byte("9"))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "older project schema (9") {
		t.Fatalf("read-only open of a schema 9 file: %v", err)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	err = s2.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bSources).ForEach(func(k, v []byte) error {
			if string(k) == "zz-broken" {
				if string(v) != `{"id": 3` {
					t.Errorf("the broken record became %q", v)
				}
			} else if !isSrcCodec(v) {
				t.Errorf("source %s is still %q", k, v)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	got := mustSnapshot(t, s2)
	if !reflect.DeepEqual(got.Sources, want.Sources) {
		t.Errorf("sources changed by the migration")
	}
	if len(got.Unreadable) != 1 || !strings.Contains(got.Unreadable[0], "zz-broken") {
		t.Errorf("unreadable = %q, want the broken record named", got.Unreadable)
	}
	// Gone before newStore's check of the file at cleanup.
	if err := s2.update(func(tx *bolt.Tx) error { return tx.Bucket(bSources).Delete([]byte("zz-broken")) }); err != nil {
		t.Fatal(err)
	}
}
