//go:build linux

package iac_test

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// timeSpent runs f on a thread of its own and returns the CPU time that
// thread used: f's own work, which other processes on a loaded machine
// do not lengthen as they lengthen its wall-clock time (hcl-override-find
// of TestHostile, 4.5 s of CPU, took 14.5 s with a load average of 23 on
// 2 cores, and 136 s under the race detector). The work of the garbage
// collector's own goroutines is not counted; what f's allocations make
// it do itself is.
func timeSpent(t testing.TB, f func()) (time.Duration, string) {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := threadCPU(t)
	f()
	return threadCPU(t) - before, "CPU time"
}

// threadCPU returns the CPU time, user and system, of the calling thread.
func threadCPU(t testing.TB) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
