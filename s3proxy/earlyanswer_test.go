package s3proxy_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3cors/s3cors/s3proxy"
)

// putEarly sends a PUT of body to base+path as curl does: the body on a
// goroutine of its own while the answer is read, so that an answer the
// server sends before it has read the body is seen, whatever becomes of
// the body. With expect, it sends Expect: 100-continue and the body
// once asked for it. It returns the final answer's status and body.
func putEarly(t *testing.T, base, path string, body []byte, expect bool) (int, string) {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	header := ""
	if expect {
		header = "Expect: 100-continue\r\n"
	}
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s\r\n", path, host, len(body), header)
	sent := make(chan struct{})
	send := func() {
		go func() {
			defer close(sent)
			conn.Write(body) // fails once the server resets: the answer counts
		}()
	}
	waiting := expect // for 100 Continue
	if !waiting {
		send()
	}
	br := bufio.NewReader(conn)
	for {
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Errorf("PUT %s: no answer: %v", path, err)
			return 0, ""
		}
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode/100 == 1 {
			// The proxy may pass on the upstream's 100 Continue and
			// send its own: more than one 1xx is allowed.
			if res.StatusCode == http.StatusContinue && waiting {
				waiting = false
				send()
			}
			continue
		}
		conn.Close() // ends the write, if the server has not
		if !waiting {
			<-sent
		}
		return res.StatusCode, string(b)
	}
}

// startEarlyAnswerer starts a server that answers every request 403
// AccessDenied with Connection: close as soon as it has read the request
// header, and closes the connection without reading the body: the
// kernel then resets it, while the client is still sending the body, as
// versitygw does when it refuses an upload.
func startEarlyAnswerer(t *testing.T) string {
	t.Helper()
	return startResetter(t, true)
}

// startResetter starts a server that reads the header of each request,
// answers it as startEarlyAnswerer does when answer is set, and closes
// the connection without reading the body, which resets it.
func startResetter(t *testing.T, answer bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil || !answer {
					return
				}
				const body = "<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>"
				fmt.Fprintf(conn, "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n\r\n%s",
					len(body), body)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// earlyPut is an upload TestEarlyAnswer sends, with the status and
// error code the upstream answers it.
type earlyPut struct {
	path   string
	expect bool // send Expect: 100-continue
	status int
	code   string
}

// TestEarlyAnswer sends uploads that the upstream refuses before it
// reads their body, answering at once and resetting the connection
// while the body is still being sent: the client must get the
// upstream's answer, as it does directly, not 503 ServiceUnavailable,
// which would have it send the whole body again. The transport to the
// upstream fails its write of the body with "connection reset by peer"
// and, when that reaches it before the answer, which it has read or
// will read, returns the error: it did so for a quarter (the resetting
// server) to two thirds (versitygw) of these requests.
func TestEarlyAnswer(t *testing.T) {
	t.Parallel()
	body := make([]byte, 9<<20) // more than the sockets' buffers hold
	cases := []struct {
		name  string
		start func(t *testing.T) string
		puts  []earlyPut // each sent tries times
		tries int
	}{
		{
			name:  "resetting server",
			start: startEarlyAnswerer,
			puts:  []earlyPut{{"/photos/anon.bin", false, http.StatusForbidden, "AccessDenied"}},
			tries: 50,
		},
		{
			name: "versitygw",
			start: func(t *testing.T) string {
				up := startVersitygw(t).url
				direct := sdkClient(up, upstreamAccessKey, upstreamSecretKey)
				mustOK(t, sdkErr(direct.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("photos")})))
				return up
			},
			puts: []earlyPut{
				{"/photos/anon.bin", false, http.StatusForbidden, "AccessDenied"},
				{"/nosuchbucket/anon.bin", false, http.StatusNotFound, "NoSuchBucket"},
				// versitygw asks for the body (fasthttp sends 100
				// Continue before the handler runs), then refuses it.
				{"/photos/anon.bin", true, http.StatusForbidden, "AccessDenied"},
			},
			tries: 10,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			up := c.start(t)
			front, _ := startProxy(t, s3proxy.Options{Upstream: up, UpstreamAccessKey: upstreamAccessKey,
				UpstreamSecretKey: upstreamSecretKey})
			for _, p := range c.puts {
				for _, base := range []string{up, front.URL} {
					var wrong []string
					for range c.tries {
						status, got := putEarly(t, base, p.path, body, p.expect)
						if status != p.status || !strings.Contains(got, "<Code>"+p.code+"</Code>") {
							wrong = append(wrong, fmt.Sprintf("%d %.80s", status, got))
						}
					}
					if wrong != nil {
						t.Errorf("PUT %s (Expect: %v) to %s: %d of %d answers not %d %s, such as %s",
							p.path, p.expect, base, len(wrong), c.tries, p.status, p.code, wrong[0])
					}
				}
			}
		})
	}
}

// TestResetWithoutAnswer sends an upload to an upstream that resets the
// connection without answering: the client gets S3's 503 at once, not
// after the upstream timeout, though the transport's failed write of
// the body waits for an answer (see TestEarlyAnswer).
func TestResetWithoutAnswer(t *testing.T) {
	t.Parallel()
	up := startResetter(t, false)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up, UpstreamTimeout: 20 * time.Second})
	body := make([]byte, 9<<20)
	for range 5 {
		start := time.Now()
		status, got := putEarly(t, front.URL, "/photos/anon.bin", body, false)
		if status != http.StatusServiceUnavailable || !strings.Contains(got, "<Code>ServiceUnavailable</Code>") {
			t.Errorf("PUT: %d %s", status, got)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("PUT answered after %v", d)
		}
	}
}
