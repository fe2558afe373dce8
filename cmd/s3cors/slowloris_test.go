package main

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeHTTPLimits checks the limits "s3cors serve" gives its HTTP
// server: every timeout set, and a header limit.
func TestServeHTTPLimits(t *testing.T) {
	t.Parallel()
	hs := newHTTPServer(http.NotFoundHandler(), serveLimits, slog.New(slog.DiscardHandler))
	for name, got := range map[string]time.Duration{
		"ReadHeaderTimeout": hs.ReadHeaderTimeout, "ReadTimeout": hs.ReadTimeout,
		"WriteTimeout": hs.WriteTimeout, "IdleTimeout": hs.IdleTimeout,
	} {
		want := map[string]time.Duration{"ReadHeaderTimeout": 10 * time.Second, "ReadTimeout": 5 * time.Minute,
			"WriteTimeout": 5 * time.Minute, "IdleTimeout": 2 * time.Minute}[name]
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if hs.MaxHeaderBytes != 16<<10 {
		t.Errorf("MaxHeaderBytes = %d, want 16 KiB", hs.MaxHeaderBytes)
	}
	if hs.ErrorLog == nil {
		t.Error("no ErrorLog: net/http's complaints would go to the standard logger")
	}
}

// TestSlowloris opens hundreds of connections that trickle their
// headers a byte at a time, and checks that a normal client is served
// all along and that each slow connection is closed once the header
// timeout has passed.
func TestSlowloris(t *testing.T) {
	t.Parallel()
	const readHeader = time.Second
	// Short timeouts, so that a slow client is cut off in a second rather
	// than minutes.
	limits := httpLimits{readHeader: readHeader, read: 5 * time.Second, write: 5 * time.Second, idle: 5 * time.Second, maxHeaderBytes: serveMaxHeaderBytes}
	s, stop := startLimited(t, limits, "--addr", "127.0.0.1:0", "--in-memory", "--example")
	defer stop()
	addr := strings.TrimPrefix(s.url, "http://")

	const slow = 200
	start := time.Now()
	closedAfter := make([]time.Duration, slow)
	var wg sync.WaitGroup
	for i := range slow {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		io.WriteString(conn, "GET /example?cors HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
		done := make(chan struct{})
		wg.Go(func() { // trickles a byte every 100 ms
			for {
				select {
				case <-done:
					return
				case <-time.After(100 * time.Millisecond):
				}
				if _, err := conn.Write([]byte("a")); err != nil {
					return
				}
			}
		})
		wg.Go(func() { // waits for the server to close
			defer close(done)
			b, _ := io.ReadAll(conn)
			closedAfter[i] = time.Since(start)
			if len(b) > 0 {
				t.Errorf("a slow connection got an answer: %q", b)
			}
		})
	}
	// A normal client, on new connections, while the slow ones hold on.
	var served int
	var worst time.Duration
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for time.Since(start) < readHeader+time.Second {
		t0 := time.Now()
		resp, err := client.Get(s.url + "/example?cors")
		if err != nil {
			t.Fatalf("a normal client was not served among %d slow connections: %v", slow, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("a normal client: %s", resp.Status)
		}
		served++
		worst = max(worst, time.Since(t0))
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	slices.Sort(closedAfter)
	t.Logf("%d slow connections closed between %v and %v after they opened (header timeout %v); a normal client was served %d times meanwhile, in at most %v",
		slow, closedAfter[0].Round(time.Millisecond), closedAfter[slow-1].Round(time.Millisecond), readHeader, served, worst.Round(time.Millisecond))
	if closedAfter[0] < readHeader-200*time.Millisecond || closedAfter[slow-1] > readHeader+10*time.Second {
		t.Errorf("slow connections closed between %v and %v, not about %v after they opened", closedAfter[0], closedAfter[slow-1], readHeader)
	}
}

// TestSlowBodyAndIdle checks the other timeouts: a body trickled slower
// than the read timeout allows is cut off and stores nothing; a
// keep-alive connection left idle is closed; a client that does not read
// its answer does not hold the server past the write timeout.
func TestSlowBodyAndIdle(t *testing.T) {
	t.Parallel()
	// The large object the last check reads is stored first, with the
	// usual limits: sending 32 MiB may take longer than the short ones.
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 2<<20)
	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--data", dir, "--example")
	req, _ := http.NewRequest("PUT", s.url+"/example/big", bytes.NewReader(big))
	if resp, err := testClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("PutObject: %v %v", err, resp)
	}
	stop()
	s.wait(t)

	// Timeouts of seconds, not serve's minutes, keep the test short; at
	// 1 s, stalls of a machine loaded with -race tests cut the steady
	// transfers below, which only a paused client is meant to meet.
	const read, write, idle = 2 * time.Second, 2 * time.Second, time.Second
	limits := httpLimits{readHeader: read, read: read, write: write, idle: idle, maxHeaderBytes: serveMaxHeaderBytes}
	s, stop = startLimited(t, limits, "--addr", "127.0.0.1:0", "--data", dir, "--example")
	defer stop()
	addr := strings.TrimPrefix(s.url, "http://")
	dial := func() net.Conn {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		t.Cleanup(func() { conn.Close() })
		return conn
	}

	// A body that pauses longer than the read timeout.
	slowConn := dial()
	start := time.Now()
	io.WriteString(slowConn, "PUT /example/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n")
	io.WriteString(slowConn, strings.Repeat("a", 10)) // then nothing
	answer, _ := io.ReadAll(slowConn)
	took := time.Since(start)
	if took > read+10*time.Second {
		t.Errorf("a paused body held the connection %v", took)
	}
	// S3's answer to a client that pauses: the write deadline is pushed
	// as the answer is written, so that it goes out.
	if !bytes.HasPrefix(answer, []byte("HTTP/1.1 400 ")) || !bytes.Contains(answer, []byte("<Code>RequestTimeout</Code>")) {
		t.Errorf("a paused body got %q, want S3's 400 RequestTimeout", answer)
	}
	t.Logf("a body that paused was cut off after %v (read timeout %v)", took.Round(time.Millisecond), read)
	if resp, _ := get(t, "HEAD", s.url+"/example/slow"); resp.StatusCode != 404 {
		t.Errorf("the paused body was stored: %s (the answer was %q)", resp.Status, answer)
	}

	// A body that takes three read timeouts to arrive, a byte every
	// 100 ms, and an answer read as slowly: the timeouts bound pauses,
	// not transfers, as S3's do.
	steady := dial()
	const steadyLen = 60
	io.WriteString(steady, "PUT /example/steady HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 60\r\n\r\n")
	for range steadyLen {
		if _, err := steady.Write([]byte("s")); err != nil {
			t.Fatalf("a steady body was cut off: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	br := bufio.NewReader(steady)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("a steady body: %v %v", resp, err)
	} else {
		io.Copy(io.Discard, resp.Body)
	}
	io.WriteString(steady, "GET /example/big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	var got int64
	for time.Since(start) < 3*write {
		n, err := io.CopyN(io.Discard, resp.Body, 64<<10)
		got += n
		if err != nil {
			t.Fatalf("an answer read steadily was cut off after %v, at %d of %d bytes: %v", time.Since(start), got, len(big), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if got += n; err != nil || got != int64(len(big)) {
		t.Errorf("an answer read steadily for %v: %d of %d bytes, %v", 3*write, got, len(big), err)
	}

	// An idle keep-alive connection.
	conn := dial()
	io.WriteString(conn, "GET /example?cors HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	br = bufio.NewReader(conn)
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	start = time.Now()
	if rest, _ := io.ReadAll(br); len(rest) != 0 {
		t.Errorf("unexpected bytes on an idle connection: %q", rest)
	}
	if took := time.Since(start); took > idle+10*time.Second {
		t.Errorf("an idle connection was closed after %v, want about %v", took, idle)
	}

	// A client that does not read a 32 MiB answer, until the server has
	// logged it: the sockets hold a few MiB, so the answer ended when the
	// write timeout cut it. A fixed wait of the timeout and a half
	// failed with a load average of 12 on 2 cores: the server's writes
	// began late, its deadline was still ahead when the client began to
	// read, and then the whole answer went out.
	logged := func() int { return strings.Count(s.stderr.String(), " path=/example/big ") }
	before := logged()
	conn = dial()
	io.WriteString(conn, "GET /example/big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	for deadline := time.Now().Add(30 * time.Second); logged() == before; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server did not end an answer no one read within 30 s; its log:\n%s", s.stderr)
		}
	}
	n, _ = io.Copy(io.Discard, conn)
	if n >= int64(len(big)) {
		t.Errorf("the whole answer arrived (%d bytes) although the write timeout had passed", n)
	}
	t.Logf("a client that stopped reading got %d of %d bytes before the write timeout closed the connection", n, len(big))
}

// TestHeaderTooLarge checks serve's header limit: a request whose header
// section is over 16 KiB gets net/http's 431 and nothing else.
func TestHeaderTooLarge(t *testing.T) {
	t.Parallel()
	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--in-memory", "--example")
	defer stop()
	resp, body := get(t, "GET", s.url+"/example?cors", "X-Big", strings.Repeat("b", 20<<10))
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 20 KiB header: %s %s", resp.Status, body)
	}
	resp, _ = get(t, "GET", s.url+"/example?cors", "X-Big", strings.Repeat("b", 8<<10))
	if resp.StatusCode != 200 {
		t.Errorf("an 8 KiB header: %s", resp.Status)
	}
}
