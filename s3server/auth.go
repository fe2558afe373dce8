package s3server

import (
	"net/http"
	"net/url"

	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/internal/sigv"
)

// authenticate checks r's signature when the server has keys (a is what
// r addresses: a virtual-hosted request signs its bucket), and
// reports whether r counts as signed: always when the server has no
// keys, and then nothing is checked; otherwise when r carries a valid
// signature of Signature Version 4 or 2 (package sigv). A request
// without any is anonymous, which is not an error: the ACLs decide. A
// request whose signature covers its body's SHA-256 has its body checked
// as it is read, and an aws-chunked body is decoded as it is read, its
// chunk signatures checked when the server has keys (see uploadBody).
//
// A presigned URL of Signature Version 2 carries headers in its query,
// as botocore presigns (see sigv.QueryHeadersV2): once its signature is
// verified, r.Header becomes a copy with them set, and headers reports
// it, since x-amz-copy-source names another operation. Without keys a
// URL of that shape is read the same way, though nothing is verified,
// so that a boto3 presigned URL does what it does with keys
// (sigv.ReadQueryHeadersV2, which the proxy reads them with too).
func (s *Server) authenticate(r *http.Request, query url.Values, a s3route.Address) (signed, headers bool, err error) {
	var sig sigv.Signature
	if s.verifier != nil {
		if a.Style == s3route.VirtualHosted {
			sig, err = s.verifier.VerifyHosted(r, query, a.Bucket)
		} else {
			sig, err = s.verifier.Verify(r, query)
		}
		if err != nil {
			return false, false, err
		}
	}
	headers = sigv.ReadQueryHeadersV2(r, query, sig, s.verifier != nil)
	body, err := sig.DecodeBody(r)
	if err != nil {
		return false, false, err
	}
	r.Body = body
	return s.verifier == nil || !sig.Anonymous(), headers, nil
}
