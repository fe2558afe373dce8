package sigv

import (
	"maps"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/internal/ascii"
)

// sigV2Subresources are the query parameters S3 signs in the
// CanonicalizedResource, with their values when they have one. The S3
// documentation lists acl, lifecycle, location, logging, notification,
// partNumber, policy, requestPayment, torrent, uploadId, uploads,
// versionId, versioning, versions and website, the six response-*
// overrides and delete; AWS's own SDKs also sign the subresources added
// since (aws-sdk-java v1 RestUtils.SIGNED_PARAMETERS: cors, tagging,
// restore, replication, accelerate, inventory, analytics, metrics;
// botocore HmacV1Auth.QSAOfInterest: those and select, select-type,
// object-lock, storageClass, defaultObjectAcl). A client that signs one
// of them signs it here too; the others are left out of the signature.
var sigV2Subresources = map[string]bool{
	"accelerate": true, "acl": true, "analytics": true, "cors": true, "defaultObjectAcl": true,
	"delete": true, "inventory": true, "lifecycle": true, "location": true, "logging": true,
	"metrics": true, "notification": true, "object-lock": true, "partNumber": true, "policy": true,
	"replication": true, "requestPayment": true, "restore": true, "select": true, "select-type": true,
	"storageClass": true, "tagging": true, "torrent": true, "uploadId": true, "uploads": true,
	"versionId": true, "versioning": true, "versions": true, "website": true,
	"response-cache-control": true, "response-content-disposition": true, "response-content-encoding": true,
	"response-content-language": true, "response-content-type": true, "response-expires": true,
}

// stringsToSignV2 returns the strings to sign a client may have signed
// r with; the first is S3's, the one reported when none matches.
//
// With x-amz-date, the documented rule leaves the Date line empty and
// signs x-amz-date among the x-amz-* headers. The documentation's own
// Delete example instead puts x-amz-date's value on the Date line and
// leaves it out of the headers; that form is taken as well. UNVERIFIED:
// whether S3 takes it.
func stringsToSignV2(r *http.Request, query url.Values, sig *sigV2) []string {
	var out []string
	for _, resource := range canonicalResourcesV2At(r, sig.hostBucket) {
		switch {
		case sig.presigned:
			out = append(out, stringToSignV2(r, query, sig.expires, canonicalAmzHeadersV2(r.Header, query, ""), resource))
		case sig.amzDate:
			out = append(out,
				stringToSignV2(r, nil, "", canonicalAmzHeadersV2(r.Header, nil, ""), resource),
				stringToSignV2(r, nil, sig.dateText, canonicalAmzHeadersV2(r.Header, nil, "x-amz-date"), resource))
		default:
			out = append(out, stringToSignV2(r, nil, r.Header.Get("Date"), canonicalAmzHeadersV2(r.Header, nil, ""), resource))
		}
	}
	return out
}

