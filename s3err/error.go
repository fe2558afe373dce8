// Package s3err is Amazon S3's error: the [Error] type every package of
// this module reports, the codes and messages S3 answers with, the XML
// document and HTTP response that carry them, and the request IDs S3 puts
// on every response.
//
// It depends on no other package of this module but two byte-level
// helpers (internal/xmlw and internal/ascii), so that an S3-compatible
// server or proxy can answer in S3's words without pulling in the CORS
// evaluator. Errors that belong to one operation (a CORS rule's
// validation, a refused preflight, a signature) are built where that
// operation lives, with [New].
package s3err

import (
	"fmt"
	"net/http"
	"strconv"
)

// Error is an error as Amazon S3 reports it: an HTTP status, a Code, a
// Message and the extra elements some errors carry (Method, ResourceType,
// BucketName, Key, ...). Every package of this module reports S3 errors with
// this type, so a caller can recover S3's exact answer with [errors.As].
//
// Reason, Rule, Field, Index, Line and Column are not part of S3's answer.
// They say what exactly was wrong and where, for tools that point at the
// input.
type Error struct {
	// StatusCode is the HTTP status S3 sends the error with. An Error
	// without one cannot be sent: WriteResponse passes it to
	// [http.ResponseWriter.WriteHeader], which panics in net/http's
	// servers and httptest.ResponseRecorder on a status outside 100-999,
	// the zero value's 0 included.
	StatusCode int
	Code       string
	Message    string
	// Details are the extra elements S3 puts between Message and RequestId,
	// in S3's order.
	Details []Detail

	// Reason says what exactly was wrong, in words S3 does not use, such as
	// "unknown element "ExposedHeader"; S3 calls it "ExposeHeader"".
	Reason string
	// Rule is the 1-based position of the offending rule of a
	// configuration, or 0.
	Rule int
	// Field and Index name the value of the rule the problem is about:
	// Field is its element's name in S3's XML (AllowedOrigin,
	// AllowedMethod, AllowedHeader, ExposeHeader, ID or MaxAgeSeconds)
	// and Index its place in its list, from 0 (0 for ID and
	// MaxAgeSeconds). Field is "" for a problem about the rule as a whole,
	// such as a missing AllowedOrigin, or about no one rule.
	Field string
	Index int
	// Line and Column locate the problem in the decoded document (1-based),
	// or are 0 where the decoder does not know them.
	Line, Column int
}

// Detail is one extra element of an S3 error body, such as
// <Method>PUT</Method>.
type Detail struct {
	Name, Value string
}

// New returns an S3 error with the given status, code and message, and
// the extra elements details gives as name, value pairs in S3's order.
// An odd last element is ignored.
func New(status int, code, message string, details ...string) *Error {
	e := &Error{StatusCode: status, Code: code, Message: message}
	if len(details) >= 2 {
		e.Details = make([]Detail, 0, len(details)/2)
		for i := 0; i+1 < len(details); i += 2 {
			e.Details = append(e.Details, Detail{Name: details[i], Value: details[i+1]})
		}
	}
	return e
}

