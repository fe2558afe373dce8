package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/discard"
	"github.com/s3cors/s3cors/s3server"
)

// BenchmarkHandler measures serve's handler in process, without net/http
// around it, on disk as shipped: a preflight with two requested headers
// and a GET of a 1 KiB object with an Origin, with the request log as
// serve writes it (its text handler, buffered) and with no log, so that
// the line's share shows. bench/servecmp measures the built binary.
func BenchmarkHandler(b *testing.B) {
	for _, logged := range []bool{true, false} {
		var logger *slog.Logger
		if logged {
			logs := newLogBuffer(io.Discard, logFlushDelay)
			b.Cleanup(func() { logs.Close() })
			logger = slog.New(newTextHandler(logs, &slog.HandlerOptions{}))
		}
		srv, err := s3server.New(s3server.Options{DataDir: b.TempDir(), Logger: logger, Inspector: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { srv.Close() })
		if err := srv.CreateBucket("bench", "private"); err != nil {
			b.Fatal(err)
		}
		if err := srv.PutBucketCors("bench", []corsrule.Rule{{AllowedOrigins: []string{"https://app.example.com"},
			AllowedMethods: []string{"GET", "PUT"}, AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"ETag"}}}); err != nil {
			b.Fatal(err)
		}
		put := httptest.NewRecorder()
		srv.ServeHTTP(put, httptest.NewRequest("PUT", "/bench/1KiB", strings.NewReader(strings.Repeat("x", 1024))))
		if put.Code != http.StatusOK {
			b.Fatalf("PutObject: %d %s", put.Code, put.Body)
		}
		for _, c := range []struct {
			name, method string
			header       []string
		}{
			{"preflight", "OPTIONS", []string{"Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-amz-date"}},
			{"GET", "GET", []string{"Origin", "https://app.example.com"}},
		} {
			log := "off"
			if logged {
				log = "on"
			}
			b.Run("log="+log+"/"+c.name, func(b *testing.B) {
				r := httptest.NewRequest(c.method, "/bench/1KiB", nil)
				for i := 0; i < len(c.header); i += 2 {
					r.Header.Set(c.header[i], c.header[i+1])
				}
				w := &discard.ResponseWriter{Head: http.Header{}}
				b.ReportAllocs()
				for b.Loop() {
					clear(w.Head)
					srv.ServeHTTP(w, r)
				}
				if w.Status != http.StatusOK || w.Head.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
					b.Fatalf("%s: %d, headers %v", c.name, w.Status, w.Head)
				}
			})
		}
	}
}
