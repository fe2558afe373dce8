// Package bench compares s3cors with other Go CORS evaluators. It is a
// module of its own so that users of s3cors never download them.
package bench

import (
	"net/http"
	"strconv"
	"testing"

	rscors "github.com/rs/cors"
	swcors "github.com/seaweedfs/seaweedfs/weed/s3api/cors"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/discard"
	"github.com/s3cors/s3cors/s3err"
)

// policy is one CORS policy, given to each library in its own terms.
type policy struct {
	origins []string
	// perRule splits origins into S3 rules of this many, the rest alike,
	// for the libraries that have rules; 0 means one rule. rs/cors, which
	// has none, gets all the origins in one policy.
	perRule int
	methods []string
	headers []string
	expose  []string
	maxAge  int
}

// ruleOrigins returns the origins of each rule.
func (p policy) ruleOrigins() [][]string {
	if p.perRule == 0 {
		return [][]string{p.origins}
	}
	var rules [][]string
	for o := p.origins; len(o) > 0; o = o[min(p.perRule, len(o)):] {
		rules = append(rules, o[:min(p.perRule, len(o))])
	}
	return rules
}

var basePolicy = policy{
	methods: []string{"GET", "PUT", "POST", "DELETE", "HEAD"},
	headers: []string{"Content-Type", "X-Amz-Date", "Authorization"},
	expose:  []string{"ETag"},
	maxAge:  3000,
}

func withOrigins(origins ...string) policy {
	p := basePolicy
	p.origins = origins
	return p
}

// hundredOrigins are the same length and share a long prefix: the worst
// case for comparing strings.
func hundredOrigins() []string {
	o := make([]string, 100)
	for i := range o {
		o[i] = "https://app" + strconv.Itoa(100 + i)[1:] + ".example.com"
	}
	return o
}

// benchCase is one request against one policy, and whether S3 allows it.
type benchCase struct {
	name    string
	policy  policy
	method  string
	header  http.Header
	allowed bool
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func cases() []benchCase {
	one := withOrigins("https://app.example.com")
	wildcard := withOrigins("https://*.example.com")
	origins := hundredOrigins()
	return []benchCase{
		{"preflight", one, "OPTIONS", header("Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"), true},
		{"preflight-2headers", one, "OPTIONS", header("Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-amz-date"), true},
		{"actual", one, "GET", header("Origin", "https://app.example.com"), true},
		{"disallowed-preflight", one, "OPTIONS", header("Origin", "https://evil.example.net", "Access-Control-Request-Method", "PUT"), false},
		{"disallowed-preflight-server-ids", one, "OPTIONS", header("Origin", "https://evil.example.net", "Access-Control-Request-Method", "PUT"), false},
		{"disallowed-actual", one, "GET", header("Origin", "https://evil.example.net"), false},
		{"origins100-preflight", withOrigins(origins...), "OPTIONS", header("Origin", origins[99], "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"), true},
		{"wildcard-preflight", wildcard, "OPTIONS", header("Origin", "https://tenant.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"), true},
		{"wildcard-actual", wildcard, "GET", header("Origin", "https://tenant.example.com"), true},
	}
}

// library builds an http.Handler applying a policy in front of a no-op
// handler, the way a server would use it.
type library struct {
	name    string
	handler func(p policy) http.Handler
}

var noop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

var libraries = []library{
	{"s3cors", func(p policy) http.Handler {
		age := int32(p.maxAge)
		var rules []corsrule.Rule
		for _, origins := range p.ruleOrigins() {
			rules = append(rules, corsrule.Rule{AllowedOrigins: origins, AllowedMethods: p.methods,
				AllowedHeaders: p.headers, ExposeHeaders: p.expose, MaxAgeSeconds: &age})
		}
		cfg := bucket.MustNew(rules...)
		target := bucket.Target{Config: cfg, Object: true}
		mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return target, true }}
		return mw.Wrap(noop)
	}},
	{"rs-cors", func(p policy) http.Handler {
		// rs/cors given the policy closest to S3's rule: S3 sends
		// Allow-Credentials with an echoed origin.
		return rscors.New(rscors.Options{AllowedOrigins: p.origins, AllowedMethods: p.methods, AllowedHeaders: p.headers,
			ExposedHeaders: p.expose, MaxAge: p.maxAge, AllowCredentials: true}).Handler(noop)
	}},
	{"seaweedfs", func(p policy) http.Handler {
		age := p.maxAge
		cfg := &swcors.CORSConfiguration{}
		for _, origins := range p.ruleOrigins() {
			cfg.CORSRules = append(cfg.CORSRules, swcors.CORSRule{AllowedOrigins: origins, AllowedMethods: p.methods,
				AllowedHeaders: p.headers, ExposeHeaders: p.expose, MaxAgeSeconds: &age})
		}
		// What SeaweedFS's middleware does once it has the bucket's
		// configuration: parse, evaluate, apply.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			resp, err := swcors.EvaluateRequest(cfg, swcors.ParseRequest(r))
			if err == nil {
				swcors.ApplyHeaders(w, resp)
			}
			if r.Method == http.MethodOptions {
				if err != nil || resp.AllowMethods == "" {
					w.WriteHeader(http.StatusForbidden)
					return
				}
				w.WriteHeader(http.StatusOK)
				return
			}
			noop.ServeHTTP(w, r)
		})
	}},
}

