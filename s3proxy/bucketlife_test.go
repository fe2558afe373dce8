package s3proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestBucketLifeKeepsConfig holds the stored configuration to the
// bucket's life: kept when the bucket's owner creates it again (S3 and
// serve answer 200) and by a PUT or DELETE with a subresource the proxy
// does not know (which reads as a CreateBucket or a DeleteBucket), gone
// with the bucket, and not inherited by a new bucket of the name when the
// old one was deleted other than through the proxy. The store is serve,
// in process, behind a front that answers a DELETE of the subresource
// ?future as a newer S3 operation would, with 204 and the bucket kept.
func TestBucketLifeKeepsConfig(t *testing.T) {
	t.Parallel()
	_, store := s3servertest.NewServer(t, s3server.Options{})
	var futureDeletes atomic.Int32
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.URL.Query()["future"]; ok && r.Method == http.MethodDelete {
			futureDeletes.Add(1)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		store.ServeHTTP(w, r)
	}))
	t.Cleanup(upstream.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: upstream.URL})
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	configured := func(what, bucket string, want bool) {
		t.Helper()
		get := do(t, "GET", front.URL+"/"+bucket+"?cors", nil)
		pre := preflight(t, front.URL, "/"+bucket+"/obj")
		if has := get.StatusCode == http.StatusOK && pre.StatusCode == http.StatusOK; has != want {
			t.Errorf("%s: GetBucketCors %d, preflight %d; want configured = %v", what, get.StatusCode, pre.StatusCode, want)
		} else if !want && !strings.Contains(string(get.body), "NoSuchCORSConfiguration") && !strings.Contains(string(get.body), "NoSuchBucket") {
			t.Errorf("%s: GetBucketCors %d %s", what, get.StatusCode, get.body)
		}
	}
	mustStatus := func(what string, r response, status int) {
		t.Helper()
		if r.StatusCode != status {
			t.Fatalf("%s: %d %s, want %d", what, r.StatusCode, r.body, status)
		}
	}
	put := func(bucket string) {
		t.Helper()
		mustStatus("PutBucketCors "+bucket, do(t, "PUT", front.URL+"/"+bucket+"?cors", doc, "Content-MD5", contentMD5(doc)), http.StatusOK)
	}

	mustStatus("CreateBucket", do(t, "PUT", front.URL+"/keep", nil), http.StatusOK)
	put("keep")
	configured("configured", "keep", true)
	mustStatus("CreateBucket again", do(t, "PUT", front.URL+"/keep", nil), http.StatusOK)
	configured("after the owner created the bucket again", "keep", true)
	mustStatus("PUT ?future", do(t, "PUT", front.URL+"/keep?future", nil), http.StatusOK)
	configured("after a PUT with a subresource the proxy does not know", "keep", true)
	mustStatus("DELETE ?future", do(t, "DELETE", front.URL+"/keep?future", nil), http.StatusNoContent)
	if futureDeletes.Load() != 1 {
		t.Fatalf("the store saw %d DELETE ?future", futureDeletes.Load())
	}
	configured("after a DELETE with a subresource the proxy does not know", "keep", true)
	mustStatus("DeleteBucket", do(t, "DELETE", front.URL+"/keep", nil), http.StatusNoContent)
	mustStatus("CreateBucket after DeleteBucket", do(t, "PUT", front.URL+"/keep", nil), http.StatusOK)
	configured("created again after a DeleteBucket through the proxy", "keep", false)

	// A bucket deleted at the store directly leaves its configuration
	// stored; the next bucket of the name, created through the proxy,
	// starts without it.
	mustStatus("CreateBucket", do(t, "PUT", front.URL+"/aside", nil), http.StatusOK)
	put("aside")
	mustStatus("DeleteBucket at the store", do(t, "DELETE", upstream.URL+"/aside", nil), http.StatusNoContent)
	mustStatus("CreateBucket after a DeleteBucket at the store", do(t, "PUT", front.URL+"/aside", nil), http.StatusOK)
	configured("created again after a DeleteBucket at the store", "aside", false)
}

