package app

import "syscall"

// backgroundNice is the nice value of background work's threads: about a
// tenth of the CPU when the window's threads want it too, all of it when
// they do not.
const backgroundNice = 10

// yieldToWindow lowers the calling thread's priority. On Linux a thread's
// nice value is its own (setpriority with its thread ID).
func yieldToWindow() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), backgroundNice)
}
