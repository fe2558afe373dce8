package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/testroot"
)

// lockedBuffer is a bytes.Buffer that the server and the test can share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// served is a running "s3cors serve".
type served struct {
	url    string
	banner []string // the lines printed up to and with the URL
	stderr *lockedBuffer
	done   chan int
}

// startServe runs main in a goroutine, through run or serve, and waits
// for the URL it prints. The caller stops it.
func startServe(t *testing.T, start func(stdout, stderr io.Writer) int) *served {
	t.Helper()
	pr, pw := io.Pipe()
	s := &served{stderr: &lockedBuffer{}, done: make(chan int, 1)}
	go func() {
		code := start(pw, s.stderr)
		pw.Close()
		s.done <- code
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, pr)
	}()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve stopped before printing its URL; stderr:\n%s", s.stderr)
			}
			s.banner = append(s.banner, line)
			if u, ok := strings.CutPrefix(line, "s3cors: serving S3 on "); ok {
				s.url, _, _ = strings.Cut(u, " ")
				go func() {
					for range lines {
					}
				}()
				return s
			}
		case <-timeout:
			t.Fatalf("no URL printed; stderr:\n%s", s.stderr)
		}
	}
}

// wait returns the exit code once serve has stopped.
func (s *served) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-s.done:
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
		return -1
	}
}

// startCancelable runs serve with a context the returned function
// cancels, as a signal would.
func startCancelable(t *testing.T, args ...string) (*served, context.CancelFunc) {
	return startLimited(t, serveLimits, args...)
}

// startLimited is startCancelable with the HTTP server's limits.
func startLimited(t *testing.T, limits httpLimits, args ...string) (*served, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s := startServe(t, func(stdout, stderr io.Writer) int { return serve(ctx, limits, args, stdout, stderr) })
	return s, cancel
}

// getBody GETs url in a goroutine of its own and delivers its body, or
// the error that ended it, on the channel it returns: for a download
// that spans a signal or a shutdown.
func getBody(url string) <-chan string {
	body := make(chan string, 1)
	go func() {
		resp, err := testClient.Get(url)
		if err != nil {
			body <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			body <- err.Error()
			return
		}
		body <- string(b)
	}()
	return body
}

// testClient sends the tests' own requests. Not http.DefaultClient:
// every httptest.Server.Close, in a test running in parallel, closes the
// idle connections of http.DefaultTransport, and with them one a request
// had just dialed ("http: CloseIdleConnections called"). No test closes
// this one's.
var testClient = &http.Client{Transport: &http.Transport{}}

