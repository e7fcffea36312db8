package anchor

import (
	"math/rand"
	"strings"
)

// Vocabulary for generated test texts, written for these tests.
var enWords = strings.Fields(`the a an of to in on for with from by at about after before between against during
ministry official officials spokesman spokeswoman government governments country countries border agency agencies
flight flights migrant migrants citizen citizens policy policies agreement talks meeting statement report reports
week month year Tuesday Wednesday Friday morning evening capital province city region coast port office
said says told added noted stressed confirmed denied announced agreed returned deported arrived departed signed
would could should will may might must cannot did has have had is was were are been being
new old first second third last next several many few some most all both each other further
cooperation security enforcement immigration repatriation smuggling trafficking identity documents records
press conference briefing interview question answer comment concern issue matter case cases
United States China Washington Beijing Guangzhou Fujian Los Angeles Chicago Texas
public private joint bilateral regular charter commercial legal illegal formal informal
people group groups family families worker workers student students lawyer lawyers
under over into through across within without toward towards upon
number numbers hundred thousand dozens several record level levels rise fall increase decrease
clear unclear early late recent current former future possible likely unlikely
plan plans step steps process procedure procedures rule rules law laws court courts
because although while since when where which who whose that this these those
and or but nor yet so also only even still already again`)

var zhWords = strings.Fields(`外交部 发言人 表示 两国 双方 合作 遣返 航班 问题 官员 会面 北京 华盛顿 美国 中国
移民 非法 偷渡 打击 执法 部门 安全 边境 机场 包机 公民 身份 核实 证件 记录
政府 政策 协议 会谈 声明 报告 本周 上周 下周 今年 去年 周二 周三 周五 上午 晚上
首都 省份 城市 地区 沿海 港口 办公室 记者 提问 回答 评论 关注 事项 案件
宣布 同意 确认 否认 强调 指出 补充 签署 抵达 离开 返回 遣送 接收 安排 推进
新的 重要 有关 进一步 继续 已经 仍然 再次 共同 相互 积极 稳步 有效 持续
人员 家庭 工人 学生 律师 群体 数量 数百 数千 数十 记录 水平 上升 下降 增加 减少
明确 尚不 近期 目前 此前 未来 可能 或许 计划 步骤 程序 规则 法律 法院
因为 虽然 同时 此外 但是 而且 以及 并且 对于 关于 根据 按照 通过 经过`)

// synthetic writes paras paragraphs of English or Chinese news-like text.
func synthetic(rng *rand.Rand, paras int, chinese bool) string {
	var b strings.Builder
	for p := 0; p < paras; p++ {
		sentences := 3 + rng.Intn(4)
		for s := 0; s < sentences; s++ {
			n := 8 + rng.Intn(13)
			for w := 0; w < n; w++ {
				if chinese {
					b.WriteString(zhWords[rng.Intn(len(zhWords))])
					if w > 0 && w < n-1 && rng.Intn(6) == 0 {
						b.WriteString("，")
					}
					continue
				}
				word := enWords[rng.Intn(len(enWords))]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				b.WriteString(word)
				if w < n-1 {
					if rng.Intn(9) == 0 {
						b.WriteString(",")
					}
					b.WriteString(" ")
				}
			}
			if chinese {
				if rng.Intn(8) == 0 {
					b.WriteString("！")
				} else {
					b.WriteString("。")
				}
			} else {
				b.WriteString(".")
				if s < sentences-1 {
					b.WriteString(" ")
				}
			}
		}
		b.WriteString("\n\n")
	}
	return b.String()
}
