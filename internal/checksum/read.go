package checksum

import (
	"io"
	"net/http"

	"github.com/s3cors/s3cors/s3err"
)

// ReadBody reads a request body of at most max bytes, the small documents
// of configuration operations. A longer one is answered with
// MaxMessageLengthExceeded; a body cut short with IncompleteBody; a body
// whose reader fails with an S3 error (x-amz-content-sha256 that does not
// match, an aws-chunked body that does not decode) with that error.
func ReadBody(r *http.Request, max int) ([]byte, error) {
	if r.ContentLength > int64(max) {
		return nil, s3err.MaxMessageLengthExceeded(max)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
	if len(b) > max {
		return nil, s3err.MaxMessageLengthExceeded(max)
	}
	if err != nil {
		return nil, BodyError(err)
	}
	return b, nil
}

// ReadChecked reads the body of an operation S3 does not run without an
// integrity header (Content-MD5 or a checksum), at most max bytes, and
// checks it against that header.
func ReadChecked(r *http.Request, max int) ([]byte, error) {
	in, err := Require(r.Header)
	if err != nil {
		return nil, err
	}
	body, err := ReadBody(r, max)
	if err != nil {
		return nil, err
	}
	return body, in.Check(body)
}

// BodyError turns an error reading a request body into S3's answer: the
// S3 error the reader gave, or IncompleteBody.
func BodyError(err error) error {
	if e, ok := err.(*s3err.Error); ok {
		return e
	}
	return s3err.IncompleteBody()
}
