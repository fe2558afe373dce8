package sigv

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/internal/ascii"
)

// headersNotCovered returns the headers S3 requires a signature to cover
// that it does not: Host, and every x-amz-* header of h. S3 refuses a
// request with any (AccessDenied, HeadersNotSigned).
func headersNotCovered(h http.Header, signed []string) []string {
	// A long list is looked up in a map: searched for each header, a
	// request of 1 MB (40,000 headers, all signed, within the header
	// limit of a net/http server left at its default) took seconds.
	var set map[string]bool
	if len(signed) > shortList {
		set = make(map[string]bool, len(signed))
		for _, name := range signed {
			set[name] = true
		}
	}
	covered := func(name string) bool {
		if set != nil {
			return set[name]
		}
		return slices.Contains(signed, name)
	}
	var out []string
	// Host names the bucket of a virtual-hosted request: a signature that
	// leaves it out would hold for every bucket, and S3 refuses it.
	if !covered("host") {
		out = append(out, "host")
	}
	for name := range h {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-amz-") && !covered(lower) {
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
	return ascii.PercentEncode(s, func(c byte) bool { return ascii.IsUnreserved(c) || c == '/' && !encodeSlash })
}

// canonicalRequest builds SigV4's canonical request for r, with uri as
// its path (verify tries each form a client may have signed).
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

// canonicalQuery returns the query as SigV4 signs it: each name and value
// URI-encoded, the pairs sorted by name and then, for a repeated name, by
// value. Sorting the joined "name=value" strings instead would put
// "a-b=2" before "a=1", since '-' sorts below '='.
func canonicalQuery(query url.Values, presigned bool) string {
	type pair struct{ name, value string }
	var pairs []pair
	for k, values := range query {
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		name := uriEncode(k, true)
		for _, v := range values {
			pairs = append(pairs, pair{name, uriEncode(v, true)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.value, b.value))
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
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
		out[i] = trimAll(v)
	}
	return strings.Join(out, ",")
}

// trimAll is SigV4's Trimall: the value without the spaces and tabs
// around it, each inner run of them made one space, as the JavaScript
// SDK folds it (@smithy/signature-v4: /[ \t]+/). White space beyond
// ASCII is kept: aws-sdk-go-v2 signs a U+3000 or U+00A0 of a UTF-8
// value as it is (StripExcessSpaces folds ' ' alone), and
// strings.Fields, which folds every Unicode space, refused its PutObject
// of Content-Disposition: attachment; filename="東京\u3000タワー.pdf".
//
// UNVERIFIED: a tab. botocore and the JavaScript SDK fold it as a space,
// aws-sdk-go-v2 keeps it; S3's choice was not captured.
func trimAll(v string) string {
	isSpace := func(r rune) bool { return r == ' ' || r == '\t' }
	return strings.Join(strings.FieldsFunc(v, isSpace), " ")
}

// stringToSign is SigV4's string to sign of a canonical request, the
// text the signature is the HMAC of and which S3 quotes on a mismatch.
func stringToSign(sig *signature, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return v4Algorithm + "\n" + sig.amzDate + "\n" + sig.cred.scope() + "\n" + hex.EncodeToString(sum[:])
}

// signingKey derives SigV4's signing key from the secret and the
// credential's scope: date, region, service, then terminator.
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
