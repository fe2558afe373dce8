package s3proxy_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
)

// TestConfigBucketRegion makes the proxy create its config bucket in a
// region other than us-east-1: the CreateBucketConfiguration it sends
// holds the region as its one LocationConstraint. A region holding markup
// never gets there: New refuses it (TestNewOptionErrors).
func TestConfigBucketRegion(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"eu-west-1", "garage", "store.example-1"} {
		t.Run(region, func(t *testing.T) {
			t.Parallel()
			var (
				mu      sync.Mutex
				created bool
				body    []byte
			)
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				switch {
				case r.Method == http.MethodHead && r.URL.Path == "/app":
					w.WriteHeader(http.StatusOK)
				case r.Method == http.MethodPut && r.URL.Path == "/s3cors-config":
					body, _ = io.ReadAll(r.Body)
					created = true
					w.WriteHeader(http.StatusOK)
				case r.Method == http.MethodPut && r.URL.Path == "/s3cors-config/app/cors.xml" && !created:
					w.WriteHeader(http.StatusNotFound)
					io.WriteString(w, `<Error><Code>NoSuchBucket</Code></Error>`)
				case r.Method == http.MethodPut && r.URL.Path == "/s3cors-config/app/cors.xml":
					w.Header().Set("ETag", `"1"`)
					w.WriteHeader(http.StatusOK)
				default:
					w.WriteHeader(http.StatusNotImplemented)
				}
			}))
			t.Cleanup(up.Close)
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, Region: region})
			doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
			if res := do(t, "PUT", front.URL+"/app?cors", doc, "Content-MD5", contentMD5(doc)); res.StatusCode != 200 {
				t.Fatalf("PutBucketCors: %d %s", res.StatusCode, res.body)
			}
			mu.Lock()
			defer mu.Unlock()
			var cfg struct {
				XMLName            xml.Name `xml:"CreateBucketConfiguration"`
				LocationConstraint []string
				Other              []struct{ XMLName xml.Name } `xml:",any"`
			}
			if err := xml.Unmarshal(body, &cfg); err != nil {
				t.Fatalf("the CreateBucket body does not decode: %v\n%s", err, body)
			}
			if len(cfg.LocationConstraint) != 1 || cfg.LocationConstraint[0] != region || len(cfg.Other) != 0 {
				t.Errorf("the CreateBucket body holds %q and %d other elements, want the one LocationConstraint %q:\n%s",
					cfg.LocationConstraint, len(cfg.Other), region, body)
			}
		})
	}
}

