package s3proxy_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
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
