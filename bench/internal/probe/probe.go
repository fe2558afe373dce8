// Package probe reads what the benchmarks of the bench module measure
// outside Go: the report of the load generator wrk (4.1), and a
// process's CPU time from /proc.
package probe

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// WrkReport is what ParseWrk reads from wrk's report.
type WrkReport struct {
	// Rate is the requests answered a second.
	Rate float64
	// P50 and P99 are the latencies of wrk --latency's distribution,
	// which wrk corrects for coordinated omission; Latency reports
	// whether the report had them.
	P50, P99 time.Duration
	Latency  bool
}

var (
	wrkRate    = regexp.MustCompile(`(?m)^Requests/sec:\s+(\S+)$`)
	wrkLatency = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s|m) *$`) // wrk pads "s" and "m" with a space
	wrkFailure = regexp.MustCompile(`(?m)^\s*((?:Socket errors|Non-2xx or 3xx responses): .*)$`)
)

// ParseWrk reads wrk's report. Answers that were not 2xx or 3xx and
// socket errors, which wrk counts without failing, are errors, each named.
func ParseWrk(out string) (WrkReport, error) {
	var r WrkReport
	if failures := wrkFailure.FindAllStringSubmatch(out, -1); failures != nil {
		var errs []error
		for _, f := range failures {
			errs = append(errs, errors.New("wrk: "+f[1]))
		}
		return r, errors.Join(errs...)
	}
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("wrk reported no Requests/sec")
	}
	rate, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return r, fmt.Errorf("wrk's Requests/sec: %w", err)
	}
	r.Rate = rate
	var seen50, seen99 bool
	for _, m := range wrkLatency.FindAllStringSubmatch(out, -1) {
		unit := m[3]
		if unit == "us" {
			unit = "µs" // time.ParseDuration's spelling; ms, s and m are the same
		}
		d, err := time.ParseDuration(m[2] + unit)
		if err != nil {
			return r, fmt.Errorf("wrk's %s%% latency: %w", m[1], err)
		}
		if m[1] == "50" {
			r.P50, seen50 = d, true
		} else {
			r.P99, seen99 = d, true
		}
	}
	if seen50 != seen99 {
		return r, errors.New("wrk reported one of the 50% and 99% latencies only")
	}
	r.Latency = seen50
	return r, nil
}

// CPUTime returns the CPU time the process pid has used so far, user and
// system, from /proc/PID/stat (Linux).
func CPUTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The fields after the command's name, which is in parentheses and
	// may hold spaces: utime and stime are the 12th and 13th, in clock
	// ticks (USER_HZ, 100 on Linux).
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, b)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, b)
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return time.Duration(user+sys) * 10 * time.Millisecond, nil
}
