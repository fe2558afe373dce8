package checksum_test

import (
	"net/http"
	"testing"

	"github.com/s3cors/s3cors/internal/checksum"
)

// Checksums of "Hello world" in base64, from reference values outside
// this code: MD5 from crypto/md5's definition (RFC 1321), the xxhashes
// from AWS's aws-checksums tests (tests/xxhash_test.c), big-endian,
// XXH3-128's high half first, as aws-checksums writes them.
//
// UNVERIFIED: S3's own answers to these headers were not captured; the
// byte order is AWS's client library's.
const (
	md5OfHelloWorld       = "PiWWCnnbxptnTNTsZ6csYg==" // 3e25960a79dbc69b674cd4ec67a72c62
	xxhash64OfHelloWorld  = "xQCwyRKzdtg="             // c500b0c912b376d8
	xxhash3OfHelloWorld   = "tqy52Eo4/3Q="             // b6acb9d84a38ff74
	xxhash128OfHelloWorld = "c1H4mBL5c4K5HQWzHgTdfw==" // 7351f89812f97382b91d05b31e04dd7f
)

// TestAdded2025 checks the algorithms S3 added in 2025 as the others
// are checked: a header holding the body's checksum is taken, another
// value is BadDigest, a value of the wrong size or encoding is
// InvalidRequest, and x-amz-trailer and x-amz-sdk-checksum-algorithm
// name them. Before, these headers passed unchecked.
func TestAdded2025(t *testing.T) {
	t.Parallel()
	const body = "Hello world"
	for _, tc := range []struct {
		name, header, value, want string
	}{
		{"MD5", "x-amz-checksum-md5", md5OfHelloWorld, ""},
		{"XXHASH64", "x-amz-checksum-xxhash64", xxhash64OfHelloWorld, ""},
		{"XXHASH3", "x-amz-checksum-xxhash3", xxhash3OfHelloWorld, ""},
		{"XXHASH128", "x-amz-checksum-xxhash128", xxhash128OfHelloWorld, ""},
		{"MD5", "x-amz-checksum-md5", "1B2M2Y8AsgTpgAmY7PhCfg==", "BadDigest: The MD5 you specified did not match the calculated checksum."},
		{"XXHASH64", "x-amz-checksum-xxhash64", "70bbN1HY6Zk=", "BadDigest: The XXHASH64 you specified did not match the calculated checksum."},
		{"XXHASH3", "x-amz-checksum-xxhash3", "LQaABTjTlMI=", "BadDigest: The XXHASH3 you specified did not match the calculated checksum."},
		{"XXHASH128", "x-amz-checksum-xxhash128", "maoG0wFHmNhgAcMkRo1Jfw==", "BadDigest: The XXHASH128 you specified did not match the calculated checksum."},
		// The little-endian form of the right XXH64 is not taken.
		{"XXHASH64", "x-amz-checksum-xxhash64", "2HazEsmwAMU=", "BadDigest: The XXHASH64 you specified did not match the calculated checksum."},
		// XXH3-128 with its halves swapped is not taken.
		{"XXHASH128", "x-amz-checksum-xxhash128", "uR0Fsx4E3X9zUfiYEvlzgg==", "BadDigest: The XXHASH128 you specified did not match the calculated checksum."},
		{"MD5", "x-amz-checksum-md5", xxhash64OfHelloWorld, "InvalidRequest: Value for x-amz-checksum-md5 header is invalid."},
		{"XXHASH64", "x-amz-checksum-xxhash64", md5OfHelloWorld, "InvalidRequest: Value for x-amz-checksum-xxhash64 header is invalid."},
		{"XXHASH3", "x-amz-checksum-xxhash3", "tqy52Eo4/3Q", "InvalidRequest: Value for x-amz-checksum-xxhash3 header is invalid."},
		{"XXHASH128", "x-amz-checksum-xxhash128", xxhash3OfHelloWorld, "InvalidRequest: Value for x-amz-checksum-xxhash128 header is invalid."},
	} {
		t.Run(tc.header+"/"+tc.value, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			h.Set(tc.header, tc.value)
			in, err := checksum.Parse(h)
			if err == nil {
				if a := in.Algorithm(); a == nil || a.Name != tc.name {
					t.Fatalf("Parse(%s).Algorithm() = %v, want %s", tc.header, a, tc.name)
				}
				err = in.Check([]byte(body))
			}
			if got := errorText(t, err); got != tc.want {
				t.Errorf("%s: %s on %q = %q, want %q", tc.header, tc.value, body, got, tc.want)
			}
		})
	}
}

// TestAdded2025Named checks that x-amz-trailer, x-amz-sdk-checksum-algorithm
// and ByName know the algorithms S3 added in 2025.
func TestAdded2025Named(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"MD5", "XXHASH64", "XXHASH3", "XXHASH128"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if a, ok := checksum.ByName(name); !ok || a.Name != name {
				t.Errorf("ByName(%s) = %v, %v", name, a, ok)
			}
			h := http.Header{}
			h.Set("x-amz-trailer", "x-amz-checksum-"+name)
			h.Set("x-amz-sdk-checksum-algorithm", name)
			in, err := checksum.Parse(h)
			if err != nil || in.Trailer() == nil || in.Trailer().Name != name {
				t.Errorf("Parse(trailer %s) = %v, %v", name, in.Trailer(), err)
			}
			h.Set("x-amz-sdk-checksum-algorithm", "CRC32")
			if _, err := checksum.Parse(h); errorText(t, err) != "InvalidRequest: Value for x-amz-sdk-checksum-algorithm header is invalid." {
				t.Errorf("Parse(trailer %s, sdk CRC32) = %v", name, err)
			}
		})
	}
}
