package s3server_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestBodyBudget holds eight DeleteObjects bodies of 8 MiB, the most one
// may be, unsent past their headers: together they take the server's
// whole budget of 64 MiB for the bodies it holds, so a DeleteObjects or
// CompleteMultipartUpload sent meanwhile gets S3's 503 SlowDown, which
// the SDKs retry, rather than more memory. Once the held clients go,
// the same requests are answered. Before the budget, a server held as
// many bodies as clients could connect.
func TestBodyBudget(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/budget", nil), 200)
	mustStatus(t, ts.do("PUT", "/budget/k", []byte("k")), 200)
	id := createUpload(t, ts, "/budget/big")
	etag := putPart(t, ts, "/budget/big", id, 1, []byte("part"))

	var held []net.Conn
	for range 8 {
		c, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// Content-MD5 is checked once the body is in, never here.
		fmt.Fprintf(c, "POST /budget?delete HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\nExpect: 100-continue\r\n\r\n", 8<<20)
		// net/http answers 100 Continue as the handler starts to read the
		// body, after it has taken its share.
		c.SetReadDeadline(time.Now().Add(exchangeTimeout))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || res.StatusCode != http.StatusContinue {
			t.Fatalf("held DeleteObjects: %v %v, want 100 Continue", res, err)
		}
		held = append(held, c)
	}

	deleteBody := []byte(`<Delete><Object><Key>k</Key></Object></Delete>`)
	completeBody := []byte(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>` + etag + `</ETag></Part></CompleteMultipartUpload>`)
	send := map[string]func() response{
		"DeleteObjects": func() response {
			return ts.do("POST", "/budget?delete", deleteBody, "Content-MD5", contentMD5(deleteBody))
		},
		"CompleteMultipartUpload": func() response {
			return ts.do("POST", "/budget/big?uploadId="+id, completeBody)
		},
	}
	for _, do := range send {
		mustError(t, do(), http.StatusServiceUnavailable, errorDoc("SlowDown", "Please reduce your request rate."))
	}
	if r := ts.do("GET", "/budget/k", nil); r.StatusCode != 200 {
		t.Errorf("DeleteObjects refused, yet k is gone: %s", r)
	}
	if r := ts.do("GET", "/budget/big", nil); r.StatusCode != 404 {
		t.Errorf("CompleteMultipartUpload refused, yet big is there: %s", r)
	}

	for _, c := range held {
		c.Close()
	}
	// The server gives a share back once it sees its client go.
	for name, do := range send {
		deadline := time.Now().Add(exchangeTimeout)
		r := do()
		for r.StatusCode == http.StatusServiceUnavailable && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
			r = do()
		}
		if r.StatusCode != 200 {
			t.Errorf("%s once the held bodies are gone: %s", name, r)
		}
	}
	if r := ts.do("GET", "/budget/k", nil); r.StatusCode != 404 {
		t.Errorf("k after DeleteObjects: %s", r)
	}
	if r := ts.do("GET", "/budget/big", nil); r.StatusCode != 200 || string(r.body) != "part" {
		t.Errorf("big after CompleteMultipartUpload: %s", r)
	}
}
