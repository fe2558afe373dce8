package s3proxy_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/s3proxy"
)

// upstream is a real S3-compatible server the proxy is tested in front
// of.
type upstream struct {
	name string
	// start starts it and returns its URL.
	start func(t *testing.T) string
	// verifies reports whether it checks signatures, and chunked
	// whether it decodes aws-chunked bodies: gofakes3 does neither (it
	// stores such a body as it came).
	verifies, chunked bool
}

var upstreams = []upstream{
	{"gofakes3", func(t *testing.T) string { srv, _ := startGofakes3(t); return srv.URL }, false, false},
	{"s3cors serve", func(t *testing.T) string { return startServe(t).url }, true, true},
	{"versitygw", func(t *testing.T) string { return startVersitygw(t).url }, true, true},
}

// randomBytes returns n bytes that do not compress, from seed.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestThroughProxy sends the requests of real clients through the
// proxy to each upstream: aws-sdk-go-v2's signed operations, a multipart
// upload by the transfer manager (its parts sent with Expect:
// 100-continue), an aws-chunked PutObject, ranges and presigned URLs, whose
// signatures the upstream verifies as they came; then the CORS
// operations the proxy answers, and what a browser sees.
func TestThroughProxy(t *testing.T) {
	t.Parallel()
	for _, up := range upstreams {
		t.Run(up.name, func(t *testing.T) {
			t.Parallel()
			upURL := up.start(t)
			opts := s3proxy.Options{Upstream: upURL, UpstreamAccessKey: upstreamAccessKey,
				UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}}
			start := startProxy
			if up.chunked {
				start = startProxyTLS // where the SDK sends aws-chunked
			}
			front, _ := start(t, opts)
			client := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
			throughProxy(t, client, front.URL, upURL, up)
		})
	}
}

func throughProxy(t *testing.T, client *s3.Client, front, upURL string, up upstream) {
	ctx := context.Background()
	b := aws.String("through")
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})))

	small := []byte("a small object")
	put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("dir/small.txt"), Body: bytes.NewReader(small)})
	mustOK(t, err)
	got, etag := getObject(t, client, "through", "dir/small.txt", "")
	if !bytes.Equal(got, small) || etag != aws.ToString(put.ETag) {
		t.Errorf("GetObject: %q ETag %s, want %q ETag %s", got, etag, small, aws.ToString(put.ETag))
	}
	if got, _ := getObject(t, client, "through", "dir/small.txt", "bytes=2-6"); string(got) != "small" {
		t.Errorf("ranged GetObject: %q", got)
	}

	// An unseekable body: over TLS the SDK streams it aws-chunked, with
	// a trailing checksum.
	chunked := randomBytes(300<<10, 1)
	var body io.Reader = io.MultiReader(bytes.NewReader(chunked))
	if !up.chunked {
		body = bytes.NewReader(chunked) // seekable: sent as it is
	}
	mustOK(t, sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("chunked"),
		Body: body, ContentLength: aws.Int64(int64(len(chunked))), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})))
	if got, _ := getObject(t, client, "through", "chunked", ""); !bytes.Equal(got, chunked) {
		t.Errorf("aws-chunked PutObject: got %d bytes back, want %d", len(got), len(chunked))
	}

	big := randomBytes(17<<20, 2)
	tm := transfermanager.New(client, func(o *transfermanager.Options) { o.PartSizeBytes = 5 << 20 })
	_, err = tm.UploadObject(ctx, &transfermanager.UploadObjectInput{Bucket: b, Key: aws.String("big"), Body: bytes.NewReader(big)})
	mustOK(t, err)
	if got, _ := getObject(t, client, "through", "big", ""); sha256.Sum256(got) != sha256.Sum256(big) {
		t.Errorf("multipart upload: got %d bytes back, not those sent", len(got))
	}

	presign := s3.NewPresignClient(client)
	pg, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("dir/small.txt")}, s3.WithPresignExpires(time.Hour))
	mustOK(t, err)
	if r := do(t, pg.Method, pg.URL, nil); r.StatusCode != http.StatusOK || !bytes.Equal(r.body, small) {
		t.Errorf("presigned GET: %d %s", r.StatusCode, r.body)
	}
	pp, err := presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("presigned")}, s3.WithPresignExpires(time.Hour))
	mustOK(t, err)
	if r := do(t, pp.Method, pp.URL, []byte("put by URL")); r.StatusCode != http.StatusOK {
		t.Errorf("presigned PUT: %d %s", r.StatusCode, r.body)
	}
	if got, _ := getObject(t, client, "through", "presigned", ""); string(got) != "put by URL" {
		t.Errorf("presigned PUT stored %q", got)
	}
	if up.verifies {
		// The upstream checks the signatures the proxy passes on.
		forged := strings.Replace(pg.URL, "X-Amz-Signature=", "X-Amz-Signature=0", 1)
		if r := do(t, "GET", forged, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("forged presigned GET: %d %s", r.StatusCode, r.body)
		}
		other := sdkClient(front, upstreamAccessKey, "not-the-secret")
		if _, err := other.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("dir/small.txt")}); err == nil {
			t.Error("a GetObject signed with the wrong secret passed")
		}
	}

	rules := []types.CORSRule{{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(60)}}
	mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}})))
	cors, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	if err != nil || len(cors.CORSRules) != 1 || cors.CORSRules[0].AllowedOrigins[0] != "https://app.example" {
		t.Fatalf("GetBucketCors: %v %+v", err, cors)
	}
	pre := do(t, "OPTIONS", front+"/through/big", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "PUT",
		"Access-Control-Request-Headers", "content-type,x-amz-date")
	if pre.StatusCode != http.StatusOK || pre.Header.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		pre.Header.Get("Access-Control-Allow-Headers") != "content-type, x-amz-date" {
		t.Errorf("preflight: %d\n%s", pre.StatusCode, corsHeaders(pre.Header))
	}
	get := do(t, "GET", pg.URL, nil, "Origin", "https://app.example")
	if get.StatusCode != http.StatusOK || get.Header.Get("Access-Control-Expose-Headers") != "ETag" ||
		get.Header.Get("Access-Control-Allow-Origin") != "https://app.example" || get.Header.Get("ETag") != etag {
		t.Errorf("GET with Origin: %d ETag %s\n%s", get.StatusCode, get.Header.Get("ETag"), corsHeaders(get.Header))
	}
	if refused := do(t, "OPTIONS", front+"/through/big", nil, "Origin", "https://other.example", "Access-Control-Request-Method", "GET"); refused.StatusCode != http.StatusForbidden {
		t.Errorf("preflight from another origin: %d", refused.StatusCode)
	}
	mustOK(t, sdkErr(client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: b})))
	_, err = client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	wantAPIError(t, err, "NoSuchCORSConfiguration")

	// DeleteBucket through the proxy deletes the stored configuration.
	mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}})))
	direct := sdkClient(upURL, upstreamAccessKey, upstreamSecretKey)
	configKey := aws.String("through/cors.xml")
	mustOK(t, sdkErr(direct.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s3proxy.DefaultConfigBucket), Key: configKey})))
	for _, key := range []string{"dir/small.txt", "chunked", "big", "presigned"} {
		mustOK(t, sdkErr(client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String(key)})))
	}
	mustOK(t, sdkErr(client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})))
	if _, err := direct.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s3proxy.DefaultConfigBucket), Key: configKey}); err == nil {
		t.Error("the configuration is still stored after DeleteBucket")
	}
}