// get sends a request without a body, with the header names and values
// given (Host among them), and reads the answer whole.
func get(t *testing.T, method, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServeFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		out  string // in stdout for exit 0, stderr otherwise
	}{
		{[]string{"serve", "-h"}, exitOK, "s3cors serve --in-memory --example"},
		{[]string{"serve", "--help"}, exitOK, "--access-key KEY"},
		{[]string{"help", "serve"}, exitOK, "SIGTERM"},
		{[]string{"serve", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"serve", "--access-key", "AK"}, exitUsage, "--access-key and --secret-key go together"},
		{[]string{"serve", "--secret-key", "SK"}, exitUsage, "--access-key and --secret-key go together"},
		{[]string{"serve", "--in-memory", "--data", "dir"}, exitUsage, "--data and --in-memory exclude each other"},
		{[]string{"serve", "--port", "1"}, exitUsage, "unknown flag --port"},
		{[]string{"serve", "--in-memory", "--addr", "not an address"}, exitUsage, `s3cors serve: cannot listen on not an address: missing port in address (--addr takes HOST:PORT, such as 127.0.0.1:9000; port 0 picks a free one)`},
		{[]string{"serve", "--in-memory", "--region", "bad region!"}, exitUsage, `--region "bad region!" is not a region name`},
		{[]string{"serve", "--in-memory", "--region", ""}, exitUsage, `--region "" is not a region name`},
		{[]string{"serve", "-h"}, exitOK, "--account-id ID"},
		{[]string{"serve", "--in-memory", "--account-id", "12345678901"}, exitUsage, `--account-id "12345678901" is not an AWS account ID: 12 digits`},
		{[]string{"serve", "--in-memory", "--account-id", "abcdefghijkl"}, exitUsage, `--account-id "abcdefghijkl" is not an AWS account ID`},
		{[]string{"serve", "--in-memory", "--account-id", ""}, exitUsage, `--account-id "" is not an AWS account ID`},
		{[]string{"serve", "--in-memory", "--allowed-hosts", ""}, exitUsage, "--allowed-hosts is empty: list the host names clients use"},
		{[]string{"serve", "--in-memory", "--allowed-hosts=  "}, exitUsage, "--allowed-hosts is empty"},
		{[]string{"serve", "--in-memory", "--allowed-hosts", "s3.test,http://s3.test"}, exitUsage, `"http://s3.test" is not a host name or address`},
		// --domain takes the names --allowed-hosts takes, less port and address.
		{[]string{"serve", "--in-memory", "--domain", "-bad-"}, exitUsage, `s3cors serve: --domain: "-bad-" is not a host name` + "\n"},
		{[]string{"serve", "--in-memory", "--domain", "a b"}, exitUsage, `s3cors serve: --domain: "a b" is not a host name` + "\n"},
		{[]string{"serve", "--in-memory", "--domain="}, exitUsage, "s3cors serve: --domain is empty: give a value, or leave the flag out\n"},
		{[]string{"serve", "--in-memory", "--log-level", "debug"}, exitUsage, `--log-level "debug": want info, warn or error`},
		{[]string{"serve", "-h"}, exitOK, "--max-object-size SIZE"},
		{[]string{"serve", "--in-memory", "--max-object-size", "5GB"}, exitUsage, `--max-object-size "5GB": want a size`},
		{[]string{"serve", "--in-memory", "--max-object-size", "0"}, exitUsage, "--max-object-size 0 is out of range: 1 byte to 1GiB with --in-memory"},
		{[]string{"serve", "--in-memory", "--max-object-size", "1025MiB"}, exitUsage, "--max-object-size 1025MiB is out of range: 1 byte to 1GiB with --in-memory"},
		{[]string{"serve", "--data", "dir", "--max-object-size", "5121MiB"}, exitUsage, "--max-object-size 5121MiB is out of range: 1 byte to 5GiB, S3's limit"},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, strings.NewReader(""), &stdout, &stderr)
		out := stdout.String()
		if code != exitOK {
			out = stderr.String()
		}
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("s3cors %q: exit %d, output %q; want exit %d and %q", tc.args, code, out, tc.code, tc.out)
		}
	}
	var stdout, stderr bytes.Buffer
	if run([]string{"help"}, nil, &stdout, &stderr); !strings.Contains(stdout.String(), "serve ") {
		t.Errorf("help does not list serve:\n%s", stdout.String())
	}
}

// TestServeRefusedValues gives parseServe flag values given empty, which
// a script with an unset variable passes: serve must refuse them rather
// than start without the signatures its help says it checks, on every
// interface, or with the working directory as its data directory.
// parseServe is called alone, so that a value taken fails the test
// rather than hangs it.
func TestServeRefusedValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"empty keys", []string{"--in-memory", "--access-key", "", "--secret-key", ""}, "--access-key is empty"},
		{"empty secret key", []string{"--in-memory", "--access-key", "AK", "--secret-key="}, "--secret-key is empty"},
		{"empty addr", []string{"--in-memory", "--addr", ""}, "--addr is empty"},
		{"empty data", []string{"--data="}, "--data is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr strings.Builder
			_, code, ok := parseServe(tc.args, &stdout, &stderr)
			if ok || code != exitUsage || !strings.Contains(stderr.String(), tc.want) || stdout.Len() != 0 {
				t.Errorf("parseServe(%q): ok %v, exit %d, stderr %q; want exit 2 and %q", tc.args, ok, code, stderr.String(), tc.want)
			}
		})
	}
}

