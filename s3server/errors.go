package s3server

import (
	"net/http"
	"strconv"

	"github.com/s3cors/s3cors/corsrule"
)

// S3's messages for the errors this server sends, verbatim where S3 was
// seen sending them.
const (
	msgAccessDenied        = "Access Denied"
	msgNoSuchBucket        = "The specified bucket does not exist"
	msgNoSuchKey           = "The specified key does not exist."
	msgNoSuchCORS          = "The CORS configuration does not exist"
	msgBucketNotEmpty      = "The bucket you tried to delete is not empty"
	msgBucketOwnedByYou    = "Your previous request to create the named bucket succeeded and you already own it."
	msgInvalidBucketName   = "The specified bucket is not valid."
	msgKeyTooLong          = "Your key is too long."
	msgInvalidDigest       = "The Content-MD5 you specified was invalid."
	msgBadDigest           = "The Content-MD5 you specified did not match what we received."
	msgMissingIntegrity    = "Missing required header for this request: Content-MD5 OR x-amz-checksum-*"
	msgNotImplemented      = "A header you provided implies functionality that is not implemented"
	msgMethodNotAllowed    = "The specified method is not allowed against this resource."
	msgEntityTooLarge      = "Your proposed upload exceeds the maximum allowed size"
	msgInternalError       = "We encountered an internal error. Please try again."
	msgIncompleteBody      = "You did not provide the number of bytes specified by the Content-Length HTTP header"
	msgSignatureMismatch   = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	msgInvalidAccessKeyID  = "The AWS Access Key Id you provided does not exist in our records."
	msgRequestExpired      = "Request has expired"
	msgRequestNotYetValid  = "Request is not valid yet"
	msgTimeTooSkewed       = "The difference between the request time and the current time is too large."
	msgContentSHA256       = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgInvalidRange        = "The requested range is not satisfiable"
	msgPreconditionFailed  = "At least one of the pre-conditions you specified did not hold"
	msgMetadataTooLarge    = "Your metadata headers exceed the maximum allowed metadata size"
	msgInvalidVersionID    = "Invalid version id specified"
	msgInvalidMaxKeys      = "Provided max-keys not an integer or within integer range"
	msgInvalidToken        = "The continuation token provided is incorrect"
	msgInvalidURI          = "Couldn't parse the specified URI."
	msgInvalidLocation     = "The specified location-constraint is not valid"
	msgNoSuchVersion       = "The specified version does not exist."
	msgNoAuthDate          = "AWS authentication requires a valid Date or x-amz-date header"
	msgHeadersNotSigned    = "There were headers present in the request which were not signed"
	msgOneAuthMechanism    = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
	msgMissingContentSHA   = "Missing required header for this request: x-amz-content-sha256"
	msgBadContentSHAHeader = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value."
)

// s3Error returns an S3 error with the given status, code, message and
// extra elements, given as name, value pairs in S3's order.
func s3Error(status int, code, message string, details ...string) *corsrule.Error {
	e := &corsrule.Error{StatusCode: status, Code: code, Message: message}
	for i := 0; i+1 < len(details); i += 2 {
		e.Details = append(e.Details, corsrule.Detail{Name: details[i], Value: details[i+1]})
	}
	return e
}

func errNoSuchBucket(name string) *corsrule.Error {
	return s3Error(http.StatusNotFound, "NoSuchBucket", msgNoSuchBucket, "BucketName", name)
}

func errNoSuchKey(key string) *corsrule.Error {
	return s3Error(http.StatusNotFound, "NoSuchKey", msgNoSuchKey, "Key", key)
}

func errNoSuchCORS(name string) *corsrule.Error {
	return s3Error(http.StatusNotFound, "NoSuchCORSConfiguration", msgNoSuchCORS, "BucketName", name)
}

func errBucketNotEmpty(name string) *corsrule.Error {
	return s3Error(http.StatusConflict, "BucketNotEmpty", msgBucketNotEmpty, "BucketName", name)
}

func errBucketOwnedByYou(name string) *corsrule.Error {
	return s3Error(http.StatusConflict, "BucketAlreadyOwnedByYou", msgBucketOwnedByYou, "BucketName", name)
}

func errInvalidBucketName(name string) *corsrule.Error {
	return s3Error(http.StatusBadRequest, "InvalidBucketName", msgInvalidBucketName, "BucketName", name)
}

func errKeyTooLong(size int) *corsrule.Error {
	return s3Error(http.StatusBadRequest, "KeyTooLongError", msgKeyTooLong,
		"Size", strconv.Itoa(size), "MaxSizeAllowed", strconv.Itoa(maxKeyLen))
}

func errAccessDenied() *corsrule.Error {
	return s3Error(http.StatusForbidden, "AccessDenied", msgAccessDenied)
}

func errNotImplemented() *corsrule.Error {
	return s3Error(http.StatusNotImplemented, "NotImplemented", msgNotImplemented)
}

func errMethodNotAllowed(method, resourceType string) *corsrule.Error {
	return s3Error(http.StatusMethodNotAllowed, "MethodNotAllowed", msgMethodNotAllowed,
		"Method", method, "ResourceType", resourceType)
}

func errEntityTooLarge(proposed, max int64) *corsrule.Error {
	return s3Error(http.StatusBadRequest, "EntityTooLarge", msgEntityTooLarge,
		"ProposedSize", strconv.FormatInt(proposed, 10), "MaxSizeAllowed", strconv.FormatInt(max, 10))
}

func errInternal() *corsrule.Error {
	return s3Error(http.StatusInternalServerError, "InternalError", msgInternalError)
}

func errIncompleteBody() *corsrule.Error {
	return s3Error(http.StatusBadRequest, "IncompleteBody", msgIncompleteBody)
}

func errInvalidArgument(message, name, value string) *corsrule.Error {
	return s3Error(http.StatusBadRequest, "InvalidArgument", message, "ArgumentName", name, "ArgumentValue", value)
}

func errInvalidRequest(message string) *corsrule.Error {
	return s3Error(http.StatusBadRequest, "InvalidRequest", message)
}
