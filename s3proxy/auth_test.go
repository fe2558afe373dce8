package s3proxy_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// signV2 signs a request with Signature Version 2 in the Authorization
// header, the way boto and s3cmd do, for resource ("/bucket?cors").
func signV2(req *http.Request, resource, ak, sk string, at time.Time) {
	date := at.UTC().Format(http.TimeFormat)
	req.Header.Set("Date", date)
	sts := req.Method + "\n" + req.Header.Get("Content-MD5") + "\n" + req.Header.Get("Content-Type") + "\n" + date + "\n" + resource
	m := hmac.New(sha1.New, []byte(sk))
	m.Write([]byte(sts))
	req.Header.Set("Authorization", "AWS "+ak+":"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
}

const otherAccessKey, otherSecretKey = "AKIDSECONDUSER", "second-user-secret"

// TestCorsSignatures forges, replays and alters the signatures of
// Put/Get/DeleteBucketCors on a proxy that requires keys: each gets S3's
// error, and the stored configuration is the one a valid request put.
func TestCorsSignatures(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	var skew atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, Now: now,
		Keys: map[string]string{upstreamAccessKey: upstreamSecretKey, otherAccessKey: otherSecretKey}})
	client := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
	ctx := context.Background()
	putRules(t, client, "guarded")
	ep := &vectortest.Endpoint{URL: front.URL, HTTP: testClient, AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}

	good := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://good.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	evil := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>DELETE</AllowedMethod></CORSRule></CORSConfiguration>`)
	putReq := func(bucket string, body []byte) *http.Request {
		return ep.Request(t, "PUT", "/"+bucket+"?cors", body, "Content-MD5", vectortest.ContentMD5(body))
	}
	// A valid request, captured as an attacker would, and sent.
	captured := putReq("guarded", good)
	vectortest.SignRequest(t, captured, good, upstreamAccessKey, upstreamSecretKey, time.Now())
	replay := func(body []byte, path string) *http.Request {
		r := ep.Request(t, "PUT", path, body)
		for k, v := range captured.Header {
			r.Header[k] = v
		}
		return r
	}
	if r := ep.Send(t, replay(good, "/guarded?cors")); r.StatusCode != http.StatusOK {
		t.Fatalf("the valid request: %s", r)
	}

	for _, c := range []struct {
		name   string
		req    func() *http.Request
		status int
		code   string
	}{
		{"unsigned", func() *http.Request { return putReq("guarded", evil) }, 403, "AccessDenied"},
		{"wrong secret", func() *http.Request {
			r := putReq("guarded", evil)
			vectortest.SignRequest(t, r, evil, upstreamAccessKey, "guessed", time.Now())
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"unknown access key", func() *http.Request {
			r := putReq("guarded", evil)
			vectortest.SignRequest(t, r, evil, "AKIDNOBODY", upstreamSecretKey, time.Now())
			return r
		}, 403, "InvalidAccessKeyId"},
		{"replayed with another body", func() *http.Request { return replay(evil, "/guarded?cors") }, 403, "SignatureDoesNotMatch"},
		{"replayed with another body of the same length", func() *http.Request {
			return replay(bytes.Replace(good, []byte("good"), []byte("evil"), 1), "/guarded?cors")
		}, 400, "XAmzContentSHA256Mismatch"},
		{"replayed on another bucket", func() *http.Request { return replay(good, "/other?cors") }, 403, "SignatureDoesNotMatch"},
		{"another user's key with the first user's secret", func() *http.Request {
			r := putReq("guarded", evil)
			vectortest.SignRequest(t, r, evil, otherAccessKey, upstreamSecretKey, time.Now())
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"an unsigned payload with another Content-MD5", func() *http.Request {
			r := putReq("guarded", evil)
			r.Header.Set("Content-MD5", vectortest.ContentMD5(good))
			r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
			signUnsignedPayload(t, r)
			return r
		}, 400, "BadDigest"},
		{"Signature Version 2, wrong secret", func() *http.Request {
			r := putReq("guarded", evil)
			signV2(r, "/guarded?cors", upstreamAccessKey, "guessed", time.Now())
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"DeleteBucketCors, wrong secret", func() *http.Request {
			r := ep.Request(t, "DELETE", "/guarded?cors", nil)
			vectortest.SignRequest(t, r, nil, upstreamAccessKey, "guessed", time.Now())
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"GetBucketCors, unsigned", func() *http.Request { return ep.Request(t, "GET", "/guarded?cors", nil) }, 403, "AccessDenied"},
		{"presigned, expired", func() *http.Request {
			r := ep.Request(t, "DELETE", "/guarded?cors&X-Amz-Expires=60", nil)
			signed, _, err := v4.NewSigner().PresignHTTP(ctx, aws.Credentials{AccessKeyID: upstreamAccessKey, SecretAccessKey: upstreamSecretKey},
				r, "UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now().Add(-2*time.Minute))
			mustOK(t, err)
			r, _ = http.NewRequest("DELETE", signed, nil)
			return r
		}, 403, "AccessDenied"},
	} {
		// One at a time: the configuration is checked after them.
		t.Run(c.name, func(t *testing.T) {
			r := ep.Send(t, c.req())
			wantS3Error(t, c.name, response{r.Response, r.Body}, c.status, c.code)
		})
	}
	// The captured request again, 16 minutes later by the proxy's clock.
	skew.Store(int64(16 * time.Minute))
	wantS3Error(t, "replayed 16 minutes later", fromEp(ep.Send(t, replay(good, "/guarded?cors"))), 403, "RequestTimeTooSkewed")
	skew.Store(0)

	// Through all that, the configuration is the valid request's.
	got, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("guarded")})
	if err != nil || len(got.CORSRules) != 1 || got.CORSRules[0].AllowedOrigins[0] != "https://good.example" {
		t.Fatalf("the configuration after the attacks: %v %+v", err, got)
	}
	if r := preflight(t, front.URL, "/guarded/k"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a preflight from https://app.example after the attacks: %d", r.StatusCode)
	}

	// The other user's keys, and Signature Version 2, are taken.
	other := sdkClient(front.URL, otherAccessKey, otherSecretKey)
	mustOK(t, sdkErr(other.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("guarded"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}})))
	v2 := putReq("guarded", good)
	signV2(v2, "/guarded?cors", otherAccessKey, otherSecretKey, time.Now())
	if r := ep.Send(t, v2); r.StatusCode != http.StatusOK {
		t.Errorf("PutBucketCors with Signature Version 2: %s", r)
	}
	// An identical replay within the 15 minutes S3 allows is taken, as
	// S3 takes it: it can only put again what its owner put.
	if r := ep.Send(t, replay(good, "/guarded?cors")); r.StatusCode != http.StatusOK {
		t.Errorf("identical replay: %s", r)
	}
}

