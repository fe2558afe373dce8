package checksum_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/s3err"
)

// The CRC32 and SHA-1 of "123456789" in base64, as the checks against S3
// of OpenStack Swift's s3api (test/s3api/test_object_checksums.py) send
// them.
const (
	crc32Of123456789 = "y/Q5Jg=="
	sha1Of123456789  = "98O8HYCOBHMq32eZZczDTKeuNEE="
)

// parseError returns Parse's answer to the header given as name, value
// pairs: "" when it takes them, else the code and message of its error.
func parseError(t *testing.T, kv ...string) string {
	t.Helper()
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	_, err := checksum.Parse(h)
	if err == nil {
		return ""
	}
	var e *s3err.Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse: %v is not an S3 error", err)
	}
	return e.Code + ": " + e.Message
}

// TestParseCanonicalBase64 refuses a checksum in base64 that is not the
// one encoding of its digest, as S3 refuses it: the values S3 answered
// "Value for x-amz-checksum-crc32 header is invalid." in Swift's checks
// against it (test_object_checksums.py, INVALID) differ from the right
// ones only in the padding bits of their last character, which a
// lenient decoder drops.
func TestParseCanonicalBase64(t *testing.T) {
	t.Parallel()
	const invalidCRC32 = "InvalidRequest: Value for x-amz-checksum-crc32 header is invalid."
	for _, tc := range []struct {
		name, header, value, want string
	}{
		{"crc32 canonical", "x-amz-checksum-crc32", crc32Of123456789, ""},
		{"crc32 with a padding bit set", "x-amz-checksum-crc32", "y/Q5Jh==", invalidCRC32},
		{"crc32 without its padding", "x-amz-checksum-crc32", "y/Q5Jg", invalidCRC32},
		{"crc32 in the URL alphabet", "x-amz-checksum-crc32", "y_Q5Jg==", invalidCRC32},
		{"crc64nvme with a padding bit set", "x-amz-checksum-crc64nvme", "rosUhgp5mIh=", "InvalidRequest: Value for x-amz-checksum-crc64nvme header is invalid."},
		{"sha1 canonical", "x-amz-checksum-sha1", sha1Of123456789, ""},
		{"sha1 with a padding bit set", "x-amz-checksum-sha1", "98O8HYCOBHMq32eZZczDTKeuNEF=", "InvalidRequest: Value for x-amz-checksum-sha1 header is invalid."},
		{"sha256 with a padding bit set", "x-amz-checksum-sha256", "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiV=", "InvalidRequest: Value for x-amz-checksum-sha256 header is invalid."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := parseError(t, tc.header, tc.value); got != tc.want {
				t.Errorf("Parse(%s: %s) = %q, want %q", tc.header, tc.value, got, tc.want)
			}
		})
	}
}
