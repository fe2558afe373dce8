package bucket_test

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

func ExampleNew() {
	_, err := bucket.New([]corsrule.Rule{{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{"GET", "get"},
	}})
	var s3err *s3err.Error
	if errors.As(err, &s3err) {
		fmt.Println(s3err.StatusCode, s3err.Code)
		fmt.Println(s3err.Message)
	}
	// Output:
	// 400 InvalidRequest
	// Found unsupported HTTP method in CORS config. Unsupported method is get
}

func ExampleEvaluate() {
	cfg := bucket.MustNew(corsrule.Rule{
		AllowedOrigins: []string{"https://*.example.com"},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"content-type", "x-amz-*"},
		ExposeHeaders:  []string{"ETag"},
		MaxAgeSeconds:  new(int32(3000)),
	})
	preflight := http.Header{}
	preflight.Set("Origin", "https://app.example.com")
	preflight.Set("Access-Control-Request-Method", "PUT")
	preflight.Set("Access-Control-Request-Headers", "content-type,x-amz-meta-owner")

	res := bucket.Evaluate(http.MethodOptions, preflight, bucket.Target{Config: cfg, Object: true})
	fmt.Println(res.StatusCode(), "rule", res.Rule())
	answer := http.Header{}
	res.WriteHeaders(answer)
	for _, k := range slices.Sorted(maps.Keys(answer)) {
		fmt.Printf("%s: %s\n", k, answer.Get(k))
	}
	// Output:
	// 200 rule 0
	// Access-Control-Allow-Credentials: true
	// Access-Control-Allow-Headers: content-type, x-amz-meta-owner
	// Access-Control-Allow-Methods: GET, PUT
	// Access-Control-Allow-Origin: https://app.example.com
	// Access-Control-Expose-Headers: ETag
	// Access-Control-Max-Age: 3000
	// Vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method
}

func ExampleResult_Err() {
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET"}})
	preflight := http.Header{}
	preflight.Set("Origin", "https://evil.example")
	preflight.Set("Access-Control-Request-Method", "GET")

	res := bucket.Evaluate(http.MethodOptions, preflight, bucket.Target{Config: cfg, Object: true})
	fmt.Println(res.Outcome())
	fmt.Println(string(res.Err().AppendXML(nil, "REQUESTID", "HOSTID")))
	// Output:
	// NoMatch
	// <?xml version="1.0" encoding="UTF-8"?>
	// <Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.</Message><Method>GET</Method><ResourceType>OBJECT</ResourceType><RequestId>REQUESTID</RequestId><HostId>HOSTID</HostId></Error>
}

func ExampleResult_Trace() {
	cfg := bucket.MustNew(
		corsrule.Rule{ID: "reads", AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}},
		corsrule.Rule{ID: "uploads", AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"PUT"}},
	)
	preflight := http.Header{}
	preflight.Set("Origin", "https://app.example.com")
	preflight.Set("Access-Control-Request-Method", "PUT")
	preflight.Set("Access-Control-Request-Headers", "content-type")

	for _, tr := range bucket.Evaluate(http.MethodOptions, preflight, bucket.Target{Config: cfg}).Trace() {
		fmt.Printf("rule %d (%s): matched=%v %s\n", tr.Rule+1, tr.ID, tr.Matched, tr.Reason)
	}
	// Output:
	// rule 1 (reads): matched=false AllowedMethods does not hold "PUT"
	// rule 2 (uploads): matched=false no AllowedHeader admits the requested header "content-type"
}

// A server puts the Middleware in front of its S3 handler. Resolve says
// which bucket a request addresses; preflights to a bucket never reach the
// handler, while requests that address none (ListBuckets, OPTIONS /) go
// to it untouched.
func ExampleMiddleware() {
	// Resolve runs on every request's goroutine. This map is only read; a
	// server whose PutBucketCors changes it while serving keeps it in a
	// sync.Map or behind a lock (xmlconfig's ExampleDecodeXML does), and
	// replaces a bucket's *Config whole, never changing one.
	configs := map[string]*bucket.Config{
		"photos": bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET"}}),
	}
	s3 := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such key", http.StatusNotFound)
	})
	mw := &bucket.Middleware{Resolve: func(r *http.Request) (bucket.Target, bool) {
		name, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if name == "" {
			return bucket.Target{}, false // ListBuckets: no CORS
		}
		cfg, exists := configs[name]
		return bucket.Target{Config: cfg, NoBucket: !exists, Object: key != ""}, true
	}}
	srv := httptest.NewServer(mw.Wrap(s3))
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/photos/missing.jpg", nil)
	req.Header.Set("Origin", "https://app.example.com")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	// The 404 carries the CORS headers, so the page can read it.
	fmt.Println(resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))

	for _, path := range []string{"/photos/cat.jpg", "/"} {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+path, nil)
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Access-Control-Request-Method", "GET")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println("OPTIONS", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// Output:
	// 404 https://app.example.com
	// OPTIONS /photos/cat.jpg 403 application/xml
	// OPTIONS / 404 text/plain; charset=utf-8
}

