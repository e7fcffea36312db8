package refiqda

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"gloss/annotate"
)

// ReadOptions set the safety limits of ReadQDPX; zero fields take the defaults.
type ReadOptions struct {
	MaxBytes   int64 // total inflated bytes; default DefaultMaxBytes (500 MB)
	MaxRatio   int64 // per-entry inflation ratio; default DefaultMaxRatio
	MaxEntries int   // default DefaultMaxEntries
	// Warn, when set, hears about content Gloss cannot hold (PDF or
	// picture sources, codes on a whole source) and skips.
	Warn func(msg string)
}

func (o *ReadOptions) defaults() {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRatio <= 0 {
		o.MaxRatio = DefaultMaxRatio
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
}

// ReadQDPX reads a .qdpx archive into a new project. It either returns a
// whole, valid project or an error and nothing: unsafe or oversized
// archives, malformed XML, selections outside their text and references to
// unknown codes are refused with a message naming the entry and element.
func ReadQDPX(r io.ReaderAt, size int64, opt ReadOptions) (*annotate.Project, error) {
	var p *annotate.Project
	if err := StreamQDPX(r, size, opt, 0, func(part Part) error { p = part.Project; return nil }); err != nil {
		return nil, err
	}
	return p, nil
}

type codeInfo struct {
	id       string // Gloss code ID, "" for convention codes
	stanceT  string // target ID when this is a stance code
	stance   annotate.Stance
	cred     annotate.Credibility
	name     string
	isBranch bool // a Stance/Credibility/target node: not codable in Gloss
}

type selInfo struct {
	sourceID string
	sel      annotate.Selector
	anchor   annotate.AnchorState // shifted when placed by its quote
	created  time.Time
	modified time.Time
}

type importer struct {
	ar  *archive
	xp  *xProject
	opt ReadOptions
	qde string
	p   *annotate.Project

	known     map[string]string    // GUID -> verified record name from gloss-ids.json
	names     map[string][2]string // GUID -> [exported name, Gloss name], verified GUIDs only
	seed      maphash.Seed
	usedIDs   map[uint64]uint64   // hash of kind:Gloss ID -> hash of GUID, to catch duplicates
	usedGUIDs map[uint64]struct{} // hashes of GUIDs given an ID
	users     map[string]string   // GUID -> name
	notes     map[string]string   // GUID -> text
	codes     map[string]*codeInfo
	sels      map[string]*selInfo // the selections links join, by GUID
	srcByGUID map[string]string   // TextSource GUID -> source ID
	linkEnds  map[string]bool     // GUIDs of link origins and targets
	// For claims: selection GUID -> annotation ID, target GUID -> ID.
	annByGUID    map[string]string
	targetByGUID map[string]string

	// Streaming (see StreamQDPX): p holds the part being gathered.
	spool      *spool
	batchBytes int // <= 0: one part, validated whole
	emit       func(Part) error
	selEnds    map[string]bool     // GUIDs of every link's two ends: their selections are kept for readLinks
	seenSel    map[uint64]struct{} // hashes of every selection GUID, to refuse one used twice
	emitted    map[string]bool     // IDs of sources in parts already emitted or in p
	weight     int                 // bytes of text, and an estimate for annotations, in p
	held       []heldSource        // sources waiting for an original that comes later
	again      []annotate.Source   // emitted sources that links or claims point into
	againGUIDs map[string]bool     // GUIDs of sources claims name as independent
	evidence   map[string]bool     // GUIDs of selections claims cite
}

func (im *importer) errf(format string, args ...any) error {
	return fmt.Errorf(im.qde+": "+format, args...)
}

func (im *importer) run() error {
	im.readIDs()
	if im.xp.Users != nil {
		for _, u := range im.xp.Users.User {
			name := u.Name
			if name == "" {
				name = u.ID
			}
			im.users[normGUID(u.GUID)] = name
		}
	}
	if err := im.readNotes(); err != nil {
		return err
	}
	im.xp.Notes = nil // notes hold their texts; the elements are not needed again
	if err := im.readCodes(); err != nil {
		return err
	}
	if err := im.readSources(); err != nil {
		return err
	}
	if err := im.readLinks(); err != nil {
		return err
	}
	if err := im.readClaims(); err != nil {
		return err
	}
	return im.finish()
}

// annWeight estimates what one annotation costs a part beside its text
// (its record, index entries and undo), for cutting parts by size.
const annWeight = 400

// flush emits the sources and annotations gathered so far as one part.
func (im *importer) flush() error {
	if len(im.p.Sources) == 0 {
		return nil
	}
	part := &annotate.Project{Name: im.p.Name, Codes: im.p.Codes, Targets: im.p.Targets,
		Sources: im.p.Sources, Annotations: im.p.Annotations}
	im.p.Sources, im.p.Annotations, im.weight = nil, nil, 0
	return im.emit(Part{Project: part})
}

// finish emits the last part: in one part, the whole project once it
// validates; else the sources held back, the links and the claims, with
// the sources these point into repeated first.
func (im *importer) finish() error {
	p := im.p
	if im.batchBytes <= 0 {
		if errs := annotate.NewIndex(p).Validate(); len(errs) > 0 {
			msgs := make([]string, 0, len(errs))
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			return im.errf("the imported project is inconsistent: %s", strings.Join(msgs, "; "))
		}
		return im.emit(Part{Project: p, Last: true})
	}
	if err := im.flush(); err != nil {
		return err
	}
	need := map[string]bool{}
	for _, k := range p.Links {
		need[k.From.SourceID] = true
		for _, e := range k.To {
			need[e.SourceID] = true
		}
	}
	for _, c := range p.Claims {
		for _, id := range c.Independent {
			need[id] = true
		}
	}
	held := map[string]bool{}
	for _, h := range im.held {
		held[h.src.ID] = true
	}
	last := &annotate.Project{Name: p.Name, Codes: p.Codes, Targets: p.Targets, Links: p.Links, Claims: p.Claims}
	for _, s := range im.again {
		if need[s.ID] && !held[s.ID] {
			last.Sources = append(last.Sources, s)
		}
	}
	again := len(last.Sources)
	for _, h := range im.held { // only sources whose originals form a cycle: Apply refuses them by name
		last.Sources = append(last.Sources, h.src)
		last.Annotations = annotate.AppendLarge(last.Annotations, h.anns...)
	}
	return im.emit(Part{Project: last, Again: again, Last: true})
}

// readIDs loads gloss-ids.json, keeping only entries whose GUID is the v5
// UUID of the record name they claim; anything else (a damaged or foreign
// file) is ignored and IDs are derived from GUIDs instead.
func (im *importer) readIDs() {
	f := im.ar.find(idsEntry)
	if f == nil {
		return
	}
	raw, err := im.ar.read(f)
	if err != nil {
		im.opt.Warn(fmt.Sprintf("%s ignored: %v", idsEntry, err))
		return
	}
	var side sideTable
	if err := json.Unmarshal(raw, &side); err != nil {
		im.opt.Warn(fmt.Sprintf("%s ignored: %v", idsEntry, err))
		return
	}
	for g, name := range side.IDs {
		if GUID(name) == normGUID(g) {
			im.known[normGUID(g)] = name
		}
	}
	for g, n := range side.Names {
		if _, ok := im.known[normGUID(g)]; ok && strings.TrimSpace(n[1]) != "" {
			im.names[normGUID(g)] = n
		}
	}
}

// idFor returns the Gloss ID for a GUID: the original ID when the side
// table vouches for it, else prefix + 13 characters derived from the GUID,
// so importing the same file twice gives the same IDs.
func (im *importer) idFor(kind, prefix, guid string) string {
	g := normGUID(guid)
	if name, ok := im.known[g]; ok {
		if k, id, ok := strings.Cut(name, ":"); ok && k == kind {
			if kind == "link" { // link:<id>:<i>
				if i := strings.LastIndexByte(id, ':'); i > 0 {
					id = id[:i]
				}
			}
			return id
		}
	}
	sum := sha1.Sum([]byte(g))
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < 13; i++ {
		b.WriteByte(alphabet[sum[i]&31])
	}
	return b.String()
}

// claim records that a GUID became a Gloss ID; two objects with one GUID
// would otherwise silently merge. Both tables keep 64-bit hashes, not the
// strings: an archive of 200,000 selections made them 34 MB as strings.
// (A collision, about one in 10^10 for such an archive, would refuse the
// archive, never merge two records.)
func (im *importer) claim(what, id, guid string) error {
	if guid == "" {
		return im.errf("%s %q has no guid", what, id)
	}
	g := maphash.String(im.seed, normGUID(guid))
	k := maphash.String(im.seed, what+":"+id)
	if prev, ok := im.usedIDs[k]; ok && prev != g {
		return im.errf("%s guid %s maps to id %q, which another element already has", what, guid, id)
	}
	if _, ok := im.usedGUIDs[g]; ok {
		return im.errf("guid %s is used by two elements", guid)
	}
	im.usedIDs[k] = g
	im.usedGUIDs[g] = struct{}{}
	return nil
}

func (im *importer) readNotes() error {
	if im.xp.Notes == nil {
		return nil
	}
	for _, n := range im.xp.Notes.Note {
		text, err := im.textOf(n, "note")
		if err != nil {
			return err
		}
		im.notes[normGUID(n.GUID)] = text
	}
	return nil
}

func (im *importer) noteText(refs []xRef, where string) (string, error) {
	var parts []string
	for _, r := range refs {
		t, ok := im.notes[normGUID(r.TargetGUID)]
		if !ok {
			return "", im.errf("%s refers to note %s, which does not exist", where, r.TargetGUID)
		}
		if strings.TrimSpace(t) != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n"), nil
}

var credRe = regexp.MustCompile(`^\s*([1-6])\b`)

// lastPart is a name without the qualifiers export adds to make names
// unique ("United States · favor" -> "favor").
func lastPart(name string) string {
	if i := strings.LastIndex(name, NameSep); i >= 0 {
		name = name[i+len(NameSep):]
	}
	return strings.TrimSpace(numberRe.ReplaceAllString(name, ""))
}

// numberRe is the " (2)" export appends when even a qualified name is taken.
var numberRe = regexp.MustCompile(`\s\(\d+\)\s*$`)

// isBranchName recognises a convention branch under its plain name or the
// qualified one export uses when a Gloss code already has the name.
func isBranchName(name, branch string) bool {
	name = strings.TrimSpace(name)
	return strings.EqualFold(name, branch) || strings.EqualFold(lastPart(name), branch) && strings.Contains(name, NameSep)
}

// stanceValue reads a stance code's name, old ("favor") or new form
// ("United States · favor").
func stanceValue(name string) (annotate.Stance, bool) {
	st, err := annotate.ParseStance(strings.ToLower(lastPart(name)))
	return st, err == nil
}

// credibilityValue reads a grade code's name ("2: Probably true", or
// "Credibility · 2: Probably true").
func credibilityValue(name string) (annotate.Credibility, bool) {
	m := credRe.FindStringSubmatch(lastPart(name))
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	return annotate.Credibility(n), true
}

// readCodes maps the codebook. The Stance and Credibility branches are
// read value by value: every target node under Stance becomes a target
// (an empty one too, as QualCoder exports them), every stance-value code
// under it a stance, and anything that does not fit the convention an
// ordinary code, with a warning naming it.
func (im *importer) readCodes() error {
	if im.xp.CodeBook == nil {
		return nil
	}
	for _, c := range im.xp.CodeBook.Codes.Code {
		var err error
		switch {
		case isBranchName(c.Name, StanceBranch) && slices.ContainsFunc(c.Code, isTargetNode):
			err = im.stanceBranch(c)
		case isBranchName(c.Name, CredibilityBranch) && slices.ContainsFunc(c.Code, isGradeNode):
			err = im.credibilityBranch(c)
		default:
			err = im.code(c, "", 0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// restoredName is the Gloss name of a code or target whose name export
// made unique, while the file still carries that exported name.
func (im *importer) restoredName(guid, name string) string {
	if r, ok := im.names[normGUID(guid)]; ok && r[0] == name {
		return r[1]
	}
	return name
}

// isTargetNode: a node under Stance is a target when it is a category
// (not codable: how Gloss and QualCoder write them, empty or not) or holds
// a stance value. A codable leaf such as a user's own "Stance ▸ Positive"
// stays a code.
func isTargetNode(t xCode) bool {
	if !t.IsCodable {
		_, isValue := stanceValue(t.Name)
		return !isValue || len(t.Code) > 0
	}
	return slices.ContainsFunc(t.Code, func(v xCode) bool { _, ok := stanceValue(v.Name); return ok })
}

func isGradeNode(g xCode) bool { _, ok := credibilityValue(g.Name); return ok && len(g.Code) == 0 }

func (im *importer) stanceBranch(c xCode) error {
	im.codes[normGUID(c.GUID)] = &codeInfo{name: c.Name, isBranch: true}
	for _, t := range c.Code {
		if !isTargetNode(t) {
			im.opt.Warn(fmt.Sprintf("code %q under %q is not a stance target; imported as a plain code", t.Name, c.Name))
			if err := im.code(t, "", 1); err != nil {
				return err
			}
			continue
		}
		name := strings.TrimSpace(im.restoredName(t.GUID, t.Name))
		// Export qualifies a target whose name a code already has
		// ("Stance · China"); the target itself is "China".
		if rest, ok := strings.CutPrefix(name, StanceBranch+NameSep); ok && strings.TrimSpace(rest) != "" {
			name = strings.TrimSpace(rest)
		}
		if name == "" {
			return im.errf("stance target %s has no name", t.GUID)
		}
		tid := im.idFor("target", annotate.TargetPrefix, t.GUID)
		if err := im.claim("target", tid, t.GUID); err != nil {
			return err
		}
		im.p.Targets = append(im.p.Targets, annotate.Target{ID: tid, Name: name, Description: t.Description})
		im.targetByGUID[normGUID(t.GUID)] = tid
		im.codes[normGUID(t.GUID)] = &codeInfo{name: t.Name, isBranch: true}
		seen := map[annotate.Stance]bool{}
		for _, v := range t.Code {
			st, ok := stanceValue(v.Name)
			if !ok || len(v.Code) > 0 || seen[st] {
				why := "is not a stance (favor, against, neutral, mixed)"
				switch {
				case ok && len(v.Code) > 0:
					why = "has codes under it"
				case ok:
					why = "repeats a stance of this target"
				}
				im.opt.Warn(fmt.Sprintf("code %q under %q ▸ %q %s; imported as a plain code", v.Name, c.Name, name, why))
				if err := im.code(v, "", 2); err != nil {
					return err
				}
				continue
			}
			seen[st] = true
			if err := im.claim("stance code", tid+":"+string(st), v.GUID); err != nil {
				return err
			}
			im.codes[normGUID(v.GUID)] = &codeInfo{name: v.Name, stanceT: tid, stance: st}
		}
	}
	return nil
}

func (im *importer) credibilityBranch(c xCode) error {
	im.codes[normGUID(c.GUID)] = &codeInfo{name: c.Name, isBranch: true}
	for _, g := range c.Code {
		n, _ := credibilityValue(g.Name)
		if !isGradeNode(g) {
			im.opt.Warn(fmt.Sprintf("code %q under %q is not a credibility grade (\"1: …\" to \"6: …\"); imported as a plain code", g.Name, c.Name))
			if err := im.code(g, "", 1); err != nil {
				return err
			}
			continue
		}
		im.codes[normGUID(g.GUID)] = &codeInfo{name: g.Name, cred: n}
	}
	return nil
}

func (im *importer) code(c xCode, parent string, depth int) error {
	if depth > 200 {
		return im.errf("code %q: codes are nested more than 200 deep", c.Name)
	}
	name := strings.TrimSpace(im.restoredName(c.GUID, c.Name))
	if name == "" {
		return im.errf("code %s has no name", c.GUID)
	}
	id := im.idFor("code", annotate.CodePrefix, c.GUID)
	if err := im.claim("code", id, c.GUID); err != nil {
		return err
	}
	color, ok := parseColor(c.Color)
	if !ok {
		if c.Color != "" {
			im.opt.Warn(fmt.Sprintf("code %q: colour %q is not #RRGGBB; a palette colour is used", name, c.Color))
		}
		color = annotate.Palette[len(im.p.Codes)%len(annotate.Palette)]
	}
	im.p.Codes = append(im.p.Codes, annotate.Code{ID: id, Name: name, Parent: parent, Color: color, Description: c.Description})
	im.codes[normGUID(c.GUID)] = &codeInfo{id: id, name: name}
	for _, k := range c.Code {
		if err := im.code(k, id, depth+1); err != nil {
			return err
		}
	}
	return nil
}

var colorRe = regexp.MustCompile(`^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$`)

// parseColor accepts the schema's #RGB and #RRGGBB; Gloss keeps #RRGGBB.
func parseColor(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !colorRe.MatchString(s) {
		return "", false
	}
	if len(s) == 4 {
		s = string([]byte{'#', s[1], s[1], s[2], s[2], s[3], s[3]})
	}
	return s, true
}

// textOf reads a TextSource's (or Note's) plain text from PlainTextContent
// or an internal:// file in Sources/.
func (im *importer) textOf(ts xTextSource, what string) (string, error) {
	label := fmt.Sprintf("%s %q (%s)", what, ts.Name, ts.GUID)
	if ts.PlainTextContent != nil {
		return *ts.PlainTextContent, nil
	}
	p := strings.TrimSpace(ts.PlainTextPath)
	if p == "" {
		return "", im.errf("%s has neither PlainTextContent nor plainTextPath", label)
	}
	rest, ok := strings.CutPrefix(p, "internal://")
	if !ok {
		return "", im.errf("%s: its text is outside the archive (%q); only internal:// texts can be imported", label, p)
	}
	entry := "Sources/" + rest
	if err := checkEntryName(entry); err != nil {
		return "", im.errf("%s: plainTextPath %q: %v", label, p, err)
	}
	f := im.ar.find(entry)
	if f == nil {
		return "", im.errf("%s: the archive has no entry %q", label, entry)
	}
	raw, err := im.ar.read(f)
	if err != nil {
		return "", err
	}
	text, err := decodeText(raw)
	if err != nil {
		return "", fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	return text, nil
}

// decodeText accepts UTF-8 (with or without BOM) and UTF-16 with a BOM.
func decodeText(raw []byte) (string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("UTF-16 text cannot be decoded: %w", err)
		}
		raw = out
	}
	if !utf8.Valid(raw) {
		return "", errors.New("the text is not valid UTF-8")
	}
	return string(raw), nil
}

func (im *importer) readSources() error {
	if n := im.spool.skip; n > 0 {
		im.opt.Warn(fmt.Sprintf("%d PDF, picture, audio or video sources were skipped: Gloss imports text sources", n))
	}
	vars := map[string]string{} // variable GUID -> lower-case name
	if im.xp.Variables != nil {
		for _, v := range im.xp.Variables.Variable {
			vars[normGUID(v.GUID)] = strings.ToLower(strings.TrimSpace(v.Name))
		}
	}
	// Originals may name a source that comes later: every source's ID is
	// known before the first is read.
	for _, g := range im.spool.guids {
		im.srcByGUID[normGUID(g)] = im.idFor("source", annotate.SourcePrefix, g)
	}
	im.selEnds, im.seenSel, im.emitted = map[string]bool{}, map[uint64]struct{}{}, map[string]bool{}
	if im.xp.Links != nil {
		for _, l := range im.xp.Links.Link {
			im.selEnds[normGUID(l.OriginGUID)] = true
			im.selEnds[normGUID(l.TargetGUID)] = true
		}
	}
	im.againGUIDs, im.evidence = im.claimGUIDs()
	return im.spool.each(func(ts *xTextSource) error {
		firstAnn := len(im.p.Annotations)
		keep := im.againGUIDs[normGUID(ts.GUID)]
		sid := im.idFor("source", annotate.SourcePrefix, ts.GUID)
		if err := im.claim("source", sid, ts.GUID); err != nil {
			return err
		}
		raw, err := im.textOf(*ts, "source")
		if err != nil {
			return err
		}
		text, pm := normalizeText(raw)
		rawLen := utf8.RuneCountInString(raw)
		s := annotate.Source{ID: sid, Title: ts.Name, Kind: annotate.KindOriginal, Text: text,
			ContentHash: annotate.HashText(text), Length: utf8.RuneCountInString(text)}
		s.ImportedAt, err = parseTime(ts.CreationDateTime)
		if err != nil {
			return im.errf("source %q: creationDateTime: %v", ts.Name, err)
		}
		srcNote, err := im.noteText(ts.NoteRefs, fmt.Sprintf("source %q", ts.Name))
		if err != nil {
			return err
		}
		s.Note = joinNotes([]string{ts.Description, srcNote})
		if len(ts.Coding) > 0 {
			im.opt.Warn(fmt.Sprintf("source %q: %d codes on the whole source were skipped", ts.Name, len(ts.Coding)))
		}
		var originals string
		for _, vv := range ts.VariableValues {
			val := vv.value()
			switch vars[normGUID(vv.VariableRef.TargetGUID)] {
			case "title":
				s.Title = val
			case "outlet":
				s.Outlet = val
			case "author":
				s.Author = val
			case "url":
				s.URL = val
			case "published":
				s.Published = val
			case "language":
				s.Language = annotate.Language(val)
			case "kind":
				s.Kind = annotate.Kind(strings.ToLower(val))
			case "reliability":
				s.Reliability = annotate.Reliability(strings.ToUpper(val))
			case "reliability note":
				s.ReliabilityNote = val
			case "state affiliated":
				s.StateAffiliated, _ = strconv.ParseBool(val)
			case "machine translated":
				s.MachineTranslated, _ = strconv.ParseBool(val)
			case "file name":
				s.FileName = val
			case "originals":
				originals = val
			}
		}
		if err := annotate.ValidateSource(s); err != nil {
			return im.errf("source %q (%s): %v", ts.Name, ts.GUID, err)
		}
		tx := annotate.NewText(text)
		shifted, unverified := 0, 0
		for _, xsel := range ts.Selections {
			label := fmt.Sprintf("source %q: selection %s", ts.Name, xsel.GUID)
			if xsel.Start < 0 || xsel.End > rawLen || xsel.Start >= xsel.End {
				return im.errf("%s: positions %d–%d are outside the text (0–%d code points) or empty", label, xsel.Start, xsel.End, rawLen)
			}
			start, end := pm.start(xsel.Start), pm.end(xsel.End)
			sel, err := tx.Select(start, end)
			if err != nil {
				return im.errf("%s: %v", label, err)
			}
			anchorState := annotate.AnchorState("")
			if quote := strings.TrimSpace(xsel.Name); quote != "" && !quoteMatches(sel.Exact, quote) && quotesText(tx, quote) {
				// The selection's name carries its quote (QualCoder, Gloss):
				// positions that disagree with it were counted another way
				// (a MAXQDA-style export counts CRLF as one character).
				if fixed, ok := placeByQuote(tx, xsel.Start, xsel.End, start, quote); ok {
					sel, anchorState = fixed, annotate.AnchorShifted
					shifted++
				} else {
					unverified++
				}
			}
			si := &selInfo{sourceID: sid, sel: sel, anchor: anchorState}
			if si.created, err = parseTime(xsel.CreationDateTime); err != nil {
				return im.errf("%s: creationDateTime: %v", label, err)
			}
			if si.modified, err = parseTime(xsel.ModifiedDateTime); err != nil {
				return im.errf("%s: modifiedDateTime: %v", label, err)
			}
			if si.modified.IsZero() {
				si.modified = si.created
			}
			g := normGUID(xsel.GUID)
			h := maphash.String(im.seed, g)
			if _, ok := im.seenSel[h]; ok {
				return im.errf("%s: the guid is used twice", label)
			}
			im.seenSel[h] = struct{}{}
			if im.selEnds[g] { // only links read selections back
				im.sels[g] = si
				keep = true
			}
			if err := im.annotation(xsel, si, label); err != nil {
				return err
			}
		}
		if shifted+unverified > 0 {
			im.opt.Warn(fmt.Sprintf("source %q: %d selection(s) did not match the quote they carry at their positions; %d re-anchored by their quote, %d kept at their positions", ts.Name, shifted+unverified, shifted, unverified))
		}
		for _, g := range strings.Fields(originals) {
			id, ok := im.srcByGUID[normGUID(g)]
			if !ok {
				return im.errf("source %q: variable Originals names source %s, which is not in the project", s.Title, g)
			}
			s.Originals = append(s.Originals, id)
		}
		return im.add(s, firstAnn, keep)
	})
}

// add puts a read source, whose annotations are p's from firstAnn on,
// into the part being gathered, and emits the part once it is large
// enough. A source resting on one not read yet waits until that one is
// in a part (at the latest, the last part), so the change that adds it
// can check its originals.
func (im *importer) add(s annotate.Source, firstAnn int, keep bool) error {
	if im.batchBytes <= 0 {
		im.p.Sources = append(im.p.Sources, s)
		return nil
	}
	if !im.ready(s) {
		im.held = append(im.held, heldSource{s, slices.Clone(im.p.Annotations[firstAnn:]), keep})
		im.p.Annotations = im.p.Annotations[:firstAnn]
		return nil
	}
	im.put(s, len(im.p.Annotations)-firstAnn, keep)
	// Sources held for this one (or for one let go just now) can go now.
	for progress := len(im.held) > 0; progress; {
		progress = false
		for i := 0; i < len(im.held); i++ {
			if h := im.held[i]; im.ready(h.src) {
				im.held = slices.Delete(im.held, i, i+1)
				i--
				im.p.Annotations = annotate.AppendLarge(im.p.Annotations, h.anns...)
				im.put(h.src, len(h.anns), h.keep)
				progress = true
			}
		}
	}
	if im.weight >= im.batchBytes {
		return im.flush()
	}
	return nil
}

// heldSource is a source waiting for its originals, with its annotations.
type heldSource struct {
	src  annotate.Source
	anns []annotate.Annotation
	keep bool
}

// ready reports whether every original of s is in a part already.
func (im *importer) ready(s annotate.Source) bool {
	for _, o := range s.Originals {
		if !im.emitted[o] {
			return false
		}
	}
	return true
}

// put adds s, whose nAnns annotations are already in p, to the part.
func (im *importer) put(s annotate.Source, nAnns int, keep bool) {
	if keep {
		im.again = append(im.again, s)
	}
	im.emitted[s.ID] = true
	im.p.Sources = append(im.p.Sources, s)
	im.weight += len(s.Text) + annWeight*nAnns
}

// annotation turns a selection into an annotation, unless it is one of
// Gloss's own link passages (the side table says so) or, in a foreign file,
// a bare selection that only serves as a link end.
func (im *importer) annotation(xsel xSelection, si *selInfo, label string) error {
	g := normGUID(xsel.GUID)
	if name, ok := im.known[g]; ok && strings.HasPrefix(name, "anchor:") {
		return nil // a link end only
	}
	// A bare link end carries nothing of its own; older Gloss exports put
	// its quote in the Description, which is no memo.
	bare := len(xsel.Coding) == 0 && len(xsel.NoteRefs) == 0 &&
		(strings.TrimSpace(xsel.Description) == "" || normText(xsel.Description) == si.sel.Exact)
	if _, ok := im.known[g]; !ok && bare && im.isLinkEnd(g) {
		return nil // a link end only
	}
	id := im.idFor("annotation", annotate.AnnotationPrefix, xsel.GUID)
	if err := im.claim("annotation", id, xsel.GUID); err != nil {
		return err
	}
	a := annotate.Annotation{ID: id, SourceID: si.sourceID, Selector: si.sel, Anchor: si.anchor, Created: si.created, Modified: si.modified,
		Author: im.users[normGUID(xsel.CreatingUser)]}
	seen := map[string]bool{}
	var notes []string
	for _, c := range xsel.Coding {
		ref := normGUID(c.CodeRef.TargetGUID)
		ci := im.codes[ref]
		if ci == nil {
			return im.errf("%s: coding %s refers to code %s, which is not in the codebook", label, c.GUID, c.CodeRef.TargetGUID)
		}
		if a.Author == "" {
			a.Author = im.users[normGUID(c.CreatingUser)]
		}
		switch {
		case ci.isBranch:
			im.opt.Warn(fmt.Sprintf("%s: coding with the branch %q, which is not a code, was skipped", label, ci.name))
		case ci.stanceT != "":
			if st, ok := a.StanceToward(ci.stanceT); ok && st != ci.stance {
				return im.errf("%s: two different stances (%s, %s) toward one target", label, st, ci.stance)
			} else if !ok {
				a.Stances = append(a.Stances, annotate.StanceMark{Target: ci.stanceT, Stance: ci.stance})
			}
		case ci.cred != 0:
			if a.Credibility != 0 && a.Credibility != ci.cred {
				return im.errf("%s: two credibility grades (%d, %d)", label, a.Credibility, ci.cred)
			}
			a.Credibility = ci.cred
		case !seen[ci.id]:
			seen[ci.id] = true
			a.Codes = append(a.Codes, ci.id)
		}
		n, err := im.noteText(c.NoteRefs, label+" coding "+c.GUID)
		if err != nil {
			return err
		}
		if n != "" {
			notes = append(notes, n)
		}
	}
	n, err := im.noteText(xsel.NoteRefs, label)
	if err != nil {
		return err
	}
	// QualCoder keeps a coding's memo in the selection's Description;
	// Gloss writes the note there and as a Note, so equal texts count once.
	a.Note = joinNotes(append([]string{xsel.Description, n}, notes...))
	im.p.Annotations = annotate.AppendLarge(im.p.Annotations, a)
	if im.evidence[g] { // only claims look annotations up by GUID
		im.annByGUID[g] = id
	}
	return nil
}

// isLinkEnd reports whether a selection GUID is the origin or target of
// a link. The set is built once: asking per selection by scanning every
// link made importing quadratic.
// joinNotes joins the non-empty texts, each distinct text once.
func joinNotes(parts []string) string {
	var out, seen []string
	for _, p := range parts {
		k := strings.TrimSpace(p)
		if k != "" && !slices.Contains(seen, k) {
			seen = append(seen, k)
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

func normText(s string) string { t, _ := normalizeText(s); return t }

func (im *importer) isLinkEnd(g string) bool {
	if im.linkEnds == nil {
		im.linkEnds = map[string]bool{}
		if im.xp.Links != nil {
			for _, l := range im.xp.Links.Link {
				if im.isClaimLink(l) { // its target is evidence, an annotation
					continue
				}
				im.linkEnds[normGUID(l.OriginGUID)] = true
				im.linkEnds[normGUID(l.TargetGUID)] = true
			}
		}
	}
	return im.linkEnds[g]
}

var (
	statusRe = regexp.MustCompile(`(?i)\b(suggested|confirmed|rejected)\b`)
	scoreRe  = regexp.MustCompile(`\(score ([0-9.eE+-]+)\)`)
)

// readLinks rebuilds Gloss links: REFI links between two text selections
// of different sources, grouped by the Gloss link they came from (or, in a
// foreign file, by origin selection and name) into one link with many ends.
// Links between other objects (codes, sources) have no Gloss meaning and are
// skipped with a warning.
func (im *importer) readLinks() error {
	if im.xp.Links == nil {
		return nil
	}
	index := map[string]int{} // group key -> index in p.Links
	for _, l := range im.xp.Links.Link {
		if im.isClaimLink(l) {
			continue
		}
		from, to := im.sels[normGUID(l.OriginGUID)], im.sels[normGUID(l.TargetGUID)]
		if from == nil || to == nil {
			im.opt.Warn(fmt.Sprintf("link %q (%s) does not join two text selections; skipped", l.Name, l.GUID))
			continue
		}
		if from.sourceID == to.sourceID {
			im.opt.Warn(fmt.Sprintf("link %q (%s) joins two passages of one source; Gloss links join sources; skipped", l.Name, l.GUID))
			continue
		}
		id := im.idFor("link", annotate.LinkPrefix, l.GUID)
		key := "id:" + id
		if name, ok := im.known[normGUID(l.GUID)]; !ok || !strings.HasPrefix(name, "link:") {
			key = "origin:" + normGUID(l.OriginGUID) + "\x00" + l.Name
			id = im.idFor("link", annotate.LinkPrefix, l.OriginGUID+"\x00"+l.Name)
		}
		note, err := im.noteText(l.NoteRefs, fmt.Sprintf("link %q (%s)", l.Name, l.GUID))
		if err != nil {
			return err
		}
		i, ok := index[key]
		if !ok {
			status := annotate.Confirmed // a link drawn in a QDA tool is the analyst's own
			if m := statusRe.FindStringSubmatch(l.Name); m != nil {
				status = annotate.LinkStatus(strings.ToLower(m[1]))
			}
			k := annotate.Link{ID: id, Status: status, Note: note, Created: from.created, Modified: from.modified,
				From: annotate.Anchor{SourceID: from.sourceID, Selector: from.sel}}
			if m := scoreRe.FindStringSubmatch(l.Name); m != nil {
				k.Score, _ = strconv.ParseFloat(m[1], 64)
			}
			if err := im.claim("link", id, "group:"+key); err != nil {
				return err
			}
			index[key] = len(im.p.Links)
			im.p.Links = append(im.p.Links, k)
			i = index[key]
		}
		im.p.Links[i].To = append(im.p.Links[i].To, annotate.Anchor{SourceID: to.sourceID, Selector: to.sel})
	}
	return nil
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// xsd:dateTime may omit the zone; QDA tools write local time then.
		if t2, err2 := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC); err2 == nil {
			return t2, nil
		}
		return time.Time{}, fmt.Errorf("%q is not an xsd:dateTime", s)
	}
	return t.UTC(), nil
}
