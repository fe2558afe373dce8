package explain_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/s3route"
)

func config(t testing.TB) *bucket.Config {
	t.Helper()
	cfg, err := bucket.New([]corsrule.Rule{
		{ID: "uploads", AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"content-type"}},
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: new(int32(600))},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h[kv[i]] = []string{kv[i+1]}
	}
	return h
}

func TestRequest(t *testing.T) {
	t.Parallel()
	cfg := config(t)
	for _, tc := range []struct {
		name    string
		method  string
		query   url.Values
		h       http.Header
		target  bucket.Target
		status  int
		headers [][2]string
		body    string // a part of the body; "" checks none
		summary string
		steps   []explain.Step
		note    string
	}{
		{
			name: "preflight allowed by the first rule", method: "OPTIONS",
			h:      header("Origin", "https://app.example", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "Content-Type"),
			target: bucket.Target{Config: cfg, Object: true}, status: 200,
			headers: [][2]string{
				{"Access-Control-Allow-Origin", "https://app.example"}, {"Access-Control-Allow-Credentials", "true"},
				{"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Allow-Headers", "content-type"},
				{"Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"},
				{"Content-Length", "0"}, {"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"},
			},
			summary: "rule 1 (uploads) answers: 200 OK with its CORS headers.",
			steps: []explain.Step{
				{Rule: 0, Name: "rule 1 (uploads)", Matched: true, Answers: true, Headline: "match: answers the request",
					OriginMatched: true, MethodAllowed: true, HeadersCovered: true,
					Origin: `"https://app.example" admits "https://app.example"`, Method: "PUT is allowed", Headers: "every requested header is allowed"},
				{Rule: 1, Name: "rule 2", Headline: "no match", OriginMatched: true, HeadersCovered: false,
					Origin: `"*" admits "https://app.example"`, Method: "PUT is not allowed (AllowedMethods GET)",
					Headers: `no AllowedHeader admits "Content-Type" (the rule lists none)`},
			},
		},
		{
			name: "actual request no origin admits, judged as a preflight", method: "DELETE",
			h:      header("Origin", "https://other.example"),
			target: bucket.Target{Config: cfg, Object: true}, status: 0,
			summary: "no rule admits the origin, the method and every requested header; S3 adds no CORS headers to the operation's response.",
			note:    "(an actual request: the operation decides the status, the headers and the body; S3 adds no CORS headers)",
			steps: []explain.Step{
				{Rule: 0, Name: "rule 1 (uploads)", Headline: "no match", HeadersCovered: true,
					Origin:  `no AllowedOrigin admits "https://other.example" (AllowedOrigins "https://app.example")`,
					Method:  "DELETE is not allowed (AllowedMethods PUT)",
					Headers: "none requested"},
				{Rule: 1, Name: "rule 2", Headline: "no match", OriginMatched: true, HeadersCovered: true,
					Origin: `"*" admits "https://other.example"`, Method: "DELETE is not allowed (AllowedMethods GET)", Headers: "none requested"},
			},
		},
		{
			name: "actual request to a missing bucket", method: "GET", h: header("Origin", "https://app.example"),
			target: bucket.Target{NoBucket: true}, status: 404,
			headers: [][2]string{{"Content-Type", "application/xml"}, {"Transfer-Encoding", "chunked"}, {"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			summary: "no rule consulted: the bucket does not exist; S3 answers 404 NoSuchBucket, without CORS headers.",
		},
		{
			// No body to HEAD, and no Transfer-Encoding announcing one:
			// S3's HEAD errors carry none (DocSpring/libreconv#31).
			name: "HEAD to a missing bucket", method: "HEAD", h: header("Origin", "https://app.example"),
			target: bucket.Target{NoBucket: true}, status: 404,
			headers: [][2]string{{"Content-Type", "application/xml"}, {"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			summary: "no rule consulted: the bucket does not exist; S3 answers 404 NoSuchBucket, without CORS headers.",
			note:    "(no body: S3 answers HEAD without one)",
		},
		{
			// S3 names the methods the resource takes (see
			// s3route.Allow): a bucket takes POST, an object does not.
			name: "PATCH on a bucket", method: "PATCH", h: http.Header{},
			target: bucket.Target{Config: cfg}, status: 405,
			headers: [][2]string{{"Allow", "HEAD, DELETE, POST, GET, PUT"}, {"Content-Type", "application/xml"}, {"Transfer-Encoding", "chunked"}, {"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			summary: "no rule consulted: without an Origin header the request is not a CORS request; S3 answers 405 MethodNotAllowed, without CORS headers.",
		},
		{
			name: "PATCH on an object", method: "PATCH", h: http.Header{},
			target: bucket.Target{Config: cfg, Object: true}, status: 405,
			headers: [][2]string{{"Allow", "HEAD, DELETE, GET, PUT"}, {"Content-Type", "application/xml"}, {"Transfer-Encoding", "chunked"}, {"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			summary: "no rule consulted: without an Origin header the request is not a CORS request; S3 answers 405 MethodNotAllowed, without CORS headers.",
		},
		{
			// The query names the operation, as S3 reads it: GET ?delete
			// has no GET form, and S3 answers it 405 with the methods
			// ?delete takes (brekkylab/backlot, measured on S3).
			name: "GET ?delete on a bucket", method: "GET", query: url.Values{"delete": {""}}, h: http.Header{},
			target: bucket.Target{Config: cfg}, status: 405,
			headers: [][2]string{{"Allow", "POST"}, {"Content-Type", "application/xml"}, {"Transfer-Encoding", "chunked"}, {"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			body:    "<Method>GET</Method><ResourceType>MULTI_OBJECT_DELETE</ResourceType>",
			summary: "no rule consulted: without an Origin header the request is not a CORS request; S3 answers 405 MethodNotAllowed, without CORS headers.",
		},
		{
			// UNVERIFIED: the order of ?cors's methods, as s3route.Allow.
			name: "PATCH ?cors on a missing bucket", method: "PATCH", query: url.Values{"cors": {""}}, h: http.Header{},
			target: bucket.Target{NoBucket: true}, status: 405,
			headers: [][2]string{{"Allow", "DELETE, GET, PUT"}, {"Content-Type", "application/xml"}, {"Transfer-Encoding", "chunked"}, {"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			body:    "<Method>PATCH</Method><ResourceType>CORS</ResourceType>",
			summary: "no rule consulted: without an Origin header the request is not a CORS request; S3 answers 405 MethodNotAllowed, without CORS headers.",
		},
		{
			// PUT /bucket?cors is PutBucketCors, which needs the bucket,
			// not CreateBucket.
			name: "PutBucketCors on a missing bucket", method: "PUT", query: url.Values{"cors": {""}}, h: header("Origin", "https://app.example"),
			target: bucket.Target{NoBucket: true}, status: 404,
			body:    "<Code>NoSuchBucket</Code>",
			summary: "no rule consulted: the bucket does not exist; S3 answers 404 NoSuchBucket, without CORS headers.",
		},
		{
			name: "CreateBucket", method: "PUT", h: header("Origin", "https://app.example"),
			target: bucket.Target{NoBucket: true}, status: 0,
			summary: "no rule consulted: the bucket does not exist; S3 adds no CORS headers to the operation's response.",
			note:    "(an actual request: PUT on a bucket that does not exist is CreateBucket, which decides the status, the headers and the body; S3 adds no CORS headers)",
		},
		{
			// GetObjectTorrent: 405 naming TORRENT, after the bucket
			// (brekkylab/backlot routers/s3.py object_get, measured on S3);
			// its Allow: GET is UNVERIFIED, as in s3route.Allow.
			name: "GET ?torrent on an object", method: "GET", query: url.Values{"torrent": {""}}, h: http.Header{},
			target: bucket.Target{Config: cfg, Object: true}, status: 405,
			headers: [][2]string{{"Allow", "GET"}, {"Content-Type", "application/xml"}, {"Transfer-Encoding", "chunked"}, {"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			body:    "<Method>GET</Method><ResourceType>TORRENT</ResourceType>",
			summary: "no rule consulted: without an Origin header the request is not a CORS request; S3 answers 405 MethodNotAllowed, without CORS headers.",
		},
		{
			name: "GET ?torrent on an object of a missing bucket", method: "GET", query: url.Values{"torrent": {""}}, h: header("Origin", "https://app.example"),
			target: bucket.Target{NoBucket: true, Object: true}, status: 404,
			body:    "<Code>NoSuchBucket</Code>",
			summary: "no rule consulted: the bucket does not exist; S3 answers 404 NoSuchBucket, without CORS headers.",
		},
		{
			// A query that names two subresources is refused before the
			// method, the bucket and the operation (s3route.ConflictingError),
			// as s3cors serve refuses it: 400, not the 405 PATCH would get.
			name: "two subresources", method: "PATCH", query: url.Values{"acl": {""}, "tagging": {""}}, h: http.Header{},
			target: bucket.Target{Config: cfg, Object: true}, status: 400,
			headers: [][2]string{{"Content-Type", "application/xml"}, {"Transfer-Encoding", "chunked"}, {"Connection", "close"},
				{"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			body: "<Code>InvalidArgument</Code><Message>Conflicting query string parameters: acl, tagging</Message>" +
				"<ArgumentName>ResourceType</ArgumentName><ArgumentValue>acl</ArgumentValue>",
			summary: "no rule consulted: without an Origin header the request is not a CORS request; S3 answers 400 InvalidArgument, without CORS headers.",
		},
		{
			name: "two subresources on a missing bucket", method: "POST", query: url.Values{"uploads": {""}, "delete": {""}}, h: header("Origin", "https://app.example"),
			target: bucket.Target{NoBucket: true}, status: 400,
			body:    "<Message>Conflicting query string parameters: delete, uploads</Message>",
			summary: "no rule consulted: the bucket does not exist; S3 answers 400 InvalidArgument, without CORS headers.",
		},
		{
			// A part number at the bucket's path: S3's 400 before the
			// bucket (s3route.BucketPathError), not NoSuchBucket.
			name: "partNumber at a missing bucket's path", method: "PUT", query: url.Values{"partNumber": {"1"}}, h: header("Origin", "https://app.example"),
			target: bucket.Target{NoBucket: true}, status: 400,
			body:    "<Code>InvalidRequest</Code><Message>Object must have a valid key name.</Message>",
			summary: "no rule consulted: the bucket does not exist; S3 answers 400 InvalidRequest, without CORS headers.",
		},
		{
			// HeadBucket refused for the part it asks of the bucket's
			// path: the bucket exists, and its region is told, as s3cors
			// serve tells it (TestExplainAgreesOnRefusedHead there).
			name: "HEAD partNumber at a bucket's path", method: "HEAD", query: url.Values{"partNumber": {"1"}}, h: http.Header{},
			target: bucket.Target{Config: cfg}, status: 400,
			headers: [][2]string{{"Content-Type", "application/xml"}, {"Connection", "close"},
				{"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}, {"x-amz-bucket-region", "us-east-1"}},
			summary: "no rule consulted: without an Origin header the request is not a CORS request; S3 answers 400 InvalidRequest, without CORS headers.",
			note:    "(no body: S3 answers HEAD without one)",
		},
		{
			name: "HEAD partNumber at a missing bucket's path", method: "HEAD", query: url.Values{"partNumber": {"1"}}, h: http.Header{},
			target: bucket.Target{NoBucket: true}, status: 400,
			headers: [][2]string{{"Content-Type", "application/xml"}, {"Connection", "close"},
				{"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			summary: "no rule consulted: without an Origin header the request is not a CORS request; S3 answers 400 InvalidRequest, without CORS headers.",
			note:    "(no body: S3 answers HEAD without one)",
		},
		{
			// s3cors's own bound: the summary says whose answer it is.
			name: "preflight for too many names", method: "OPTIONS",
			h: header("Origin", "https://app.example", "Access-Control-Request-Method", "PUT",
				"Access-Control-Request-Headers", strings.Repeat("x-a,", bucket.MaxRequestedHeaders)+"x-b"),
			target: bucket.Target{Config: cfg}, status: 403,
			body: "<Code>AccessForbidden</Code>",
			summary: "no rule consulted: Access-Control-Request-Headers lists over 64 names, more than s3cors reads (its own bound, not S3's); " +
				"it answers as S3 does when no rule admits them, 403 AccessForbidden.",
		},
		{
			// The 400 carries the CORS headers of the rule that matches,
			// as every error of an actual request does.
			name: "versionId on a bucket's DELETE", method: "DELETE", query: url.Values{"versionId": {"v1"}}, h: header("Origin", "https://app.example", "Access-Control-Request-Method", "GET"),
			target: bucket.Target{Config: cfg}, status: 400,
			headers: [][2]string{{"Access-Control-Allow-Origin", "*"}, {"Access-Control-Allow-Methods", "GET"}, {"Access-Control-Max-Age", "600"},
				{"Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"},
				{"Content-Type", "application/xml"}, {"Transfer-Encoding", "chunked"}, {"Connection", "close"},
				{"x-amz-request-id", "EXAMPLEREQUESTID"}, {"x-amz-id-2", "EXAMPLEHOSTID"}, {"Server", "AmazonS3"}},
			body:    "<Message>This operation does not accept a version-id.</Message><ArgumentName>versionId</ArgumentName><ArgumentValue>v1</ArgumentValue>",
			summary: "rule 2 answers: S3 adds its CORS headers to its 400 InvalidArgument.",
			steps: []explain.Step{
				{Rule: 0, Name: "rule 1 (uploads)", Headline: "no match", OriginMatched: true, HeadersCovered: true,
					Origin: `"https://app.example" admits "https://app.example"`, Method: "GET is not allowed (AllowedMethods PUT)", Headers: "none requested"},
				{Rule: 1, Name: "rule 2", Matched: true, Answers: true, Headline: "match: answers the request", OriginMatched: true, MethodAllowed: true, HeadersCovered: true,
					Origin: `"*" admits "https://app.example"`, Method: "GET is allowed", Headers: "none requested"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := explain.Request(tc.method, tc.query, tc.h, tc.target, "photos")
			if got := e.Status(); got != tc.status {
				t.Errorf("Status() = %d, want %d", got, tc.status)
			}
			if tc.headers != nil {
				if diff := cmp.Diff(tc.headers, e.Headers); diff != "" {
					t.Errorf("Headers (-want +got):\n%s", diff)
				}
			}
			if !strings.Contains(e.Body, tc.body) {
				t.Errorf("Body = %q, want it to hold %q", e.Body, tc.body)
			}
			if got := e.Summary(); got != tc.summary {
				t.Errorf("Summary() = %q\nwant %q", got, tc.summary)
			}
			if got := e.Note(); got != tc.note {
				t.Errorf("Note() = %q, want %q", got, tc.note)
			}
			if diff := cmp.Diff(tc.steps, e.Steps()); diff != "" {
				t.Errorf("Steps() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSummarySent: the sentence for a response a server sent gives the
// status sent where it is not the one explain predicts (a missing
// bucket's 404 answered 501 for a header serve does not implement, 403
// for a bad signature, 503 by a proxy whose upstream is down), and is
// Summary's where they agree or the operation decides.
func TestSummarySent(t *testing.T) {
	t.Parallel()
	cfg := config(t)
	origin := header("Origin", "https://app.example")
	for _, tc := range []struct {
		name   string
		method string
		query  url.Values
		h      http.Header
		target bucket.Target
		status int
		cors   bool
		want   string
	}{
		{name: "no bucket, as predicted", method: "GET", h: origin, target: bucket.Target{NoBucket: true, Object: true}, status: 404,
			want: "no rule consulted: the bucket does not exist; S3 answers 404 NoSuchBucket, without CORS headers."},
		{name: "no bucket, 501 sent", method: "GET", h: origin, target: bucket.Target{NoBucket: true, Object: true}, status: 501,
			want: "no rule consulted: the bucket does not exist; the server answered 501 Not Implemented, without CORS headers."},
		{name: "no bucket, 403 sent", method: "GET", h: origin, target: bucket.Target{NoBucket: true, Object: true}, status: 403,
			want: "no rule consulted: the bucket does not exist; the server answered 403 Forbidden, without CORS headers."},
		{name: "no bucket, 503 sent", method: "GET", h: origin, target: bucket.Target{NoBucket: true, Object: true}, status: 503,
			want: "no rule consulted: the bucket does not exist; the server answered 503 Service Unavailable, without CORS headers."},
		{name: "405 predicted, 403 sent with CORS headers", method: "GET", query: url.Values{"delete": {""}}, h: origin,
			target: bucket.Target{Config: cfg}, status: 403, cors: true,
			want: "rule 2 answers: the server answered 403 Forbidden, with its CORS headers."},
		{name: "the operation decides", method: "GET", h: origin, target: bucket.Target{Config: cfg, Object: true}, status: 403, cors: true,
			want: "rule 2 answers: S3 adds its CORS headers to the operation's response."},
		{name: "preflight refused, 500 sent", method: "OPTIONS", h: header("Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE"),
			target: bucket.Target{Config: cfg, Object: true}, status: 500,
			want: "no rule admits the origin, the method and every requested header; the server answered 500 Internal Server Error, without CORS headers."},
		{name: "preflight allowed, 503 sent", method: "OPTIONS", h: header("Origin", "https://app.example", "Access-Control-Request-Method", "GET"),
			target: bucket.Target{Config: cfg, Object: true}, status: 503,
			want: "rule 2 answers: the server answered 503 Service Unavailable, without CORS headers."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := explain.Request(tc.method, tc.query, tc.h, tc.target, "photos")
			if got := e.SummarySent(tc.status, tc.cors); got != tc.want {
				t.Errorf("SummarySent(%d, %v) = %q\nwant %q", tc.status, tc.cors, got, tc.want)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	e := explain.Request("OPTIONS", nil, header("Origin", "https://x.example", "Access-Control-Request-Method", "GET"), bucket.Target{Config: config(t)}, "photos")
	two := 2
	status := 200
	want := explain.JSON{Preflight: true, Method: "GET", Status: &status, Outcome: "Allowed", Rule: &two,
		Headers: map[string]string{
			"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600",
			"Vary": "Origin, Access-Control-Request-Headers, Access-Control-Request-Method", "Content-Length": "0",
			"x-amz-request-id": "EXAMPLEREQUESTID", "x-amz-id-2": "EXAMPLEHOSTID", "Server": "AmazonS3",
		},
		Result: "rule 2 answers: 200 OK with its CORS headers.",
		Trace: []explain.RuleJSON{
			{Rule: 1, ID: "uploads", HeadersCovered: true, Reason: `no AllowedOrigin admits "https://x.example"`},
			{Rule: 2, Matched: true, Origin: "*", OriginMatched: true, MethodAllowed: true, HeadersCovered: true},
		}}
	if diff := cmp.Diff(want, e.JSON()); diff != "" {
		t.Errorf("JSON() (-want +got):\n%s", diff)
	}
}

// TestInvalidBucketName checks that a bucket no bucket can have the name
// of is explained as one that does not exist, whatever configuration is
// given: s3cors serve answers OPTIONS /bad%20name/k 403 "Bucket not found"
// and GET /bad%20name/k 400 InvalidBucketName without CORS headers, where
// explain answered from the configuration (found sending 576 requests to
// serve and to explain: every preflight and actual request to the bad name
// differed).
func TestInvalidBucketName(t *testing.T) {
	t.Parallel()
	target := bucket.Target{Config: config(t), Object: true}
	at := s3route.Address{Bucket: "bad name", Key: "k"}
	tests := []struct {
		name, method string
		h            http.Header
		status       int
		code         string
		outcome      bucket.Outcome
	}{
		{"preflight", "OPTIONS", header("Origin", "https://x.example", "Access-Control-Request-Method", "GET"), 403, "<Message>CORSResponse: Bucket not found</Message>", bucket.NoBucket},
		{"actual", "GET", header("Origin", "https://x.example"), 400, "<Code>InvalidBucketName</Code>", bucket.NoBucket},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := explain.RequestAt(tc.method, nil, tc.h, target, at)
			if got := e.Status(); got != tc.status {
				t.Errorf("Status() = %d, want %d", got, tc.status)
			}
			if !strings.Contains(e.Body, tc.code) {
				t.Errorf("Body = %q, want it to hold %q", e.Body, tc.code)
			}
			if got := e.Result.Outcome(); got != tc.outcome {
				t.Errorf("Outcome() = %v, want %v", got, tc.outcome)
			}
			for _, kv := range e.Headers {
				if strings.HasPrefix(kv[0], "Access-Control-") || kv[0] == "Vary" {
					t.Errorf("header %s: %s, want no CORS header", kv[0], kv[1])
				}
			}
		})
	}
}

func TestOrderHeaders(t *testing.T) {
	t.Parallel()
	h := http.Header{"X-Zebra": {"z"}, "Vary": {"Origin"}, "x-amz-request-id": {"id"}, "Access-Control-Allow-Origin": {"*"}, "Etag": {`"a"`, `"b"`}}
	want := [][2]string{{"Access-Control-Allow-Origin", "*"}, {"Vary", "Origin"}, {"x-amz-request-id", "id"}, {"Etag", `"a", "b"`}, {"X-Zebra", "z"}}
	if diff := cmp.Diff(want, explain.OrderHeaders(h)); diff != "" {
		t.Errorf("OrderHeaders (-want +got):\n%s", diff)
	}
	if len(h) != 5 {
		t.Errorf("OrderHeaders changed its argument: %v", h)
	}
}

func TestQuoteIfNeeded(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"uploads": "uploads", "two words": `"two words"`, "(x)": `"(x)"`, `a"b`: `"a\"b"`, "tab\t": `"tab\t"`, "é": `"é"`, "": "",
	} {
		if got := explain.QuoteIfNeeded(in); got != want {
			t.Errorf("QuoteIfNeeded(%q) = %s, want %s", in, got, want)
		}
	}
}

func ExampleRequest() {
	cfg, _ := bucket.New([]corsrule.Rule{{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}}})
	h := http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"DELETE"}}
	e := explain.Request(http.MethodOptions, nil, h, bucket.Target{Config: cfg}, "photos")
	fmt.Println(e.Status(), e.Summary())
	for _, s := range e.Steps() {
		fmt.Printf("%s: %s; %s\n", s.Name, s.Headline, s.Method)
	}
	// Output:
	// 403 no rule admits the origin, the method and every requested header, so S3 answers 403 AccessForbidden.
	// rule 1: no match; DELETE is not allowed (AllowedMethods GET)
}

// TestStepHeaderNotToken checks the reason given for a requested name
// that is not a header name (an HTTP token), which no AllowedHeader
// admits, "*" included (bucket's UNVERIFIED choice): the step says so,
// where it said "no AllowedHeader admits "a b" (AllowedHeaders "*")",
// which reads as a "*" that admits nothing.
func TestStepHeaderNotToken(t *testing.T) {
	t.Parallel()
	cfg, err := bucket.New([]corsrule.Rule{
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"*"}},
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"x-*"}},
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"content-type"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, acrh string
		want       []string // each rule's Headers
	}{
		{"a space", "content-type, x-a b", []string{
			`"x-a b" is not a header name (an HTTP token), which no AllowedHeader admits, not even a pattern with * (AllowedHeaders "*")`,
			`no AllowedHeader admits "content-type"; "x-a b" is not a header name (an HTTP token), which no AllowedHeader admits, not even a pattern with * (AllowedHeaders "x-*")`,
			`no AllowedHeader admits "x-a b" (AllowedHeaders "content-type")`,
		}},
		{"a tab inside, after a name the pattern admits", "x-b, x-a\tb", []string{
			`"x-a\tb" is not a header name (an HTTP token), which no AllowedHeader admits, not even a pattern with * (AllowedHeaders "*")`,
			`"x-a\tb" is not a header name (an HTTP token), which no AllowedHeader admits, not even a pattern with * (AllowedHeaders "x-*")`,
			`no AllowedHeader admits "x-b", "x-a\tb" (AllowedHeaders "content-type")`,
		}},
		{"two not tokens", "x-a b, x-c d", []string{
			`"x-a b", "x-c d" are not header names (HTTP tokens), which no AllowedHeader admits, not even a pattern with * (AllowedHeaders "*")`,
			`"x-a b", "x-c d" are not header names (HTTP tokens), which no AllowedHeader admits, not even a pattern with * (AllowedHeaders "x-*")`,
			`no AllowedHeader admits "x-a b", "x-c d" (AllowedHeaders "content-type")`,
		}},
		// Every name a rule does not admit, in request order, each once.
		{"several refused", "x-b, content-type, X-C, x-c", []string{
			"every requested header is allowed",
			`no AllowedHeader admits "content-type" (AllowedHeaders "x-*")`,
			`no AllowedHeader admits "x-b", "X-C" (AllowedHeaders "content-type")`,
		}},
		{"a token", "x-b", []string{
			"every requested header is allowed",
			"every requested header is allowed",
			`no AllowedHeader admits "x-b" (AllowedHeaders "content-type")`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := header("Origin", "https://app.example", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", tc.acrh)
			var got []string
			for _, s := range explain.Request("OPTIONS", nil, h, bucket.Target{Config: cfg}, "photos").Steps() {
				got = append(got, s.Headers)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Headers of each step (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRequestBucketName checks the answers that depend on the bucket's
// name, as s3cors serve gives them: a name S3 could not have made
// (s3route.ValidBucketName) is 400 InvalidBucketName before the 405 and
// NoSuchBucket, where explain printed NoSuchBucket; CreateBucket judges
// its own name.
func TestRequestBucketName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, bucketName string
		target                   bucket.Target
		status                   int
		body                     string
	}{
		{"a space", "GET", "b c", bucket.Target{NoBucket: true, Object: true}, 400,
			"<Code>InvalidBucketName</Code><Message>The specified bucket is not valid.</Message><BucketName>b c</BucketName>"},
		{"a space, a method S3 has not", "PATCH", "b c", bucket.Target{NoBucket: true}, 400, "<Code>InvalidBucketName</Code>"},
		{"a legacy name", "GET", "Legacy_Name", bucket.Target{NoBucket: true}, 404, "<Code>NoSuchBucket</Code>"},
		{"too long", "DELETE", strings.Repeat("a", 256), bucket.Target{NoBucket: true}, 400, "<Code>InvalidBucketName</Code>"},
		{"CreateBucket", "PUT", "b c", bucket.Target{NoBucket: true}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := explain.Request(tc.method, nil, header("Origin", "https://app.example"), tc.target, tc.bucketName)
			if got := e.Status(); got != tc.status || !strings.Contains(e.Body, tc.body) {
				t.Errorf("%d %s\nwant %d with %s", got, e.Body, tc.status, tc.body)
			}
		})
	}
}
