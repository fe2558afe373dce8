package bucket_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/discard"
	"github.com/s3cors/s3cors/s3err"
)

// TestAllocs holds the hot path to its allocation guarantees: evaluating
// and writing into a reused header map allocates nothing. Re-joining
// Access-Control-Allow-Headers in S3's form allocates once for a request
// value the configuration has not answered lately (AllocsPerRun's first,
// uncounted run answers it) and for one too long to remember. The cases
// run one after another: AllocsPerRun counts the allocations of every
// goroutine, and panics in a parallel test.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	var origins []string
	for i := range 100 {
		origins = append(origins, "https://app"+string(rune('a'+i%26))+string(rune('a'+i/26))+".example.com")
	}
	cfg := bucket.MustNew(
		corsrule.Rule{AllowedOrigins: origins, AllowedMethods: []string{"GET", "PUT"}, AllowedHeaders: []string{"content-type", "x-amz-*"},
			ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: maxAge(3000)},
		corsrule.Rule{AllowedOrigins: []string{"https://*.example.org"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"*"}},
	)
	target := bucket.Target{Config: cfg, Object: true}
	tests := []struct {
		name   string
		method string
		h      http.Header
		want   float64
	}{
		{"preflight, one lower-case name", "OPTIONS", hdr("Origin", origins[99], "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"), 0},
		{"preflight, no names", "OPTIONS", hdr("Origin", origins[50], "Access-Control-Request-Method", "GET"), 0},
		{"preflight, wildcard origin", "OPTIONS", hdr("Origin", "https://a.example.org", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-a"), 0},
		{"preflight, two names re-joined", "OPTIONS", hdr("Origin", origins[0], "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-amz-date"), 0},
		{"preflight, upper-case name", "OPTIONS", hdr("Origin", origins[0], "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "Content-Type"), 0},
		{"preflight, names too long to remember", "OPTIONS", hdr("Origin", origins[0], "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers",
			strings.Repeat("x-amz-meta-a-longer-name,", 11)+"content-type"), 1},
		{"preflight refused", "OPTIONS", hdr("Origin", "https://evil.example", "Access-Control-Request-Method", "PUT"), 0},
		{"actual", "GET", hdr("Origin", origins[7]), 0},
		{"actual refused", "GET", hdr("Origin", "https://evil.example"), 0},
		{"not CORS", "GET", hdr(), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := http.Header{}
			decide := testing.AllocsPerRun(1000, func() {
				res := bucket.Evaluate(tc.method, tc.h, target)
				_ = res.Rule()
			})
			if decide != 0 {
				t.Errorf("Evaluate allocates %v times, want 0", decide)
			}
			write := testing.AllocsPerRun(1000, func() {
				clear(dst)
				bucket.Evaluate(tc.method, tc.h, target).WriteHeaders(dst)
			})
			if write != tc.want {
				t.Errorf("Evaluate+WriteHeaders allocates %v times, want %v", write, tc.want)
			}
		})
	}
}

// TestEvaluateRequestAllocs counts what writing a Result of
// EvaluateRequest costs: the one-element slice of an echoed Origin, which
// Evaluate takes from the request. Access-Control-Allow-Headers costs
// what Result.WriteHeaders says, nothing once the Config remembers it
// (AllocsPerRun's first, uncounted run builds it).
func TestEvaluateRequestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"*"}},
		corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT"}})
	tests := []struct {
		name string
		req  bucket.Request
		want float64
	}{
		{"echoed origin", bucket.Request{Method: "GET", Origin: "https://app.example.com"}, 1},
		{"echoed origin and a requested name", bucket.Request{Method: "OPTIONS", Origin: "https://app.example.com",
			AccessControlRequestMethod: "GET", AccessControlRequestHeaders: "x-a"}, 1},
		{"any origin", bucket.Request{Method: "PUT", Origin: "https://app.example.com"}, 0},
	}
	for _, tc := range tests {
		dst := http.Header{}
		n := testing.AllocsPerRun(100, func() {
			clear(dst)
			bucket.EvaluateRequest(tc.req, bucket.Target{Config: cfg}).WriteHeaders(dst)
		})
		if n != tc.want {
			t.Errorf("%s: EvaluateRequest+WriteHeaders allocates %v times, want %v", tc.name, n, tc.want)
		}
	}
}

