package textimport

import (
	"strings"
	"testing"
)

func TestSniffDate(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"published label", "Headline\nPublished: Jul 03, 2024 12:51 PM\nBody mentions March 23, 2024.", "2024-07-03"},
		{"date line", " date 2025-01-28 A spokeswoman said on Monday that talks went on since 2024-12-01.", "2025-01-28"},
		{"sign-off", "Body text about talks on March 3, 2006.\nMore text.\nFinal words.\n\n(China Daily April 5, 2006)\n|", "2006-04-05"},
		{"chinese", "据报道，会议于2024年4月6日举行。", "2024-04-06"},
		{"iso", "Report filed 2024-04-06 by staff.", "2024-04-06"},
		{"mdy", "Washington, April 6, 2024 — Talks continued.", "2024-04-06"},
		{"dmy", "London, 6 April 2024. Talks continued.", "2024-04-06"},
		{"abbrev with dot", "Posted Sept. 27, 2023", "2023-09-27"},
		{"chinese label", "标题\n发布时间：2023-1-9 08:00\n正文提到2022年5月1日。", "2023-01-09"},
		{"full-width digits", "发布时间：２０２４年４月６日", "2024-04-06"},
		{"label beats earlier date", "Talks began on 1 March 2024.\nDate: 12 March 2024", "2024-03-12"},
		{"impossible", "Published: February 30, 2024", ""},
		{"impossible iso", "Published 2024-13-01", ""},
		{"month name day 0", "Published: Jan 0, 2024", ""},
		{"no date", "Officials met yesterday and will meet again next week.", ""},
		{"ambiguous slash unconfirmed", "posted 04/06/2024", ""},
		{"ambiguous slash confirmed", "官网4月6日报道。\n评论 04/06/2024 14:08", "2024-04-06"},
		{"slash day first obvious", "posted 23/06/2024", "2024-06-23"},
		{"weekday resolves year", "In 2023 arrests rose. A spokesman on Monday (May 13) said talks resumed.", "2024-05-13"},
		{"weekday without years", "A spokesman on Monday (May 13) said talks resumed.", ""},
		{"weekday mismatch", "In 2023 arrests rose. On Tuesday (May 13) talks resumed.", "2025-05-13"},
		{"chinese weekday", "2023年数据显示增长。发言人5月13日（星期一）表示。", "2024-05-13"},
	}
	for _, c := range cases {
		if got := SniffDate(c.text); got != c.want {
			t.Errorf("%s: SniffDate = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSniffOutlet(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"byline line", "Headline\nBody text here.\n\nGlobal Times", "Global Times"},
		{"sign-off", "Body.\n(China Daily April 5, 2006)", "China Daily"},
		{"wire dateline", "BEIJING, April 5 (Xinhua) -- Officials met on Tuesday.", "Xinhua"},
		{"source label", "Body text.\nSource: Reuters", "Reuters"},
		{"chinese source", "正文。\n来源：环球时报", "环球时报"},
		{"chinese dateline", "新华社北京4月5日电 两国官员举行会谈。", "新华社"},
		{"traditional", "正文。\n來源：美國之音", "美國之音"},
		{"byline with outlet", "By Jane Doe, Reuters\nBody.", "Reuters"},
		{"photo credit is not self", "Caption text. (Xinhua/Li Wei)\nBody text.", ""},
		{"cited only", "Officials told Reuters on Monday. The Global Times reported it. He spoke to VOA.", ""},
		{"abbreviation gloss", "美国全国广播公司(NBC)官网独家报道。", ""},
		{"AP needs a word boundary", "APEC leaders met.\nAPEC", ""},
		{"self beats cited", "Officials told Reuters on Monday.\n\nGlobal Times", "Global Times"},
	}
	for _, c := range cases {
		if got := SniffOutlet(c.text); got != c.want {
			t.Errorf("%s: SniffOutlet = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSniffLanguage(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"english", "The minister said the talks with their counterparts were productive and would continue.", "en"},
		{"simplified", hansSentences, "zh-Hans"},
		{"traditional", hantSentences, "zh-Hant"},
		{"simplified with english quotes", hansSentences + "(The minister said the talks were productive.)" + hansSentences, "zh-Hans"},
		{"simplified with a traditional comment", strings.Repeat(hansSentences, 3) + "\n那不合法，美國的法院可不是政府能掌控的。", "zh-Hans"},
		{"too short", "OK", ""},
		{"french is not english", "Le ministre a déclaré que les discussions avec ses homologues étaient productives.", ""},
		{"japanese", "政府は会議で国境協力について話し合いました。ありがとうございます。", ""},
		{"only shared characters", "中文中文中文中文中文中文中文中文", ""},
	}
	for _, c := range cases {
		if got := SniffLanguage(c.text); got != c.want {
			t.Errorf("%s: SniffLanguage = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestScriptPairs cross-checks the hand-written simplified/traditional
// pairs against the sets derived from GB2312 and Big5.
func TestScriptPairs(t *testing.T) {
	tb := cjk()
	if len(tb.s2t) < 300 {
		t.Errorf("only %d pairs", len(tb.s2t))
	}
	for s, tr := range tb.s2t {
		// Traditional forms must be missing from GB2312 (derived, not from
		// the pair list); shared pairs like 后/後 are exempt.
		if !strings.ContainsRune(sharedForms, s) && !tb.tradOnly[tr] {
			t.Errorf("%c (traditional of %c) not in the traditional-only set", tr, s)
		}
		if !strings.ContainsRune(sharedForms, s) && !tb.simpOnly[s] {
			t.Errorf("%c (simplified of %c) not in the simplified-only set", s, tr)
		}
	}
	// Shared forms occur in traditional text, so they must mark nothing.
	for _, r := range sharedForms {
		if tb.simpOnly[r] || tb.tradOnly[r] {
			t.Errorf("%c is used in both scripts but marks one", r)
		}
	}
	for _, r := range "国们这说时会来对为发" {
		if !tb.simpOnly[r] {
			t.Errorf("%c not simplified-only", r)
		}
	}
	if len(tb.common) < 5000 || len(tb.simpOnly) < 1500 || len(tb.tradOnly) < 2000 {
		t.Errorf("derived tables too small: common %d, simp %d, trad %d", len(tb.common), len(tb.simpOnly), len(tb.tradOnly))
	}
}

func TestPlainTitle(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"headline then blank", "Talks resume in Vienna\n\nBody text.", "Talks resume in Vienna"},
		{"kicker skipped", "WORLD / ASIA\nTalks resume in Vienna\nPublished: Jan 2, 2024\nBody.", "Talks resume in Vienna"},
		{"sentence is not a title", "Talks resumed in Vienna on Monday.\nBody text.", ""},
		{"run-on paragraph", "Talks resume in Vienna\nBody text continues directly.", ""},
		{"chinese headline", "中美恢复合作\n\n正文。", "中美恢复合作"},
		{"single line", "Just one line", ""},
		{"date line is not a title", "Published: Jul 03, 2024\n\nBody text.", ""},
		{"outlet is not a title", "Global Times\n\nBody text.", ""},
	}
	for _, c := range cases {
		if got := sniffPlainTitle(c.text); got != c.want {
			t.Errorf("%s: title = %q, want %q", c.name, got, c.want)
		}
	}
}
