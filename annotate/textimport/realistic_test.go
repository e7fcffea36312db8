package textimport

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Whole-document fixtures in the shapes real imports take, written for
// these tests.

func TestWireStoryGBK(t *testing.T) {
	story := "两国执法部门加强遣返合作\r\n" +
		"2025年01月05日 10:30　来源：新华网\r\n\r\n" +
		"新华社北京1月5日电 记者从有关部门获悉，两国执法部门近日就非法移民遣返问题举行会谈。\r\n\r\n" +
		"双方表示，将在相互尊重的基础上继续开展务实合作。据路透社此前报道，美方希望加快遣返进程。\r\n"
	r := mustDecode(t, "wire.txt", mustEncode(t, simplifiedchinese.GBK, story))
	want := Result{
		Format: "text", Encoding: "GB18030", Title: "两国执法部门加强遣返合作",
		Outlet: "新华社", Published: "2025-01-05", Language: "zh-Hans",
	}
	r.Text = ""
	if r != want {
		t.Errorf("got  %+v\nwant %+v", r, want)
	}
}

func TestTraditionalForumBig5(t *testing.T) {
	post := "兩岸交流座談會今日舉行\n\n" +
		"發佈時間：2024/03/18\n\n" +
		"與會者表示，雙方應該加強溝通，避免誤解。報導指出，這是今年第一次類似的會議。\n\n" +
		"（中央社）"
	r := mustDecode(t, "forum.txt", mustEncode(t, traditionalchinese.Big5, post))
	if r.Encoding != "Big5" || r.Language != "zh-Hant" || r.Published != "2024-03-18" || r.Outlet != "中央社" || r.Title != "兩岸交流座談會今日舉行" {
		t.Errorf("got %+v", r)
	}
}

func TestNewsPageHTML(t *testing.T) {
	page := `<!doctype html><html lang="en-US"><head>
<meta name="viewport" content="width=device-width">
<title>Officials meet on returns - Example Daily</title></head>
<body>
<header class="site"><div class="logo">Example Daily</div><a href="/subscribe">Subscribe</a></header>
<main><article>
<header><h1>Officials meet on returns</h1>
<p class="byline">By Ann Writer | <time datetime="2024-06-02T08:00:00+08:00">June 2, 2024</time></p></header>
<figure><img src="a.jpg" alt=""><figcaption>Delegates arrive. (Example/Photographer)</figcaption></figure>
<p>Officials from both countries met on Saturday to discuss <a href="/x">repatriation</a> flights,
   the ministry said.</p>
<p>“We expect progress,” a spokesman said.<sup>1</sup></p>
<div class="share"><button>Share</button></div>
<table><tr><th>Year</th><th>Flights</th></tr><tr><td>2023</td><td>0</td></tr></table>
</article>
<aside><h2>Most read</h2><ul><li>Unrelated story</li></ul></aside></main>
<footer>© Example Daily</footer>
<script type="application/ld+json">{"@type":"NewsArticle"}</script>
</body></html>`
	r := mustDecode(t, "story.html", []byte(page))
	want := "Officials meet on returns\n\n" +
		"By Ann Writer | June 2, 2024\n\n" +
		"Delegates arrive. (Example/Photographer)\n\n" +
		"Officials from both countries met on Saturday to discuss repatriation flights, the ministry said.\n\n" +
		"“We expect progress,” a spokesman said.1\n\n" +
		"Year\tFlights\n\n2023\t0"
	if r.Text != want {
		t.Errorf("Text =\n%q\nwant\n%q", r.Text, want)
	}
	if r.Title != "Officials meet on returns" || r.Published != "2024-06-02" || r.Language != "en" {
		t.Errorf("meta %+v", r)
	}
	for _, chrome := range []string{"Subscribe", "Most read", "Unrelated", "NewsArticle", "Share"} {
		if strings.Contains(r.Text, chrome) {
			t.Errorf("chrome %q leaked", chrome)
		}
	}
}
