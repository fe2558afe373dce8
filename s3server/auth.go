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
func (s *Server) authenticate(r *http.Request, query url.Values, a s3route.Address) (bool, error) {
	var sig sigv.Signature
	if s.verifier != nil {
		var err error
		if a.Style == s3route.VirtualHosted {
			sig, err = s.verifier.VerifyHosted(r, query, a.Bucket)
		} else {
			sig, err = s.verifier.Verify(r, query)
		}
		if err != nil {
			return false, err
		}
	}
	body, err := sig.DecodeBody(r)
	if err != nil {
		return false, err
	}
	r.Body = body
	return s.verifier == nil || !sig.Anonymous(), nil
}
