package s3proxy_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// The users the multi-user tests create at versitygw, beside its root
// (upstreamAccessKey).
const (
	tenantAAccess, tenantASecret       = "tenantA", "tenant-a-secret"
	tenantBAccess, tenantBSecret       = "tenantB", "tenant-b-secret"
	proxyAdminAccess, proxyAdminSecret = "proxyadmin", "proxy-admin-secret"
)

// startVersitygwIAM starts versitygw with its internal IAM: the root
// pair upstreamAccessKey, users tenantA and tenantB (role user), owning
// buckets tenant-a and tenant-b, and proxyadmin (role admin).
func startVersitygwIAM(t *testing.T) *process {
	t.Helper()
	bin := versitygwBinary(t)
	p := startVersitygwOn(t, freeAddr, "--access", upstreamAccessKey, "--secret", upstreamSecretKey,
		"--iam-dir", t.TempDir(), "--quiet", "posix", t.TempDir())
	admin := func(args ...string) {
		t.Helper()
		args = append([]string{"admin", "--access", upstreamAccessKey, "--secret", upstreamSecretKey, "--endpoint-url", p.url}, args...)
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("versitygw %v: %v\n%s", args, err, out)
		}
	}
	admin("create-user", "--access", tenantAAccess, "--secret", tenantASecret, "--role", "user")
	admin("create-user", "--access", tenantBAccess, "--secret", tenantBSecret, "--role", "user")
	admin("create-user", "--access", proxyAdminAccess, "--secret", proxyAdminSecret, "--role", "admin")
	admin("create-bucket", "--bucket", "tenant-a", "--owner", tenantAAccess)
	admin("create-bucket", "--bucket", "tenant-b", "--owner", tenantBAccess)
	return p
}

// TestTenantsCors puts the proxy in front of versitygw with several
// users, all of whose keys it holds: each user administers the CORS of
// the buckets the store lets them administer, and no other (tenantB
// gets AccessDenied for tenant-a, which versitygw refuses tenantB
// everything on), whether the proxy writes with the root's keys or an
// admin user's (the root's requests are then checked too).
func TestTenantsCors(t *testing.T) {
	t.Parallel()
	vgw := startVersitygwIAM(t)
	keys := map[string]string{upstreamAccessKey: upstreamSecretKey, tenantAAccess: tenantASecret, tenantBAccess: tenantBSecret}
	for _, tc := range []struct {
		name               string
		upAccess, upSecret string
		configBucket       string
	}{
		{"root writes", upstreamAccessKey, upstreamSecretKey, "cfg-root"},
		{"admin writes", proxyAdminAccess, proxyAdminSecret, "cfg-admin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Not parallel: both proxies store tenant-a's
			// configuration, each in its own config bucket, but the
			// cases below read what the one before wrote.
			front, _ := startProxy(t, s3proxy.Options{Upstream: vgw.url, UpstreamAccessKey: tc.upAccess,
				UpstreamSecretKey: tc.upSecret, Keys: keys, ConfigBucket: tc.configBucket})
			ctx := context.Background()
			as := func(access string) *s3.Client { return sdkClient(front.URL, access, keys[access]) }
			put := func(access, bucket, origin string) error {
				return sdkErr(as(access).PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(bucket),
					CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{
						AllowedOrigins: []string{origin}, AllowedMethods: []string{"GET", "PUT", "DELETE"}, AllowedHeaders: []string{"*"}}}}}))
			}
			origins := func(access, bucket string) ([]string, error) {
				out, err := as(access).GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(bucket)})
				if err != nil {
					return nil, err
				}
				var o []string
				for _, r := range out.CORSRules {
					o = append(o, r.AllowedOrigins...)
				}
				return o, nil
			}
			wantOrigins := func(access, bucket string, want ...string) {
				t.Helper()
				got, err := origins(access, bucket)
				if err != nil || !slices.Equal(got, want) {
					t.Errorf("%s: GetBucketCors %s: %v, %v; want %v", access, bucket, got, err, want)
				}
			}
			del := func(access, bucket string) error {
				return sdkErr(as(access).DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String(bucket)}))
			}

			// The store refuses tenantB tenant-a, directly.
			direct := sdkClient(vgw.url, tenantBAccess, tenantBSecret)
			wantAPIError(t, sdkErr(direct.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("tenant-a")})), "AccessDenied")

			mustOK(t, put(tenantAAccess, "tenant-a", "https://app.example"))
			wantOrigins(tenantAAccess, "tenant-a", "https://app.example")

			// tenantB: AccessDenied for each operation, nothing changed.
			_, err := origins(tenantBAccess, "tenant-a")
			wantAPIError(t, err, "AccessDenied")
			wantAPIError(t, put(tenantBAccess, "tenant-a", "https://evil.example"), "AccessDenied")
			wantAPIError(t, del(tenantBAccess, "tenant-a"), "AccessDenied")
			wantOrigins(tenantAAccess, "tenant-a", "https://app.example")
			if r := preflight(t, front.URL, "/tenant-a/k"); r.StatusCode != http.StatusOK {
				t.Errorf("preflight from tenant-a's origin: %d %s", r.StatusCode, r.body)
			}

			// Existence is told before permission, as S3 does.
			wantAPIError(t, put(tenantBAccess, "no-such-tenant", "https://evil.example"), "NoSuchBucket")
			_, err = origins(tenantBAccess, "no-such-tenant")
			wantAPIError(t, err, "NoSuchBucket")
			wantAPIError(t, del(tenantBAccess, "no-such-tenant"), "NoSuchBucket")

			// tenantB administers its own bucket.
			mustOK(t, put(tenantBAccess, "tenant-b", "https://b.example"))
			wantOrigins(tenantBAccess, "tenant-b", "https://b.example")
			mustOK(t, del(tenantBAccess, "tenant-b"))

			// The root may administer any bucket, the owner too.
			mustOK(t, put(upstreamAccessKey, "tenant-a", "https://root.example"))
			wantOrigins(upstreamAccessKey, "tenant-a", "https://root.example")
			wantOrigins(tenantAAccess, "tenant-a", "https://root.example")
			mustOK(t, del(tenantAAccess, "tenant-a"))
			_, err = origins(upstreamAccessKey, "tenant-a")
			wantAPIError(t, err, "NoSuchCORSConfiguration")
		})
	}
}

