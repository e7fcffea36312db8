package textview_test

import (
	"fmt"
	"image/color"

	"gloss/app/textview"
)

func Example() {
	tv := textview.New()
	tv.SetText("美国国土安全部长表示，中美正在进行高层讨论。\nOfficials said talks were under way.")
	tv.SetHighlights([]textview.Highlight{
		{ID: "a1", Start: 0, End: 8, Color: color.NRGBA{R: 255, G: 196, A: 255}, Tooltip: "Code: actor\nStance: neutral"},
	})
	tv.OnHighlightTapped = func(id string) { tv.SetFocused(id) }
	tv.OnRune = func(r rune) bool {
		if r >= '1' && r <= '9' {
			s, e := tv.Selection()
			fmt.Println("tag", s, e, "with code", r-'0')
			return true
		}
		return false
	}
	tv.SetSelection(11, 13)
	tv.TypedRune('3')
	// Output: tag 11 13 with code 3
}
