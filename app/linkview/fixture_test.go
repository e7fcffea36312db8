package linkview

// A small bilingual pair written for these tests (not corpus text).
const (
	testOriginal = "海关报告:2023年边境记录了24000多起越境事件。\n\n官员表示,这一数字比前一年增长了五倍。\n\n公安部部长王小洪在维也纳会见了美国代表团。\n\n气象台说,明天北京有雨。"
	testSummary  = "In 2023 the border saw more than 24,000 crossings. Minister Wang Xiaohong met the US delegation in Vienna. Officials say the figure grew fivefold on the year before."
)
