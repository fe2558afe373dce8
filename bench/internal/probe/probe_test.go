package probe

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// head is the start of a report wrk 4.1 printed for 10 MiB objects; the
// cases below end it with lines wrk printed in other runs.
const head = "Running 1s test @ http://127.0.0.1:9100/bench/10MiB\n  1 threads and 8 connections\n" +
	"  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency    85.97ms  157.73ms 864.33ms   89.27%\n" +
	"    Req/Sec   167.80     15.57   192.00     60.00%\n"

func TestParseWrk(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, out string
		want      WrkReport
		err       string
	}{
		{"milliseconds", head + "  Latency Distribution\n     50%   28.56ms\n     75%   41.13ms\n     90%  272.68ms\n     99%  765.85ms\n" +
			"  173 requests in 1.03s, 1.72GB read\nRequests/sec:    167.30\nTransfer/sec:      1.66GB\n",
			WrkReport{167.30, 28560 * time.Microsecond, 765850 * time.Microsecond, true}, ""},
		{"microseconds, seconds and minutes", head + "  Latency Distribution\n     50%    0.00us\n     75%  270.00us\n     90%    2.86s \n     99%    1.02m \n" +
			"  46560 requests in 1.10s, 24.69MB read\nRequests/sec:  42333.85\nTransfer/sec:     22.45MB\n",
			WrkReport{42333.85, 0, 61200 * time.Millisecond, true}, ""},
		{"no distribution", head + "  173 requests in 1.03s, 1.72GB read\nRequests/sec:    167.30\n", WrkReport{Rate: 167.30}, ""},
		{"failed answers", head + "  46560 requests in 1.10s, 24.69MB read\n  Non-2xx or 3xx responses: 46560\nRequests/sec:  42333.85\n",
			WrkReport{}, "wrk: Non-2xx or 3xx responses: 46560"},
		{"socket errors and failed answers", head + "  975 requests in 5.07s, 9.76GB read\n  Socket errors: connect 0, read 0, write 0, timeout 46\n" +
			"  Non-2xx or 3xx responses: 3\nRequests/sec:    192.20\n",
			WrkReport{}, "wrk: Socket errors: connect 0, read 0, write 0, timeout 46\nwrk: Non-2xx or 3xx responses: 3"},
		{"no rate", head, WrkReport{}, "wrk reported no Requests/sec"},
		{"a rate that is no number", head + "Requests/sec:    1.6.3\n", WrkReport{}, `wrk's Requests/sec: strconv.ParseFloat: parsing "1.6.3": invalid syntax`},
		{"one latency", head + "  Latency Distribution\n     50%   28.56ms\nRequests/sec:    167.30\n", WrkReport{}, "wrk reported one of the 50% and 99% latencies only"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseWrk(c.out)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Errorf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

// TestCPUTime burns CPU in this process and compares CPUTime with what
// getrusage(2) says the process has used.
func TestCPUTime(t *testing.T) {
	before, err := CPUTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		for i := 0; i < 1e6; i++ {
			_ = strings.Repeat("x", i%3)
		}
		if now, _ := CPUTime(os.Getpid()); now-before >= 100*time.Millisecond {
			break
		}
	}
	got, err := CPUTime(os.Getpid())
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	want := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if err != nil || got-before < 100*time.Millisecond || got > want+20*time.Millisecond || got < want-50*time.Millisecond {
		t.Errorf("CPUTime %v (%v before), %v; getrusage %v", got, before, err, want)
	}
	if _, err := CPUTime(-1); err == nil {
		t.Error("CPUTime of no process: no error")
	}
}
