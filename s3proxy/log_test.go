package s3proxy_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// logBuffer keeps what a logger writes, for many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything logged so far.
func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// requestLines returns the request lines logged since the last call,
// without their time, and with the duration and request ID, which vary,
// replaced by D and ID (a request ID the upstream did not send stays "").
func (b *logBuffer) requestLines(t *testing.T) []string {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for line := range strings.Lines(b.buf.String()) {
		if !strings.Contains(line, " msg=request ") {
			continue
		}
		line = strings.TrimSuffix(line, "\n")
		if !logTime.MatchString(line) || !logDuration.MatchString(line) {
			t.Errorf("a request line without its time or duration: %s", line)
		}
		line = logTime.ReplaceAllString(line, "")
		line = logDuration.ReplaceAllString(line, "duration=D ")
		out = append(out, logRequestID.ReplaceAllString(line, "request_id=ID"))
	}
	b.buf.Reset()
	return out
}

// waitLines returns the next n request lines, as requestLines gives
// them, waiting for them for up to 5 s: a request's line is written
// once its handler returns, which may be after the client read the end
// of the answer.
func (b *logBuffer) waitLines(t *testing.T, n int) []string {
	t.Helper()
	var lines []string
	for deadline := time.Now().Add(5 * time.Second); len(lines) < n && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		lines = append(lines, b.requestLines(t)...)
	}
	return lines
}

var (
	logTime      = regexp.MustCompile(`^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z `)
	logDuration  = regexp.MustCompile(`duration=[0-9.]+(ns|µs|ms|s) `)
	logRequestID = regexp.MustCompile(`request_id=[0-9A-Z]{16}\b`)
)

// TestLogLines reads the proxy's log line for each kind of request: the
// fields of s3server's, at warn for an error, with the proxy's own
// config_stale and aborted where they apply.
func TestLogLines(t *testing.T) {
	t.Parallel()
	up := startTroubled(t)
	log := &logBuffer{}
	const ttl = 50 * time.Millisecond
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, UpstreamTimeout: 2 * time.Second,
		AllowedHosts: []string{"127.0.0.1"}, Logger: slog.New(slog.NewTextHandler(log, nil))})
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "logged")
	log.waitLines(t, 3) // CreateBucket, PutObject, PutBucketCors

	bytesOf := func(r response) string { return strconv.Itoa(len(r.body)) }
	refused := do(t, "OPTIONS", front.URL+"/logged/obj", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
	missing := do(t, "GET", front.URL+"/logged/missing", nil, "Origin", "https://app.example")
	do(t, "HEAD", front.URL+"/logged/missing", nil)
	cors := do(t, "GET", front.URL+"/logged?cors", nil)
	config := do(t, "GET", front.URL+"/"+s3proxy.DefaultConfigBucket+"/logged/cors.xml", nil)
	host := do(t, "GET", front.URL+"/logged/obj", nil, "Host", "evil.example")
	preflight(t, front.URL, "/logged/obj")
	do(t, "GET", front.URL+"/logged/obj", nil, "Origin", "https://app.example")
	want := []string{
		`level=WARN msg=request method=OPTIONS path=/logged/obj op=Preflight status=403 bytes=` + bytesOf(refused) + ` duration=D request_id=ID error=AccessForbidden`,
		`level=WARN msg=request method=GET path=/logged/missing op=GetObject status=404 bytes=` + bytesOf(missing) + ` duration=D request_id=ID error=NoSuchKey`,
		`level=WARN msg=request method=HEAD path=/logged/missing op=HeadObject status=404 bytes=0 duration=D request_id=ID`,
		`level=INFO msg=request method=GET path=/logged op=GetBucketCors status=200 bytes=` + bytesOf(cors) + ` duration=D request_id=ID subresource=cors`,
		`level=WARN msg=request method=GET path=/s3cors-config/logged/cors.xml op=ConfigBucket status=403 bytes=` + bytesOf(config) + ` duration=D request_id=ID error=AccessDenied`,
		`level=WARN msg=request method=GET path=/logged/obj op=HostNotAllowed status=400 bytes=` + bytesOf(host) + ` duration=D request_id=ID error=InvalidArgument`,
		`level=INFO msg=request method=OPTIONS path=/logged/obj op=Preflight status=200 bytes=0 duration=D request_id=ID`,
		`level=INFO msg=request method=GET path=/logged/obj op=GetObject status=200 bytes=4 duration=D request_id=ID`,
	}
	if got := log.waitLines(t, len(want)); !equalLines(t, got, want) {
		return
	}

	// A body the upstream cuts short: the line says how much went out. The
	// troubled upstream sends no request ID then.
	up.set(closeMid)
	if resp, err := testClient.Get(front.URL + "/logged/obj"); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	up.set(healthy)
	equalLines(t, log.waitLines(t, 1), []string{
		`level=WARN msg=request method=GET path=/logged/obj op=GetObject status=200 bytes=102400 duration=D request_id="" aborted=true`,
	})

	// A configuration the upstream cannot revalidate is served stale.
	up.set(failing)
	defer up.set(healthy)
	var lines []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(ttl) {
		preflight(t, front.URL, "/logged/obj")
		if lines = log.waitLines(t, 1); len(lines) > 0 && strings.Contains(lines[0], "config_stale") {
			break
		}
	}
	equalLines(t, lines, []string{
		`level=INFO msg=request method=OPTIONS path=/logged/obj op=Preflight status=200 bytes=0 duration=D request_id=ID config_stale=true`,
	})
	// GetBucketCors answers from the same stale entry, and says so too.
	cors = do(t, "GET", front.URL+"/logged?cors", nil)
	equalLines(t, log.waitLines(t, 1), []string{
		`level=INFO msg=request method=GET path=/logged op=GetBucketCors status=200 bytes=` + bytesOf(cors) + ` duration=D request_id=ID subresource=cors config_stale=true`,
	})
}

