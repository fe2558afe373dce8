package s3server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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