// TestRefusedPreflightAllocs holds the middleware's answer to a preflight
// no rule admits, S3's 403 with its XML body, to its allocations: none
// when the server has set the request IDs, one when the middleware has to
// make them.
func TestRefusedPreflightAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET"}})
	mw := (&bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) {
		return bucket.Target{Config: cfg, Object: true}, true
	}}).Wrap(http.NotFoundHandler())
	req, _ := http.NewRequest("OPTIONS", "http://s3.example/b/k", nil)
	req.Header = hdr("Origin", "https://evil.example", "Access-Control-Request-Method", "PUT")
	for _, tc := range []struct {
		name  string
		ids   bool
		wants float64
	}{{"IDs set by the server", true, 0}, {"IDs made by the middleware", false, 1}} {
		w := &discard.ResponseWriter{Head: http.Header{}}
		n := testing.AllocsPerRun(1000, func() {
			clear(w.Head)
			if tc.ids {
				w.Head[s3err.RequestIDHeader] = requestID
				w.Head[s3err.HostIDHeader] = hostID
			}
			mw.ServeHTTP(w, req)
		})
		if n != tc.wants {
			t.Errorf("%s: a refused preflight allocates %v times, want %v", tc.name, n, tc.wants)
		}
		if w.Head.Get("Content-Type") != "application/xml" || s3err.HeaderValue(w.Head, s3err.RequestIDHeader) == "" {
			t.Errorf("%s: not S3's error response: %v", tc.name, w.Head)
		}
	}
}

// The request IDs a server sets, shared so that setting them allocates
// nothing.
var (
	requestID = []string{"EXAMPLEREQUESTID"}
	hostID    = []string{"EXAMPLEHOSTID"}
)

// TestMiddlewareAllocs holds the Middleware to what README.md promises of
// it, no allocation per request, for what it answers or passes on: an
// allowed preflight, an actual request a rule admits, one it does not,
// one without Origin and one that addresses no bucket; with VaryOrigin,
// whose Vary: Origin is a shared value too. The server has set the
// request IDs (TestRefusedPreflightAllocs counts a refused preflight).
// The cases run one after another, as TestAllocs's do.
func TestMiddlewareAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"content-type"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: maxAge(3000)})
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for _, tc := range []struct {
		name       string
		varyOrigin bool
		method     string
		h          http.Header
		noBucket   bool // Resolve says the request addresses no bucket
		status     int
		acao, vary string // the Access-Control-Allow-Origin and Vary answered
	}{
		{"allowed preflight", false, "OPTIONS", hdr("Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT",
			"Access-Control-Request-Headers", "content-type"), false, http.StatusOK, "https://app.example.com", vary},
		{"allowed actual request", false, "GET", hdr("Origin", "https://app.example.com"), false, http.StatusNoContent, "https://app.example.com", vary},
		{"actual request from another origin", false, "GET", hdr("Origin", "https://evil.example"), false, http.StatusNoContent, "", ""},
		{"actual request without Origin", false, "GET", hdr(), false, http.StatusNoContent, "", ""},
		{"no bucket addressed", false, "GET", hdr("Origin", "https://app.example.com"), true, http.StatusNoContent, "", ""},
		{"VaryOrigin, allowed actual request", true, "GET", hdr("Origin", "https://app.example.com"), false, http.StatusNoContent, "https://app.example.com", vary},
		{"VaryOrigin, actual request from another origin", true, "GET", hdr("Origin", "https://evil.example"), false, http.StatusNoContent, "", "Origin"},
		{"VaryOrigin, actual request without Origin", true, "GET", hdr(), false, http.StatusNoContent, "", "Origin"},
		// Judged by its Access-Control-Request-Method, which the rule does
		// not allow: S3's whole Vary, a shared value too.
		{"VaryOrigin, actual request refused for its Access-Control-Request-Method", true, "GET",
			hdr("Origin", "https://app.example.com", "Access-Control-Request-Method", "DELETE"), false, http.StatusNoContent, "", vary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mw := (&bucket.Middleware{VaryOrigin: tc.varyOrigin, Resolve: func(*http.Request) (bucket.Target, bool) {
				return bucket.Target{Config: cfg, Object: true}, !tc.noBucket
			}}).Wrap(ok)
			req, _ := http.NewRequest(tc.method, "http://s3.example/b/k", nil)
			req.Header = tc.h
			w := &discard.ResponseWriter{Head: http.Header{}}
			n := testing.AllocsPerRun(1000, func() {
				clear(w.Head)
				w.Head[s3err.RequestIDHeader] = requestID
				w.Head[s3err.HostIDHeader] = hostID
				mw.ServeHTTP(w, req)
			})
			// What was counted is the answer the case names.
			if w.Status != tc.status || w.Head.Get("Access-Control-Allow-Origin") != tc.acao || strings.Join(w.Head["Vary"], ", ") != tc.vary {
				t.Fatalf("answer %d, Access-Control-Allow-Origin %q, Vary %q; want %d, %q, %q",
					w.Status, w.Head.Get("Access-Control-Allow-Origin"), w.Head["Vary"], tc.status, tc.acao, tc.vary)
			}
			if n != 0 {
				t.Errorf("the middleware allocates %v times, want 0", n)
			}
		})
	}
}