// stringToSignV2 assembles a string to sign. query is the query of a
// presigned URL, nil otherwise: botocore moves Content-MD5 and
// Content-Type into the query of the URLs it presigns, so a presigned
// request that does not send one of them as a header signs the query's.
// UNVERIFIED: S3 was not seen taking them from the query.
func stringToSignV2(r *http.Request, query url.Values, date, amzHeaders, resource string) string {
	header := func(name string) string {
		if v, ok := r.Header[name]; ok && len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		if query != nil {
			return query.Get(strings.ToLower(name))
		}
		return ""
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(header("Content-Md5"))
	b.WriteByte('\n')
	b.WriteString(header("Content-Type"))
	b.WriteByte('\n')
	b.WriteString(date)
	b.WriteByte('\n')
	b.WriteString(amzHeaders)
	b.WriteString(resource)
	return b.String()
}

// canonicalAmzHeadersV2 returns the CanonicalizedAmzHeaders of h: every
// x-amz-* header, its name in lower case, sorted, the values of a name
// trimmed, unfolded and joined by ',', each "name:values\n". For a
// presigned URL (query not nil), x-amz-* query parameters count as
// headers, as S3 takes them (x-amz-security-token, and the headers
// botocore moves into the URLs it presigns). skip names a header left
// out.
func canonicalAmzHeadersV2(h http.Header, query url.Values, skip string) string {
	values := map[string][]string{}
	add := func(m map[string][]string) {
		names := make([]string, 0, len(m))
		for name := range m {
			names = append(names, name)
		}
		slices.Sort(names) // the same order every time, should two names differ only in case
		for _, name := range names {
			if lower := strings.ToLower(name); strings.HasPrefix(lower, "x-amz-") && lower != skip {
				values[lower] = append(values[lower], m[name]...)
			}
		}
	}
	add(h)
	if query != nil {
		add(query)
	}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range values[name] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(unfold(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// QueryHeadersV2 returns h with the headers a presigned URL of
// Signature Version 2 carries in its query, for a caller to read the
// request by once its signature is verified (see [PresignedV2] for a
// caller that verifies none): the content-type and content-md5
// parameters and every x-amz-* one, each set where the request did not
// send that header itself, under its canonical name. The auth
// parameters, AWSAccessKeyId, Signature and Expires, are none of these.
// It reports whether it set any; h itself is left as it is, a copy
// returned when a header is set, so that what the client sent stays as
// it was for the log.
//
// botocore's HmacV1QueryAuth._inject_signature, which boto3 presigns
// with under signature_version "s3", moves Content-Type, Content-MD5
// and every x-amz-* header into the query, lower-cased, and sends none
// of them: a presigned PutObject's ContentType, ACL (x-amz-acl),
// Metadata (x-amz-meta-*), ServerSideEncryption and CopySource
// (x-amz-copy-source) are in the query only. The signature covers them
// there (stringToSignV2, canonicalAmzHeadersV2), so they must be read
// as the request's headers; call it after the verification, which
// would otherwise count each x-amz-* parameter twice, as a header and in
// the query. A header sent wins over the query, as stringToSignV2 signs
// it for Content-Type and Content-MD5. A parameter whose name no header
// could have (not an HTTP token) is left out, and so are the
// x-amz-checksum-* ones: S3 ignores a checksum in a presigned URL's
// query ("presigned URLs don't support" them, the S3 User Guide's
// Uploading objects with presigned URLs), as the server does for
// version 4 (s3server's TestPresignedChecksumQueryIgnored).
//
// UNVERIFIED: S3 was not seen reading these parameters; botocore's
// presigned URLs are written for S3, and the x-amz-* ones are signed as
// S3 signs x-amz-security-token from the query.
func QueryHeadersV2(h http.Header, query url.Values) (http.Header, bool) {
	var out http.Header
	for _, name := range slices.Sorted(maps.Keys(query)) { // sorted: in one order should two differ only in case
		lower := strings.ToLower(name)
		if name != "content-type" && name != "content-md5" && !strings.HasPrefix(lower, "x-amz-") ||
			strings.HasPrefix(lower, "x-amz-checksum-") || !ascii.IsToken(name) {
			continue
		}
		key := textproto.CanonicalMIMEHeaderKey(name)
		if len(h[key]) > 0 {
			continue
		}
		if out == nil {
			out = h.Clone()
			if out == nil {
				out = http.Header{}
			}
		}
		out[key] = append(out[key], query[name]...)
	}
	if out == nil {
		return h, false
	}
	return out, true
}

// ReadQueryHeadersV2 makes r's headers those of a presigned URL of
// Signature Version 2 read as its signer meant ([QueryHeadersV2]): when
// r is one, r.Header becomes a copy with the query's headers set, and it
// reports whether any was set. A caller that verified r (verified) gives
// the [Signature] [Verifier.Verify] found, and r is one when sig is
// presigned of version 2; one that verifies nothing, r's shape tells
// ([PresignedV2]), so that a URL boto3 presigned does what it does with
// keys. query is r's, as [ParseQuery] gives it. s3cors serve and the
// proxy read such URLs through it, so that they read them alike.
func ReadQueryHeadersV2(r *http.Request, query url.Values, sig Signature, verified bool) bool {
	presigned := sig.Version == 2 && sig.Presigned
	if !verified {
		presigned = PresignedV2(r, query)
	}
	if !presigned {
		return false
	}
	var set bool
	r.Header, set = QueryHeadersV2(r.Header, query)
	return set
}

// unfold trims a header value and replaces each line break of a folded
// value, with the white space around it, by one space.
func unfold(v string) string {
	v = strings.TrimSpace(v)
	if !strings.ContainsAny(v, "\r\n") {
		return v
	}
	lines := strings.FieldsFunc(v, func(c rune) bool { return c == '\r' || c == '\n' })
	for i, l := range lines {
		lines[i] = strings.Trim(l, " \t")
	}
	return strings.Join(lines, " ")
}

// canonicalResourcesV2 returns the CanonicalizedResource of a
// path-style request, in the forms a client may have signed, S3's first:
// the path exactly as sent, escapes and their case included, then the
// signed subresources sorted by name, each with "=" and its unescaped
// value when it has one.
//
// A request for a bucket itself (path "/bucket") is signed "/bucket/" by
// botocore and aws-sdk-java v1 whatever the addressing style, as the
// guide's virtual-hosted examples are ("/johnsmith/"), and S3 reports
// that form (https://github.com/boto/botocore/issues/2962): it comes
// first. The guide's rule for path-style requests, "/bucket", is taken
// too.
//
// A subresource sent with "=" and no value ("?location=") is signed
// without it, as S3 takes from minio-go
// (https://github.com/minio/minio-go/issues/600); botocore signs it as
// sent, which is taken too.
//
// A value is unescaped as [ParseQuery] unescapes it for the handlers, a
// '+' read as a space: goamz and Go's url.Values sign the value decoded
// so (?response-content-disposition=attachment%3B+filename%3Da+b.txt
// signed "attachment; filename=a b.txt"), and a goamz URL written for S3
// failed only on MinIO, which kept the '+'
// (https://github.com/minio/minio/issues/3547). The '+' kept, as
// botocore's unquote keeps it, is taken too. UNVERIFIED: S3's decoding
// of a '+' in a signed value was not captured; nor whether S3 takes the
// second form.
func canonicalResourcesV2(r *http.Request) []string { return canonicalResourcesV2At(r, "") }

// canonicalResourcesV2At is canonicalResourcesV2 for a request that may
// be virtual-hosted (hostBucket not ""), which signs its bucket in front
// of its path: "/BUCKET/KEY", "/BUCKET/" for the bucket itself.
func canonicalResourcesV2At(r *http.Request, hostBucket string) []string {
	path := r.RequestURI
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if !strings.HasPrefix(path, "/") { // absolute-form, or a request made in a test
		path = r.URL.EscapedPath()
	}
	if path == "" {
		path = "/"
	}
	paths := []string{path}
	switch {
	case hostBucket != "":
		paths = []string{"/" + hostBucket + path}
	case len(path) > 1 && strings.IndexByte(path[1:], '/') < 0:
		paths = []string{path + "/", path}
	}
	var subresources []string
	for _, unescape := range []func(string) string{queryUnescape, pathUnescape} {
		for _, keepEmpty := range []bool{false, true} {
			if s := canonicalSubresourcesV2(r.URL.RawQuery, keepEmpty, unescape); !slices.Contains(subresources, s) {
				subresources = append(subresources, s)
			}
		}
	}
	var out []string
	for _, p := range paths {
		for _, s := range subresources {
			out = append(out, p+s)
		}
	}
	return out
}

// canonicalSubresourcesV2 returns the signed subresources of a query,
// "?name[=value]&...", or "" when it has none, their names and values
// unescaped by unescape. keepEmpty keeps the "=" of a subresource sent
// with an empty value.
func canonicalSubresourcesV2(rawQuery string, keepEmpty bool, unescape func(string) string) string {
	type sub struct{ name, text string }
	var subs []sub
	for pair := range strings.SplitSeq(rawQuery, "&") {
		name, value, hasValue := strings.Cut(pair, "=")
		name = unescape(name)
		if !sigV2Subresources[name] {
			continue
		}
		text := name
		if value = unescape(value); value != "" || hasValue && keepEmpty {
			text += "=" + value
		}
		subs = append(subs, sub{name, text})
	}
	if len(subs) == 0 {
		return ""
	}
	slices.SortStableFunc(subs, func(a, b sub) int { return strings.Compare(a.name, b.name) })
	var b strings.Builder
	for i, s := range subs {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(s.text)
	}
	return b.String()
}

// queryUnescape unescapes %XX and reads '+' as a space, as [ParseQuery]
// does; a malformed escape leaves s as sent.
func queryUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// pathUnescape unescapes %XX as botocore's unquote does, leaving '+' as
// it is; a malformed escape leaves s as sent.
func pathUnescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}