func fromEp(r vectortest.Response) response { return response{r.Response, r.Body} }

// signUnsignedPayload signs r with x-amz-content-sha256 UNSIGNED-PAYLOAD,
// as clients do over TLS, leaving Content-MD5 the body's only check.
func signUnsignedPayload(t *testing.T, r *http.Request) {
	t.Helper()
	body := new(bytes.Buffer)
	if r.Body != nil {
		body.ReadFrom(r.Body)
	}
	r.Body = nopBody{bytes.NewReader(body.Bytes())}
	vectortest.SignRequestPayload(t, r, "UNSIGNED-PAYLOAD", upstreamAccessKey, upstreamSecretKey, time.Now())
}

type nopBody struct{ *bytes.Reader }

func (nopBody) Close() error { return nil }

// TestAnonymousCors sends unsigned Put/Get/DeleteBucketCors to s3cors
// serve and to a proxy in front of another serve, both with keys: each
// is checked as serve checks it, in S3's order (s3server's prepare): the
// signature, the bucket's name and the key, the bucket's existence, and
// only then the permission an unsigned request lacks. So a bucket that
// does not exist is NoSuchBucket, as S3 answers anonymous requests for
// one, and an existing one AccessDenied, public or not.
func TestAnonymousCors(t *testing.T) {
	t.Parallel()
	endpoints := make([]string, 2) // serve, then the proxy
	for i := range endpoints {
		up, store := s3servertest.NewServer(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
		mustOK(t, store.CreateBucket("photos", ""))
		mustOK(t, store.CreateBucket("public", "public-read-write"))
		endpoints[i] = up.URL
		if i == 1 {
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey,
				UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
			endpoints[i] = front.URL
		}
		putRules(t, sdkClient(endpoints[i], upstreamAccessKey, upstreamSecretKey), "rules")
	}
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>`)
	md5 := []string{"Content-MD5", contentMD5(doc)}
	origin := []string{"Origin", "https://app.example"}
	for _, c := range []struct {
		method, path string
		header       []string
		status       int
		code         string
	}{
		{"PUT", "/missing?cors", md5, 404, "NoSuchBucket"},
		{"GET", "/missing?cors", nil, 404, "NoSuchBucket"},
		{"DELETE", "/missing?cors", nil, 404, "NoSuchBucket"},
		{"PUT", "/missing/k?cors", md5, 404, "NoSuchBucket"},
		{"GET", "/missing?cors", origin, 404, "NoSuchBucket"},
		{"PUT", "/missing?cors", nil, 404, "NoSuchBucket"}, // the body is never looked at
		{"PUT", "/photos?cors", md5, 403, "AccessDenied"},
		{"PUT", "/photos?cors", nil, 403, "AccessDenied"},
		{"GET", "/photos?cors", nil, 403, "AccessDenied"},
		{"DELETE", "/photos?cors", nil, 403, "AccessDenied"},
		{"GET", "/rules?cors", nil, 403, "AccessDenied"},
		{"GET", "/rules?cors", origin, 403, "AccessDenied"},
		{"DELETE", "/rules?cors", origin, 403, "AccessDenied"},
		{"PUT", "/public?cors", md5, 403, "AccessDenied"},
		{"DELETE", "/public?cors", nil, 403, "AccessDenied"},
		{"GET", "/bad!name?cors", nil, 400, "InvalidBucketName"},
		{"PUT", "/bad!name?cors", md5, 400, "InvalidBucketName"},
		{"GET", "/missing/" + strings.Repeat("k", 1025) + "?cors", nil, 400, "KeyTooLongError"},
		{"DELETE", "/photos/" + strings.Repeat("k", 1025) + "?cors", nil, 400, "KeyTooLongError"},
		// A signature sent is checked first, bucket or not.
		{"GET", "/missing?cors", []string{"Authorization", "AWS " + upstreamAccessKey + ":bm90LXRoZS1zaWduYXR1cmU="}, 403, "SignatureDoesNotMatch"},
	} {
		name := c.method + " " + c.path
		if len(c.header) > 0 {
			name += " " + c.header[0]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var body []byte
			if c.method == "PUT" {
				body = doc
			}
			header := append([]string{"Date", time.Now().UTC().Format(http.TimeFormat)}, c.header...)
			var cors []string
			for i, base := range endpoints {
				r := do(t, c.method, base+c.path, body, header...)
				wantS3Error(t, []string{"serve", "the proxy"}[i], r, c.status, c.code)
				cors = append(cors, corsHeaders(r.Header))
			}
			if cors[0] != cors[1] {
				t.Errorf("CORS headers: serve's\n%s\nthe proxy's\n%s", cors[0], cors[1])
			}
		})
	}
	// Nothing was changed.
	for _, base := range endpoints {
		got, err := sdkClient(base, upstreamAccessKey, upstreamSecretKey).GetBucketCors(context.Background(),
			&s3.GetBucketCorsInput{Bucket: aws.String("rules")})
		if err != nil || len(got.CORSRules) != 1 || got.CORSRules[0].AllowedOrigins[0] != corsRules[0].AllowedOrigins[0] {
			t.Errorf("%s: the configuration after the unsigned requests: %v %+v", base, err, got)
		}
	}
}

// TestAnonymousCorsBudget floods a proxy with keys with unsigned
// PutBucketCors and DeleteBucketCors for buckets that do not exist: each
// is answered NoSuchBucket, or 503 SlowDown once the look-ups of
// Options.LookupRate are spent, and the upstream gets no more requests
// than that budget allows (two per look-up: the configuration's GET and a
// HeadBucket), never one HeadBucket per request.
func TestAnonymousCorsBudget(t *testing.T) {
	t.Parallel()
	up, upCount := startGofakes3(t)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, LookupRate: 2,
		Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>`)
	start := time.Now()
	codes := map[string]int{}
	for i := range 40 {
		method, body := "PUT", doc
		if i%2 == 1 {
			method, body = "DELETE", nil
		}
		r := do(t, method, fmt.Sprintf("%s/flood-%d?cors", front.URL, i), body, "Content-MD5", contentMD5(doc))
		code := errorCode.FindStringSubmatch(string(r.body))
		if code == nil || !(r.StatusCode == 404 && code[1] == "NoSuchBucket" || r.StatusCode == 503 && code[1] == "SlowDown") {
			t.Fatalf("%s /flood-%d?cors: %d %s, want 404 NoSuchBucket or 503 SlowDown", method, i, r.StatusCode, r.body)
		}
		codes[code[1]]++
	}
	// A burst of 2 look-ups, and 2 more a second.
	lookups := 2 + 2*int(time.Since(start).Seconds()+1)
	if n := int(upCount.total.Load()); n > 2*lookups || codes["NoSuchBucket"] > lookups || codes["SlowDown"] == 0 {
		t.Errorf("%d upstream requests, answers %v; want at most %d look-ups", n, codes, lookups)
	}
}

