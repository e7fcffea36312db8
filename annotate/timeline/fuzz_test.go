package timeline

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzDates: any text and published string yield dates inside the text,
// in order, each with From ≤ To.
func FuzzDates(f *testing.F) {
	for _, s := range [][2]string{{"2024年5月18日", ""}, {"5月18日", "2024-06-01"}, {"on Tuesday", "2024-07-03"},
		{"fiscal 2023", ""}, {"2023财年", "2024"}, {"in December", "2025-01"}, {"04/06/2024", ""}, {"二〇二三年十月", ""},
		{"last week", "2024-02-29"}, {"2月30日", "2024-13-01"},
		{"Talks on May 18, 2024 and 1 June 2023 - 2024-05-18, 5/18/2024; in 2019 and in March, last Friday. ", "2024-07-03"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, pub string) {
		if !utf8.ValidString(text) {
			return
		}
		n := utf8.RuneCountInString(text)
		last := 0
		got := Dates(text, pub)
		if full := dates(text, pub, false); !reflect.DeepEqual(got, full) {
			t.Fatalf("windowed search differs from the whole-text search in %q:\n%v\n%v", text, got, full)
		}
		for _, d := range got {
			if d.Start < last || d.Start >= d.End || d.End > n {
				t.Fatalf("bad span %d–%d (previous end %d, %d runes) in %q", d.Start, d.End, last, n, text)
			}
			if string([]rune(text)[d.Start:d.End]) != d.Text {
				t.Fatalf("text %q is not its span in %q", d.Text, text)
			}
			if d.To.Before(d.From) {
				t.Fatalf("%q: To %v before From %v", d.Text, d.To, d.From)
			}
			last = d.End
		}
	})
}
