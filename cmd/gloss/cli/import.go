package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"gloss/annotate"
	"gloss/annotate/ingest"
	"gloss/annotate/textimport"
)

func cmdImport(e *env, args []string) error {
	fs, db := newFlags(e, "import")
	kind := fs.String("kind", "", "original, translation, summary or commentary (default original)")
	lang := fs.String("lang", "", "language, e.g. en, zh-Hans, zh-Hant (default: sniffed)")
	title := fs.String("title", "", "title (default: from the file)")
	originals := fs.String("originals", "", "comma-separated IDs of the sources a summary or translation rests on")
	encName := fs.String("encoding", "", "force the text encoding of every file: "+strings.Join(textimport.EncodingNames(), ", ")+" (default: detected; undecodable bytes become U+FFFD and are counted)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no files to import")
	}
	if *encName != "" {
		if *encName, err = textimport.LookupEncoding(*encName); err != nil {
			return usagef("--encoding: %v", err)
		}
	}
	st, err := openDB(*db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	opt := ingest.Options{Kind: annotate.Kind(*kind), Language: annotate.Language(*lang), Title: *title, Encoding: *encName}
	if *originals != "" {
		opt.Originals = strings.Split(*originals, ",")
	}
	have, err := st.Sources()
	if err != nil {
		return err
	}
	res := ingest.Files(files, ingest.Hashes(have), opt)
	var x *annotate.Index // only merging an archive reads the project
	if len(res.Projects) > 0 {
		// Merging an archive needs the codebook and targets as well.
		p, err := st.Snapshot()
		if err != nil {
			return err
		}
		x = annotate.NewIndex(p)
	}
	ch := res.Change(x)
	if !ch.Empty() {
		if _, err := st.Apply(ch); err != nil {
			return err
		}
	}
	undecodable := false
	for _, p := range res.Problems {
		fmt.Fprintln(e.errOut, "refused:", p)
		var ie *textimport.Error
		undecodable = undecodable || errors.As(p, &ie) && ie.Undecodable
	}
	if undecodable {
		fmt.Fprintln(e.errOut, "hint: --encoding NAME reads a file in a named encoding ("+strings.Join(textimport.EncodingNames(), ", ")+")")
	}
	// Which encoding each text was read in, so a wrong guess is seen.
	fileOf := map[string]ingest.FileResult{}
	for _, f := range res.Files {
		if f.Encoding != "" && f.Status == ingest.StatusImported {
			fileOf[f.SourceID] = f
			fmt.Fprintf(e.errOut, "read: %s as %s (%s)\n", f.File, f.Encoding, f.Format)
		}
	}
	for _, s := range res.Skipped {
		fmt.Fprintln(e.errOut, "skipped:", s)
	}
	for _, s := range res.Notes {
		fmt.Fprintln(e.errOut, "note:", s)
	}
	type row struct {
		ID, File, Title, Language, Published, Outlet string
		Encoding                                     string `json:",omitempty"`
		Replaced                                     int    `json:",omitempty"`
	}
	var rows []row
	for _, s := range ch.PutSources {
		f := fileOf[s.ID]
		rows = append(rows, row{s.ID, s.FileName, s.Title, string(s.Language), s.Published, s.Outlet, f.Encoding, f.Replaced})
	}
	err = e.emit(map[string]any{"imported": rows, "annotations": len(ch.PutAnnotations), "skipped": res.Skipped, "refused": errStrings(res.Problems), "files": res.Files}, func(w io.Writer) {
		for _, r := range rows {
			fmt.Fprintln(w, r.ID)
		}
	})
	if err == nil && len(res.Problems) > 0 {
		err = fmt.Errorf("%d of %d files refused", len(res.Problems), len(files))
	}
	return err
}
