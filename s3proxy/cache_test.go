package s3proxy_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/s3proxy"
)

// events is an Observer that counts what it is told.
type events struct {
	mu         sync.Mutex
	cache      map[s3proxy.CacheEvent]int
	requests   map[string]int // "op status"
	preflights map[bool]int
	upstream   map[string]int // "op status"
}

func newEvents() *events {
	return &events{cache: map[s3proxy.CacheEvent]int{}, requests: map[string]int{}, preflights: map[bool]int{}, upstream: map[string]int{}}
}

func (e *events) Request(op string, status int, _ time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests[fmt.Sprint(op, " ", status)]++
}

func (e *events) Preflight(allowed bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.preflights[allowed]++
}

func (e *events) Cache(c s3proxy.CacheEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cache[c]++
}

func (e *events) Upstream(op string, status int, _ time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.upstream[fmt.Sprint(op, " ", status)]++
}

// take returns the cache events counted since the last call.
func (e *events) take() map[s3proxy.CacheEvent]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.cache
	e.cache = map[s3proxy.CacheEvent]int{}
	return out
}

// TestCacheEvents follows one bucket through the cache: a miss, hits,
// a revalidation after the TTL (conditional, with the ETag), a change
// made through another proxy, an eviction.
func TestCacheEvents(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	ev := newEvents()
	const ttl = 200 * time.Millisecond
	// The proxy's clock moves only when the test moves it, so that no
	// revalidation starts on its own on a slow machine and the counts
	// below are exact.
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, MaxBuckets: 2, Observer: ev, Now: clock.Now})
	other, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	client := sdkClient(other.URL, "AKID", "SECRET")
	putRules(t, client, "watched")
	ev.take()
	count.requests()

	preflight(t, front.URL, "/watched/obj")
	preflight(t, front.URL, "/watched/obj")
	if got := ev.take(); got[s3proxy.CacheMiss] != 1 || got[s3proxy.CacheHit] != 1 {
		t.Errorf("a miss then a hit: %v", got)
	}
	if seen := count.requests(); len(seen) != 1 || seen[0] != "GET /"+s3proxy.DefaultConfigBucket+"/watched/cors.xml" {
		t.Errorf("the miss asked the upstream %q", seen)
	}

	clock.advance(ttl + 50*time.Millisecond)
	preflight(t, front.URL, "/watched/obj") // answered from the cache; revalidates in the background
	waitFor(t, func() bool { return ev.take()[s3proxy.CacheRevalidated] == 1 }, "a revalidation")
	if seen := count.headers("If-None-Match"); len(seen) == 0 || seen[len(seen)-1] == "" {
		t.Errorf("the revalidation was not conditional: If-None-Match %q", seen)
	}

	// A change through the other proxy: this one takes it at its first
	// request after the TTL.
	mustOK(t, sdkErr(client.PutBucketCors(context.Background(), &s3.PutBucketCorsInput{Bucket: aws.String("watched"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedOrigins: []string{"https://new.example"}, AllowedMethods: []string{"GET"}}}}})))
	clock.advance(ttl + 50*time.Millisecond)
	preflight(t, front.URL, "/watched/obj")
	waitFor(t, func() bool {
		r := do(t, "OPTIONS", front.URL+"/watched/obj", nil, "Origin", "https://new.example", "Access-Control-Request-Method", "GET")
		return r.StatusCode == http.StatusOK
	}, "the change made through the other proxy")
	if got := ev.take(); got[s3proxy.CacheUpdated] != 1 {
		t.Errorf("the change: %v", got)
	}

	// Two more buckets in a cache of two: one is evicted, and never the
	// configured one.
	preflight(t, front.URL, "/gone-1/obj")
	preflight(t, front.URL, "/gone-2/obj")
	if got := ev.take(); got[s3proxy.CacheEvicted] != 1 || got[s3proxy.CacheMiss] != 2 {
		t.Errorf("three buckets in a cache of two: %v", got)
	}
	count.requests()
	do(t, "OPTIONS", front.URL+"/watched/obj", nil, "Origin", "https://new.example", "Access-Control-Request-Method", "GET")
	if seen := count.requests(); len(seen) != 0 {
		t.Errorf("the configured bucket was evicted before the ones without a configuration: %q", seen)
	}
	ev.mu.Lock()
	defer ev.mu.Unlock()
	if ev.preflights[true] == 0 || ev.preflights[false] == 0 || ev.requests["Preflight 200"] == 0 || ev.upstream["GetConfig 200"] == 0 {
		t.Errorf("the other events: preflights %v, requests %v, upstream %v", ev.preflights, ev.requests, ev.upstream)
	}
}

// stallFirstMiss is an Observer that holds the first request to miss the
// cache, just after the miss, until release is closed.
type stallFirstMiss struct {
	*events
	held             atomic.Bool
	stalled, release chan struct{}
}

