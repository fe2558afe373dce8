package s3proxy_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3proxy"
)

// deleteBudget is the proxy's budget of DeleteObjects bodies it holds at
// once, as documented in package s3proxy's doc: 64 MiB.
const deleteBudget = 64 << 20

// pausedDelete opens a connection to addr and sends a DeleteObjects
// announcing a body of length bytes, then head of that body, and leaves
// the rest unsent. With expect, it waits for the proxy's 100 Continue,
// which net/http sends as the proxy starts to read the body: the proxy
// has taken its share of the budget by then.
func pausedDelete(t *testing.T, addr string, length int, head []byte, expect bool) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	req := fmt.Sprintf("POST /anybucket?delete HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", addr, length)
	if expect {
		req += "Expect: 100-continue\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	if expect {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("waiting for 100 Continue: %v", err)
		}
		if res.StatusCode != http.StatusContinue {
			t.Fatalf("first answer %d, want 100 Continue", res.StatusCode)
		}
		c.SetReadDeadline(time.Time{})
	}
	if len(head) > 0 {
		go c.Write(head) // may block on a proxy that stopped reading
	}
	return c, br
}

// readAnswer reads the answer on c within wait; nil when none came.
func readAnswer(c net.Conn, br *bufio.Reader, wait time.Duration) (*http.Response, string) {
	c.SetReadDeadline(time.Now().Add(wait))
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		return nil, ""
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// TestDeleteObjectsBodyBudget checks that the DeleteObjects bodies the
// proxy holds to read their keys share one budget: with it spent by
// bodies announced but not sent, another DeleteObjects, with a
// Content-Length or chunked, gets S3's 503 SlowDown at once, before its
// body is read; a body that ends gives its share back.
func TestDeleteObjectsBodyBudget(t *testing.T) {
	t.Parallel()
	rec := &deleteRecorder{}
	up := httptest.NewServer(rec)
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	addr := strings.TrimPrefix(front.URL, "http://")
	const share = deleteBudget / 16
	var held []net.Conn
	for range 16 {
		c, _ := pausedDelete(t, addr, share, nil, true)
		held = append(held, c)
	}
	body := deleteDoc("k")
	for _, tc := range []struct {
		name string
		req  string
	}{
		{"content-length", "Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body},
		{"chunked", fmt.Sprintf("Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(body), body)},
	} {
		// One at a time: the held requests' budget is given back after
		// them.
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, "POST /anybucket?delete HTTP/1.1\r\nHost: "+addr+"\r\n"+tc.req)
			res, got := readAnswer(c, bufio.NewReader(c), 10*time.Second)
			if res == nil {
				t.Fatal("no answer with the budget spent")
			}
			if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(got, "<Code>SlowDown</Code>") ||
				!strings.Contains(got, "<Message>Please reduce your request rate.</Message>") {
				t.Errorf("with the budget spent: %d %s, want 503 SlowDown", res.StatusCode, got)
			}
		})
	}
	if bodies, _ := rec.take(); len(bodies) != 0 {
		t.Errorf("the upstream got %q, want nothing", bodies)
	}
	// A client that leaves ends its request, which gives its share back.
	held[0].Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := do(t, http.MethodPost, front.URL+"/anybucket?delete", []byte(body))
		if res.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a held body ended: %d %s, want the upstream's 200", res.StatusCode, res.body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDeleteObjectsBodyMemory sends DeleteObjects of just under 8 MiB
// from many clients, each pausing before its last bytes: the proxy
// holds at most its budget of them, and answers the others SlowDown at
// once, so that the heap grows by the budget, not by the clients.
// Without the budget, 24 such clients held 192 MiB.
//
// Not parallel: it measures the heap.
func TestDeleteObjectsBodyMemory(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	addr := strings.TrimPrefix(front.URL, "http://")
	const n = 24
	const length = 8<<20 - 16
	const fit = deleteBudget / length // 8, 128 bytes short of the budget
	head := []byte("<Delete><Object><Key>" + strings.Repeat("k", length-100))
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	type conn struct {
		c  net.Conn
		br *bufio.Reader
	}
	var conns []conn
	for range n {
		c, br := pausedDelete(t, addr, length, head, false)
		conns = append(conns, conn{c, br})
	}
	// The held bodies are answered only past ClientTimeout (a minute):
	// wait for the others, however slow the machine, then look.
	answers := make(chan bool, n) // whether it was SlowDown
	for _, c := range conns {
		go func() {
			res, body := readAnswer(c.c, c.br, time.Minute)
			if res != nil {
				answers <- res.StatusCode == http.StatusServiceUnavailable && strings.Contains(body, "<Code>SlowDown</Code>")
			}
		}()
	}
	slowDown, other := 0, 0
	timeout := time.After(30 * time.Second)
wait:
	for slowDown+other < n-fit {
		select {
		case ok := <-answers:
			if ok {
				slowDown++
			} else {
				other++
			}
		case <-timeout:
			break wait
		}
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("%d paused DeleteObjects: %d answered SlowDown, heap in use %d MiB -> %d MiB (%+d MiB)", n, slowDown,
		before.HeapInuse>>20, after.HeapInuse>>20, grown>>20)
	time.Sleep(100 * time.Millisecond) // an answer to a held one would be a bug
	for len(answers) > 0 {
		if <-answers {
			slowDown++
		} else {
			other++
		}
	}
	if slowDown != n-fit || other != 0 {
		t.Errorf("%d answered SlowDown and %d otherwise, want %d SlowDown (%d fit in the budget)", slowDown, other, n-fit, fit)
	}
	// The budget, plus room for the rest: far from the 192 MiB of 24.
	if grown > 2*deleteBudget {
		t.Errorf("the heap grew by %d MiB, want at most twice the budget (%d MiB)", grown>>20, 2*deleteBudget>>20)
	}
}

// TestDeleteObjectsBodyDeadline checks that a DeleteObjects body must
// come whole within ClientTimeout: a client that sends a byte at a time,
// each pause well within the bound, gets S3's 400 RequestTimeout once
// the bound has passed, rather than hold its share of the budget for as
// long as it likes.
func TestDeleteObjectsBodyDeadline(t *testing.T) {
	t.Parallel()
	rec := &deleteRecorder{}
	up := httptest.NewServer(rec)
	t.Cleanup(up.Close)
	const bound = time.Second
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ClientTimeout: bound})
	addr := strings.TrimPrefix(front.URL, "http://")
	body := deleteDoc("k")
	start := time.Now() // before the proxy can have started its bound
	c, br := pausedDelete(t, addr, len(body), nil, false)
	go func() {
		for i := range len(body) {
			if _, err := c.Write([]byte{body[i]}); err != nil {
				return
			}
			time.Sleep(bound / 5)
		}
	}()
	res, got := readAnswer(c, br, time.Duration(len(body))*bound/10)
	if res == nil {
		t.Fatalf("no answer in %v to a body sent a byte every %v", time.Since(start), bound/5)
	}
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(got, "<Code>RequestTimeout</Code>") {
		t.Errorf("body sent a byte every %v: %d %s, want 400 RequestTimeout", bound/5, res.StatusCode, got)
	}
	if took := time.Since(start); took < bound {
		t.Errorf("answered after %v, before the bound of %v", took, bound)
	}
	if bodies, _ := rec.take(); len(bodies) != 0 {
		t.Errorf("the upstream got %q, want nothing", bodies)
	}
}

// TestDeleteObjectsShapeCostsLittle sends DeleteObjects bodies built to
// cost a decoder memory: nested a million deep, or with 400,000
// attributes on one element. The proxy reads them before any signature,
// to check their keys; it refuses them as MalformedXML for a small
// multiple of their size, where encoding/xml's reading cost 26 to 36
// times it, and passed them on (eight at once held 1.46 GB).
//
// Not parallel: it measures what the process allocates.
func TestDeleteObjectsShapeCostsLittle(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	var attrs strings.Builder
	for i := range 400_000 {
		attrs.WriteString(" a" + strconv.Itoa(i) + `=""`)
	}
	for name, body := range map[string]string{
		"nested":     "<Delete>" + strings.Repeat("<a>", 1_000_000) + strings.Repeat("</a>", 1_000_000) + "</Delete>",
		"attributes": "<Delete><Object" + attrs.String() + "><Key>k</Key></Object></Delete>",
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		res, err := http.Post(front.URL+"/photos?delete", "application/xml", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		runtime.ReadMemStats(&after)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(answer), "<Code>MalformedXML</Code>") {
			t.Errorf("%s: %s %s, want 400 MalformedXML", name, res.Status, answer)
		}
		// The body is read into a buffer that doubles up to its size:
		// twice it, and the client's copy, bound what is fair.
		if cost := after.TotalAlloc - before.TotalAlloc; cost > 4*uint64(len(body)) {
			t.Errorf("%s: a body of %d bytes cost %d MiB", name, len(body), cost>>20)
		}
	}
}

// TestUnreadBodyBounded sends requests that declare a body of 1,000
// bytes and send 2, then wait: net/http reads what a handler left of a
// small body before it sends the answer, so without a read deadline the
// answer never came and the connection was held for good. Each is
// answered within ClientTimeout: requests the proxy answers itself (a
// preflight, GetBucketCors, the config bucket), and one the upstream
// answers without reading its body.
func TestUnreadBodyBounded(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			w.WriteHeader(http.StatusForbidden) // the body left unread
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<Error><Code>NoSuchBucket</Code></Error>")
	}))
	t.Cleanup(up.Close)
	const bound = 500 * time.Millisecond
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ClientTimeout: bound})
	addr := strings.TrimPrefix(front.URL, "http://")
	for _, tc := range []struct {
		name, head string
		status     int
	}{
		{"preflight", "OPTIONS /photos/k HTTP/1.1\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: GET\r\n", http.StatusForbidden},
		{"GetBucketCors", "GET /photos?cors HTTP/1.1\r\n", http.StatusNotFound},
		{"config bucket", "GET /s3cors-config/photos/cors.xml HTTP/1.1\r\n", http.StatusForbidden},
		// The client's pause past ClientTimeout ends the request.
		{"passed through", "PUT /photos/k HTTP/1.1\r\n", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, tc.head+"Host: "+addr+"\r\nContent-Length: 1000\r\n\r\nab"); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			res, _ := readAnswer(c, bufio.NewReader(c), bound+5*time.Second)
			switch {
			case res == nil:
				t.Fatalf("no answer in %v", time.Since(start))
			case res.StatusCode != tc.status:
				t.Errorf("%s, want %d", res.Status, tc.status)
			}
		})
	}
}
