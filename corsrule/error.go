package corsrule

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/s3cors/s3cors/internal/xmlw"
)

// Error is an error as Amazon S3 reports it: an HTTP status, a Code, a
// Message and the extra elements some errors carry (Method, ResourceType,
// BucketName, Key, ...). Every package of this module reports S3 errors with
// this type, so a caller can recover S3's exact answer with [errors.As].
//
// Reason, Rule, Line and Column are not part of S3's answer. They say what
// exactly was wrong and where, for tools that point at the input.
type Error struct {
	StatusCode int
	Code       string
	Message    string
	// Details are the extra elements S3 puts between Message and RequestId,
	// in S3's order.
	Details []Detail

	// Reason says what exactly was wrong, in words S3 does not use, such as
	// `unknown element "ExposedHeader"; S3 calls it "ExposeHeader"`.
	Reason string
	// Rule is the 1-based position of the offending CORSRule, or 0.
	Rule int
	// Line and Column locate the problem in the decoded document (1-based),
	// or are 0 where the decoder does not know them.
	Line, Column int
}

// Detail is one extra element of an S3 error body, such as
// <Method>PUT</Method>.
type Detail struct {
	Name, Value string
}

// Error returns "Code: Message", followed by the reason in parentheses when
// there is one.
func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
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

// Position returns "line L, column C" or "" when the position is unknown.
func (e *Error) Position() string {
	switch {
	case e.Line == 0:
		return ""
	case e.Column == 0:
		return "line " + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("line %d, column %d", e.Line, e.Column)
}

// AppendXML appends the XML error document S3 sends with e: the declaration,
// then <Error> with Code, Message, the Details, Resource (when not empty),
// RequestId and HostId, in that order. Text is escaped as S3 escapes it
// (&, < and >); characters XML 1.0 cannot carry become U+FFFD, so no control
// character from a request is ever reflected.
func (e *Error) AppendXML(b []byte, resource, requestID, hostID string) []byte {
	b = append(b, xmlw.Declaration...)
	b = append(b, "<Error>"...)
	b = xmlw.AppendElement(b, "Code", e.Code)
	b = xmlw.AppendElement(b, "Message", e.Message)
	for _, d := range e.Details {
		b = xmlw.AppendElement(b, d.Name, d.Value)
	}
	if resource != "" {
		b = xmlw.AppendElement(b, "Resource", resource)
	}
	b = xmlw.AppendElement(b, "RequestId", requestID)
	b = xmlw.AppendElement(b, "HostId", hostID)
	return append(b, "</Error>"...)
}

// S3's messages, verbatim (see the spec, §2 and §3).
const (
	msgMalformedXML        = "The XML you provided was not well-formed or did not validate against our published schema"
	msgUnsupportedMethod   = "Found unsupported HTTP method in CORS config. Unsupported method is "
	msgTooManyRules        = "The number of CORS rules should not exceed allowed limit of 100 rules."
	msgTooBig              = "Your request was too big."
	msgIDTooLong           = "ID length should not exceed allowed limit of 255"
	msgWildcardSuffix      = " can not have more than one wildcard."
	msgInvalidCharSuffix   = " contains invalid character."
	msgExposeWildcardSufix = " contains wildcard. We currently do not support wildcard for ExposeHeader."
)

// MalformedXML returns S3's MalformedXML error (400), with reason saying
// what did not validate. S3 gives the same message for every schema
// violation: a document that is not well-formed, a wrong root, an unknown
// element, no CORSRule, a rule without AllowedOrigin or AllowedMethod, a
// MaxAgeSeconds that is not an integer.
func MalformedXML(reason string) *Error {
	return &Error{StatusCode: http.StatusBadRequest, Code: "MalformedXML", Message: msgMalformedXML, Reason: reason}
}

// UnsupportedMethod returns S3's InvalidRequest error for an AllowedMethod
// other than GET, PUT, HEAD, POST and DELETE. S3 names the value without
// quotes and without a final period.
func UnsupportedMethod(method string) *Error {
	return invalidRequest(msgUnsupportedMethod + method)
}

// TooManyRules returns the error for a configuration of more than
// [MaxRules] rules.
//
// UNVERIFIED: no capture from S3 shows this error. Scality's suite (run
// against S3) and Ceph RGW agree on InvalidRequest with this message; moto
// and LocalStack answer MalformedXML but never recorded it.
func TooManyRules() *Error {
	return invalidRequest(msgTooManyRules)
}

// TooBig returns the error for a configuration document larger than
// [MaxDocumentSize].
//
// UNVERIFIED: S3 documents the 64 KB limit but no capture shows its error.
// MaxMessageLengthExceeded is S3's general code for a request body over a
// size limit.
func TooBig() *Error {
	return &Error{StatusCode: http.StatusBadRequest, Code: "MaxMessageLengthExceeded", Message: msgTooBig,
		Reason: "the document is larger than " + strconv.Itoa(MaxDocumentSize) + " bytes"}
}

func invalidRequest(msg string) *Error {
	return &Error{StatusCode: http.StatusBadRequest, Code: "InvalidRequest", Message: msg}
}
