package suggest

import (
	"strings"
	"testing"
)

func texts(sp []Span) []string {
	var out []string
	for _, s := range sp {
		out = append(out, s.Text)
	}
	return out
}

// checkOffsets verifies that every span's Text is exactly the code points
// [Start, End) of the input.
func checkOffsets(t *testing.T, in string, sp []Span) {
	t.Helper()
	r := []rune(in)
	for _, s := range sp {
		if s.Start < 0 || s.End > len(r) || s.Start >= s.End || string(r[s.Start:s.End]) != s.Text {
			t.Errorf("span %d..%d %q does not match the text there", s.Start, s.End, s.Text)
		}
	}
}

func TestSentencesEnglish(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Mr. Smith met Dr. Jones in the U.S. on Monday. They talked.",
			[]string{"Mr. Smith met Dr. Jones in the U.S. on Monday.", "They talked."}},
		{"Growth was 2.4 percent. Prices rose.", []string{"Growth was 2.4 percent.", "Prices rose."}},
		{"See No. 5 for details. It is short.", []string{"See No. 5 for details.", "It is short."}},
		{"John F. Kennedy spoke. Then he left.", []string{"John F. Kennedy spoke.", "Then he left."}},
		{"He lives in the U.S. The talks went on.", []string{"He lives in the U.S.", "The talks went on."}},
		{"The U.S. government agreed.", []string{"The U.S. government agreed."}},
		{"Wait... what happened? Nobody knows!", []string{"Wait... what happened?", "Nobody knows!"}},
		{"It ended... Then silence.", []string{"It ended...", "Then silence."}},
		{`He said "It's a process." Then he left.`, []string{`He said "It's a process."`, "Then he left."}},
		{"Talks (held in Vienna. Really.) went well. Next.", []string{"Talks (held in Vienna. Really.) went well.", "Next."}},
		{"Heading\nBody text here. More text", []string{"Heading", "Body text here.", "More text"}},
		{"Prices rose 5 p.m. yesterday. Fine.", []string{"Prices rose 5 p.m. yesterday.", "Fine."}},
		{"Is it? Yes!! Done.", []string{"Is it?", "Yes!!", "Done."}},
		{"Arrests hit 37,000 in 2023. Officials agreed.", []string{"Arrests hit 37,000 in 2023.", "Officials agreed."}},
		{"  \n  ---  \n", nil},
	}
	for _, c := range cases {
		got := Sentences(c.in)
		checkOffsets(t, c.in, got)
		if strings.Join(texts(got), "|") != strings.Join(c.want, "|") {
			t.Errorf("Sentences(%q)\n got  %q\n want %q", c.in, texts(got), c.want)
		}
	}
}

func TestSentencesChinese(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"他说:“我们在合作。”然后离开了。", []string{"他说:“我们在合作。”", "然后离开了。"}},
		{"真的吗?是的!好。", []string{"真的吗?", "是的!", "好。"}},
		{"真的吗？是的！好。", []string{"真的吗？", "是的！", "好。"}},
		{"标题\n正文第一句。正文第二句", []string{"标题", "正文第一句。", "正文第二句"}},
		{"他表示(He said. It works.)。下一句。", []string{"他表示(He said. It works.)。", "下一句。"}},
		{"增长了2.4万人。完毕。", []string{"增长了2.4万人。", "完毕。"}},
		{"（注:见下文。）正文。", []string{"（注:见下文。）正文。"}},
		{"混合 English text. 中文句子。", []string{"混合 English text.", "中文句子。"}},
	}
	for _, c := range cases {
		got := Sentences(c.in)
		checkOffsets(t, c.in, got)
		if strings.Join(texts(got), "|") != strings.Join(c.want, "|") {
			t.Errorf("Sentences(%q)\n got  %q\n want %q", c.in, texts(got), c.want)
		}
	}
}

func TestSentencesOutsideBMP(t *testing.T) {
	in := "😀 Emoji first. 𠀀字在此。Then 🎉 more!"
	got := Sentences(in)
	checkOffsets(t, in, got)
	want := []struct {
		start, end int
		text       string
	}{
		{0, 14, "😀 Emoji first."}, {15, 20, "𠀀字在此。"}, {20, 32, "Then 🎉 more!"},
	}
	if len(got) != len(want) {
		t.Fatalf("Sentences = %q, want %d sentences", texts(got), len(want))
	}
	for i, w := range want {
		if got[i].Start != w.start || got[i].End != w.end || got[i].Text != w.text {
			t.Errorf("sentence %d = %d..%d %q, want %d..%d %q", i, got[i].Start, got[i].End, got[i].Text, w.start, w.end, w.text)
		}
	}
}

func TestSentencesNeverHang(t *testing.T) {
	// Unbalanced brackets, lone marks, invalid UTF-8: no panic, offsets right.
	for _, in := range []string{"(((", ")))...", "。。。", "a.b.c.d.", "\xff\xfe bad. ok.", "《未闭合的书名号。后面还有。", strings.Repeat("(", 10000) + "x."} {
		checkOffsets(t, in, Sentences(in))
	}
	// An unclosed bracket does not swallow the rest of the line.
	got := texts(Sentences("《未闭合的书名号。后面还有。"))
	if len(got) != 2 {
		t.Errorf("unclosed bracket: %q, want 2 sentences", got)
	}
}
