package s3proxy_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3proxy"
)

// jsonLines returns the lines logged in JSON, decoded.
func (b *logBuffer) jsonLines(t *testing.T) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for line := range strings.Lines(b.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		lines = append(lines, m)
	}
	return lines
}

// startLoggedProxy starts a Proxy with opts in front of up, logging in
// JSON to the buffer it returns.
func startLoggedProxy(t *testing.T, opts s3proxy.Options) (*httptest.Server, *s3proxy.Proxy, *logBuffer) {
	t.Helper()
	log := &logBuffer{}
	opts.Logger = slog.New(slog.NewJSONHandler(log, nil))
	front, p := startProxy(t, opts)
	return front, p, log
}

// lineAfter waits for line n+1 of log (from 1) and returns it: the
// line of a request made when log held n.
func lineAfter(t *testing.T, log *logBuffer, n int) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if lines := log.jsonLines(t); len(lines) > n {
			return lines[n]
		}
		if time.Now().After(deadline) {
			t.Fatal("no log line for the request in 10 s")
		}
	}
}

// objectUpstream is an upstream whose objects are /b/SIZE, SIZE random
// bytes, served with ranges; it has no stored configurations. writeErrs
// counts the answers whose connection went away before they were sent
// whole.
type objectUpstream struct {
	*httptest.Server
	mu        sync.Mutex
	writeErrs int
}

func startObjectUpstream(t *testing.T) *objectUpstream {
	u := &objectUpstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		size, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/b/"))
		if err != nil {
			http.NotFound(w, r) // the configuration bucket's objects, and the rest
			return
		}
		w.Header().Set("ETag", `"e"`)
		http.ServeContent(&errCounter{ResponseWriter: w, u: u}, r, "", time.Time{}, bytes.NewReader(object(size)))
	}))
	t.Cleanup(u.Close)
	return u
}

type errCounter struct {
	http.ResponseWriter
	u      *objectUpstream
	failed bool
}

// waitCut waits until the proxy has closed the connection of one
// answer, and no more, before the answer was sent whole.
func (u *objectUpstream) waitCut(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		u.mu.Lock()
		cut := u.writeErrs
		u.mu.Unlock()
		if cut == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d answers of the upstream cut short, want 1: the proxy kept reading one it could not send", cut)
		}
	}
}

func (w *errCounter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	if err != nil && !w.failed {
		w.failed = true
		w.u.mu.Lock()
		w.u.writeErrs++
		w.u.mu.Unlock()
	}
	return n, err
}

// object returns the object of size bytes, the same each time.
func object(size int) []byte {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(size))
	b := make([]byte, size)
	rand.NewChaCha8(seed).Read(b)
	return b
}

// TestAnswerBodies passes answers through the proxy, between real TCP
// connections on both sides, of the sizes the direct transport's buffer
// and httputil.ReverseProxy's copy cut differently: every byte arrives,
// in order, ranges too, and the log counts them.
func TestAnswerBodies(t *testing.T) {
	t.Parallel()
	up := startObjectUpstream(t)
	front, _, log := startLoggedProxy(t, s3proxy.Options{Upstream: up.URL})
	const big = 10<<20 + 3
	for _, c := range []struct {
		name      string
		size      int
		rangeSpec string
		first     int // of the object, the first byte of the answer
		length    int
	}{
		{name: "4 KiB less a byte", size: 4<<10 - 1, length: 4<<10 - 1},
		{name: "64 KiB and a byte", size: 64<<10 + 1, length: 64<<10 + 1},
		{name: "1 MiB and 7 bytes", size: 1<<20 + 7, length: 1<<20 + 7},
		{name: "10 MiB", size: big, length: big},
		{name: "a range", size: big, rangeSpec: "bytes=100-8388707", first: 100, length: 8 << 20},
		{name: "a short range", size: big, rangeSpec: "bytes=5-1000", first: 5, length: 996},
	} {
		// One at a time: the log's last line is the request's.
		t.Run(c.name, func(t *testing.T) {
			logged := len(log.jsonLines(t))
			req, _ := http.NewRequest("GET", front.URL+"/b/"+strconv.Itoa(c.size), nil)
			if c.rangeSpec != "" {
				req.Header.Set("Range", c.rangeSpec)
			}
			resp, err := testClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			want := object(c.size)[c.first : c.first+c.length]
			if !bytes.Equal(body, want) || resp.ContentLength != int64(c.length) {
				t.Fatalf("%d bytes (Content-Length %d), equal %v; want the %d bytes from %d", len(body), resp.ContentLength, bytes.Equal(body, want), c.length, c.first)
			}
			if line := lineAfter(t, log, logged); line["bytes"] != float64(c.length) || line["aborted"] != nil {
				t.Errorf("log line %v; want %d bytes, not aborted", line, c.length)
			}
		})
	}
}

