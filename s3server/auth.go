package s3server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/s3cors/s3cors/s3err"
)

// AWS Signature Version 4, as S3 verifies it
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html).
const (
	sigAlgorithm     = "AWS4-HMAC-SHA256"
	sigTerminator    = "aws4_request"
	sigService       = "s3"
	unsignedPayload  = "UNSIGNED-PAYLOAD"
	amzDateFormat    = "20060102T150405Z"
	isoSeconds       = "2006-01-02T15:04:05Z"
	maxSkew          = 15 * time.Minute
	maxPresignExpiry = 7 * 24 * 60 * 60 // seconds
)

// credential is the parsed Credential of a signature:
// AKID/YYYYMMDD/region/service/aws4_request.
type credential struct {
	accessKey, date, region, service, terminator string
}

func (c credential) scope() string {
	return c.date + "/" + c.region + "/" + c.service + "/" + c.terminator
}

// signature is what a request says about its signature, from the
// Authorization header or a presigned URL's query.
type signature struct {
	cred          credential
	signedHeaders []string
	signature     string
	amzDate       string // as sent
	time          time.Time
	payloadHash   string
	presigned     bool
}

// authenticate checks r's signature when the server has keys. It reports
// whether r counts as signed: always when the server has no keys, and
// then nothing is checked; otherwise when r carries a valid signature,
// of Signature Version 4 or 2 (see sigv2.go). A request without any is
// anonymous, which is not an error: the ACLs decide. A request signed
// with Signature Version 4 has its body verified against its
// x-amz-content-sha256 as it is read.
func (s *Server) authenticate(r *http.Request, query url.Values) (bool, error) {
	if s.opts.AccessKey == "" {
		return true, nil
	}
	auth, hasAuth := r.Header["Authorization"]
	authText := strings.Join(auth, ",")
	_, presigned := query["X-Amz-Algorithm"]
	presignedV2 := !presigned && (query.Has("Signature") || query.Has("AWSAccessKeyId"))
	var sig *signature
	var err error
	switch scheme, _, _ := strings.Cut(authText, " "); {
	case hasAuth && (presigned || presignedV2):
		return false, s3err.InvalidArgument(msgOneAuthMechanism, "Authorization", authText)
	case hasAuth && scheme == sigV2Scheme:
		return s.signedV2(r, query, authText)
	case hasAuth && scheme == sigAlgorithm:
		sig, err = parseAuthorization(authText, r.Header)
	case hasAuth:
		// UNVERIFIED: S3's answer to an unknown scheme, as S3 emulators
		// reproduce it.
		return false, s3err.InvalidArgument(msgUnsupportedAuthType, "Authorization", authText)
	case presigned:
		sig, err = parsePresigned(query, r.Header)
	case presignedV2:
		return s.signedV2(r, query, "")
	default:
		return false, nil
	}
	if err == nil {
		err = s.verify(r, query, sig)
	}
	if err != nil {
		return false, err
	}
	if isSHA256Hex(sig.payloadHash) {
		r.Body = &payloadVerifier{body: r.Body, h: sha256.New(), want: sig.payloadHash}
	}
	return true, nil
}

