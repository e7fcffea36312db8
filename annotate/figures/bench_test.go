package figures

import (
	"fmt"
	"strings"
	"testing"

	"gloss/annotate"
)

// BenchmarkTable: extracting and grouping the figures of a project, as the
// figures table does when it opens; sources of about 2,000 code points.
func BenchmarkTable(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("sources=%d", n), func(b *testing.B) {
			var srcs []annotate.Source
			texts := map[string]string{}
			for i := 0; i < n; i++ {
				id := fmt.Sprintf("s%03d", i)
				lang, t := annotate.English, enHarbour+" "+enAgree
				if i%2 == 1 {
					lang, t = annotate.Simplified, zhHarbour
				}
				srcs = append(srcs, annotate.Source{ID: id, Language: lang, Published: "2024-03-01"})
				texts[id] = strings.Repeat(t+"\n", 8)
			}
			text := func(id string) (string, bool) { t, ok := texts[id]; return t, ok }
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				Table(srcs, text, Overrides{})
			}
		})
	}
}
