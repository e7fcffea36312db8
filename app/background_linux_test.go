package app

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// threadNice is the calling thread's nice value (field 19 of its stat).
func threadNice(t *testing.T) int {
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		t.Skip("no /proc/thread-self:", err)
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	n, err := strconv.Atoi(f[16]) // field 19; f[0] is field 3
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Background work runs at a lower priority than the window, and leaves
// the priority of every other thread alone.
func TestBackgroundWorkYieldsToWindow(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := threadNice(t)
	got := make(chan int)
	for range 3 {
		goBackground(func() { got <- threadNice(t) })
		if n := <-got; n != min(before+backgroundNice, 19) {
			t.Fatalf("background work ran at nice %d, want %d", n, min(before+backgroundNice, 19))
		}
	}
	if n := threadNice(t); n != before {
		t.Fatalf("the caller's thread went from nice %d to %d", before, n)
	}
	// A plain goroutine after them gets a thread at the old priority,
	// not one the background work left lowered.
	plain := make(chan int)
	for range 8 {
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			plain <- threadNice(t)
		}()
		if n := <-plain; n != before {
			t.Fatalf("a later goroutine ran at nice %d, want %d", n, before)
		}
	}
}
