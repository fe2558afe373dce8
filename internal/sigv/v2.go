package sigv

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AWS Signature Version 2, as S3 verifies it: the Authorization header
// "AWS AccessKeyId:Signature" and presigned URLs with AWSAccessKeyId,
// Expires and Signature in the query
// (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html).
// The signature is the base64 HMAC-SHA1, keyed with the secret key, of
//
//	VERB \n Content-MD5 \n Content-Type \n Date \n
//	CanonicalizedAmzHeaders CanonicalizedResource
//
// where Date is empty when x-amz-date is sent and is Expires in a
// presigned URL.
const v2Scheme = "AWS"

// regionsV2 are the regions in which S3 takes Signature Version 2: those
// launched before 30 January 2014. S3 answers a request signed so in any
// other (eu-central-1, launched that October, is the first) with
// InvalidRequest, whatever its signature (see v2NotSupported).
// UNVERIFIED: us-gov-west-1, launched in 2011, is taken by that date; no
// answer from it was recorded.
var regionsV2 = []string{
	"us-east-1", "us-west-1", "us-west-2", "eu-west-1",
	"ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "sa-east-1",
	"us-gov-west-1",
}

// checkRegionV2 refuses a Signature Version 2 in a region that does not
// take it. S3 tells this before it reads the signature itself.
// UNVERIFIED: that order, against a malformed header or URL.
func (v *Verifier) checkRegionV2() error {
	if !slices.Contains(regionsV2, v.opts.Region) {
		return v2NotSupported()
	}
	return nil
}

// sigV2 is what a request says about its Signature Version 2.
type sigV2 struct {
	accessKey string
	signature string // base64, as sent
	presigned bool
	// For the Authorization header: the request time, from x-amz-date
	// when sent (amzDate set), else Date, as sent and parsed.
	dateText string
	amzDate  bool
	time     time.Time
	// For a presigned URL: Expires, as sent and parsed.
	expires   string
	expiresAt time.Time
	// hostBucket is the bucket a virtual-hosted request names in its
	// Host, "" for a path-style one.
	hostBucket string
}

// check checks a parsed signature of version 2: its key, its time, then
// the signature itself.
func (sig *sigV2) check(v *Verifier, r *http.Request, query url.Values) (Signature, error) {
	secret, ok := v.secretKey(sig.accessKey)
	if !ok {
		return Signature{}, invalidAccessKey(sig.accessKey)
	}
	now := v.opts.Now().UTC()
	if sig.presigned {
		// No limit on how far Expires may be from now, but 2038 (see
		// parsePresignedV2): Signature Version 2 never had one.
		if now.After(sig.expiresAt) {
			return Signature{}, requestExpired("Expires", sig.expiresAt.Format(isoSeconds), "ServerTime", now.Format(isoSeconds))
		}
	} else if err := v.checkSkew(now, sig.time, sig.dateText); err != nil {
		return Signature{}, err
	}
	candidates := stringsToSignV2(r, query, sig)
	for _, sts := range candidates {
		if hmac.Equal([]byte(signV2(secret, sts)), []byte(sig.signature)) {
			return Signature{Version: 2, AccessKey: sig.accessKey, Presigned: sig.presigned}, nil
		}
	}
	return Signature{}, signatureMismatch(
		"AWSAccessKeyId", sig.accessKey,
		"StringToSign", candidates[0],
		"SignatureProvided", sig.signature,
		"StringToSignBytes", spacedHex(candidates[0]))
}

// parseAuthorizationV2 parses "AWS AccessKeyId:Signature" and the request
// time of the headers.
func parseAuthorizationV2(auth string, h http.Header) (*sigV2, error) {
	parts := strings.Split(auth, " ")
	if len(parts) != 2 {
		return nil, invalidAuthorization(msgV2HeaderSpaces, auth)
	}
	key, signature, ok := strings.Cut(parts[1], ":")
	if !ok || signature == "" || strings.Contains(signature, ":") {
		return nil, invalidAuthorization(msgV2HeaderFormat, auth)
	}
	sig := &sigV2{accessKey: key, signature: signature}
	if v, ok := h["X-Amz-Date"]; ok {
		sig.dateText, sig.amzDate = strings.Join(v, ","), true
	} else {
		sig.dateText = h.Get("Date")
	}
	t, ok := parseHTTPDate(sig.dateText)
	if !ok {
		return nil, noAuthDate()
	}
	sig.time = t
	return sig, nil
}

// parsePresignedV2 parses AWSAccessKeyId, Signature and Expires.
//
// UNVERIFIED: S3's order of the checks on a presigned URL was not
// captured; Expires is parsed before the key is looked at.
func parsePresignedV2(q url.Values) (*sigV2, error) {
	if !q.Has("AWSAccessKeyId") || !q.Has("Signature") || !q.Has("Expires") {
		return nil, accessDenied(msgV2QueryParams)
	}
	sig := &sigV2{accessKey: q.Get("AWSAccessKeyId"), presigned: true, expires: q.Get("Expires")}
	// Base64 has no spaces: one is a '+' sent unescaped and decoded as
	// a space by the query's form encoding.
	sig.signature = strings.ReplaceAll(q.Get("Signature"), " ", "+")
	// S3 takes an Expires up to 2038, seconds since 1970 that fit in 31
	// bits: one in milliseconds, or now plus a duration in them, is
	// "Invalid date" (https://github.com/transloadit/uppy/issues/1130,
	// scality/Arsenal#192). UNVERIFIED: the bound itself, 2^31, which is
	// OpenStack Swift's s3api's.
	secs, err := strconv.ParseInt(sig.expires, 10, 64)
	if err != nil || secs >= 1<<31 {
		return nil, accessDenied(msgV2InvalidExpires + sig.expires)
	}
	sig.expiresAt = time.Unix(secs, 0).UTC()
	return sig, nil
}

// httpDateFormats are the forms of Date and x-amz-date taken: RFC 1123
// with "GMT" or a numeric zone (the S3 documentation's examples use
// "+0000"), RFC 850, asctime, and SigV4's ISO 8601 basic form. RFC 1123
// is taken with a day of one digit too ("Mon, 7 Dec 2026"), as RFC 2822
// allows and goofys and Java's DateTimeFormatter.RFC_1123_DATE_TIME send
// it. UNVERIFIED: whether S3 takes that day.
var httpDateFormats = []string{http.TimeFormat, time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC, amzDateFormat,
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700"}

// parseHTTPDate parses a Date or x-amz-date value in any of the forms
// clients send (httpDateFormats), around white space.
func parseHTTPDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, f := range httpDateFormats {
		if t, err := time.Parse(f, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// signV2 returns the signature of a string to sign: base64 of its
// HMAC-SHA1 keyed with the secret key.
func signV2(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