// TestUnpinnedPathsAllocs holds to their allocation counts three paths
// the documentation makes claims for and TestAllocs, TestMiddlewareAllocs
// and TestRefusedPreflightAllocs do not reach: origins found through the
// wildcard index (more wildcard origins than are tried one by one), whose
// evaluation allocates nothing as every evaluation does (package doc);
// Access-Control-Request-Headers sent on several lines, which Evaluate
// joins with its one allocation, the answer then remembered by the Config
// (Evaluate's doc); and the Middleware's allowed preflight in a server
// that sets no request IDs, which carries none "so that it costs no
// allocation" (Middleware's doc). The cases run one after another:
// AllocsPerRun counts the allocations of every goroutine.
func TestUnpinnedPathsAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	var origins []string
	for i := range 1000 {
		origins = append(origins, "https://*.tenant"+strconv.Itoa(i)+".example.com")
	}
	var rules []corsrule.Rule
	for i := range 100 {
		rules = append(rules, corsrule.Rule{AllowedOrigins: origins[10*i : 10*i+10], AllowedMethods: []string{"GET", "PUT"},
			AllowedHeaders: []string{"x-amz-*", "content-type"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: maxAge(600)})
	}
	indexed := bucket.MustNew(rules...)
	plain := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"*"}})
	tests := []struct {
		name       string
		cfg        *bucket.Config
		method     string
		h          http.Header
		rule       int     // the rule that answers, -1 for none
		evaluate   float64 // allocations of Evaluate alone
		write      float64 // of Evaluate and WriteHeaders into a reused map
		middleware float64 // of the Middleware, the server setting no request IDs
	}{
		{"wildcard index, preflight", indexed, "OPTIONS", hdr("Origin", "https://app.tenant997.example.com",
			"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-amz-date"), 99, 0, 0, 0},
		{"wildcard index, two names re-joined", indexed, "OPTIONS", hdr("Origin", "https://app.tenant3.example.com",
			"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-amz-date"), 0, 0, 0, 0},
		{"wildcard index, actual request", indexed, "GET", hdr("Origin", "https://app.tenant512.example.com"), 51, 0, 0, 0},
		{"wildcard index, no origin admitted", indexed, "GET", hdr("Origin", "https://app.tenant1000.example.com"), -1, 0, 0, 0},
		{"requested headers on two lines", plain, "OPTIONS", http.Header{"Origin": {"https://app.example.com"},
			"Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"content-type", "x-amz-date"}}, 0, 1, 1, 1},
		{"allowed preflight, no request IDs", plain, "OPTIONS", hdr("Origin", "https://app.example.com",
			"Access-Control-Request-Method", "GET"), 0, 0, 0, 0},
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := bucket.Target{Config: tc.cfg, Object: true}
			if got := bucket.Evaluate(tc.method, tc.h, target).Rule(); got != tc.rule {
				t.Fatalf("rule %d answers, want %d: the case does not take the path it names", got, tc.rule)
			}
			evaluate := testing.AllocsPerRun(1000, func() { _ = bucket.Evaluate(tc.method, tc.h, target).Rule() })
			dst := http.Header{}
			write := testing.AllocsPerRun(1000, func() {
				clear(dst)
				bucket.Evaluate(tc.method, tc.h, target).WriteHeaders(dst)
			})
			mw := (&bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return target, true }}).Wrap(ok)
			req, _ := http.NewRequest(tc.method, "http://s3.example/b/k", nil)
			req.Header = tc.h
			w := &discard.ResponseWriter{Head: http.Header{}}
			middleware := testing.AllocsPerRun(1000, func() {
				clear(w.Head)
				mw.ServeHTTP(w, req)
			})
			if evaluate != tc.evaluate || write != tc.write || middleware != tc.middleware {
				t.Errorf("allocations: Evaluate %v, with WriteHeaders %v, Middleware %v; want %v, %v, %v",
					evaluate, write, middleware, tc.evaluate, tc.write, tc.middleware)
			}
		})
	}
}

