package sigv

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"
)

// EmptySHA256 is the hex SHA-256 of an empty body, the payload hash of a
// request without one.
const EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// PayloadHash returns the hex SHA-256 of body, as x-amz-content-sha256
// carries it.
func PayloadHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Signer signs requests with Signature Version 4 in the Authorization
// header, as the AWS SDKs do, with the canonicalization [Verifier]
// checks. A proxy signs its own requests to the store behind it with one.
// The zero Signer is not usable: set both keys.
type Signer struct {
	AccessKey, SecretKey string
	// Region is the region signatures are scoped to; "" means us-east-1.
	Region string
}

// unsignedHeaders are the headers the AWS SDKs leave out of a signature.
var unsignedHeaders = map[string]bool{
	"Authorization": true, "User-Agent": true, "X-Amzn-Trace-Id": true, "Expect": true, "Transfer-Encoding": true,
}

// Sign signs r at now for a body whose hex SHA-256 is payloadHash (see
// [PayloadHash], [EmptySHA256]; UNSIGNED-PAYLOAD leaves the body out of
// the signature). It sets X-Amz-Date, X-Amz-Content-Sha256 and
// Authorization, and signs the Host, Content-Length when r has a body,
// and every header in r.Header but those the SDKs leave unsigned
// because a hop may change them (User-Agent, Expect, ...). r.Host is set
// to r.URL.Host when empty, so that the Host sent is the one signed.
func (s *Signer) Sign(r *http.Request, payloadHash string, now time.Time) {
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	region := s.Region
	if region == "" {
		region = "us-east-1"
	}
	now = now.UTC()
	sig := &signature{
		cred:        credential{accessKey: s.AccessKey, date: now.Format("20060102"), region: region, service: v4Service, terminator: v4Terminator},
		amzDate:     now.Format(amzDateFormat),
		payloadHash: payloadHash,
	}
	r.Header.Set("X-Amz-Date", sig.amzDate)
	r.Header.Set("X-Amz-Content-Sha256", payloadHash)
	sig.signedHeaders = []string{"host"}
	if r.ContentLength > 0 {
		sig.signedHeaders = append(sig.signedHeaders, "content-length")
	}
	for name := range r.Header {
		if !unsignedHeaders[name] {
			sig.signedHeaders = append(sig.signedHeaders, strings.ToLower(name))
		}
	}
	slices.Sort(sig.signedHeaders)
	uri := uriEncode(r.URL.Path, false)
	if uri == "" {
		uri = "/"
	}
	canonical := canonicalRequest(r, uri, ParseQuery(r.URL.RawQuery), sig)
	key := signingKey(s.SecretKey, sig.cred)
	signed := hex.EncodeToString(hmacSHA256(key, stringToSign(sig, canonical)))
	r.Header.Set("Authorization", v4Algorithm+" Credential="+s.AccessKey+"/"+sig.cred.scope()+
		", SignedHeaders="+strings.Join(sig.signedHeaders, ";")+", Signature="+signed)
}
