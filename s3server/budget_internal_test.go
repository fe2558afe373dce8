package s3server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBodyDeadline sends a DeleteObjects that declares 100 bytes and
// sends them a byte every 100 ms: however short its pauses, a body held
// in the budget of bodies must come whole within the server's deadline
// (a minute, shortened here to half a second), else S3's 400
// RequestTimeout, and its share of the budget is given back. Without
// the deadline a client sending a byte now and then kept its share as
// long as it liked, and eight of them refused everyone's DeleteObjects
// with SlowDown for minutes.
func TestBodyDeadline(t *testing.T) {
	t.Parallel()
	s, err := New(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	s.bodyDeadline = 500 * time.Millisecond
	srv := httptest.NewServer(s)
	defer srv.Close()
	req, _ := http.NewRequest("PUT", srv.URL+"/slow", nil)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("CreateBucket: %v %v", res, err)
	}
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /slow?delete HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\n\r\n")
	done := make(chan struct{})
	defer close(done)
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for range 100 {
			select {
			case <-done:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "<Code>RequestTimeout</Code>") {
		t.Errorf("a body trickling past the deadline: %s %s, want 400 RequestTimeout", res.Status, body)
	}
	for deadline := time.Now().Add(10 * time.Second); s.bodies.Held() != 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if held := s.bodies.Held(); held != 0 {
		t.Errorf("the budget holds %d bytes once the request is over", held)
	}
}

// TestBodyDeadlineEndsWithBody completes a multipart upload whose
// joining outlasts the body deadline (shortened to 300 ms; the storage
// pauses 800 ms at its first change): the deadline bounds the body, not
// what the server does once it has it, so the upload completes. The
// deadline left in place on the connection once the body was read made
// net/http's read for the client's close fail and cancel the request's
// context, and the completion with it.
func TestBodyDeadlineEndsWithBody(t *testing.T) {
	t.Parallel()
	fs := newFaultServer(t, t.TempDir())
	fs.s.bodyDeadline = 300 * time.Millisecond
	if r := fs.do("PUT", "/late", nil); r.status != 200 {
		t.Fatalf("CreateBucket: %d %s", r.status, r.body)
	}
	id, complete := fs.uploadOnePart(t, "/late/k", "joined late")
	var paused atomic.Bool
	fs.fail(func(string) error {
		if paused.CompareAndSwap(false, true) {
			time.Sleep(800 * time.Millisecond)
		}
		return nil
	})
	if r := fs.do("POST", "/late/k?uploadId="+id, complete); r.status != 200 {
		t.Errorf("CompleteMultipartUpload outlasting the body deadline: %d %s", r.status, r.body)
	}
	fs.fail(nil)
	if r := fs.do("GET", "/late/k", nil); r.status != 200 || r.body != "joined late" {
		t.Errorf("the object: %d %s", r.status, r.body)
	}
}