// TestBucketLifeIgnoredSubresource holds the stored configuration to the
// bucket's life behind a store that ignores a subresource S3 refuses
// with 405 at a bucket's path (?torrent, ?restore): it takes DELETE
// /b?torrent for a DeleteBucket and PUT /b?torrent for a CreateBucket,
// and the bucket made again must not inherit the deleted one's
// configuration. The store is serve, in process, behind a front that
// drops those subresources from the query.
func TestBucketLifeIgnoredSubresource(t *testing.T) {
	t.Parallel()
	_, store := s3servertest.NewServer(t, s3server.Options{})
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Has("torrent") || q.Has("restore") {
			q.Del("torrent")
			q.Del("restore")
			r.URL.RawQuery = q.Encode()
		}
		store.ServeHTTP(w, r)
	}))
	t.Cleanup(upstream.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: upstream.URL})
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	for _, sub := range []string{"torrent", "restore"} {
		bucket := "life-" + sub
		for _, step := range []struct {
			what, method, path string
			body               []byte
			status             int
		}{
			{"CreateBucket", "PUT", "/" + bucket, nil, http.StatusOK},
			{"PutBucketCors", "PUT", "/" + bucket + "?cors", doc, http.StatusOK},
			{"DELETE ?" + sub, "DELETE", "/" + bucket + "?" + sub, nil, http.StatusNoContent},
			{"PUT ?" + sub, "PUT", "/" + bucket + "?" + sub, nil, http.StatusOK},
		} {
			var res response
			if step.body != nil {
				res = do(t, step.method, front.URL+step.path, step.body, "Content-MD5", contentMD5(step.body))
			} else {
				res = do(t, step.method, front.URL+step.path, nil)
			}
			if res.StatusCode != step.status {
				t.Fatalf("%s %s: %d %s, want %d", bucket, step.what, res.StatusCode, res.body, step.status)
			}
		}
		wantS3Error(t, bucket+": GetBucketCors of the bucket made again", do(t, "GET", front.URL+"/"+bucket+"?cors", nil), http.StatusNotFound, "NoSuchCORSConfiguration")
	}
}

// TestPutBucketCorsRacesDeleteBucket deletes the bucket through the
// proxy between PutBucketCors's HeadBucket and its write to the store:
// the configuration must not outlive the bucket, as S3 deletes CORS with
// its bucket. Left stored, it answered the preflights of a bucket that no
// longer exists (S3's answer is 403 "CORSResponse: Bucket not found",
// spec §3.1 step 2), and its GetBucketCors, and applied to the next
// bucket of the name created other than through a proxy.
func TestPutBucketCorsRacesDeleteBucket(t *testing.T) {
	t.Parallel()
	_, store := s3servertest.NewServer(t, s3server.Options{})
	var front *httptest.Server
	var raced atomic.Bool
	configKey := "/" + s3proxy.DefaultConfigBucket + "/raced/cors.xml"
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.URL.Path == configKey && raced.CompareAndSwap(false, true) {
			// Another client deletes the bucket just before the write.
			if res := do(t, "DELETE", front.URL+"/raced", nil); res.StatusCode != http.StatusNoContent {
				t.Errorf("DeleteBucket: %d %s", res.StatusCode, res.body)
			}
		}
		store.ServeHTTP(w, r)
	}))
	t.Cleanup(upstream.Close)
	front, _ = startProxy(t, s3proxy.Options{Upstream: upstream.URL})
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	if res := do(t, "PUT", front.URL+"/raced", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("CreateBucket: %d %s", res.StatusCode, res.body)
	}
	put := do(t, "PUT", front.URL+"/raced?cors", doc, "Content-MD5", contentMD5(doc))
	if !raced.Load() {
		t.Fatal("the store saw no write of the configuration")
	}
	// S3 answers the PutBucketCors 200 (it came first) or 404 NoSuchBucket;
	// either way the configuration goes with the bucket.
	if put.StatusCode != http.StatusOK && put.StatusCode != http.StatusNotFound {
		t.Errorf("PutBucketCors: %d %s", put.StatusCode, put.body)
	}
	if res := do(t, "GET", upstream.URL+configKey, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("the configuration of the deleted bucket is stored: GET %s: %d %s", configKey, res.StatusCode, res.body)
	}
	wantS3Error(t, "GetBucketCors of the deleted bucket", do(t, "GET", front.URL+"/raced?cors", nil), http.StatusNotFound, "NoSuchBucket")
	if res := preflight(t, front.URL, "/raced/obj"); res.StatusCode != http.StatusForbidden || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight on the deleted bucket: %d %s\n%s", res.StatusCode, res.body, corsHeaders(res.Header))
	}
}

