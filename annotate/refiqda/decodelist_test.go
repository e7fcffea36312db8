package refiqda

import (
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
)

// decodeList must read a list as encoding/xml reads the slice field it
// replaces: children of that name in any namespace, others skipped, with
// their attributes, nested elements and text.
func TestDecodeListReadsAsEncodingXML(t *testing.T) {
	doc := `<Notes xmlns="urn:QDA-XML:project:1.0">
	  <Note guid="a" name="first"><PlainTextContent>one</PlainTextContent></Note>
	  <Other><Note guid="hidden"/></Other>
	  <!-- a comment -->
	  <q:Note xmlns:q="urn:x" guid="b" name="second"><Description>two</Description></q:Note>
	  text between
	</Notes>`
	var want xNotes
	if err := xml.Unmarshal([]byte(doc), &want); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(strings.NewReader(doc))
	if _, err := dec.Token(); err != nil { // <Notes>
		t.Fatal(err)
	}
	var got xNotes
	if err := decodeList(dec, "Note", &got.Note); err != nil {
		t.Fatal(err)
	}
	if len(want.Note) != 2 || !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeList read %+v\nencoding/xml reads %+v", got, want)
	}
	if _, err := dec.Token(); err == nil {
		t.Fatal("decodeList stopped before the list's end")
	}
	// A list cut short is an error, not a shorter list.
	dec = xml.NewDecoder(strings.NewReader(doc[:strings.Index(doc, "<q:Note")]))
	dec.Token()
	if err := decodeList(dec, "Note", &got.Note); err == nil {
		t.Fatal("a list without its end was read without an error")
	}
}
