package timeline

import (
	"fmt"
	"strings"
	"testing"

	"gloss/annotate"
)

// BenchmarkBuild: the timeline of a project, sources of about 2,000 code points.
func BenchmarkBuild(b *testing.B) {
	const en = "The ministry said on Tuesday that talks held on May 18, 2024 went well. In fiscal 2023 crossings rose; in December they fell. "
	const zh = "会谈于2024年5月18日举行。2023财年记录了事件。去年12月,人数创下新高。他在2月份提出了这个问题。"
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("sources=%d", n), func(b *testing.B) {
			var srcs []annotate.Source
			texts := map[string]string{}
			for i := 0; i < n; i++ {
				id := fmt.Sprintf("s%03d", i)
				t := strings.Repeat(en, 16)
				if i%2 == 1 {
					t = strings.Repeat(zh, 40)
				}
				srcs = append(srcs, annotate.Source{ID: id, Published: "2024-07-03"})
				texts[id] = t
			}
			text := func(id string) (string, bool) { t, ok := texts[id]; return t, ok }
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				Build(srcs, text)
			}
		})
	}
}
