package s3proxy_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestUncommonAnswersParity sends requests whose answers are not a plain
// 200 (206, 304, 412, 416, 404 with and without a body, 403, 400, 405,
// 501) with an Origin a rule admits, one it does not and none, to s3cors
// serve and to a proxy in front of another serve that adds CORS headers
// and Vary values of its own to every answer. The proxy's answer must be
// serve's: the same status and body, and S3's CORS headers in place of
// the upstream's, errors included (spec §4), none for a bucket that does
// not exist.
func TestUncommonAnswersParity(t *testing.T) {
	t.Parallel()
	direct := s3servertest.New(t, s3server.Options{})
	store := s3servertest.New(t, s3server.Options{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		store.Config.Handler.ServeHTTP(&upstreamCORS{ResponseWriter: w}, r)
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	const doc = `<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin>` +
		`<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>PUT</AllowedMethod>` +
		`<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`
	const object = "hello world"
	for _, base := range []string{direct.URL, front.URL} {
		for _, step := range []struct{ target, body string }{{"/photos", ""}, {"/photos?cors", doc}, {"/photos/k", object}} {
			if r := do(t, "PUT", base+step.target, []byte(step.body), "Content-MD5", contentMD5([]byte(step.body))); r.StatusCode != http.StatusOK {
				t.Fatalf("PUT %s%s: %d %s", base, step.target, r.StatusCode, r.body)
			}
		}
	}
	const s3cors = "Access-Control-Allow-Credentials: true\nAccess-Control-Allow-Methods: GET, HEAD, PUT\n" +
		"Access-Control-Allow-Origin: https://app.example\nAccess-Control-Expose-Headers: ETag\n" +
		"Access-Control-Max-Age: 600\nVary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
	etag := `"5eb63bbbe01eeed093cb22bb8f5acdc3"` // MD5 of object
	tests := []struct {
		name, method, target string
		header               []string
		status               int
		noBucket             bool
	}{
		{"range", "GET", "/photos/k", []string{"Range", "bytes=0-4"}, http.StatusPartialContent, false},
		{"range not satisfiable", "GET", "/photos/k", []string{"Range", "bytes=100-200"}, http.StatusRequestedRangeNotSatisfiable, false},
		{"If-None-Match", "GET", "/photos/k", []string{"If-None-Match", etag}, http.StatusNotModified, false},
		{"HEAD If-None-Match", "HEAD", "/photos/k", []string{"If-None-Match", etag}, http.StatusNotModified, false},
		{"If-Match", "GET", "/photos/k", []string{"If-Match", `"other"`}, http.StatusPreconditionFailed, false},
		{"If-Unmodified-Since", "GET", "/photos/k", []string{"If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}, http.StatusPreconditionFailed, false},
		{"HEAD missing key", "HEAD", "/photos/missing", nil, http.StatusNotFound, false},
		{"GET missing key", "GET", "/photos/missing", nil, http.StatusNotFound, false},
		{"another account's bucket", "GET", "/photos/k", []string{"X-Amz-Expected-Bucket-Owner", "999999999999"}, http.StatusForbidden, false},
		{"bad Content-MD5", "PUT", "/photos/k2", []string{"Content-MD5", contentMD5([]byte("other"))}, http.StatusBadRequest, false},
		{"405", "GET", "/photos/k?torrent", nil, http.StatusMethodNotAllowed, false},
		{"501", "GET", "/photos?analytics", nil, http.StatusNotImplemented, false},
		{"missing bucket", "GET", "/nobucket/k", nil, http.StatusNotFound, true},
		{"HEAD missing bucket", "HEAD", "/nobucket/k", nil, http.StatusNotFound, true},
	}
	ids := regexp.MustCompile(`<(RequestId|HostId)>[^<]*</(RequestId|HostId)>`)
	for _, tc := range tests {
		for _, origin := range []string{"https://app.example", "https://other.example", ""} {
			t.Run(tc.name+"/"+origin, func(t *testing.T) {
				t.Parallel()
				header := tc.header
				if origin != "" {
					header = append(header[:len(header):len(header)], "Origin", origin)
				}
				var body []byte
				if tc.method == "PUT" {
					body = []byte("data")
				}
				want := do(t, tc.method, direct.URL+tc.target, body, header...)
				got := do(t, tc.method, front.URL+tc.target, body, header...)
				if want.StatusCode != tc.status || got.StatusCode != tc.status {
					t.Fatalf("serve %d, proxy %d, want %d", want.StatusCode, got.StatusCode, tc.status)
				}
				wantCORS := ""
				if origin == "https://app.example" && !tc.noBucket {
					wantCORS = s3cors
				}
				if c := corsHeaders(want.Header); c != wantCORS {
					t.Errorf("serve's CORS headers:\n%s\nwant:\n%s", c, wantCORS)
				}
				if c := corsHeaders(got.Header); c != wantCORS {
					t.Errorf("the proxy's CORS headers:\n%s\nwant:\n%s", c, wantCORS)
				}
				if w, g := ids.ReplaceAll(want.body, nil), ids.ReplaceAll(got.body, nil); string(w) != string(g) {
					t.Errorf("the proxy's body:\n%s\nserve's:\n%s", g, w)
				}
				if tc.status == http.StatusNotModified && len(got.body) > 0 {
					t.Errorf("a body with the proxy's 304: %q", got.body)
				}
			})
		}
	}
}

// upstreamCORS adds CORS headers and Vary values of an upstream's own to
// every answer, as S3 stores with CORS of their own send them.
type upstreamCORS struct{ http.ResponseWriter }

func (w *upstreamCORS) WriteHeader(code int) {
	h := w.Header()
	h.Add("Access-Control-Allow-Origin", "*")
	h.Add("Access-Control-Expose-Headers", "x-upstream")
	h.Add("Access-Control-Allow-Credentials", "false")
	h.Add("Vary", "Origin, Access-Control-Request-Method")
	w.ResponseWriter.WriteHeader(code)
}

func (w *upstreamCORS) Write(p []byte) (int, error) {
	if _, ok := w.Header()["Vary"]; !ok {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}
