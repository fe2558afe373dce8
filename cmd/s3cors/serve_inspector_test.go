package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// startServeOut runs serve with args and waits until it printed its URL;
// it returns the URL, the whole of standard output so far and what
// stops it.
func startServeOut(t *testing.T, args ...string) (url string, stdout *lockedBuffer, s *served, stop context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	stdout = &lockedBuffer{}
	s = &served{stderr: &lockedBuffer{}, done: make(chan int, 1)}
	go func() { s.done <- serve(ctx, serveLimits, args, stdout, s.stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for line := range strings.Lines(stdout.String()) {
			if u, ok := strings.CutPrefix(line, "s3cors: serving S3 on "); ok {
				url, _, _ = strings.Cut(u, " ")
				return url, stdout, s, cancel
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no URL printed; stderr:\n%s", s.stderr)
	return
}

// TestServeInspector: serve prints the inspector's address and serves
// it; its live stream carries the requests, and ends when serve stops,
// which then stops at once rather than waiting for the page.
func TestServeInspector(t *testing.T) {
	t.Parallel()
	url, stdout, s, stop := startServeOut(t, "--addr", "127.0.0.1:0", "--in-memory", "--example")
	if want := "s3cors: CORS inspector on " + url + "/_s3cors/\n"; !strings.HasSuffix(stdout.String(), want) {
		t.Errorf("banner:\n%s\nwant it to end with %q", stdout, want)
	}
	resp, body := get(t, "GET", url+"/_s3cors/")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") == "" || !strings.Contains(body, "<h1>Live requests</h1>") {
		t.Fatalf("GET /_s3cors/: %d %v", resp.StatusCode, resp.Header)
	}

	stream, err := testClient.Get(url + "/_s3cors/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	events := bufio.NewScanner(stream.Body)
	get(t, "OPTIONS", url+"/example/photo.jpg", "Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT")
	found := false
	for !found && events.Scan() {
		found = strings.Contains(events.Text(), `"path":"/example/photo.jpg"`)
	}
	if !found {
		t.Fatalf("the preflight never came on the live stream: %v", events.Err())
	}

	start := time.Now()
	stop()
	if code := s.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, s.stderr)
	}
	if took := time.Since(start); took > serveShutdownTimeout/2 || strings.Contains(s.stderr.String(), "cut off") {
		t.Errorf("serve took %v to stop with a live stream open; stderr:\n%s", took, s.stderr)
	}
	if _, err := io.Copy(io.Discard, stream.Body); err != nil {
		t.Errorf("the live stream did not end cleanly: %v", err)
	}
}

// TestServeNoInspector: with --no-inspector, /_s3cors/ is an S3 request
// like any other, and no address is printed for it.
func TestServeNoInspector(t *testing.T) {
	t.Parallel()
	url, stdout, s, stop := startServeOut(t, "--addr", "127.0.0.1:0", "--in-memory", "--no-inspector")
	defer func() {
		stop()
		s.wait(t)
	}()
	if strings.Contains(stdout.String(), "inspector") {
		t.Errorf("banner with --no-inspector:\n%s", stdout)
	}
	resp, body := get(t, "GET", url+"/_s3cors/")
	if resp.StatusCode != 404 || !strings.Contains(body, "<Code>NoSuchBucket</Code>") || resp.Header.Get("Content-Security-Policy") != "" {
		t.Errorf("GET /_s3cors/ with --no-inspector: %d %s", resp.StatusCode, body)
	}
}

// TestAllowedURL: the inspector's URL names a host the allow-list
// admits, where it named the listening address, which --allowed-hosts
// s3.test refuses (400).
func TestAllowedURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		addr  string
		hosts []string
		want  string
	}{
		{"defaults", "127.0.0.1:9000", []string{"localhost", "127.0.0.1", "::1"}, "http://127.0.0.1:9000"},
		{"any host", "127.0.0.1:9000", []string{"*"}, "http://127.0.0.1:9000"},
		{"every interface, defaults", "0.0.0.0:9000", []string{"localhost", "127.0.0.1", "::1"}, "http://127.0.0.1:9000"},
		{"the address listed, in another case", "127.0.0.1:9000", []string{"s3.test", "127.0.0.1:80"}, "http://127.0.0.1:9000"},
		{"a name alone", "127.0.0.1:9000", []string{"s3.test"}, "http://s3.test:9000"},
		{"the first of several, its port replaced and its case lowered", "0.0.0.0:9101", []string{"S3.Test.:8080", "other.test"}, "http://s3.test:9101"},
		{"an IPv6 address", "127.0.0.1:9000", []string{"[::1]"}, "http://[::1]:9000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, err := net.ResolveTCPAddr("tcp", tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got := allowedURL(addr, tt.hosts); got != tt.want {
				t.Errorf("allowedURL(%s, %q) = %s, want %s", tt.addr, tt.hosts, got, tt.want)
			}
		})
	}
}

// TestServeInspectorAllowedHosts: with --allowed-hosts, the inspector's
// URL serve prints answers.
func TestServeInspectorAllowedHosts(t *testing.T) {
	t.Parallel()
	url, stdout, _, _ := startServeOut(t, "--addr", "127.0.0.1:0", "--in-memory", "--allowed-hosts", "localhost")
	_, port, _ := strings.Cut(strings.TrimPrefix(url, "http://"), ":")
	want := "http://localhost:" + port + "/_s3cors/"
	if !strings.HasSuffix(stdout.String(), "s3cors: CORS inspector on "+want+"\n") {
		t.Fatalf("banner:\n%s\nwant it to end with the inspector on %s", stdout, want)
	}
	if resp, _ := get(t, "GET", want); resp.StatusCode != 200 {
		t.Errorf("GET %s: %d, want 200", want, resp.StatusCode)
	}
}
