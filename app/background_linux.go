package app

import "syscall"

// backgroundNice is how much background work's threads lower their
// priority: at nice 10 against 0, about a tenth of the CPU when the
// window's threads want it too, all of it when they do not.
const backgroundNice = 10

// yieldToWindow lowers the calling thread's priority by backgroundNice.
// On Linux a thread's nice value is its own (setpriority with its thread
// ID); the raw getpriority result is 20 minus the nice value.
func yieldToWindow() {
	tid := syscall.Gettid()
	raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-raw+backgroundNice, 19))
}
