package s3server_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

// TestInspectorAllocs holds what the inspector costs a request while no
// one looks at it: nothing. A preflight, an allowed and a refused actual
// request make as many allocations with the inspector on as with it off.
func TestInspectorAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("counts allocations, which the race detector changes")
	}
	newServer := func(inspector bool) *s3server.Server {
		s, err := s3server.New(s3server.Options{InMemory: true, Inspector: inspector})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		mustOK(t, s.CreateBucket("watched", "public-read"))
		mustOK(t, s.PutBucketCors("watched", []corsrule.Rule{{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET", "PUT"}}}))
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PUT", "/watched/k", strings.NewReader("x")))
		return s
	}
	off, on := newServer(false), newServer(true)
	for _, tc := range []struct{ name, method, path, origin string }{
		{"preflight", "OPTIONS", "/watched/k", "https://a.example"},
		{"refused preflight", "OPTIONS", "/watched/k", "https://b.example"},
		{"GetObject", "GET", "/watched/k", "https://a.example"},
		{"refused GetObject", "GET", "/watched/k", "https://b.example"},
	} {
		allocs := func(s *s3server.Server) float64 {
			return testing.AllocsPerRun(200, func() {
				r := httptest.NewRequest(tc.method, tc.path, nil)
				r.Header.Set("Origin", tc.origin)
				r.Header.Set("Access-Control-Request-Method", "GET")
				s.ServeHTTP(httptest.NewRecorder(), r)
			})
		}
		without, with := allocs(off), allocs(on)
		t.Logf("%s: %.0f allocations with the inspector unwatched, %.0f without it", tc.name, with, without)
		if with != without {
			t.Errorf("%s: the unwatched inspector costs %.0f allocations, want 0", tc.name, with-without)
		}
	}
}
