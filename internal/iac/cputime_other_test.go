//go:build !linux

package iac_test

import (
	"testing"
	"time"
)

// timeSpent runs f and returns the wall-clock time it took: only Linux
// reports a thread's CPU time through the syscall package.
func timeSpent(_ testing.TB, f func()) (time.Duration, string) {
	start := time.Now()
	f()
	return time.Since(start), "wall-clock time"
}