// scriptedAuth wraps gofakes3, which checks no signatures, as a store
// that tells what otherAccessKey may do: requests signed with that key
// (verified with its secret) to PUT or GET ?cors, GET ?acl and HEAD a
// bucket get the scripted answers, and are recorded; everything else
// goes to gofakes3 (which takes PUT ?cors for a CreateBucket, 409, and
// answers GET ?cors and ?acl with a listing).
type scriptedAuth struct {
	next          http.Handler
	verifier      *sigv.Verifier
	putCors       func(w http.ResponseWriter) // nil: gofakes3 answers
	getCors       func(w http.ResponseWriter)
	acl           func(w http.ResponseWriter)
	head          func(w http.ResponseWriter)
	mu            sync.Mutex
	asked         []string // "METHOD /path?query", and "unsigned" or the error of a bad signature
	probes        int      // requests with ?acl or ?cors signed with otherAccessKey, or with ?acl by anyone
	corsProbeBody []byte   // the body of the last PUT ?cors signed with otherAccessKey
}

func (s *scriptedAuth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	isACL := r.Method == http.MethodGet && r.URL.RawQuery == "acl"
	isPutCors := r.Method == http.MethodPut && r.URL.RawQuery == "cors"
	isGetCors := r.Method == http.MethodGet && r.URL.RawQuery == "cors"
	isHead := r.Method == http.MethodHead
	s.mu.Lock()
	if isACL {
		s.probes++
	}
	s.mu.Unlock()
	if !strings.Contains(r.Header.Get("Authorization"), "Credential="+otherAccessKey+"/") {
		s.next.ServeHTTP(w, r)
		return
	}
	what := r.Method + " " + r.URL.RequestURI()
	if sig, err := s.verifier.Verify(r, sigv.ParseQuery(r.URL.RawQuery)); err != nil || sig.AccessKey != otherAccessKey {
		what += fmt.Sprintf(" (signature: %v)", err)
	}
	if isPutCors {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
		s.corsProbeBody = body
		s.mu.Unlock()
	}
	s.mu.Lock()
	s.asked = append(s.asked, what)
	if isPutCors || isGetCors {
		s.probes++
	}
	s.mu.Unlock()
	switch {
	case isPutCors && s.putCors != nil:
		s.putCors(w)
	case isGetCors && s.getCors != nil:
		s.getCors(w)
	case isACL && s.acl != nil:
		s.acl(w)
	case isHead && s.head != nil:
		s.head(w)
	default:
		s.next.ServeHTTP(w, r)
	}
}