func equalLines(t *testing.T, got, want []string) bool {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		return false
	}
	return true
}

// TestLookupErrorLogged runs the proxy with a wrong upstream secret in
// front of serve, which checks signatures: every configuration look-up
// gets 403 SignatureDoesNotMatch, and the requests that need a
// configuration get 503. The log says why, once per look-up that failed
// (concurrent requests for one bucket wait for one look-up, and look-ups
// are rate-limited, so a line per request would flood the log in
// trouble), and each request's line carries the cause.
func TestLookupErrorLogged(t *testing.T) {
	t.Parallel()
	up, store := s3servertest.NewServer(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
	mustOK(t, store.CreateBucket("photos", ""))
	log, all := &logBuffer{}, &logBuffer{} // all keeps every line
	ev := newEvents()
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: "a-wrong-secret",
		Observer: ev, Logger: slog.New(slog.NewTextHandler(io.MultiWriter(log, all), nil))})

	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			r := do(t, "OPTIONS", front.URL+"/photos/cat.jpg", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
			wantS3Error(t, "preflight", r, http.StatusServiceUnavailable, "ServiceUnavailable")
		})
	}
	wg.Wait()
	get := do(t, "GET", front.URL+"/photos/cat.jpg", nil, "Origin", "https://app.example")
	wantS3Error(t, "GET with an Origin", get, http.StatusServiceUnavailable, "ServiceUnavailable")
	cors := do(t, "GET", front.URL+"/photos?cors", nil)
	wantS3Error(t, "GetBucketCors", cors, http.StatusServiceUnavailable, "ServiceUnavailable")

	const cause = "s3proxy: GetConfig: the upstream answered 403 SignatureDoesNotMatch"
	lines := log.waitLines(t, n+2)
	if len(lines) != n+2 {
		t.Fatalf("%d request lines, want %d:\n%s", len(lines), n+2, strings.Join(lines, "\n"))
	}
	for _, line := range lines {
		if !strings.HasSuffix(line, ` error=ServiceUnavailable config_error="`+cause+`"`) {
			t.Errorf("request line without the look-up's cause: %s", line)
		}
	}
	ev.mu.Lock()
	lookups := ev.upstream["GetConfig 403"]
	ev.mu.Unlock()
	all.mu.Lock()
	var logged []string
	for line := range strings.Lines(all.buf.String()) {
		if strings.Contains(line, "configuration could not be looked up") {
			logged = append(logged, line)
		}
	}
	all.mu.Unlock()
	if lookups == 0 || len(logged) != lookups {
		t.Errorf("%d look-ups refused by the store, %d lines that say why, want one each:\n%s", lookups, len(logged), strings.Join(logged, ""))
	}
	for _, line := range logged {
		if !strings.Contains(line, "level=WARN ") || !strings.Contains(line, " bucket=photos ") || !strings.Contains(line, ` err="`+cause+`"`) {
			t.Errorf("the look-up's line lacks the level, the bucket or the cause %q: %s", cause, line)
		}
	}
}