func request(c benchCase) *http.Request {
	r, err := http.NewRequest(c.method, "http://s3.example/bucket/key", nil)
	if err != nil {
		panic(err)
	}
	r.Header = c.header
	return r
}

// allowed reports whether a response lets the browser go on.
func allowed(rec *discard.ResponseWriter, preflight bool) bool {
	if rec.Head.Get("Access-Control-Allow-Origin") == "" {
		return false
	}
	return !preflight || rec.Head.Get("Access-Control-Allow-Methods") != "" && rec.Status < 300
}

// serverIDs names the cases run with the request IDs already in the
// response, as an S3 server sets them for every request before CORS runs
// (s3server does, with s3err.RequestIDs): s3cors then puts them in its
// error body instead of making them. Every library's loop sets them
// alike, the same two values each time.
var serverIDs = map[string]bool{"disallowed-preflight-server-ids": true}

var requestID, hostID = func() ([]string, []string) {
	id, host := s3err.RequestIDs(http.Header{})
	return []string{id}, []string{host}
}()

func BenchmarkCompare(b *testing.B) {
	for _, c := range cases() {
		for _, lib := range libraries {
			b.Run("case="+c.name+"/lib="+lib.name, func(b *testing.B) { benchLibrary(b, lib, c) })
		}
	}
}

// benchLibrary measures lib answering c, into a ResponseWriter whose
// header map is reused.
func benchLibrary(b *testing.B, lib library, c benchCase) {
	h := lib.handler(c.policy)
	req := request(c)
	rec := &discard.ResponseWriter{Head: http.Header{}}
	ids := serverIDs[c.name]
	b.ReportAllocs()
	for b.Loop() {
		clear(rec.Head)
		if ids {
			rec.Head[s3err.RequestIDHeader] = requestID
			rec.Head[s3err.HostIDHeader] = hostID
		}
		h.ServeHTTP(rec, req)
	}
}

// BenchmarkParallel sends the multi-header preflight from every core at
// once, each with its own ResponseWriter: what a server under load asks
// of the evaluator, s3cors's cache of re-joined values included.
func BenchmarkParallel(b *testing.B) {
	for _, c := range cases() {
		if c.name != "preflight-2headers" {
			continue
		}
		for _, lib := range libraries {
			b.Run("case="+c.name+"/lib="+lib.name, func(b *testing.B) {
				h := lib.handler(c.policy)
				req := request(c)
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					rec := &discard.ResponseWriter{Head: http.Header{}}
					for pb.Next() {
						clear(rec.Head)
						h.ServeHTTP(rec, req)
					}
				})
			})
		}
	}
}

// TestSameVerdicts checks that every library reaches S3's verdict on every
// case, so the benchmark compares equal work.
func TestSameVerdicts(t *testing.T) {
	for _, c := range append(cases(), wildcardCases()...) {
		for _, lib := range libraries {
			rec := &discard.ResponseWriter{Head: http.Header{}, Status: http.StatusOK}
			lib.handler(c.policy).ServeHTTP(rec, request(c))
			if got := allowed(rec, c.method == http.MethodOptions); got != c.allowed {
				t.Errorf("case %s, %s: allowed = %v, want %v (status %d, headers %v)", c.name, lib.name, got, c.allowed, rec.Status, rec.Head)
			}
		}
	}
}