func (s *stallFirstMiss) Cache(c s3proxy.CacheEvent) {
	s.events.Cache(c)
	// Not a sync.Once: its other callers would wait for the one held.
	if c == s3proxy.CacheMiss && s.held.CompareAndSwap(false, true) {
		close(s.stalled)
		<-s.release
	}
}

// TestLateMissCollapses: a request that saw a miss but reaches the fetch
// only once another request's fetch has filled the cache is answered from
// what that fetch installed, without asking the upstream again.
func TestLateMissCollapses(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	obs := &stallFirstMiss{events: newEvents(), stalled: make(chan struct{}), release: make(chan struct{})}
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: time.Minute, Observer: obs})
	release := sync.OnceFunc(func() { close(obs.release) })
	t.Cleanup(release) // before the proxy's server closes, should the test end early
	other, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	putRules(t, sdkClient(other.URL, "AKID", "SECRET"), "late")
	count.requests()

	late := preflightAsync(front.URL + "/late/obj")
	<-obs.stalled
	if s := preflight(t, front.URL, "/late/obj").StatusCode; s != http.StatusOK {
		t.Errorf("the request that filled the cache: %d", s)
	}
	release()
	if s := <-late; s != "200 OK" {
		t.Errorf("the late request: %s", s)
	}
	if seen := count.requests(); len(seen) != 1 {
		t.Errorf("two misses, one after the other's fetch, asked the upstream %q; want one GET", seen)
	}
}

// testClock is a clock that moves only when told to.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// waitFor polls cond for up to 30 s: what it waits for takes
// milliseconds, and the bound only ends a test that would wait for ever,
// leaving room for a loaded machine.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 30 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestVirtualHosted addresses buckets by host through the proxy, in
// front of s3cors serve, which knows the same domain: aws-sdk-go-v2 on
// its default addressing (http://BUCKET.localhost:PORT), Signature
// Version 4 verified by serve as the client made it, the CORS operations
// answered by the proxy, a preflight by host.
func TestVirtualHosted(t *testing.T) {
	t.Parallel()
	serve := startServe(t, "--domain", "localhost")
	front, _ := startProxy(t, s3proxy.Options{Upstream: serve.url, Domains: []string{"localhost"}, AllowedHosts: []string{"localhost"},
		UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
	addr := strings.TrimPrefix(front.URL, "http://")
	port := addr[strings.LastIndex(addr, ":"):]
	dialer := &net.Dialer{}
	client := s3.New(s3.Options{
		BaseEndpoint: aws.String("http://localhost" + port),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(upstreamAccessKey, upstreamSecretKey, ""),
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		}}},
		RetryMaxAttempts: 1,
	})
	ctx := context.Background()
	b := aws.String("byhost")
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})))
	mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}})))
	data := randomBytes(11<<20, 3)
	tm := transfermanager.New(client, func(o *transfermanager.Options) { o.PartSizeBytes = 5 << 20 })
	_, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{Bucket: b, Key: aws.String("big"), Body: strings.NewReader(string(data))})
	mustOK(t, err)
	if got, _ := getObject(t, client, "byhost", "big", ""); string(got) != string(data) {
		t.Errorf("the object uploaded by host differs: %d bytes back", len(got))
	}
	cors, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	if err != nil || len(cors.CORSRules) != 1 {
		t.Errorf("GetBucketCors by host: %v %+v", err, cors)
	}
	r := do(t, "OPTIONS", front.URL+"/obj", nil, "Host", "byhost.localhost"+port, "Origin", "https://app.example", "Access-Control-Request-Method", "PUT")
	if r.StatusCode != http.StatusOK || r.Header.Get("Access-Control-Allow-Methods") != "GET, PUT" {
		t.Errorf("preflight by host: %d %s", r.StatusCode, corsHeaders(r.Header))
	}
	if r := do(t, "GET", front.URL+"/obj", nil, "Host", "attacker.example"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a Host not allowed: %d", r.StatusCode)
	}
	// A bucket's name ending in "." is refused before anything reaches
	// the store, which might read the bucket from the path instead
	// ("/s3cors-config/..." here); path style by "localhost." is one
	// bucket either way, and answered.
	for _, path := range []string{"/obj", "/" + s3proxy.DefaultConfigBucket + "/byhost/cors.xml"} {
		r := do(t, "GET", front.URL+path, nil, "Host", "byhost.localhost."+port, "Origin", "https://app.example")
		if want := "<ArgumentValue>byhost.localhost." + port + "</ArgumentValue>"; r.StatusCode != http.StatusBadRequest ||
			!strings.Contains(string(r.body), "<Code>InvalidArgument</Code>") || !strings.Contains(string(r.body), want) {
			t.Errorf("GET %s by Host byhost.localhost.: %d\n%s", path, r.StatusCode, r.body)
		}
	}
	if r := do(t, "OPTIONS", front.URL+"/byhost/obj", nil, "Host", "localhost."+port, "Origin", "https://app.example", "Access-Control-Request-Method", "PUT"); r.StatusCode != http.StatusOK {
		t.Errorf("preflight by path through Host localhost.: %d %s", r.StatusCode, r.body)
	}
}

