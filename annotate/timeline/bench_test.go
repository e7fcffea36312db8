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

// BenchmarkDates: the dates of one text, dense with dates (every sentence
// has one) and sparse, at two lengths; "whole" runs every pattern over the
// whole text, as Dates did before it searched windows.
func BenchmarkDates(b *testing.B) {
	const dense = "The ministry said on Tuesday that talks held on May 18, 2024 went well. In fiscal 2023 crossings rose; in December they fell. 会谈于2024年5月18日举行。2023财年记录了事件。"
	const sparse = "Officials met to discuss cooperation on the return of migrants, and 24,000 crossings were counted at the border. 双方正在进行高层讨论,这一情况变得尤为重要。"
	for _, c := range []struct {
		name string
		unit string
	}{{"dense", dense}, {"sparse", sparse}} {
		for _, n := range []int{2_000, 20_000} {
			text := strings.Repeat(c.unit, n/len([]rune(c.unit))+1)
			for _, whole := range []bool{false, true} {
				name := fmt.Sprintf("%s/cp=%d/windowed", c.name, n)
				if whole {
					name = fmt.Sprintf("%s/cp=%d/whole", c.name, n)
				}
				b.Run(name, func(b *testing.B) {
					b.SetBytes(int64(len(text)))
					for b.Loop() {
						dates(text, "2024-07-03", !whole)
					}
				})
			}
		}
	}
}
