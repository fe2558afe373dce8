package s3proxy_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/s3cors/s3cors/s3proxy"
)

// TestConfigBucketRegion makes the proxy create its config bucket in a
// region other than us-east-1: the CreateBucketConfiguration it sends
// holds the region as text, whatever markup the region holds.
func TestConfigBucketRegion(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"eu-west-1", "x</LocationConstraint><Evil/>", `a&b<c>"d'`} {
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
