//go:build !unix

package report

import "time"

// cpuTime is not measured here; the benchmark's cpu-ns/source reads 0.
func cpuTime() time.Duration { return 0 }
