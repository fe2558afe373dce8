package s3proxy_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/s3proxy"
)

// notFoundPages are 404 answers of servers that are not S3 stores, as a
// proxy pointed at the wrong port gets them: a web server's page, Go's
// http.NotFound, one without a body, an XHTML page (XML, but no S3
// error document), and an S3 error document whose code says nothing of
// a missing key or bucket.
var notFoundPages = []struct {
	name, contentType, body string
	want                    string // in Ready's error
}{
	{"html", "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n",
		"404 with no S3 error"},
	{"text", "text/plain; charset=utf-8", "404 page not found\n", "404 with no S3 error"},
	{"empty", "", "", "404 with no S3 error"},
	{"xhtml", "application/xhtml+xml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Not Found</p></body></html>`,
		"404 with no S3 error"},
	{"another code", "application/xml", `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>`,
		"404 NoSuchUpload"},
}

// answer404 answers w with 404, contentType and body.
func answer404(w http.ResponseWriter, contentType, body string) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(http.StatusNotFound)
	io.WriteString(w, body)
}

// TestUpstreamNotS3 points the proxy at a server that answers every
// request 404 without an S3 error document saying NoSuchKey or
// NoSuchBucket: the wrong port, another service, a load balancer's error
// page. That is no S3 store telling there is no configuration: Ready
// says why the proxy is not ready, and a preflight, whose bucket cannot
// be looked up, gets 503 with the cause in the log, not a refusal as for
// a bucket without CORS.
func TestUpstreamNotS3(t *testing.T) {
	t.Parallel()
	for _, tc := range notFoundPages {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				answer404(w, tc.contentType, tc.body)
			}))
			t.Cleanup(up.Close)
			log := &logBuffer{}
			front, p := startProxy(t, s3proxy.Options{Upstream: up.URL, Logger: slog.New(slog.NewTextHandler(log, nil))})
			if err := p.Ready(context.Background()); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Ready = %v, want not ready: %s", err, tc.want)
			}
			wantS3Error(t, "preflight", preflight(t, front.URL, "/photos/k"), http.StatusServiceUnavailable, "ServiceUnavailable")
			wantS3Error(t, "GetBucketCors", do(t, "GET", front.URL+"/photos?cors", nil), http.StatusServiceUnavailable, "ServiceUnavailable")
			logged := log.String()
			if !strings.Contains(logged, "could not be looked up") || !strings.Contains(logged, tc.want) {
				t.Errorf("logged:\n%s\nwant the look-up's failure, %s", logged, tc.want)
			}
		})
	}
}

// TestUpstreamS3NotFound answers the proxy's reads as S3 answers a
// missing key (NoSuchKey) or a missing config bucket (NoSuchBucket), the
// error document bounded by whatever the store adds (versitygw indents
// it, S3 adds RequestId and HostId): the proxy is ready (for
// NoSuchBucket, once it has made the config bucket, which this store
// takes), and a bucket that exists has no configuration, so that a
// preflight is refused.
func TestUpstreamS3NotFound(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"NoSuchKey", "NoSuchBucket"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodHead && r.URL.Path == "/photos" {
					return // 200: the bucket exists
				}
				if r.Method == http.MethodPut && r.URL.Path == "/"+s3proxy.DefaultConfigBucket {
					return // 200: Ready makes the config bucket the store says is missing
				}
				answer404(w, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>"+code+
					"</Code>\n  <Message>Not found.</Message>\n  <RequestId>4TWNT00EYG6A2XE9</RequestId>\n</Error>")
			}))
			t.Cleanup(up.Close)
			front, p := startProxy(t, s3proxy.Options{Upstream: up.URL})
			if err := p.Ready(context.Background()); err != nil {
				t.Errorf("Ready = %v, want ready", err)
			}
			wantS3Error(t, "preflight", preflight(t, front.URL, "/photos/k"), http.StatusForbidden, "AccessForbidden")
			wantS3Error(t, "GetBucketCors", do(t, "GET", front.URL+"/photos?cors", nil), http.StatusNotFound, "NoSuchCORSConfiguration")
		})
	}
}

// TestConfigDeleteNotS3 answers the proxy's deletion of a stored
// configuration with 404 pages that are not S3's, on a store that
// otherwise answers as S3 (a route to another service in front of the
// config bucket, say): the configuration may still be there, so
// DeleteBucketCors answers 503, as when the store fails, not 204, and a
// DeleteBucket's deletion of it is logged as failed. A 404 NoSuchBucket,
// no config bucket yet, deletes nothing and is no error.
func TestConfigDeleteNotS3(t *testing.T) {
	t.Parallel()
	pages := append(notFoundPages[:len(notFoundPages):len(notFoundPages)], struct {
		name, contentType, body string
		want                    string
	}{"no config bucket", "application/xml", `<Error><Code>NoSuchBucket</Code></Error>`, ""})
	for _, tc := range pages {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/"+s3proxy.DefaultConfigBucket+"/"):
					answer404(w, tc.contentType, tc.body)
				case r.Method == http.MethodHead && r.URL.Path == "/photos":
					// 200: the bucket exists
				case r.Method == http.MethodDelete && r.URL.Path == "/gone":
					w.WriteHeader(http.StatusNoContent)
				default:
					answer404(w, "application/xml", `<Error><Code>NoSuchBucket</Code></Error>`)
				}
			}))
			t.Cleanup(up.Close)
			log := &logBuffer{}
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, Logger: slog.New(slog.NewTextHandler(log, nil))})
			del := do(t, "DELETE", front.URL+"/photos?cors", nil)
			if tc.want == "" {
				if del.StatusCode != http.StatusNoContent {
					t.Errorf("DeleteBucketCors: %d %s, want 204", del.StatusCode, del.body)
				}
			} else {
				wantS3Error(t, "DeleteBucketCors", del, http.StatusServiceUnavailable, "ServiceUnavailable")
			}
			if r := do(t, "DELETE", front.URL+"/gone", nil); r.StatusCode != http.StatusNoContent {
				t.Fatalf("DeleteBucket: %d %s", r.StatusCode, r.body)
			}
			logged := log.String()
			failed := strings.Contains(logged, "not its stored configuration")
			if tc.want != "" && (!failed || !strings.Contains(logged, tc.want)) || tc.want == "" && failed {
				t.Errorf("logged:\n%s\nwant the deletion of the configuration failed: %v (%s)", logged, tc.want != "", tc.want)
			}
		})
	}
}
