package bench

import (
	"fmt"
	"net"
	"net/http"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
)

// The end-to-end comparison: the S3 endpoint answering preflights on
// loopback, against a bare net/http handler that writes the same headers
// from constants. The difference is what s3cors costs a real server:
// routing, bucket lookup, evaluation and request IDs.

var e2eRule = corsrule.Rule{
	AllowedOrigins: []string{"https://app.example.com"},
	AllowedMethods: []string{"GET", "PUT", "POST", "DELETE", "HEAD"},
	AllowedHeaders: []string{"content-type", "x-amz-date", "authorization"},
	ExposeHeaders:  []string{"ETag"},
	MaxAgeSeconds:  new(int32(3000)),
}

// bareHandler answers every request with the headers the endpoint sends
// for the benchmark's preflight, fixed in advance.
func bareHandler() http.Handler {
	static := http.Header{
		"Access-Control-Allow-Origin":      {"https://app.example.com"},
		"Access-Control-Allow-Credentials": {"true"},
		"Access-Control-Allow-Methods":     {"GET, PUT, POST, DELETE, HEAD"},
		"Access-Control-Allow-Headers":     {"content-type, x-amz-date"},
		"Access-Control-Expose-Headers":    {"ETag"},
		"Access-Control-Max-Age":           {"3000"},
		"Vary":                             {"Origin, Access-Control-Request-Headers, Access-Control-Request-Method"},
		s3err.RequestIDHeader:              {"0123456789ABCDEF"},
		s3err.HostIDHeader:                 {"T2n2xyI/bHfNAk6k4QTPkj+7CBWJMRebkDn7ymvmAkCZhOY0j25G5eW8w84fZ8EtHQQHk0HPR2A="},
		"Server":                           {"AmazonS3"},
		"Content-Length":                   {"0"},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range static {
			h[k] = v
		}
		w.WriteHeader(http.StatusOK)
	})
}

func s3corsHandler(tb testing.TB) http.Handler {
	srv, err := s3server.New(s3server.Options{InMemory: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	if err := srv.CreateBucket("bench", "public-read"); err != nil {
		tb.Fatal(err)
	}
	if err := srv.PutBucketCors("bench", []corsrule.Rule{e2eRule}); err != nil {
		tb.Fatal(err)
	}
	return srv
}

// serve runs h on a loopback listener and returns its URL.
func serve(tb testing.TB, h http.Handler) string {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	hs := &http.Server{Handler: h}
	go hs.Serve(l)
	tb.Cleanup(func() { hs.Close() })
	return "http://" + l.Addr().String()
}

func preflight(url string) *http.Request {
	req, err := http.NewRequest(http.MethodOptions, url+"/bench/photos/cat.jpg", nil)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-date")
	return req
}

// BenchmarkEndToEnd sends preflights over loopback from parallel
// keep-alive clients and reports requests per second.
func BenchmarkEndToEnd(b *testing.B) {
	for _, srv := range []struct {
		name    string
		handler func(testing.TB) http.Handler
	}{
		{"s3cors", s3corsHandler},
		{"bare", func(testing.TB) http.Handler { return bareHandler() }},
	} {
		b.Run("server="+srv.name, func(b *testing.B) {
			url := serve(b, srv.handler(b))
			preflightLoad(b, url)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// preflightLoad sends b.N preflights to url from parallel keep-alive
// clients, and fails b unless each is answered 200.
func preflightLoad(b *testing.B, url string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := do(client, preflight(url), statusOK); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// statusOK is the check of an answer that must be 200.
func statusOK(resp *http.Response) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// TestEndToEndSameAnswer checks that the bare handler sends what the
// endpoint sends for the benchmark's preflight, so the two do equal work.
func TestEndToEndSameAnswer(t *testing.T) {
	resp := func(h http.Handler) *http.Response {
		r, err := http.DefaultClient.Do(preflight(serve(t, h)))
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r
	}
	got, want := resp(s3corsHandler(t)), resp(bareHandler())
	if got.StatusCode != want.StatusCode {
		t.Fatalf("status %d, bare %d", got.StatusCode, want.StatusCode)
	}
	for k := range want.Header {
		switch k {
		case "Date", "X-Amz-Request-Id", "X-Amz-Id-2":
			if got.Header.Get(k) == "" {
				t.Errorf("%s missing", k)
			}
		default:
			if got.Header.Get(k) != want.Header.Get(k) {
				t.Errorf("%s = %q, bare handler sends %q", k, got.Header.Get(k), want.Header.Get(k))
			}
		}
	}
	for k := range got.Header {
		if want.Header.Get(k) == "" {
			t.Errorf("the endpoint sends %s, the bare handler does not", k)
		}
	}
}
