package s3server

import (
	"net/http"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
)

// maxKeyLen is S3's limit on the length of an object key, in bytes of
// UTF-8.
const maxKeyLen = 1024

// validBucketName reports whether name could name an existing bucket
// ([s3route.ValidBucketName]). A request for another name is refused with
// InvalidBucketName; one that passes but names no bucket gets
// NoSuchBucket.
//
// Every name a bucket is stored under passed [storage.ValidBucketName], so no
// name this function accepts can reach a path outside the data
// directory: the storage never builds a path from a name it has not found
// in its index.
var validBucketName = s3route.ValidBucketName

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
