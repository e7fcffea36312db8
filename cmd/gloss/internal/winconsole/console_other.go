//go:build !windows

package winconsole

// Attach does nothing: other systems give every process its terminal.
func Attach() {}
