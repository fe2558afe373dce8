package bucket_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
)

// TestReplaceWhileServing swaps a bucket's configuration back and forth
// while preflights run on other goroutines: every answer must come wholly
// from one configuration, never half from each. The test goes on until
// answers have come from both configurations and, with more than one P,
// many requests ran while the swapper made a swap, and fails if that
// never happens: a run in which the swaps and the requests did not
// overlap proves nothing. Each request also has its configuration
// swapped while it runs, just after it was resolved, whatever the
// scheduling: with one P that is the overlap there is.
func TestReplaceWhileServing(t *testing.T) {
	t.Parallel()
	configs := [2]*bucket.Config{
		bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"},
			AllowedHeaders: []string{"x-a"}, ExposeHeaders: []string{"A-Expose"}, MaxAgeSeconds: maxAge(100)}),
		bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://*.example"}, AllowedMethods: []string{"GET", "PUT"},
			AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"B-Expose"}, MaxAgeSeconds: maxAge(200)}),
	}
	want := [2]map[string]string{
		{"Access-Control-Allow-Methods": "GET", "Access-Control-Expose-Headers": "A-Expose", "Access-Control-Max-Age": "100"},
		{"Access-Control-Allow-Methods": "GET, PUT", "Access-Control-Expose-Headers": "B-Expose", "Access-Control-Max-Age": "200"},
	}
	var current atomic.Pointer[bucket.Config]
	current.Store(configs[0])
	// swaps counts the swapper's swaps: a request during which it
	// changed ran while another goroutine replaced its configuration.
	// The resolver's own swap is not counted: it overlaps every request.
	var swaps atomic.Int64
	h := (&bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) {
		c := current.Load()
		// Every request also has its configuration replaced at once
		// after it was resolved, while the request runs: the swapper
		// below overlaps requests only when they run in parallel or are
		// preempted in the middle, which with one P (GOMAXPROCS=1, -cpu
		// 1) is too seldom to reach minOverlapped (148 in 20 s).
		other := configs[0]
		if c == configs[0] {
			other = configs[1]
		}
		current.CompareAndSwap(c, other)
		return bucket.Target{Config: c, Object: true}, true
	}}).Wrap(http.NotFoundHandler())

	stop := make(chan struct{})
	swapper := make(chan struct{})
	go func() {
		defer close(swapper)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				current.Store(configs[i%2])
				swaps.Add(1)
			}
		}
	}()

	// minOverlapped is a few hundred: in the fresh-clone CI, with other
	// packages' tests on both cores, the swapper overlapped 795 requests
	// in 20 s, and 1,000 failed the test.
	const workers, perWorker, minOverlapped = 8, 500, 200
	var seen [2]atomic.Int64
	var overlapped atomic.Int64
	// With one P the swapper runs only when a request is preempted,
	// too seldom to count on (148 overlaps in 20 s).
	wantOverlapped := int64(minOverlapped)
	if runtime.GOMAXPROCS(0) == 1 {
		wantOverlapped = 0
	}
	exercised := func() bool {
		return seen[0].Load() > 0 && seen[1].Load() > 0 && overlapped.Load() >= wantOverlapped
	}
	deadline := time.Now().Add(60 * time.Second)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := 0; (i < perWorker || !exercised()) && time.Now().Before(deadline); i++ {
				req := httptest.NewRequest("OPTIONS", "/b/k", nil)
				req.Header = hdr("Origin", "https://a.example", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-a")
				rec := httptest.NewRecorder()
				before := swaps.Load()
				h.ServeHTTP(rec, req)
				if swaps.Load() != before {
					overlapped.Add(1)
				}
				which := -1
				for i, w := range want {
					if rec.Header().Get("Access-Control-Max-Age") == w["Access-Control-Max-Age"] {
						which = i
					}
				}
				if which < 0 {
					t.Errorf("answer from neither configuration: %v", rec.Header())
					return
				}
				for k, v := range want[which] {
					if got := rec.Header().Get(k); got != v {
						t.Errorf("answer mixes configurations: %s = %q with Max-Age %s", k, got, want[which]["Access-Control-Max-Age"])
					}
				}
				seen[which].Add(1)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-swapper
	if !exercised() {
		t.Fatalf("the property was not exercised: answers from the first configuration %d, from the second %d, requests during a swap %d (want %d)",
			seen[0].Load(), seen[1].Load(), overlapped.Load(), wantOverlapped)
	}
}