// TestClientLeavesMidAnswer holds a client that leaves halfway through
// a large answer: the answer is logged as aborted, not as the upstream's
// failure, the upstream's connection is closed, the rest of the body not
// read, and the proxy answers the next request.
func TestClientLeavesMidAnswer(t *testing.T) {
	t.Parallel()
	up := startObjectUpstream(t)
	front, _, log := startLoggedProxy(t, s3proxy.Options{Upstream: up.URL})
	const size = 64 << 20 // far more than the sockets hold
	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Get(front.URL + "/b/" + strconv.Itoa(size))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close() // before the end: the connection is closed
	if line := lineAfter(t, log, 0); line["aborted"] != true || line["bytes"].(float64) >= size {
		t.Errorf("log line %v; want aborted, fewer bytes than %d", line, size)
	}
	for _, line := range log.jsonLines(t) {
		if msg, _ := line["msg"].(string); strings.Contains(msg, "read error") {
			t.Errorf("the client's leaving logged as the upstream's failure: %v", line)
		}
	}
	up.waitCut(t)
	resp, err = client.Get(front.URL + "/b/" + strconv.Itoa(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !bytes.Equal(body, object(1<<20)) {
		t.Errorf("the next GET: %d bytes, %v", len(body), err)
	}
}

// TestClientTimeoutOnAnswers holds a client taking a body to
// ClientTimeout for each pause, not for the whole: a
// client that keeps taking gets all of it however long it takes, and one
// that stops has the answer ended, and its upstream's.
func TestClientTimeoutOnAnswers(t *testing.T) {
	t.Parallel()
	// The client's receive buffer is fixed at 1 MiB (the kernel makes it
	// 2 MiB), where Linux would grow it to tcp_rmem's maximum, 32 MiB
	// here: with the proxy's send buffer (tcp_wmem's maximum, 4 MiB) the
	// sockets hold about 6 MiB (the proxy sends 7.3 MB, 1 MiB of it read,
	// before it cuts a client that stopped), and 16 MiB is far more. The
	// test sent 64 MiB, past the 36 MiB the sockets could hold: three
	// hops of it under the race detector took 30 to 50 s a run with a
	// load average of 11 to 13 on 2 cores, during which any stall of a
	// second of the client or the proxy cuts the answer; 16 MiB take
	// 12 s. A buffer of 64 KiB, less than a piece, stalled the answer
	// past the timeout in 3 runs of 10. A client that stops gets a
	// larger answer, which those buffers cannot hold whole: the proxy's
	// receive buffer from the upstream grows too, and with 16 MiB the
	// upstream could write the last byte before the proxy cut it, which
	// it then never saw (3 runs of 15, with 3 busy loops on 2 cores).
	// The two cases run one after the other: the second's 64 MiB would
	// otherwise starve the first's client.
	const size, stoppedSize, clientBuffer = 16 << 20, 64 << 20, 1 << 20
	// The client below pauses 100 ms every 256 KiB, far within the
	// timeout; the timeout is three seconds so that a client goroutine
	// starved by a loaded machine (the race detector, the other
	// packages' tests) does not look like a client that stopped: at 500
	// ms this failed once with a load average of 9 on 2 cores, at a
	// second twice in fresh-clone CI runs (load average 10, the answer
	// cut after 9 and 15 of its 16 MiB). 64 pauses of 100 ms take the
	// client past twice the timeout.
	const timeout, piece, pause = 3 * time.Second, 256 << 10, 100 * time.Millisecond
	start := func(t *testing.T, size int) (*objectUpstream, *logBuffer, *http.Response) {
		up := startObjectUpstream(t)
		front, _, log := startLoggedProxy(t, s3proxy.Options{Upstream: up.URL, ClientTimeout: timeout})
		conn, err := net.Dial("tcp", front.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		if err := conn.(*net.TCPConn).SetReadBuffer(clientBuffer); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET /b/%d HTTP/1.1\r\nHost: %s\r\n\r\n", size, front.Listener.Addr())
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		return up, log, resp
	}
	t.Run("keeps taking", func(t *testing.T) {
		_, log, resp := start(t, size)
		begin := time.Now()
		got := make([]byte, 0, size)
		for buf := make([]byte, piece); len(got) < size; time.Sleep(pause) {
			n, err := io.ReadFull(resp.Body, buf)
			got = append(got, buf[:n]...)
			if err != nil {
				t.Fatalf("after %d bytes in %v: %v", len(got), time.Since(begin), err)
			}
		}
		if !bytes.Equal(got, object(size)) {
			t.Error("the body differs from the object")
		}
		if d := time.Since(begin); d < 2*timeout {
			t.Errorf("the client took %v, not long enough to tell a bound on each pause from one on the whole", d)
		}
		if lines := log.jsonLines(t); len(lines) != 1 || lines[0]["aborted"] != nil {
			t.Errorf("log %v; want one line, not aborted", lines)
		}
	})
	t.Run("stops taking", func(t *testing.T) {
		up, log, resp := start(t, stoppedSize)
		if _, err := io.ReadFull(resp.Body, make([]byte, 1<<20)); err != nil {
			t.Fatal(err)
		}
		line := lineAfter(t, log, 0)
		if line["aborted"] != true || line["bytes"].(float64) >= stoppedSize {
			t.Errorf("log line %v; want aborted, fewer bytes than %d", line, stoppedSize)
		}
		t.Logf("the proxy sent %v bytes before it cut the answer", line["bytes"])
		n, err := io.Copy(io.Discard, resp.Body)
		if err == nil || n+1<<20 >= stoppedSize {
			t.Errorf("the client then read %d more bytes, err %v; want the answer cut short", n, err)
		}
		up.waitCut(t)
	})
}

// TestListBucketsLarge passes ListBuckets answers of every size through
// the proxy from a real upstream, over the direct transport (the other
// ListBuckets tests give a Transport of their own): the config bucket is
// hidden from each.
func TestListBucketsLarge(t *testing.T) {
	t.Parallel()
	cb := s3proxy.DefaultConfigBucket
	for _, buckets := range []int{10, 400, 5000} {
		t.Run(strconv.Itoa(buckets)+" buckets", func(t *testing.T) {
			t.Parallel()
			var names, kept []string
			for i := range buckets {
				name := fmt.Sprintf("bucket-%05d", i)
				if i == buckets*3/4 {
					name = cb
				} else {
					kept = append(kept, name)
				}
				names = append(names, name)
			}
			body := listing(names...)
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/xml")
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				io.WriteString(w, body)
			}))
			t.Cleanup(up.Close)
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
			r := do(t, "GET", front.URL+"/", nil)
			if want := listing(kept...); r.StatusCode != 200 || string(r.body) != want {
				t.Errorf("%d, %d bytes, naming the config bucket: %v; want 200, the %d bytes without it",
					r.StatusCode, len(r.body), strings.Contains(string(r.body), cb), len(want))
			}
		})
	}
}

