package inspect_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/s3server"
)

// clock is the time every event of these tests is recorded at.
var clock = time.Date(2026, 12, 1, 10, 0, 0, 123e6, time.UTC)

// photosRules are the rules of the bucket "photos": uploads from one
// origin, reads from any.
var photosRules = []corsrule.Rule{
	{ID: "uploads", AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"PUT", "POST"},
		AllowedHeaders: []string{"content-type"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: new(int32(600))},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"}},
}

// newServer returns an s3server with the inspector on, the buckets
// "photos" (photosRules, public-read) and "plain" (no CORS), its clock
// stopped at clock.
func newServer(t testing.TB, opts s3server.Options) *s3server.Server {
	t.Helper()
	opts.InMemory, opts.Inspector = true, true
	opts.Now = func() time.Time { return clock }
	srv, err := s3server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, err := range []error{
		srv.CreateBucket("photos", "public-read"), srv.PutBucketCors("photos", photosRules), srv.CreateBucket("plain", ""),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return srv
}

// do sends a request to h in process; kv are header names and values.
func do(h http.Handler, method, target string, kv ...string) *httptest.ResponseRecorder {
	// A stream the handler should have refused ends with the context,
	// so that the test fails on its status rather than hangs.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := httptest.NewRequestWithContext(ctx, method, target, nil)
	for i := 0; i < len(kv); i += 2 {
		r.Header.Add(kv[i], kv[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// requests is the answer of the API, decoded.
type requests struct {
	Capacity int                  `json:"capacity"`
	Newest   uint64               `json:"newest"`
	Requests []inspect.DetailJSON `json:"requests"`
}

func getRequests(t testing.TB, h http.Handler, query string) requests {
	t.Helper()
	w := do(h, "GET", "/_s3cors/api/requests"+query)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET /_s3cors/api/requests%s: %d %s\n%s", query, w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var got requests
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	return got
}

func intp(n int) *int { return &n }

const vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"

// TestAPIEvents sends one request of each kind and reads the events back
// from the API, every field compared with what S3's rules make it.
func TestAPIEvents(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "") // someone looks: recording starts
	sends := []struct {
		method, target string
		header         []string
		status         int
	}{
		{"OPTIONS", "/photos/cat.jpg", []string{"Origin", "https://app.example", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "Content-Type"}, 200},
		{"OPTIONS", "/photos/cat.jpg?uploads", []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE"}, 403},
		{"GET", "/photos/missing", []string{"Origin", "https://reader.example"}, 404},
		{"GET", "/photos/missing", nil, 404}, // no Origin: not a CORS request, not recorded
		{"GET", "/", []string{"Origin", "https://app.example"}, 200},
		{"OPTIONS", "/plain", []string{"Origin", "https://app.example", "Access-Control-Request-Method", "GET"}, 403},
		{"OPTIONS", "/nosuch/k", []string{"Origin", "https://app.example", "Access-Control-Request-Method", "GET"}, 403},
		{"OPTIONS", "/photos/k", nil, 400},
		// The inspector's own requests are never recorded.
		{"GET", "/_s3cors/api/requests", []string{"Origin", "https://app.example"}, 200},
	}
	for _, s := range sends {
		if w := do(srv, s.method, s.target, s.header...); w.Code != s.status {
			t.Fatalf("%s %s: %d, want %d\n%s", s.method, s.target, w.Code, s.status, w.Body)
		}
	}
	noTrace := []explain.RuleJSON{}
	rejected := func(reason string) []explain.RuleJSON {
		return []explain.RuleJSON{
			{Rule: 1, ID: "uploads", HeadersCovered: true, Reason: reason},
			{Rule: 2, Origin: "*", OriginMatched: true, HeadersCovered: true, Reason: `AllowedMethods does not hold "DELETE"`},
		}
	}
	want := []inspect.DetailJSON{
		{EventJSON: inspect.EventJSON{ID: 1, Time: clock, Method: "OPTIONS", Path: "/photos/cat.jpg", Bucket: "photos",
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
		{EventJSON: inspect.EventJSON{ID: 2, Time: clock, Method: "OPTIONS", Path: "/photos/cat.jpg", Query: "uploads", Bucket: "photos",
			Origin: "https://evil.example", RequestMethod: "DELETE", Status: 403, Preflight: true,
			Verdict: "refused", Outcome: "NoMatch", ResponseHeaders: map[string]string{}},
			Result: "no rule admits the origin, the method and every requested header, so S3 answers 403 AccessForbidden.",
			Trace:  rejected(`no AllowedOrigin admits "https://evil.example"`)},
		{EventJSON: inspect.EventJSON{ID: 3, Time: clock, Method: "GET", Path: "/photos/missing", Bucket: "photos",
			Origin: "https://reader.example", Status: 404, Verdict: "allowed", Outcome: "Allowed", Rule: intp(2),
			ResponseHeaders: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD", "Vary": vary}},
			Result: "rule 2 answers: S3 adds its CORS headers to the operation's response.",
			Trace: []explain.RuleJSON{
				{Rule: 1, ID: "uploads", HeadersCovered: true, Reason: `no AllowedOrigin admits "https://reader.example"`},
				{Rule: 2, Matched: true, Origin: "*", OriginMatched: true, MethodAllowed: true, HeadersCovered: true},
			}},
		{EventJSON: inspect.EventJSON{ID: 4, Time: clock, Method: "GET", Path: "/", Origin: "https://app.example", Status: 200,
			Verdict: "refused", Outcome: "NotABucket", ResponseHeaders: map[string]string{}},
			Result: "no rule consulted: the request addresses no bucket, and S3 answers the service endpoint without CORS headers.",
			Trace:  noTrace},
		{EventJSON: inspect.EventJSON{ID: 5, Time: clock, Method: "OPTIONS", Path: "/plain", Bucket: "plain", Origin: "https://app.example",
			RequestMethod: "GET", Status: 403, Preflight: true, Verdict: "refused", Outcome: "NoConfig", ResponseHeaders: map[string]string{}},
			Result: "no rule consulted: the bucket has no CORS configuration, so S3 answers 403 AccessForbidden.", Trace: noTrace},
		{EventJSON: inspect.EventJSON{ID: 6, Time: clock, Method: "OPTIONS", Path: "/nosuch/k", Bucket: "nosuch", Origin: "https://app.example",
			RequestMethod: "GET", Status: 403, Preflight: true, Verdict: "refused", Outcome: "NoBucket", ResponseHeaders: map[string]string{}},
			Result: "no rule consulted: the bucket does not exist, so S3 answers 403 AccessForbidden.", Trace: noTrace},
		{EventJSON: inspect.EventJSON{ID: 7, Time: clock, Method: "OPTIONS", Path: "/photos/k", Bucket: "photos",
			Status: 400, Preflight: true, Verdict: "refused", Outcome: "NoOrigin", ResponseHeaders: map[string]string{}},
			Result: "no rule consulted: the request has no Origin header, so S3 answers 400 BadRequest.", Trace: noTrace},
	}
	got := getRequests(t, srv, "")
	if got.Capacity != inspect.DefaultCapacity || got.Newest != 7 {
		t.Errorf("capacity %d, newest %d; want %d, 7", got.Capacity, got.Newest, inspect.DefaultCapacity)
	}
	if diff := cmp.Diff(want, got.Requests); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	// One event alone reads the same.
	w := do(srv, "GET", "/_s3cors/api/requests/2")
	var one inspect.DetailJSON
	if err := json.Unmarshal(w.Body.Bytes(), &one); err != nil || w.Code != 200 {
		t.Fatalf("GET /_s3cors/api/requests/2: %d %v\n%s", w.Code, err, w.Body)
	}
	if diff := cmp.Diff(want[1], one); diff != "" {
		t.Errorf("event 2 alone (-want +got):\n%s", diff)
	}
}

// TestAPIEviction fills the ring past its capacity: the oldest events
// go, ids go on, and an event gone is answered 404.
func TestAPIEviction(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "")
	const extra = 5
	for i := range inspect.DefaultCapacity + extra {
		do(srv, "OPTIONS", fmt.Sprintf("/photos/k%d", i), "Origin", "https://app.example", "Access-Control-Request-Method", "PUT")
	}
	got := getRequests(t, srv, "")
	if n := len(got.Requests); n != inspect.DefaultCapacity || got.Newest != inspect.DefaultCapacity+extra {
		t.Fatalf("%d events kept, newest %d; want %d, %d", n, got.Newest, inspect.DefaultCapacity, inspect.DefaultCapacity+extra)
	}
	if first, last := got.Requests[0], got.Requests[len(got.Requests)-1]; first.ID != extra+1 || first.Path != "/photos/k5" ||
		last.ID != inspect.DefaultCapacity+extra || last.Path != fmt.Sprintf("/photos/k%d", inspect.DefaultCapacity+extra-1) {
		t.Errorf("kept %d %s .. %d %s; want %d /photos/k5 .. %d", first.ID, first.Path, last.ID, last.Path, extra+1, inspect.DefaultCapacity+extra)
	}
	for id, status := range map[int]int{extra: 404, extra + 1: 200, inspect.DefaultCapacity + extra: 200, inspect.DefaultCapacity + extra + 1: 404} {
		if w := do(srv, "GET", fmt.Sprintf("/_s3cors/api/requests/%d", id)); w.Code != status {
			t.Errorf("GET /_s3cors/api/requests/%d: %d, want %d", id, w.Code, status)
		}
	}
}

// TestAPIFilters reads the events through each filter of the API.
func TestAPIFilters(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "")
	for _, s := range [][]string{
		{"OPTIONS", "/photos/a", "https://app.example", "PUT"},  // 1 allowed
		{"OPTIONS", "/photos/b", "https://evil.example", "PUT"}, // 2 refused
		{"OPTIONS", "/plain/c", "https://app.example", "GET"},   // 3 refused
		{"OPTIONS", "/photos/d", "https://evil.example", "GET"}, // 4 allowed
		{"OPTIONS", "/photos/e", "https://app.example", "POST"}, // 5 allowed
		{"OPTIONS", "/plain/f", "https://evil.example", "POST"}, // 6 refused
	} {
		do(srv, s[0], s[1], "Origin", s[2], "Access-Control-Request-Method", s[3])
	}
	for _, tc := range []struct {
		query string
		ids   []uint64
	}{
		{"", []uint64{1, 2, 3, 4, 5, 6}},
		{"?bucket=photos", []uint64{1, 2, 4, 5}},
		{"?bucket=plain&verdict=refused", []uint64{3, 6}},
		{"?verdict=allowed", []uint64{1, 4, 5}},
		{"?origin=" + url.QueryEscape("https://evil.example"), []uint64{2, 4, 6}},
		{"?origin=" + url.QueryEscape("https://evil.example") + "&verdict=refused&bucket=photos", []uint64{2}},
		{"?after=4", []uint64{5, 6}},
		{"?limit=2", []uint64{5, 6}},
		// With after, limit pages forward: the oldest after the id, so
		// that ?after=LAST&limit=N misses none.
		{"?after=2&limit=2", []uint64{3, 4}},
		{"?after=0&limit=1", []uint64{1}},
		{"?after=4&limit=5", []uint64{5, 6}},
		{"?after=1&verdict=refused&limit=1", []uint64{2}},
		{"?verdict=refused&limit=2", []uint64{3, 6}},
		{"?after=6", nil},
		{"?after=18446744073709551615", nil}, // the largest id: its successor wraps to 0
		{"?bucket=none", nil},
	} {
		got := getRequests(t, srv, tc.query)
		var ids []uint64
		for _, e := range got.Requests {
			ids = append(ids, e.ID)
		}
		if !cmp.Equal(ids, tc.ids) {
			t.Errorf("%s: ids %v, want %v", tc.query, ids, tc.ids)
		}
	}
	for _, query := range []string{"?verdict=maybe", "?after=x", "?after=-1", "?limit=0", "?limit=many"} {
		w := do(srv, "GET", "/_s3cors/api/requests"+query)
		var body map[string]string
		if json.Unmarshal(w.Body.Bytes(), &body); w.Code != 400 || body["error"] == "" {
			t.Errorf("%s: %d %s, want 400 with an error", query, w.Code, w.Body)
		}
	}
	if w := do(srv, "GET", "/_s3cors/api/requests/x"); w.Code != 400 {
		t.Errorf("GET /_s3cors/api/requests/x: %d, want 400", w.Code)
	}
}

// TestRecordsOnlyWhileWatched: nothing is recorded before anyone looks,
// and recording stops once the lease of the last look runs out.
func TestRecordsOnlyWhileWatched(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	preflight := func() {
		do(srv, "OPTIONS", "/photos/k", "Origin", "https://app.example", "Access-Control-Request-Method", "PUT")
	}
	preflight()
	if got := getRequests(t, srv, ""); got.Newest != 0 {
		t.Fatalf("a request before anyone looked was recorded: newest %d", got.Newest)
	}
	preflight()
	if got := getRequests(t, srv, ""); got.Newest != 1 {
		t.Fatalf("newest %d after one request watched, want 1", got.Newest)
	}

	// The lease is long enough that a loaded machine does not let it run
	// out between the look and the check that follows it.
	in, err := inspect.New(inspect.Options{Linger: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if in.Watching() {
		t.Fatal("a new inspector is watching")
	}
	do(in, "GET", "/_s3cors/api/requests")
	if !in.Watching() {
		t.Fatal("not watching right after the API was asked")
	}
	deadline := time.Now().Add(10 * time.Second)
	for in.Watching() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if in.Watching() {
		t.Error("still watching long after the lease ran out")
	}
}

func TestNewOptions(t *testing.T) {
	t.Parallel()
	for _, opts := range []inspect.Options{{Capacity: -1}, {Linger: -time.Second}} {
		if _, err := inspect.New(opts); err == nil {
			t.Errorf("New(%+v) took bad options", opts)
		}
	}
}

// TestBoundedValues: values past the bounds are cut, and still tell the
// evaluator they were too long.
func TestBoundedValues(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "")
	long := "https://" + strings.Repeat("a", 3*inspect.MaxValueLen) + ".example"
	do(srv, "OPTIONS", "/photos/"+strings.Repeat("k", 3*inspect.MaxPathLen), "Origin", long, "Access-Control-Request-Method", "GET")
	e := getRequests(t, srv, "").Requests[0]
	if want := long[:inspect.MaxValueLen] + "…"; e.Origin != want {
		t.Errorf("origin of %d bytes kept as %d bytes, want %d ending in …", len(long), len(e.Origin), len(want))
	}
	if want := ("/photos/" + strings.Repeat("k", inspect.MaxPathLen))[:inspect.MaxPathLen] + "…"; e.Path != want {
		t.Errorf("path kept as %d bytes, want %d", len(e.Path), len(want))
	}
	if e.Outcome != "HeaderTooLarge" || e.Status != 400 {
		t.Errorf("outcome %s, status %d; want HeaderTooLarge, 400", e.Outcome, e.Status)
	}
	if !strings.Contains(e.Result, "over 8192 bytes") {
		t.Errorf("the result of the cut event is %q", e.Result)
	}
}

// TestLongMethodExplained: a request whose method is longer than an
// event keeps (a token, which net/http takes) is kept with its method
// cut, which ends in "…" and so is no token, and its reasons are given
// as for any method S3 has no operation for. Building them used to
// panic (httptest.NewRequest refuses a method that is not a token), and
// so did every answer of the API, and the request's page, until the
// event left the ring.
func TestLongMethodExplained(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "")
	long := strings.Repeat("X", 3*inspect.MaxValueLen)
	if w := do(srv, long, "/photos/k", "Origin", "https://app.example"); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("%d-byte method: %d, want 405", len(long), w.Code)
	}
	e := getRequests(t, srv, "").Requests[0]
	if want := long[:inspect.MaxValueLen] + "…"; e.Method != want || e.Status != http.StatusMethodNotAllowed {
		t.Errorf("method kept as %d bytes, status %d; want %d bytes ending in …, 405", len(e.Method), e.Status, len(want))
	}
	if !strings.Contains(e.Result, "405 MethodNotAllowed") {
		t.Errorf("the result is %q, want S3's 405 MethodNotAllowed", e.Result)
	}
	if w := do(srv, "GET", "/_s3cors/requests/1"); w.Code != http.StatusOK {
		t.Errorf("the request's page: %d, want 200", w.Code)
	}
}

// TestSubresourceExplained: the query names the operation, so a GET of
// ?delete, which has no GET form, is explained as the 405 the server
// answered, not as an operation that decides.
func TestSubresourceExplained(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "")
	if w := do(srv, "GET", "/photos?delete", "Origin", "https://app.example"); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET ?delete: %d, want 405", w.Code)
	}
	e := getRequests(t, srv, "").Requests[0]
	if !strings.Contains(e.Result, "405 MethodNotAllowed") {
		t.Errorf("the result is %q, want S3's 405 MethodNotAllowed", e.Result)
	}
}

// TestResultAgreesWithStatus: the result of a request the server
// answered before explain's order decided (a header serve does not
// implement, a signature it refuses) gives the status sent, never the
// 404 NoSuchBucket explain predicts for a missing bucket; a 404 sent
// still reads as S3's.
func TestResultAgreesWithStatus(t *testing.T) {
	t.Parallel()
	const origin = "https://app.example"
	for _, tc := range []struct {
		name   string
		opts   s3server.Options
		header []string
		status int
		result string
	}{
		{"missing bucket", s3server.Options{}, nil, 404,
			"no rule consulted: the bucket does not exist; S3 answers 404 NoSuchBucket, without CORS headers."},
		{"a header serve does not implement", s3server.Options{}, []string{"X-Amz-Server-Side-Encryption-Customer-Algorithm", "AES256"}, 501,
			"no rule consulted: the bucket does not exist; the server answered 501 Not Implemented, without CORS headers."},
		{"a bad signature", s3server.Options{AccessKey: "AKIDEXAMPLE", SecretKey: "secret"},
			[]string{"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00",
				"X-Amz-Date", "20261201T100000Z", "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"}, 403,
			"no rule consulted: the bucket does not exist; the server answered 403 Forbidden, without CORS headers."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tc.opts)
			getRequests(t, srv, "")
			if w := do(srv, "GET", "/nosuch/a", append([]string{"Origin", origin}, tc.header...)...); w.Code != tc.status {
				t.Fatalf("GET /nosuch/a: %d, want %d\n%s", w.Code, tc.status, w.Body)
			}
			e := getRequests(t, srv, "").Requests[0]
			if e.Status != tc.status || e.Result != tc.result {
				t.Errorf("status %d, result %q\nwant %d, %q", e.Status, e.Result, tc.status, tc.result)
			}
			page := do(srv, "GET", "/_s3cors/requests/1").Body.String()
			if !strings.Contains(page, tc.result) {
				t.Errorf("the request's page does not say %q:\n%s", tc.result, page)
			}
		})
	}
}

// TestRequestPageConfigChanged: the page of a request says the bucket's
// configuration changed since only when its rules did, not when the
// same rules were put again (as a deployment that applies its
// configuration on every run does), which answers every request as
// before; and it does say so when the rules changed.
func TestRequestPageConfigChanged(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "")
	do(srv, "OPTIONS", "/photos/k", "Origin", "https://app.example", "Access-Control-Request-Method", "PUT")
	const notice = "configuration has changed since"
	for _, step := range []struct {
		name    string
		rules   []corsrule.Rule
		changed bool
	}{
		{"as answered", nil, false},
		{"the same rules put again", photosRules, false},
		{"other rules", photosRules[1:], true},
	} {
		if step.rules != nil {
			if err := srv.PutBucketCors("photos", step.rules); err != nil {
				t.Fatal(err)
			}
		}
		if got := strings.Contains(do(srv, "GET", "/_s3cors/requests/1").Body.String(), notice); got != step.changed {
			t.Errorf("%s: the page says the configuration changed: %v, want %v", step.name, got, step.changed)
		}
	}
}

