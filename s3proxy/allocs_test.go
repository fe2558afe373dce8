package s3proxy_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/s3cors/s3cors/s3proxy"
)

// handlerTransport hands each request to an upstream's handler in the
// test's process, without a connection, so that counting allocations
// counts no network goroutine's.
type handlerTransport struct{ upstream http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.ContentLength > 0 {
		// A server reads the length from the header, where a client's
		// request does not hold it.
		r = r.Clone(r.Context())
		r.Header.Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
	}
	w := httptest.NewRecorder()
	t.upstream.ServeHTTP(w, r)
	resp := w.Result()
	resp.Request = r
	return resp, nil
}

// allocsBucketRules is the configuration of the bucket "counted" of
// newAllocsProxy: GET and PUT from https://a.example.
const allocsBucketRules = `<CORSConfiguration><CORSRule><AllowedOrigin>https://a.example</AllowedOrigin>` +
	`<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>`

// newAllocsProxy returns a proxy in front of gofakes3, reached in
// process, whose bucket "counted" holds the object "k" and
// allocsBucketRules. Its clock stands still, so the cache never
// revalidates in the background.
func newAllocsProxy(t *testing.T, opts s3proxy.Options) *s3proxy.Proxy {
	t.Helper()
	opts.Upstream = "http://upstream.test"
	opts.Transport = handlerTransport{gofakes3.New(s3mem.New(), gofakes3.WithAutoBucket(false)).Server()}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	opts.Now = func() time.Time { return now }
	p, err := s3proxy.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	for _, step := range []struct {
		method, path, body string
		header             []string
	}{
		{"PUT", "/counted", "", nil},
		{"PUT", "/counted/k", "an object", nil},
		{"PUT", "/counted?cors", allocsBucketRules, []string{"Content-MD5", contentMD5([]byte(allocsBucketRules))}},
	} {
		r := httptest.NewRequest(step.method, step.path, bytes.NewReader([]byte(step.body)))
		for i := 0; i+1 < len(step.header); i += 2 {
			r.Header.Set(step.header[i], step.header[i+1])
		}
		w := httptest.NewRecorder()
		p.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%s %s: %d %s", step.method, step.path, w.Code, w.Body)
		}
	}
	return p
}

// allocsCases are the requests whose allocations the tests count: a
// preflight allowed and one refused, answered by the proxy; a
// GetBucketCors, answered from the cache; a GetObject passed through.
var allocsCases = []struct{ name, method, path, origin string }{
	{"preflight", "OPTIONS", "/counted/k", "https://a.example"},
	{"refused preflight", "OPTIONS", "/counted/k", "https://b.example"},
	{"GetBucketCors", "GET", "/counted?cors", "https://a.example"},
	{"GetObject", "GET", "/counted/k", "https://a.example"},
}

// allocsPerRequest counts what one request of tc costs p.
func allocsPerRequest(p http.Handler, method, path, origin string) float64 {
	return testing.AllocsPerRun(200, func() {
		r := httptest.NewRequest(method, path, nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", "GET")
		p.ServeHTTP(httptest.NewRecorder(), r)
	})
}

// TestLogAllocs holds what the request log costs the proxy: as in
// s3server, the line is made from strings the proxy holds already and
// handed to the handler whole, so it adds only what slog's text handler
// needs: one allocation, the attributes past the five a slog.Record
// holds inline, and none for a handler that takes the line in parts
// (reqlog.AttrsHandler), as the proxy's command does.
func TestLogAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("counts allocations, which the race detector changes")
	}
	quiet := newAllocsProxy(t, s3proxy.Options{})
	logged := newAllocsProxy(t, s3proxy.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	inParts := newAllocsProxy(t, s3proxy.Options{Logger: slog.New(partsDiscarder{slog.NewTextHandler(io.Discard, nil)})})
	for _, tc := range allocsCases {
		allocs := func(p *s3proxy.Proxy) float64 { return allocsPerRequest(p, tc.method, tc.path, tc.origin) }
		without, with, parts := allocs(quiet), allocs(logged), allocs(inParts)
		t.Logf("%s: %.0f allocations with the log, %.0f with a handler taking lines in parts, %.0f without", tc.name, with, parts, without)
		if with-without > 1 {
			t.Errorf("%s: the log line costs %.0f allocations, want at most 1", tc.name, with-without)
		}
		if parts != without {
			t.Errorf("%s: the log line in parts costs %.0f allocations, want 0", tc.name, parts-without)
		}
	}
}

// partsDiscarder takes request lines in parts (reqlog.AttrsHandler), as
// the proxy command's log handler does, and keeps none.
type partsDiscarder struct{ slog.Handler }

func (partsDiscarder) HandleAttrs(context.Context, time.Time, slog.Level, string, []slog.Attr) error {
	return nil
}
