package s3proxy_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/xmlconfig"
)

// inspectorClock is the time of every event of the inspector's tests.
var inspectorClock = time.Date(2026, 12, 1, 10, 0, 0, 123e6, time.UTC)

// inspectedRules are the rules of the bucket "photos": uploads from one
// origin, reads from any (those of internal/inspect's tests).
var inspectedRules = []corsrule.Rule{
	{ID: "uploads", AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"PUT", "POST"},
		AllowedHeaders: []string{"content-type"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: new(int32(600))},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"}},
}

// inspectedProxy is a proxy with the inspector, in front of gofakes3,
// its clock stopped at inspectorClock, answering the Host 127.0.0.1
// only; admin serves its inspector as s3cors proxy does, beside metrics.
type inspectedProxy struct {
	front, admin *httptest.Server
	proxy        *s3proxy.Proxy
}

func newInspectedProxy(t *testing.T) *inspectedProxy {
	t.Helper()
	up, _ := startGofakes3(t)
	front, p := startProxy(t, s3proxy.Options{Upstream: up.URL, Inspector: true, AllowedHosts: []string{"127.0.0.1"},
		Now: func() time.Time { return inspectorClock }})
	mux := http.NewServeMux()
	mux.Handle(s3proxy.InspectorPrefix, p.Inspector())
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("metrics\n")) })
	admin := httptest.NewServer(mux)
	t.Cleanup(admin.Close)
	t.Cleanup(p.CloseInspector)
	doc := xmlconfig.AppendXML(nil, inspectedRules)
	for _, step := range []struct {
		method, path string
		body         []byte
		header       []string
	}{
		{"PUT", "/photos", nil, nil},
		{"PUT", "/photos/cat.jpg", []byte("a cat"), nil},
		{"PUT", "/photos?cors", doc, []string{"Content-MD5", contentMD5(doc)}},
		{"PUT", "/plain", nil, nil},
	} {
		if r := do(t, step.method, front.URL+step.path, step.body, step.header...); r.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", step.method, step.path, r.StatusCode, r.body)
		}
	}
	return &inspectedProxy{front: front, admin: admin, proxy: p}
}

// requests reads the inspector's JSON API.
func (ip *inspectedProxy) requests(t *testing.T) []inspect.DetailJSON {
	t.Helper()
	r := do(t, "GET", ip.admin.URL+"/_s3cors/api/requests", nil)
	var got struct{ Requests []inspect.DetailJSON }
	if err := json.Unmarshal(r.body, &got); err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("GET /_s3cors/api/requests: %d %v\n%s", r.StatusCode, err, r.body)
	}
	return got.Requests
}

// inspectedSend is a request of the inspector's tests: the status it
// gets, and whether the inspector records it.
type inspectedSend struct {
	method, path string
	header       []string
	status       int
	recorded     bool
}

