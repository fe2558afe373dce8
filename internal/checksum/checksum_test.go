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
	} {
		t.Run(tc.name, func(t *testing.T) {
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
