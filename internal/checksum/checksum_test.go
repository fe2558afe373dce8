package checksum

import (
	"encoding/hex"
	"testing"
)

// TestCheckValues compares each algorithm with the check value of its
// definition ("123456789" in the CRC catalogue; FIPS 180's "abc").
func TestCheckValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, input, want string }{
		{"CRC32", "123456789", "cbf43926"},
		{"CRC32C", "123456789", "e3069283"},
		{"CRC64NVME", "123456789", "ae8b14860a799888"},
		{"SHA1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{"SHA256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"SHA512", "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
		// RFC 1321's test suite.
		{"MD5", "", "d41d8cd98f00b204e9800998ecf8427e"},
		{"MD5", "abc", "900150983cd24fb0d6963f7d28e17f72"},
		// The xxHash reference values for the empty input, seed 0, and
		// those of AWS's aws-checksums (tests/xxhash_test.c) for "Hello
		// world", written big-endian, XXH3-128's high half first, as
		// aws-checksums writes them. UNVERIFIED against S3 itself.
		{"XXHASH64", "", "ef46db3751d8e999"},
		{"XXHASH64", "Hello world", "c500b0c912b376d8"},
		{"XXHASH3", "", "2d06800538d394c2"},
		{"XXHASH3", "Hello world", "b6acb9d84a38ff74"},
		{"XXHASH128", "", "99aa06d3014798d86001c324468d497f"},
		{"XXHASH128", "Hello world", "7351f89812f97382b91d05b31e04dd7f"},
	} {
		t.Run(tc.name+"/"+tc.input, func(t *testing.T) {
			t.Parallel()
			a, ok := ByName(tc.name)
			if !ok {
				t.Fatalf("ByName(%q) found nothing", tc.name)
			}
			h := a.New()
			h.Write([]byte(tc.input))
			if got := hex.EncodeToString(h.Sum(nil)); got != tc.want {
				t.Errorf("%s(%q) = %s, want %s", tc.name, tc.input, got, tc.want)
			}
			if len(h.Sum(nil)) != a.Size {
				t.Errorf("%s: digest of %d bytes, Size says %d", tc.name, len(h.Sum(nil)), a.Size)
			}
			if b, ok := ByHeader("x-amz-checksum-" + tc.name); !ok || b != a {
				t.Errorf("ByHeader(x-amz-checksum-%s) = %v, %v", tc.name, b, ok)
			}
		})
	}
}
