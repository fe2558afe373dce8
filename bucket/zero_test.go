package bucket_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
)

// TestZeroConfig checks that the zero Config, which New never returns
// (S3 takes no configuration without a rule), stands for a bucket without
// a configuration, as a nil *Config does: a Config held by value in a
// struct and never set is one.
func TestZeroConfig(t *testing.T) {
	t.Parallel()
	var zero bucket.Config
	preflight := http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"GET"}}
	actual := http.Header{"Origin": {"https://app.example"}}
	for _, tc := range []struct {
		name   string
		method string
		h      http.Header
		want   bucket.Outcome
	}{
		{"preflight", http.MethodOptions, preflight, bucket.NoConfig},
		{"actual", http.MethodGet, actual, bucket.NoConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			nilRes := bucket.Evaluate(tc.method, tc.h, bucket.Target{})
			zeroRes := bucket.Evaluate(tc.method, tc.h, bucket.Target{Config: &zero})
			if zeroRes.Outcome() != tc.want || nilRes.Outcome() != tc.want {
				t.Errorf("outcome with the zero Config %v, with nil %v; want %v for both", zeroRes.Outcome(), nilRes.Outcome(), tc.want)
			}
			if got, want := zeroRes.Err(), nilRes.Err(); (got == nil) != (want == nil) || got != nil && got.Message != want.Message {
				t.Errorf("error with the zero Config %v, with nil %v", got, want)
			}
		})
	}

	// The Middleware's Fallback stands in for it, as for nil.
	fallback := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}})
	mw := &bucket.Middleware{Fallback: fallback, Resolve: func(*http.Request) (bucket.Target, bool) {
		return bucket.Target{Config: &zero}, true
	}}
	h := mw.Wrap(http.NotFoundHandler())
	for _, method := range []string{http.MethodOptions, http.MethodGet} {
		req := httptest.NewRequest(method, "/b/k", nil)
		req.Header = preflight.Clone()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s with the zero Config and a Fallback: Access-Control-Allow-Origin %q, want the Fallback's \"*\"", method, got)
		}
	}
}
