package overlap

import "testing"

func TestSimilarity(t *testing.T) {
	cases := []struct {
		a, b   string
		lo, hi float64
	}{
		// A translation (written for this test).
		{"The transport ministry said the new ferry line will open in March.", "交通部表示,新的渡轮航线将于三月开通。", 0.5, 1},
		// Same topic, different statement.
		{"Fishermen doubt the ferry will run before summer.", "交通部表示,新的渡轮航线将于三月开通。", 0, 0.4},
		// Unrelated.
		{"Farmers reported a poor harvest.", "交通部表示,新的渡轮航线将于三月开通。", 0, 0.15},
		// Nationals and citizens, Chinese and China, US and 美国 meet.
		{"Chinese nationals deported by the US", "美国驱逐的中国公民", 0.6, 1},
		{"", "anything", 0, 0},
	}
	for _, c := range cases {
		if s := Similarity(c.a, c.b); s < c.lo || s > c.hi {
			t.Errorf("Similarity(%q, %q) = %.2f; want %.2f–%.2f", c.a, c.b, s, c.lo, c.hi)
		}
		if s, r := Similarity(c.a, c.b), Similarity(c.b, c.a); s != r {
			t.Errorf("not symmetric: %.3f vs %.3f", s, r)
		}
	}
}
