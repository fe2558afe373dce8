// Package sigv verifies the AWS signatures Amazon S3 takes on a request:
// Signature Version 4 and Version 2, each in the Authorization header or
// in a presigned URL's query, with S3's errors for every way one can be
// wrong.
//
// A [Verifier] holds the keys, the region and the clock as plain values
// and knows nothing of the server that calls it. [Verifier.Verify] reads
// the request (its method, URL, headers and Host) and changes nothing, so
// a proxy can verify a request and forward it as it came. It never reads
// the body: when the signature covers the body's SHA-256,
// [Signature.Body] wraps the body so that the hash is checked as the body
// streams through, and the read that reaches its end fails with S3's
// XAmzContentSHA256Mismatch when it does not match. A server then refuses
// the request before storing anything; a proxy's upstream request fails
// short of its last byte, so the upstream never sees the whole body.
//
// An aws-chunked body (x-amz-content-sha256 STREAMING-...) is decoded the
// same way, as it streams: [Signature.DecodeBody] returns a
// [ChunkedReader] that checks each chunk's signature against the chain
// that starts at the request's, the trailing checksum and the decoded
// length, and fails the read that reaches the end when any is wrong.
//
// A browser's form upload (POST Object) carries its signature in the
// form, over a policy document: [ParsePostPolicy] reads the policy,
// [PostPolicy.Check] judges the form's fields against its conditions, and
// [Verifier.VerifyPost] checks the signature of either version.
package sigv

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Limits S3 applies to signatures.
const (
	// DefaultMaxSkew is how far from the server's clock S3 takes the time
	// of a signature in a header.
	DefaultMaxSkew = 15 * time.Minute
	// MaxPresignExpiry is the longest X-Amz-Expires of a presigned URL of
	// Signature Version 4: a week.
	MaxPresignExpiry = 7 * 24 * time.Hour
)

// Options configure a [Verifier].
type Options struct {
	// AccessKey and SecretKey are the pair of keys requests must be
	// signed with. Both are required.
	AccessKey, SecretKey string
	// Keys are further pairs, access key to secret key, that requests
	// may be signed with instead: the users of a store behind a proxy
	// each hold their own.
	Keys map[string]string
	// Region is the region signatures of version 4 must be scoped to;
	// "" means us-east-1. Signature Version 2 is taken only in the
	// regions where S3 takes it, those launched before 2014 (us-east-1
	// among them), and refused elsewhere as S3 refuses it.
	Region string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxSkew is how far the time of a signature in a header may be from
	// Now, either way; 0 means DefaultMaxSkew, S3's.
	MaxSkew time.Duration
}

// Verifier checks the signatures of requests against its keys. It is
// immutable and safe for concurrent use.
type Verifier struct {
	opts Options
}