// rawUpstream serves each request on its connections with answer,
// which writes the answer's bytes as they are, and counts the
// connections it took.
func rawUpstream(t *testing.T, answer func(c net.Conn, r *http.Request)) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns := &atomic.Int64{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					r, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					answer(c, r)
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String(), conns
}

// TestAnswerShapes passes bodies to clients on plain TCP of every kind
// (HTTP/1.0, Connection: close, pipelining), from an upstream that may
// send bytes past the Content-Length: each client gets exactly the body,
// and a connection to the upstream that holds more than the answer is
// not taken for the next request.
func TestAnswerShapes(t *testing.T) {
	t.Parallel()
	const size = 1<<20 + 3
	url, conns := rawUpstream(t, func(c net.Conn, r *http.Request) {
		var b bytes.Buffer
		fmt.Fprintf(&b, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", size)
		if r.Method == "GET" {
			b.Write(object(size))
		}
		if r.URL.Query().Has("extra") {
			b.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nextra")
		}
		c.Write(b.Bytes())
	})
	front, _ := startProxy(t, s3proxy.Options{Upstream: url})
	addr := front.Listener.Addr().String()
	get := func(query, version, header string) string {
		return fmt.Sprintf("GET /b/k%s HTTP/%s\r\nHost: %s\r\n%s\r\n", query, version, addr, header)
	}
	for _, c := range []struct {
		name     string
		requests string
		methods  []string // of the answers, in order
		// conns is how many connections to the upstream they open:
		// the first its one, which the others reuse.
		conns int64
	}{
		{"HTTP/1.0", get("", "1.0", ""), []string{"GET"}, 1},
		{"Connection: close", get("", "1.1", "Connection: close\r\n"), []string{"GET"}, 0},
		{"pipelined", get("", "1.1", "") + get("", "1.1", "") + strings.Replace(get("", "1.1", ""), "GET", "HEAD", 1) +
			get("", "1.1", "Connection: close\r\n"), []string{"GET", "GET", "HEAD", "GET"}, 0},
		// The bytes past the body stay in the upstream's socket: the
		// connection is dropped, not read for the next answer.
		{"bytes past the body", get("?extra", "1.1", "") + get("", "1.1", "") + get("?extra", "1.1", "") +
			get("", "1.1", "Connection: close\r\n"), []string{"GET", "GET", "GET", "GET"}, 2},
	} {
		// One at a time: the upstream's connections are the proxy's.
		t.Run(c.name, func(t *testing.T) {
			before := conns.Load()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(20 * time.Second))
			io.WriteString(conn, c.requests)
			raw, err := io.ReadAll(conn)
			if err != nil {
				t.Fatal(err)
			}
			br := bufio.NewReader(bytes.NewReader(raw))
			for i, method := range c.methods {
				resp, err := http.ReadResponse(br, &http.Request{Method: method})
				if err != nil {
					t.Fatalf("answer %d: %v", i, err)
				}
				body, err := io.ReadAll(resp.Body)
				if want := map[string][]byte{"GET": object(size), "HEAD": {}}[method]; err != nil || resp.StatusCode != 200 || !bytes.Equal(body, want) {
					t.Errorf("answer %d to a %s: %d, %d bytes, equal %v, %v", i, method, resp.StatusCode, len(body), bytes.Equal(body, want), err)
				}
			}
			if br.Buffered() != 0 {
				t.Errorf("%d bytes after the answers", br.Buffered())
			}
			if n := conns.Load() - before; n != c.conns {
				t.Errorf("%d connections to the upstream, want %d", n, c.conns)
			}
		})
	}
}
