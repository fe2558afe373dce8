package sigv_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/sigv/sigvtest"
	"github.com/s3cors/s3cors/s3err"
)

// TestSignerAWSExamples signs the requests of AWS's documented examples
// that sign only Host and the two headers the Signer sets: the
// signatures must be AWS's, verbatim.
func TestSignerAWSExamples(t *testing.T) {
	t.Parallel()
	s := &sigv.Signer{AccessKey: sigvtest.DocAccessKey, SecretKey: sigvtest.DocSecretKey}
	for _, c := range []struct{ name, target, want string }{
		{"GET Bucket Lifecycle", "/?lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
		{"Get Bucket (List Objects)", "/?max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(http.MethodGet, "http://examplebucket.s3.amazonaws.com"+c.target, nil)
			if err != nil {
				t.Fatal(err)
			}
			s.Sign(r, sigv.EmptySHA256, awsExampleTime)
			want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
				"SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + c.want
			if got := r.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization:\n got %s\nwant %s", got, want)
			}
			if got := r.Header.Get("X-Amz-Date"); got != "20130524T000000Z" {
				t.Errorf("X-Amz-Date = %q", got)
			}
		})
	}
}

// TestSignerAsSDK signs requests with the headers the proxy sends as
// aws-sdk-go-v2's signer does, and verifies them with a Verifier.
func TestSignerAsSDK(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	body := "<CORSConfiguration/>"
	for _, c := range []struct {
		name, method, target, body string
		header                     map[string]string
	}{
		{"GET with a query", http.MethodGet, "/cfg/photos/cors.xml?x-id=GetObject", "", map[string]string{"If-None-Match": `"abc"`}},
		{"HEAD of a bucket", http.MethodHead, "/photos", "", nil},
		{"PUT with Content-MD5", http.MethodPut, "/cfg/a.b-c_D/cors.xml", body,
			map[string]string{"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==", "Content-Type": "application/xml", "X-Amz-Meta-Source": "s3cors"}},
		{"a key to escape", http.MethodDelete, "/cfg/a%20b%2Bc/%E2%82%AC", "", nil},
		// Sorted by name, then value: "a" before "a-b" and "v" before
		// "v2", though '-' and '2' sort below '=' in the joined pairs.
		{"names one extends", http.MethodGet, "/photos?v2=2&a-b=2&a=1&v=1&a=0&a.c=3", "", nil},
		// A value in UTF-8 keeps its spaces that are not ASCII: the SDK
		// folds only runs of ' ' (StripExcessSpaces).
		{"spaces beyond ASCII", http.MethodPut, "/cfg/k", body, map[string]string{"X-Amz-Meta-Title": "東京\u3000\u3000タワー",
			"Content-Disposition": "attachment; filename=\"a\u00a0b\u2003c.pdf\"", "X-Amz-Meta-Spaces": "a   b  c"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			build := func() *http.Request {
				r, err := http.NewRequest(c.method, "http://127.0.0.1:9000"+c.target, strings.NewReader(c.body))
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range c.header {
					r.Header.Set(k, v)
				}
				return r
			}
			hash := sigv.PayloadHash([]byte(c.body))
			ours := build()
			(&sigv.Signer{AccessKey: "AKID", SecretKey: "SECRET", Region: "eu-west-3"}).Sign(ours, hash, now)
			theirs := build()
			theirs.Header.Set("X-Amz-Content-Sha256", hash)
			err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"},
				theirs, hash, "s3", "eu-west-3", now, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ours.Header.Get("Authorization"), theirs.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization:\n got %s\nwant %s (aws-sdk-go-v2)", got, want)
			}
			v, err := sigv.New(sigv.Options{AccessKey: "OTHER", SecretKey: "OTHER", Keys: map[string]string{"AKID": "SECRET"},
				Region: "eu-west-3", Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			for who, r := range map[string]*http.Request{"ours": ours, "aws-sdk-go-v2's": theirs} {
				r.RequestURI = r.URL.RequestURI()
				sig, err := v.Verify(r, sigv.ParseQuery(r.URL.RawQuery))
				if err != nil || sig.AccessKey != "AKID" || sig.Version != 4 {
					t.Errorf("Verify of %s = %+v, %v", who, sig, err)
				}
			}
		})
	}
}

// TestVerifierKeys checks requests signed with each of a Verifier's
// pairs, and one signed with a secret that goes with another access key.
func TestVerifierKeys(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	v, err := sigv.New(sigv.Options{AccessKey: "FIRST", SecretKey: "first-secret",
		Keys: map[string]string{"SECOND": "second-secret", "THIRD": "third-secret"}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ access, secret, code string }{
		{"FIRST", "first-secret", ""},
		{"SECOND", "second-secret", ""},
		{"THIRD", "third-secret", ""},
		{"SECOND", "third-secret", "SignatureDoesNotMatch"},
		{"FOURTH", "first-secret", "InvalidAccessKeyId"},
	} {
		r, _ := http.NewRequest(http.MethodGet, "http://localhost/b?cors", nil)
		(&sigv.Signer{AccessKey: c.access, SecretKey: c.secret}).Sign(r, sigv.EmptySHA256, now)
		r.RequestURI = r.URL.RequestURI()
		_, err := v.Verify(r, url.Values{"cors": {""}})
		if c.code == "" && err != nil || c.code != "" && !isCode(err, c.code) {
			t.Errorf("%s with %s's secret: %v, want %q", c.access, c.secret, err, c.code)
		}
	}
	if _, err := sigv.New(sigv.Options{AccessKey: "A", SecretKey: "S", Keys: map[string]string{"B": ""}}); err == nil {
		t.Error("New took a pair without its secret key")
	}
}

// TestPayloadHashUpperCase checks a body signed with its SHA-256 in
// upper-case hex, which the header check takes as "a valid sha256
// value": the body that has that hash passes, one that has not is
// XAmzContentSHA256Mismatch. UNVERIFIED: S3's answer to upper-case hex
// was not captured; taking the value it does not refuse and then
// refusing every body sent with it would fail a right body as a wrong one.
func TestPayloadHashUpperCase(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	body := "<CORSConfiguration/>"
	hash := strings.ToUpper(sigv.PayloadHash([]byte(body)))
	v, err := sigv.New(sigv.Options{AccessKey: "AKID", SecretKey: "SECRET", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sent    string
		wantErr bool
	}{{body, false}, {"<CORSConfiguration />", true}} {
		r, err := http.NewRequest(http.MethodPut, "http://127.0.0.1:9000/b/k", strings.NewReader(c.sent))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("X-Amz-Content-Sha256", hash)
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"},
			r, hash, "s3", "us-east-1", now, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
			t.Fatal(err)
		}
		r.RequestURI = r.URL.RequestURI()
		sig, err := v.Verify(r, sigv.ParseQuery(r.URL.RawQuery))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		_, err = io.ReadAll(sig.Body(r.Body))
		if e, ok := errors.AsType[*s3err.Error](err); c.wantErr != (ok && e.Code == "XAmzContentSHA256Mismatch") || !c.wantErr && err != nil {
			t.Errorf("reading %q signed as %s: %v", c.sent, hash, err)
		}
	}
}
