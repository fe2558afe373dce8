package checksum_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/s3cors/s3cors/internal/checksum"
)

// TestCombine checks Combine against the reference: the CRC of the
// concatenation, computed by the hash itself.
func TestCombine(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"CRC32", "CRC32C", "CRC64NVME"} {
		algo, _ := checksum.ByName(name)
		if !checksum.FullObject(name) {
			t.Fatalf("FullObject(%s) = false", name)
		}
		for _, sizes := range [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {100, 3}, {4096, 77777}, {5 << 20, 1}} {
			a, b := make([]byte, sizes[0]), make([]byte, sizes[1])
			for i := range a {
				a[i] = byte(rng.Uint32())
			}
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			sum := func(p ...[]byte) []byte {
				h := algo.New()
				for _, x := range p {
					h.Write(x)
				}
				return h.Sum(nil)
			}
			got, ok := checksum.Combine(name, sum(a), sum(b), int64(len(b)))
			if want := sum(a, b); !ok || !bytes.Equal(got, want) {
				t.Errorf("%s %v: Combine = %x, %v; the CRC of both is %x", name, sizes, got, ok, want)
			}
		}
	}
	for _, name := range []string{"SHA1", "SHA256", "MD5"} {
		if checksum.FullObject(name) {
			t.Errorf("FullObject(%s) = true", name)
		}
		if _, ok := checksum.Combine(name, []byte{1}, []byte{2}, 1); ok {
			t.Errorf("Combine(%s) combined", name)
		}
	}
	// Digests of another size than the CRC's are refused, whichever of
	// the two is wrong, before they are read.
	for _, tc := range []struct {
		name string
		a, b []byte
	}{
		{"CRC32", make([]byte, 3), make([]byte, 4)},
		{"CRC32", make([]byte, 4), make([]byte, 8)},
		{"CRC32C", make([]byte, 8), make([]byte, 8)},
		{"CRC64NVME", make([]byte, 8), make([]byte, 4)},
		{"CRC64NVME", make([]byte, 4), make([]byte, 8)},
	} {
		if sum, ok := checksum.Combine(tc.name, tc.a, tc.b, 1); ok {
			t.Errorf("Combine(%s, %d bytes, %d bytes) = %x, want a refusal", tc.name, len(tc.a), len(tc.b), sum)
		}
	}
}
