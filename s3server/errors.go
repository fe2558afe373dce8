package s3server

import (
	"net/http"
	"strconv"

	"github.com/s3cors/s3cors/s3err"
)

// S3's messages for the errors this server sends, verbatim where S3 was
// seen sending them.
const (
	msgNoSuchKey          = "The specified key does not exist."
	msgBucketNotEmpty     = "The bucket you tried to delete is not empty"
	msgBucketOwnedByYou   = "Your previous request to create the named bucket succeeded and you already own it."
	msgInvalidBucketName  = "The specified bucket is not valid."
	msgKeyTooLong         = "Your key is too long."
	msgEntityTooLarge     = "Your proposed upload exceeds the maximum allowed size"
	msgInvalidRange       = "The requested range is not satisfiable"
	msgPreconditionFailed = "At least one of the pre-conditions you specified did not hold"
	msgMetadataTooLarge   = "Your metadata headers exceed the maximum allowed metadata size"
	msgInvalidVersionID   = "Invalid version id specified"
	msgInvalidMaxKeys     = "Provided max-keys not an integer or within integer range"
	msgInvalidToken       = "The continuation token provided is incorrect"
	msgInvalidURI         = "Couldn't parse the specified URI."
	msgInvalidLocation    = "The specified location-constraint is not valid"
	msgNoSuchVersion      = "The specified version does not exist."
)

func errNoSuchKey(key string) *s3err.Error {
	return s3err.New(http.StatusNotFound, "NoSuchKey", msgNoSuchKey, "Key", key)
}

func errBucketNotEmpty(name string) *s3err.Error {
	return s3err.New(http.StatusConflict, "BucketNotEmpty", msgBucketNotEmpty, "BucketName", name)
}

func errBucketOwnedByYou(name string) *s3err.Error {
	return s3err.New(http.StatusConflict, "BucketAlreadyOwnedByYou", msgBucketOwnedByYou, "BucketName", name)
}

func errInvalidBucketName(name string) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "InvalidBucketName", msgInvalidBucketName, "BucketName", name)
}

func errKeyTooLong(size int) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "KeyTooLongError", msgKeyTooLong,
		"Size", strconv.Itoa(size), "MaxSizeAllowed", strconv.Itoa(maxKeyLen))
}

func errEntityTooLarge(proposed, max int64) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "EntityTooLarge", msgEntityTooLarge,
		"ProposedSize", strconv.FormatInt(proposed, 10), "MaxSizeAllowed", strconv.FormatInt(max, 10))
}
