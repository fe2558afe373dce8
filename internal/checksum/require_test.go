package checksum_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/s3err"
)

// Digests of the RFC 1321 test suite, MD5("") and MD5("abc"), as
// Content-MD5 carries them (base64 of the bytes, by openssl md5 -binary).
const (
	md5OfEmpty    = "1B2M2Y8AsgTpgAmY7PhCfg=="
	md5OfEmptyHex = "d41d8cd98f00b204e9800998ecf8427e"
	md5OfABC      = "kAFQmDzST7DWlj99KOF/cg=="
)

// readResult is what a Read* function answered, in a form to compare:
// the body taken, or the error's status, code and details.
type readResult struct {
	body          string
	status        int
	code          string
	expected, got string // BadDigest's ExpectedDigest and CalculatedDigest
}

// resultOf turns a Read* function's answer into a readResult.
func resultOf(t *testing.T, body []byte, err error) readResult {
	t.Helper()
	if err == nil {
		return readResult{body: string(body)}
	}
	var e *s3err.Error
	if !errors.As(err, &e) {
		t.Fatalf("%v is not an S3 error", err)
	}
	res := readResult{status: e.StatusCode, code: e.Code}
	for _, d := range e.Details {
		switch d.Name {
		case "ExpectedDigest":
			res.expected = d.Value
		case "CalculatedDigest":
			res.got = d.Value
		}
	}
	return res
}

// TestReadChecked checks the integrity headers S3 requires of a
// configuration PUT and of DeleteObjects (spec §2 V15 and V16): one of
// Content-MD5 or a checksum must be there, and a body that does not match
// it is BadDigest, whose ExpectedDigest is in hex for a PUT and as sent
// for a POST (dandi/dandi-cli#1257; Swift's s3api test_input_errors.py),
// and whose CalculatedDigest is the body's MD5 in base64.
func TestReadChecked(t *testing.T) {
	t.Parallel()
	badDigest := func(expected string) readResult {
		return readResult{status: 400, code: "BadDigest", expected: expected, got: md5OfABC}
	}
	for _, tc := range []struct {
		name, method, body string
		header             []string
		want               readResult
	}{
		{"no integrity header", http.MethodPut, "abc", nil, readResult{status: 400, code: "InvalidRequest"}},
		{"a tolerated header only", http.MethodPut, "abc", []string{"x-amz-checksum-type", "COMPOSITE"}, readResult{status: 400, code: "InvalidRequest"}},
		{"Content-MD5 that matches", http.MethodPut, "abc", []string{"Content-MD5", md5OfABC}, readResult{body: "abc"}},
		{"a CRC32 that matches", http.MethodPut, "123456789", []string{"x-amz-checksum-crc32", crc32Of123456789}, readResult{body: "123456789"}},
		{"a CRC32 that does not match", http.MethodPut, "abc", []string{"x-amz-checksum-crc32", crc32Of123456789}, readResult{status: 400, code: "BadDigest"}},
		{"Content-MD5 that does not match, PUT", http.MethodPut, "abc", []string{"Content-MD5", md5OfEmpty}, badDigest(md5OfEmptyHex)},
		{"Content-MD5 that does not match, POST", http.MethodPost, "abc", []string{"Content-MD5", md5OfEmpty}, badDigest(md5OfEmpty)},
		{"Content-MD5 that is not base64", http.MethodPut, "abc", []string{"Content-MD5", md5OfEmptyHex}, readResult{status: 400, code: "InvalidDigest"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tc.method, "/bucket?cors", strings.NewReader(tc.body))
			for i := 0; i < len(tc.header); i += 2 {
				r.Header.Add(tc.header[i], tc.header[i+1])
			}
			body, _, err := checksum.ReadChecked(r, 1024, nil)
			if got := resultOf(t, body, err); got != tc.want {
				t.Errorf("ReadChecked = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestReadMD5Checked checks CompleteMultipartUpload's body as S3 does:
// against its Content-MD5 only, when there is one. Its x-amz-checksum-*
// names the object's checksum, not the body's, and a completion with a
// CRC32 of something else succeeds (Swift's s3api checks against S3).
func TestReadMD5Checked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		header []string
		want   readResult
	}{
		{"no header", nil, readResult{body: "abc"}},
		{"a CRC32 of something else", []string{"x-amz-checksum-crc32", crc32Of123456789}, readResult{body: "abc"}},
		{"Content-MD5 that matches", []string{"Content-MD5", md5OfABC}, readResult{body: "abc"}},
		{"Content-MD5 that does not match", []string{"Content-MD5", md5OfEmpty}, readResult{status: 400, code: "BadDigest", expected: md5OfEmpty, got: md5OfABC}},
		{"Content-MD5 that is not base64", []string{"Content-MD5", "abc"}, readResult{status: 400, code: "InvalidDigest"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "/bucket/key?uploadId=1", strings.NewReader("abc"))
			for i := 0; i < len(tc.header); i += 2 {
				r.Header.Add(tc.header[i], tc.header[i+1])
			}
			body, _, err := checksum.ReadMD5Checked(r, 1024, nil)
			if got := resultOf(t, body, err); got != tc.want {
				t.Errorf("ReadMD5Checked = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestClaimsHeader gives back the checksum header as the request sent
// it, which S3 echoes in its answer to an upload, and nothing for a
// request with only Content-MD5.
func TestClaimsHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, header, value string
		wantName            string
		wantOK              bool
	}{
		{"a CRC32", "x-amz-checksum-crc32", crc32Of123456789, "X-Amz-Checksum-Crc32", true},
		{"Content-MD5", "Content-MD5", md5OfABC, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in, err := checksum.Parse(http.Header{http.CanonicalHeaderKey(tc.header): {tc.value}})
			if err != nil {
				t.Fatal(err)
			}
			name, value, ok := in.Header()
			wantValue := tc.value
			if !tc.wantOK {
				wantValue = ""
			}
			if name != tc.wantName || value != wantValue || ok != tc.wantOK {
				t.Errorf("Header() = %q, %q, %v, want %q, %q, %v", name, value, ok, tc.wantName, wantValue, tc.wantOK)
			}
		})
	}
}

// TestParseToleratedHeadersKeepLooking checks that a tolerated
// x-amz-checksum-type, -algorithm or -mode does not end the reading of
// the other checksum headers: a header of no algorithm beside them is
// still refused. Parse reads a map, in an order that changes from run to
// run, so it is asked many times.
func TestParseToleratedHeadersKeepLooking(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	for _, name := range []string{"x-amz-checksum-type", "x-amz-checksum-algorithm", "x-amz-checksum-mode", "x-amz-checksum-bad"} {
		h.Set(name, "x")
	}
	for range 64 {
		if _, err := checksum.Parse(h); err == nil {
			t.Fatalf("Parse(%v) took x-amz-checksum-bad", h)
		}
	}
}

// timeoutError is a net.Error that timed out, as net/http's servers give
// when a client pauses past ReadTimeout.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// TestBodyError answers a failed read of a body with S3's errors
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
// RequestTimeout for a client that paused too long, IncompleteBody for a
// body cut short, and an S3 error from the reader as it is.
func TestBodyError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"a read that timed out", timeoutError{}, "RequestTimeout"},
		{"a body cut short", io.ErrUnexpectedEOF, "IncompleteBody"},
		{"an S3 error", s3err.New(http.StatusForbidden, "SignatureDoesNotMatch", "m"), "SignatureDoesNotMatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := checksum.BodyError(tc.err); got.Code != tc.want {
				t.Errorf("BodyError(%v) = %s, want %s", tc.err, got.Code, tc.want)
			}
		})
	}
}