// TestStoreRefusalLogged has the store answer the proxy's own requests on
// the config bucket with 403 AccessDenied, as versitygw answers keys that
// do not own it: the warnings that give that answer as the cause (a
// revalidation that failed, a PutBucketCors that got 503) must not say
// the store did not answer, which sends an operator looking for a network
// fault instead of at the upstream keys.
func TestStoreRefusalLogged(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	var refuse atomic.Bool
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() && strings.HasPrefix(r.URL.Path, "/"+s3proxy.DefaultConfigBucket+"/") {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>`)
			return
		}
		up.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(store.Close)
	const ttl = time.Second
	clock := &testClock{now: time.Now()}
	log := &logBuffer{}
	front, _ := startProxy(t, s3proxy.Options{Upstream: store.URL, ConfigTTL: ttl, Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(log, nil))})
	client := sdkClient(front.URL, "AKID", "SECRET")
	putRules(t, client, "photos")

	refuse.Store(true)
	clock.advance(ttl)
	if r := preflight(t, front.URL, "/photos/obj"); r.StatusCode != http.StatusOK {
		t.Fatalf("preflight served stale: %d %s", r.StatusCode, r.body)
	}
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	r := do(t, "PUT", front.URL+"/photos?cors", doc, "Content-MD5", contentMD5(doc))
	wantS3Error(t, "PutBucketCors", r, http.StatusServiceUnavailable, "ServiceUnavailable")

	const cause = "the upstream answered 403 AccessDenied"
	var warnings []string
	waitFor(t, func() bool {
		warnings = warnings[:0]
		for line := range strings.Lines(log.String()) {
			if strings.Contains(line, "level=WARN") && !strings.Contains(line, " msg=request ") && strings.Contains(line, cause) {
				warnings = append(warnings, line)
			}
		}
		return len(warnings) == 2
	}, "a warning for the failed revalidation and one for the PutBucketCors")
	for _, line := range warnings {
		if strings.Contains(line, "did not answer") {
			t.Errorf("a warning whose cause is the store's answer says it did not answer: %s", line)
		}
	}
}

// TestLogVirtualHosted: the line of a virtual-hosted request names the
// bucket its Host gives, which its path does not.
func TestLogVirtualHosted(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	log := &logBuffer{}
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, Domains: []string{"localhost"},
		Logger: slog.New(slog.NewTextHandler(log, nil))})
	req, err := http.NewRequest("GET", front.URL+"/?cors", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "missing.localhost"
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	equalLines(t, log.waitLines(t, 1), []string{
		`level=WARN msg=request method=GET path=/ bucket=missing op=GetBucketCors status=404 bytes=` + strconv.Itoa(len(body)) + ` duration=D request_id=ID subresource=cors error=NoSuchBucket`,
	})
}
