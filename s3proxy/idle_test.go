package s3proxy_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/s3proxy"
)

// newRules is the configuration a change through another proxy makes:
// it allows only https://new.example, so that https://app.example, which
// corsRules allows, is revoked.
var newRules = &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedOrigins: []string{"https://new.example"}, AllowedMethods: []string{"GET"}}}}

// configGets counts the GETs of bucket's stored configuration among the
// requests count saw since its last call.
func configGets(count *counter, bucket string) int {
	n := 0
	for _, r := range count.requests() {
		if r == "GET /"+s3proxy.DefaultConfigBucket+"/"+bucket+"/cors.xml" {
			n++
		}
	}
	return n
}

// TestIdleBucketRevalidatesFirst is audit 16's case: a bucket left idle
// on proxy B for more than two TTLs after a change made through proxy A.
// The issue promises that a change made through one proxy is answered
// by every other within the TTL; B's entry, which no request revalidated
// past its TTL, must not answer B's next request with the origin the
// change revoked (it did, for up to MaxStale): that request waits for
// one revalidation, a preflight as a GetBucketCors.
func TestIdleBucketRevalidatesFirst(t *testing.T) {
	t.Parallel()
	for _, first := range []string{"preflight", "GetBucketCors"} {
		t.Run(first, func(t *testing.T) {
			t.Parallel()
			up, _ := startGofakes3(t)
			const ttl = time.Second
			clock := &testClock{now: time.Now()}
			a, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
			b, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, Now: clock.Now})
			putRules(t, sdkClient(a.URL, "AKID", "SECRET"), "idle")
			if r := preflight(t, b.URL, "/idle/obj"); r.StatusCode != http.StatusOK {
				t.Fatalf("B's preflight before the change: %d %s", r.StatusCode, r.body)
			}
			mustOK(t, sdkErr(sdkClient(a.URL, "AKID", "SECRET").PutBucketCors(context.Background(),
				&s3.PutBucketCorsInput{Bucket: aws.String("idle"), CORSConfiguration: newRules})))
			clock.advance(10 * ttl) // idle, well within MaxStale (5 min)

			if first == "GetBucketCors" {
				got, err := sdkClient(b.URL, "AKID", "SECRET").GetBucketCors(context.Background(), &s3.GetBucketCorsInput{Bucket: aws.String("idle")})
				mustOK(t, err)
				if len(got.CORSRules) != 1 || len(got.CORSRules[0].AllowedOrigins) != 1 || got.CORSRules[0].AllowedOrigins[0] != "https://new.example" {
					t.Errorf("B's GetBucketCors after the idle spell: %+v, want the rules put through A", got.CORSRules)
				}
			}
			if r := preflight(t, b.URL, "/idle/obj"); r.StatusCode != http.StatusForbidden {
				t.Errorf("B's preflight of the revoked origin after the idle spell: %d, want 403", r.StatusCode)
			}
			r := do(t, "OPTIONS", b.URL+"/idle/obj", nil, "Origin", "https://new.example", "Access-Control-Request-Method", "GET")
			if r.StatusCode != http.StatusOK {
				t.Errorf("B's preflight of the new origin after the idle spell: %d %s", r.StatusCode, r.body)
			}
		})
	}
}

