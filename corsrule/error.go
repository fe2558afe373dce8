package corsrule

import (
	"github.com/s3cors/s3cors/s3err"
)

// S3's messages for the problems of a rule are verbatim (see the spec,
// §2). These end a message that starts with the list and the value.
const (
	msgWildcardSuffix       = " can not have more than one wildcard."
	msgInvalidCharSuffix    = " contains invalid character."
	msgExposeWildcardSuffix = " contains wildcard. We currently do not support wildcard for ExposeHeader."
)

// UnsupportedMethod returns S3's InvalidRequest error for an AllowedMethod
// other than GET, PUT, HEAD, POST and DELETE. S3 names the value without
// quotes and without a final period.
func UnsupportedMethod(method string) *s3err.Error {
	return s3err.InvalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is " + method)
}

// TooManyRules returns the error for a configuration of more than
// [MaxRules] rules.
//
// UNVERIFIED: no capture from S3 shows this error. Scality's suite (run
// against S3) and Ceph RGW agree on InvalidRequest with this message; moto
// and LocalStack answer MalformedXML but never recorded it.
func TooManyRules() *s3err.Error {
	return s3err.InvalidRequest("The number of CORS rules should not exceed allowed limit of 100 rules.")
}

// idTooLong returns the error for an ID over [MaxIDLength] characters.
//
// UNVERIFIED: S3 documents the limit for CORS but no capture shows the
// error. This is the answer S3 gives for the same limit on lifecycle rule
// IDs.
func idTooLong(id string) *s3err.Error {
	return s3err.InvalidArgument("ID length should not exceed allowed limit of 255", "ID", id)
}

// invalidValue returns S3's InvalidRequest for a value of the list named
// list that S3 refuses, with the reason S3 gives after the quoted value.
func invalidValue(list, value, suffix string) *s3err.Error {
	return s3err.InvalidRequest(list + " " + quote(value) + suffix)
}
