package sigv

import (
	"net/http"
	"strconv"
	"time"

	"github.com/s3cors/s3cors/s3err"
)

// S3's errors for signatures, with its messages: verbatim where S3 was
// seen sending them; for Signature Version 2 and an unknown scheme
// UNVERIFIED, as S3 emulators (s3rver, MinIO) reproduce them, none having
// been captured from S3 for this module.
const (
	msgSignatureMismatch   = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	msgInvalidAccessKeyID  = "The AWS Access Key Id you provided does not exist in our records."
	msgRequestExpired      = "Request has expired"
	msgRequestNotYetValid  = "Request is not yet valid"
	msgTimeTooSkewed       = "The difference between the request time and the current time is too large."
	msgNoAuthDate          = "AWS authentication requires a valid Date or x-amz-date header"
	msgHeadersNotSigned    = "There were headers present in the request which were not signed"
	msgOneAuthMechanism    = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
	msgUnsupportedAuthType = "Unsupported Authorization Type"
	msgMissingContentSHA   = "Missing required header for this request: x-amz-content-sha256"
	msgBadContentSHAHeader = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value."
	msgContentSHA256       = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgV2HeaderSpaces      = "Authorization header is invalid -- one and only one ' ' (space) required"
	msgV2HeaderFormat      = "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature"
	msgV2QueryParams       = "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"
	msgV2InvalidExpires    = "Invalid date (should be seconds since epoch): "
	msgV2NotSupported      = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
)

// isoSeconds is the form of the times S3 reports in signature errors.
const isoSeconds = "2006-01-02T15:04:05Z"

// signatureMismatch is S3's answer to a signature that does not match;
// details carry the strings S3 shows to help find the difference.
func signatureMismatch(details ...string) error {
	return s3err.New(http.StatusForbidden, "SignatureDoesNotMatch", msgSignatureMismatch, details...)
}

func invalidAccessKey(key string) error {
	return s3err.New(http.StatusForbidden, "InvalidAccessKeyId", msgInvalidAccessKeyID, "AWSAccessKeyId", key)
}

func accessDenied(msg string, details ...string) error {
	return s3err.New(http.StatusForbidden, "AccessDenied", msg, details...)
}

func noAuthDate() error { return accessDenied(msgNoAuthDate) }

func requestExpired(details ...string) error { return accessDenied(msgRequestExpired, details...) }

func notYetValid(details ...string) error { return accessDenied(msgRequestNotYetValid, details...) }

// headersNotSigned is S3's answer to headers it requires signed (Host
// and every x-amz-* header) that SignedHeaders leaves out; names lists
// them.
func headersNotSigned(names string) error {
	return accessDenied(msgHeadersNotSigned, "HeadersNotSigned", names)
}

// timeTooSkewed is S3's answer to a request signed more than maxSkew
// from the server's clock, giving both times as S3 does.
func timeTooSkewed(sent string, now time.Time, maxSkew time.Duration) error {
	return s3err.New(http.StatusForbidden, "RequestTimeTooSkewed", msgTimeTooSkewed,
		"RequestTime", sent, "ServerTime", now.Format(isoSeconds),
		"MaxAllowedSkewMilliseconds", strconv.FormatInt(maxSkew.Milliseconds(), 10))
}

// invalidAuthorization is S3's answer to an Authorization header it
// cannot read as a signature.
func invalidAuthorization(msg, auth string) error {
	return s3err.InvalidArgument(msg, "Authorization", auth)
}

// malformedAuth is S3's answer to an Authorization header of version 4
// that is malformed or scoped wrong; details follow the message.
func malformedAuth(detail string, details ...string) error {
	return s3err.New(http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; "+detail, details...)
}

// queryAuthError is S3's answer to a presigned URL of version 4 that is
// malformed or scoped wrong.
func queryAuthError(msg string, details ...string) error {
	return s3err.New(http.StatusBadRequest, "AuthorizationQueryParametersError", msg, details...)
}

// v2NotSupported is S3's answer to a Signature Version 2 (header,
// presigned URL or POST form) in a region that never took it, as
// recorded from eu-central-1, eu-west-2, ap-south-1 and ca-central-1
// (benefitcloud/ember-uploader#143, FineUploader/react-fine-uploader#59).
func v2NotSupported() error { return s3err.InvalidRequest(msgV2NotSupported) }

func missingContentSHA() error { return s3err.InvalidRequest(msgMissingContentSHA) }

func badContentSHAHeader(value string) error {
	return s3err.InvalidArgument(msgBadContentSHAHeader, "x-amz-content-sha256", value)
}

// ecdsaNotImplemented is the answer to an aws-chunked body signed with
// Signature Version 4A (STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD...),
// which this package does not verify.
func ecdsaNotImplemented() error { return s3err.NotImplemented() }

// contentSHA256Mismatch is S3's answer to a body whose SHA-256 is not
// the x-amz-content-sha256 it was signed with, found at its end.
func contentSHA256Mismatch(claimed, computed string) error {
	return s3err.New(http.StatusBadRequest, "XAmzContentSHA256Mismatch", msgContentSHA256,
		"ClientComputedContentSHA256", claimed, "S3ComputedContentSHA256", computed)
}