func malformedAuth(detail string) error {
	return s3err.New(http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; "+detail)
}

func queryAuthError(msg string) error {
	return s3err.New(http.StatusBadRequest, "AuthorizationQueryParametersError", msg)
}

// parseAuthorization parses an Authorization header of Signature Version
// 4 and the headers it relies on.
//
// UNVERIFIED: the wording of the AuthorizationHeaderMalformed messages is
// S3's as remembered, not captured.
func parseAuthorization(auth string, h http.Header) (*signature, error) {
	rest, ok := strings.CutPrefix(auth, sigAlgorithm+" ")
	if !ok {
		return nil, malformedAuth("the authorization header requires three components: Credential, SignedHeaders, and Signature.")
	}
	fields := map[string]string{}
	for _, f := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
	}
	credText, hasCred := fields["Credential"]
	signed, hasSigned := fields["SignedHeaders"]
	sigText, hasSig := fields["Signature"]
	if !hasCred || !hasSigned || !hasSig {
		return nil, malformedAuth("the authorization header requires three components: Credential, SignedHeaders, and Signature.")
	}
	cred, ok := parseCredential(credText)
	if !ok {
		return nil, malformedAuth(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`)
	}
	sig := &signature{cred: cred, signedHeaders: strings.Split(signed, ";"), signature: sigText}
	if sig.amzDate = h.Get("X-Amz-Date"); sig.amzDate != "" {
		t, err := time.Parse(amzDateFormat, sig.amzDate)
		if err != nil {
			return nil, s3err.New(http.StatusForbidden, "AccessDenied", msgNoAuthDate)
		}
		sig.time = t
	} else if t, err := http.ParseTime(h.Get("Date")); err == nil {
		sig.time, sig.amzDate = t, t.UTC().Format(amzDateFormat)
	} else {
		return nil, s3err.New(http.StatusForbidden, "AccessDenied", msgNoAuthDate)
	}
	if cred.date != sig.time.UTC().Format("20060102") {
		return nil, malformedAuth(`Invalid credential date "` + cred.date + `". This date is not the same as X-Amz-Date: "` + sig.time.UTC().Format("20060102") + `".`)
	}
	payload, ok := h["X-Amz-Content-Sha256"]
	if !ok {
		return nil, s3err.InvalidRequest(msgMissingContentSHA)
	}
	sig.payloadHash = strings.Join(payload, ",")
	switch {
	case sig.payloadHash == unsignedPayload:
	case strings.HasPrefix(sig.payloadHash, "STREAMING-"):
		return nil, s3err.NotImplemented() // aws-chunked: SDKs use it only over TLS
	case !isSHA256Hex(sig.payloadHash):
		return nil, s3err.InvalidArgument(msgBadContentSHAHeader, "x-amz-content-sha256", sig.payloadHash)
	}
	return sig, nil
}

// parsePresigned parses the signature of a presigned URL.
func parsePresigned(q url.Values, h http.Header) (*signature, error) {
	for _, p := range []string{"X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"} {
		if !q.Has(p) {
			return nil, queryAuthError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
		}
	}
	if q.Get("X-Amz-Algorithm") != sigAlgorithm {
		return nil, queryAuthError(`X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"`)
	}
	cred, ok := parseCredential(q.Get("X-Amz-Credential"))
	if !ok {
		return nil, queryAuthError(`Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`)
	}
	sig := &signature{cred: cred, signedHeaders: strings.Split(q.Get("X-Amz-SignedHeaders"), ";"),
		signature: q.Get("X-Amz-Signature"), amzDate: q.Get("X-Amz-Date"), presigned: true, payloadHash: unsignedPayload}
	t, err := time.Parse(amzDateFormat, sig.amzDate)
	if err != nil {
		return nil, queryAuthError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
	}
	sig.time = t
	if v := h.Get("X-Amz-Content-Sha256"); v != "" {
		sig.payloadHash = v
	}
	return sig, nil
}

func parseCredential(s string) (credential, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 || parts[0] == "" {
		return credential{}, false
	}
	return credential{parts[0], parts[1], parts[2], parts[3], parts[4]}, true
}

func isSHA256Hex(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// verify checks a parsed signature: its scope, key and time, then the
// signature itself.
func (s *Server) verify(r *http.Request, query url.Values, sig *signature) error {
	if err := s.checkScope(sig); err != nil {
		return err
	}
	if sig.cred.accessKey != s.opts.AccessKey {
		return s3err.New(http.StatusForbidden, "InvalidAccessKeyId", msgInvalidAccessKeyID, "AWSAccessKeyId", sig.cred.accessKey)
	}
	if err := s.checkTime(query, sig); err != nil {
		return err
	}
	if unsigned := unsignedAmzHeaders(r.Header, sig.signedHeaders); len(unsigned) > 0 {
		return s3err.New(http.StatusForbidden, "AccessDenied", msgHeadersNotSigned, "HeadersNotSigned", strings.Join(unsigned, ", "))
	}
	key := signingKey(s.opts.SecretKey, sig.cred)
	var first, firstSTS string
	for _, uri := range canonicalURIs(r) {
		creq := canonicalRequest(r, uri, query, sig)
		sts := stringToSign(sig, creq)
		if hmac.Equal([]byte(hex.EncodeToString(hmacSHA256(key, sts))), []byte(sig.signature)) {
			return nil
		}
		if first == "" {
			first, firstSTS = creq, sts
		}
	}
	return s3err.New(http.StatusForbidden, "SignatureDoesNotMatch", msgSignatureMismatch,
		"AWSAccessKeyId", sig.cred.accessKey,
		"StringToSign", firstSTS,
		"SignatureProvided", sig.signature,
		"StringToSignBytes", spacedHex(firstSTS),
		"CanonicalRequest", first,
		"CanonicalRequestBytes", spacedHex(first))
}

func (s *Server) checkScope(sig *signature) error {
	c := sig.cred
	var msg string
	switch {
	case c.region != s.opts.Region:
		msg = "the region '" + c.region + "' is wrong; expecting '" + s.opts.Region + "'"
	case c.service != sigService:
		msg = `incorrect service "` + c.service + `". This endpoint belongs to "s3".`
	case c.terminator != sigTerminator:
		msg = `incorrect terminal "` + c.terminator + `". This endpoint uses "aws4_request".`
	default:
		return nil
	}
	if sig.presigned {
		e := s3err.New(http.StatusBadRequest, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; "+msg)
		if c.region != s.opts.Region {
			e.Details = append(e.Details, s3err.Detail{Name: "Region", Value: s.opts.Region})
		}
		return e
	}
	e := malformedAuth(msg).(*s3err.Error)
	if c.region != s.opts.Region {
		e.Details = append(e.Details, s3err.Detail{Name: "Region", Value: s.opts.Region})
	}
	return e
}

// checkTime refuses a request signed too far from now: for the
// Authorization header, more than 15 minutes either way; for a presigned
// URL, after it expires or before it is valid.
func (s *Server) checkTime(query url.Values, sig *signature) error {
	now := s.opts.Now().UTC()
	serverTime := now.Format(isoSeconds)
	if !sig.presigned {
		if d := now.Sub(sig.time); d > maxSkew || d < -maxSkew {
			return s3err.New(http.StatusForbidden, "RequestTimeTooSkewed", msgTimeTooSkewed,
				"RequestTime", sig.amzDate, "ServerTime", serverTime,
				"MaxAllowedSkewMilliseconds", strconv.Itoa(int(maxSkew/time.Millisecond)))
		}
		return nil
	}
	raw := query.Get("X-Amz-Expires")
	expires, err := strconv.Atoi(raw)
	switch {
	case err != nil || expires < 0:
		return queryAuthError("X-Amz-Expires must be non-negative")
	case expires > maxPresignExpiry:
		return queryAuthError("X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	end := sig.time.Add(time.Duration(expires) * time.Second)
	switch {
	case now.After(end):
		return s3err.New(http.StatusForbidden, "AccessDenied", msgRequestExpired,
			"X-Amz-Expires", raw, "Expires", end.UTC().Format(isoSeconds), "ServerTime", serverTime)
	case sig.time.Sub(now) > maxSkew:
		// UNVERIFIED: S3's details for a presigned URL dated in the
		// future were not captured.
		return s3err.New(http.StatusForbidden, "AccessDenied", msgRequestNotYetValid,
			"X-Amz-Date", sig.amzDate, "ServerTime", serverTime)
	}
	return nil
}

// unsignedAmzHeaders returns the x-amz-* headers of h that the signature
// does not cover: S3 refuses a request with any.
func unsignedAmzHeaders(h http.Header, signed []string) []string {
	var out []string
	for name := range h {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-amz-") && !slices.Contains(signed, lower) {
			out = append(out, lower)
		}
	}
	slices.Sort(out)
	return out
}

// canonicalURIs returns the forms of r's path a client may have signed:
// the decoded path encoded as SigV4 prescribes, and the path exactly as
// sent, for clients that escape differently. The first is S3's own.
func canonicalURIs(r *http.Request) []string {
	uris := []string{uriEncode(r.URL.Path, false)}
	raw := r.RequestURI
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[:i]
	}
	if strings.HasPrefix(raw, "/") && raw != uris[0] {
		uris = append(uris, raw)
	}
	if uris[0] == "" {
		uris[0] = "/"
	}
	return uris
}

// uriEncode encodes s as SigV4's UriEncode does: every byte but the
// unreserved characters as %XX, upper case; '/' too unless it is a path.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !encodeSlash {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func canonicalRequest(r *http.Request, uri string, query url.Values, sig *signature) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(query, sig.presigned))
	b.WriteByte('\n')
	for _, name := range sig.signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(sig.signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(sig.payloadHash)
	return b.String()
}

func canonicalQuery(query url.Values, presigned bool) string {
	var pairs []string
	for k, values := range query {
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		for _, v := range values {
			pairs = append(pairs, uriEncode(k, true)+"="+uriEncode(v, true))
		}
	}
	slices.Sort(pairs)
	return strings.Join(pairs, "&")
}

// canonicalHeaderValue returns the value of header name as SigV4 signs
// it: every line, trimmed, inner runs of spaces made one, joined by ','.
// net/http keeps Host and Transfer-Encoding out of the header map.
func canonicalHeaderValue(r *http.Request, name string) string {
	var values []string
	switch name {
	case "host":
		values = []string{r.Host}
	case "transfer-encoding":
		values = r.TransferEncoding
	default:
		values = r.Header[http.CanonicalHeaderKey(name)]
		if name == "content-length" && len(values) == 0 && r.ContentLength >= 0 {
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, ",")
}

func stringToSign(sig *signature, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return sigAlgorithm + "\n" + sig.amzDate + "\n" + sig.cred.scope() + "\n" + hex.EncodeToString(sum[:])
}

func signingKey(secret string, c credential) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), c.date)
	k = hmacSHA256(k, c.region)
	k = hmacSHA256(k, c.service)
	return hmacSHA256(k, c.terminator)
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
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

// payloadVerifier checks a body against the SHA-256 its signature claims
// when the body ends, failing the read that reaches the end with S3's
// XAmzContentSHA256Mismatch.
type payloadVerifier struct {
	body io.ReadCloser
	h    hash.Hash
	want string
}

func (p *payloadVerifier) Read(b []byte) (int, error) {
	n, err := p.body.Read(b)
	p.h.Write(b[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(p.h.Sum(nil)); got != p.want {
			return n, s3err.New(http.StatusBadRequest, "XAmzContentSHA256Mismatch", msgContentSHA256,
				"ClientComputedContentSHA256", p.want, "S3ComputedContentSHA256", got)
		}
	}
	return n, err
}

func (p *payloadVerifier) Close() error { return p.body.Close() }