// requests returns what otherAccessKey asked since the last call.
func (s *scriptedAuth) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.asked
	s.asked = nil
	return out
}

// scripted returns an answer: status, with the S3 error code
// (none: no body).
func scripted(status int, code string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if code == "" {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>scripted</Message></Error>", code)
	}
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	c, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		c.Close()
	}
}

// TestCorsAuthorization checks how the proxy reads the store's answers to
// the requests it signs with a client's keys to learn whether the client
// may administer a bucket's CORS (a PutBucketCors the store must refuse
// for its body, for Put and DeleteBucketCors, or a GetBucketCors; then,
// where the store does not implement bucket CORS, GetBucketAcl, then
// HeadBucket where it does not implement ?acl either), for each of the
// three operations: the client gets what the store says, and the
// configuration changes only when the store allows it.
func TestCorsAuthorization(t *testing.T) {
	t.Parallel()
	// cors stands for the operation's own probe: PUT ?cors for Put and
	// DeleteBucketCors, GET ?cors for GetBucketCors.
	const cors, acl, head = "cors", "GET /owned?acl", "HEAD /owned"
	corsDoc := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></CORSConfiguration>`)
	}
	both := func(f func(w http.ResponseWriter)) [2]func(w http.ResponseWriter) {
		return [2]func(w http.ResponseWriter){f, f}
	}
	notImpl := both(scripted(501, "NotImplemented"))
	tests := []struct {
		name      string
		cors      [2]func(w http.ResponseWriter) // PUT ?cors, GET ?cors; nil: gofakes3 answers
		acl, head func(w http.ResponseWriter)
		code      string // "": allowed
		asked     []string
	}{
		// versitygw, S3: the probe's body refused, or no configuration.
		{"cors allowed", [2]func(w http.ResponseWriter){scripted(400, "MalformedXML"), scripted(404, "NoSuchCORSConfiguration")}, nil, nil, "", []string{cors}},
		// A store that takes a configuration without rules, and has one.
		{"cors lenient", [2]func(w http.ResponseWriter){scripted(200, ""), corsDoc}, nil, nil, "", []string{cors}},
		{"cors denied", both(scripted(403, "AccessDenied")), nil, nil, "AccessDenied", []string{cors}},
		{"cors key unknown to the store", both(scripted(403, "InvalidAccessKeyId")), nil, nil, "AccessDenied", []string{cors}},
		{"cors no such bucket", both(scripted(404, "NoSuchBucket")), nil, nil, "NoSuchBucket", []string{cors}},
		// A 400 other than MalformedXML is no grant, nor the sign of a
		// store without bucket CORS.
		{"cors other 400", both(scripted(400, "InvalidRequest")), nil, nil, "ServiceUnavailable", []string{cors}},
		{"cors 409 other than CreateBucket's", both(scripted(409, "OperationAborted")), nil, nil, "ServiceUnavailable", []string{cors}},
		{"cors other 404", both(scripted(404, "NoSuchKey")), nil, nil, "ServiceUnavailable", []string{cors}},
		{"cors server error", both(scripted(500, "InternalError")), nil, nil, "ServiceUnavailable", []string{cors}},
		{"cors hangs up", both(hangUp), nil, nil, "ServiceUnavailable", []string{cors}},
		{"cors redirect", both(scripted(301, "PermanentRedirect")), nil, nil, "ServiceUnavailable", []string{cors}},
		// No bucket CORS at the store (MinIO's community edition:
		// 501; gofakes3: 409 and a listing): GetBucketAcl.
		{"cors 501, acl allowed", notImpl, scripted(200, ""), nil, "", []string{cors, acl}},
		{"cors 405, acl denied", both(scripted(405, "MethodNotAllowed")), scripted(403, "AccessDenied"), nil, "AccessDenied", []string{cors, acl}},
		{"acl allowed", [2]func(w http.ResponseWriter){}, scripted(200, ""), nil, "", []string{cors, acl}},
		// gofakes3 answers GET ?acl with a listing of the bucket.
		{"acl answered by a listing", [2]func(w http.ResponseWriter){}, nil, nil, "", []string{cors, acl}},
		{"acl denied", notImpl, scripted(403, "AccessDenied"), nil, "AccessDenied", []string{cors, acl}},
		{"key unknown to the store", notImpl, scripted(403, "InvalidAccessKeyId"), nil, "AccessDenied", []string{cors, acl}},
		{"acl no such bucket", notImpl, scripted(404, "NoSuchBucket"), nil, "NoSuchBucket", []string{cors, acl}},
		{"acl other 404", notImpl, scripted(404, "NoSuchKey"), nil, "ServiceUnavailable", []string{cors, acl}},
		{"acl server error", notImpl, scripted(500, "InternalError"), nil, "ServiceUnavailable", []string{cors, acl}},
		{"acl 503", notImpl, scripted(503, "SlowDown"), nil, "ServiceUnavailable", []string{cors, acl}},
		{"acl hangs up", notImpl, hangUp, nil, "ServiceUnavailable", []string{cors, acl}},
		{"acl other 400", notImpl, scripted(400, "InvalidRequest"), nil, "ServiceUnavailable", []string{cors, acl}},
		{"acl redirect", notImpl, scripted(301, "PermanentRedirect"), nil, "ServiceUnavailable", []string{cors, acl}},
		{"acl 501, head allowed", notImpl, scripted(501, "NotImplemented"), scripted(200, ""), "", []string{cors, acl, head}},
		{"acl 501, head denied", notImpl, scripted(501, "NotImplemented"), scripted(403, ""), "AccessDenied", []string{cors, acl, head}},
		{"acl 405, head no bucket", notImpl, scripted(405, "MethodNotAllowed"), scripted(404, ""), "NoSuchBucket", []string{cors, acl, head}},
		{"acl 400 NotImplemented, head allowed", notImpl, scripted(400, "NotImplemented"), scripted(200, ""), "", []string{cors, acl, head}},
		{"acl 501, head server error", notImpl, scripted(501, "NotImplemented"), scripted(500, ""), "ServiceUnavailable", []string{cors, acl, head}},
		{"acl 501, head hangs up", notImpl, scripted(501, "NotImplemented"), hangUp, "ServiceUnavailable", []string{cors, acl, head}},
	}
	verifier, err := sigv.New(sigv.Options{AccessKey: otherAccessKey, SecretKey: otherSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := gofakes3.New(s3mem.New(), gofakes3.WithAutoBucket(false))
			up := &scriptedAuth{next: fake.Server(), verifier: verifier, putCors: tc.cors[0], getCors: tc.cors[1], acl: tc.acl, head: tc.head}
			srv := httptest.NewServer(up)
			t.Cleanup(srv.Close)
			front, _ := startProxy(t, s3proxy.Options{Upstream: srv.URL, UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey,
				Keys: map[string]string{upstreamAccessKey: upstreamSecretKey, otherAccessKey: otherSecretKey}})
			owner := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
			other := sdkClient(front.URL, otherAccessKey, otherSecretKey)
			ctx := context.Background()
			putRules(t, owner, "owned")

			check := func(op string, err error) {
				t.Helper()
				probe := "PUT /owned?cors"
				if op == "GetBucketCors" {
					probe = "GET /owned?cors"
				}
				asked := slices.Clone(tc.asked)
				if asked[0] == cors {
					asked[0] = probe
				}
				if tc.code == "" {
					if err != nil {
						t.Errorf("%s: %v, want success", op, err)
					}
				} else {
					wantAPIError(t, err, tc.code)
				}
				// net/http sends a GET or HEAD again, once, when a
				// connection it reused closed without an answer.
				if got := slices.Compact(up.requests()); !slices.Equal(got, asked) {
					t.Errorf("%s: the store was asked %q, want %q", op, got, asked)
				}
			}
			rules := func() []types.CORSRule {
				t.Helper()
				out, err := owner.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("owned")})
				if err != nil {
					t.Fatalf("the owner's GetBucketCors: %v", err)
				}
				return out.CORSRules
			}

			out, err := other.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("owned")})
			check("GetBucketCors", err)
			if err == nil && (len(out.CORSRules) != 1 || !slices.Equal(out.CORSRules[0].AllowedOrigins, corsRules[0].AllowedOrigins)) {
				t.Errorf("GetBucketCors: %+v, want the owner's rules", out.CORSRules)
			}

			evil := []types.CORSRule{{AllowedOrigins: []string{"https://evil.example"}, AllowedMethods: []string{"DELETE"}}}
			check("PutBucketCors", sdkErr(other.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("owned"),
				CORSConfiguration: &types.CORSConfiguration{CORSRules: evil}})))
			wantOrigin := corsRules[0].AllowedOrigins[0]
			if tc.code == "" {
				wantOrigin = "https://evil.example"
			}
			if got := rules(); len(got) == 0 || got[0].AllowedOrigins[0] != wantOrigin {
				t.Errorf("after PutBucketCors: %+v, want the first origin %s", got, wantOrigin)
			}

			check("DeleteBucketCors", sdkErr(other.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("owned")})))
			_, err = owner.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("owned")})
			if tc.code == "" {
				wantAPIError(t, err, "NoSuchCORSConfiguration")
			} else if err != nil {
				t.Errorf("after a refused DeleteBucketCors: %v", err)
			}
		})
	}
}

// TestCorsAuthorizationSkipped checks that the proxy asks the store
// nothing of the upstream keys' own requests, which it serves with those
// keys anyway, nor of anyone's when it has no keys, where anyone may.
// The upstream keys are asked about as any other's with
// CheckUpstreamKeys, which s3cors proxy sets when they are a client's
// pair by default.
func TestCorsAuthorizationSkipped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		keys map[string]string
	}{
		{"upstream keys", map[string]string{upstreamAccessKey: upstreamSecretKey, otherAccessKey: otherSecretKey}},
		{"no keys", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := gofakes3.New(s3mem.New(), gofakes3.WithAutoBucket(false))
			up := &scriptedAuth{next: fake.Server(), acl: scripted(403, "AccessDenied"), head: scripted(403, "")}
			srv := httptest.NewServer(up)
			t.Cleanup(srv.Close)
			front, _ := startProxy(t, s3proxy.Options{Upstream: srv.URL, UpstreamAccessKey: upstreamAccessKey,
				UpstreamSecretKey: upstreamSecretKey, Keys: tc.keys})
			client := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
			ctx := context.Background()
			putRules(t, client, "owned")
			_, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("owned")})
			mustOK(t, err)
			mustOK(t, sdkErr(client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("owned")})))
			up.mu.Lock()
			defer up.mu.Unlock()
			if up.probes != 0 {
				t.Errorf("%d requests for ?acl reached the store", up.probes)
			}
		})
	}
	t.Run("upstream keys checked", func(t *testing.T) {
		t.Parallel()
		verifier, err := sigv.New(sigv.Options{AccessKey: otherAccessKey, SecretKey: otherSecretKey})
		if err != nil {
			t.Fatal(err)
		}
		fake := gofakes3.New(s3mem.New(), gofakes3.WithAutoBucket(false))
		up := &scriptedAuth{next: fake.Server(), verifier: verifier, putCors: scripted(403, "AccessDenied"), getCors: scripted(403, "AccessDenied")}
		srv := httptest.NewServer(up)
		t.Cleanup(srv.Close)
		// otherAccessKey is the upstream pair, as the first pair of
		// --credentials is without --upstream-access-key.
		front, _ := startProxy(t, s3proxy.Options{Upstream: srv.URL, UpstreamAccessKey: otherAccessKey, UpstreamSecretKey: otherSecretKey,
			CheckUpstreamKeys: true, Keys: map[string]string{otherAccessKey: otherSecretKey}})
		client := sdkClient(front.URL, otherAccessKey, otherSecretKey)
		ctx := context.Background()
		mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("owned")})))
		up.requests()
		wantAPIError(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("owned"),
			CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}})), "AccessDenied")
		_, err = client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("owned")})
		wantAPIError(t, err, "AccessDenied")
		wantAPIError(t, sdkErr(client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("owned")})), "AccessDenied")
		// The HEADs are the proxy's own, with the same pair.
		want := []string{"HEAD /owned", "PUT /owned?cors", "GET /owned?cors", "HEAD /owned", "PUT /owned?cors"}
		if got := up.requests(); !slices.Equal(got, want) {
			t.Errorf("the store was asked %q, want %q", got, want)
		}
	})
}

// TestCorsAuthorizationServe puts the proxy in front of s3cors serve,
// which takes one key pair: a second pair the proxy holds, which serve
// refuses (InvalidAccessKeyId), gets AccessDenied for each CORS
// operation, before the body is read and before it would learn whether
// the bucket has a configuration, and the operator a warning; serve's own
// pair is still served, also when it is checked as a client's
// (CheckUpstreamKeys): serve refuses the probe's body to it.
func TestCorsAuthorizationServe(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
	var logs logBuffer
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey,
		Keys:   map[string]string{upstreamAccessKey: upstreamSecretKey, otherAccessKey: otherSecretKey},
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	owner := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
	other := sdkClient(front.URL, otherAccessKey, otherSecretKey)
	ctx := context.Background()
	putRules(t, owner, "configured")
	mustOK(t, sdkErr(owner.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bare")})))

	_, err := other.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("configured")})
	wantAPIError(t, err, "AccessDenied")
	_, err = other.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("bare")})
	wantAPIError(t, err, "AccessDenied") // not NoSuchCORSConfiguration
	wantAPIError(t, sdkErr(other.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("configured")})), "AccessDenied")
	ep := &vectortest.Endpoint{URL: front.URL, HTTP: testClient, AccessKey: otherAccessKey, SecretKey: otherSecretKey}
	malformed := []byte("<CORSConfiguration><CORSRule>")
	r := ep.Signed(t, ep.Request(t, "PUT", "/configured?cors", malformed, "Content-MD5", vectortest.ContentMD5(malformed)), malformed)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(string(r.Body), "<Code>AccessDenied</Code>") {
		t.Errorf("malformed PutBucketCors signed with a pair serve refuses: %d %s, want 403 AccessDenied", r.StatusCode, r.Body)
	}
	// Existence first, as S3 tells it.
	_, err = other.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("missing")})
	wantAPIError(t, err, "NoSuchBucket")

	out, err := owner.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("configured")})
	if err != nil || len(out.CORSRules) != 1 {
		t.Errorf("the owner's GetBucketCors: %v, %v", out, err)
	}

	// serve's own pair, checked (CheckUpstreamKeys): serve refuses the
	// probe's body (400 MalformedXML) and answers GetBucketCors.
	checked, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey,
		CheckUpstreamKeys: true, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey, otherAccessKey: otherSecretKey}})
	serveOwner := sdkClient(checked.URL, upstreamAccessKey, upstreamSecretKey)
	mustOK(t, sdkErr(serveOwner.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("bare"), CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}})))
	_, err = serveOwner.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("bare")})
	mustOK(t, err)
	mustOK(t, sdkErr(serveOwner.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("bare")})))
	_, err = sdkClient(checked.URL, otherAccessKey, otherSecretKey).GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("configured")})
	wantAPIError(t, err, "AccessDenied")

	want := `msg="the store does not take a client's key pair the proxy holds; its requests are refused" access_key=` + otherAccessKey
	logs.mu.Lock()
	defer logs.mu.Unlock()
	if !strings.Contains(logs.buf.String(), want) {
		t.Errorf("log:\n%s\nwant a line with %s", logs.buf.String(), want)
	}
}