// TestBusyBucketDoesNotWait: an entry past its TTL but not two is
// answered at once while a background revalidation runs, as before idle
// buckets were revalidated first. The store holds that revalidation until
// the preflight has its answer, and a bucket in use every half TTL costs
// the store one GET a TTL, no more.
func TestBusyBucketDoesNotWait(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	store := startHoldingStore(t, up, "busy", true)
	ev := newEvents()
	const ttl = time.Second
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: store.URL, ConfigTTL: ttl, Observer: ev, Now: clock.Now})
	t.Cleanup(store.release) // before the proxy's cleanup, which waits for its revalidations
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "busy")
	count.requests()

	store.hold.Store(true)
	clock.advance(ttl + ttl/2)
	select {
	case s := <-preflightAsync(front.URL + "/busy/obj"):
		if s != "200 OK" {
			t.Errorf("the preflight past the TTL: %s, want 200 OK from the entry", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no answer in 30 s to a preflight of an entry between one and two TTLs old: it waits for the store")
	}
	<-store.held // the preflight started the revalidation it did not wait for
	store.release()
	waitFor(t, func() bool { return ev.take()[s3proxy.CacheRevalidated] == 1 }, "the background revalidation")
	if n := configGets(count, "busy"); n != 1 {
		t.Errorf("one revalidation asked the store %d times", n)
	}

	// In use every half TTL for four TTLs: one revalidation a TTL.
	revalidated := 0
	for i := 1; i <= 8; i++ {
		clock.advance(ttl / 2)
		if r := preflight(t, front.URL, "/busy/obj"); r.StatusCode != http.StatusOK {
			t.Fatalf("preflight of the bucket in use: %d %s", r.StatusCode, r.body)
		}
		// Each revalidation (every other preflight, a TTL after the last)
		// ends before the clock moves on.
		waitFor(t, func() bool {
			revalidated += ev.take()[s3proxy.CacheRevalidated]
			return revalidated >= i/2
		}, "the revalidation a TTL")
	}
	if n := configGets(count, "busy"); n != 4 {
		t.Errorf("four TTLs of a bucket in use asked the store %d times, want 4", n)
	}
}

// TestIdleBucketStoreDown: with the store failing or not answering, the
// first request for an entry idle past two TTLs waits for one
// revalidation and is answered from the entry, stale, not with 503; the
// requests after it, within the TTL the failure waits, answer at once
// without asking the store again, as for a failed background
// revalidation.
func TestIdleBucketStoreDown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		mode mode
	}{
		{"503", failing},
		{"no answer", hang},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := startTroubled(t)
			ev := newEvents()
			const ttl = time.Second
			clock := &testClock{now: time.Now()}
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, UpstreamTimeout: 500 * time.Millisecond,
				Observer: ev, Now: clock.Now})
			putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "down")
			if r := preflight(t, front.URL, "/down/obj"); r.StatusCode != http.StatusOK {
				t.Fatalf("preflight before the trouble: %d %s", r.StatusCode, r.body)
			}
			up.set(tc.mode)
			before := up.count.total.Load()
			clock.advance(3 * ttl)
			ev.take()
			for i := range 20 {
				r := preflight(t, front.URL, "/down/obj")
				if r.StatusCode != http.StatusOK {
					t.Fatalf("preflight %d with the store down: %d %s, want 200 from the entry", i, r.StatusCode, r.body)
				}
			}
			if n := up.count.total.Load() - before; n != 1 {
				t.Errorf("20 preflights of an idle entry with the store down asked it %d times, want once", n)
			}
			if got := ev.take(); got[s3proxy.CacheStale] != 20 {
				t.Errorf("the preflights with the store down: %v, want 20 stale", got)
			}
			// A TTL later, one more try, in the background.
			clock.advance(ttl)
			for range 5 {
				preflight(t, front.URL, "/down/obj")
			}
			waitFor(t, func() bool { return up.count.total.Load()-before >= 2 }, "the try a TTL later")
			time.Sleep(50 * time.Millisecond) // for a third, should one wrongly start
			if n := up.count.total.Load() - before; n != 2 {
				t.Errorf("a TTL after the failure, 5 preflights: the store was asked %d times in all, want twice", n)
			}
		})
	}
}

