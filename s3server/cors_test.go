package s3server_test

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
)

const ruleGET = `<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>`

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func crc32Header(b []byte, table *crc32.Table) string {
	return b64(binary.BigEndian.AppendUint32(nil, crc32.Checksum(b, table)))
}

func TestPutBucketCorsIntegrity(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/integrity", nil), 200)
	body := corsDoc(ruleGET)
	sha1Sum, sha256Sum := sha1.Sum(body), sha256.Sum256(body)
	other := corsDoc(strings.Replace(ruleGET, "GET", "PUT", 1))
	malformedXML := errorDoc("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	tests := []struct {
		name   string
		header []string
		status int
		want   string // the error document, "" for success
	}{
		{"Content-MD5", []string{"Content-MD5", contentMD5(body)}, 200, ""},
		{"crc32", []string{"x-amz-checksum-crc32", crc32Header(body, crc32.IEEETable)}, 200, ""},
		{"crc32 with the SDK's algorithm header", []string{"x-amz-checksum-crc32", crc32Header(body, crc32.IEEETable), "x-amz-sdk-checksum-algorithm", "CRC32"}, 200, ""},
		{"crc32c", []string{"x-amz-checksum-crc32c", crc32Header(body, crc32.MakeTable(crc32.Castagnoli))}, 200, ""},
		{"sha1", []string{"x-amz-checksum-sha1", b64(sha1Sum[:])}, 200, ""},
		{"sha256", []string{"x-amz-checksum-sha256", b64(sha256Sum[:])}, 200, ""},
		{"Content-MD5 and crc32", []string{"Content-MD5", contentMD5(body), "x-amz-checksum-crc32", crc32Header(body, crc32.IEEETable)}, 200, ""},
		{"none", nil, 400, errorDoc("InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*")},
		{"malformed Content-MD5", []string{"Content-MD5", "invalid"}, 400,
			errorDoc("InvalidDigest", "The Content-MD5 you specified was invalid.", "Content-MD5", "invalid")},
		{"Content-MD5 of 15 bytes", []string{"Content-MD5", b64(make([]byte, 15))}, 400,
			errorDoc("InvalidDigest", "The Content-MD5 you specified was invalid.", "Content-MD5", b64(make([]byte, 15)))},
		{"wrong Content-MD5", []string{"Content-MD5", contentMD5(other)}, 400,
			errorDoc("BadDigest", "The Content-MD5 you specified did not match what we received.",
				"ExpectedDigest", md5Hex(other), "CalculatedDigest", contentMD5(body))},
		{"wrong Content-MD5, right crc32", []string{"Content-MD5", contentMD5(other), "x-amz-checksum-crc32", crc32Header(body, crc32.IEEETable)}, 400,
			errorDoc("BadDigest", "The Content-MD5 you specified did not match what we received.",
				"ExpectedDigest", md5Hex(other), "CalculatedDigest", contentMD5(body))},
		{"malformed Content-MD5, right crc32", []string{"Content-MD5", "x", "x-amz-checksum-crc32", crc32Header(body, crc32.IEEETable)}, 400,
			errorDoc("InvalidDigest", "The Content-MD5 you specified was invalid.", "Content-MD5", "x")},
		{"wrong crc32", []string{"x-amz-checksum-crc32", crc32Header(other, crc32.IEEETable)}, 400,
			errorDoc("BadDigest", "The CRC32 you specified did not match the calculated checksum.")},
		{"wrong sha256", []string{"x-amz-checksum-sha256", b64(make([]byte, 32))}, 400,
			errorDoc("BadDigest", "The SHA256 you specified did not match the calculated checksum.")},
		{"malformed crc32", []string{"x-amz-checksum-crc32", "not base64"}, 400,
			errorDoc("InvalidRequest", "Value for x-amz-checksum-crc32 header is invalid.")},
		{"crc32 of 8 bytes", []string{"x-amz-checksum-crc32", b64(make([]byte, 8))}, 400,
			errorDoc("InvalidRequest", "Value for x-amz-checksum-crc32 header is invalid.")},
		{"two checksums", []string{"x-amz-checksum-crc32", crc32Header(body, crc32.IEEETable), "x-amz-checksum-sha1", b64(sha1Sum[:])}, 400,
			errorDoc("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")},
		{"algorithm without checksum", []string{"x-amz-sdk-checksum-algorithm", "CRC32"}, 400,
			errorDoc("InvalidRequest", "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")},
		{"algorithm and checksum differ", []string{"x-amz-sdk-checksum-algorithm", "SHA1", "x-amz-checksum-crc32", crc32Header(body, crc32.IEEETable)}, 400,
			errorDoc("InvalidRequest", "Value for x-amz-sdk-checksum-algorithm header is invalid.")},
		{"not XML", []string{"Content-MD5", contentMD5([]byte(`{"CORSRules": []}`))}, 400, malformedXML},
		// An empty body is S3's MissingRequestBodyError, in the words
		// S3 was recorded sending for an empty
		// PutBucketNotificationConfiguration (aws/aws-sdk-cpp#733).
		// UNVERIFIED for PutBucketCors, and that the integrity header is
		// required first.
		{"empty body", []string{"Content-MD5", contentMD5(nil)}, 400, errorDoc("MissingRequestBodyError", "Request Body is empty")},
		{"empty body without an integrity header", nil, 400,
			errorDoc("InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*")},
	}
	for _, tc := range tests {
		b := body
		switch tc.name {
		case "not XML":
			b = []byte(`{"CORSRules": []}`)
		case "empty body", "empty body without an integrity header":
			b = []byte{}
		}
		mustOK(t, ts.s.PutBucketCors("integrity", []corsrule.Rule{{AllowedOrigins: []string{"x"}, AllowedMethods: []string{"DELETE"}}}))
		r := ts.do("PUT", "/integrity?cors", b, tc.header...)
		if tc.want == "" {
			if r.StatusCode != 200 || len(r.body) != 0 || r.Header.Get("Content-Type") != "" {
				t.Errorf("%s: %s, want 200 without a body", tc.name, r)
			}
			if cfg, _ := ts.s.BucketCors("integrity"); cfg.Rules()[0].AllowedMethods[0] != "GET" {
				t.Errorf("%s: the configuration was not replaced", tc.name)
			}
			continue
		}
		if r.StatusCode != tc.status || normalizeIDs(r.body) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, normalizeIDs(r.body), tc.want)
		}
		if cfg, _ := ts.s.BucketCors("integrity"); cfg.Rules()[0].AllowedMethods[0] != "DELETE" {
			t.Errorf("%s: a refused configuration replaced the old one", tc.name)
		}
	}
}