// TestStaleEndsWithRefill lets the store fail until a cached entry is
// older than MaxStale, then answer again: the look-up that refills the
// entry ends its stale spell, so that the requests it then answers are
// counted and logged as fresh (CacheHit), not stale.
func TestStaleEndsWithRefill(t *testing.T) {
	t.Parallel()
	up := startTroubled(t)
	ev := newEvents()
	const ttl, maxStale = time.Second, 10 * time.Second
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, MaxStale: maxStale, Observer: ev, Now: clock.Now})
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "spell")

	up.set(failing)
	clock.advance(ttl)
	waitFor(t, func() bool {
		return preflight(t, front.URL, "/spell/obj").StatusCode == http.StatusOK && ev.take()[s3proxy.CacheStale] > 0
	}, "a stale answer")
	clock.advance(maxStale)
	wantS3Error(t, "preflight past MaxStale", preflight(t, front.URL, "/spell/obj"), http.StatusServiceUnavailable, "ServiceUnavailable")

	up.set(healthy)
	if r := preflight(t, front.URL, "/spell/obj"); r.StatusCode != http.StatusOK {
		t.Fatalf("preflight once the store answers again: %d %s", r.StatusCode, r.body)
	}
	ev.take()
	preflight(t, front.URL, "/spell/obj")
	if got := ev.take(); got[s3proxy.CacheHit] != 1 || got[s3proxy.CacheStale] != 0 {
		t.Errorf("a request within the TTL of the refill: %v, want one hit", got)
	}
}

// noETags serves next as a store without ETags: it sends none, and so
// answers no If-None-Match.
func noETags(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("If-None-Match")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for name, v := range rec.Header() {
			if name != "Etag" {
				w.Header()[name] = v
			}
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// TestRevalidateWithoutETag revalidates entries with a store that sends
// no ETag, so that the proxy cannot ask conditionally and gets the
// document whole each time: the same document is the entry confirmed
// (revalidated), not replaced (updated), whether it is a configuration
// or one the proxy cannot read, which is logged once, not at every
// revalidation.
func TestRevalidateWithoutETag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		doc  string // written to the store directly; "" through the proxy
	}{
		{"configuration", ""},
		{"not a configuration", "<CORSConfiguration><CORSRule>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up, _ := startGofakes3(t)
			store := httptest.NewServer(noETags(up.Config.Handler))
			t.Cleanup(store.Close)
			ev := newEvents()
			const ttl = time.Second
			clock := &testClock{now: time.Now()}
			var logged strings.Builder
			var logMu sync.Mutex
			logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
				logMu.Lock()
				defer logMu.Unlock()
				return logged.Write(p)
			}), &slog.HandlerOptions{Level: slog.LevelError}))
			front, _ := startProxy(t, s3proxy.Options{Upstream: store.URL, ConfigTTL: ttl, Observer: ev, Now: clock.Now, Logger: logger})
			putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "tagless")
			if tc.doc != "" {
				r := do(t, "PUT", up.URL+"/"+s3proxy.DefaultConfigBucket+"/tagless/cors.xml", []byte(tc.doc))
				if r.StatusCode != http.StatusOK {
					t.Fatalf("writing the store: %d %s", r.StatusCode, r.body)
				}
				clock.advance(ttl)
				preflight(t, front.URL, "/tagless/obj")
				waitFor(t, func() bool { return ev.take()[s3proxy.CacheUpdated] == 1 }, "the document read")
			}
			for range 3 {
				clock.advance(ttl)
				preflight(t, front.URL, "/tagless/obj")
				waitFor(t, func() bool {
					ev.mu.Lock()
					defer ev.mu.Unlock()
					return ev.cache[s3proxy.CacheRevalidated]+ev.cache[s3proxy.CacheUpdated] > 0
				}, "revalidation")
				if got := ev.take(); got[s3proxy.CacheRevalidated] != 1 || got[s3proxy.CacheUpdated] != 0 {
					t.Errorf("a revalidation that got the same document: %v, want it revalidated", got)
				}
			}
			logMu.Lock()
			defer logMu.Unlock()
			if n := strings.Count(logged.String(), "configuration is not valid"); tc.doc != "" && n != 1 {
				t.Errorf("the document the proxy cannot read was logged %d times, want once:\n%s", n, logged.String())
			}
		})
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// freshETags serves next as a store whose ETags are not the MD5 of the
// content, as S3's are not for an object encrypted with SSE-KMS (S3 API
// reference, Object): here each write of an object gets a new one, the
// same bytes too.
func freshETags(next http.Handler) http.Handler {
	var mu sync.Mutex
	tags := map[string]string{}
	writes := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tag := tags[r.URL.Path]
		mu.Unlock()
		if r.Method == http.MethodGet && tag != "" && r.Header.Get("If-None-Match") == tag {
			w.Header().Set("ETag", tag)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		r.Header.Del("If-None-Match")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if r.Method == http.MethodPut && rec.Code == http.StatusOK {
			mu.Lock()
			writes++
			tag = fmt.Sprintf(`"kms-%d"`, writes)
			tags[r.URL.Path] = tag
			mu.Unlock()
		}
		for name, v := range rec.Header() {
			w.Header()[name] = v
		}
		if tag != "" {
			w.Header().Set("ETag", tag)
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// TestRevalidateSameDocumentNewETag revalidates an entry once with a
// 304 Not Modified, then once the same document was written again under
// a new ETag: the document is the one the entry was made of, so the
// entry is confirmed (revalidated), as after any other revalidation, not
// compiled again and counted as updated because the 304 lost what it
// was made of.
func TestRevalidateSameDocumentNewETag(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	store := httptest.NewServer(freshETags(up.Config.Handler))
	t.Cleanup(store.Close)
	ev := newEvents()
	const ttl = time.Second
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: store.URL, ConfigTTL: ttl, Observer: ev, Now: clock.Now})
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "rewritten")
	revalidate := func(what string) map[s3proxy.CacheEvent]int {
		t.Helper()
		ev.take()
		clock.advance(ttl)
		preflight(t, front.URL, "/rewritten/obj")
		waitFor(t, func() bool {
			ev.mu.Lock()
			defer ev.mu.Unlock()
			return ev.cache[s3proxy.CacheRevalidated]+ev.cache[s3proxy.CacheUpdated] > 0
		}, what)
		return ev.take()
	}
	if got := revalidate("a revalidation answered 304"); got[s3proxy.CacheRevalidated] != 1 || got[s3proxy.CacheUpdated] != 0 {
		t.Fatalf("a revalidation answered 304: %v, want it revalidated", got)
	}
	configPath := "/" + s3proxy.DefaultConfigBucket + "/rewritten/cors.xml"
	stored := do(t, "GET", store.URL+configPath, nil)
	if stored.StatusCode != http.StatusOK {
		t.Fatalf("reading the store: %d %s", stored.StatusCode, stored.body)
	}
	if r := do(t, "PUT", store.URL+configPath, stored.body); r.StatusCode != http.StatusOK {
		t.Fatalf("writing the same document again: %d %s", r.StatusCode, r.body)
	}
	if got := revalidate("a revalidation that got the same document"); got[s3proxy.CacheRevalidated] != 1 || got[s3proxy.CacheUpdated] != 0 {
		t.Errorf("a revalidation that got the same document under a new ETag: %v, want it revalidated", got)
	}
}

