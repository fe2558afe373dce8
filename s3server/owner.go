package s3server

import (
	"net/http"
	"strings"

	"github.com/s3cors/s3cors/s3err"
)

// DefaultAccountID is the AWS account ID of the one account a Server has
// when [Options].AccountID is empty: the account ID AWS's documentation
// uses in its examples, which the AWS SDKs' and moto's tests use too.
const DefaultAccountID = "123456789012"

// ValidAccountID reports whether id is an AWS account ID as AWS gives
// them, 12 digits: the form [Options].AccountID must have.
func ValidAccountID(id string) bool {
	return len(id) == 12 && strings.Trim(id, "0123456789") == ""
}

// ownerIDForm reports whether id has the form of an AWS account ID as
// S3 takes it in x-amz-expected-bucket-owner: 12 characters, letters or
// digits ("12-digit alphanumeric string", AWS's "Bucket owner
// condition"). AWS gives account IDs as digits only; whether S3 answers a
// value of 12 letters 400 or 403 is UNVERIFIED, and 12 letters are taken
// as a well-formed ID of another account (403), as localstack, whose tests
// are checked against S3, takes any 12 word characters.
func ownerIDForm(id string) bool {
	if len(id) != 12 {
		return false
	}
	for i := range len(id) {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// checkBucketOwner checks S3's bucket owner condition: the header name of
// h (x-amz-expected-bucket-owner, or x-amz-source-expected-bucket-owner
// for a copy's source), when sent, must name the account that owns the
// bucket, the server's; else S3 answers 403 AccessDenied ("If the account
// ID that you provide does not match the actual owner of the bucket, the
// request fails with the HTTP status code 403 Forbidden (access denied)",
// AWS's API reference). A value that is not an account ID, empty
// included, is 400 InvalidBucketOwnerAWSAccountID with the value in
// brackets, as S3 answers it (localstack's provider, checked against S3;
// s3s, whose tests record S3's "... []" for an empty value;
// versity/versitygw#1428: "400 for an invalid ID, 403 for a non-owner
// ID").
func (s *Server) checkBucketOwner(h http.Header, name string) error {
	v := h[name]
	if len(v) == 0 {
		return nil
	}
	id := v[0]
	if len(v) > 1 || !ownerIDForm(id) {
		// UNVERIFIED: the header sent twice; taken as no account ID.
		return s3err.New(http.StatusBadRequest, "InvalidBucketOwnerAWSAccountID",
			"The value of the expected bucket owner parameter must be an AWS Account ID... ["+id+"]")
	}
	if id != s.opts.AccountID {
		return s3err.AccessDenied()
	}
	return nil
}
