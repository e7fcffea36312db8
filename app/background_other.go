//go:build !linux

package app

// yieldToWindow does nothing where a thread's priority is not its own to
// lower this way.
func yieldToWindow() {}