// inspectedSends are requests of every kind the proxy answers.
var inspectedSends = []inspectedSend{
	// A preflight the proxy allows, one it refuses, and a GET passed
	// through to the store with the CORS headers of the rule that admits
	// its Origin.
	{"OPTIONS", "/photos/cat.jpg", []string{"Origin", "https://app.example", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "Content-Type"}, 200, true},
	{"OPTIONS", "/photos/cat.jpg?uploads", []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE"}, 403, true},
	{"GET", "/photos/cat.jpg", []string{"Origin", "https://reader.example"}, 200, true},
	// No Origin: not a CORS request.
	{"GET", "/photos/cat.jpg", nil, 200, false},
	// ListBuckets, passed through: the service, never CORS.
	{"GET", "/", []string{"Origin", "https://app.example"}, 200, true},
	// A bucket without a configuration, and one that does not exist.
	{"OPTIONS", "/plain", []string{"Origin", "https://app.example", "Access-Control-Request-Method", "GET"}, 403, true},
	{"OPTIONS", "/nosuch/k", []string{"Origin", "https://app.example", "Access-Control-Request-Method", "GET"}, 403, true},
	// Answered before CORS: no verdict to show.
	{"GET", "/" + s3proxy.DefaultConfigBucket + "/photos/cors.xml", []string{"Origin", "https://app.example"}, 403, false},
	{"GET", "/photos/cat.jpg", []string{"Origin", "https://app.example", "Host", "evil.example"}, 400, false},
}

// TestInspectorEvents sends requests of every kind through the proxy
// while someone looks, and reads the events back from the JSON API on
// the admin address: every field is what S3's rules make it, and what
// serve's inspector records for the same requests to the same bucket.
func TestInspectorEvents(t *testing.T) {
	t.Parallel()
	ip := newInspectedProxy(t)
	ip.requests(t) // someone looks: recording starts
	for _, s := range inspectedSends {
		if r := do(t, s.method, ip.front.URL+s.path, nil, s.header...); r.StatusCode != s.status {
			t.Fatalf("%s %s: %d, want %d\n%s", s.method, s.path, r.StatusCode, s.status, r.body)
		}
	}
	// The inspector's own requests, with an Origin, are not in the stream.
	do(t, "GET", ip.admin.URL+"/_s3cors/api/requests", nil, "Origin", "https://app.example")

	const vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
	intp := func(n int) *int { return &n }
	noTrace := []explain.RuleJSON{}
	want := []inspect.DetailJSON{
		{EventJSON: inspect.EventJSON{ID: 1, Time: inspectorClock, Method: "OPTIONS", Path: "/photos/cat.jpg", Bucket: "photos",
			Origin: "https://app.example", RequestMethod: "PUT", RequestHeaders: "Content-Type", Status: 200, Preflight: true,
			Verdict: "allowed", Outcome: "Allowed", Rule: intp(1), ResponseHeaders: map[string]string{
				"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods": "PUT, POST", "Access-Control-Allow-Headers": "content-type",
				"Access-Control-Expose-Headers": "ETag", "Access-Control-Max-Age": "600", "Vary": vary,
			}},
			RuleID: "uploads", Result: "rule 1 (uploads) answers: 200 OK with its CORS headers.",
			Trace: []explain.RuleJSON{
				{Rule: 1, ID: "uploads", Matched: true, Origin: "https://app.example", OriginMatched: true, MethodAllowed: true, HeadersCovered: true},
				{Rule: 2, Origin: "*", OriginMatched: true, UncoveredHeader: "Content-Type", UncoveredHeaders: []string{"Content-Type"}, Reason: `AllowedMethods does not hold "PUT"`},
			}},
		{EventJSON: inspect.EventJSON{ID: 2, Time: inspectorClock, Method: "OPTIONS", Path: "/photos/cat.jpg", Query: "uploads", Bucket: "photos",
			Origin: "https://evil.example", RequestMethod: "DELETE", Status: 403, Preflight: true,
			Verdict: "refused", Outcome: "NoMatch", ResponseHeaders: map[string]string{}},
			Result: "no rule admits the origin, the method and every requested header, so S3 answers 403 AccessForbidden.",
			Trace: []explain.RuleJSON{
				{Rule: 1, ID: "uploads", HeadersCovered: true, Reason: `no AllowedOrigin admits "https://evil.example"`},
				{Rule: 2, Origin: "*", OriginMatched: true, HeadersCovered: true, Reason: `AllowedMethods does not hold "DELETE"`},
			}},
		{EventJSON: inspect.EventJSON{ID: 3, Time: inspectorClock, Method: "GET", Path: "/photos/cat.jpg", Bucket: "photos",
			Origin: "https://reader.example", Status: 200, Verdict: "allowed", Outcome: "Allowed", Rule: intp(2),
			ResponseHeaders: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD", "Vary": vary}},
			Result: "rule 2 answers: S3 adds its CORS headers to the operation's response.",
			Trace: []explain.RuleJSON{
				{Rule: 1, ID: "uploads", HeadersCovered: true, Reason: `no AllowedOrigin admits "https://reader.example"`},
				{Rule: 2, Matched: true, Origin: "*", OriginMatched: true, MethodAllowed: true, HeadersCovered: true},
			}},
		{EventJSON: inspect.EventJSON{ID: 4, Time: inspectorClock, Method: "GET", Path: "/", Origin: "https://app.example", Status: 200,
			Verdict: "refused", Outcome: "NotABucket", ResponseHeaders: map[string]string{}},
			Result: "no rule consulted: the request addresses no bucket, and S3 answers the service endpoint without CORS headers.",
			Trace:  noTrace},
		{EventJSON: inspect.EventJSON{ID: 5, Time: inspectorClock, Method: "OPTIONS", Path: "/plain", Bucket: "plain", Origin: "https://app.example",
			RequestMethod: "GET", Status: 403, Preflight: true, Verdict: "refused", Outcome: "NoConfig", ResponseHeaders: map[string]string{}},
			Result: "no rule consulted: the bucket has no CORS configuration, so S3 answers 403 AccessForbidden.", Trace: noTrace},
		{EventJSON: inspect.EventJSON{ID: 6, Time: inspectorClock, Method: "OPTIONS", Path: "/nosuch/k", Bucket: "nosuch", Origin: "https://app.example",
			RequestMethod: "GET", Status: 403, Preflight: true, Verdict: "refused", Outcome: "NoBucket", ResponseHeaders: map[string]string{}},
			Result: "no rule consulted: the bucket does not exist, so S3 answers 403 AccessForbidden.", Trace: noTrace},
	}
	got := ip.requests(t)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(serveEvents(t), got); diff != "" {
		t.Errorf("events of serve (-) and of the proxy (+) for the same requests:\n%s", diff)
	}
}

// serveEvents sends inspectedSends to s3server, with the inspector on,
// the same buckets and the same clock, and returns what its inspector
// recorded.
func serveEvents(t *testing.T) []inspect.DetailJSON {
	t.Helper()
	srv, err := s3server.New(s3server.Options{InMemory: true, Inspector: true, AllowedHosts: []string{"127.0.0.1"},
		Now: func() time.Time { return inspectorClock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	mustOK(t, srv.CreateBucket("photos", "public-read"))
	mustOK(t, srv.PutBucketCors("photos", inspectedRules))
	mustOK(t, srv.CreateBucket("plain", "public-read"))
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PUT", "http://127.0.0.1/photos/cat.jpg", strings.NewReader("a cat")))
	call := func(method, path string, header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "http://127.0.0.1"+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			if header[i] == "Host" {
				r.Host = header[i+1]
				continue
			}
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	call("GET", "/_s3cors/api/requests")
	for _, s := range inspectedSends {
		if s.recorded {
			call(s.method, s.path, s.header...)
		}
	}
	var got struct{ Requests []inspect.DetailJSON }
	if err := json.Unmarshal(call("GET", "/_s3cors/api/requests").Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	return got.Requests
}

// TestInspectorAdmin reads the inspector's pages on the admin address:
// served with the security headers of serve's, never through a Host the
// proxy refuses, never on the proxy's own address; the bucket pages show
// the buckets the proxy holds in its cache, list those with a
// configuration, and say it knows only those.
func TestInspectorAdmin(t *testing.T) {
	t.Parallel()
	ip := newInspectedProxy(t)
	// The proxy has seen photos (a configuration), plain (none) and
	// nosuch (no bucket).
	for _, path := range []string{"/photos/k", "/plain/k", "/nosuch/k"} {
		do(t, "OPTIONS", ip.front.URL+path, nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
	}

	for _, c := range []struct{ path, status, want string }{
		{"/_s3cors/", "200", "<h1>Live requests</h1>"},
		{"/_s3cors/buckets/", "200", "The proxy knows only the buckets it has seen"},
		{"/_s3cors/buckets/photos", "200", "<code>https://app.example</code>"},
		{"/_s3cors/buckets/plain", "200", "The bucket has no CORS configuration"},
		{"/_s3cors/buckets/nosuch", "404", "The proxy holds no configuration for bucket nosuch."},
		{"/_s3cors/buckets/unseen/try", "404", "The proxy holds no configuration for bucket unseen."},
	} {
		r := do(t, "GET", ip.admin.URL+c.path, nil)
		if got := r.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") || r.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: security headers %v", c.path, r.Header)
		}
		if strconv.Itoa(r.StatusCode) != c.status || !strings.Contains(string(r.body), c.want) {
			t.Errorf("GET %s: %d, want %s and a page that says %q:\n%s", c.path, r.StatusCode, c.status, c.want, r.body)
		}
	}
	list := string(do(t, "GET", ip.admin.URL+"/_s3cors/buckets/", nil).body)
	if !strings.Contains(list, `href="/_s3cors/buckets/photos"`) || strings.Contains(list, "/_s3cors/buckets/plain") ||
		strings.Contains(list, "/_s3cors/buckets/nosuch") {
		t.Errorf("the bucket list holds other than photos:\n%s", list)
	}
	if got := ip.proxy.Inspector(); got == nil {
		t.Error("Inspector() is nil with Options.Inspector")
	}

	// A Host the proxy refuses gets the proxy's error, and no page.
	r := do(t, "GET", ip.admin.URL+"/_s3cors/api/requests", nil, "Host", "evil.example")
	wantS3Error(t, "the inspector through a refused Host", r, http.StatusBadRequest, "InvalidArgument")
	if r.Header.Get("Content-Security-Policy") != "" || strings.Contains(string(r.body), "requests") {
		t.Errorf("the inspector answered through a refused Host: %v\n%s", r.Header, r.body)
	}
	// A form posted from another site is refused.
	r = do(t, "POST", ip.admin.URL+"/_s3cors/buckets/photos/try", []byte("kind=preflight&origin=x&method=GET"),
		"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site form post: %d\n%s", r.StatusCode, r.body)
	}
	// The proxy's own address has no inspector: /_s3cors/ is a request
	// for the bucket "_s3cors", which no store can have.
	r = do(t, "GET", ip.front.URL+"/_s3cors/", nil)
	if r.StatusCode < 400 || r.Header.Get("Content-Security-Policy") != "" || strings.Contains(string(r.body), "Live requests") {
		t.Errorf("GET /_s3cors/ on the proxy's address: %d %v\n%s", r.StatusCode, r.Header, r.body)
	}

	// Off, there is no inspector.
	up, _ := startGofakes3(t)
	_, off := startProxy(t, s3proxy.Options{Upstream: up.URL})
	if off.Inspector() != nil {
		t.Error("Inspector() is not nil without Options.Inspector")
	}
	off.CloseInspector() // does nothing, and does not panic
}

// TestInspectorAllocs holds what the inspector costs a request while no
// one looks at it: nothing. Each request of allocsCases makes as many
// allocations with the inspector on as with it off. While someone looks,
// an event costs the event and the list of the CORS headers sent: at
// most 2 allocations (the proxy's request carries its info in a context
// already).
func TestInspectorAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("counts allocations, which the race detector changes")
	}
	off := newAllocsProxy(t, s3proxy.Options{})
	on := newAllocsProxy(t, s3proxy.Options{Inspector: true})
	watched := newAllocsProxy(t, s3proxy.Options{Inspector: true})
	w := httptest.NewRecorder()
	watched.Inspector().ServeHTTP(w, httptest.NewRequest("GET", "/_s3cors/api/requests", nil)) // someone looks
	if w.Code != http.StatusOK {
		t.Fatalf("GET /_s3cors/api/requests: %d", w.Code)
	}
	for _, tc := range allocsCases {
		without, with, watching := allocsPerRequest(off, tc.method, tc.path, tc.origin),
			allocsPerRequest(on, tc.method, tc.path, tc.origin), allocsPerRequest(watched, tc.method, tc.path, tc.origin)
		t.Logf("%s: %.0f allocations without the inspector, %.0f with it unwatched, %.0f watched", tc.name, without, with, watching)
		if with != without {
			t.Errorf("%s: the unwatched inspector costs %.0f allocations, want 0", tc.name, with-without)
		}
		if watching-without > 2 {
			t.Errorf("%s: an event costs %.0f allocations, want at most 2", tc.name, watching-without)
		}
	}
	w = httptest.NewRecorder()
	watched.Inspector().ServeHTTP(w, httptest.NewRequest("GET", "/_s3cors/api/requests?limit=1", nil))
	if !strings.Contains(w.Body.String(), `"path": "/counted/k"`) {
		t.Errorf("the watched proxy recorded nothing:\n%s", w.Body)
	}
}

// TestInspectorPrefix pins the value InspectorPrefix's documentation
// gives, which go doc does not show (it is declared as inspect.Prefix),
// and that s3server serves its inspector at the same path.
func TestInspectorPrefix(t *testing.T) {
	t.Parallel()
	if s3proxy.InspectorPrefix != "/_s3cors/" {
		t.Errorf("InspectorPrefix is %q, documented as /_s3cors/", s3proxy.InspectorPrefix)
	}
	s, err := s3server.New(s3server.Options{InMemory: true, Inspector: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", s3proxy.InspectorPrefix, nil))
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("s3server at %s: %d %q, want its inspector's page", s3proxy.InspectorPrefix, w.Code, w.Header().Get("Content-Type"))
	}
}

// TestInspectorUpstreamDown: a GET to a bucket the cache knows does not
// exist, passed to an upstream that is down, is answered 503, and its
// result says so, not the 404 NoSuchBucket explain predicts.
func TestInspectorUpstreamDown(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	front, p := startProxy(t, s3proxy.Options{Upstream: up.URL, Inspector: true, AllowedHosts: []string{"127.0.0.1"},
		Now: func() time.Time { return inspectorClock }})
	t.Cleanup(p.CloseInspector)
	admin := httptest.NewServer(p.Inspector())
	t.Cleanup(admin.Close)
	ip := &inspectedProxy{front: front, admin: admin, proxy: p}
	ip.requests(t)
	// The preflight has the cache learn that the bucket does not exist.
	preflight := []string{"Origin", "https://app.example", "Access-Control-Request-Method", "GET"}
	if r := do(t, "OPTIONS", front.URL+"/nosuch/a", nil, preflight...); r.StatusCode != http.StatusForbidden {
		t.Fatalf("OPTIONS /nosuch/a: %d, want 403\n%s", r.StatusCode, r.body)
	}
	up.Close()
	if r := do(t, "GET", front.URL+"/nosuch/a", nil, "Origin", "https://app.example"); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("GET /nosuch/a with the upstream down: %d, want 503\n%s", r.StatusCode, r.body)
	}
	got := ip.requests(t)
	const want = "no rule consulted: the bucket does not exist; the server answered 503 Service Unavailable, without CORS headers."
	if len(got) != 2 || got[1].Status != http.StatusServiceUnavailable || got[1].Result != want {
		t.Fatalf("events %+v\nwant the second 503, %q", got, want)
	}
}
