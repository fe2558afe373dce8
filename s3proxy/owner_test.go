package s3proxy_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/s3cors/s3cors/s3proxy"
)

// ownerCondition is S3's bucket owner condition in front of next, as S3
// and s3cors serve check it: every bucket is owned by account, and a
// request whose x-amz-expected-bucket-owner names another gets 403
// AccessDenied, one whose value is not an account ID 400
// InvalidBucketOwnerAWSAccountID. writes counts the PutBucketCors that
// carry the header.
func ownerCondition(account string, writes *atomic.Int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, sent := r.Header["X-Amz-Expected-Bucket-Owner"]
		if !sent {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodPut && r.URL.Query().Has("cors") {
			writes.Add(1)
		}
		status, code := 0, ""
		switch {
		case len(v) != 1 || len(v[0]) != 12 || strings.Trim(v[0], "0123456789") != "":
			status, code = http.StatusBadRequest, "InvalidBucketOwnerAWSAccountID"
		case v[0] != account:
			status, code = http.StatusForbidden, "AccessDenied"
		default:
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>refused</Message></Error>`))
		}
	})
}

// TestExpectedBucketOwner sends Put/Get/DeleteBucketCors with
// x-amz-expected-bucket-owner, in a header or in the query of a URL
// presigned with Signature Version 2, through a proxy with keys (the
// caller checked at the upstream, or holding the upstream pair, which is
// not) and without, to upstreams that honour it (a test server, s3cors
// serve --account-id, versitygw, whose bucket owner is the access key of
// the user that made it) and to gofakes3, which ignores it. The proxy
// passes the header to the upstream on the request that asks it about
// the caller (store.canAdminister, signed with the upstream pair for a
// caller it would not ask about), so that the upstream judges it: a
// bucket of another owner is 403 AccessDenied and left as it was, a
// value the upstream refuses 400 InvalidBucketOwnerAWSAccountID, a
// bucket that does not exist NoSuchBucket whatever owner is expected.
func TestExpectedBucketOwner(t *testing.T) {
	t.Parallel()
	const account, other = "111122223333", "444455556666"
	var ownerWrites atomic.Int64
	for _, up := range []struct {
		name string
		// start starts the upstream and returns its URL.
		start func(t *testing.T) string
		// owner is the bucket's owner as the upstream names it; "" for
		// an upstream that ignores the header.
		owner string
		// badValue is the code of the answer to the value "abc".
		badValue string
		// writes, when not nil, counts the PutBucketCors with the header
		// that reach the upstream.
		writes *atomic.Int64
	}{
		{"an upstream that honours it", func(t *testing.T) string {
			faker := gofakes3.New(s3mem.New(), gofakes3.WithAutoBucket(false))
			srv := httptest.NewServer(ownerCondition(account, &ownerWrites, faker.Server()))
			t.Cleanup(srv.Close)
			return srv.URL
		}, account, "InvalidBucketOwnerAWSAccountID", &ownerWrites},
		{"s3cors serve --account-id", func(t *testing.T) string { return startServe(t, "--account-id", account).url }, account, "InvalidBucketOwnerAWSAccountID", nil},
		{"versitygw", func(t *testing.T) string { return startVersitygw(t).url }, upstreamAccessKey, "AccessDenied", nil},
		{"gofakes3", func(t *testing.T) string { srv, _ := startGofakes3(t); return srv.URL }, "", "", nil},
	} {
		t.Run(up.name, func(t *testing.T) {
			t.Parallel()
			upURL := up.start(t)
			mustOK(t, sdkErr(sdkClient(upURL, upstreamAccessKey, upstreamSecretKey).CreateBucket(context.Background(),
				&s3.CreateBucketInput{Bucket: aws.String("owned")})))
			pair := map[string]string{upstreamAccessKey: upstreamSecretKey}
			for _, mode := range []struct {
				name string
				opts s3proxy.Options
			}{
				{"keys, the caller checked", s3proxy.Options{Keys: pair, CheckUpstreamKeys: true}},
				{"keys, the upstream pair", s3proxy.Options{Keys: pair}},
				{"no keys", s3proxy.Options{}},
			} {
				t.Run(mode.name, func(t *testing.T) {
					// One at a time: they share the upstream's bucket.
					opts := mode.opts
					opts.Upstream, opts.UpstreamAccessKey, opts.UpstreamSecretKey = upURL, upstreamAccessKey, upstreamSecretKey
					front, _ := startProxy(t, opts)
					if up.writes != nil {
						up.writes.Store(0)
					}
					expectedOwner(t, front.URL, up.owner, other, up.badValue)
					// The proxy keeps configurations in its config
					// bucket: a PutBucketCors reaching the upstream's
					// bucket is the probe of the caller's write, asked
					// with the caller's keys. A caller the proxy does not
					// ask about is asked only who owns the bucket, with a
					// read: no probe goes with the proxy's own keys.
					if up.writes != nil {
						if got := up.writes.Load(); opts.CheckUpstreamKeys != (got > 0) {
							t.Errorf("probes with the header at the upstream: %d, want some only when the caller is checked (%v)", got, opts.CheckUpstreamKeys)
						}
					}
				})
			}
		})
	}
}

// expectedOwner runs TestExpectedBucketOwner's requests through the
// proxy at front to the bucket "owned", whose owner the upstream names
// owner ("" for an upstream that ignores the header): other names
// another account, and "abc" gets badValue.
func expectedOwner(t *testing.T, front, owner, other, badValue string) {
	ctx := context.Background()
	client := sdkClient(front, upstreamAccessKey, upstreamSecretKey)
	b := aws.String("owned")
	rules := func(origin string) *types.CORSConfiguration {
		return &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedOrigins: []string{origin}, AllowedMethods: []string{"GET"}}}}
	}
	stored := func(what, want string) {
		t.Helper()
		got, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
		if err != nil || len(got.CORSRules) != 1 || got.CORSRules[0].AllowedOrigins[0] != want {
			t.Errorf("%s: the configuration is %v %+v, want %s's", what, err, got, want)
		}
	}
	// want checks err against the answer to a request expecting
	// expected as the owner: success for the owner, or wherever the
	// upstream ignores the header, else code.
	want := func(what string, err error, expected, code string) {
		t.Helper()
		if owner == "" || expected == owner {
			if err != nil {
				t.Errorf("%s: %v, want success", what, err)
			}
			return
		}
		if err == nil {
			t.Errorf("%s: success, want %s", what, code)
			return
		}
		wantAPIError(t, err, code)
	}
	if owner != "" {
		mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, ExpectedBucketOwner: aws.String(owner),
			CORSConfiguration: rules("https://owner.example")})))
		_, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b, ExpectedBucketOwner: aws.String(owner)})
		mustOK(t, err)
	} else {
		mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: rules("https://owner.example")})))
	}
	for _, expected := range []string{other, "abc"} {
		code := "AccessDenied"
		if expected == "abc" {
			code = badValue
		}
		_, err := client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, ExpectedBucketOwner: aws.String(expected),
			CORSConfiguration: rules("https://owner.example")})
		want("PutBucketCors expecting "+expected, err, expected, code)
		_, err = client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b, ExpectedBucketOwner: aws.String(expected)})
		want("GetBucketCors expecting "+expected, err, expected, code)
		_, err = client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: b, ExpectedBucketOwner: aws.String(expected)})
		want("DeleteBucketCors expecting "+expected, err, expected, code)
		if owner != "" {
			stored("after the requests expecting "+expected, "https://owner.example")
		} else {
			mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: rules("https://owner.example")})))
		}
	}

	// In the query of a URL presigned with Signature Version 2, as
	// botocore puts it.
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://presigned.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	u := presignV2("PUT", "/owned?cors", upstreamAccessKey, upstreamSecretKey, time.Now().Add(time.Minute),
		"content-md5", contentMD5(doc), "x-amz-expected-bucket-owner", other)
	r := do(t, "PUT", front+u, doc)
	if owner == "" {
		if r.StatusCode != 200 {
			t.Errorf("a presigned PutBucketCors expecting %s: %d %s", other, r.StatusCode, r.body)
		}
	} else {
		wantS3Error(t, "a presigned PutBucketCors expecting "+other, r, 403, "AccessDenied")
		stored("after the presigned PutBucketCors", "https://owner.example")
	}

	// A bucket that does not exist is NoSuchBucket, whatever owner is
	// expected.
	_, err := client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("missing"), ExpectedBucketOwner: aws.String(other),
		CORSConfiguration: rules("https://owner.example")})
	wantAPIError(t, err, "NoSuchBucket")
	_, err = client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("missing"), ExpectedBucketOwner: aws.String(other)})
	wantAPIError(t, err, "NoSuchBucket")
}