// presignV2 returns the path and query of a URL presigned with Signature
// Version 2 for method on resource ("/bucket?cors"), expiring at
// expires, that carries params (name, value, ...: content-md5,
// x-amz-*) in its query, signed as botocore's HmacV1QueryAuth signs
// them: Content-MD5 in its place, each x-amz-* as a header.
func presignV2(method, resource, ak, sk string, expires time.Time, params ...string) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	var md5, amz, query string
	for i := 0; i+1 < len(params); i += 2 {
		name, v := params[i], params[i+1]
		switch {
		case name == "content-md5":
			md5 = v
		case strings.HasPrefix(name, "x-amz-"):
			amz += name + ":" + v + "\n" // the callers name them in order
		}
		query += "&" + name + "=" + url.QueryEscape(v)
	}
	m := hmac.New(sha1.New, []byte(sk))
	m.Write([]byte(method + "\n" + md5 + "\n\n" + exp + "\n" + amz + resource))
	sep := "?"
	if strings.Contains(resource, "?") {
		sep = "&"
	}
	return resource + sep + "AWSAccessKeyId=" + url.QueryEscape(ak) + "&Expires=" + exp +
		"&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(m.Sum(nil))) + query
}

// TestCorsPresignedV2 sends Put/Get/DeleteBucketCors presigned with
// Signature Version 2, their Content-MD5 in the query as botocore puts
// it, to s3cors serve and to a proxy in front of another serve, with
// keys and without: the proxy reads the query's headers as serve does
// (sigv.QueryHeadersV2), so a configuration whose MD5 the query gives is
// stored, and one whose body does not match it is BadDigest.
func TestCorsPresignedV2(t *testing.T) {
	t.Parallel()
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://presigned.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	other := []byte(`<CORSConfiguration/>`)
	for _, keys := range []bool{true, false} {
		name := map[bool]string{true: "keys", false: "no keys"}[keys]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			endpoints := make([]string, 2) // serve, then the proxy
			for i := range endpoints {
				var opts s3server.Options
				if keys {
					opts = s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
				}
				up, store := s3servertest.NewServer(t, opts)
				mustOK(t, store.CreateBucket("signed", ""))
				endpoints[i] = up.URL
				if i == 1 {
					popts := s3proxy.Options{Upstream: up.URL}
					if keys {
						popts = s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey,
							UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}}
					}
					front, _ := startProxy(t, popts)
					endpoints[i] = front.URL
				}
			}
			exp := time.Now().Add(time.Minute)
			presign := func(method string, params ...string) string {
				return presignV2(method, "/signed?cors", upstreamAccessKey, upstreamSecretKey, exp, params...)
			}
			for i, base := range endpoints {
				who := []string{"serve", "the proxy"}[i]
				r := do(t, "PUT", base+presign("PUT", "content-md5", contentMD5(other)), doc)
				wantS3Error(t, who+": a body whose MD5 is not the query's", r, 400, "BadDigest")
				r = do(t, "PUT", base+presign("PUT"), doc)
				wantS3Error(t, who+": no MD5", r, 400, "InvalidRequest")
				if r := do(t, "PUT", base+presign("PUT", "content-md5", contentMD5(doc)), doc); r.StatusCode != 200 {
					t.Errorf("%s: PutBucketCors presigned with its MD5: %d %s", who, r.StatusCode, r.body)
				}
				if r := do(t, "GET", base+presign("GET"), nil); r.StatusCode != 200 || !strings.Contains(string(r.body), "https://presigned.example") {
					t.Errorf("%s: GetBucketCors presigned, after: %d %s", who, r.StatusCode, r.body)
				}
				if r := do(t, "DELETE", base+presign("DELETE"), nil); r.StatusCode != 204 {
					t.Errorf("%s: DeleteBucketCors presigned: %d %s", who, r.StatusCode, r.body)
				}
				r = do(t, "GET", base+presign("GET"), nil)
				wantS3Error(t, who+": GetBucketCors presigned, after the delete", r, 404, "NoSuchCORSConfiguration")
			}
		})
	}
}
