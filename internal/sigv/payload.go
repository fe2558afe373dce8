package sigv

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"strings"
)

// payloadVerifier checks a body against the SHA-256 its signature claims
// when the body ends, failing the read that reaches the end with S3's
// XAmzContentSHA256Mismatch.
type payloadVerifier struct {
	body io.ReadCloser
	h    hash.Hash
	want string
}

// Read passes the body on, and on the read that reaches its end returns
// XAmzContentSHA256Mismatch instead of io.EOF when the hash differs: a
// consumer must read to the end to learn the body was not what was signed.
func (p *payloadVerifier) Read(b []byte) (int, error) {
	n, err := p.body.Read(b)
	p.h.Write(b[:n])
	if err == io.EOF {
		// Without regard to case: the header check takes upper-case hex
		// as a valid SHA-256 (isSHA256Hex). UNVERIFIED: S3's answer to
		// upper-case hex was not captured.
		if got := hex.EncodeToString(p.h.Sum(nil)); !strings.EqualFold(got, p.want) {
			return n, contentSHA256Mismatch(p.want, got)
		}
	}
	return n, err
}

func (p *payloadVerifier) Close() error { return p.body.Close() }

// isSHA256Hex reports whether an x-amz-content-sha256 value is a hash,
// 64 hex digits of either case, rather than one of the keywords.
func isSHA256Hex(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// spacedHex renders s as S3 renders StringToSignBytes: two hex digits a
// byte, separated by spaces.
func spacedHex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex.EncodeToString([]byte{s[i]}))
	}
	return b.String()
}