// TestIdleBucketConcurrent: concurrent requests for an entry idle past
// two TTLs make one upstream request, which they all wait for, and all
// answer with the change it finds.
func TestIdleBucketConcurrent(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	store := startHoldingStore(t, up, "crowd", true)
	const ttl = time.Second
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: store.URL, ConfigTTL: ttl, Now: clock.Now})
	t.Cleanup(store.release)
	other, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "crowd")
	if r := preflight(t, front.URL, "/crowd/obj"); r.StatusCode != http.StatusOK {
		t.Fatalf("preflight before the change: %d %s", r.StatusCode, r.body)
	}
	mustOK(t, sdkErr(sdkClient(other.URL, "AKID", "SECRET").PutBucketCors(context.Background(),
		&s3.PutBucketCorsInput{Bucket: aws.String("crowd"), CORSConfiguration: newRules})))
	count.requests()

	store.hold.Store(true)
	clock.advance(3 * ttl)
	var answers []<-chan string
	for range 10 {
		answers = append(answers, preflightAsync(front.URL+"/crowd/obj"))
	}
	<-store.held
	time.Sleep(100 * time.Millisecond) // for the other requests to join the one held
	store.release()
	for i, a := range answers {
		if s := <-a; s != "403 Forbidden" {
			t.Errorf("concurrent preflight %d of the revoked origin: %s, want 403 Forbidden", i, s)
		}
	}
	if n := configGets(count, "crowd"); n != 1 {
		t.Errorf("10 concurrent preflights of an idle entry asked the store %d times, want once", n)
	}
}

// TestIdleBareBucketWithinBudget: an entry without a configuration idle
// past two TTLs is revalidated first only within the budget of
// look-ups, as its background revalidation is: with the budget spent, it
// is answered from the entry at once, without asking the store.
func TestIdleBareBucketWithinBudget(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	const ttl = time.Second
	clock := &testClock{now: time.Now()}
	// One look-up a second, in bursts of one, on the test's clock.
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, LookupRate: 1, Now: clock.Now})
	wantGone := func(what string) {
		t.Helper()
		r := preflight(t, front.URL, "/ghost/obj")
		if r.StatusCode != http.StatusForbidden || !strings.Contains(string(r.body), "CORSResponse: Bucket not found") {
			t.Errorf("%s: %d %s, want 403 for a bucket not found", what, r.StatusCode, r.body)
		}
	}
	wantGone("the miss")
	clock.advance(3 * ttl)
	preflight(t, front.URL, "/other/obj") // a miss that takes the look-up the clock gave back
	count.requests()
	wantGone("the idle entry, the budget spent")
	if seen := count.requests(); len(seen) != 0 {
		t.Errorf("the idle entry without a configuration, the budget spent, asked the store %q", seen)
	}
	clock.advance(ttl)
	wantGone("the idle entry within the budget")
	if seen := count.requests(); len(seen) != 2 {
		t.Errorf("the idle entry without a configuration, within the budget, asked the store %q; want its GET and HeadBucket", seen)
	}
}

// TestIdleBucketStoreSlow: with a store that takes its whole
// UpstreamTimeout to fail, the first request for an entry idle past two
// TTLs waits one TTL at most, not the timeout, and is answered from the
// entry, stale; the requests after it answer at once, without asking the
// store again, and without waiting for the revalidation still running.
func TestIdleBucketStoreSlow(t *testing.T) {
	t.Parallel()
	up := startTroubled(t)
	ev := newEvents()
	const ttl, timeout = time.Second, 20 * time.Second
	clock := &testClock{now: time.Now()}
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, UpstreamTimeout: timeout, Observer: ev, Now: clock.Now})
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "slow")
	if r := preflight(t, front.URL, "/slow/obj"); r.StatusCode != http.StatusOK {
		t.Fatalf("preflight before the trouble: %d %s", r.StatusCode, r.body)
	}
	up.set(hang)
	before := up.count.total.Load()
	clock.advance(3 * ttl)
	ev.take()
	start := time.Now()
	for i := range 10 {
		if r := preflight(t, front.URL, "/slow/obj"); r.StatusCode != http.StatusOK {
			t.Fatalf("preflight %d with the store hanging: %d %s, want 200 from the entry", i, r.StatusCode, r.body)
		}
	}
	// A bound on hanging, far from the one TTL the first waits: before
	// the bound, the first waited the whole timeout.
	if took := time.Since(start); took >= timeout/2 {
		t.Errorf("10 preflights with the store hanging took %v; the first should wait %v at most", took, ttl)
	}
	if n := up.count.total.Load() - before; n != 1 {
		t.Errorf("10 preflights of an idle entry with the store hanging asked it %d times, want once", n)
	}
	if got := ev.take(); got[s3proxy.CacheStale] != 10 {
		t.Errorf("the preflights with the store hanging: %v, want 10 stale", got)
	}
}
