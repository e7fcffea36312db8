package refiqda

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"gloss/annotate"
)

// fuzzLimits keep one fuzz input cheap; the limits themselves are what
// stops a bomb, so they are exercised too.
var fuzzLimits = ReadOptions{MaxBytes: 4 << 20, MaxRatio: 100, MaxEntries: 200}

// checkImport is what every import must satisfy: an error or a valid
// project, never a panic (the fuzzer reports panics).
func checkImport(t *testing.T, data []byte) {
	p, err := ReadQDPX(bytes.NewReader(data), int64(len(data)), fuzzLimits)
	if err != nil {
		if err.Error() == "" {
			t.Fatal("an empty error message")
		}
		return
	}
	if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
		t.Fatalf("ReadQDPX returned an inconsistent project: %v", errs)
	}
	for _, a := range p.Annotations {
		if a.Selector.Start < 0 || a.Selector.End < a.Selector.Start {
			t.Fatalf("annotation %s: selector %+v", a.ID, a.Selector)
		}
	}
}

// FuzzReadQDPX feeds whole archives: damaged zips, zip slips, bombs,
// duplicate entries, odd compression methods.
func FuzzReadQDPX(f *testing.F) {
	f.Add(exportQDPX(f, testProject(f)))
	f.Add(exportQDPX(f, claimProject(f)))
	f.Add(zipOf(f, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{"Sources/t.txt", "hello world"}))
	f.Add(zipOf(f, [2]string{"project.qde", qualCoderQDE},
		[2]string{"Sources/50000000-0000-4000-8000-000000000001.txt", "\xEF\xBB\xBFHello\r\nthere, world.\r\n"},
		[2]string{"Sources/50000000-0000-4000-8000-000000000002.txt", "\xEF\xBB\xBF中美双方\r\n同意合作。"}))
	f.Add(zipOf(f, [2]string{"project.qde", mini(0, 5, okCode)}, [2]string{"Sources/../../evil.sh", "x"}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkImport(t, data)
	})
}

// FuzzReadQDE fuzzes project.qde itself inside a well-formed archive, so
// the fuzzer spends its time in the XML and the mapping (positions out of
// range, unknown code references, deep nesting, odd GUIDs) rather than in
// zip headers.
func FuzzReadQDE(f *testing.F) {
	f.Add(mini(0, 5, okCode), "hello world")
	f.Add(mini(3, 99, okCode), "short")
	f.Add(mini(2, 1, "nope"), "text")
	f.Add(qualCoderQDE, "Hello\r\nthere, world.\r\n")
	f.Add(entryText(f, exportQDPX(f, testProject(f)), projectEntry), "🙂 x")
	f.Add(`<Project name="x"><CodeBook><Codes><Code guid="a" name="Stance" isCodable="false"><Code guid="b" name="T" isCodable="false"/></Code></Codes></CodeBook></Project>`, "")
	f.Fuzz(func(t *testing.T, qde, text string) {
		if len(qde) > 1<<16 || len(text) > 1<<16 {
			return
		}
		// Every source path the fixtures use points at the one text.
		entries := [][2]string{{"project.qde", qde}, {"Sources/t.txt", text}}
		for _, g := range []string{"50000000-0000-4000-8000-000000000001", "50000000-0000-4000-8000-000000000002", GUID("source:s01"), GUID("source:s02"), GUID("source:s03")} {
			if strings.Contains(qde, g) {
				entries = append(entries, [2]string{"Sources/" + g + ".txt", text})
			}
		}
		checkImport(t, zipOf(t, entries...))
	})
}

// zipOf is buildZip for any testing.TB.
func zipOf(tb testing.TB, entries ...[2]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func entryText(tb testing.TB, data []byte, name string) string {
	tb.Helper()
	ar, err := openArchive(bytes.NewReader(data), int64(len(data)), ReadOptions{MaxBytes: DefaultMaxBytes, MaxRatio: DefaultMaxRatio, MaxEntries: DefaultMaxEntries})
	if err != nil {
		tb.Fatal(err)
	}
	b, err := ar.read(ar.find(name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
