package s3proxy_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/s3proxy"
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