// TestServeMaxObjectSize checks that --max-object-size sets the largest
// object PutObject takes, up to S3's 5 GiB on disk, and that the log line
// of an upload it refuses names the flag.
func TestServeMaxObjectSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want int64
	}{
		{[]string{"--in-memory"}, 64 << 20},
		{[]string{"--in-memory", "--max-object-size", "1GiB"}, 1 << 30},
		{[]string{"--max-object-size", "5GiB"}, 5 << 30},
		{[]string{"--max-object-size", "1000"}, 1000},
		{[]string{"--max-object-size", "2kib"}, 2048},
	} {
		var stdout, stderr strings.Builder
		cfg, _, ok := parseServe(tc.args, &stdout, &stderr)
		if !ok || cfg.opts.MaxObjectSize != tc.want {
			t.Errorf("parseServe(%q): ok %v, MaxObjectSize %d, stderr %q; want %d", tc.args, ok, cfg.opts.MaxObjectSize, stderr.String(), tc.want)
		}
	}
	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--in-memory", "--max-object-size", "1KiB")
	defer func() { stop(); s.wait(t) }()
	put := func(key string, size int) (*http.Response, string) {
		if resp, _ := get(t, "PUT", s.url+"/sized"); resp.StatusCode != 200 && resp.StatusCode != 409 {
			t.Fatalf("CreateBucket: %s", resp.Status)
		}
		req, err := http.NewRequest("PUT", s.url+"/sized/"+key, strings.NewReader(strings.Repeat("x", size)))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := put("fits", 1024); resp.StatusCode != 200 {
		t.Errorf("PUT of 1 KiB: %s %s", resp.Status, body)
	}
	resp, body := put("over", 1025)
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>1025</ProposedSize><MaxSizeAllowed>1024</MaxSizeAllowed>") {
		t.Errorf("PUT of 1 KiB + 1: %s %s", resp.Status, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.stderr.String(), "--max-object-size") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for line := range strings.Lines(s.stderr.String()) {
		if strings.Contains(line, "error=EntityTooLarge") && !strings.Contains(line, "--max-object-size") {
			t.Errorf("the log line of the refused PUT does not name --max-object-size: %s", line)
		}
	}
	if !strings.Contains(s.stderr.String(), "--max-object-size") {
		t.Errorf("no log line names --max-object-size:\n%s", s.stderr)
	}
}

func TestSizeValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int64 // -1 for refused
		text string
	}{
		{"0", 0, "0"},
		{"1000", 1000, "1000"},
		{"1024", 1024, "1KiB"},
		{"64MiB", 64 << 20, "64MiB"},
		{"64mib", 64 << 20, "64MiB"},
		{"5GiB", 5 << 30, "5GiB"},
		{"1536MiB", 1536 << 20, "1536MiB"},
		{"5GB", -1, ""},
		{"5 GiB", -1, ""},
		{"GiB", -1, ""},
		{"-1", -1, ""},
		{"+1", -1, ""},
		{"1.5GiB", -1, ""},
		{"9223372036854775807GiB", -1, ""},
		{"", -1, ""},
	} {
		var v sizeValue
		err := v.Set(tc.in)
		switch {
		case tc.want < 0 && err == nil:
			t.Errorf("Set(%q) = %d, want an error", tc.in, v)
		case tc.want >= 0 && (err != nil || int64(v) != tc.want || v.String() != tc.text):
			t.Errorf("Set(%q) = %d (%s), %v; want %d (%s)", tc.in, v, v.String(), err, tc.want, tc.text)
		}
	}
}