// Error returns "Code: Message", followed by the reason in parentheses when
// there is one. For an error S3 sends without a message, such as an
// invalid canned ACL's InvalidArgument, the details stand in for it
// ("InvalidArgument: ArgumentName "x-amz-acl", ArgumentValue "bad"").
func (e *Error) Error() string {
	s := e.Code
	switch {
	case e.Message != "":
		s += ": " + e.Message
	case len(e.Details) > 0:
		for i, d := range e.Details {
			sep := ", "
			if i == 0 {
				sep = ": "
			}
			s += sep + d.Name + " " + strconv.Quote(d.Value)
		}
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Detail returns the value of the extra element name and whether e has it.
func (e *Error) Detail(name string) (string, bool) {
	for _, d := range e.Details {
		if d.Name == name {
			return d.Value, true
		}
	}
	return "", false
}

// Position returns where e is in the decoded document: "line L, column C",
// "line L" when the column is unknown, or "" when the line is.
func (e *Error) Position() string {
	switch {
	case e.Line == 0:
		return ""
	case e.Column == 0:
		return "line " + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("line %d, column %d", e.Line, e.Column)
}

// S3's messages, verbatim where S3 was seen sending them.
const (
	msgAccessDenied     = "Access Denied"
	msgMalformedXML     = "The XML you provided was not well-formed or did not validate against our published schema"
	msgTooBig           = "Your request was too big."
	msgMissingBody      = "Request Body is empty"
	msgNotImplemented   = "A header you provided implies functionality that is not implemented"
	msgMethodNotAllowed = "The specified method is not allowed against this resource."
	msgInternalError    = "We encountered an internal error. Please try again."
	msgIncompleteBody   = "You did not provide the number of bytes specified by the Content-Length HTTP header"
	msgRequestTimeout   = "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed."
	msgNoSuchBucket     = "The specified bucket does not exist"
	msgInvalidBucket    = "The specified bucket is not valid."
	msgNoSuchCORS       = "The CORS configuration does not exist"
	msgEntityTooSmall   = "Your proposed upload is smaller than the minimum allowed size"
	msgEntityTooLarge   = "Your proposed upload exceeds the maximum allowed size"
	msgMissingLength    = "You must provide the Content-Length HTTP header."
	msgNoVersionID      = "This operation does not accept a version-id."
	msgSlowDown         = "Please reduce your request rate."
)

// MalformedXML returns S3's MalformedXML (400), with reason saying what
// did not validate. S3 gives the same message for every schema violation
// of a document it reads: one that is not well-formed, a wrong root, an
// unknown element, a missing required element, a value of the wrong type.
func MalformedXML(reason string) *Error {
	return &Error{StatusCode: http.StatusBadRequest, Code: "MalformedXML", Message: msgMalformedXML, Reason: reason}
}

// MissingRequestBody returns S3's MissingRequestBodyError (400), its
// answer to a request whose XML document has no bytes at all, in the words
// S3 was recorded sending for an empty PutBucketNotificationConfiguration
// (aws/aws-sdk-cpp#733; AWS's list of error codes writes "Request body is
// empty.").
//
// UNVERIFIED: that PutBucketCors answers an empty body so, not with
// MalformedXML; AWS's list gives the code for any empty XML document.
func MissingRequestBody() *Error {
	return &Error{StatusCode: http.StatusBadRequest, Code: "MissingRequestBodyError", Message: msgMissingBody,
		Reason: "the document is empty", Line: 1, Column: 1}
}

// MaxMessageLengthExceeded returns S3's answer (400) to a request body
// longer than limit bytes, the most the operation reads, such as a CORS
// configuration over 64 KB.
//
// UNVERIFIED: S3 documents the 64 KB limit of a CORS configuration but
// no capture shows its error. MaxMessageLengthExceeded is S3's general
// code for a request body over a size limit.
func MaxMessageLengthExceeded(limit int) *Error {
	return &Error{StatusCode: http.StatusBadRequest, Code: "MaxMessageLengthExceeded", Message: msgTooBig,
		Reason: "the document is larger than " + strconv.Itoa(limit) + " bytes"}
}

// InvalidArgument returns S3's InvalidArgument (400) with message, naming
// the argument and its value as S3 does.
func InvalidArgument(message, name, value string) *Error {
	return New(http.StatusBadRequest, "InvalidArgument", message, "ArgumentName", name, "ArgumentValue", value)
}

// InvalidRequest returns S3's InvalidRequest (400) with message.
func InvalidRequest(message string) *Error {
	return New(http.StatusBadRequest, "InvalidRequest", message)
}

// AccessDenied returns S3's plain AccessDenied (403).
func AccessDenied() *Error {
	return New(http.StatusForbidden, "AccessDenied", msgAccessDenied)
}

// NotImplemented returns S3's NotImplemented (501), its answer to a
// header or subresource it does not implement.
func NotImplemented() *Error {
	return New(http.StatusNotImplemented, "NotImplemented", msgNotImplemented)
}

// MethodNotAllowed returns S3's MethodNotAllowed (405) for method on a
// resource of type resourceType (SERVICE, BUCKET or OBJECT).
func MethodNotAllowed(method, resourceType string) *Error {
	return New(http.StatusMethodNotAllowed, "MethodNotAllowed", msgMethodNotAllowed,
		"Method", method, "ResourceType", resourceType)
}

// InternalError returns S3's InternalError (500).
func InternalError() *Error {
	return New(http.StatusInternalServerError, "InternalError", msgInternalError)
}

// IncompleteBody returns S3's IncompleteBody (400): the body ended before
// Content-Length bytes.
func IncompleteBody() *Error {
	return New(http.StatusBadRequest, "IncompleteBody", msgIncompleteBody)
}

// RequestTimeout returns S3's RequestTimeout (400): the client paused
// sending its body longer than the server waits.
func RequestTimeout() *Error {
	return New(http.StatusBadRequest, "RequestTimeout", msgRequestTimeout)
}

// EntityTooSmall returns S3's EntityTooSmall (400): an upload of proposed
// bytes, below limit, the least a POST policy's content-length-range or
// a multipart upload's part allows.
func EntityTooSmall(proposed, limit int64) *Error {
	return New(http.StatusBadRequest, "EntityTooSmall", msgEntityTooSmall,
		"ProposedSize", strconv.FormatInt(proposed, 10), "MinSizeAllowed", strconv.FormatInt(limit, 10))
}

// EntityTooLarge returns S3's EntityTooLarge (400): an upload of proposed
// bytes, above limit, the most the operation or a POST policy's
// content-length-range allows.
func EntityTooLarge(proposed, limit int64) *Error {
	return New(http.StatusBadRequest, "EntityTooLarge", msgEntityTooLarge,
		"ProposedSize", strconv.FormatInt(proposed, 10), "MaxSizeAllowed", strconv.FormatInt(limit, 10))
}

// MissingContentLength returns S3's MissingContentLength (411): a body
// sent without its length, which S3 does not take.
func MissingContentLength() *Error {
	return New(http.StatusLengthRequired, "MissingContentLength", msgMissingLength)
}

// SlowDown returns S3's SlowDown (503): the server is busy, and the
// client should send the request again later, more slowly (the AWS SDKs
// retry it with backoff).
func SlowDown() *Error {
	return New(http.StatusServiceUnavailable, "SlowDown", msgSlowDown)
}

// VersionIDNotAccepted returns S3's InvalidArgument (400) for a versionId
// on an operation that takes none, naming value as its argument's value.
func VersionIDNotAccepted(value string) *Error {
	return InvalidArgument(msgNoVersionID, "versionId", value)
}

// NoSuchBucket returns S3's NoSuchBucket (404) for the bucket name.
func NoSuchBucket(name string) *Error {
	return New(http.StatusNotFound, "NoSuchBucket", msgNoSuchBucket, "BucketName", name)
}

// InvalidBucketName returns S3's InvalidBucketName (400) for the bucket
// name, one S3 would not have made a bucket by.
func InvalidBucketName(name string) *Error {
	return New(http.StatusBadRequest, "InvalidBucketName", msgInvalidBucket, "BucketName", name)
}

// NoSuchCORSConfiguration returns S3's answer (404) to GetBucketCors on
// the bucket name, which has no CORS configuration.
func NoSuchCORSConfiguration(name string) *Error {
	return New(http.StatusNotFound, "NoSuchCORSConfiguration", msgNoSuchCORS, "BucketName", name)
}
