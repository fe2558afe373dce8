package s3server

import (
	"hash/crc64"
	"testing"
)

func TestCRC64NVME(t *testing.T) {
	t.Parallel()
	// The check value of CRC-64/NVME (the CRC catalogue's "123456789").
	if got := crc64.Checksum([]byte("123456789"), nvme); got != 0xae8b14860a799888 {
		t.Errorf("CRC-64/NVME check value %#x, want 0xae8b14860a799888", got)
	}
}