// A server in front of a store that answers CORS itself, as MinIO does for
// every origin by default, relays the store's answers through an
// httputil.ReverseProxy. The proxy drops the store's CORS answer before
// the Middleware's headers meet it: without ModifyResponse the page gets
// two Access-Control-Allow-Origin values, which browsers refuse, and an
// origin no rule admits gets the store's permissive answer.
func ExampleMiddleware_reverseProxy() {
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		w.Header().Set("Vary", "Origin, Accept-Encoding")
		io.WriteString(w, "object")
	}))
	defer store.Close()
	upstream, _ := url.Parse(store.URL)
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	proxy.ModifyResponse = func(resp *http.Response) error {
		dropCORS(resp.Header)
		return nil
	}

	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET"}})
	mw := &bucket.Middleware{Resolve: func(r *http.Request) (bucket.Target, bool) {
		return bucket.Target{Config: cfg, Object: true}, true // one bucket, for the example
	}}
	srv := httptest.NewServer(mw.Wrap(proxy))
	defer srv.Close()

	for _, origin := range []string{"https://app.example.com", "https://evil.example"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/photos/cat.jpg", nil)
		req.Header.Set("Origin", origin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("%s: %q %q\n", origin, resp.Header.Values("Access-Control-Allow-Origin"), resp.Header.Values("Vary"))
	}
	// Output:
	// https://app.example.com: ["https://app.example.com"] ["Origin, Access-Control-Request-Headers, Access-Control-Request-Method" "Accept-Encoding"]
	// https://evil.example: [] ["Accept-Encoding"]
}

// dropCORS removes a relayed answer's own CORS: its Access-Control-*
// headers and the request headers of CORS its Vary names.
func dropCORS(h http.Header) {
	var vary []string
	for _, line := range h.Values("Vary") {
		for name := range strings.SplitSeq(line, ",") {
			name = strings.TrimSpace(name)
			lower := strings.ToLower(name)
			if name != "" && lower != "origin" && !strings.HasPrefix(lower, "access-control-request-") {
				vary = append(vary, name)
			}
		}
	}
	for name := range h {
		if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
			delete(h, name)
		}
	}
	if len(vary) > 0 {
		h.Set("Vary", strings.Join(vary, ", "))
	}
}

// WriteHeaders shares its values between responses. Replacing or appending
// is safe; writing into a value in place is not.
func ExampleResult_WriteHeaders_shared() {
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}})
	req := http.Header{}
	req.Set("Origin", "https://app.example.com")
	h := http.Header{}
	bucket.Evaluate(http.MethodGet, req, bucket.Target{Config: cfg}).WriteHeaders(h)

	h.Add("Vary", "Accept-Encoding")       // safe: appending copies
	h.Set("Access-Control-Max-Age", "600") // safe: replaces the slice
	// h["Access-Control-Allow-Methods"][0] = "PUT" // wrong: would change every response's
	fmt.Println(h.Values("Vary"))

	// Another response's values are as shared, untouched by the Add.
	other := http.Header{}
	bucket.Evaluate(http.MethodGet, req, bucket.Target{Config: cfg}).WriteHeaders(other)
	fmt.Println(other.Values("Vary"), other.Get("Access-Control-Allow-Methods"))
	// Output:
	// [Origin, Access-Control-Request-Headers, Access-Control-Request-Method Accept-Encoding]
	// [Origin, Access-Control-Request-Headers, Access-Control-Request-Method] GET
}

// A server outside net/http reduces each request to the values CORS
// reads, an empty string standing for an absent header, and writes the
// answer into an http.Header it then copies to its own response.
func ExampleEvaluateRequest() {
	cfg := bucket.MustNew(corsrule.Rule{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"*"},
	})
	req := bucket.Request{
		Method:                      http.MethodOptions,
		Origin:                      "https://app.example.com",
		AccessControlRequestMethod:  "PUT",
		AccessControlRequestHeaders: "Content-Type, X-Amz-Date",
	}
	res := bucket.EvaluateRequest(req, bucket.Target{Config: cfg, Object: true})
	fmt.Println(res.Outcome(), res.StatusCode())
	answer := http.Header{}
	res.WriteHeaders(answer)
	for _, k := range slices.Sorted(maps.Keys(answer)) {
		fmt.Printf("%s: %s\n", k, answer.Get(k))
	}

	req.Origin = "https://evil.example"
	res = bucket.EvaluateRequest(req, bucket.Target{Config: cfg, Object: true})
	fmt.Println(res.Outcome(), res.StatusCode(), res.Err().Code)
	// Output:
	// Allowed 200
	// Access-Control-Allow-Credentials: true
	// Access-Control-Allow-Headers: content-type, x-amz-date
	// Access-Control-Allow-Methods: GET, PUT
	// Access-Control-Allow-Origin: https://app.example.com
	// Vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method
	// NoMatch 403 AccessForbidden
}
