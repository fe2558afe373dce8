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
// While someone looks, an event costs the event and the list of the CORS
// headers sent, and the request reaches resolve with its info in a
// context, which costs the context and a copy of the request: 4
// allocations, held to at most 4.
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
	off, on, watched := newServer(false), newServer(true), newServer(true)
	watched.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/_s3cors/api/requests", nil)) // someone looks
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
		without, with, watching := allocs(off), allocs(on), allocs(watched)
		t.Logf("%s: %.0f allocations without the inspector, %.0f with it unwatched, %.0f watched", tc.name, without, with, watching)
		if with != without {
			t.Errorf("%s: the unwatched inspector costs %.0f allocations, want 0", tc.name, with-without)
		}
		if watching-without > 4 {
			t.Errorf("%s: an event costs %.0f allocations, want at most 4", tc.name, watching-without)
		}
	}
}
