package main

import (
	"strings"
	"testing"
)

func TestNoDisplayIsOneLine(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	msg := noDisplay("linux", env(nil))
	if msg == "" || strings.Contains(msg, "\n") || !strings.Contains(msg, "DISPLAY") {
		t.Fatalf("no display on Linux: %q", msg)
	}
	for _, tc := range []struct {
		goos string
		env  map[string]string
	}{
		{"linux", map[string]string{"DISPLAY": ":0"}},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}},
		{"windows", nil},
		{"darwin", nil},
	} {
		if msg := noDisplay(tc.goos, env(tc.env)); msg != "" {
			t.Errorf("%s %v: %q", tc.goos, tc.env, msg)
		}
	}
}