// TestDeleteBucketConfigDeleteRetried makes the store fail the proxy's
// deletion of a configuration after a DeleteBucket through the proxy
// (503 SlowDown, as S3 answers under load): the proxy tries again in
// the background, so the configuration goes with the bucket once the
// store takes the deletion. Left stored, it answered the preflights of
// the bucket that no longer exists again once the cached entry was a
// TTL old (a look-up finds the configuration and asks no HeadBucket),
// and applied to the next bucket of the name created other than through
// a proxy. A store that never takes it costs six tries (goneTries), and
// Close does not wait for those still to come: with a TTL of a second,
// they would come over the next 30 s.
func TestDeleteBucketConfigDeleteRetried(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		failures int32 // deletions of the configuration the store fails
		ttl      time.Duration
		closed   bool // Close while tries are still to come
	}{
		{"store fails twice", 2, 50 * time.Millisecond, false},
		{"store always fails", 1 << 30, 50 * time.Millisecond, false},
		{"closed while tries are to come", 1 << 30, time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ttl := tc.ttl
			up := startFailingDeletes(t, "/"+s3proxy.DefaultConfigBucket+"/gone/cors.xml")
			p, err := s3proxy.New(s3proxy.Options{Upstream: up.URL, ConfigTTL: ttl, MaxStale: time.Hour, Logger: testLogger(t)})
			mustOK(t, err)
			t.Cleanup(func() { p.Close() })
			front := httptest.NewServer(p)
			t.Cleanup(front.Close)
			doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
			type step struct {
				method, path string
				body         []byte
				status       int
			}
			for _, step := range []step{{"PUT", "/gone", nil, http.StatusOK}, {"PUT", "/gone?cors", doc, http.StatusOK}, {"DELETE", "/gone", nil, http.StatusNoContent}} {
				if step.method == http.MethodDelete {
					// The store fails from the DeleteBucket on; the
					// CreateBucket's deletion of a leftover is not counted.
					up.deletes.Store(0)
					up.failures.Store(tc.failures)
				}
				if res := do(t, step.method, front.URL+step.path, step.body, "Content-MD5", contentMD5(step.body)); res.StatusCode != step.status {
					t.Fatalf("%s %s: %d %s, want %d", step.method, step.path, res.StatusCode, res.body, step.status)
				}
			}
			switch {
			case tc.closed:
				waitFor(t, func() bool { return up.deletes.Load() >= 2 }, "the first try in the background")
				closesWithin(t, front, p, 5*time.Second)
				n := up.deletes.Load()
				time.Sleep(3 * ttl)
				if after := up.deletes.Load(); after != n {
					t.Errorf("the store got %d deletions after Close, %d before", after-n, n)
				}
				return
			case tc.failures < 10:
				waitFor(t, func() bool { return do(t, "GET", up.URL+up.key, nil).StatusCode == http.StatusNotFound },
					"deletion of the configuration of the deleted bucket")
				if n := up.deletes.Load(); n != tc.failures+1 {
					t.Errorf("the store got %d deletions of the configuration, want %d: every failed one and the one taken", n, tc.failures+1)
				}
				// Past the TTL, the proxy's look-ups find no configuration.
				for range 2 {
					time.Sleep(2 * ttl)
					if res := preflight(t, front.URL, "/gone/obj"); res.StatusCode != http.StatusForbidden {
						t.Errorf("preflight on the deleted bucket: %d %s\n%s", res.StatusCode, res.body, corsHeaders(res.Header))
					}
				}
			default:
				if n := up.triesEnd(t, 40*ttl); n != 6 {
					t.Errorf("the store got %d deletions of the configuration of one bucket, want 6 (goneTries)", n)
				}
			}
			closesWithin(t, front, p, 10*time.Second)
		})
	}
}

// failingDeletes is s3cors serve, in process, behind a front that
// answers failures DELETEs of key with 503 SlowDown, and counts them.
type failingDeletes struct {
	*httptest.Server
	key               string
	failures, deletes atomic.Int32
}

func startFailingDeletes(t *testing.T, key string) *failingDeletes {
	t.Helper()
	_, store := s3servertest.NewServer(t, s3server.Options{})
	f := &failingDeletes{key: key}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete && r.URL.Path == key {
			f.deletes.Add(1)
			if f.failures.Add(-1) >= 0 {
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
				return
			}
		}
		store.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// triesEnd waits until the store has had more than one DELETE of the
// key and then none for quiet, and returns how many it had.
func (f *failingDeletes) triesEnd(t *testing.T, quiet time.Duration) int32 {
	t.Helper()
	var last int32
	waitFor(t, func() bool {
		n := f.deletes.Load()
		time.Sleep(quiet)
		last = f.deletes.Load()
		return n > 1 && last == n
	}, "end of the tries")
	return last
}

// closesWithin closes front, then fails the test unless p.Close
// returns within limit.
func closesWithin(t *testing.T, front *httptest.Server, p *s3proxy.Proxy, limit time.Duration) {
	t.Helper()
	front.Close()
	closed := make(chan struct{})
	go func() { p.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(limit):
		t.Fatalf("Close still waits after %v", limit)
	}
}