// TestRequestPageBucketChanged: a bucket created or deleted since the
// request came counts as a change of its configuration: the page says
// so, rather than let the bucket's link show rules that did not answer.
func TestRequestPageBucketChanged(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "")
	preflight := []string{"Origin", "https://app.example", "Access-Control-Request-Method", "GET"}
	do(srv, "GET", "/later/a", "Origin", "https://app.example") // 1: NoBucket
	do(srv, "OPTIONS", "/plain/k", preflight...)                // 2: NoConfig
	const notice = "configuration has changed since"
	page := func(id string) string { return do(srv, "GET", "/_s3cors/requests/"+id).Body.String() }
	for _, id := range []string{"1", "2"} {
		if strings.Contains(page(id), notice) {
			t.Errorf("request %s: the page says the configuration changed before anything did", id)
		}
	}
	if err := srv.CreateBucket("later", ""); err != nil {
		t.Fatal(err)
	}
	if err := srv.PutBucketCors("later", photosRules); err != nil {
		t.Fatal(err)
	}
	if w := do(srv, "DELETE", "/plain"); w.Code != http.StatusNoContent {
		t.Fatalf("DELETE /plain: %d\n%s", w.Code, w.Body)
	}
	for _, tc := range []struct{ id, want string }{
		{"1", "the bucket did not exist when the request came, and was created since."},
		{"2", "the bucket was deleted since; this is the configuration that answered the request."},
	} {
		if got := page(tc.id); !strings.Contains(got, notice+": "+tc.want) {
			t.Errorf("request %s: the page does not say %q:\n%s", tc.id, notice+": "+tc.want, got)
		}
	}
}

