package textimport

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Character tables for telling GB18030 from Big5 and simplified from
// traditional text. Rather than ship large hand-typed tables, the sets are
// derived once from the encodings' own repertoires:
//   - GB2312 level 1 (rows 0xB0-0xD7) is the 3,755 most common simplified
//     characters; Big5 0xA440-0xC67E is the 5,401 "frequently used"
//     traditional ones. Together: "common CJK".
//   - A character in GB2312 that Big5 cannot encode at all is simplified-only
//     (说, 们); one in Big5 that GB2312 lacks is traditional-only (說, 們).
//     Shared forms (中, 后, 台, 里) count for neither, which is what a hand
//     list of pairs tends to get wrong.
// A short list of very frequent characters (both forms) sharpens the
// encoding guess, since a wrong decoding yields valid but unrelated
// characters that are seldom among the most frequent.

// topSimplified holds roughly the 500 most frequent characters of modern
// written Chinese (simplified forms).
const topSimplified = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵侧黎移"

// sTPairs lists common simplified/traditional pairs. It maps the frequent
// list above to traditional forms, and tests check it against the derived
// script sets. Pairs whose simplified form is also a traditional character
// (后/後, 里/裏, 干/幹, 台/臺) are harmless here: only derived sets mark script.
const sTPairs = "这這 个個 们們 国國 说說 时時 会會 来來 对對 为為 发發 过過 后後 里裏 么麼 学學 经經 动動 现現 还還 进進 没沒 实實 长長 开開 关關 两兩 问問 间間 门門 体體 见見 听聽 觉覺 头頭 东東 车車 马馬 鸟鳥 鱼魚 龙龍 电電 话話 语語 认認 识識 让讓 请請 谁誰 读讀 写寫 书書 买買 卖賣 钱錢 边邊 远遠 运運 连連 选選 达達 迟遲 应應 当當 总總 战戰 军軍 农農 业業 产產 义義 乐樂 于於 与與 从從 众眾 优優 传傳 伤傷 价價 儿兒 党黨 决決 况況 准準 几幾 刘劉 则則 刚剛 创創 划劃 剧劇 办辦 务務 劳勞 势勢 区區 华華 单單 卫衛 历歷 压壓 县縣 参參 双雙 变變 号號 员員 响響 团團 园園 围圍 图圖 场場 坏壞 块塊 报報 声聲 处處 备備 复復 夺奪 妇婦 妈媽 孙孫 宁寧 宝寶 审審 宪憲 导導 将將 尔爾 层層 岁歲 岛島 币幣 师師 带帶 广廣 庆慶 库庫 张張 强強 归歸 录錄 态態 怀懷 恶惡 爱愛 执執 扩擴 择擇 护護 担擔 拥擁 据據 挥揮 换換 损損 敌敵 数數 断斷 无無 旧舊 显顯 杀殺 权權 条條 杨楊 极極 构構 标標 样樣 树樹 检檢 欢歡 气氣 汉漢 济濟 测測 湾灣 满滿 灭滅 灵靈 灯燈 点點 热熱 状狀 独獨 环環 画畫 疗療 盖蓋 监監 盘盤 确確 礼禮 离離 种種 积積 称稱 稳穩 竞競 笔筆 类類 纪紀 约約 级級 纳納 线線 练練 组組 细細 织織 终終 结結 给給 统統 继繼 续續 维維 网網 罗羅 职職 联聯 胜勝 脑腦 艺藝 节節 苏蘇 荣榮 药藥 获獲 虽雖 补補 装裝 观觀 规規 视視 亲親 计計 议議 访訪 证證 评評 诉訴 词詞 试試 诗詩 该該 误誤 调調 谈談 谢謝 负負 财財 责責 质質 贸貿 费費 资資 赛賽 赵趙 轮輪 软軟 轻輕 较較 违違 适適 针針 铁鐵 银銀 错錯 闻聞 队隊 阳陽 阴陰 际際 陆陸 险險 随隨 难難 页頁 项項 须須 顾顧 领領 题題 风風 飞飛 饭飯 馆館 验驗 鲜鮮 黄黃 齐齊 万萬 专專 严嚴 临臨 举舉 乡鄉 乱亂 争爭 亚亞 亿億 仅僅 伟偉 兴興 养養 兰蘭 击擊 剑劍 协協 台臺 吗嗎 圆圓 圣聖 坚堅 壮壯 够夠 奖獎 宽寬 寻尋 属屬 帮幫 废廢 弹彈 彻徹 忆憶 惊驚 愿願 戏戲 扬揚 挂掛 摆擺 机機 杂雜 枪槍 梦夢 楼樓 欧歐 残殘 毁毀 毕畢 温溫 灾災 烟煙 爷爺 现現 紧緊 红紅 纯純 纸紙 绍紹 绝絕 绿綠 缓緩 编編 肃肅 脸臉 舰艦 蓝藍 虑慮 袭襲 讨討 训訓 记記 讲講 许許 论論 设設 译譯 诚誠 诸諸 课課 谋謀 谓謂 败敗 货貨 购購 贵貴 赶趕 跃躍 转轉 辉輝 输輸 迁遷 遗遺 邓鄧 释釋 钟鐘 钢鋼 镇鎮 镜鏡 闭閉 闪閃 阵陣 阶階 陈陳 隐隱 顶頂 顺順 顿頓 预預 额額 驱驅 驾駕 骗騙 鲁魯 鸡雞 麦麥 龄齡 亲親 侨僑 馀餘 邮郵 窃竊 签簽 简簡 粮糧 卢盧 厅廳 启啟 宾賓 尘塵 尝嘗 岗崗 帐帳 庄莊 庙廟 异異 弯彎 忧憂 恋戀 恼惱 惧懼 惨慘 惯慣 愤憤 扑撲 扰擾 抢搶 拟擬 挤擠 摇搖 斗鬥 晓曉 暂暫 术術 柜櫃 档檔 横橫 汇匯 泪淚 泽澤 洁潔 浓濃 涨漲 渐漸 湿濕 炉爐 烂爛 牵牽 犹猶 献獻 疯瘋 盐鹽 矿礦 码碼 础礎 筑築 纵縱 纷紛 绕繞 绘繪 缘緣 缩縮 罚罰 肤膚 脚腳 营營 蛮蠻 誉譽 讯訊 诊診 贡貢 贫貧 贯貫 贷貸 贺賀 赌賭 赏賞 赔賠 赖賴 赚賺 踪蹤 轨軌 载載 辞辭 迈邁 逻邏 郑鄭 锁鎖 锅鍋 锋鋒 键鍵 闯闖 闹鬧 阁閣 颜顏 饮飲 饰飾 驶駛 骑騎 鸣鳴 齿齒"

