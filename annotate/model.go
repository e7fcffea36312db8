// Package annotate is Gloss's domain: sources, passages and their selectors,
// codes, stance targets, reliability, links between passages, and the rules
// that keep them consistent. It imports neither Fyne nor bbolt, so every
// front end (GUI, CLI, exporters) shares one set of invariants.
package annotate

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Language is a BCP 47 tag. Gloss distinguishes the two Chinese scripts
// because analysts must know which one a quote was taken from.
type Language string

const (
	LangUnknown Language = ""
	English     Language = "en"
	Simplified  Language = "zh-Hans"
	Traditional Language = "zh-Hant"
)

// Languages lists the languages a source can be tagged with, for pickers.
var Languages = []Language{English, Simplified, Traditional}

// Kind says how a source relates to others.
type Kind string

const (
	KindOriginal    Kind = "original"
	KindTranslation Kind = "translation"
	KindSummary     Kind = "summary"
	KindCommentary  Kind = "commentary"
)

// Kinds lists every kind, for pickers and validation.
var Kinds = []Kind{KindOriginal, KindTranslation, KindSummary, KindCommentary}

// Source is one imported text with what is known about it.
// Text is held separately by storage; listings leave it empty.
type Source struct {
	ID                string      `json:"id"`
	Title             string      `json:"title,omitempty"`
	Outlet            string      `json:"outlet,omitempty"`
	Author            string      `json:"author,omitempty"`
	URL               string      `json:"url,omitempty"`
	Published         string      `json:"published,omitempty"` // YYYY-MM-DD, YYYY-MM or YYYY
	Language          Language    `json:"language,omitempty"`
	Kind              Kind        `json:"kind"`
	ContentHash       string      `json:"contentHash"` // sha256 of Text, hex
	Length            int         `json:"length"`      // code points in Text
	ImportedAt        time.Time   `json:"importedAt"`
	FileName          string      `json:"fileName,omitempty"`
	Reliability       Reliability `json:"reliability,omitempty"`
	ReliabilityNote   string      `json:"reliabilityNote,omitempty"`
	StateAffiliated   bool        `json:"stateAffiliated,omitempty"`
	MachineTranslated bool        `json:"machineTranslated,omitempty"`
	Note              string      `json:"note,omitempty"`
	// Originals are the sources a summary or translation rests on.
	Originals []string `json:"originals,omitempty"`
	// FigureMarks are the analyst's corrections to the figures table for
	// the figures of this source (see annotate/figures).
	FigureMarks []FigureMark `json:"figureMarks,omitempty"`
	Text        string       `json:"-"`
}

// FigureMark is one correction to how the figures table reads a figure of
// its source. Figures sharing a Group name, across sources too, count the
// same thing; Split takes the figure out of the group Gloss put it in;
// Preferred marks it as the one to use in its group; Ignore says the
// number is not a figure at all.
type FigureMark struct {
	// Figure is the figure's ID, SourceID:start-end, the code points of
	// the number as the figures table names it.
	Figure    string `json:"figure"`
	Group     string `json:"group,omitempty"`
	Split     bool   `json:"split,omitempty"`
	Preferred bool   `json:"preferred,omitempty"`
	Ignore    bool   `json:"ignore,omitempty"`
}

// DisplayTitle is what a list shows: the title, else the file name, else the ID.
func (s Source) DisplayTitle() string {
	switch {
	case s.Title != "":
		return s.Title
	case s.FileName != "":
		return s.FileName
	}
	return s.ID
}

// HashText is the content hash stored with a source.
func HashText(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Stance is the position a passage takes toward a target.
type Stance string

const (
	Favor   Stance = "favor"
	Against Stance = "against"
	Neutral Stance = "neutral"
	Mixed   Stance = "mixed"
)

// Stances lists every stance value in display order.
var Stances = []Stance{Favor, Against, Neutral, Mixed}

// StanceMark is one stance toward one target.
type StanceMark struct {
	Target string `json:"target"` // Target.ID
	Stance Stance `json:"stance"`
}

// Annotation is a highlighted passage of one source with its tags.
type Annotation struct {
	ID          string       `json:"id"`
	SourceID    string       `json:"sourceId"`
	Selector    Selector     `json:"selector"`
	Codes       []string     `json:"codes,omitempty"` // Code.ID
	Stances     []StanceMark `json:"stances,omitempty"`
	Credibility Credibility  `json:"credibility,omitempty"`
	Note        string       `json:"note,omitempty"`
	Author      string       `json:"author,omitempty"`
	Created     time.Time    `json:"created"`
	Modified    time.Time    `json:"modified"`
	// Anchor is how the passage was found after the text last changed
	// ("" is exact); Score is the match score of a fuzzy anchor, 0–1.
	Anchor AnchorState `json:"anchor,omitempty"`
	Score  float64     `json:"anchorScore,omitempty"`
	// Conflicts are other versions found by a merge; see SwitchConflict.
	Conflicts []AnnotationVersion `json:"conflicts,omitempty"`
}

// HasCode reports whether the annotation carries code id.
func (a Annotation) HasCode(id string) bool {
	for _, c := range a.Codes {
		if c == id {
			return true
		}
	}
	return false
}

// StanceToward returns the stance toward target and whether there is one.
func (a Annotation) StanceToward(target string) (Stance, bool) {
	for _, m := range a.Stances {
		if m.Target == target {
			return m.Stance, true
		}
	}
	return "", false
}

// Code is a node of the codebook.
type Code struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Parent      string `json:"parent,omitempty"` // Code.ID
	Color       string `json:"color"`            // #RRGGBB
	Description string `json:"description,omitempty"`
}

// Target is what a stance is about (a country, an agency, a policy).
type Target struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// LinkStatus tracks a link through review.
type LinkStatus string

const (
	Suggested LinkStatus = "suggested"
	Confirmed LinkStatus = "confirmed"
	Rejected  LinkStatus = "rejected"
)

// Anchor is a passage of a given source.
type Anchor struct {
	SourceID string      `json:"sourceId"`
	Selector Selector    `json:"selector"`
	State    AnchorState `json:"anchor,omitempty"` // as Annotation.Anchor
	Score    float64     `json:"anchorScore,omitempty"`
}

// Link ties a passage (e.g. an English summary sentence) to the passages of
// another source it rests on (the Chinese evidence).
type Link struct {
	ID       string     `json:"id"`
	From     Anchor     `json:"from"`
	To       []Anchor   `json:"to"`
	Status   LinkStatus `json:"status"`
	Score    float64    `json:"score,omitempty"` // suggestion score, when suggested
	Note     string     `json:"note,omitempty"`
	Created  time.Time  `json:"created"`
	Modified time.Time  `json:"modified"`
}

// Project is a whole project in memory: what exporters read and importers
// produce. Storage hands out snapshots; nothing here is live.
type Project struct {
	Name        string        `json:"name,omitempty"`
	Sources     []Source      `json:"sources"`
	Annotations []Annotation  `json:"annotations"`
	Codes       []Code        `json:"codes"`
	Targets     []Target      `json:"targets"`
	Links       []Link        `json:"links"`
	Claims      []Claim       `json:"claims,omitempty"`
	Versions    []TextVersion `json:"versions,omitempty"`
	// Unreadable names records storage could not decode and skipped;
	// the rest of the project is usable.
	Unreadable []string `json:"-"`
}