// getObject gets an object, or a range of it, through client and
// returns its body and ETag.
func getObject(t *testing.T, client *s3.Client, bucket, key, rng string) ([]byte, string) {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if rng != "" {
		in.Range = aws.String(rng)
	}
	out, err := client.GetObject(context.Background(), in)
	if err != nil {
		t.Fatalf("GetObject %s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b, aws.ToString(out.ETag)
}

// TestRawPathThroughProxy sends PutObjects whose path holds characters
// the client left unescaped, as s3cmd does with urlencoding_mode =
// verbatim ("^", a quote, braces, UTF-8), signed with Signature Version 2,
// which signs the path as sent, to s3cors serve, which checks it so: the
// proxy must pass the path on as it came, not as net/url escapes it
// again, or the signature no longer verifies.
func TestRawPathThroughProxy(t *testing.T) {
	t.Parallel()
	serve := startServe(t)
	front, _ := startProxy(t, s3proxy.Options{Upstream: serve.url, UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey})
	client := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
	mustOK(t, sdkErr(client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("raw")})))
	for _, key := range []string{"caret^key", `quote"key`, "brace{key}", "caf\u00e9", "back`tick|pipe"} {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			for _, base := range []string{serve.url, front.URL} {
				req, err := http.NewRequest("PUT", base, strings.NewReader("raw"))
				if err != nil {
					t.Fatal(err)
				}
				req.URL.Opaque = "/raw/" + key // sent as it is
				signV2(req, "/raw/"+key, upstreamAccessKey, upstreamSecretKey, time.Now())
				if r := send(t, req); r.StatusCode != http.StatusOK {
					t.Errorf("PUT %s to %s: %d %s", req.URL.Opaque, base, r.StatusCode, r.body)
				}
			}
			if got, _ := getObject(t, client, "raw", key, ""); string(got) != "raw" {
				t.Errorf("stored %q", got)
			}
		})
	}
}