// TestFailedRevalidationWaitsTTL makes the store fail while buckets in
// use are served from the cache: a revalidation that failed is tried
// again a TTL later, not at the next request, so that a failing store
// (one answering 503 SlowDown, the very answer that asks for fewer
// requests) gets at most one request per bucket a TTL, as the package
// documentation bounds revalidations, not one per request; and the
// revalidations of a bucket without a configuration do not spend the
// budget of look-ups at every request.
func TestFailedRevalidationWaitsTTL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		bucket string
		status int // of the preflight, answered from the entry
	}{
		{"configuration", "configured", http.StatusOK},
		{"no configuration", "bare", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := startTroubled(t)
			ev := newEvents()
			const ttl = time.Second
			clock := &testClock{now: time.Now()}
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, MaxStale: time.Hour, Observer: ev, Now: clock.Now})
			client := sdkClient(front.URL, "AKID", "SECRET")
			if tc.bucket == "configured" {
				putRules(t, client, tc.bucket)
			} else {
				mustOK(t, sdkErr(client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(tc.bucket)})))
				if r := preflight(t, front.URL, "/"+tc.bucket+"/obj"); r.StatusCode != tc.status {
					t.Fatalf("preflight before the trouble: %d %s", r.StatusCode, r.body)
				}
			}
			failed := func() int {
				ev.mu.Lock()
				defer ev.mu.Unlock()
				return ev.upstream["GetConfig 503"]
			}
			up.set(failing)
			for round := 1; round <= 2; round++ {
				clock.advance(ttl)
				// Within one TTL, many requests, each given the time for
				// a revalidation it started to fail.
				for range 20 {
					if r := preflight(t, front.URL, "/"+tc.bucket+"/obj"); r.StatusCode != tc.status {
						t.Fatalf("preflight while the store fails: %d %s", r.StatusCode, r.body)
					}
					time.Sleep(10 * time.Millisecond)
				}
				waitFor(t, func() bool { return failed() >= round }, "a failed revalidation")
				if n := failed(); n != round {
					t.Fatalf("after %d TTLs of requests, the failing store got %d requests, want one a TTL", round, n)
				}
			}
			// Once the store answers again, the next try a TTL later
			// confirms the entry and ends the stale spell.
			up.set(healthy)
			clock.advance(ttl)
			preflight(t, front.URL, "/"+tc.bucket+"/obj")
			waitFor(t, func() bool {
				ev.take()
				preflight(t, front.URL, "/"+tc.bucket+"/obj")
				return ev.take()[s3proxy.CacheHit] == 1
			}, "a fresh answer once the store is back")
		})
	}
}