// sharedForms are simplified characters that are also everyday traditional
// characters in their own right (后 "queen", 里 "mile", 台 in 台灣): they
// mark neither script.
const sharedForms = "后里于干台斗范松余征面丑只志系杰才云表"

type cjkTables struct {
	common   map[rune]bool // GB2312 level 1 ∪ Big5 frequently used
	top      map[rune]bool // the most frequent characters, both forms
	simpOnly map[rune]bool // in GB2312, not encodable in Big5
	tradOnly map[rune]bool // in Big5, not encodable in GB2312
	s2t      map[rune]rune
}

var (
	tablesOnce sync.Once
	tables     cjkTables
)

func cjk() *cjkTables {
	tablesOnce.Do(buildTables)
	return &tables
}

// decodeGrid decodes every two-byte code in [lead0,lead1]×trails and returns
// the characters that decode to a single non-replacement rune.
func decodeGrid(dec func([]byte) ([]byte, error), lead0, lead1 byte, trails [][2]byte) map[rune]bool {
	var buf []byte
	for l := int(lead0); l <= int(lead1); l++ {
		for _, tr := range trails {
			for t := int(tr[0]); t <= int(tr[1]); t++ {
				buf = append(buf, byte(l), byte(t))
			}
		}
	}
	out, _ := dec(buf)
	set := make(map[rune]bool, len(out)/3)
	for _, r := range string(out) {
		if unicode.Is(unicode.Han, r) {
			set[r] = true
		}
	}
	return set
}

func buildTables() {
	gbDec := func(b []byte) ([]byte, error) { return simplifiedchinese.GBK.NewDecoder().Bytes(b) }
	b5Dec := func(b []byte) ([]byte, error) { return traditionalchinese.Big5.NewDecoder().Bytes(b) }
	gbTrail := [][2]byte{{0xA1, 0xFE}}
	b5Trail := [][2]byte{{0x40, 0x7E}, {0xA1, 0xFE}}

	gbLevel1 := decodeGrid(gbDec, 0xB0, 0xD7, gbTrail)
	gbAll := decodeGrid(gbDec, 0xB0, 0xF7, gbTrail)
	b5Common := decodeGrid(b5Dec, 0xA4, 0xC6, b5Trail)
	b5All := decodeGrid(b5Dec, 0xA4, 0xF9, b5Trail)

	t := cjkTables{
		common:   make(map[rune]bool, len(gbLevel1)+len(b5Common)),
		top:      map[rune]bool{},
		simpOnly: map[rune]bool{},
		tradOnly: map[rune]bool{},
		s2t:      map[rune]rune{},
	}
	for r := range gbLevel1 {
		t.common[r] = true
	}
	for r := range b5Common {
		t.common[r] = true
	}
	for r := range gbAll {
		if !b5All[r] {
			t.simpOnly[r] = true
		}
	}
	for r := range b5All {
		if !gbAll[r] {
			t.tradOnly[r] = true
		}
	}
	for _, pair := range strings.Fields(sTPairs) {
		rs := []rune(pair)
		if len(rs) == 2 {
			t.s2t[rs[0]] = rs[1]
			// Big5 also encodes some simplified forms as rare or archaic
			// characters (听, 无, 与, 体); in running text they are
			// simplified, so the pair list adds them.
			if !strings.ContainsRune(sharedForms, rs[0]) {
				t.simpOnly[rs[0]] = true
			}
		}
	}
	for _, r := range topSimplified {
		t.top[r] = true
		if tr, ok := t.s2t[r]; ok {
			t.top[tr] = true
		}
	}
	tables = t
}
