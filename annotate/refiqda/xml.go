package refiqda

import (
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"strings"
)

// Namespaces of QDA-XML 1.0.
const (
	ProjectNS  = "urn:QDA-XML:project:1.0"
	CodebookNS = "urn:QDA-XML:codebook:1.0"
)

// The element types below follow Project-mrt2019.xsd. Field order is the
// schema's sequence order, which validators enforce. XMLName carries the
// namespace when writing; reading matches by local name so files without
// (or with another prefix for) the namespace still load.

type xProject struct {
	XMLName           xml.Name
	Name              string              `xml:"name,attr"`
	Origin            string              `xml:"origin,attr,omitempty"`
	CreatingUserGUID  string              `xml:"creatingUserGUID,attr,omitempty"`
	CreationDateTime  string              `xml:"creationDateTime,attr,omitempty"`
	ModifyingUserGUID string              `xml:"modifyingUserGUID,attr,omitempty"`
	ModifiedDateTime  string              `xml:"modifiedDateTime,attr,omitempty"`
	Users             *xUsers             `xml:"Users"`
	CodeBook          *xCodeBookInProject `xml:"CodeBook"`
	Variables         *xVariables         `xml:"Variables"`
	Sources           *xSources           `xml:"Sources"`
	Notes             *xNotes             `xml:"Notes"`
	Links             *xLinks             `xml:"Links"`
	Sets              *xSets              `xml:"Sets"`
	Description       string              `xml:"Description,omitempty"`
	NoteRefs          []xRef              `xml:"NoteRef"`
}

type xUsers struct {
	User []xUser `xml:"User"`
}

type xUser struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr,omitempty"`
	ID   string `xml:"id,attr,omitempty"`
}

// xCodeBook is the root of a .qdc file.
type xCodeBook struct {
	XMLName xml.Name
	Origin  string `xml:"origin,attr,omitempty"`
	Codes   xCodes `xml:"Codes"`
}

// xCodeBookInProject has no XMLName, so it inherits the project namespace.
type xCodeBookInProject struct {
	Codes xCodes `xml:"Codes"`
}

type xCodes struct {
	Code []xCode `xml:"Code"`
}

type xCode struct {
	GUID        string  `xml:"guid,attr"`
	Name        string  `xml:"name,attr"`
	IsCodable   bool    `xml:"isCodable,attr"`
	Color       string  `xml:"color,attr,omitempty"`
	Description string  `xml:"Description,omitempty"`
	NoteRefs    []xRef  `xml:"NoteRef"`
	Code        []xCode `xml:"Code"`
}

type xVariables struct {
	Variable []xVariable `xml:"Variable"`
}

type xVariable struct {
	GUID           string `xml:"guid,attr"`
	Name           string `xml:"name,attr"`
	TypeOfVariable string `xml:"typeOfVariable,attr"`
	Description    string `xml:"Description,omitempty"`
}

type xVariableValue struct {
	VariableRef   xRef    `xml:"VariableRef"`
	TextValue     *string `xml:"TextValue"`
	BooleanValue  *string `xml:"BooleanValue"`
	IntegerValue  *string `xml:"IntegerValue"`
	FloatValue    *string `xml:"FloatValue"`
	DateValue     *string `xml:"DateValue"`
	DateTimeValue *string `xml:"DateTimeValue"`
}

// value is whichever of the typed values is present, as text.
func (v xVariableValue) value() string {
	for _, p := range []*string{v.TextValue, v.BooleanValue, v.IntegerValue, v.FloatValue, v.DateValue, v.DateTimeValue} {
		if p != nil {
			return strings.TrimSpace(*p)
		}
	}
	return ""
}

type xSources struct {
	TextSource []xTextSource `xml:"TextSource"`
	// Other kinds are only counted, to tell the user what was left out.
	PictureSource []struct{} `xml:"PictureSource"`
	PDFSource     []struct{} `xml:"PDFSource"`
	AudioSource   []struct{} `xml:"AudioSource"`
	VideoSource   []struct{} `xml:"VideoSource"`
}