// New returns a Verifier for opts, or an error when the keys are missing.
func New(opts Options) (*Verifier, error) {
	if opts.AccessKey == "" || opts.SecretKey == "" {
		return nil, errors.New("sigv: AccessKey and SecretKey are required")
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxSkew <= 0 {
		opts.MaxSkew = DefaultMaxSkew
	}
	if err := CheckAccessKey(opts.AccessKey); err != nil {
		return nil, err
	}
	keys := maps.Clone(opts.Keys)
	for access, secret := range keys {
		if access == "" || secret == "" {
			return nil, errors.New("sigv: a pair of Keys lacks its access key or its secret key")
		}
		if err := CheckAccessKey(access); err != nil {
			return nil, err
		}
	}
	opts.Keys = keys
	return &Verifier{opts: opts}, nil
}

// secretKey returns the secret key that goes with accessKey, and whether
// the verifier has one.
func (v *Verifier) secretKey(accessKey string) (string, bool) {
	if accessKey == v.opts.AccessKey {
		return v.opts.SecretKey, true
	}
	secret, ok := v.opts.Keys[accessKey]
	return secret, ok
}

// Signature is what [Verifier.Verify] found on a request.
type Signature struct {
	// Version is 4 or 2, or 0 for a request that carries no signature at
	// all, which is anonymous rather than wrong.
	Version int
	// AccessKey is the key the request was signed with.
	AccessKey string
	// Presigned reports whether the signature is in the query.
	Presigned bool
	// payloadHash is the hex SHA-256 the body must have, "" when the
	// signature does not cover the body.
	payloadHash string
	// chain is what the signatures of a signed aws-chunked body chain
	// to; nil for any other body.
	chain *chunkChain
}

// Anonymous reports whether the request carries no signature.
func (s Signature) Anonymous() bool { return s.Version == 0 }

// Body returns body wrapped so that reading it to its end checks it
// against the SHA-256 the signature covers: the read that reaches the end
// fails with S3's XAmzContentSHA256Mismatch when the hash differs. It
// returns body itself when the signature covers no hash
// (UNSIGNED-PAYLOAD, Signature Version 2, a presigned URL). A nil body
// counts as an empty one.
func (s Signature) Body(body io.ReadCloser) io.ReadCloser {
	if s.payloadHash == "" {
		return body
	}
	if body == nil {
		body = http.NoBody
	}
	return &payloadVerifier{body: body, h: sha256.New(), want: s.payloadHash}
}

// Verify checks r's signature, of either version, and returns what it
// found. A request with no signature at all is anonymous, not an error: a
// zero Signature and nil. A signature that is malformed, expired, for
// other keys or another region, or that does not match, is S3's error for
// it, an [*s3err.Error].
//
// query is r's query as S3 reads it ([ParseQuery]). r itself is left as
// it is; its body is not read (see [Signature.Body]).
func (v *Verifier) Verify(r *http.Request, query url.Values) (Signature, error) {
	return v.verifyAt(r, query, "")
}

// VerifyHosted is [Verifier.Verify] for a request that names its bucket
// in its Host header (virtual-hosted style, http://BUCKET.DOMAIN/KEY):
// Signature Version 2 signs the bucket as the first segment of the
// resource, "/BUCKET/KEY", which the request's path lacks. Version 4
// signs the path as sent, and is checked as Verify checks it.
func (v *Verifier) VerifyHosted(r *http.Request, query url.Values, bucket string) (Signature, error) {
	return v.verifyAt(r, query, bucket)
}

// verifyAt tells which of S3's four ways a request is signed (the
// Authorization header or a presigned query, each of version 2 or 4),
// refuses two at once, and checks the one found. hostBucket is the
// bucket of a virtual-hosted request, which only version 2 signs.
func (v *Verifier) verifyAt(r *http.Request, query url.Values, hostBucket string) (Signature, error) {
	auth := r.Header["Authorization"]
	authText := strings.Join(auth, ",")
	// An empty Authorization header is no signature: S3 answers it as it
	// answers an anonymous request, 403 AccessDenied on a private bucket
	// (storj/edge#142; ceph/s3-tests test_headers.py,
	// test_object_create_bad_authorization_empty), not as an unknown
	// scheme.
	hasAuth := authText != ""
	_, presigned := query["X-Amz-Algorithm"]
	presignedV2 := presignedV2Query(query)
	var sig parsedSignature
	var err error
	switch scheme, _, _ := strings.Cut(authText, " "); {
	case hasAuth && (presigned || presignedV2):
		return Signature{}, invalidAuthorization(msgOneAuthMechanism, authText)
	case hasAuth && scheme == v2Scheme:
		if err := v.checkRegionV2(); err != nil {
			return Signature{}, err
		}
		sig, err = parseAuthorizationV2(authText, r.Header)
	case hasAuth && scheme == v4Algorithm:
		sig, err = parseAuthorization(authText, r.Header)
	case hasAuth:
		// UNVERIFIED: S3's answer to an unknown scheme, as S3 emulators
		// reproduce it.
		return Signature{}, invalidAuthorization(msgUnsupportedAuthType, authText)
	case presigned:
		sig, err = parsePresigned(query, r.Header)
	case presignedV2:
		if err := v.checkRegionV2(); err != nil {
			return Signature{}, err
		}
		sig, err = parsePresignedV2(query)
	default:
		return Signature{}, nil
	}
	if err != nil {
		return Signature{}, err
	}
	if v2, ok := sig.(*sigV2); ok {
		v2.hostBucket = hostBucket
	}
	return sig.check(v, r, query)
}

// presignedV2Query reports whether query carries a signature as a
// presigned URL of Signature Version 2 does: AWSAccessKeyId or Signature,
// without the X-Amz-Algorithm of version 4.
func presignedV2Query(query url.Values) bool {
	_, v4 := query["X-Amz-Algorithm"]
	return !v4 && (query.Has("Signature") || query.Has("AWSAccessKeyId"))
}

// PresignedV2 reports whether r is signed as a presigned URL of
// Signature Version 2, as [Verifier.Verify] tells it: AWSAccessKeyId or
// Signature in query (r's, as [ParseQuery] gives it), and neither
// X-Amz-Algorithm there nor an Authorization header, which Verify would
// refuse along with it. Nothing is checked: a server that verifies no
// signatures uses it to read such a URL as it reads one verified (see
// [QueryHeadersV2]).
func PresignedV2(r *http.Request, query url.Values) bool {
	return presignedV2Query(query) && strings.Join(r.Header["Authorization"], ",") == ""
}

// parsedSignature is a signature of either version as the request states
// it, parsed but not yet checked.
type parsedSignature interface {
	// check checks the signature of r against v's keys and clock.
	check(v *Verifier, r *http.Request, query url.Values) (Signature, error)
}

// ParseQuery parses a query string as S3 does: a parameter without '='
// is present with the empty value, and a pair that cannot be unescaped is
// kept as it was sent rather than dropped. It is the query
// [Verifier.Verify] takes, and the one a server routes by.
func ParseQuery(raw string) url.Values {
	v := make(url.Values)
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		if u, err := url.QueryUnescape(val); err == nil {
			val = u
		}
		v[k] = append(v[k], val)
	}
	return v
}

