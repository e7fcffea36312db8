package app

import "runtime"

// goBackground runs long work (an import, a merge, a save, an export, the
// read of a large project's annotations) on a goroutine of its own, on an
// OS thread that yields to the window where the system allows it. On two
// cores with a software renderer, work at the window's priority took the
// CPU from the renderer's threads: drawing one frame (glfwSwapBuffers)
// took 75–230 ms during a 10,000-source merge, and the window froze that
// long each time. A lower priority cannot be raised again by an
// unprivileged process, so the thread is not handed back: the goroutine
// ends locked to it and the runtime retires the thread with it.
func goBackground(work func()) {
	go func() {
		runtime.LockOSThread() // not unlocked: see above
		yieldToWindow()
		work()
	}()
}
