package bench

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

// The inspector's cost: serve's preflight throughput on loopback without
// the inspector, with it and nobody looking, and with a page's live
// stream open, which makes every preflight an event that is recorded and
// streamed. inspector.sh runs the three side by side.

func inspectorServer(tb testing.TB, inspector bool) *s3server.Server {
	srv, err := s3server.New(s3server.Options{InMemory: true, Inspector: inspector})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	if err := srv.CreateBucket("bench", "public-read"); err != nil {
		tb.Fatal(err)
	}
	if err := srv.PutBucketCors("bench", []corsrule.Rule{e2eRule}); err != nil {
		tb.Fatal(err)
	}
	return srv
}

// openStream opens the inspector's live stream at url as a page does and
// counts the events it reads, until the benchmark ends.
func openStream(tb testing.TB, url string) *atomic.Int64 {
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/_s3cors/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("live stream: %s", resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "retry: ") {
		tb.Fatalf("live stream starts with %q", sc.Text())
	}
	events := new(atomic.Int64)
	go func() {
		defer resp.Body.Close()
		for sc.Scan() {
			if bytes.HasPrefix(sc.Bytes(), []byte("id: ")) {
				events.Add(1)
			}
		}
	}()
	return events
}

// BenchmarkInspector sends preflights over loopback from parallel
// keep-alive clients, as BenchmarkEndToEnd does, and reports requests per
// second and the CPU time of the process per request (clients, server
// and, with the stream open, its reader: a figure the machine's other
// load moves less than throughput); with the stream open, also the
// events per second it carried (at most 2,500: it skips the rest, as a
// page would).
func BenchmarkInspector(b *testing.B) {
	for _, mode := range []string{"off", "closed", "open"} {
		b.Run("inspector="+mode, func(b *testing.B) {
			srv := inspectorServer(b, mode != "off")
			b.Cleanup(srv.CloseInspector)
			url := serve(b, srv)
			var events *atomic.Int64
			if mode == "open" {
				events = openStream(b, url)
			}
			cpu := cpuTime()
			preflightLoad(b, url)
			b.StopTimer()
			cpu = cpuTime() - cpu
			seconds := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N)/seconds, "req/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
			if events != nil {
				b.ReportMetric(float64(events.Load())/seconds, "events/s")
			}
		})
	}
}

// TestInspectorStreamsPreflights checks what the benchmark measures: with
// the stream open, each preflight is an event on it.
func TestInspectorStreamsPreflights(t *testing.T) {
	srv := inspectorServer(t, true)
	t.Cleanup(srv.CloseInspector)
	url := serve(t, srv)
	events := openStream(t, url)
	for range 3 {
		resp, err := http.DefaultClient.Do(preflight(url))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for events.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := events.Load(); n != 3 {
		t.Errorf("%d events on the stream after 3 preflights, want 3", n)
	}
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