// TestBucketOfLongHostNotHeld: an event of a virtual-hosted request
// keeps its bucket, not the Host header it was read from. The router
// gives the bucket as part of the Host's string, which a long port
// makes as long as the server's MaxHeaderBytes allows (1 MB by default
// in net/http, which takes any digits as a port): a ring of such events
// held a gigabyte.
func TestBucketOfLongHostNotHeld(t *testing.T) {
	srv := newServer(t, s3server.Options{Domains: []string{"localhost"}})
	getRequests(t, srv, "")
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	const hostLen = 64 << 10
	before := heap()
	for i := range inspect.DefaultCapacity {
		r := httptest.NewRequest("OPTIONS", "/k", nil)
		port := strconv.Itoa(i)
		r.Host = "photos.localhost:" + port + strings.Repeat("0", hostLen-len(port)) // a string of its own, as net/http makes it
		r.Header.Set("Origin", "https://app.example")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	after := heap()
	growth := int64(after) - int64(before)
	t.Logf("heap before: %d KiB; after %d preflights with a Host of %d KiB: %d KiB (%+d KiB)",
		before>>10, inspect.DefaultCapacity, hostLen>>10, after>>10, growth>>10)
	if growth > 8<<20 {
		t.Errorf("the heap grew by %d KiB over %d events, want under 8 MiB: the events hold their Hosts", growth>>10, inspect.DefaultCapacity)
	}
	if got := getRequests(t, srv, "?limit=1"); len(got.Requests) != 1 || got.Requests[0].Bucket != "photos" || got.Requests[0].Verdict != "allowed" {
		t.Errorf("the last event: %+v, want bucket photos, allowed", got.Requests)
	}
}

// TestSecretsRedacted: the signature, access key ID and session token of
// a presigned URL are recorded as REDACTED, whatever the case or escaping
// of their names, so that nobody who reads the inspector can replay the
// URL; other parameters are kept as sent.
func TestSecretsRedacted(t *testing.T) {
	t.Parallel()
	secrets := []string{"AKIDEXAMPLE", "FwoGZXIvYXdzEXAMPLETOKEN", "aeeed9bbccd4d02e", "vjbyPxybdZaNmGa", "lowersig", "uppercred",
		"escapedsig", "semicolonkey", "spillsig"}
	padding := "p=" + strings.Repeat("a", 2020)
	for _, tc := range []struct {
		name, query, want string
	}{
		{"sigv4",
			"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261201%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261201T100000Z" +
				"&X-Amz-Expires=900&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN&X-Amz-SignedHeaders=host" +
				"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
			"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Date=20261201T100000Z" +
				"&X-Amz-Expires=900&X-Amz-Security-Token=REDACTED&X-Amz-SignedHeaders=host&X-Amz-Signature=REDACTED"},
		{"sigv2", "AWSAccessKeyId=AKIDEXAMPLE&Expires=1798106400&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D&x-amz-security-token=FwoGZXIvYXdzEXAMPLETOKEN",
			"AWSAccessKeyId=REDACTED&Expires=1798106400&Signature=REDACTED&x-amz-security-token=REDACTED"},
		{"case, escapes and semicolons", "x-amz-signature=lowersig&X-AMZ-CREDENTIAL=uppercred&X-Amz-%53ignature=escapedsig;awsaccesskeyid=semicolonkey",
			"x-amz-signature=REDACTED&X-AMZ-CREDENTIAL=REDACTED&X-Amz-%53ignature=REDACTED;awsaccesskeyid=REDACTED"},
		{"look-alikes kept", "X-Amz-SignedHeaders=host&X-Amz-Signature-Version=2&Signatures=1&prefix=Signature%3Dv&X-Amz-Signature=&Signature",
			"X-Amz-SignedHeaders=host&X-Amz-Signature-Version=2&Signatures=1&prefix=Signature%3Dv&X-Amz-Signature=&Signature"},
		// The secret begins before the cut at MaxPathLen and ends after it.
		{"cut", padding + "&X-Amz-Signature=spillsigspillsigspillsig&x=1",
			(padding + "&X-Amz-Signature=REDACTED&x=1")[:inspect.MaxPathLen] + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, s3server.Options{})
			ts := startServer(t, srv)
			getRequests(t, srv, "")
			do(srv, "GET", "/photos/k?"+tc.query, "Origin", "https://app.example")
			got := getRequests(t, srv, "")
			if len(got.Requests) != 1 || got.Requests[0].Query != tc.want {
				t.Fatalf("recorded %+v, want one event with the query %q", got.Requests, tc.want)
			}
			stream, _ := openStream(t, ts, "")
			bodies := map[string]string{
				"the API":          do(srv, "GET", "/_s3cors/api/requests").Body.String(),
				"the API's event":  do(srv, "GET", "/_s3cors/api/requests/1").Body.String(),
				"the request page": do(srv, "GET", "/_s3cors/requests/1").Body.String(),
				"the live stream":  stream.next().data,
			}
			for where, body := range bodies {
				if strings.Contains(tc.want, "REDACTED") && !strings.Contains(body, "REDACTED") {
					t.Errorf("%s does not show the query:\n%s", where, body)
				}
				for _, secret := range secrets {
					if strings.Contains(body, secret) {
						t.Errorf("%s holds the secret %q", where, secret)
					}
				}
			}
		})
	}
}