// TestRefusedBucketNames sends requests for bucket names versitygw
// refuses with 400 (to HeadBucket and GET alike) through the proxy: none
// gets a 503, which SDKs retry, nor is logged as the store's trouble.
// PutBucketCors and DeleteBucketCors get S3's InvalidBucketName; a
// preflight is answered as for a bucket that does not exist, from the
// cache once the name was looked up; a GET passed through gets the
// upstream's own 400.
func TestRefusedBucketNames(t *testing.T) {
	t.Parallel()
	vgw := startVersitygw(t)
	target, err := url.Parse(vgw.url)
	if err != nil {
		t.Fatal(err)
	}
	up := &counter{next: httputil.NewSingleHostReverseProxy(target)}
	upSrv := httptest.NewServer(up)
	t.Cleanup(upSrv.Close)
	log := &logBuffer{}
	front, _ := startProxy(t, s3proxy.Options{Upstream: upSrv.URL, UpstreamAccessKey: upstreamAccessKey,
		UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey},
		Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	ep := &vectortest.Endpoint{URL: front.URL, HTTP: testClient, AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	preflight := func(t *testing.T, name string) vectortest.Response {
		return ep.Send(t, ep.Request(t, "OPTIONS", "/"+name+"/k", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET"))
	}
	for _, name := range []string{"My_Bucket", "ab", ".."} {
		t.Run(name, func(t *testing.T) {
			// Not parallel: each counts the requests the upstream gets.
			if r := ep.Signed(t, ep.Request(t, "PUT", "/"+name+"?cors", doc, "Content-MD5", vectortest.ContentMD5(doc)), doc); r.StatusCode != 400 ||
				!bytes.Contains(r.Body, []byte("<Code>InvalidBucketName</Code>")) || !bytes.Contains(r.Body, []byte("<BucketName>"+name+"</BucketName>")) {
				t.Errorf("PutBucketCors: %s; want 400 InvalidBucketName", r)
			}
			if r := ep.Signed(t, ep.Request(t, "DELETE", "/"+name+"?cors", nil), nil); r.StatusCode != 400 || !bytes.Contains(r.Body, []byte("<Code>InvalidBucketName</Code>")) {
				t.Errorf("DeleteBucketCors: %s; want 400 InvalidBucketName", r)
			}
			if r := ep.Signed(t, ep.Request(t, "GET", "/"+name+"/k", nil), nil); r.StatusCode != 400 || !bytes.Contains(r.Body, []byte("<Code>InvalidBucketName</Code>")) {
				t.Errorf("GetObject passed through: %s; want versitygw's 400 InvalidBucketName", r)
			}
			up.requests()
			for range 3 {
				if r := preflight(t, name); r.StatusCode != 403 || !bytes.Contains(r.Body, []byte("<Message>CORSResponse: Bucket not found</Message>")) {
					t.Errorf("preflight: %s; want 403 CORSResponse: Bucket not found", r)
				}
			}
			if seen := up.requests(); len(seen) != 0 {
				t.Errorf("the preflights cost the upstream %q, want nothing: the name is known to hold no bucket", seen)
			}
		})
	}
	// A name the cache looks up for a request, with no PutBucketCors
	// before it: once, then it knows.
	up.requests()
	if r := ep.Signed(t, ep.Request(t, "GET", "/Other_Bucket/k", nil, "Origin", "https://app.example"), nil); r.StatusCode != 400 ||
		!bytes.Contains(r.Body, []byte("<Code>InvalidBucketName</Code>")) || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GetObject with an Origin passed through: %s %v; want versitygw's 400 InvalidBucketName, no CORS headers", r, r.Header)
	}
	want := []string{"GET /s3cors-config/Other_Bucket/cors.xml", "HEAD /Other_Bucket", "GET /Other_Bucket/k"}
	if seen := up.requests(); !slices.Equal(seen, want) {
		t.Errorf("the GetObject cost the upstream %q, want %q", seen, want)
	}
	if r := preflight(t, "Other_Bucket"); r.StatusCode != 403 || !bytes.Contains(r.Body, []byte("<Message>CORSResponse: Bucket not found</Message>")) {
		t.Errorf("preflight to a name looked up before: %s; want 403 CORSResponse: Bucket not found", r)
	}
	if seen := up.requests(); len(seen) != 0 {
		t.Errorf("the preflight cost the upstream %q, want nothing: the name is known to hold no bucket", seen)
	}
	logged := log.String()
	for line := range strings.Lines(logged) {
		if strings.Contains(line, "did not answer") || strings.Contains(line, "to the store failed") || strings.Contains(line, "status=503") {
			t.Errorf("logged: %s", line)
		}
	}
}

// TestBareHeadBucket400 answers HeadBucket with a 400 and no body, as S3
// does for an expired token or a request signed for another region: for
// a name S3 allows, that is the store's trouble (503), never a refused
// name, and the bucket is not taken to be missing.
func TestBareHeadBucket400(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodHead:
			w.WriteHeader(http.StatusBadRequest)
		default:
			// No configuration: the look-up goes on to the HeadBucket.
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `<Error><Code>NoSuchKey</Code></Error>`)
		}
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	r := do(t, "PUT", front.URL+"/real-bucket?cors", doc, "Content-MD5", contentMD5(doc))
	wantS3Error(t, "PutBucketCors", r, http.StatusServiceUnavailable, "ServiceUnavailable")
	r = do(t, "OPTIONS", front.URL+"/real-bucket/k", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
	if strings.Contains(string(r.body), "Bucket not found") {
		t.Errorf("preflight: %d %s; the bucket must not be taken for missing", r.StatusCode, r.body)
	}
}

// TestUnaskedNotModified answers the GET of a configuration with 304 Not
// Modified though the proxy sent no If-None-Match (a 304 answers only a
// conditional request, RFC 9110 §15.4.5): the store's answer is garbage,
// its trouble (503), and the proxy keeps serving.
func TestUnaskedNotModified(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == "" && strings.HasSuffix(r.URL.Path, "/cors.xml") {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	r := do(t, "OPTIONS", front.URL+"/real-bucket/k", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
	wantS3Error(t, "preflight", r, http.StatusServiceUnavailable, "ServiceUnavailable")
	wantS3Error(t, "GetBucketCors", do(t, "GET", front.URL+"/real-bucket?cors", nil), http.StatusServiceUnavailable, "ServiceUnavailable")
}

// TestBucketElsewhere sends requests for buckets the upstream answers
// with a redirect, as S3 answers a request to a Region other than the
// bucket's: 301 PermanentRedirect, and to HeadBucket 301 with no body and
// x-amz-bucket-region (which HeadBucket returns "whether access to the
// bucket is authorized or not", S3 API reference, GetBucketLocation), or
// 307 TemporaryRedirect while a new bucket's DNS name propagates. Such a
// bucket exists; it has no configuration here, and its requests pass
// through, so that the client gets the redirect, not a 503 it retries
// (aws-sdk-go-v2's manager.GetBucketRegion takes only a 404 to HeadBucket
// for a bucket that does not exist).
func TestBucketElsewhere(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/"+s3proxy.DefaultConfigBucket+"/"):
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
		case strings.HasPrefix(r.URL.Path, "/far"):
			w.Header().Set("x-amz-bucket-region", "eu-west-1")
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMovedPermanently)
				return
			}
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusMovedPermanently)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message><Endpoint>far.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>far</Bucket></Error>`)
		case strings.HasPrefix(r.URL.Path, "/new"):
			w.Header().Set("Location", "https://new.s3-eu-west-1.amazonaws.com"+r.URL.Path)
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusTemporaryRedirect)
				return
			}
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusTemporaryRedirect)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>TemporaryRedirect</Code><Message>Please re-send this request to the specified temporary endpoint. Continue to use the original request endpoint for future requests.</Message><Endpoint>new.s3-eu-west-1.amazonaws.com</Endpoint><Bucket>new</Bucket></Error>`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/far/key", http.StatusMovedPermanently, "PermanentRedirect"},
		{"/new/key", http.StatusTemporaryRedirect, "TemporaryRedirect"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest("GET", front.URL+tc.path, nil)
			req.Header.Set("Origin", "https://app.example")
			// Not followed: the redirect is what the client must see.
			client := &http.Client{Transport: front.Client().Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			mustOK(t, err)
			r := response{res, body}
			wantS3Error(t, "GET "+tc.path, r, tc.status, tc.code)
			if tc.status == http.StatusTemporaryRedirect && r.Header.Get("Location") == "" {
				t.Errorf("GET %s: the redirect lost its Location", tc.path)
			}
		})
	}
}