// TestChangeDuringFailedRevalidation changes a bucket's configuration
// through the proxy while a revalidation of the old one waits for the
// store, which then fails it: the failure is about a state the proxy no
// longer serves, so the new configuration, which the store just took,
// is fresh (a hit, logged without config_stale), not served stale.
func TestChangeDuringFailedRevalidation(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	store := startHoldingStore(t, up, "changed", false)
	ev := newEvents()
	const ttl = time.Second
	clock := &testClock{now: time.Now()}
	log := &logBuffer{}
	front, _ := startProxy(t, s3proxy.Options{Upstream: store.URL, ConfigTTL: ttl, Observer: ev, Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(log, nil))})
	client := sdkClient(front.URL, "AKID", "SECRET")
	putRules(t, client, "changed")

	store.hold.Store(true)
	clock.advance(ttl)
	preflight(t, front.URL, "/changed/obj") // starts the revalidation the store holds
	<-store.held
	mustOK(t, sdkErr(client.PutBucketCors(context.Background(), &s3.PutBucketCorsInput{Bucket: aws.String("changed"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedOrigins: []string{"https://new.example"}, AllowedMethods: []string{"GET"}}}}})))
	store.release()
	waitFor(t, func() bool {
		ev.mu.Lock()
		defer ev.mu.Unlock()
		return ev.upstream["GetConfig 503"] == 1
	}, "the failed revalidation")
	time.Sleep(50 * time.Millisecond) // for the revalidation to record its failure
	log.requestLines(t)
	ev.take()
	r := do(t, "OPTIONS", front.URL+"/changed/obj", nil, "Origin", "https://new.example", "Access-Control-Request-Method", "GET")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("preflight of the new configuration: %d %s", r.StatusCode, r.body)
	}
	if got := ev.take(); got[s3proxy.CacheHit] != 1 || got[s3proxy.CacheStale] != 0 {
		t.Errorf("the configuration just changed: %v, want a hit, not stale", got)
	}
	if lines := log.waitLines(t, 1); len(lines) != 1 || strings.Contains(lines[0], "config_stale") {
		t.Errorf("the configuration just changed was logged as stale: %q", lines)
	}
}

// TestTTLFromTheStoresAnswer: an entry is used for ConfigTTL after the
// store confirmed it (package documentation), not after its answer
// reached the proxy: a revalidation whose answer, read before a change
// made through another proxy, takes half a TTL to come back must not
// hold the old configuration half a TTL longer. A TTL after the change,
// the next preflight starts a revalidation that finds it: the bound of
// "ConfigTTL plus one upstream round trip after the change", which
// TestThreeProxies measures, and which a slow round trip before the
// change stretched by its length.
func TestTTLFromTheStoresAnswer(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	// The store answers at once; the answer reaches the proxy when the
	// test says.
	store := startHoldingStore(t, up, "ttl", true)
	ev := newEvents()
	const ttl = time.Second
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: store.URL, ConfigTTL: ttl, MaxStale: time.Hour, Observer: ev, Now: clock.Now})
	t.Cleanup(store.release) // before the proxy's cleanup, should the test end early
	other, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "ttl")

	store.hold.Store(true)
	clock.advance(ttl)
	preflight(t, front.URL, "/ttl/obj") // starts the revalidation the store answers at once
	<-store.held
	// Changed through the other proxy just after the store answered.
	mustOK(t, sdkErr(sdkClient(other.URL, "AKID", "SECRET").PutBucketCors(context.Background(), &s3.PutBucketCorsInput{Bucket: aws.String("ttl"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedOrigins: []string{"https://new.example"}, AllowedMethods: []string{"GET"}}}}})))
	clock.advance(ttl / 2) // the answer's way back
	store.release()
	waitFor(t, func() bool {
		ev.mu.Lock()
		defer ev.mu.Unlock()
		return ev.cache[s3proxy.CacheRevalidated] == 1
	}, "the revalidation held on its way back")

	// A TTL after the store's answer, and after the change: the next
	// request starts a revalidation, which finds the new configuration.
	clock.advance(ttl / 2)
	waitFor(t, func() bool {
		r := do(t, "OPTIONS", front.URL+"/ttl/obj", nil, "Origin", "https://new.example", "Access-Control-Request-Method", "GET")
		return r.StatusCode == http.StatusOK
	}, "answer with the change a TTL after the store's answer")
}