// checkSkew refuses a header signature dated too far from now: S3's
// RequestTimeTooSkewed, with the request time as sent.
func (v *Verifier) checkSkew(now, signed time.Time, sent string) error {
	if d := now.Sub(signed); d > v.opts.MaxSkew || d < -v.opts.MaxSkew {
		return timeTooSkewed(sent, now, v.opts.MaxSkew)
	}
	return nil
}

// ValidRegion reports whether region is a name the AWS SDKs take for a
// region: a DNS name whose labels hold 1 to 63 letters, digits and
// hyphens, none starting or ending with a hyphen, as the SDKs' endpoint
// rules check ("Invalid region: region was not a valid DNS name"). A
// region outside it cannot be a credential scope's (it would hold a "/"
// or a space), so a server scoped to it would refuse every signature.
func ValidRegion(region string) bool {
	for label := range strings.SplitSeq(region, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// CheckRegion returns an error for a region that is not [ValidRegion]'s,
// naming it.
func CheckRegion(region string) error {
	if ValidRegion(region) {
		return nil
	}
	return fmt.Errorf("sigv: %q is not a region name: letters, digits and hyphens, such as us-east-1", region)
}

// CheckAccessKey returns an error for an access key that the Credential
// of a Signature Version 4 Authorization header cannot carry: one
// holding a "/", which separates the Credential's parts
// (AK/DATE/REGION/s3/aws4_request), a ",", which separates the header's
// parameters, or a control character. A verifier holding one would
// answer every request signed with it AuthorizationHeaderMalformed.
func CheckAccessKey(access string) error {
	for _, c := range []byte(access) {
		if c == '/' || c == ',' || c < 0x20 || c == 0x7f {
			return fmt.Errorf("sigv: access key %q holds %q, which the Credential of a Signature Version 4 Authorization header cannot carry", access, string(c))
		}
	}
	return nil
}