// TestAPIQueryRefused: a query the API cannot take whole is answered 400
// with an error that names the fault, never with the events unfiltered:
// a parameter misspelt or given twice, a value that does not unescape, a
// ";" that Go's query parser drops with the pair around it.
func TestAPIQueryRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	getRequests(t, srv, "")
	do(srv, "OPTIONS", "/photos/a", "Origin", "https://app.example", "Access-Control-Request-Method", "PUT")
	for _, tc := range []struct{ query, err string }{
		{"?Verdict=refused", `the API takes no parameter "Verdict": it takes bucket, origin, verdict, after and limit`},
		{"?verdicts=refused", `the API takes no parameter "verdicts": it takes bucket, origin, verdict, after and limit`},
		{"?verdict=allowed&verdict=refused", "verdict is given 2 times: give it once"},
		{"?bucket=photos&bucket=plain&bucket=x", "bucket is given 3 times: give it once"},
		{"?bucket=%zz", `the query cannot be read: invalid URL escape "%zz"`},
		{"?verdict=refused;x=1", "the query cannot be read: invalid semicolon separator in query"},
		{"?limit=" + url.QueryEscape("+1"), "limit must be a positive number"},
		{"?after=x", `after must be an event id, not "x"`}, // as the stream says it
	} {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			w := do(srv, "GET", "/_s3cors/api/requests"+tc.query)
			var body map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != 400 || body["error"] != tc.err {
				t.Errorf("%d %s, want 400 with the error %q", w.Code, w.Body, tc.err)
			}
		})
	}
	// A limit past the ring, however large, is the ring's size.
	for _, limit := range []string{"1001", "18446744073709551615", "99999999999999999999999"} {
		t.Run("limit="+limit, func(t *testing.T) {
			t.Parallel()
			if got := getRequests(t, srv, "?limit="+limit); len(got.Requests) != 1 {
				t.Errorf("%d events, want the 1 recorded", len(got.Requests))
			}
		})
	}
}
