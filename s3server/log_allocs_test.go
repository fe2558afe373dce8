package s3server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

// TestLogAllocs holds what the request log costs: the allocations a
// request makes with a logger, beside those it makes without one, for a
// preflight, a GET, an error and a request with a subresource. The log
// line names the operation, the subresource and the error code from
// strings the server holds already, so it adds only what slog's text
// handler needs: one allocation (the attributes past the five a
// slog.Record holds inline), and none for a handler that takes the line in
// parts (reqlog.AttrsHandler), as serve's does.
func TestLogAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("counts allocations, which the race detector changes")
	}
	newServer := func(logger *slog.Logger) *s3server.Server {
		s, err := s3server.New(s3server.Options{InMemory: true, Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		mustOK(t, s.CreateBucket("logged", "public-read"))
		mustOK(t, s.PutBucketCors("logged", []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "PUT"}}}))
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PUT", "/logged/k", strings.NewReader("x")))
		return s
	}
	quiet, logged := newServer(nil), newServer(slog.New(slog.NewTextHandler(io.Discard, nil)))
	inParts := newServer(slog.New(partsDiscarder{slog.NewTextHandler(io.Discard, nil)}))
	for _, tc := range []struct{ name, method, path string }{
		{"preflight", "OPTIONS", "/logged/k"}, {"GetObject", "GET", "/logged/k"},
		{"NoSuchKey", "GET", "/logged/missing"}, {"GetBucketCors", "GET", "/logged?cors"},
	} {
		allocs := func(s *s3server.Server) float64 {
			return testing.AllocsPerRun(200, func() {
				r := httptest.NewRequest(tc.method, tc.path, nil)
				r.Header.Set("Origin", "https://a.example")
				r.Header.Set("Access-Control-Request-Method", "GET")
				s.ServeHTTP(httptest.NewRecorder(), r)
			})
		}
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
// serve's log handler does, and keeps none.
type partsDiscarder struct{ slog.Handler }

func (partsDiscarder) HandleAttrs(context.Context, time.Time, slog.Level, string, []slog.Attr) error {
	return nil
}