func TestServeExample(t *testing.T) {
	t.Parallel()
	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--in-memory", "--example")
	if len(s.banner) != 2 || s.banner[0] != `s3cors: bucket "example" created: public-read, CORS from the embedded example.json (2 rules)` ||
		!strings.HasSuffix(s.banner[1], " (in memory)") || !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Errorf("banner: %q", s.banner)
	}
	// example.json as S3's GetBucketCors returns it: the members of a
	// rule in the order of S3's schema, whatever the order of the JSON.
	const want = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
		`<CORSRule><AllowedHeader>content-type</AllowedHeader><AllowedHeader>x-amz-*</AllowedHeader><AllowedHeader>authorization</AllowedHeader>` +
		`<AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod>` +
		`<AllowedOrigin>https://app.example.com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-checksum-crc32</ExposeHeader><ExposeHeader>x-amz-request-id</ExposeHeader>` +
		`<ID>browser-uploads</ID><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>` +
		`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedOrigin>*</AllowedOrigin>` +
		`<ID>public-reads</ID><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`
	resp, body := get(t, "GET", s.url+"/example?cors")
	if resp.StatusCode != 200 || body != want {
		t.Errorf("GetBucketCors of the example bucket: %d %s\nwant %s", resp.StatusCode, body, want)
	}
	resp, _ = get(t, "OPTIONS", s.url+"/example/photo.jpg", "Origin", "https://app.example.com",
		"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-amz-meta-owner")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		resp.Header.Get("Access-Control-Allow-Headers") != "content-type, x-amz-meta-owner" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = get(t, "GET", s.url+"/example/missing", "Origin", "https://anywhere.example")
	if resp.StatusCode != 404 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET of a missing key: %d %v", resp.StatusCode, resp.Header)
	}
	stop()
	if code := s.wait(t); code != exitOK {
		t.Errorf("exit %d after cancelling; stderr:\n%s", code, s.stderr)
	}
	log := s.stderr.String()
	for _, w := range []string{"method=GET path=/example op=GetBucketCors status=200", "method=OPTIONS path=/example/photo.jpg op=Preflight status=200",
		"status=404", "s3cors serve: stopped"} {
		if !strings.Contains(log, w) {
			t.Errorf("stderr lacks %q:\n%s", w, log)
		}
	}
}

// TestServeLogLevel runs serve with --log-level warn and error: the
// first logs the requests answered with an error and not the others, the
// second neither; both still print the banner and stop cleanly, with
// every message in order.
func TestServeLogLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		level         string
		okLine, error bool
	}{{"warn", false, true}, {"ERROR", false, false}, {"info", true, true}} {
		s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--in-memory", "--example", "--log-level", tc.level)
		get(t, "GET", s.url+"/example?cors")
		get(t, "GET", s.url+"/example/missing")
		stop()
		if code := s.wait(t); code != exitOK {
			t.Fatalf("--log-level %s: exit %d; stderr:\n%s", tc.level, code, s.stderr)
		}
		log := s.stderr.String()
		if strings.Contains(log, "op=GetBucketCors status=200") != tc.okLine ||
			strings.Contains(log, "level=WARN msg=request method=GET path=/example/missing op=GetObject status=404") != tc.error ||
			!strings.HasSuffix(log, "s3cors serve: stopped\n") {
			t.Errorf("--log-level %s: stderr:\n%s", tc.level, log)
		}
	}
}

// keepObject runs serve --example on the data directory dir, puts
// example/kept.txt ("kept") and stops it, checking that its banner names
// the directory.
func keepObject(t *testing.T, dir string) {
	t.Helper()
	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--data", dir, "--example")
	if !strings.HasSuffix(s.banner[len(s.banner)-1], "(data: "+dir+")") {
		t.Errorf("banner: %q", s.banner)
	}
	req, _ := http.NewRequest("PUT", s.url+"/example/kept.txt", strings.NewReader("kept"))
	resp, err := testClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("PutObject: %v %v", err, resp)
	}
	resp.Body.Close()
	stop()
	if code := s.wait(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}
}

func TestServeDataSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keepObject(t, dir)
	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--data", dir, "--example")
	defer stop()
	if s.banner[0] != `s3cors: bucket "example" exists: left as it is` {
		t.Errorf("banner after a restart: %q", s.banner)
	}
	if resp, body := get(t, "GET", s.url+"/example/kept.txt"); resp.StatusCode != 200 || body != "kept" {
		t.Errorf("object after a restart: %d %q", resp.StatusCode, body)
	}
}

// TestServeDataReadOnly starts serve on a data directory it may read but
// not write, lock file included (as on a read-only mount): it warns, and
// serves what the directory holds, every change failing with
// InternalError, where it refused to start, unable to open its lock file
// for writing. Root writes anywhere: run as root (as CI is), the server
// runs as the user nobody, who then owns the directory.
func TestServeDataReadOnly(t *testing.T) {
	t.Parallel()
	tmp := testroot.WorldReadableDir(t)
	data := filepath.Join(tmp, "data")
	keepObject(t, data)
	binary, cred := testroot.AsNobody(t, tmp)
	var paths []string
	filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		paths = append(paths, p)
		if cred != nil {
			os.Lchown(p, testroot.Nobody, testroot.Nobody)
		}
		return err
	})
	slices.Reverse(paths) // files before their directories
	for _, p := range paths {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			os.Chmod(p, 0o500)
		} else {
			os.Chmod(p, 0o400)
		}
	}
	t.Cleanup(func() {
		for _, p := range paths {
			os.Chmod(p, 0o700)
		}
	})
	logFile := filepath.Join(tmp, "read-only.log")
	ro := startServerProcess(t, binary, data, logFile, cred)
	if resp, body := get(t, "GET", ro.url+"/example/kept.txt"); resp.StatusCode != 200 || body != "kept" {
		t.Errorf("GetObject from the read-only directory: %d %q", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("PUT", ro.url+"/example/new.txt", strings.NewReader("new"))
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || !strings.Contains(string(body), "<Code>InternalError</Code>") {
		t.Errorf("PutObject to the read-only directory: %d %s", resp.StatusCode, body)
	}
	// The log is buffered: stop the server for all of it.
	ro.cmd.Process.Signal(syscall.SIGTERM)
	ro.cmd.Wait()
	if log, _ := os.ReadFile(logFile); !strings.Contains(string(log), "the data directory is not writable") {
		t.Errorf("no warning that the directory is read-only; log:\n%s", log)
	}
}

// TestServeDataDirInUse starts "s3cors serve" on a data directory in a
// process of its own, then a second one on the same directory: the
// second stops at once with exit status 2 and an error naming the
// directory, and the first goes on serving.
func TestServeDataDirInUse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := startCrashServer(t, dir, filepath.Join(t.TempDir(), "first.log"))
	var stdout, stderr bytes.Buffer
	code := serve(context.Background(), serveLimits, []string{"--addr", "127.0.0.1:0", "--data", dir}, &stdout, &stderr)
	want := "s3cors serve: the data directory " + dir + " is in use by another s3cors server"
	if code != exitUsage || !strings.HasPrefix(stderr.String(), want) || strings.Contains(stdout.String(), "serving") {
		t.Errorf("a second serve on %s: exit %d, stdout %q, stderr %q; want 2 and %q", dir, code, stdout.String(), stderr.String(), want)
	}
	if resp, _ := get(t, "GET", first.url+"/"); resp.StatusCode != 200 {
		t.Errorf("the first server after the second was refused: %d", resp.StatusCode)
	}
}

