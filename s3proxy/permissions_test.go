package s3proxy_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
)

// tenantsProxy starts versitygw (startVersitygwIAM) and a proxy in front
// of it that holds the root's, tenantA's and tenantB's keys and writes
// with the root's.
func tenantsProxy(t *testing.T) (vgw *process, front string) {
	t.Helper()
	vgw = startVersitygwIAM(t)
	keys := map[string]string{upstreamAccessKey: upstreamSecretKey, tenantAAccess: tenantASecret, tenantBAccess: tenantBSecret}
	srv, _ := startProxy(t, s3proxy.Options{Upstream: vgw.url, UpstreamAccessKey: upstreamAccessKey,
		UpstreamSecretKey: upstreamSecretKey, Keys: keys})
	return vgw, srv.URL
}

// allowTenantB gives tenantB actions on tenant-a by a bucket policy,
// which tenant-a's owner sets at versitygw.
func allowTenantB(t *testing.T, vgw *process, actions string) {
	t.Helper()
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["tenantB"]},"Action":[` + actions +
		`],"Resource":["arn:aws:s3:::tenant-a"]}]}`
	owner := sdkClient(vgw.url, tenantAAccess, tenantASecret)
	mustOK(t, sdkErr(owner.PutBucketPolicy(context.Background(), &s3.PutBucketPolicyInput{Bucket: aws.String("tenant-a"), Policy: aws.String(policy)})))
}

var tenantRules = &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedOrigins: []string{"https://b.example"}, AllowedMethods: []string{"GET"}}}}

// rootOrigins returns tenant-a's configured origins, as the root reads
// them through the proxy (nil: none).
func rootOrigins(t *testing.T, front string) []string {
	t.Helper()
	out, err := sdkClient(front, upstreamAccessKey, upstreamSecretKey).GetBucketCors(context.Background(), &s3.GetBucketCorsInput{Bucket: aws.String("tenant-a")})
	if err != nil {
		wantAPIError(t, err, "NoSuchCORSConfiguration")
		return nil
	}
	var o []string
	for _, r := range out.CORSRules {
		o = append(o, r.AllowedOrigins...)
	}
	return o
}

// TestTenantsCorsPolicy checks at versitygw that the proxy grants a
// CORS operation by the permission S3 asks for it (s3:PutBucketCORS for
// Put and DeleteBucketCors, s3:GetBucketCORS for GetBucketCors), as the
// store grants it: a user a bucket policy lets read the bucket's ACL,
// and nothing else, may not change its CORS; one it grants
// s3:PutBucketCORS may, as at the store itself, and not read it.
func TestTenantsCorsPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name          string
		actions       string
		write, read   bool
		directWriteOK bool // versitygw's own answer to tenantB's PutBucketCors
	}{
		{"GetBucketAcl only", `"s3:GetBucketAcl"`, false, false, false},
		{"PutBucketCORS", `"s3:PutBucketCORS"`, true, false, true},
		{"GetBucketCORS", `"s3:GetBucketCORS"`, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vgw, front := tenantsProxy(t)
			root := sdkClient(front, upstreamAccessKey, upstreamSecretKey)
			mustOK(t, sdkErr(root.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("tenant-a"), CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}})))
			allowTenantB(t, vgw, tc.actions)

			direct := sdkClient(vgw.url, tenantBAccess, tenantBSecret)
			if err := sdkErr(direct.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("tenant-a"), CORSConfiguration: tenantRules})); (err == nil) != tc.directWriteOK {
				t.Fatalf("versitygw's own PutBucketCors by tenantB: %v, want success %v", err, tc.directWriteOK)
			}

			b := sdkClient(front, tenantBAccess, tenantBSecret)
			want := func(op string, err error, ok bool) {
				t.Helper()
				if ok {
					if err != nil {
						t.Errorf("%s: %v, want success", op, err)
					}
					return
				}
				wantAPIError(t, err, "AccessDenied")
			}
			_, err := b.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("tenant-a")})
			want("GetBucketCors", err, tc.read)
			want("PutBucketCors", sdkErr(b.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("tenant-a"), CORSConfiguration: tenantRules})), tc.write)
			wantOrigin := corsRules[0].AllowedOrigins
			if tc.write {
				wantOrigin = []string{"https://b.example"}
			}
			if got := rootOrigins(t, front); !slices.Equal(got, wantOrigin) {
				t.Errorf("after PutBucketCors: %v, want %v", got, wantOrigin)
			}
			want("DeleteBucketCors", sdkErr(b.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("tenant-a")})), tc.write)
			if !tc.write {
				wantOrigin = corsRules[0].AllowedOrigins
			} else {
				wantOrigin = nil
			}
			if got := rootOrigins(t, front); !slices.Equal(got, wantOrigin) {
				t.Errorf("after DeleteBucketCors: %v, want %v", got, wantOrigin)
			}
		})
	}
}

// TestTenantsCorsMalformed checks S3's order at versitygw: a malformed
// PutBucketCors gets AccessDenied from a client the store refuses, and
// MalformedXML only from one it lets write.
func TestTenantsCorsMalformed(t *testing.T) {
	t.Parallel()
	_, front := tenantsProxy(t)
	ep := &vectortest.Endpoint{URL: front, HTTP: testClient, AccessKey: tenantBAccess, SecretKey: tenantBSecret}
	malformed := []byte("<CORSConfiguration><CORSRule>")
	for bucket, code := range map[string]string{"tenant-a": "AccessDenied", "tenant-b": "MalformedXML"} {
		r := ep.Signed(t, ep.Request(t, "PUT", "/"+bucket+"?cors", malformed, "Content-MD5", vectortest.ContentMD5(malformed)), malformed)
		if got := errorCodeOf(r.Body); got != code {
			t.Errorf("tenantB's malformed PutBucketCors of %s: %d %s, want %s", bucket, r.StatusCode, r.Body, code)
		}
	}
}

// TestTenantsCorsDefaultUpstreamPair checks that a pair that is the
// upstream pair only by default (CheckUpstreamKeys, as s3cors proxy
// makes the first pair of --credentials without --upstream-access-key)
// administers only the buckets the store lets it: tenantA, whose keys
// also write the configurations, its own and not tenant-b.
func TestTenantsCorsDefaultUpstreamPair(t *testing.T) {
	t.Parallel()
	vgw := startVersitygwIAM(t)
	// A user cannot create buckets at versitygw: the config bucket is
	// made for tenantA.
	args := []string{"admin", "--access", upstreamAccessKey, "--secret", upstreamSecretKey, "--endpoint-url", vgw.url,
		"create-bucket", "--bucket", "s3cors-config", "--owner", tenantAAccess}
	if out, err := exec.Command(versitygwBinary(t), args...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %v %s", args, err, out)
	}
	keys := map[string]string{tenantAAccess: tenantASecret, tenantBAccess: tenantBSecret}
	front, _ := startProxy(t, s3proxy.Options{Upstream: vgw.url, UpstreamAccessKey: tenantAAccess,
		UpstreamSecretKey: tenantASecret, CheckUpstreamKeys: true, Keys: keys})
	ctx := context.Background()
	a := sdkClient(front.URL, tenantAAccess, tenantASecret)
	wantAPIError(t, sdkErr(a.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("tenant-b"), CORSConfiguration: tenantRules})), "AccessDenied")
	_, err := a.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("tenant-b")})
	wantAPIError(t, err, "AccessDenied")
	wantAPIError(t, sdkErr(a.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("tenant-b")})), "AccessDenied")
	mustOK(t, sdkErr(a.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("tenant-a"), CORSConfiguration: tenantRules})))
	b := sdkClient(front.URL, tenantBAccess, tenantBSecret)
	mustOK(t, sdkErr(b.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("tenant-b"), CORSConfiguration: tenantRules})))
	_, err = a.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("tenant-a")})
	mustOK(t, err)
}

// heldBody lets the first bytes of a body through, then waits for gate.
type heldBody struct {
	io.ReadCloser
	n    int
	gate chan struct{}
	once sync.Once
	held chan struct{}
}

func (g *heldBody) Read(p []byte) (int, error) {
	if g.n <= 0 {
		g.once.Do(func() { close(g.held) })
		<-g.gate
		return g.ReadCloser.Read(p)
	}
	p = p[:min(len(p), g.n)]
	k, err := g.ReadCloser.Read(p)
	g.n -= k
	return k, err
}

type holdingTransport struct {
	next       http.RoundTripper
	gate, held chan struct{}
}

func (h *holdingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut && r.Body != nil {
		r.Body = &heldBody{ReadCloser: r.Body, n: 10, gate: h.gate, held: h.held}
	}
	return h.next.RoundTrip(r)
}

// TestTenantsCorsSlowBody checks that the store is asked once the
// PutBucketCors body is in: a client that starts one while it owns the
// bucket and holds the body while the bucket passes to another owner
// gets AccessDenied, as it would from the store then.
func TestTenantsCorsSlowBody(t *testing.T) {
	t.Parallel()
	vgw, front := tenantsProxy(t)
	ctx := context.Background()
	ht := &holdingTransport{next: testClient.Transport, gate: make(chan struct{}), held: make(chan struct{})}
	b := s3.New(s3.Options{BaseEndpoint: aws.String(front), UsePathStyle: true, Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(tenantBAccess, tenantBSecret, ""), RetryMaxAttempts: 1,
		HTTPClient: &http.Client{Transport: ht}})
	done := make(chan error, 1)
	go func() {
		done <- sdkErr(b.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("tenant-b"), CORSConfiguration: tenantRules}))
	}()
	<-ht.held
	time.Sleep(200 * time.Millisecond) // the proxy waits for the body
	args := []string{"admin", "--access", upstreamAccessKey, "--secret", upstreamSecretKey, "--endpoint-url", vgw.url,
		"change-bucket-owner", "--bucket", "tenant-b", "--owner", tenantAAccess}
	if out, err := exec.Command(versitygwBinary(t), args...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %v %s", args, err, out)
	}
	close(ht.gate)
	wantAPIError(t, <-done, "AccessDenied")
}

// errorCodeOf returns the Code of the S3 error document b.
func errorCodeOf(b []byte) string {
	var doc struct{ Code string }
	xml.Unmarshal(b, &doc)
	return doc.Code
}