// TestStaleAnswersWhileStoreHolds: a configuration served stale (its
// last revalidation failed) answers a preflight at once while the next
// revalidation, which that preflight starts, waits for the store: the
// store holds it until the answer has come, so a proxy that waited
// would answer only past the 30 s bound, or not at once in any case. No
// clock of the machine's speed enters it, as the bound on 20 cached
// preflights in TestUpstreamTrouble did.
func TestStaleAnswersWhileStoreHolds(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	store := startHoldingStore(t, up, "held", false)
	ev := newEvents()
	const ttl = time.Second
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: store.URL, ConfigTTL: ttl, MaxStale: time.Hour, Observer: ev, Now: clock.Now})
	// Runs before the proxy's cleanup, which waits for its revalidations.
	t.Cleanup(store.release)
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "held")

	// A revalidation fails: the entry is served stale. The clock stays,
	// so that no other revalidation starts meanwhile.
	store.fail.Store(true)
	clock.advance(ttl)
	preflight(t, front.URL, "/held/obj")
	waitFor(t, func() bool {
		ev.take()
		preflight(t, front.URL, "/held/obj")
		return ev.take()[s3proxy.CacheStale] == 1
	}, "a stale answer once the revalidation failed")

	// A TTL later the next preflight starts a revalidation, which the
	// store holds until the preflight has its answer.
	store.hold.Store(true)
	clock.advance(ttl)
	answered := preflightAsync(front.URL + "/held/obj")
	select {
	case s := <-answered:
		if s != "200 OK" {
			t.Errorf("the stale preflight: %s, want 200 OK", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no answer in 30 s to a preflight with a stale entry: it waits for the store's revalidation")
	}
	<-store.held // the preflight did start the revalidation it was not to wait for
	if got := ev.take(); got[s3proxy.CacheStale] != 1 {
		t.Errorf("the preflight during the held revalidation: %v, want it served stale", got)
	}
}

// TestFloodKeepsConfigured fills a cache almost wholly with buckets that
// have a configuration, then floods it with names that hold none, within
// the budget of look-ups: each new entry evicts one without a
// configuration, as the package documentation promises ("evicting
// entries without a configuration first"), so the buckets in use stay
// cached and cost the store nothing more, however few the entries without
// one are among the many with.
func TestFloodKeepsConfigured(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	const configured, maxBuckets = 60, 64
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: time.Hour, MaxStale: time.Hour,
		MaxBuckets: maxBuckets, LookupRate: 1000})
	client := sdkClient(front.URL, "AKID", "SECRET")
	ctx := context.Background()
	for i := range configured {
		b := aws.String(fmt.Sprintf("kept-%d", i))
		mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})))
		mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}})))
	}
	for i := range 200 {
		if r := preflight(t, front.URL, fmt.Sprintf("/flood-%d/obj", i)); r.StatusCode != http.StatusForbidden {
			t.Fatalf("preflight of a bucket that does not exist: %d %s", r.StatusCode, r.body)
		}
	}
	count.requests()
	for i := range configured {
		if r := preflight(t, front.URL, fmt.Sprintf("/kept-%d/obj", i)); r.StatusCode != http.StatusOK {
			t.Fatalf("preflight of kept-%d: %d %s", i, r.StatusCode, r.body)
		}
	}
	if seen := count.requests(); len(seen) != 0 {
		t.Errorf("the flood evicted %d of the %d buckets with a configuration: %q", len(seen), configured, seen)
	}
}

// TestGetBucketCorsLooksUpOnce sends GetBucketCors with an Origin, as
// a browser's SDK does: the CORS middleware's look-up and the answer's
// are one, so the request is one cache event (a miss, then a hit), as
// the Observer counts requests, and its CORS headers and its body come
// from the same configuration, not from two look-ups between which a
// revalidation may replace it.
func TestGetBucketCorsLooksUpOnce(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	ev := newEvents()
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: time.Hour, Observer: ev})
	other, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	putRules(t, sdkClient(other.URL, "AKID", "SECRET"), "asked")
	for _, want := range []map[s3proxy.CacheEvent]int{{s3proxy.CacheMiss: 1}, {s3proxy.CacheHit: 1}} {
		ev.take()
		r := do(t, "GET", front.URL+"/asked?cors", nil, "Origin", "https://app.example")
		if r.StatusCode != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
			t.Fatalf("GetBucketCors with an Origin: %d %s\n%s", r.StatusCode, r.body, corsHeaders(r.Header))
		}
		if got := ev.take(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("one GetBucketCors: cache events %v, want %v", got, want)
		}
	}
}