func TestPutBucketCorsVerdicts(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/verdicts", nil), 200)
	put := func(body []byte) response {
		return ts.do("PUT", "/verdicts?cors", body, "Content-MD5", contentMD5(body))
	}
	mustError(t, put(corsDoc(`<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>MYMETHOD</AllowedMethod></CORSRule>`)), 400,
		errorDoc("InvalidRequest", "Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD"))
	mustError(t, put(corsDoc(`<CORSRule><AllowedOrigin>*example*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>`)), 400,
		errorDoc("InvalidRequest", `AllowedOrigin "*example*.com" can not have more than one wildcard.`))
	mustError(t, put(corsDoc(``)), 400,
		errorDoc("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema"))
	mustError(t, put([]byte(`<!DOCTYPE x [<!ENTITY a "b">]>`+string(corsDoc(ruleGET)))), 400,
		errorDoc("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema"))
	big := corsDoc(strings.Repeat(ruleGET, 1+corsrule.MaxDocumentSize/len(ruleGET)))
	mustError(t, put(big), 400, errorDoc("MaxMessageLengthExceeded", "Your request was too big."))
	// A document of exactly 64 KiB is within the limit.
	exact := corsDoc(ruleGET + `<!--` + strings.Repeat("x", corsrule.MaxDocumentSize-len(corsDoc(ruleGET))-7) + `-->`)
	if len(exact) != corsrule.MaxDocumentSize {
		t.Fatalf("the document is %d bytes", len(exact))
	}
	mustStatus(t, put(exact), 200)
	mustError(t, ts.do("PUT", "/no-such-bucket?cors", corsDoc(ruleGET), "Content-MD5", contentMD5(corsDoc(ruleGET))), 404,
		errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "no-such-bucket"))
}

