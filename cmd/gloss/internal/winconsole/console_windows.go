//go:build windows

// Package winconsole lets the GUI-subsystem gloss.exe print to the console it
// was started from, so `gloss --version` and the CLI work in cmd.exe and
// PowerShell. Elsewhere it does nothing.
package winconsole

import (
	"os"
	"syscall"
)

const attachParentProcess = ^uintptr(0) // (DWORD)-1

// Attach connects stdout and stderr to the parent's console when they are
// not already redirected to a file or pipe.
func Attach() {
	if h, err := syscall.GetStdHandle(syscall.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != syscall.InvalidHandle {
		return // redirected: keep it
	}
	r, _, _ := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole").Call(attachParentProcess)
	if r == 0 {
		return // started from Explorer: no console to attach to
	}
	if con, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = con, con
	}
}
