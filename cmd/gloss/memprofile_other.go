//go:build !unix

package main

// heapProfileOnSignal: there is no SIGUSR1 to ask for the profile.
func heapProfileOnSignal(string) {}
