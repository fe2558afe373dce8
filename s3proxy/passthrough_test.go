package s3proxy_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestRequestTrailersPassThrough sends a chunked PutObject with an HTTP
// trailer: the upstream must get the trailer's value, as it gets the
// headers. httputil.ReverseProxy passes on a copy of the trailer map made
// before the body is read, when net/http has filled in only the names.
func TestRequestTrailersPassThrough(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/"+s3proxy.DefaultConfigBucket+"/") {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		body, err := io.ReadAll(r.Body)
		got <- fmt.Sprintf("%q %v %q", body, err, r.Trailer.Get("X-Amz-Checksum-Crc32"))
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	conn := sendRaw(t, front.URL, "PUT /b/k HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nTrailer: x-amz-checksum-crc32\r\n\r\n"+
		"4\r\ndata\r\n0\r\nx-amz-checksum-crc32: rfPzYw==\r\n\r\n", false)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if seen, want := <-got, `"data" <nil> "rfPzYw=="`; res.StatusCode != http.StatusOK || seen != want {
		t.Errorf("%d; the upstream got %s, want %s", res.StatusCode, seen, want)
	}
}

// TestUpstreamAnswerHeadersKept has the upstream answer what S3 stores
// seldom send: a body without Content-Type, and Access-Control-* and
// Vary in an HTTP trailer. The client must get the upstream's header as
// it came, with S3's CORS headers in place of the upstream's: no
// Content-Type of net/http's guessing (it would label an object holding
// HTML "text/html", which a browser renders at the store's origin), and
// no CORS header of the upstream's in the trailer, declared or not.
func TestUpstreamAnswerHeadersKept(t *testing.T) {
	t.Parallel()
	const page = "<html><script>alert(1)</script></html>"
	store := s3servertest.New(t, s3server.Options{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		switch r.URL.Path {
		case "/kinds/untyped":
			h["Content-Type"] = nil // net/http must not guess one either
			w.Write([]byte(page))
		case "/kinds/untyped-range":
			h["Content-Type"] = nil
			h.Set("Content-Range", "bytes 0-5/"+fmt.Sprint(len(page)))
			w.WriteHeader(http.StatusPartialContent)
			w.Write([]byte(page[:6]))
		case "/kinds/trailer":
			h.Set("Content-Type", "text/plain")
			h.Set("Trailer", "Access-Control-Allow-Origin, Vary, X-Kept")
			w.Write([]byte("data"))
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Vary", "Origin")
			h.Set("X-Kept", "1")
			h.Set(http.TrailerPrefix+"Access-Control-Expose-Headers", "x-upstream")
		default:
			store.Config.Handler.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	putRules(t, sdkClient(front.URL, "", ""), "kinds")
	s3cors := "Access-Control-Allow-Credentials: true\nAccess-Control-Allow-Methods: GET, PUT\n" +
		"Access-Control-Allow-Origin: https://app.example\nAccess-Control-Expose-Headers: ETag\n" +
		"Vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
	tests := []struct {
		path, wantType, wantTrailer string
		status                      int
	}{
		{"/kinds/untyped", "", "", http.StatusOK},
		{"/kinds/untyped-range", "", "", http.StatusPartialContent},
		{"/kinds/trailer", "text/plain", "X-Kept: 1", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			r := do(t, "GET", front.URL+tc.path, nil, "Origin", "https://app.example")
			if r.StatusCode != tc.status {
				t.Fatalf("%d %s, want %d", r.StatusCode, r.body, tc.status)
			}
			if got := strings.Join(r.Header["Content-Type"], " | "); got != tc.wantType {
				t.Errorf("Content-Type %q, want %q", got, tc.wantType)
			}
			if got := corsHeaders(r.Header); got != s3cors {
				t.Errorf("CORS headers:\n%s\nwant:\n%s", got, s3cors)
			}
			var trailer []string
			for name, v := range r.Trailer {
				trailer = append(trailer, name+": "+strings.Join(v, " | "))
			}
			slices.Sort(trailer)
			if got := strings.Join(trailer, "\n"); got != tc.wantTrailer {
				t.Errorf("trailer:\n%s\nwant:\n%s", got, tc.wantTrailer)
			}
		})
	}
}

// TestSignedHopHeaders sends requests whose Signature Version 4 signs a
// header httputil.ReverseProxy removes as hop-by-hop, as curl
// --aws-sigv4 signs the -H "Connection: close" it is given: each is
// sent to a store that checks signatures, directly and through the
// proxy, and must be taken by both. The store computes the signature
// over the headers it gets, so the proxy must pass the signed ones on.
func TestSignedHopHeaders(t *testing.T) {
	t.Parallel()
	up, store := s3servertest.NewServer(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
	mustOK(t, store.CreateBucket("photos", ""))
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey,
		UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
	for _, c := range []struct {
		name, method, path string
		header             []string // name, value, ...
		presign            bool
	}{
		{"Connection: close", "GET", "/photos?list-type=2", []string{"Connection", "close"}, false},
		{"Connection: keep-alive", "GET", "/photos?list-type=2", []string{"Connection", "keep-alive"}, false},
		{"Keep-Alive", "GET", "/photos?list-type=2", []string{"Keep-Alive", "timeout=5"}, false},
		{"Proxy-Connection", "HEAD", "/photos", []string{"Proxy-Connection", "keep-alive"}, false},
		{"Proxy-Authorization", "GET", "/photos?list-type=2", []string{"Proxy-Authorization", "Basic dTpw"}, false},
		{"a PutObject's Connection: close", "PUT", "/photos/put-close", []string{"Connection", "close"}, false},
		{"a PutObject's Keep-Alive", "PUT", "/photos/put-keep-alive", []string{"Keep-Alive", "timeout=5", "Connection", "keep-alive"}, false},
		{"presigned, Connection: close", "GET", "/photos?list-type=2", []string{"Connection", "close"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, endpoint := range []string{up.URL, front.URL} {
				raw := signedWith(t, c.method, endpoint+c.path, c.header, c.presign)
				conn := sendRaw(t, endpoint, raw, false)
				res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: c.method})
				if err != nil {
					t.Fatalf("%s: %v", endpoint, err)
				}
				body, _ := io.ReadAll(res.Body)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s (the proxy is %s): %d %s", endpoint, front.URL, res.StatusCode, body)
				}
			}
		})
	}
}

// signedWith returns the request method url with header, signed with
// the upstream pair (as a presigned URL when presign), its Signature
// Version 4 covering every header but User-Agent, as the AWS SDK for Go
// signs, written out as sent.
func signedWith(t *testing.T, method, url string, header []string, presign bool) string {
	t.Helper()
	var body io.Reader
	if method == http.MethodPut {
		body = strings.NewReader("data")
	}
	r, err := http.NewRequest(method, url, body)
	mustOK(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	creds := aws.Credentials{AccessKeyID: upstreamAccessKey, SecretAccessKey: upstreamSecretKey}
	if presign {
		q := r.URL.Query()
		q.Set("X-Amz-Expires", "300")
		r.URL.RawQuery = q.Encode()
		signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, "UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now())
		mustOK(t, err)
		r.URL, err = r.URL.Parse(signed)
		mustOK(t, err)
	} else {
		r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
		mustOK(t, v4.NewSigner().SignHTTP(context.Background(), creds, r, "UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now()))
	}
	var out strings.Builder
	mustOK(t, r.Write(&out))
	return out.String()
}
