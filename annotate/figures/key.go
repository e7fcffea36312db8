package figures

import (
	"slices"
	"strconv"
	"sync"
	"time"

	"gloss/annotate/numerals"
	"gloss/annotate/suggest"
	"gloss/annotate/timeline"
)

// Key is what grouping reads of one figure: about 90 bytes, against a
// Figure's 350 bytes and its strings (ID, passage, counted noun) and its
// subject. Its strings and its subject are numbers in a KeyTable, which
// holds each once. A report groups hundreds of thousands of figures by
// their keys and builds full rows only for the figures it prints (see
// KeyTable.Figure).
type Key struct {
	sid         int32 // the subject, by its clause's hash: equal clauses, one subject
	from, to    int64 // the period's first and last day, Unix seconds (periods are whole days)
	value, step float64
	// Strings of the KeyTable: the source ID, unit, counted noun, the
	// number as written, its approximation and the period's precision.
	src, unit, counts, text, approx, prec int32
	// id is the figure's ID in the KeyTable, or -1 when it is the usual
	// SourceID:start-end (built when asked: IDs are all distinct).
	id            int32
	start, end    int32 // the number's code points
	pass, passEnd int32 // its passage's
	passIsNumber  bool  // the passage is the number itself (no sentence holds it)
	hasPeriod     bool
}

// Source is the index in the KeyTable of the figure's source ID: equal keys
// of one table have equal sources.
func (k *Key) Source() int32 { return k.src }

// Start is where the figure's number starts (a code point).
func (k *Key) Start() int { return int(k.start) }

// KeyTable holds the strings of keys, each once: units, counted nouns and
// numbers repeat across a project. It is safe for concurrent use.
type KeyTable struct {
	mu sync.Mutex
	at map[string]int32
	s  []string
	// Subjects by clause hash: a project repeats clauses (captions,
	// quotes), and equal clauses have equal subjects.
	sid     map[uint64]int32
	subj    []bag
	subjKey []uint64 // of each subject, to make keys again after Seal
}

// NewKeyTable returns an empty table.
func NewKeyTable() *KeyTable {
	return &KeyTable{at: map[string]int32{"": 0}, s: []string{""}, sid: map[uint64]int32{}}
}

func (t *KeyTable) subject(k *Key) *bag { return &t.subj[k.sid] }

// Seal drops what only making keys needs (the lookups of strings and
// subjects, a tenth of a report's figures) until a key is made again.
func (t *KeyTable) Seal() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.at, t.sid = nil, nil
	t.subj, t.subjKey = slices.Clone(t.subj), slices.Clone(t.subjKey)
}

// unseal makes the lookups Seal dropped again.
func (t *KeyTable) unseal() {
	if t.at != nil {
		return
	}
	t.at = make(map[string]int32, len(t.s))
	for i, s := range t.s {
		t.at[s] = int32(i)
	}
	t.sid = make(map[uint64]int32, len(t.subjKey))
	for i, h := range t.subjKey {
		t.sid[h] = int32(i)
	}
}

func (t *KeyTable) intern(s string) int32 {
	if i, ok := t.at[s]; ok {
		return i
	}
	i := int32(len(t.s))
	t.at[s] = i
	t.s = append(t.s, s)
	return i
}

func (t *KeyTable) str(i int32) string { return t.s[i] }

// Key is f's key. Keys of one grouping come from one table.
func (t *KeyTable) Key(f *Figure) Key {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.key(f)
}

// Keys are the keys of fs, interned under one lock (a source's figures).
func (t *KeyTable) Keys(fs []Figure) []Key {
	out := make([]Key, len(fs))
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range fs {
		out[i] = t.key(&fs[i])
	}
	return out
}

func (t *KeyTable) key(f *Figure) Key {
	t.unseal()
	n := &f.Number
	sid, ok := t.sid[f.subjKey]
	if !ok {
		sid = int32(len(t.subj))
		t.sid[f.subjKey] = sid
		t.subj, t.subjKey = append(t.subj, f.subject), append(t.subjKey, f.subjKey)
	}
	k := Key{sid: sid, value: n.Value, step: n.Step,
		src: t.intern(f.SourceID), unit: t.intern(f.Unit), counts: t.intern(f.Counts), text: t.intern(n.Text),
		approx: t.intern(string(n.Approx)), id: -1, start: int32(n.Start), end: int32(n.End),
		pass: int32(f.Passage.Start), passEnd: int32(f.Passage.End), hasPeriod: f.HasPeriod}
	k.passIsNumber = f.Passage.Start == n.Start && f.Passage.End == n.End && f.Passage.Text == n.Text
	if f.HasPeriod {
		p := &f.Period
		k.from, k.to, k.prec = p.From.Unix(), p.To.Unix(), t.intern(string(p.Precision))
	}
	if !usualID(f.ID, f.SourceID, n.Start, n.End) {
		k.id = t.intern(f.ID)
	}
	return k
}

// usualID reports whether id is figureID(src, start, end), without
// building it.
func usualID(id, src string, start, end int) bool {
	if len(id) <= len(src) || id[:len(src)] != src || id[len(src)] != ':' {
		return false
	}
	var b [48]byte
	s := strconv.AppendInt(b[:0], int64(start), 10)
	s = append(s, '-')
	s = strconv.AppendInt(s, int64(end), 10)
	return id[len(src)+1:] == string(s)
}

// ID is the figure's ID.
func (t *KeyTable) ID(k *Key) string {
	if k.id >= 0 {
		return t.str(k.id)
	}
	return t.str(k.src) + ":" + strconv.Itoa(int(k.start)) + "-" + strconv.Itoa(int(k.end))
}

// SourceID is the figure's source's ID.
func (t *KeyTable) SourceID(k *Key) string { return t.str(k.src) }

// Unit is the figure's unit.
func (t *KeyTable) Unit(k *Key) string { return t.str(k.unit) }

func (t *KeyTable) number(k *Key) numerals.Number {
	return numerals.Number{Start: int(k.start), End: int(k.end), Text: t.str(k.text), Value: k.value,
		Step: k.step, Approx: numerals.Approx(t.str(k.approx))}
}

func (t *KeyTable) period(k *Key) timeline.Date {
	if !k.hasPeriod {
		return timeline.Date{}
	}
	return timeline.Date{From: time.Unix(k.from, 0).UTC(), To: time.Unix(k.to, 0).UTC(),
		Precision: timeline.Precision(t.str(k.prec))}
}

func (t *KeyTable) periodLabel(k *Key) string {
	if !k.hasPeriod {
		return ""
	}
	return t.period(k).Label()
}

// Figure is the figure k was made from, as a table row shows it, but
// for the passage's text: text is its source's text as code points (nil
// leaves the passage's Text empty). The number's NumStart and NumEnd,
// the period's text and place, the language and the subject are not kept.
func (t *KeyTable) Figure(k *Key, text []rune) Figure {
	f := Figure{ID: t.ID(k), SourceID: t.str(k.src), Number: t.number(k), Unit: t.str(k.unit),
		Counts: t.str(k.counts), Period: t.period(k), HasPeriod: k.hasPeriod,
		Passage: suggest.Span{Start: int(k.pass), End: int(k.passEnd)}}
	switch {
	case k.passIsNumber:
		f.Passage.Text = f.Number.Text
	case text != nil && 0 <= k.pass && k.pass <= k.passEnd && int(k.passEnd) <= len(text):
		f.Passage.Text = string(text[k.pass:k.passEnd])
	}
	return f
}
