package checksum

import (
	"errors"
	"net"
	"net/http"

	"github.com/s3cors/s3cors/s3err"
)

// ReadBody reads a request body of at most max bytes, the small documents
// of configuration operations. A longer one is answered with
// MaxMessageLengthExceeded; a body cut short with IncompleteBody; a body
// whose reader fails with an S3 error (x-amz-content-sha256 that does not
// match, an aws-chunked body that does not decode) with that error.
//
// The bound is on the document: on the decoded body when r.Body decodes
// aws-chunked (a [decodedLengther], such as sigv's ChunkedReader), whose
// Content-Length counts the chunk framing too. A body that declares more
// is refused before any of it is read.
func ReadBody(r *http.Request, max int) ([]byte, error) {
	body, _, err := ReadBodyWithin(r, max, nil)
	return body, err
}

// decodedLengther is a body that decodes what the client sent, and knows
// the length the request declares for the decoded bytes
// (x-amz-decoded-content-length). Package sigv's ChunkedReader is one;
// sigv imports this package, hence an interface rather than the type.
type decodedLengther interface {
	DecodedLength() int64
}

// ReadChecked reads the body of an operation S3 does not run without an
// integrity header (Content-MD5 or a checksum), at most max bytes,
// within b as [ReadBodyWithin] reads it, and checks it against that
// header. Call release, never nil, once body is no longer used.
//
// A POST's wrong Content-MD5 is BadDigest with the ExpectedDigest as
// sent, in base64, where a PUT's is in hex: S3 answers DeleteObjects and
// CompleteMultipartUpload so in Swift's s3api checks against S3
// (test/s3api/test_input_errors.py: "AWS ... is inconsistent in what it
// returns in the <ExpectedDigest> element").
func ReadChecked(r *http.Request, max int, b *Budget) (body []byte, release func(), err error) {
	in, err := Require(r.Header)
	if err != nil {
		return nil, func() {}, err
	}
	return in.read(r, max, b)
}

// ReadMD5Checked reads a body of at most max bytes and checks it against
// its Content-MD5, if any, as [ReadChecked] does; the x-amz-checksum-*
// headers are left to the caller. S3 checks CompleteMultipartUpload's
// Content-MD5, but its x-amz-checksum-* header names the object's
// checksum, not the body's (Swift's s3api checks against S3, where a
// completion with a CRC32 of something else succeeds).
func ReadMD5Checked(r *http.Request, max int, b *Budget) (body []byte, release func(), err error) {
	var in Claims
	if err := in.parseMD5(r.Header); err != nil {
		return nil, func() {}, err
	}
	return in.read(r, max, b)
}

// read reads r's body within b as [ReadBodyWithin] does and checks it
// against the claims, a POST's Content-MD5 reported as sent.
func (in *Claims) read(r *http.Request, max int, b *Budget) (body []byte, release func(), err error) {
	in.md5AsSent = r.Method == http.MethodPost
	body, release, err = ReadBodyWithin(r, max, b)
	if err != nil {
		return nil, release, err
	}
	return body, release, in.Check(body)
}

// BodyError turns an error reading a request body into S3's answer
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
// the S3 error the reader gave; RequestTimeout when the client paused
// past the bound on the read (a [net.Error] that timed out, as net/http
// gives past its ReadTimeout); else IncompleteBody, for a body that ended
// short of its Content-Length or its last chunk.
//
// UNVERIFIED: S3's answer to a malformed chunked encoding, which is
// taken for a body ended short.
func BodyError(err error) *s3err.Error {
	if e, ok := err.(*s3err.Error); ok {
		return e
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return s3err.RequestTimeout()
	}
	return s3err.IncompleteBody()
}
