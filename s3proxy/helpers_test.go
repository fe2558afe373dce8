package s3proxy_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/tls"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
)

// counter counts the requests that reach a handler, by method and path
// prefix, so that tests can say how many the proxy made.
type counter struct {
	next   http.Handler
	total  atomic.Int64
	mu     sync.Mutex
	seen   []string // "METHOD /path?query"
	header []http.Header
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.total.Add(1)
	c.mu.Lock()
	c.seen = append(c.seen, r.Method+" "+r.URL.RequestURI())
	c.header = append(c.header, r.Header.Clone())
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

// headers returns the values of header name in every request seen.
func (c *counter) headers(name string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, h := range c.header {
		out = append(out, h.Get(name))
	}
	return out
}

// requests returns the requests seen since the last call.
func (c *counter) requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.seen
	c.seen = nil
	return out
}

// startGofakes3 starts gofakes3 in memory, an S3 emulator without bucket
// CORS that sends Access-Control-Allow-Origin: * on every answer.
func startGofakes3(t testing.TB) (*httptest.Server, *counter) {
	t.Helper()
	faker := gofakes3.New(s3mem.New(), gofakes3.WithAutoBucket(false))
	c := &counter{next: faker.Server()}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv, c
}

// testClient is the client of the tests' plain requests: to loopback
// servers only, so it takes the certificates of httptest's TLS servers.
var testClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}

// startProxyTLS is startProxy on HTTPS, where aws-sdk-go-v2 streams
// bodies it cannot seek aws-chunked.
func startProxyTLS(t testing.TB, opts s3proxy.Options) (*httptest.Server, *s3proxy.Proxy) {
	t.Helper()
	return serveProxy(t, opts, httptest.NewTLSServer)
}

// startProxy starts a Proxy in front of upstream on a loopback server.
func startProxy(t testing.TB, opts s3proxy.Options) (*httptest.Server, *s3proxy.Proxy) {
	t.Helper()
	return serveProxy(t, opts, httptest.NewServer)
}

// serveProxy makes a Proxy with opts, logging to the test unless they
// name a logger, and serves it with newServer until the test ends.
func serveProxy(t testing.TB, opts s3proxy.Options, newServer func(http.Handler) *httptest.Server) (*httptest.Server, *s3proxy.Proxy) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	p, err := s3proxy.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(p)
	t.Cleanup(func() {
		srv.Close()
		p.Close()
	})
	return srv, p
}

// testLogger logs to the test's log, at warning level and above.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// sdkClient returns an aws-sdk-go-v2 client for endpoint, path style,
// signed with the keys or anonymous without them, without retries.
func sdkClient(endpoint, accessKey, secretKey string) *s3.Client {
	var creds aws.CredentialsProvider = aws.AnonymousCredentials{}
	if accessKey != "" {
		creds = credentials.NewStaticCredentialsProvider(accessKey, secretKey, "")
	}
	return s3.New(s3.Options{
		BaseEndpoint:     aws.String(endpoint),
		UsePathStyle:     true,
		Region:           "us-east-1",
		Credentials:      creds,
		RetryMaxAttempts: 1,
		HTTPClient:       testClient,
	})
}

// response is an answer read whole.
type response struct {
	*http.Response
	body []byte
}

// do sends a request and reads its answer whole.
func do(t testing.TB, method, url string, body []byte, header ...string) response {
	t.Helper()
	r, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if strings.EqualFold(header[i], "Host") {
			r.Host = header[i+1]
			continue
		}
		r.Header.Set(header[i], header[i+1])
	}
	return send(t, r)
}

// send sends r and reads its answer whole, within 30 s.
func send(t testing.TB, r *http.Request) response {
	t.Helper()
	return sendWithin(t, r, 30*time.Second)
}

// sendWithin is send within limit, for requests whose work under -race
// on a loaded machine takes longer than send allows.
func sendWithin(t testing.TB, r *http.Request, limit time.Duration) response {
	t.Helper()
	ctx, cancel := context.WithTimeout(r.Context(), limit)
	defer cancel()
	res := (&vectortest.Endpoint{HTTP: testClient}).Send(t, r.WithContext(ctx))
	return response{res.Response, res.Body}
}

func contentMD5(b []byte) string {
	sum := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sdkErr returns the error of an SDK call.
func sdkErr[T any](_ T, err error) error { return err }

// corsHeaders returns the Access-Control-* headers and Vary of h, one
// line each, sorted, for comparing answers whole.
func corsHeaders(h http.Header) string {
	var lines []string
	for name, v := range h {
		if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
			lines = append(lines, name+": "+strings.Join(v, " | "))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
