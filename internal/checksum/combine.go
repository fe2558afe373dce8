package checksum

import "encoding/binary"

// Reversed polynomials of the CRCs S3 computes, with their width in bits.
var crcPolys = map[string]struct {
	poly  uint64
	width int
}{
	"CRC32":     {0xedb88320, 32},
	"CRC32C":    {0x82f63b78, 32},
	"CRC64NVME": {0x9a6c9329ac4bc9b5, 64},
}

// FullObject reports whether the algorithm S3 names name can give a
// multipart upload a full-object checksum: the CRCs, whose values
// combine ([Combine]); the SHAs, MD5 and the xxhashes give only
// composite ones.
//
// UNVERIFIED: that S3 refuses FULL_OBJECT for MD5 and the xxhashes, as
// it does for SHA-1 and SHA-256; AWS's table of checksum types lists
// only the CRCs and the SHAs, and none of these values combine.
func FullObject(name string) bool {
	_, ok := crcPolys[name]
	return ok
}

// Combine returns the CRC of the bytes A then B, in the big-endian form
// S3 encodes (the digest the hash gives), from the CRC of A, the CRC of B
// and the length of B, for the CRC S3 names name: how S3 makes the
// full-object checksum of a multipart upload from its parts' checksums
// without reading them again. ok is false for an algorithm that is not a
// CRC, or digests of the wrong size.
func Combine(name string, a, b []byte, lenB int64) (sum []byte, ok bool) {
	p, ok := crcPolys[name]
	if !ok || len(a) != p.width/8 || len(b) != p.width/8 {
		return nil, false
	}
	crcA, crcB := fromDigest(a), fromDigest(b)
	out := combine(crcA, crcB, lenB, p.poly, p.width)
	if p.width == 32 {
		return binary.BigEndian.AppendUint32(nil, uint32(out)), true
	}
	return binary.BigEndian.AppendUint64(nil, out), true
}

// fromDigest reads a big-endian CRC digest, 4 bytes for the 32-bit
// checksums and 8 for CRC64NVME, as a number.
func fromDigest(d []byte) uint64 {
	if len(d) == 4 {
		return uint64(binary.BigEndian.Uint32(d))
	}
	return binary.BigEndian.Uint64(d)
}

// combine is zlib's crc32_combine for any reflected CRC with the initial
// value and final XOR all ones: it appends len2 zero bits to crc1 by
// repeated squaring of the operator that appends one zero bit, over
// GF(2), then adds crc2.
func combine(crc1, crc2 uint64, len2 int64, poly uint64, width int) uint64 {
	if len2 <= 0 {
		return crc1
	}
	var even, odd [64]uint64
	odd[0] = poly // the operator for one zero bit
	row := uint64(1)
	for n := 1; n < width; n++ {
		odd[n] = row
		row <<= 1
	}
	square(even[:width], odd[:width]) // two zero bits
	square(odd[:width], even[:width]) // four zero bits
	for {
		square(even[:width], odd[:width]) // one zero byte, then 4, 16, ...
		if len2&1 != 0 {
			crc1 = times(even[:width], crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
		square(odd[:width], even[:width])
		if len2&1 != 0 {
			crc1 = times(odd[:width], crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

// times multiplies the GF(2) matrix mat, one column a word, by the
// vector vec: it applies the operator mat stands for to a CRC.
func times(mat []uint64, vec uint64) uint64 {
	var sum uint64
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

// square writes mat times mat into dst: the operator applied twice, so
// that combine doubles the number of zero bits it appends each round.
func square(dst, mat []uint64) {
	for n := range mat {
		dst[n] = times(mat, mat[n])
	}
}
