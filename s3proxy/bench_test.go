package s3proxy_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/s3proxy"
)

// BenchmarkForward measures the proxy's own cost for a GET of 1 KiB
// passed through, with an Origin the bucket's rules admit, against an
// upstream that answers from memory: the proxy's allocations and CPU,
// not the network's (bench/ compares the processes).
func BenchmarkForward(b *testing.B) {
	body := strings.Repeat("x", 1024)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodHead:
		case strings.HasPrefix(r.URL.Path, "/"+s3proxy.DefaultConfigBucket+"/"):
			w.Header().Set("ETag", `"1"`)
			io.WriteString(w, `<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
		default:
			w.Header().Set("Content-Length", "1024")
			io.WriteString(w, body)
		}
	}))
	b.Cleanup(up.Close)
	p, err := s3proxy.New(s3proxy.Options{Upstream: up.URL, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	front := httptest.NewServer(p)
	b.Cleanup(front.Close)
	client := front.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", front.URL+"/bucket/key", nil)
			req.Header.Set("Origin", "https://app.example")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") == "" {
				b.Errorf("%d %v", resp.StatusCode, resp.Header)
				return
			}
		}
	})
}