// TestServeDataNotWritable starts serve with a --data it cannot keep
// data in: the error names the flag and what it needs, where it said only
// "mkdir DIR: not a directory", and names the path once, in plain words,
// where it went on with the system's call and the path again ("mkdir
// DIR: not a directory", "locking the data directory DIR: openat
// s3cors.lock: permission denied"). Root writes in any directory: run
// as root (as CI is), the read-only cases start serve in a process of
// its own as the user nobody.
func TestServeDataNotWritable(t *testing.T) {
	t.Parallel()
	tmp := testroot.WorldReadableDir(t)
	file := filepath.Join(tmp, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(tmp, "read-only")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(tmp, "dangling")
	if err := os.Symlink(filepath.Join(tmp, "gone"), dangling); err != nil {
		t.Fatal(err)
	}
	fileInside := filepath.Join(tmp, "file-inside")
	if err := os.Mkdir(fileInside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fileInside, "buckets"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	const needs = " (--data needs a directory serve may create, or one it may write in)\n"
	tests := []struct {
		name, data, want string
		asNobody         bool // root would write there
	}{
		{"a file", file, "s3cors serve: cannot keep data in " + file + ": it is a file, not a directory" + needs, false},
		{"below a file", file + "/data", "s3cors serve: cannot keep data in " + file + "/data: part of its path is not a directory" + needs, false},
		{"below a read-only directory", readOnly + "/data", "s3cors serve: cannot keep data in " + readOnly + "/data: permission denied" + needs, true},
		{"a read-only directory", readOnly, "s3cors serve: cannot keep data in " + readOnly + ": permission denied" + needs, true},
		// The directory is one; what serve keeps in it is not.
		{"a file where a directory is kept", fileInside, "s3cors serve: cannot keep data in " + fileInside + ": buckets in it is not a directory" + needs, false},
		{"a symbolic link to nothing", dangling, "s3cors serve: cannot keep data in " + dangling + ": it is a symbolic link to nothing" + needs, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"--addr", "127.0.0.1:0", "--data", tt.data}
			var code int
			var stdout, stderr bytes.Buffer
			if tt.asNobody && os.Geteuid() == 0 {
				code = serveAsNobody(t, tmp, args, &stdout, &stderr)
			} else {
				code = serve(context.Background(), serveLimits, args, &stdout, &stderr)
			}
			if code != exitUsage || stderr.String() != tt.want || stdout.String() != "" {
				t.Errorf("serve --data %s: exit %d, stdout %q, stderr %q; want 2 and %q", tt.data, code, stdout.String(), stderr.String(), tt.want)
			}
			if entries, err := os.ReadDir(readOnly); err != nil || len(entries) != 0 {
				t.Errorf("the read-only directory holds %v (%v); want nothing", entries, err)
			}
		})
	}
}

// serveAsNobody runs "s3cors serve" with args as the user nobody, from a
// copy of the test binary in dir (which nobody must be able to enter),
// and returns its exit status: a directory's permissions bind nobody, as
// they do not bind root.
func serveAsNobody(t *testing.T, dir string, args []string, stdout, stderr io.Writer) int {
	t.Helper()
	binary, cred := testroot.AsNobody(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "-test.run=^TestCrashHelperServe$")
	cmd.Env = append(os.Environ(), crashServeEnv+"="+strings.Join(append([]string{"serve"}, args...), "\n"))
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// TestServeSignal runs the command as main does and stops it with a real
// SIGTERM. With keys, unsigned writes are refused.
func TestServeSignal(t *testing.T) {
	s := startServe(t, func(stdout, stderr io.Writer) int {
		return run([]string{"serve", "--addr", "127.0.0.1:0", "--in-memory", "--access-key", "AK", "--secret-key", "SK"}, nil, stdout, stderr)
	})
	resp, body := get(t, "PUT", s.url+"/bucket")
	if resp.StatusCode != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Errorf("unsigned CreateBucket: %d %s", resp.StatusCode, body)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := s.wait(t); code != exitOK {
		t.Errorf("exit %d after SIGTERM; stderr:\n%s", code, s.stderr)
	}
}

func TestServeListenError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	code := serve(context.Background(), serveLimits, []string{"--in-memory", "--addr", ln.Addr().String()}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "address already in use") {
		t.Errorf("serve on a busy port: exit %d, stderr %q", code, stderr.String())
	}
}