// TestObserverRequestOps checks the op the Observer is told of for the
// requests S3 names no operation for, as Observer.Request documents them,
// and that those the proxy answers itself (the package documentation)
// never reach the upstream.
func TestObserverRequestOps(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	ev := newEvents()
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, AllowedHosts: []string{"127.0.0.1"}, Observer: ev})
	tests := []struct {
		method, path string
		header       []string
		op           string
		status       int // the proxy's own answer; 0 for the upstream's
	}{
		{"OPTIONS", "/photos/k", []string{"Origin", "https://app.example", "Access-Control-Request-Method", "GET"}, "Preflight", 403},
		{"OPTIONS", "/", []string{"Origin", "https://app.example", "Access-Control-Request-Method", "GET"}, "ServicePreflight", 403},
		{"GET", "/" + s3proxy.DefaultConfigBucket + "/photos/cors.xml", nil, "ConfigBucket", 403},
		{"GET", "/photos/k", []string{"Host", "evil.example"}, "HostNotAllowed", 400},
		{"PATCH", "/photos/k", nil, "", 0},
		// A GET naming a subresource without a GET form names no
		// operation either, and goes to the upstream as it is.
		{"GET", "/photos?delete", nil, "", 0},
		{"GET", "/photos/k?encryption", nil, "", 0},
		// Nor a HEAD naming an object's ?torrent at a bucket's path,
		// which S3 refuses there too, no HeadBucket, nor a GET of a
		// bucket's ?restore or a key's ?delete, no listing nor object.
		{"HEAD", "/photos?torrent", nil, "", 0},
		{"GET", "/photos?restore", nil, "", 0},
		{"GET", "/photos/k?delete", nil, "", 0},
		// And a method other than PUT on an upload's part.
		{"GET", "/photos/k?uploadId=x&partNumber=1", nil, "", 0},
		{"POST", "/photos/k?uploadId=x&partNumber=1", nil, "", 0},
	}
	for _, tc := range tests {
		ev.mu.Lock()
		clear(ev.requests)
		clear(ev.upstream)
		ev.mu.Unlock()
		r := do(t, tc.method, front.URL+tc.path, nil, tc.header...)
		// The Observer is told once the handler has returned, which may
		// be after the client has the answer: the upstream's to a HEAD,
		// with no Content-Length, is flushed at once, and has no body to
		// wait for (52 runs in 300 read no op here before the wait).
		waitFor(t, func() bool {
			ev.mu.Lock()
			defer ev.mu.Unlock()
			return len(ev.requests) > 0
		}, "request told to the Observer")
		ev.mu.Lock()
		var ops []string
		for key := range ev.requests {
			op, _, _ := strings.Cut(key, " ")
			ops = append(ops, op)
		}
		forwarded := false
		for key := range ev.upstream {
			forwarded = forwarded || strings.HasPrefix(key, "Forward ")
		}
		ev.mu.Unlock()
		if len(ops) != 1 || ops[0] != tc.op {
			t.Errorf("%s %s: the Observer was told of ops %q, want %q", tc.method, tc.path, ops, tc.op)
		}
		if own := tc.status != 0; forwarded == own || own && r.StatusCode != tc.status {
			t.Errorf("%s %s: answered %d, forwarded %v; want %d from the proxy itself", tc.method, tc.path, r.StatusCode, forwarded, tc.status)
		}
	}
}

// TestFloodSparesConfiguredPastMaxStale leaves a bucket with a
// configuration unused past MaxStale, then sends its preflights while a
// flood of random names has taken the budget of look-ups: the budget
// bounds what such names cost, and a configured bucket, which only
// holders of the keys make, costs at most one GET a TTL without it (the
// package documentation), so its refill is not refused with SlowDown;
// and while the store fails, its fetch is tried once a TTL, not at every
// request.
func TestFloodSparesConfiguredPastMaxStale(t *testing.T) {
	t.Parallel()
	for _, storeFails := range []bool{false, true} {
		t.Run(fmt.Sprint("store_fails=", storeFails), func(t *testing.T) {
			t.Parallel()
			up := startTroubled(t)
			ev := newEvents()
			clock := &testClock{now: time.Now()}
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: time.Second, MaxStale: 2 * time.Second,
				LookupRate: 1, Observer: ev, Now: clock.Now})
			putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "kept")
			if r := preflight(t, front.URL, "/kept/obj"); r.StatusCode != http.StatusOK {
				t.Fatalf("preflight of kept: %d %s", r.StatusCode, r.body)
			}
			if storeFails {
				up.set(failing)
			}
			clock.advance(time.Hour)
			slowedDown := false
			for i := 0; !slowedDown && i < 10; i++ {
				r := preflight(t, front.URL, fmt.Sprintf("/flood-%d/obj", i))
				slowedDown = r.StatusCode == http.StatusServiceUnavailable && strings.Contains(string(r.body), "<Code>SlowDown</Code>")
			}
			if !slowedDown {
				t.Fatal("the flood never took the budget of look-ups")
			}
			if !storeFails {
				if r := preflight(t, front.URL, "/kept/obj"); r.StatusCode != http.StatusOK {
					t.Errorf("preflight of kept, unused past MaxStale, during the flood: %d %s", r.StatusCode, r.body)
				}
				return
			}
			failed := func() int {
				ev.mu.Lock()
				defer ev.mu.Unlock()
				return ev.upstream["GetConfig 503"]
			}
			before := failed()
			for range 20 {
				preflight(t, front.URL, "/kept/obj")
			}
			if got := failed() - before; got != 1 {
				t.Errorf("20 preflights of kept within a TTL while the store fails: %d GETs of its configuration, want 1", got)
			}
		})
	}
}