// TestPutBucketCorsAPISize holds Server.PutBucketCors to S3's limit as
// the SDK would send the rules (S3's XML in its namespace, without a
// declaration): a document of exactly 64 KiB is taken, one byte more is
// MaxMessageLengthExceeded, and the size is judged before the values.
func TestPutBucketCorsAPISize(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/apisize", nil), 200)
	const frame = `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><AllowedOrigin></AllowedOrigin>` +
		`<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`
	rule := func(originLen int, method string) []corsrule.Rule {
		return []corsrule.Rule{{AllowedOrigins: []string{"https://" + strings.Repeat("a", originLen-len("https://"))}, AllowedMethods: []string{method}}}
	}
	fits := corsrule.MaxDocumentSize - len(frame)
	if err := ts.s.PutBucketCors("apisize", rule(fits, "GET")); err != nil {
		t.Errorf("rules sent in %d bytes: %v", corsrule.MaxDocumentSize, err)
	}
	for _, method := range []string{"GET", "PATCH"} {
		err := ts.s.PutBucketCors("apisize", rule(fits+1, method))
		if e, ok := err.(*s3err.Error); !ok || e.Code != "MaxMessageLengthExceeded" {
			t.Errorf("rules sent in %d bytes, method %s: %v, want MaxMessageLengthExceeded", corsrule.MaxDocumentSize+1, method, err)
		}
	}

	// Stored on disk, the rules of the largest document are read back
	// when the server starts again.
	dir := t.TempDir()
	s, err := s3server.New(s3server.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	mustOK(t, s.CreateBucket("apisize", ""))
	mustOK(t, s.PutBucketCors("apisize", rule(fits, "GET")))
	mustOK(t, s.Close())
	s, err = s3server.New(s3server.Options{DataDir: dir})
	if err != nil {
		t.Fatalf("starting again on the data: %v", err)
	}
	defer s.Close()
	if cfg, err := s.BucketCors("apisize"); err != nil || cfg.Len() != 1 || cfg.Rules()[0].AllowedOrigins[0] != rule(fits, "GET")[0].AllowedOrigins[0] {
		t.Errorf("the configuration read back: %v, %v", cfg, err)
	}
}

func TestGetAndDeleteBucketCors(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/getcors", nil), 200)
	noConfig := errorDoc("NoSuchCORSConfiguration", "The CORS configuration does not exist", "BucketName", "getcors")
	mustError(t, ts.do("GET", "/getcors?cors", nil), 404, noConfig)
	// Members in botocore's order, without namespace, an empty origin,
	// escaped text: returned in S3's documented order, verbatim.
	body := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>http://test.com:80</AllowedOrigin><AllowedOrigin/>` +
		`<AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>3000</MaxAgeSeconds><ID>a&amp;b</ID><ExposeHeader>ETag</ExposeHeader>` +
		`<AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader></CORSRule>` + ruleGET + `</CORSConfiguration>`)
	mustStatus(t, ts.do("PUT", "/getcors?cors", body, "Content-MD5", contentMD5(body)), 200)
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + corsXMLPrefix + `<CORSRule><AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader>` +
		`<AllowedMethod>GET</AllowedMethod><AllowedOrigin>http://test.com:80</AllowedOrigin><AllowedOrigin></AllowedOrigin>` +
		`<ExposeHeader>ETag</ExposeHeader><ID>a&amp;b</ID><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>` +
		`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://a.example</AllowedOrigin></CORSRule></CORSConfiguration>`
	r := ts.do("GET", "/getcors?cors", nil)
	if r.StatusCode != 200 || string(r.body) != want || r.Header.Get("Content-Type") != "application/xml" {
		t.Errorf("GetBucketCors:\n%s\nwant\n%s", r, want)
	}
	for range 2 {
		r := ts.do("DELETE", "/getcors?cors", nil)
		if r.StatusCode != 204 || len(r.body) != 0 {
			t.Errorf("DeleteBucketCors: %s", r)
		}
		mustError(t, ts.do("GET", "/getcors?cors", nil), 404, noConfig)
	}
}

