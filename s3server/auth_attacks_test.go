package s3server_test

import (
	"bytes"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// The signed mode's refusals that the other tests leave out: presigned
// URLs used for another method, requests replayed after they expired,
// configuration changes unsigned or signed with the wrong key; and
// OPTIONS, which stays open whatever it carries.

// clockServer starts a server that checks signatures, with a clock the
// test moves.
func clockServer(t *testing.T) (*testServer, *atomic.Int64) {
	var offset atomic.Int64
	ts := newTestServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey,
		Now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})
	return ts, &offset
}

func TestPresignedForAnotherMethod(t *testing.T) {
	t.Parallel()
	ts, _ := clockServer(t)
	mustOK(t, ts.s.CreateBucket("presigned", "private"))
	req := ts.request("PUT", "/presigned/k", []byte("original"))
	mustStatus(t, ts.signed(req, []byte("original")), 200)
	presign := s3.NewPresignClient(s3servertest.Client(ts.Server, testAccessKey, testSecretKey), s3.WithPresignExpires(time.Hour))
	get, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("presigned"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	put, err := presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("presigned"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	del, err := presign.PresignDeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("presigned"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	for _, misuse := range []struct {
		method, url string
		body        []byte
	}{
		{"PUT", get.URL, []byte("overwritten")},
		{"DELETE", get.URL, nil},
		{"POST", get.URL, nil},
		{"GET", put.URL, nil},
		{"DELETE", put.URL, nil},
		{"GET", del.URL, nil},
		{"PUT", del.URL, []byte("overwritten")},
		{"HEAD", get.URL, nil},
	} {
		req, _ := http.NewRequest(misuse.method, misuse.url, bytes.NewReader(misuse.body))
		r := ts.send(req)
		if r.StatusCode != 403 || misuse.method != "HEAD" && !strings.Contains(string(r.body), "<Code>SignatureDoesNotMatch</Code>") {
			t.Errorf("%s with a URL presigned for another method: %s", misuse.method, r)
		}
	}
	// Each URL still does what it was signed for, once.
	r := ts.send(ts.requestURL(get.URL))
	if r.StatusCode != 200 || string(r.body) != "original" {
		t.Errorf("after the misuses, the object holds %s", r)
	}
}

func TestReplayAfterExpiry(t *testing.T) {
	t.Parallel()
	ts, offset := clockServer(t)
	mustOK(t, ts.s.CreateBucket("replay", "private"))
	body := []byte("replayed")
	req := ts.request("PUT", "/replay/k", body)
	signRequest(t, req, body, testAccessKey, testSecretKey, time.Now())
	replay := func() response {
		again := ts.request("PUT", "/replay/k", body)
		again.Header = req.Header.Clone()
		return ts.send(again)
	}
	mustStatus(t, replay(), 200)
	// Within the 15 minutes S3 allows, the same request is taken again,
	// as on S3: a signature is no nonce.
	offset.Store(int64(14 * time.Minute))
	mustStatus(t, replay(), 200)
	offset.Store(int64(16 * time.Minute))
	if r := replay(); r.StatusCode != 403 || !strings.Contains(string(r.body), "<Code>RequestTimeTooSkewed</Code>") {
		t.Errorf("a signed request replayed after 16 minutes: %s", r)
	}
	// A presigned URL, after it expires.
	offset.Store(0)
	presign := s3.NewPresignClient(s3servertest.Client(ts.Server, testAccessKey, testSecretKey), s3.WithPresignExpires(time.Minute))
	get, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("replay"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, ts.send(ts.requestURL(get.URL)), 200)
	offset.Store(int64(2 * time.Minute))
	if r := ts.send(ts.requestURL(get.URL)); r.StatusCode != 403 || !strings.Contains(string(r.body), "<Message>Request has expired</Message>") {
		t.Errorf("a presigned URL replayed after it expired: %s", r)
	}
}

// TestSignedConfigurationChanges checks that the bucket configuration
// cannot be changed without the right signature, even on a bucket
// anyone may write objects to.
func TestSignedConfigurationChanges(t *testing.T) {
	t.Parallel()
	ts, _ := clockServer(t)
	mustOK(t, ts.s.CreateBucket("config", "public-read-write"))
	mustOK(t, ts.s.PutBucketCors("config", []corsrule.Rule{{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}}}))
	getCors := func() string {
		req := ts.request("GET", "/config?cors", nil)
		return string(ts.signed(req, nil).body)
	}
	before := getCors()
	evil := corsDoc(`<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>DELETE</AllowedMethod></CORSRule>`)
	for _, tc := range []struct {
		name string
		req  func() *http.Request
		code string
	}{
		{"unsigned PutBucketCors", func() *http.Request {
			return ts.request("PUT", "/config?cors", evil, "Content-MD5", contentMD5(evil))
		}, "AccessDenied"},
		{"unsigned DeleteBucketCors", func() *http.Request { return ts.request("DELETE", "/config?cors", nil) }, "AccessDenied"},
		{"unsigned PutBucketAcl", func() *http.Request { return ts.request("PUT", "/config?acl", nil, "x-amz-acl", "private") }, "AccessDenied"},
		{"unsigned DeleteBucket", func() *http.Request { return ts.request("DELETE", "/config", nil) }, "AccessDenied"},
		{"PutBucketCors signed with the wrong secret", func() *http.Request {
			req := ts.request("PUT", "/config?cors", evil, "Content-MD5", contentMD5(evil))
			signRequest(t, req, evil, testAccessKey, "not-the-secret", time.Now())
			return req
		}, "SignatureDoesNotMatch"},
		{"PutBucketCors signed by an unknown key", func() *http.Request {
			req := ts.request("PUT", "/config?cors", evil, "Content-MD5", contentMD5(evil))
			signRequest(t, req, evil, "AKIDUNKNOWN", testSecretKey, time.Now())
			return req
		}, "InvalidAccessKeyId"},
		{"PutBucketCors with a bogus Authorization", func() *http.Request {
			now := time.Now().UTC()
			return ts.request("PUT", "/config?cors", evil, "Content-MD5", contentMD5(evil),
				"Authorization", "AWS4-HMAC-SHA256 Credential="+testAccessKey+"/"+now.Format("20060102")+"/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00",
				"X-Amz-Date", now.Format("20060102T150405Z"), "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
		}, "SignatureDoesNotMatch"},
	} {
		r := ts.send(tc.req())
		if r.StatusCode != 403 || !strings.Contains(string(r.body), "<Code>"+tc.code+"</Code>") {
			t.Errorf("%s: %s, want 403 %s", tc.name, r, tc.code)
		}
	}
	if after := getCors(); after != before {
		t.Errorf("the configuration changed:\n%s\nbefore:\n%s", after, before)
	}
}

// TestOptionsStaysOpen checks that a server that checks signatures
// answers preflights from the bucket's rules alone, whatever signature
// they carry, as S3 does (spec §3).
func TestOptionsStaysOpen(t *testing.T) {
	t.Parallel()
	ts, offset := clockServer(t)
	mustOK(t, ts.s.CreateBucket("open", "private"))
	mustOK(t, ts.s.PutBucketCors("open", []corsrule.Rule{{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET", "PUT"}}}))
	presign := s3.NewPresignClient(s3servertest.Client(ts.Server, testAccessKey, testSecretKey), s3.WithPresignExpires(time.Minute))
	get, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("open"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	offset.Store(int64(time.Hour)) // the presigned URL has expired
	preflight := []string{"Origin", "https://app.example", "Access-Control-Request-Method", "PUT"}
	for _, tc := range []struct {
		name   string
		target string
		header []string
	}{
		{"no signature", ts.URL + "/open/k", nil},
		{"a bogus Authorization", ts.URL + "/open/k", []string{"Authorization", "AWS4-HMAC-SHA256 Credential=bogus, SignedHeaders=host, Signature=00"}},
		{"an unsupported Authorization", ts.URL + "/open/k", []string{"Authorization", "AWS AKID:c2ln"}},
		{"an expired presigned query", get.URL, nil},
		{"a presigned query and an Authorization", get.URL, []string{"Authorization", "AWS4-HMAC-SHA256 x"}},
		{"a garbage X-Amz-Algorithm", ts.URL + "/open/k?X-Amz-Algorithm=nonsense&X-Amz-Signature=00", nil},
	} {
		req, err := http.NewRequest("OPTIONS", tc.target, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(preflight); i += 2 {
			req.Header.Set(preflight[i], preflight[i+1])
		}
		for i := 0; i+1 < len(tc.header); i += 2 {
			req.Header.Set(tc.header[i], tc.header[i+1])
		}
		r := ts.send(req)
		if r.StatusCode != 200 || r.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
			t.Errorf("preflight with %s: %s %v", tc.name, r, r.Header)
		}
	}
	// The rules still decide: a method they do not allow is S3's 403
	// AccessForbidden, not an authentication error.
	r := ts.do("OPTIONS", "/open/k", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "DELETE")
	if r.StatusCode != 403 || !strings.Contains(string(r.body), "<Code>AccessForbidden</Code>") {
		t.Errorf("a preflight the rules refuse: %s", r)
	}
	// The actual request is checked: unsigned, a private bucket refuses it.
	if r := ts.do("PUT", "/open/k", []byte("x"), "Origin", "https://app.example"); r.StatusCode != 403 ||
		r.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("the unsigned actual request: %s %v", r, r.Header)
	}
}
