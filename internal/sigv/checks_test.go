package sigv_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/sigv/sigvtest"
	"github.com/s3cors/s3cors/s3err"
)

// verifyCode verifies request at now and returns "" when it is taken, else
// the code of S3's error.
func verifyCode(t *testing.T, request string, now time.Time) string {
	t.Helper()
	r := sigvtest.ReadRequest(t, request+"\n")
	_, err := awsVerifier(t, now).Verify(r, sigv.ParseQuery(r.URL.RawQuery))
	if err == nil {
		return ""
	}
	e, ok := errors.AsType[*s3err.Error](err)
	if !ok {
		t.Fatalf("Verify: %v is not an S3 error", err)
	}
	return e.Code
}

// replaceAll applies the pairs old, new of edits to s, each of which
// must be found.
func replaceAll(t *testing.T, s string, edits []string) string {
	t.Helper()
	for i := 0; i < len(edits); i += 2 {
		if !strings.Contains(s, edits[i]) {
			t.Fatalf("%q is not in the request", edits[i])
		}
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	return s
}

// TestPresignedChecks checks each limit S3 puts on a presigned URL of
// Signature Version 4 (sigv4-query-string-auth.html) on AWS's example,
// valid from 2013-05-24T00:00:00Z for 86400 seconds: X-Amz-Algorithm is
// AWS4-HMAC-SHA256; the credential's scope is DATE/REGION/s3/aws4_request
// with the date of X-Amz-Date; X-Amz-Expires is at most 604800 (seven
// days), and the URL is refused once it has passed, or while its
// X-Amz-Date is a day ahead. The URL is signed, so a limit that were not
// checked would give SignatureDoesNotMatch where these rows want the
// limit's own error.
func TestPresignedChecks(t *testing.T) {
	t.Parallel()
	const (
		queryError = "AuthorizationQueryParametersError"
		mismatch   = "SignatureDoesNotMatch"
		day        = 24 * time.Hour
	)
	for _, tc := range []struct {
		name  string
		edits []string // pairs old, new
		now   time.Time
		want  string
	}{
		{"a second before it expires", nil, awsExampleTime.Add(day - time.Second), ""},
		{"a second after it expires", nil, awsExampleTime.Add(day + time.Second), "AccessDenied"},
		{"dated a day ahead", []string{"%2F20130524%2F", "%2F20130525%2F", "X-Amz-Date=20130524", "X-Amz-Date=20130525"}, awsExampleTime, "AccessDenied"},
		{"a credential of another day", []string{"%2F20130524%2F", "%2F20130525%2F"}, awsExampleTime, queryError},
		{"X-Amz-Expires of -1", []string{"X-Amz-Expires=86400", "X-Amz-Expires=-1"}, awsExampleTime, queryError},
		{"X-Amz-Expires of a week", []string{"X-Amz-Expires=86400", "X-Amz-Expires=604800"}, awsExampleTime, mismatch},
		{"X-Amz-Expires of a week and a second", []string{"X-Amz-Expires=86400", "X-Amz-Expires=604801"}, awsExampleTime, queryError},
		// The six parameters the documentation lists are required: a URL
		// without its signature or its signed headers is refused as such.
		{"no X-Amz-Signature", []string{"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", ""}, awsExampleTime, queryError},
		{"no X-Amz-SignedHeaders", []string{"&X-Amz-SignedHeaders=host", ""}, awsExampleTime, queryError},
		{"another algorithm", []string{"X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA512"}, awsExampleTime, queryError},
		{"another service", []string{"%2Fs3%2F", "%2Fs4%2F"}, awsExampleTime, queryError},
		{"another terminator", []string{"aws4_request", "aws5_request"}, awsExampleTime, queryError},
		{"an Authorization header too", []string{"\nHost:", "\nAuthorization: AWS4-HMAC-SHA256 Credential=x\nHost:"}, awsExampleTime, "InvalidArgument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			request := replaceAll(t, awsV4Examples[4].request, tc.edits)
			if got := verifyCode(t, request, tc.now); got != tc.want {
				t.Errorf("Verify = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestHeaderChecks checks what S3 requires of the Authorization header of
// Signature Version 4 (sig-v4-header-based-auth.html), beside the
// signature, on AWS's GET Object example: a credential scoped to s3 and
// aws4_request, and an x-amz-content-sha256 that is the hex SHA-256 of
// the body or one of the tokens S3 lists; the ECDSA ones, of SigV4a, are
// not implemented.
func TestHeaderChecks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		edits []string
		want  string
	}{
		{"another service", []string{"/s3/aws4_request", "/s4/aws4_request"}, "AuthorizationHeaderMalformed"},
		{"another terminator", []string{"/aws4_request", "/aws5_request"}, "AuthorizationHeaderMalformed"},
		{"x-amz-content-sha256 not hex", []string{"x-amz-content-sha256: " + emptySHA256, "x-amz-content-sha256: " + strings.Repeat("g", 64)}, "InvalidArgument"},
		{"x-amz-content-sha256 short", []string{"x-amz-content-sha256: " + emptySHA256, "x-amz-content-sha256: " + emptySHA256[1:]}, "InvalidArgument"},
		{"x-amz-content-sha256 long", []string{"x-amz-content-sha256: " + emptySHA256, "x-amz-content-sha256: " + emptySHA256 + "00"}, "InvalidArgument"},
		// Only a presigned URL leaves its X-Amz-Signature out of the
		// canonical query; a header signature signs every parameter.
		{"an X-Amz-Signature parameter not signed", []string{"GET /test.txt HTTP", "GET /test.txt?X-Amz-Signature=1 HTTP"}, "SignatureDoesNotMatch"},
		{"ECDSA chunks", []string{"x-amz-content-sha256: " + emptySHA256, "x-amz-content-sha256: STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"}, "NotImplemented"},
		{"ECDSA chunks with a trailer", []string{"x-amz-content-sha256: " + emptySHA256, "x-amz-content-sha256: STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"}, "NotImplemented"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			request := replaceAll(t, awsV4Examples[0].request, tc.edits)
			if got := verifyCode(t, request, awsExampleTime); got != tc.want {
				t.Errorf("Verify = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSigV2Verify checks signatures of version 2 (RESTAuthentication.html)
// on the guide's examples, whose signatures are AWS's: one changed is
// SignatureDoesNotMatch, one of an unknown key InvalidAccessKeyId; an
// Authorization header other than "AWS KEY:SIGNATURE" is InvalidArgument,
// a URL without its three parameters AccessDenied; the Date of a signed header within 15 minutes of the clock,
// either way, else RequestTimeTooSkewed; a presigned URL refused after
// its Expires, seconds since 1970 (1175139620 is 2007-03-29T03:40:20Z).
func TestSigV2Verify(t *testing.T) {
	t.Parallel()
	headerDate := time.Date(2007, 3, 27, 19, 36, 42, 0, time.UTC)
	expires := time.Unix(1175139620, 0)
	for _, tc := range []struct {
		name    string
		request string
		now     time.Time
		want    string
	}{
		{"a header signed now", sigvtest.DocGoldens[0].Request, headerDate, ""},
		{"a header signed 15 minutes ago", sigvtest.DocGoldens[0].Request, headerDate.Add(15 * time.Minute), ""},
		{"a header signed 15 minutes and a second ago", sigvtest.DocGoldens[0].Request, headerDate.Add(15*time.Minute + time.Second), "RequestTimeTooSkewed"},
		{"a header signed 15 minutes and a second ahead", sigvtest.DocGoldens[0].Request, headerDate.Add(-15*time.Minute - time.Second), "RequestTimeTooSkewed"},
		{"a URL a second before it expires", sigvtest.DocGoldens[8].Request, expires.Add(-time.Second), ""},
		{"a URL a second after it expires", sigvtest.DocGoldens[8].Request, expires.Add(time.Second), "AccessDenied"},
		{"a header with a changed signature", strings.Replace(sigvtest.DocGoldens[0].Request, ":bWq2", ":cWq2", 1), headerDate, "SignatureDoesNotMatch"},
		{"a header of an unknown key", strings.Replace(sigvtest.DocGoldens[0].Request, "AWS AKIAIOSFODNN7EXAMPLE:", "AWS AKIAIOSFODNN7EXAMPLF:", 1), headerDate, "InvalidAccessKeyId"},
		{"a header without a signature", strings.Replace(sigvtest.DocGoldens[0].Request, ":bWq2s1WEIj+Ydj0vQ697zp+IXMU=", ":", 1), headerDate, "InvalidArgument"},
		{"a header with two colons", strings.Replace(sigvtest.DocGoldens[0].Request, ":bWq2", ":bWq2:", 1), headerDate, "InvalidArgument"},
		{"a header with a third part", strings.Replace(sigvtest.DocGoldens[0].Request, "IXMU=", "IXMU= x", 1), headerDate, "InvalidArgument"},
		{"a URL without Expires", strings.Replace(sigvtest.DocGoldens[8].Request, "&Expires=1175139620", "", 1), expires, "AccessDenied"},
		{"a URL without AWSAccessKeyId", strings.Replace(sigvtest.DocGoldens[8].Request, "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&", "", 1), expires, "AccessDenied"},
		{"a URL with a changed signature", strings.Replace(sigvtest.DocGoldens[8].Request, "=NpgC", "=MpgC", 1), expires, "SignatureDoesNotMatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := verifyCode(t, tc.request, tc.now); got != tc.want {
				t.Errorf("Verify = %q, want %q", got, tc.want)
			}
		})
	}
	// A URL that lacks one of the three parameters a URL signed with
	// version 2 needs (RESTAuthentication.html, Query string request
	// authentication) is AccessDenied naming all three, not the refusal
	// of an Expires that is not a number.
	for _, missing := range []string{"&Expires=1175139620", "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&", "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"} {
		r := sigvtest.ReadRequest(t, strings.Replace(sigvtest.DocGoldens[8].Request, missing, "", 1)+"\n")
		_, err := awsVerifier(t, expires).Verify(r, sigv.ParseQuery(r.URL.RawQuery))
		e, ok := errors.AsType[*s3err.Error](err)
		if !ok || e.Code != "AccessDenied" {
			t.Fatalf("a URL without %q: %v, want AccessDenied", missing, err)
		}
		for _, name := range []string{"Signature", "Expires", "AWSAccessKeyId"} {
			if !strings.Contains(e.Message, name) {
				t.Errorf("a URL without %q: %q does not name %s", missing, e.Message, name)
			}
		}
	}
}

// TestVerifyPostCredentialDate refuses a form whose X-Amz-Credential
// names another day than its X-Amz-Date, as S3 refuses a presigned URL
// (sigv4-HTTPPOSTConstructPolicy: the credential's date is the date of
// x-amz-date), whatever the signature; the form is signed with the key of
// the credential's day, so only that check refuses it.
func TestVerifyPostCredentialDate(t *testing.T) {
	t.Parallel()
	p := policy(`{"expiration": "2030-01-01T00:00:00Z", "conditions": []}`)
	fields := []sigv.FormField{
		{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"}, {"X-Amz-Credential", sigvtest.DocAccessKey + "/20130525/us-east-1/s3/aws4_request"},
		{"X-Amz-Date", "20130524T000000Z"}, {"Policy", p}, {"X-Amz-Signature", signPostV4(p, "20130525", "us-east-1")},
	}
	_, err := awsVerifier(t, awsExampleTime).VerifyPost(fields)
	if !isCode(err, "AuthorizationQueryParametersError") {
		t.Errorf("VerifyPost: %v, want AuthorizationQueryParametersError", err)
	}
}

// TestBodyCheckedAtEOFWithData checks the body of AWS's PUT Object
// example against its x-amz-content-sha256 when the reader gives its
// last bytes and io.EOF in one call, as io.Reader allows
// (testing/iotest.DataErrReader): a reader such as io.ReadAll stops
// there, so the mismatch must come with that call.
func TestBodyCheckedAtEOFWithData(t *testing.T) {
	t.Parallel()
	ex := awsV4Examples[1]
	r := sigvtest.ReadRequest(t, ex.request+"\n")
	sig, err := awsVerifier(t, awsExampleTime).Verify(r, sigv.ParseQuery(r.URL.RawQuery))
	if err != nil {
		t.Fatal(err)
	}
	for body, want := range map[string]string{ex.body: "", "Welcome to Amazon S4.": "XAmzContentSHA256Mismatch"} {
		_, err := io.ReadAll(sig.Body(io.NopCloser(iotest.DataErrReader(strings.NewReader(body)))))
		if want == "" && err != nil || want != "" && !isCode(err, want) {
			t.Errorf("reading %q: %v, want %q", body, err, want)
		}
	}
}
