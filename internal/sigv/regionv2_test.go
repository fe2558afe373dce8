package sigv_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/sigv/sigvtest"
	"github.com/s3cors/s3cors/s3err"
)

// TestSigV2Regions sends the guide's header and presigned URL, and a
// form signed with version 2, to verifiers of several regions: S3 takes
// Signature Version 2 only in the regions launched before 2014, and
// answers it elsewhere with 400 InvalidRequest "The authorization
// mechanism you have provided is not supported. Please use
// AWS4-HMAC-SHA256." (recorded from eu-central-1, eu-west-2, ap-south-1
// and ca-central-1), whatever the signature: a wrong one is refused so
// too. Version 4 is unaffected.
func TestSigV2Regions(t *testing.T) {
	t.Parallel()
	headerDate := time.Date(2007, 3, 27, 19, 36, 42, 0, time.UTC)
	expires := time.Unix(1175139620, 0)
	p := policy(`{"expiration": "2030-01-01T00:00:00Z", "conditions": []}`)
	form := []sigv.FormField{{"AWSAccessKeyId", sigvtest.DocAccessKey}, {"policy", p}, {"signature", signPostV2(p)}}
	const message = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
	for _, tc := range []struct {
		region string
		takes  bool
	}{
		{"", true}, {"us-east-1", true}, {"us-west-1", true}, {"us-west-2", true}, {"eu-west-1", true},
		{"ap-northeast-1", true}, {"ap-southeast-1", true}, {"ap-southeast-2", true}, {"sa-east-1", true},
		{"us-gov-west-1", true}, // UNVERIFIED: launched in 2011; no answer recorded
		{"eu-central-1", false}, {"eu-west-2", false}, {"ap-south-1", false}, {"ca-central-1", false},
		{"us-east-2", false}, {"me-central-1", false}, {"garage", false}, {"US-EAST-1", false},
	} {
		t.Run(tc.region, func(t *testing.T) {
			t.Parallel()
			verifier := func(now time.Time) *sigv.Verifier {
				v, err := sigv.New(sigv.Options{AccessKey: sigvtest.DocAccessKey, SecretKey: sigvtest.DocSecretKey, Region: tc.region,
					Now: func() time.Time { return now }})
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			check := func(what string, err error, want string) {
				t.Helper()
				if tc.takes {
					if want == "" && err != nil || want != "" && !isCode(err, want) {
						t.Errorf("%s: %v, want %q", what, err, want)
					}
					return
				}
				e, ok := errors.AsType[*s3err.Error](err)
				if !ok || e.StatusCode != 400 || e.Code != "InvalidRequest" || e.Message != message {
					t.Errorf("%s: %v, want 400 InvalidRequest %q", what, err, message)
				}
			}
			verify := func(request string, now time.Time) error {
				r := sigvtest.ReadRequest(t, request+"\n")
				_, err := verifier(now).Verify(r, sigv.ParseQuery(r.URL.RawQuery))
				return err
			}
			check("the header", verify(sigvtest.DocGoldens[0].Request, headerDate), "")
			check("the header, signature changed", verify(strings.Replace(sigvtest.DocGoldens[0].Request, ":bWq2", ":cWq2", 1), headerDate), "SignatureDoesNotMatch")
			check("the URL", verify(sigvtest.DocGoldens[8].Request, expires.Add(-time.Second)), "")
			check("the URL, signature changed", verify(strings.Replace(sigvtest.DocGoldens[8].Request, "=NpgC", "=MpgC", 1), expires.Add(-time.Second)), "SignatureDoesNotMatch")
			_, err := verifier(headerDate).VerifyPost(form)
			check("the form", err, "")
		})
	}
}
