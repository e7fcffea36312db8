package suggest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// synthetic builds an original of n Chinese sentences (with numbers, dates,
// a bracketed English name now and then, and a line break per paragraph) and
// an English summary of m sentences, from fixed word lists.
func synthetic(n, m int) (original, summary string) {
	rng := rand.New(rand.NewPCG(1, 2))
	zh := strings.Fields(`美国 中国 政府 官员 表示 移民 非法 边境 驱逐 遣返 合作 会谈 部长 大使馆 发言人 声明 国家 问题 人数
		增加 记录 法院 法官 报道 新闻 安全 协议 政策 关系 国际 公民 努力 希望 改变 局势 过程 同行 名单 对手 原则 核实 大陆
		经济 贸易 关税 企业 市场 投资 增长 下降 数据 调查 警方 逮捕 案件 走私 组织 网络 护照 签证 机场 航班 海关 旅程 危险`)
	fill := strings.Fields(`的 在 和 与 了 是 将 对 为 也 都 说 有`)
	en := strings.Fields(`United States China government officials said migrants illegal border deport repatriate cooperate talks
		minister embassy spokesperson statement countries problem number increase record court judge report news security
		agreement policy relations international citizens effort hope change situation process counterparts list rivals
		economy trade tariffs companies market investment growth decline data investigation police arrested cases smuggling`)
	names := [][2]string{{"马约卡斯", "Mayorkas"}, {"王小洪", "Wang Xiaohong"}, {"刘鹏宇", "Liu Pengyu"}, {"布林肯", "Blinken"}}
	var o strings.Builder
	for i := 0; i < n; i++ {
		k := 8 + rng.IntN(10)
		for j := 0; j < k; j++ {
			o.WriteString(zh[rng.IntN(len(zh))])
			if rng.IntN(3) == 0 {
				o.WriteString(fill[rng.IntN(len(fill))])
			}
			switch rng.IntN(40) {
			case 0:
				fmt.Fprintf(&o, "%d多", 100+rng.IntN(50000))
			case 1:
				fmt.Fprintf(&o, "%d月%d日", 1+rng.IntN(12), 1+rng.IntN(28))
			case 2:
				nm := names[rng.IntN(len(names))]
				o.WriteString(nm[0])
				if rng.IntN(4) == 0 {
					fmt.Fprintf(&o, "(%s)", nm[1])
				}
			case 3:
				o.WriteString("两万四千")
			}
		}
		o.WriteString("。")
		if rng.IntN(5) == 0 {
			o.WriteString("\n\n")
		}
	}
	var s strings.Builder
	for i := 0; i < m; i++ {
		k := 10 + rng.IntN(12)
		s.WriteString("The")
		for j := 0; j < k; j++ {
			s.WriteString(" ")
			s.WriteString(en[rng.IntN(len(en))])
			switch rng.IntN(15) {
			case 0:
				fmt.Fprintf(&s, " more than %d", 100+rng.IntN(50000))
			case 1:
				fmt.Fprintf(&s, " on April %d", 1+rng.IntN(28))
			case 2:
				s.WriteString(" " + names[rng.IntN(len(names))][1])
			}
		}
		s.WriteString(". ")
	}
	return o.String(), s.String()
}

func TestSyntheticShape(t *testing.T) {
	o, s := synthetic(2000, 200)
	if n := len(Sentences(o)); n != 2000 {
		t.Errorf("synthetic original has %d sentences, want 2000", n)
	}
	got := Suggest(s, o, Options{Max: 5})
	if len(got) != 200 {
		t.Fatalf("Suggest gave %d suggestions, want 200", len(got))
	}
	for _, g := range got {
		if len(g.Candidates) == 0 || len(g.Candidates) > 5 {
			t.Fatalf("%q: %d candidates", g.Summary.Text, len(g.Candidates))
		}
		for k := 1; k < len(g.Candidates); k++ {
			if g.Candidates[k].Score > g.Candidates[k-1].Score {
				t.Fatalf("%q: candidates out of order", g.Summary.Text)
			}
		}
	}
}

// BenchmarkSuggest200x2000 matches 200 summary sentences against an original
// of 2,000 sentences, building the index each time (as Suggest does).
func BenchmarkSuggest200x2000(b *testing.B) {
	o, s := synthetic(2000, 200)
	Suggest("warm up the dictionary.", "词典。", Options{}) // lexicon load is one-off
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		Suggest(s, o, Options{Max: 5})
	}
	reportCPU(b, cpu)
}

func reportCPU(b *testing.B, start time.Duration) {
	if start > 0 && b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkIndexedSuggest200 is the same with the original's index reused,
// as the app does when the analyst edits a summary.
func BenchmarkIndexedSuggest200(b *testing.B) {
	o, s := synthetic(2000, 200)
	x := NewIndex(o)
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		x.Suggest(s, Options{Max: 5})
	}
	reportCPU(b, cpu)
}
