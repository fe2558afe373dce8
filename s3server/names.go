package s3server

import (
	"net/http"
	"unicode/utf8"

	"github.com/s3cors/s3cors/s3err"
)

// maxKeyLen is S3's limit on the length of an object key, in bytes of
// UTF-8.
const maxKeyLen = 1024

// validBucketName reports whether name could name an existing bucket:
// S3's legacy rules, which buckets made in us-east-1 before 2018 still
// follow (1 to 255 letters of either case, digits, '.', '-' and '_').
// A request for another name is refused with InvalidBucketName; one that
// passes but names no bucket gets NoSuchBucket.
//
// UNVERIFIED: which rules S3 applies to requests other than CreateBucket
// was not captured; this choice keeps every name that could exist on S3.
//
// Every name a bucket is stored under passed [storage.ValidBucketName], so no
// name this function accepts can reach a path outside the data
// directory: the storage never builds a path from a name it has not found
// in its index.
func validBucketName(name string) bool {
	if name == "" || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// checkKey returns S3's error for an unusable object key, or nil.
//
// UNVERIFIED: S3's answer for a key that is not UTF-8 was not captured;
// such a key cannot be listed in XML, so it is refused as an unparsable
// URI.
func checkKey(key string) *s3err.Error {
	if len(key) > maxKeyLen {
		return errKeyTooLong(len(key))
	}
	if !utf8.ValidString(key) {
		return s3err.New(http.StatusBadRequest, "InvalidURI", msgInvalidURI)
	}
	return nil
}