// TestCorsOnEveryResponse checks the middleware's place: preflights are
// answered before authentication, and actual requests that a rule admits
// carry CORS headers on errors too, authentication errors included.
func TestCorsOnEveryResponse(t *testing.T) {
	t.Parallel()
	ts := signedServer(t)
	mustOK(t, ts.s.CreateBucket("everywhere", "public-read"))
	mustOK(t, ts.s.PutBucketCors("everywhere", []corsrule.Rule{{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET", "PUT"}}}))
	origin := []string{"Origin", "https://a.example"}
	checks := []struct {
		name   string
		r      response
		status int
	}{
		{"preflight with a bogus Authorization", ts.do("OPTIONS", "/everywhere/k", nil, "Origin", "https://a.example",
			"Access-Control-Request-Method", "PUT", "Authorization", "AWS fake:fake"), 200},
		{"preflight with a presigned query", ts.do("OPTIONS", "/everywhere/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00", nil,
			"Origin", "https://a.example", "Access-Control-Request-Method", "GET"), 200},
		{"anonymous PUT refused", ts.do("PUT", "/everywhere/k", []byte("x"), origin...), 403},
		{"missing key", ts.do("GET", "/everywhere/k", nil, origin...), 404},
		{"bad signature", ts.do("GET", "/everywhere/k", nil, append(origin, "Authorization",
			"AWS4-HMAC-SHA256 Credential="+testAccessKey+"/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")...), 403},
		{"listing", ts.do("GET", "/everywhere", nil, origin...), 200},
	}
	for _, c := range checks {
		if c.r.StatusCode != c.status || c.r.Header.Get("Access-Control-Allow-Origin") != "https://a.example" ||
			c.r.Header.Get("Access-Control-Allow-Methods") != "GET, PUT" || c.r.Header.Get("Vary") == "" {
			t.Errorf("%s: %s %v", c.name, c.r, c.r.Header)
		}
	}
	// No Origin: no CORS headers and no Vary.
	if r := ts.do("GET", "/everywhere", nil); r.Header.Get("Vary") != "" || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a request without Origin got CORS headers: %v", r.Header)
	}
	// A bucket that does not exist: the preflight is S3's 403.
	mustError(t, ts.do("OPTIONS", "/missing-bucket/k", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "GET"), 403,
		errorDoc("AccessForbidden", "CORSResponse: Bucket not found", "Method", "GET", "ResourceType", "BUCKET"))
}

// TestCorsReplacedWhole checks that a configuration replaced while
// requests are evaluated is seen whole: each response comes from one
// configuration or the other. It goes on until responses have come from
// both and many preflights ran while a PutBucketCors completed, and fails
// if that never happens.
func TestCorsReplacedWhole(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/swap", nil), 200)
	a := corsDoc(`<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>x-a</ExposeHeader></CORSRule>`)
	b := corsDoc(`<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><ExposeHeader>x-b</ExposeHeader></CORSRule>`)
	mustStatus(t, ts.do("PUT", "/swap?cors", a, "Content-MD5", contentMD5(a)), 200)
	var puts atomic.Int64 // PutBucketCors calls answered
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			doc := a
			if i%2 == 1 {
				doc = b
			}
			req := ts.request("PUT", "/swap?cors", doc, "Content-MD5", contentMD5(doc))
			resp, err := ts.Client().Do(req)
			if err == nil {
				resp.Body.Close()
				puts.Add(1)
			}
		}
	})
	// A preflight for GET is allowed by a (200 with a's headers) and
	// refused by b (S3's 403 for a request no rule admits).
	const minRequests, minOverlapped = 200, 20
	var fromA, fromB, overlapped int
	deadline := time.Now().Add(30 * time.Second)
	for n := 0; (n < minRequests || fromA == 0 || fromB == 0 || overlapped < minOverlapped) && time.Now().Before(deadline); n++ {
		before := puts.Load()
		r := ts.do("OPTIONS", "/swap", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "GET")
		if puts.Load() != before {
			overlapped++
		}
		m, e := r.Header.Get("Access-Control-Allow-Methods"), r.Header.Get("Access-Control-Expose-Headers")
		switch {
		case r.StatusCode == http.StatusOK && m == "GET" && e == "x-a":
			fromA++
		case r.StatusCode == http.StatusForbidden && m == "" && e == "" && bytes.Contains(r.body, []byte("This CORS request is not allowed")):
			fromB++
		default:
			close(stop)
			wg.Wait()
			t.Fatalf("mixed configuration: %d %q %q %s", r.StatusCode, m, e, r.body)
		}
	}
	close(stop)
	wg.Wait()
	if fromA == 0 || fromB == 0 || overlapped < minOverlapped {
		t.Fatalf("the property was not exercised: %d answers from the first configuration, %d from the second, %d preflights during a PutBucketCors (want %d)",
			fromA, fromB, overlapped, minOverlapped)
	}
}

