package refiqda

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gloss/annotate"
)

// streamParts reads data in parts of batchBytes.
func streamParts(t *testing.T, data []byte, batchBytes int) []Part {
	t.Helper()
	var parts []Part
	err := StreamQDPX(bytes.NewReader(data), int64(len(data)), ReadOptions{}, batchBytes, func(p Part) error {
		parts = append(parts, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

func byID[T any](list []T, id func(T) string) []T {
	out := append([]T(nil), list...)
	sort.Slice(out, func(i, j int) bool { return id(out[i]) < id(out[j]) })
	return out
}

// Read in parts, an archive gives the records ReadQDPX gives, and each
// part applies on its own to what the parts before it made (the summary,
// first in the file, waits for the last original it rests on), whether
// the sources are spooled in memory or to a file.
func TestStreamInPartsMatchesWholeRead(t *testing.T) {
	p := claimProject(t)
	p.Sources = append([]annotate.Source{p.Sources[2]}, p.Sources[:2]...) // s03 rests on s02 and s01
	data := exportQDPX(t, p)
	want, err := importQDPX(data, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func(v uint64) { spoolInMemory = v }(spoolInMemory)
	for _, limit := range []uint64{spoolInMemory, 0} {
		spoolInMemory = limit
		t.Run(fmt.Sprintf("spool-in-memory-up-to-%d", limit), func(t *testing.T) {
			parts := streamParts(t, data, 1) // a part per source
			if len(parts) != 3 || !parts[len(parts)-1].Last {
				t.Fatalf("%d parts, last %v; want two parts of sources, then the last", len(parts), parts[len(parts)-1].Last)
			}
			got := &annotate.Project{Name: want.Name}
			mem := &annotate.MemStore{}
			for i, part := range parts {
				if !reflect.DeepEqual(part.Codes, want.Codes) || !reflect.DeepEqual(part.Targets, want.Targets) {
					t.Fatalf("part %d lacks the codebook", i+1)
				}
				fresh := part.Sources[part.Again:]
				got.Sources = append(got.Sources, fresh...)
				got.Annotations = append(got.Annotations, part.Annotations...)
				got.Links = append(got.Links, part.Links...)
				got.Claims = append(got.Claims, part.Claims...)
				c := annotate.Change{PutSources: fresh, PutAnnotations: part.Annotations, PutLinks: part.Links, PutClaims: part.Claims}
				if i == 0 {
					c.PutCodes, c.PutTargets = part.Codes, part.Targets
				}
				if _, err := mem.Apply(c); err != nil {
					t.Fatalf("part %d does not apply on the parts before it: %v", i+1, err)
				}
			}
			if ids := []string{parts[0].Sources[0].ID, parts[1].Sources[0].ID, parts[1].Sources[1].ID}; len(parts[0].Sources) != 1 || len(parts[1].Sources) != 2 ||
				!reflect.DeepEqual(ids, []string{"s01", "s02", "s03"}) {
				t.Fatalf("parts hold %v and %v; want s01, then s02 with s03, which waited for it", parts[0].Sources, parts[1].Sources)
			}
			if last := parts[len(parts)-1]; last.Again != 3 || len(last.Sources) != 3 {
				t.Fatalf("the last part repeats %d of its %d sources; want the three its links join", last.Again, len(last.Sources))
			}
			srcID := func(s annotate.Source) string { return s.ID }
			annID := func(a annotate.Annotation) string { return a.ID }
			if !reflect.DeepEqual(byID(got.Sources, srcID), byID(want.Sources, srcID)) ||
				!reflect.DeepEqual(byID(got.Annotations, annID), byID(want.Annotations, annID)) ||
				!reflect.DeepEqual(got.Links, want.Links) || !reflect.DeepEqual(got.Claims, want.Claims) {
				t.Fatalf("the parts differ from the whole read:\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// An error in a late source stops the read after earlier parts were
// emitted, and an error from emit stops it at once.
func TestStreamStopsOnError(t *testing.T) {
	data := rezip(t, exportQDPX(t, testProject(t)), func(name, body string) (string, bool) {
		return body, !strings.HasSuffix(name, ".txt") || strings.Contains(body, "Officials") // only s01's text is left
	})
	n := 0
	err := StreamQDPX(bytes.NewReader(data), int64(len(data)), ReadOptions{}, 1, func(Part) error { n++; return nil })
	if err == nil || !strings.Contains(err.Error(), "the archive has no entry") || n != 1 {
		t.Fatalf("after %d parts: %v; want one part, then the missing text named", n, err)
	}
	stop := fmt.Errorf("stop")
	n = 0
	err = StreamQDPX(bytes.NewReader(data), int64(len(data)), ReadOptions{}, 1, func(Part) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("emit's error: %v after %d parts", err, n)
	}
}

// A source's text in PlainTextContent comes back from the spool as it
// was, an empty one included (gob drops a pointer to "").
func TestSpoolKeepsPlainTextContent(t *testing.T) {
	const qde = `<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>
<TextSource guid="22222222-2222-2222-2222-222222222222" name="full"><PlainTextContent>Some text.</PlainTextContent></TextSource>
<TextSource guid="22222222-2222-2222-2222-222222222223" name="empty"><PlainTextContent></PlainTextContent></TextSource>
</Sources></Project>`
	p, err := importQDPX(buildZip(t, [2]string{"project.qde", qde}), ReadOptions{})
	if err != nil || len(p.Sources) != 2 || p.Sources[0].Text != "Some text." || p.Sources[1].Text != "" {
		t.Fatalf("an empty PlainTextContent: %v %+v; want an empty text, as a whole read gives", err, p)
	}
	p, err = importQDPX(buildZip(t, [2]string{"project.qde", strings.Replace(qde, "<PlainTextContent></PlainTextContent>", "<PlainTextContent>More.</PlainTextContent>", 1)}), ReadOptions{})
	if err != nil || len(p.Sources) != 2 || p.Sources[0].Text != "Some text." || p.Sources[1].Text != "More." {
		t.Fatalf("texts from PlainTextContent: %v %+v", err, p)
	}
}
