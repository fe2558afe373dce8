package s3proxy_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/s3proxy"
)

// TestGofakes3 runs the proxy's whole life of a bucket in front of
// gofakes3, which has no bucket CORS and sends
// Access-Control-Allow-Origin: * on every answer: the proxy must answer
// as S3 does, from the bucket's own configuration.
func TestGofakes3(t *testing.T) {
	t.Parallel()
	up, upCount := startGofakes3(t)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	client := sdkClient(front.URL, "AKID", "SECRET")
	ctx := context.Background()

	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")})))
	mustOK(t, sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("cat.jpg"), Body: strings.NewReader("meow")})))

	_, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("photos")})
	wantAPIError(t, err, "NoSuchCORSConfiguration")
	_, err = client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("nothere")})
	wantAPIError(t, err, "NoSuchBucket")

	// Before any configuration: a preflight is refused, and a GET with
	// an Origin carries no CORS header, gofakes3's "*" removed.
	pre := do(t, "OPTIONS", front.URL+"/photos/cat.jpg", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
	if pre.StatusCode != http.StatusForbidden || !strings.Contains(string(pre.body), "<Code>AccessForbidden</Code>") {
		t.Errorf("preflight without configuration: %d %s", pre.StatusCode, pre.body)
	}
	get := do(t, "GET", front.URL+"/photos/cat.jpg", nil, "Origin", "https://app.example")
	if get.StatusCode != http.StatusOK || string(get.body) != "meow" || corsHeaders(get.Header) != "" {
		t.Errorf("GET without configuration: %d %q, CORS headers %q", get.StatusCode, get.body, corsHeaders(get.Header))
	}

	rules := []types.CORSRule{{
		AllowedOrigins: []string{"https://app.example"},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"Content-Type"},
		ExposeHeaders:  []string{"ETag"},
		MaxAgeSeconds:  aws.Int32(600),
	}}
	mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("photos"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}})))
	got, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("photos")})
	mustOK(t, err)
	if diff := cmp.Diff(rules, got.CORSRules, cmp.AllowUnexported(types.CORSRule{}), cmpIgnoreNoCopy); diff != "" {
		t.Errorf("GetBucketCors (-put +got):\n%s", diff)
	}

	pre = do(t, "OPTIONS", front.URL+"/photos/cat.jpg", nil, "Origin", "https://app.example",
		"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type")
	wantCORS := "Access-Control-Allow-Credentials: true\nAccess-Control-Allow-Headers: content-type\n" +
		"Access-Control-Allow-Methods: GET, PUT\nAccess-Control-Allow-Origin: https://app.example\n" +
		"Access-Control-Expose-Headers: ETag\nAccess-Control-Max-Age: 600\n" +
		"Vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
	if pre.StatusCode != http.StatusOK || corsHeaders(pre.Header) != wantCORS {
		t.Errorf("allowed preflight: %d\n%s\nwant\n%s", pre.StatusCode, corsHeaders(pre.Header), wantCORS)
	}
	get = do(t, "GET", front.URL+"/photos/cat.jpg", nil, "Origin", "https://app.example")
	wantGet := "Access-Control-Allow-Credentials: true\nAccess-Control-Allow-Methods: GET, PUT\n" +
		"Access-Control-Allow-Origin: https://app.example\nAccess-Control-Expose-Headers: ETag\n" +
		"Access-Control-Max-Age: 600\nVary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
	if get.StatusCode != http.StatusOK || corsHeaders(get.Header) != wantGet {
		t.Errorf("GET allowed: %d\n%s\nwant\n%s", get.StatusCode, corsHeaders(get.Header), wantGet)
	}
	miss := do(t, "GET", front.URL+"/photos/nothere.jpg", nil, "Origin", "https://app.example")
	if miss.StatusCode != http.StatusNotFound || corsHeaders(miss.Header) != wantGet {
		t.Errorf("GET of a missing key: %d, CORS headers\n%s\nwant\n%s", miss.StatusCode, corsHeaders(miss.Header), wantGet)
	}
	other := do(t, "GET", front.URL+"/photos/cat.jpg", nil, "Origin", "https://evil.example")
	if corsHeaders(other.Header) != "" {
		t.Errorf("GET from an origin no rule admits: CORS headers %q", corsHeaders(other.Header))
	}
	refused := do(t, "OPTIONS", front.URL+"/photos/cat.jpg", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
	if refused.StatusCode != http.StatusForbidden {
		t.Errorf("refused preflight: %d %s", refused.StatusCode, refused.body)
	}

	// The configuration lives in the upstream, in the config bucket.
	stored := do(t, "GET", up.URL+"/"+s3proxy.DefaultConfigBucket+"/photos/cors.xml", nil)
	if stored.StatusCode != http.StatusOK || !strings.Contains(string(stored.body), "<AllowedOrigin>https://app.example</AllowedOrigin>") {
		t.Errorf("stored configuration: %d %s", stored.StatusCode, stored.body)
	}
	// ... which clients do not reach through the proxy.
	denied := do(t, "GET", front.URL+"/"+s3proxy.DefaultConfigBucket+"/photos/cors.xml", nil)
	if denied.StatusCode != http.StatusForbidden || !strings.Contains(string(denied.body), "<Code>AccessDenied</Code>") {
		t.Errorf("GET of the config bucket through the proxy: %d %s", denied.StatusCode, denied.body)
	}

	mustOK(t, sdkErr(client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("photos")})))
	if r := do(t, "OPTIONS", front.URL+"/photos/cat.jpg", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET"); r.StatusCode != http.StatusForbidden {
		t.Errorf("preflight after DeleteBucketCors: %d", r.StatusCode)
	}

	// DeleteBucket through the proxy deletes the stored configuration.
	mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("photos"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}})))
	mustOK(t, sdkErr(client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("photos"), Key: aws.String("cat.jpg")})))
	mustOK(t, sdkErr(client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("photos")})))
	if r := do(t, "GET", up.URL+"/"+s3proxy.DefaultConfigBucket+"/photos/cors.xml", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("stored configuration after DeleteBucket: %d %s", r.StatusCode, r.body)
	}
	pre = do(t, "OPTIONS", front.URL+"/photos/cat.jpg", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
	if pre.StatusCode != http.StatusForbidden || !strings.Contains(string(pre.body), "CORSResponse: Bucket not found") {
		t.Errorf("preflight after DeleteBucket: %d %s", pre.StatusCode, pre.body)
	}
	t.Logf("upstream requests in all: %d", upCount.total.Load())
}

var cmpIgnoreNoCopy = cmp.FilterPath(func(p cmp.Path) bool { return strings.Contains(p.String(), "noSmithyDocumentSerde") }, cmp.Ignore())

// wantAPIError fails the test unless err is the S3 error code.
func wantAPIError(t testing.TB, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Errorf("error %v, want %s", err, code)
	}
}