// TestServicePreflight: OPTIONS on the service endpoint is never CORS and
// never authenticated, in both modes (spec §3.4).
func TestServicePreflight(t *testing.T) {
	t.Parallel()
	for name, ts := range map[string]*testServer{
		"anonymous": newTestServer(t, s3server.Options{InMemory: true}),
		"signed":    signedServer(t),
	} {
		r := ts.do("OPTIONS", "/", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "GET",
			"Authorization", "AWS4-HMAC-SHA256 junk")
		if r.StatusCode != 403 || r.Header.Get("Access-Control-Allow-Origin") != "" || !bytes.Contains(r.body, []byte("<Code>AccessDenied</Code>")) {
			t.Errorf("%s: OPTIONS / = %s %v", name, r, r.Header)
		}
	}
}

// msgPreflightRefused is S3's message for a preflight no rule admits,
// its typo "evalution" included (spec §3.1 step 6).
const msgPreflightRefused = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, " +
	"request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."

// TestRefusedPreflightResourceType checks the ResourceType of S3's 403 to
// a preflight no rule admits, which the server must tell from the URL,
// path style or virtual-hosted: OBJECT when the URL names a key, BUCKET
// for the bucket's own URL (spec §3.1 step 6: LocalStack's AWS-validated
// "opt-wrong-origin" and "opt-get-headers" on key URLs, and
// "options_fails_partial_origin" on the bucket URL).
func TestRefusedPreflightResourceType(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{Domains: []string{"localhost"}, AllowedHosts: []string{"127.0.0.1", "localhost"}})
	mustOK(t, ts.s.CreateBucket("kinds", ""))
	mustOK(t, ts.s.PutBucketCors("kinds", []corsrule.Rule{{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}}}))
	port := ts.Listener.Addr().String()[strings.LastIndex(ts.Listener.Addr().String(), ":"):]
	tests := []struct {
		host, path, resourceType string
	}{
		{"", "/kinds", "BUCKET"},
		{"", "/kinds/", "BUCKET"},
		{"", "/kinds/missing-key", "OBJECT"},
		{"", "/kinds/dir/key", "OBJECT"},
		{"kinds.localhost" + port, "/", "BUCKET"},
		{"kinds.localhost" + port, "/missing-key", "OBJECT"},
	}
	for _, tc := range tests {
		req := ts.request("OPTIONS", tc.path, nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
		if tc.host != "" {
			req.Host = tc.host
		}
		r := ts.send(req)
		want := errorDoc("AccessForbidden", msgPreflightRefused, "Method", "GET", "ResourceType", tc.resourceType)
		if r.StatusCode != 403 || normalizeIDs(r.body) != want {
			t.Errorf("OPTIONS %s (Host %q):\n got %d %s\nwant 403 %s", tc.path, tc.host, r.StatusCode, normalizeIDs(r.body), want)
		}
	}
}

// TestCorsOnBodilessAnswers checks the CORS headers of answers without a
// body, which spec §4 gives every operation a rule admits ("the normal
// response plus" the headers; scality's operation matrix covers HEAD): a
// HEAD of an object and of a missing key, and a conditional GET answered
// 304 Not Modified. Each carries the rule's headers and S3's Vary, and
// none a body.
func TestCorsOnBodilessAnswers(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/bodiless", nil), 200)
	mustOK(t, ts.s.PutBucketCors("bodiless", []corsrule.Rule{{AllowedOrigins: []string{"https://a.example"},
		AllowedMethods: []string{"GET", "HEAD"}, ExposeHeaders: []string{"ETag"}}}))
	put := ts.do("PUT", "/bodiless/k", []byte("hello"))
	mustStatus(t, put, 200)
	origin := []string{"Origin", "https://a.example"}
	tests := []struct {
		name   string
		r      response
		status int
	}{
		{"HEAD of an object", ts.do("HEAD", "/bodiless/k", nil, origin...), 200},
		{"HEAD of a missing key", ts.do("HEAD", "/bodiless/missing", nil, origin...), 404},
		{"GET answered 304", ts.do("GET", "/bodiless/k", nil, append(origin, "If-None-Match", put.Header.Get("ETag"))...), 304},
	}
	want := map[string]string{
		"Access-Control-Allow-Origin":      "https://a.example",
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Allow-Methods":     "GET, HEAD",
		"Access-Control-Expose-Headers":    "ETag",
		"Vary":                             "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := map[string]string{}
			for k := range want {
				got[k] = strings.Join(tc.r.Header.Values(k), ", ")
			}
			if tc.r.StatusCode != tc.status || len(tc.r.body) != 0 {
				t.Errorf("got %s (%d bytes of body), want %d and no body", tc.r.Status, len(tc.r.body), tc.status)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}