// TestServeBindsFirst starts serve --example with a data directory on a
// busy port: it fails before anything is created, so neither the data
// directory nor the example bucket is left behind.
func TestServeBindsFirst(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := filepath.Join(t.TempDir(), "data")
	var stdout, stderr bytes.Buffer
	code := serve(context.Background(), serveLimits, []string{"--data", data, "--example", "--addr", ln.Addr().String()}, &stdout, &stderr)
	want := "s3cors serve: cannot listen on " + ln.Addr().String() + ": address already in use (another server listens there: stop it, or give --addr another port; port 0 picks a free one)\n"
	if code != exitUsage || stderr.String() != want || stdout.String() != "" {
		t.Errorf("serve --example on a busy port: exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout.String(), stderr.String(), want)
	}
	if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the data directory was created (%v) though the port was busy", err)
	}
}

func TestEndpointURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"127.0.0.1:9000": "http://127.0.0.1:9000",
		"0.0.0.0:9000":   "http://127.0.0.1:9000",
		"[::]:9000":      "http://127.0.0.1:9000",
		"[::1]:9000":     "http://[::1]:9000",
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := endpointURL(a); got != want {
			t.Errorf("endpointURL(%s) = %s, want %s", addr, got, want)
		}
	}
}

// TestAddrNotURLOrPort checks that serve and proxy refuse an address
// given as a URL (serve prints its own so) or as a port alone, saying
// what to write, where net.Listen said "too many colons in address" and
// "missing port in address"; an address with a host and a port passes
// to the next check.
func TestAddrNotURLOrPort(t *testing.T) {
	t.Parallel()
	const upstream = "--upstream=http://127.0.0.1:1"
	for _, tc := range []struct {
		args []string
		want string // standard error's first line
	}{
		{[]string{"serve", "--in-memory", "--addr", "http://127.0.0.1:9000"}, `s3cors serve: --addr "http://127.0.0.1:9000" is a URL: give HOST:PORT, here 127.0.0.1:9000`},
		{[]string{"serve", "--in-memory", "--addr", "http://localhost/"}, `s3cors serve: --addr "http://localhost/" is a URL: give HOST:PORT, such as 127.0.0.1:9000`},
		{[]string{"serve", "--in-memory", "--addr", "9000"}, `s3cors serve: --addr "9000" is a port alone: give HOST:PORT, such as 127.0.0.1:9000, or :9000 for every interface`},
		{[]string{"proxy", upstream, "--addr", "https://[::1]:9100"}, `s3cors proxy: --addr "https://[::1]:9100" is a URL: give HOST:PORT, here [::1]:9100`},
		{[]string{"proxy", upstream, "--metrics-addr", "9090"}, `s3cors proxy: --metrics-addr "9090" is a port alone: give HOST:PORT, such as 127.0.0.1:9090, or :9090 for every interface`},
		{[]string{"proxy", upstream, "--metrics-addr", "0", "--addr", "9100"}, `s3cors proxy: --addr "9100" is a port alone: give HOST:PORT, such as 127.0.0.1:9100, or :9100 for every interface`},
		// Taken: the next check refuses the command line.
		{[]string{"serve", "--in-memory", "--addr", ":0", "--account-id", "1"}, `s3cors serve: --account-id "1" is not an AWS account ID: 12 digits, such as 123456789012`},
		{[]string{"proxy", upstream, "--addr", "[::1]:0", "--metrics-addr", "localhost:0", "--max-buckets", "0"}, "s3cors proxy: --max-buckets 0: must be positive"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runIn(tc.args, "")
			if first, _, _ := strings.Cut(stderr, "\n"); code != exitUsage || first != tc.want {
				t.Errorf("exit %d, stderr %q; want 2 and first line %q", code, stderr, tc.want)
			}
		})
	}
}