// TestLongTTLRevalidatesInBackground gives the proxy a TTL longer than
// DefaultMaxStale and no MaxStale: a configuration past its TTL is still
// answered from the cache, while it is revalidated in the background, as
// the package documentation promises for every TTL, rather than waiting
// for the store at each TTL (here a store that hangs, which would have
// the preflight refused with 503 once UpstreamTimeout passed).
func TestLongTTLRevalidatesInBackground(t *testing.T) {
	t.Parallel()
	up := startTroubled(t)
	const ttl = 10 * time.Minute
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, UpstreamTimeout: 2 * time.Second, Now: clock.Now})
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "long")
	up.set(hang)
	clock.advance(ttl)
	if r := preflight(t, front.URL, "/long/obj"); r.StatusCode != http.StatusOK {
		t.Errorf("preflight a TTL after the change, the store slow to revalidate: %d %s, want 200 from the cache", r.StatusCode, r.body)
	}
}

// preflightAsync sends preflight's request to url on a goroutine of its
// own, and gives its answer's status, or its error, on the channel.
func preflightAsync(url string) <-chan string {
	answered := make(chan string, 1)
	go func() {
		r, _ := http.NewRequest("OPTIONS", url, nil)
		r.Header.Set("Origin", "https://app.example")
		r.Header.Set("Access-Control-Request-Method", "GET")
		resp, err := testClient.Do(r)
		if err != nil {
			answered <- err.Error()
			return
		}
		resp.Body.Close()
		answered <- resp.Status
	}()
	return answered
}

// holdingStore is up behind a server that can fail or hold the GETs of
// one bucket's stored configuration, to show what the proxy does while
// the store is slow or failing.
type holdingStore struct {
	*httptest.Server
	// hold holds the next GET of the configuration: held is closed when
	// it comes, and it is answered once release is called, with 503, or
	// with the store's own answer made when it came (answerHeld).
	hold atomic.Bool
	// fail answers every GET of the configuration with 503.
	fail    atomic.Bool
	held    chan struct{}
	release func()
}

func startHoldingStore(t *testing.T, up *httptest.Server, bucket string, answerHeld bool) *holdingStore {
	configPath := "/" + s3proxy.DefaultConfigBucket + "/" + bucket + "/cors.xml"
	released := make(chan struct{})
	s := &holdingStore{held: make(chan struct{}), release: sync.OnceFunc(func() { close(released) })}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != configPath {
			up.Config.Handler.ServeHTTP(w, r)
			return
		}
		if s.hold.CompareAndSwap(true, false) {
			rec := httptest.NewRecorder()
			if answerHeld {
				up.Config.Handler.ServeHTTP(rec, r)
			} else {
				rec.WriteHeader(http.StatusServiceUnavailable)
			}
			close(s.held)
			<-released
			maps.Copy(w.Header(), rec.Header())
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		if s.fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		up.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestCacheEventNames checks the names the events go by, which s3cors
// proxy's metric s3cors_proxy_config_cache_events_total takes for its
// label event and the README lists for operators' alerts: the events
// are counted by their constants everywhere else, so names given in
// another order would count every miss as a revalidation unseen.
func TestCacheEventNames(t *testing.T) {
	t.Parallel()
	events := []struct {
		event s3proxy.CacheEvent
		name  string
	}{
		{s3proxy.CacheHit, "hit"}, {s3proxy.CacheStale, "stale"}, {s3proxy.CacheMiss, "miss"},
		{s3proxy.CacheRevalidated, "revalidated"}, {s3proxy.CacheUpdated, "updated"},
		{s3proxy.CacheRefused, "refused"}, {s3proxy.CacheEvicted, "evicted"},
		{s3proxy.CacheEvicted + 1, "unknown"},
	}
	var documented []string
	for _, c := range events {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := c.event.String(); got != c.name {
				t.Errorf("CacheEvent(%d).String() = %q, want %q", uint8(c.event), got, c.name)
			}
		})
		if c.name != "unknown" {
			documented = append(documented, c.name)
		}
	}
	readme, err := os.ReadFile("../README.md")
	mustOK(t, err)
	if want := `event="` + strings.Join(documented, "|") + `"`; !strings.Contains(string(readme), want) {
		t.Errorf("the README does not list the events as %s", want)
	}
}