// TestCompileAllocs holds compiling to the allocations it costs, since
// servers and the proxy compile on every configuration change: a typical
// rule, and the largest configuration S3 accepts, whose lists and maps
// are each made once, at their size (BenchmarkCompile reports the bytes).
func TestCompileAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	for _, tc := range []struct {
		name  string
		rules []corsrule.Rule
		max   float64
	}{
		{"one rule", []corsrule.Rule{benchRule}, 13},
		{"100 rules, 64 KB", worstConfig(), 25},
	} {
		if got := testing.AllocsPerRun(20, func() { bucket.MustNew(tc.rules...) }); got > tc.max {
			t.Errorf("%s: compiling allocates %v times, want at most %v", tc.name, got, tc.max)
		}
	}
}

// TestDocumentedExceptionAllocs holds the exceptions README.md's
// performance section names to its counts: adding Vary to a map that
// already holds one (a compression handler's) copies its shared values,
// one allocation; a refusal written with Err().WriteResponse, as the
// library example writes it, builds its body, two; so does the
// Middleware's 400 for an unknown Access-Control-Request-Method, whose
// message names it. The server has set the request IDs.
func TestDocumentedExceptionAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET", "PUT"}})
	target := bucket.Target{Config: cfg, Object: true}
	mw := (&bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return target, true }}).Wrap(http.NotFoundHandler())
	w := &discard.ResponseWriter{Head: http.Header{}}
	setIDs := func() {
		clear(w.Head)
		w.Head[s3err.RequestIDHeader] = requestID
		w.Head[s3err.HostIDHeader] = hostID
	}
	acceptEncoding := []string{"Accept-Encoding"}
	allowed := hdr("Origin", "https://app.example.com")
	refused := hdr("Origin", "https://evil.example", "Access-Control-Request-Method", "PUT")
	unknownMethod := hdr("Origin", "https://app.example.com", "Access-Control-Request-Method", "FOO")
	req, _ := http.NewRequest("OPTIONS", "http://s3.example/b/k", nil)
	req.Header = unknownMethod
	for _, tc := range []struct {
		name string
		run  func()
		want float64
	}{
		{"Vary already set", func() {
			setIDs()
			w.Head["Vary"] = acceptEncoding
			bucket.Evaluate("GET", allowed, target).WriteHeaders(w.Head)
		}, 1},
		{"Err().WriteResponse", func() {
			setIDs()
			bucket.Evaluate("OPTIONS", refused, target).Err().WriteResponse(w)
		}, 2},
		{"Middleware, unknown Access-Control-Request-Method", func() {
			setIDs()
			mw.ServeHTTP(w, req)
		}, 2},
	} {
		if n := testing.AllocsPerRun(1000, tc.run); n != tc.want {
			t.Errorf("%s: %v allocations, want %v", tc.name, n, tc.want)
		}
		// What was counted is the answer: Vary both lines, or S3's error.
		if tc.name == "Vary already set" {
			if got := w.Head.Values("Vary"); len(got) != 2 || got[0] != "Accept-Encoding" || got[1] != vary {
				t.Errorf("%s: Vary %q", tc.name, got)
			}
		} else if w.Head.Get("Content-Type") != "application/xml" {
			t.Errorf("%s: not S3's error response: %v", tc.name, w.Head)
		}
	}
}