// xTextSource is both a TextSource and a Note (same schema type).
type xTextSource struct {
	GUID             string           `xml:"guid,attr"`
	Name             string           `xml:"name,attr,omitempty"`
	RichTextPath     string           `xml:"richTextPath,attr,omitempty"`
	PlainTextPath    string           `xml:"plainTextPath,attr,omitempty"`
	CreatingUser     string           `xml:"creatingUser,attr,omitempty"`
	CreationDateTime string           `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser    string           `xml:"modifyingUser,attr,omitempty"`
	ModifiedDateTime string           `xml:"modifiedDateTime,attr,omitempty"`
	Description      string           `xml:"Description,omitempty"`
	PlainTextContent *string          `xml:"PlainTextContent"`
	Selections       []xSelection     `xml:"PlainTextSelection"`
	Coding           []xCoding        `xml:"Coding"`
	NoteRefs         []xRef           `xml:"NoteRef"`
	VariableValues   []xVariableValue `xml:"VariableValue"`
}

type xSelection struct {
	GUID             string    `xml:"guid,attr"`
	Name             string    `xml:"name,attr,omitempty"`
	Start            int       `xml:"startPosition,attr"`
	End              int       `xml:"endPosition,attr"`
	CreatingUser     string    `xml:"creatingUser,attr,omitempty"`
	CreationDateTime string    `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser    string    `xml:"modifyingUser,attr,omitempty"`
	ModifiedDateTime string    `xml:"modifiedDateTime,attr,omitempty"`
	Description      string    `xml:"Description,omitempty"`
	Coding           []xCoding `xml:"Coding"`
	NoteRefs         []xRef    `xml:"NoteRef"`
}

type xCoding struct {
	GUID             string `xml:"guid,attr"`
	CreatingUser     string `xml:"creatingUser,attr,omitempty"`
	CreationDateTime string `xml:"creationDateTime,attr,omitempty"`
	CodeRef          xRef   `xml:"CodeRef"`
	NoteRefs         []xRef `xml:"NoteRef"`
}

type xRef struct {
	TargetGUID string `xml:"targetGUID,attr"`
}

type xNotes struct {
	Note []xTextSource `xml:"Note"`
}

type xLinks struct {
	Link []xLink `xml:"Link"`
}

type xLink struct {
	GUID       string `xml:"guid,attr"`
	Name       string `xml:"name,attr,omitempty"`
	Direction  string `xml:"direction,attr,omitempty"`
	Color      string `xml:"color,attr,omitempty"`
	OriginGUID string `xml:"originGUID,attr,omitempty"`
	TargetGUID string `xml:"targetGUID,attr,omitempty"`
	NoteRefs   []xRef `xml:"NoteRef"`
}

type xSets struct {
	Set []xSet `xml:"Set"`
}

type xSet struct {
	GUID         string `xml:"guid,attr"`
	Name         string `xml:"name,attr"`
	Description  string `xml:"Description,omitempty"`
	MemberCode   []xRef `xml:"MemberCode"`
	MemberSource []xRef `xml:"MemberSource"`
	MemberNote   []xRef `xml:"MemberNote"`
}

// namespaceUUID is Gloss's UUID namespace for name-based (v5) GUIDs:
// uuid5(URL namespace, "urn:gloss"), computed once.
var namespaceUUID = uuid5([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}, "urn:gloss")

// GUID is the stable QDA-XML GUID for a Gloss record name such as
// "annotation:<id>": the same project exports the same GUIDs every time, so
// other tools see a re-export as the same objects.
func GUID(name string) string { return formatUUID(uuid5(namespaceUUID, name)) }

func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func formatUUID(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// normGUID makes GUIDs comparable: lower case, without braces.
func normGUID(g string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(g), "{}"))
}
