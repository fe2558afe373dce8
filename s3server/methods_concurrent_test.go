package s3server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

// TestMethodsWhileServing checks what Server's doc comment says: its
// methods may be called while it serves requests. Under -race a data
// race fails it; without, each goroutine's answers are checked.
func TestMethodsWhileServing(t *testing.T) {
	t.Parallel()
	s, err := s3server.New(s3server.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	if err := s.CreateBucket("shared", ""); err != nil {
		t.Fatal(err)
	}
	configs := [][]corsrule.Rule{
		{{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}}},
		{{AllowedOrigins: []string{"https://a.example", "https://b.example"}, AllowedMethods: []string{"GET"}}},
	}
	// The preflights below start with the writers, so the bucket needs a
	// configuration before either does: without one the first preflights
	// are S3's 403 for a bucket without CORS.
	if err := s.PutBucketCors("shared", configs[0]); err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 4, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				if err := s.PutBucketCors("shared", configs[i%2]); err != nil {
					t.Errorf("PutBucketCors: %v", err)
				}
				if cfg, err := s.BucketCors("shared"); err != nil || cfg == nil {
					t.Errorf("BucketCors = %v, %v; want a configuration", cfg, err)
				}
				if err := s.CreateBucket(fmt.Sprintf("made-%d-%d", w, i), "public-read"); err != nil {
					t.Errorf("CreateBucket: %v", err)
				}
				s.BucketNames()
			}
		})
		wg.Go(func() {
			for range rounds {
				req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/shared/k", nil)
				req.Header.Set("Origin", "https://a.example")
				req.Header.Set("Access-Control-Request-Method", "GET")
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				// Both configurations admit https://a.example.
				if resp.StatusCode != http.StatusOK {
					t.Errorf("preflight: %s; want 200 OK", resp.Status)
				}
			}
		})
	}
	wg.Wait()
	names := s.BucketNames()
	if want := workers*rounds + 1; len(names) != want || !slices.Contains(names, "shared") {
		t.Errorf("%d buckets after the calls, want %d with shared", len(names), want)
	}
}