// wildcardOrigins returns n distinct wildcard origins of the four shapes
// users write, in turn.
func wildcardOrigins(n int) []string {
	o := make([]string, n)
	for i := range o {
		d := strconv.Itoa(i)
		o[i] = [...]string{"https://*.tenant" + d + ".example.com", "http://localhost" + d + ":*", "*.suffix" + d, "prefix" + d + "*"}[i%4]
	}
	return o
}

// wildcardCases are requests against one wildcard origin and against a
// thousand, ten to a rule over the hundred rules S3 allows: from an origin
// the last "https://*.tenantN.example.com" admits (SeaweedFS knows no
// other shape), from one that none admits but that shares all but a
// digit with them, and from an unrelated site.
func wildcardCases() []benchCase {
	var cases []benchCase
	for _, n := range []int{1, 1000} {
		p := basePolicy
		p.origins, p.perRule = wildcardOrigins(n), 10
		match := "https://a.tenant" + strconv.Itoa((n-1)/4*4) + ".example.com"
		miss := "https://a.tenant" + strconv.Itoa(n) + ".example.com"
		name := "origins=" + strconv.Itoa(n) + "/case="
		cases = append(cases,
			benchCase{name + "preflight", p, "OPTIONS", header("Origin", match, "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type"), true},
			benchCase{name + "actual", p, "GET", header("Origin", match), true},
			benchCase{name + "preflight-refused", p, "OPTIONS", header("Origin", miss, "Access-Control-Request-Method", "PUT"), false},
			benchCase{name + "actual-refused", p, "GET", header("Origin", miss), false},
			benchCase{name + "actual-unrelated", p, "GET", header("Origin", "https://evil.example.net"), false},
		)
	}
	return cases
}

// BenchmarkWildcards compares the libraries on one wildcard origin and on
// a thousand.
func BenchmarkWildcards(b *testing.B) {
	for _, c := range wildcardCases() {
		for _, lib := range libraries {
			b.Run(c.name+"/lib="+lib.name, func(b *testing.B) { benchLibrary(b, lib, c) })
		}
	}
}

// BenchmarkRules puts the matching rule last among 1, 10 or 100 rules.
func BenchmarkRules(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		for _, kind := range []string{"exact", "wildcard"} {
			rules := make([]corsrule.Rule, n)
			age := int32(3000)
			for i := range rules {
				origin := "https://app" + strconv.Itoa(i) + ".example.com"
				if kind == "wildcard" {
					origin = "https://*.tenant" + strconv.Itoa(i) + ".example.com"
				}
				rules[i] = corsrule.Rule{AllowedOrigins: []string{origin}, AllowedMethods: basePolicy.methods,
					AllowedHeaders: basePolicy.headers, ExposeHeaders: basePolicy.expose, MaxAgeSeconds: &age}
			}
			origin := "https://app" + strconv.Itoa(n-1) + ".example.com"
			if kind == "wildcard" {
				origin = "https://a.tenant" + strconv.Itoa(n-1) + ".example.com"
			}
			target := bucket.Target{Config: bucket.MustNew(rules...), Object: true}
			mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return target, true }}
			h := mw.Wrap(noop)
			for _, c := range []benchCase{
				{name: "preflight", method: "OPTIONS", header: header("Origin", origin, "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type")},
				{name: "actual", method: "GET", header: header("Origin", origin)},
			} {
				b.Run("rules="+strconv.Itoa(n)+"/origin="+kind+"/case="+c.name, func(b *testing.B) {
					req := request(c)
					rec := &discard.ResponseWriter{Head: http.Header{}}
					b.ReportAllocs()
					for b.Loop() {
						clear(rec.Head)
						h.ServeHTTP(rec, req)
					}
					if !allowed(rec, c.method == http.MethodOptions) {
						b.Fatalf("not allowed: %v", rec.Head)
					}
				})
			}
		}
	}
}
